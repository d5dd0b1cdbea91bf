import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Graph } from '../api';
import { colours, STATES } from '../states';
import { CanvasScene } from './CanvasScene';
import { layoutOff } from './layoutClient';
import { Block, LayoutOutput, prepare } from './model';
import { fit, locate, zoomBy } from './panzoom';
import type { Scene, View } from './scene';
import { SvgScene } from './SvgScene';

export { warmLayout } from './layoutClient';

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
      {layout?.out.error ? <div class="dag-error" data-testid="dag-error">{layout.out.error}</div> : null}
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
