import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { colours } from '../states';
import { clip, isFoldable, subtitle } from './draw';
import { Block, BLOCK_HEADER, BLOCK_PAD, cellOf, CELL_GAP, CELL_H, CELL_W, LayoutOutput } from './model';
import { usePanZoom } from './panzoom';
import type { Scene, SceneProps, View } from './scene';

// Large graphs: painted on a canvas, only what is on screen, once per animation frame.

export function CanvasScene({ scene, view, host, touched, onSelect, onToggle }: SceneProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const sceneRef = useRef(scene);
  sceneRef.current = scene;
  const apply = useMemo(
    () => () => {
      const el = canvas.current;
      if (el) paint(el, sceneRef.current, view.current);
    },
    [],
  );
  const click = useMemo(
    () => (x: number, y: number) => {
      const hit = hitTest(sceneRef.current, view.current, x, y);
      if (!hit) return;
      if (hit.toggle) onToggle(hit.id);
      else onSelect(hit.id);
    },
    [onSelect, onToggle],
  );
  usePanZoom(host, view, touched, apply, click);
  useLayoutEffect(apply);
  useEffect(() => {
    const ro = new ResizeObserver(apply);
    if (host.current) ro.observe(host.current);
    return () => ro.disconnect();
  }, []);
  return <canvas class="dag-canvas" ref={canvas} data-testid="dag-canvas" />;
}

function paint(el: HTMLCanvasElement, s: Scene, v: View) {
  const parent = el.parentElement!;
  const w = parent.clientWidth;
  const h = parent.clientHeight;
  const dpr = window.devicePixelRatio || 1;
  if (el.width !== Math.round(w * dpr) || el.height !== Math.round(h * dpr)) {
    el.width = Math.round(w * dpr);
    el.height = Math.round(h * dpr);
    el.style.width = `${w}px`;
    el.style.height = `${h}px`;
  }
  const ctx = el.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.setTransform(dpr * v.k, 0, 0, dpr * v.k, dpr * v.x, dpr * v.y);
  // What is on screen, in graph units: everything else is skipped.
  const vx0 = -v.x / v.k;
  const vy0 = -v.y / v.k;
  const vx1 = vx0 + w / v.k;
  const vy1 = vy0 + h / v.k;
  const visible = (b: { x: number; y: number; width: number; height: number }) =>
    b.x + b.width / 2 >= vx0 && b.x - b.width / 2 <= vx1 && b.y + b.height / 2 >= vy0 && b.y - b.height / 2 <= vy1;
  const text = v.k > 0.35;
  ctx.lineWidth = 1.2 / Math.max(v.k, 0.3);
  ctx.strokeStyle = '#94a3b8';
  ctx.beginPath();
  for (const e of s.out.edges) {
    const p = e.points;
    if (p.length < 2) continue;
    ctx.moveTo(p[0].x, p[0].y);
    for (let i = 1; i < p.length; i++) ctx.lineTo(p[i].x, p[i].y);
  }
  ctx.stroke();
  ctx.font = '600 12px system-ui, sans-serif';
  for (const u of s.prepared.input.units) {
    const box = s.out.positions[u.id];
    if (!box || !visible(box)) continue;
    if (u.id.startsWith('cluster:')) {
      ctx.setLineDash([6, 4]);
      ctx.strokeStyle = '#a5b4fc';
      ctx.strokeRect(box.x - box.width / 2 - 8, box.y - box.height / 2 - 22, box.width + 16, box.height + 30);
      ctx.setLineDash([]);
      continue;
    }
    const block = s.prepared.blocks.find((b) => b.id === u.id);
    if (block) {
      paintBlock(ctx, s, block, box, { vx0, vy0, vx1, vy1 }, text);
      continue;
    }
    const n = s.byId.get(u.id);
    if (!n) continue;
    const c = colours(n.state);
    const x = box.x - box.width / 2;
    const y = box.y - box.height / 2;
    ctx.fillStyle = c.fill;
    ctx.strokeStyle = s.selected === n.id ? '#0f172a' : c.stroke;
    ctx.lineWidth = s.selected === n.id ? 3 : 1.5;
    ctx.fillRect(x, y, box.width, box.height);
    ctx.strokeRect(x, y, box.width, box.height);
    if (text) {
      ctx.fillStyle = c.text;
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.fillText(clip(n.label, 24), x + 10, y + 18);
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillText(clip(subtitle(n, s.now), 32), x + 10, y + 35);
    }
    if (s.graph.output === n.id) {
      ctx.fillStyle = '#7c3aed';
      ctx.fillRect(x + box.width - 56, y - 9, 52, 16);
      if (text) {
        ctx.fillStyle = '#fff';
        ctx.font = '600 10px system-ui, sans-serif';
        ctx.fillText('output', x + box.width - 47, y + 3);
      }
    }
  }
}

