import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Graph, GraphNode } from '../api';
import { colours, STATES } from '../states';
import { Block, BLOCK_HEADER, BLOCK_PAD, cellOf, CELL_H, CELL_W, LayoutOutput, prepare } from './model';
import { clip, orderedCounts, subtitle } from './draw';

/** More drawn boxes than this and the graph is painted on a canvas, only what is on screen. */
export const CANVAS_THRESHOLD = 800;

interface Props {
  graph: Graph;
  now: number;
  selected: string | null;
  onSelect: (taskId: string) => void;
  onToggle: (nodeId: string) => void;
  /** Expanded groups, by the block that now shows their members (for "collapse"). */
  blockGroups: (blocks: Block[]) => Map<string, string>;
}

interface View {
  x: number;
  y: number;
  k: number;
}

let worker: Worker | null = null;
let seq = 0;
const pending = new Map<number, (o: LayoutOutput) => void>();

/** Starts the layout worker early, so that loading it overlaps the wait for the graph. */
export function warmLayout() {
  layoutWorker();
}

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => {
      const resolve = pending.get(e.data.seq);
      pending.delete(e.data.seq);
      resolve?.(e.data.output);
    };
  }
  return worker;
}

function layoutOff(input: unknown): Promise<LayoutOutput> {
  const w = layoutWorker();
  const id = ++seq;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    w.postMessage({ seq: id, input });
  });
}

export function DagView({ graph, now, selected, onSelect, onToggle, blockGroups }: Props) {
  const structureKey = useMemo(
    () => graph.nodes.map((n) => `${n.id}:${n.parent ?? ''}`).join(',') + '|' + graph.edges.length,
    [graph],
  );
  const prepared = useMemo(() => prepare(graph), [structureKey]);
  const [layout, setLayout] = useState<{ key: string; out: LayoutOutput } | null>(null);
  const [busy, setBusy] = useState(false);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<View>({ x: 0, y: 0, k: 1 });
  const fitted = useRef(false);
  const touched = useRef(false);
  const marked = useRef(false);
  const [, redraw] = useState(0);

  useEffect(() => {
    let live = true;
    setBusy(true);
    layoutOff(prepared.input).then((out) => {
      if (!live) return;
      if (!marked.current) performance.mark('cairn-layout-done');
      setBusy(false);
      setLayout({ key: structureKey, out });
    });
    return () => {
      live = false;
    };
  }, [structureKey]);

  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const groupsOfBlocks = useMemo(() => blockGroups(prepared.blocks), [prepared]);
  const drawn = prepared.input.units.length + prepared.blocks.reduce((a, b) => a + b.members.length, 0);
  const canvas = drawn > CANVAS_THRESHOLD;

  // Fit the whole graph once; later layouts (a group expanded) keep the user's view.
  useLayoutEffect(() => {
    if (!layout || !host.current || layout.out.error) return;
    if (!fitted.current) {
      fit(host.current, layout.out, view.current, graph.output ? layout.out.positions[graph.output] : undefined);
      fitted.current = true;
      redraw((n) => n + 1);
    }
  }, [layout]);

  // Until the user pans or zooms, the graph stays fitted to its box (a panel opening resizes it).
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      if (touched.current || !layout || layout.out.error) return;
      fit(el, layout.out, view.current);
      redraw((n) => n + 1);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [layout]);

  // A task selected elsewhere (the timeline, the output link) is brought into view.
  useEffect(() => {
    const el = host.current;
    if (!el || !layout || !selected) return;
    const box = locate(selected, prepared, layout.out);
    if (!box) return;
    const v = view.current;
    const sx = box.x * v.k + v.x;
    const sy = box.y * v.k + v.y;
    if (sx < 0 || sy < 0 || sx > el.clientWidth || sy > el.clientHeight) {
      v.x = el.clientWidth / 2 - box.x * v.k;
      v.y = el.clientHeight / 2 - box.y * v.k;
      redraw((n) => n + 1);
    }
  }, [selected, layout]);

  // The first paint of the drawn graph, for the page benchmark (Performance API).
  useEffect(() => {
    if (marked.current || !layout || layout.out.error) return;
    marked.current = true;
    requestAnimationFrame(() => performance.mark('cairn-dag-drawn'));
  }, [layout]);

  const scene: Scene | null =
    layout && !layout.out.error ? { graph, byId, prepared, out: layout.out, selected, now, groupsOfBlocks } : null;

  return (
    <div
      class="dag"
      data-testid="dag"
      data-renderer={canvas ? 'canvas' : 'svg'}
      data-nodes={String(graph.nodes.length)}
      data-drawn={String(drawn)}
      data-ready={scene && !busy ? 'true' : 'false'}
      ref={host}
    >
      {layout?.out.error ? <div class="dag-error">{layout.out.error}</div> : null}
      {scene ? (
        canvas ? (
          <CanvasScene scene={scene} view={view} host={host} touched={touched} onSelect={onSelect} onToggle={onToggle} />
        ) : (
          <SvgScene scene={scene} view={view} host={host} touched={touched} onSelect={onSelect} onToggle={onToggle} />
        )
      ) : (
        <div class="dag-busy">Laying out {graph.nodes.length.toLocaleString()} nodes…</div>
      )}
      {busy && scene ? <div class="dag-busy corner">Laying out…</div> : null}
      <Legend graph={graph} />
      <div class="dag-controls">
        <button title="Zoom in" onClick={() => ((touched.current = true), zoomBy(host.current!, view.current, 1.25, redraw))}>
          +
        </button>
        <button title="Zoom out" onClick={() => ((touched.current = true), zoomBy(host.current!, view.current, 0.8, redraw))}>
          −
        </button>
        <button
          title="Fit to screen"
          onClick={() => {
            touched.current = false;
            if (layout && host.current) fit(host.current, layout.out, view.current);
            redraw((n) => n + 1);
          }}
        >
          ⤢
        </button>
      </div>
    </div>
  );
}

