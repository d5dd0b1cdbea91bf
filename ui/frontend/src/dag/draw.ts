import type { GraphNode } from '../api';
import { duration, since } from '../format';

/** The second line of a node: its state, elapsed time while running, attempts, reuse. */
export function subtitle(n: GraphNode, now: number): string {
  if (n.kind !== 'task' && n.counts) return countsText(n.counts);
  const parts: string[] = [n.state];
  if (n.state === 'running') parts.push(duration(since(n.startedAt, now)));
  else if (n.startedAt && n.finishedAt) parts.push(duration(since(n.startedAt, now, n.finishedAt)));
  if (n.attempts > 1) parts.push(`${n.attempts} attempts`);
  return parts.filter(Boolean).join(' · ');
}

const ORDER = ['failed', 'running', 'pending', 'expanded', 'caught', 'succeeded', 'reused', 'skipped'];

export function countsText(counts: Record<string, number>): string {
  return ORDER.filter((s) => counts[s])
    .map((s) => `${counts[s].toLocaleString()} ${s}`)
    .join(' · ');
}

export function orderedCounts(counts: Record<string, number>): [string, number][] {
  return ORDER.filter((s) => counts[s]).map((s) => [s, counts[s]]);
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Groups, chains, maps and folded continuations expand (and collapse) on a click; tasks open. */
export function isFoldable(n: GraphNode): boolean {
  return n.kind === 'group' || n.kind === 'chain' || n.kind === 'map' || (n.kind === 'continuation' && !!n.counts);
}