function paintBlock(
  ctx: CanvasRenderingContext2D,
  s: Scene,
  block: Block,
  box: LayoutOutput['positions'][string],
  vp: { vx0: number; vy0: number; vx1: number; vy1: number },
  text: boolean,
) {
  const x = box.x - box.width / 2;
  const y = box.y - box.height / 2;
  ctx.fillStyle = '#f8fafc';
  ctx.strokeStyle = '#cbd5e1';
  ctx.lineWidth = 1;
  ctx.fillRect(x, y, box.width, box.height);
  ctx.strokeRect(x, y, box.width, box.height);
  if (text) {
    ctx.fillStyle = '#334155';
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.fillText(`${block.members.length.toLocaleString()} tasks`, x + BLOCK_PAD, y + BLOCK_PAD + 12);
    if (s.groupsOfBlocks.has(block.id)) {
      ctx.fillStyle = '#2563eb';
      ctx.fillText('collapse ▴', x + box.width - BLOCK_PAD - 70, y + BLOCK_PAD + 12);
    }
  }
  // Only the rows and columns on screen.
  const first = cellOf(block, 0, box);
  const stepX = CELL_W + CELL_GAP;
  const stepY = CELL_H + CELL_GAP;
  const rows = Math.ceil(block.members.length / block.cols);
  const c0 = Math.max(0, Math.floor((vp.vx0 - first.x) / stepX));
  const c1 = Math.min(block.cols - 1, Math.floor((vp.vx1 - first.x) / stepX));
  const r0 = Math.max(0, Math.floor((vp.vy0 - first.y) / stepY));
  const r1 = Math.min(rows - 1, Math.floor((vp.vy1 - first.y) / stepY));
  ctx.font = '11px system-ui, sans-serif';
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const i = r * block.cols + c;
      if (i >= block.members.length) break;
      const n = s.byId.get(block.members[i]);
      if (!n) continue;
      const col = colours(n.state);
      const cx = first.x + c * stepX;
      const cy = first.y + r * stepY;
      ctx.fillStyle = col.fill;
      ctx.fillRect(cx, cy, CELL_W, CELL_H);
      ctx.strokeStyle = s.selected === n.id ? '#0f172a' : col.stroke;
      ctx.lineWidth = s.selected === n.id ? 3 : 1;
      ctx.strokeRect(cx, cy, CELL_W, CELL_H);
      if (text) {
        ctx.fillStyle = col.text;
        ctx.fillText(clip(n.label, 20), cx + 8, cy + CELL_H / 2 + 4);
      }
    }
  }
}

function hitTest(s: Scene, v: View, sx: number, sy: number): { id: string; toggle: boolean } | null {
  const x = (sx - v.x) / v.k;
  const y = (sy - v.y) / v.k;
  const inside = (b: { x: number; y: number; width: number; height: number }) =>
    Math.abs(x - b.x) <= b.width / 2 && Math.abs(y - b.y) <= b.height / 2;
  for (const block of s.prepared.blocks) {
    const box = s.out.positions[block.id];
    if (!box || !inside(box)) continue;
    const top = box.y - box.height / 2;
    const group = s.groupsOfBlocks.get(block.id);
    if (group && y < top + BLOCK_PAD + BLOCK_HEADER) return { id: group, toggle: true };
    const first = cellOf(block, 0, box);
    const c = Math.floor((x - first.x) / (CELL_W + CELL_GAP));
    const r = Math.floor((y - first.y) / (CELL_H + CELL_GAP));
    const i = r * block.cols + c;
    if (c >= 0 && c < block.cols && r >= 0 && i < block.members.length) return { id: block.members[i], toggle: false };
    return null;
  }
  for (const u of s.prepared.input.units) {
    if (u.id.startsWith('cluster:')) continue;
    const box = s.out.positions[u.id];
    const n = s.byId.get(u.id);
    if (box && n && inside(box)) return { id: n.id, toggle: isFoldable(n) };
  }
  for (const u of s.prepared.input.units) {
    if (!u.id.startsWith('cluster:')) continue;
    const box = s.out.positions[u.id];
    if (box && Math.abs(x - box.x) <= box.width / 2 + 8 && y >= box.y - box.height / 2 - 22 && y <= box.y - box.height / 2) {
      return { id: u.id.slice('cluster:'.length), toggle: true };
    }
  }
  return null;
}