interface Scene {
  graph: Graph;
  byId: Map<string, GraphNode>;
  prepared: ReturnType<typeof prepare>;
  out: LayoutOutput;
  selected: string | null;
  now: number;
  groupsOfBlocks: Map<string, string>;
}

interface SceneProps {
  scene: Scene;
  view: { current: View };
  host: { current: HTMLDivElement | null };
  touched: { current: boolean };
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}

function Legend({ graph }: { graph: Graph }) {
  const present = new Set<string>();
  for (const n of graph.nodes) {
    present.add(n.state);
    if (n.counts) for (const s of Object.keys(n.counts)) present.add(s);
  }
  return (
    <div class="legend" data-testid="legend">
      {STATES.filter((s) => present.has(s)).map((s) => (
        <span key={s} class="legend-item">
          <i style={{ background: colours(s).fill, borderColor: colours(s).stroke }} />
          {s}
        </span>
      ))}
      {graph.output ? (
        <span class="legend-item">
          <i class="legend-output" />
          output
        </span>
      ) : null}
    </div>
  );
}

/** Where a node is drawn: its own box, or its cell in a block. */
function locate(id: string, prepared: ReturnType<typeof prepare>, out: LayoutOutput) {
  const own = out.positions[id];
  if (own) return own;
  const blockId = prepared.blockOf.get(id);
  const block = blockId ? prepared.blocks.find((b) => b.id === blockId) : undefined;
  if (!block || !out.positions[block.id]) return null;
  const cell = cellOf(block, block.members.indexOf(id), out.positions[block.id]);
  return { x: cell.x + cell.width / 2, y: cell.y + cell.height / 2, width: cell.width, height: cell.height };
}

function fit(el: HTMLElement, out: LayoutOutput, v: View, focus?: { x: number; y: number }) {
  const w = el.clientWidth || 800;
  const h = el.clientHeight || 500;
  const k = Math.min(1.2, Math.max(0.05, Math.min((w - 40) / Math.max(1, out.width), (h - 60) / Math.max(1, out.height))));
  // A graph too wide to read when fitted starts readable at its left end instead.
  if (k < 0.45 && out.width > out.height * 2) {
    v.k = 0.8;
    v.x = 20;
    v.y = h / 2 - (focus?.y ?? out.height / 2) * v.k;
    return;
  }
  v.k = k;
  v.x = (w - out.width * k) / 2;
  v.y = (h - out.height * k) / 2;
}

function zoomBy(el: HTMLElement, v: View, factor: number, redraw: (f: (n: number) => number) => void, cx?: number, cy?: number) {
  const px = cx ?? el.clientWidth / 2;
  const py = cy ?? el.clientHeight / 2;
  const k = Math.min(4, Math.max(0.02, v.k * factor));
  v.x = px - ((px - v.x) * k) / v.k;
  v.y = py - ((py - v.y) * k) / v.k;
  v.k = k;
  redraw((n) => n + 1);
}

