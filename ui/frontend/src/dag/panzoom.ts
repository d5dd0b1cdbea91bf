import { useEffect } from 'preact/hooks';
import { cellOf, LayoutOutput, prepare } from './model';
import type { View } from './scene';

/** Where a node is drawn: its own box, or its cell in a block. */
export function locate(id: string, prepared: ReturnType<typeof prepare>, out: LayoutOutput) {
  const own = out.positions[id];
  if (own) return own;
  const blockId = prepared.blockOf.get(id);
  const block = blockId ? prepared.blocks.find((b) => b.id === blockId) : undefined;
  if (!block || !out.positions[block.id]) return null;
  const cell = cellOf(block, block.members.indexOf(id), out.positions[block.id]);
  return { x: cell.x + cell.width / 2, y: cell.y + cell.height / 2, width: cell.width, height: cell.height };
}

export function fit(el: HTMLElement, out: LayoutOutput, v: View, focus?: { x: number; y: number }) {
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

export function zoomBy(el: HTMLElement, v: View, factor: number, redraw: (f: (n: number) => number) => void, cx?: number, cy?: number) {
  const px = cx ?? el.clientWidth / 2;
  const py = cy ?? el.clientHeight / 2;
  const k = Math.min(4, Math.max(0.02, v.k * factor));
  v.x = px - ((px - v.x) * k) / v.k;
  v.y = py - ((py - v.y) * k) / v.k;
  v.k = k;
  redraw((n) => n + 1);
}

/** Wheel zooms at the pointer, drag pans; a click without a drag is passed on. */
export function usePanZoom(
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
