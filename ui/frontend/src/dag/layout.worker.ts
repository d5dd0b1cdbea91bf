// Lays out the graph off the page's thread, so a large graph never freezes scrolling or clicks.
import dagre from '@dagrejs/dagre';
import type { LayoutInput, LayoutOutput } from './model';

self.onmessage = (e: MessageEvent<{ seq: number; input: LayoutInput }>) => {
  const { seq, input } = e.data;
  try {
    (self as unknown as Worker).postMessage({ seq, output: layout(input) });
  } catch (err) {
    const output: LayoutOutput = {
      positions: {},
      edges: [],
      width: 0,
      height: 0,
      error: `the layout of ${input.units.length} nodes failed: ${(err as Error).message}`,
    };
    (self as unknown as Worker).postMessage({ seq, output });
  }
};

function layout(input: LayoutInput): LayoutOutput {
  const compound = input.units.some((u) => u.parent);
  const g = new dagre.graphlib.Graph({ compound, multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 56, marginx: 24, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const u of input.units) g.setNode(u.id, { width: u.width, height: u.height });
  if (compound) for (const u of input.units) if (u.parent) g.setParent(u.id, u.parent);
  for (const [a, b] of input.edges) g.setEdge(a, b);
  dagre.layout(g);
  const positions: LayoutOutput['positions'] = {};
  for (const id of g.nodes()) {
    const n = g.node(id);
    if (n) positions[id] = { x: n.x, y: n.y, width: n.width, height: n.height };
  }
  const edges = g.edges().map((e) => ({ from: e.v, to: e.w, points: g.edge(e).points ?? [] }));
  const graph = g.graph();
  return { positions, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}