/** Wheel zooms at the pointer, drag pans; a click without a drag is passed on. */
function usePanZoom(
  host: { current: HTMLDivElement | null },
  view: { current: View },
  touched: { current: boolean },
  apply: () => void,
  click: (x: number, y: number, target: EventTarget | null) => void,
) {
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | null = null;
    let frame = 0;
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), apply()));
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      touched.current = true;
      const r = el.getBoundingClientRect();
      const v = view.current;
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      const k = Math.min(4, Math.max(0.02, v.k * factor));
      const px = e.clientX - r.left;
      const py = e.clientY - r.top;
      v.x = px - ((px - v.x) * k) / v.k;
      v.y = py - ((py - v.y) * k) / v.k;
      v.k = k;
      schedule();
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || (e.target as HTMLElement).closest('button, .legend')) return;
      drag = { x: e.clientX, y: e.clientY, vx: view.current.x, vy: view.current.y, moved: false };
    };
    const move = (e: PointerEvent) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!drag.moved) el.setPointerCapture(e.pointerId);
      drag.moved = true;
      touched.current = true;
      el.classList.add('panning');
      view.current.x = drag.vx + dx;
      view.current.y = drag.vy + dy;
      schedule();
    };
    const up = (e: PointerEvent) => {
      if (!drag) return;
      const wasDrag = drag.moved;
      drag = null;
      el.classList.remove('panning');
      if (!wasDrag) {
        const r = el.getBoundingClientRect();
        click(e.clientX - r.left, e.clientY - r.top, e.target);
      }
    };
    el.addEventListener('wheel', wheel, { passive: false });
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    return () => {
      el.removeEventListener('wheel', wheel);
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      cancelAnimationFrame(frame);
    };
  }, [apply, click]);
}

function edgePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  let d = `M${points[0].x},${points[0].y}`;
  if (points.length === 2) return `${d}L${points[1].x},${points[1].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const mx = (points[i].x + points[i + 1].x) / 2;
    const my = (points[i].y + points[i + 1].y) / 2;
    d += `Q${points[i].x},${points[i].y} ${i === points.length - 2 ? points[i + 1].x : mx},${i === points.length - 2 ? points[i + 1].y : my}`;
  }
  return d;
}

// ------------------------------------------------------------------ SVG (small graphs)

function SvgScene({ scene, view, host, touched, onSelect, onToggle }: SceneProps) {
  const g = useRef<SVGGElement>(null);
  const apply = useMemo(
    () => () => {
      const v = view.current;
      g.current?.setAttribute('transform', `translate(${v.x},${v.y}) scale(${v.k})`);
    },
    [],
  );
  const click = useMemo(
    () => (_x: number, _y: number, target: EventTarget | null) => {
      const el = (target as Element | null)?.closest?.('[data-id]');
      if (!el) return;
      const id = el.getAttribute('data-id')!;
      const action = el.getAttribute('data-action');
      if (action === 'toggle') onToggle(id);
      else onSelect(id);
    },
    [onSelect, onToggle],
  );
  usePanZoom(host, view, touched, apply, click);
  useLayoutEffect(apply);
  const { out, prepared, byId, selected, now, graph, groupsOfBlocks } = scene;
  const clusters = prepared.input.units.filter((u) => u.id.startsWith('cluster:'));
  return (
    <svg class="dag-svg" width="100%" height="100%">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0L10,5L0,10z" fill="#94a3b8" />
        </marker>
      </defs>
      <g ref={g}>
        {clusters.map((c) => {
          const p = out.positions[c.id];
          const owner = byId.get(c.id.slice('cluster:'.length));
          if (!p || !owner) return null;
          return (
            <g key={c.id} class="cluster">
              <rect x={p.x - p.width / 2 - 8} y={p.y - p.height / 2 - 22} width={p.width + 16} height={p.height + 30} rx={10} />
              <text
                x={p.x - p.width / 2}
                y={p.y - p.height / 2 - 8}
                class="cluster-title"
                data-id={owner.id}
                data-action="toggle"
                data-testid={`collapse-${owner.kind}`}
              >
                ▾ {owner.label} ({owner.kind}) — collapse
              </text>
            </g>
          );
        })}
        {out.edges.map((e) => (
          <path key={`${e.from}>${e.to}`} class="edge" d={edgePath(e.points)} marker-end="url(#arrow)" />
        ))}
        {prepared.blocks.map((b) => (
          <SvgBlock key={b.id} block={b} box={out.positions[b.id]} byId={byId} selected={selected} group={groupsOfBlocks.get(b.id)} />
        ))}
        {graph.nodes.map((n) =>
          prepared.blockOf.has(n.id) || !out.positions[n.id] ? null : (
            <SvgNode key={n.id} n={n} box={out.positions[n.id]} now={now} selected={selected === n.id} output={graph.output === n.id} />
          ),
        )}
      </g>
    </svg>
  );
}

function SvgNode({ n, box, now, selected, output }: { n: GraphNode; box: LayoutOutput['positions'][string]; now: number; selected: boolean; output: boolean }) {
  const c = colours(n.state);
  const x = box.x - box.width / 2;
  const y = box.y - box.height / 2;
  const foldable = isFoldable(n);
  const cls = `node kind-${n.kind} state-${n.state}${selected ? ' selected' : ''}${output ? ' output' : ''}`;
  return (
    <g
      class={cls}
      data-id={n.id}
      data-testid={`node-${n.id}`}
      data-state={n.state}
      data-kind={n.kind}
      data-action={foldable ? 'toggle' : 'select'}
    >
      {n.kind === 'group' || n.kind === 'map' ? <rect x={x + 6} y={y - 6} width={box.width} height={box.height} rx={8} fill={c.fill} stroke={c.stroke} opacity={0.6} /> : null}
      <rect x={x} y={y} width={box.width} height={box.height} rx={8} fill={c.fill} stroke={c.stroke} stroke-width={selected ? 3 : 1.5} stroke-dasharray={n.kind === 'continuation' ? '5 3' : undefined} />
      {n.state === 'running' ? <circle class="pulse" cx={x + 12} cy={y + 14} r={4} fill={c.stroke} /> : null}
      <text x={x + (n.state === 'running' ? 22 : 10)} y={y + 18} class="node-label" fill={c.text}>
        {clip(n.label, 24)}
      </text>
      <text x={x + 10} y={y + 35} class="node-sub" fill={c.text}>
        {clip(subtitle(n, now), 32)}
      </text>
      {n.counts && (n.kind === 'group' || n.kind === 'map') ? <CountsBar counts={n.counts} x={x + 10} y={y + box.height - 14} width={box.width - 20} /> : null}
      {foldable ? (
        <text x={x + box.width - 16} y={y + 18} class="node-toggle" fill={c.text}>
          +
        </text>
      ) : null}
      {n.state === 'reused' ? (
        <text x={x + box.width - 10} y={y + 35} class="node-badge" text-anchor="end" fill={c.text}>
          ↺ reused
        </text>
      ) : null}
      {output ? (
        <g class="output-badge">
          <rect x={x + box.width - 56} y={y - 9} width={52} height={16} rx={8} />
          <text x={x + box.width - 30} y={y + 3} text-anchor="middle">
            output
          </text>
        </g>
      ) : null}
      <title>{`${n.id}\n${n.state}${n.message ? `\n${n.message}` : ''}`}</title>
    </g>
  );
}

/** Groups, maps and folded continuations expand (and collapse) on a click; tasks open. */
function isFoldable(n: GraphNode): boolean {
  return n.kind === 'group' || n.kind === 'map' || (n.kind === 'continuation' && !!n.counts);
}

function CountsBar({ counts, x, y, width }: { counts: Record<string, number>; x: number; y: number; width: number }) {
  const parts = orderedCounts(counts);
  const total = parts.reduce((a, [, n]) => a + n, 0) || 1;
  let at = x;
  return (
    <g>
      {parts.map(([s, n]) => {
        const w = (n / total) * width;
        const r = <rect key={s} x={at} y={y} width={Math.max(w, 1)} height={6} fill={colours(s).stroke} />;
        at += w;
        return r;
      })}
    </g>
  );
}

function SvgBlock({ block, box, byId, selected, group }: { block: Block; box?: LayoutOutput['positions'][string]; byId: Map<string, GraphNode>; selected: string | null; group?: string }) {
  if (!box) return null;
  const x = box.x - box.width / 2;
  const y = box.y - box.height / 2;
  return (
    <g class="block" data-testid="block">
      <rect class="block-box" x={x} y={y} width={box.width} height={box.height} rx={10} />
      <text x={x + BLOCK_PAD} y={y + BLOCK_PAD + 12} class="block-title">
        {block.members.length.toLocaleString()} tasks
      </text>
      {group ? (
        <text x={x + box.width - BLOCK_PAD} y={y + BLOCK_PAD + 12} class="block-collapse" text-anchor="end" data-id={group} data-action="toggle" data-testid="collapse-group">
          collapse ▴
        </text>
      ) : null}
      {block.members.map((id, i) => {
        const n = byId.get(id)!;
        const cell = cellOf(block, i, box);
        const c = colours(n.state);
        return (
          <g key={id} class={`node cell state-${n.state}${selected === id ? ' selected' : ''}`} data-id={id} data-testid={`node-${id}`} data-state={n.state} data-action="select">
            <rect x={cell.x} y={cell.y} width={CELL_W} height={CELL_H} rx={5} fill={c.fill} stroke={c.stroke} stroke-width={selected === id ? 3 : 1} />
            <text x={cell.x + 8} y={cell.y + CELL_H / 2 + 4} class="cell-label" fill={c.text}>
              {clip(n.label, 20)}
            </text>
            <title>{`${n.id}\n${n.state}`}</title>
          </g>
        );
      })}
    </g>
  );
}

// ------------------------------------------------------------------ canvas (large graphs)

function CanvasScene({ scene, view, host, touched, onSelect, onToggle }: SceneProps) {
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
  const stepX = CELL_W + 6;
  const stepY = CELL_H + 6;
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
    const c = Math.floor((x - first.x) / (CELL_W + 6));
    const r = Math.floor((y - first.y) / (CELL_H + 6));
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
