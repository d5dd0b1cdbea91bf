import type { Graph, GraphNode } from '../api';

// Sizes of what the graph draws, in graph units (pixels at zoom 1).
export const NODE_W = 190;
export const NODE_H = 46;
export const GROUP_H = 62;
export const CELL_W = 150;
export const CELL_H = 30;
export const CELL_GAP = 6;
export const BLOCK_PAD = 10;
export const BLOCK_HEADER = 26;

/**
 * Siblings beyond this many that share their parent, their upstream and their downstream are drawn
 * as one block, tiled in a grid: dagre gives the block its place in the graph like any node, and
 * a 10,000-task map stays one rank instead of a column 400,000 pixels long.
 */
export const BLOCK_THRESHOLD = 20;

export interface Block {
  id: string;
  members: string[];
  parent?: string;
  cols: number;
  width: number;
  height: number;
}

/** What the layout worker is given: one entry per laid-out unit (node or block). */
export interface LayoutInput {
  units: { id: string; width: number; height: number; parent?: string }[];
  edges: [string, string][];
}

export interface LayoutOutput {
  positions: Record<string, { x: number; y: number; width: number; height: number }>;
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
  error?: string;
}

export function prepare(graph: Graph): { input: LayoutInput; blocks: Block[]; blockOf: Map<string, string> } {
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (const [from, to] of graph.edges) {
    if (!ids.has(from) || !ids.has(to)) continue;
    (succs.get(from) ?? succs.set(from, []).get(from)!).push(to);
    (preds.get(to) ?? preds.set(to, []).get(to)!).push(from);
  }
  const clusters = new Set<string>();
  for (const n of graph.nodes) if (n.parent && ids.has(n.parent)) clusters.add(n.parent);

  // Siblings by parent, upstream and downstream.
  const bySignature = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    if (n.kind !== 'task' || clusters.has(n.id)) continue;
    const key = [
      n.parent ?? '',
      (preds.get(n.id) ?? []).slice().sort().join(','),
      (succs.get(n.id) ?? []).slice().sort().join(','),
    ].join('|');
    (bySignature.get(key) ?? bySignature.set(key, []).get(key)!).push(n);
  }
  const blocks: Block[] = [];
  const blockOf = new Map<string, string>();
  for (const members of bySignature.values()) {
    if (members.length <= BLOCK_THRESHOLD) continue;
    const id = `block:${members[0].id}`;
    const count = members.length;
    // Wider than tall, as the graph flows left to right and a screen is wide.
    const cols = Math.max(1, Math.min(count, Math.ceil(Math.sqrt(count / 3))));
    const rows = Math.ceil(count / cols);
    const width = BLOCK_PAD * 2 + cols * CELL_W + (cols - 1) * CELL_GAP;
    const height = BLOCK_PAD * 2 + BLOCK_HEADER + rows * CELL_H + (rows - 1) * CELL_GAP;
    blocks.push({ id, members: members.map((m) => m.id), parent: members[0].parent, cols, width, height });
    for (const m of members) blockOf.set(m.id, id);
  }

  // An expanded continuation is a cluster holding the task that returned it and its sub-tasks.
  const parentUnit = (parent?: string) => (parent && clusters.has(parent) ? `cluster:${parent}` : undefined);
  const units: LayoutInput['units'] = [];
  for (const c of clusters) {
    const owner = graph.nodes.find((n) => n.id === c);
    units.push({ id: `cluster:${c}`, width: 0, height: 0, parent: parentUnit(owner?.parent) });
  }
  for (const b of blocks) units.push({ id: b.id, width: b.width, height: b.height, parent: parentUnit(b.parent) });
  for (const n of graph.nodes) {
    if (blockOf.has(n.id)) continue;
    const parent = clusters.has(n.id) ? `cluster:${n.id}` : parentUnit(n.parent);
    units.push({ id: n.id, width: NODE_W, height: n.kind === 'task' ? NODE_H : GROUP_H, parent });
  }
  const seen = new Set<string>();
  const edges: [string, string][] = [];
  for (const [from, to] of graph.edges) {
    if (!ids.has(from) || !ids.has(to)) continue;
    const a = blockOf.get(from) ?? from;
    const b = blockOf.get(to) ?? to;
    const key = `${a}\n${b}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    edges.push([a, b]);
  }
  return { input: { units, edges }, blocks, blockOf };
}

/** Where a block's member is drawn, from the block's laid-out box. */
export function cellOf(block: Block, index: number, box: { x: number; y: number; width: number; height: number }) {
  const col = index % block.cols;
  const row = Math.floor(index / block.cols);
  const left = box.x - box.width / 2 + BLOCK_PAD;
  const top = box.y - box.height / 2 + BLOCK_PAD + BLOCK_HEADER;
  return { x: left + col * (CELL_W + CELL_GAP), y: top + row * (CELL_H + CELL_GAP), width: CELL_W, height: CELL_H };
}
