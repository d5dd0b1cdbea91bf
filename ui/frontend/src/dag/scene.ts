import type { Graph, GraphNode } from '../api';
import type { LayoutOutput, prepare } from './model';

/** The viewport: a translation and a scale from graph units to screen pixels. */
export interface View {
  x: number;
  y: number;
  k: number;
}

/** Everything a renderer draws from. */
export interface Scene {
  graph: Graph;
  byId: Map<string, GraphNode>;
  prepared: ReturnType<typeof prepare>;
  out: LayoutOutput;
  selected: string | null;
  now: number;
  groupsOfBlocks: Map<string, string>;
}

export interface SceneProps {
  scene: Scene;
  view: { current: View };
  host: { current: HTMLDivElement | null };
  touched: { current: boolean };
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}
