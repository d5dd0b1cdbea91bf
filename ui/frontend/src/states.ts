// One colour per task state, used by the graph, the legend, the timeline and badges alike.
export const STATES = ['pending', 'running', 'expanded', 'succeeded', 'reused', 'caught', 'failed', 'skipped'] as const;

export const STATE_COLOURS: Record<string, { fill: string; stroke: string; text: string }> = {
  pending: { fill: '#f1f5f9', stroke: '#94a3b8', text: '#334155' },
  running: { fill: '#dbeafe', stroke: '#2563eb', text: '#1e3a8a' },
  expanded: { fill: '#e0e7ff', stroke: '#6366f1', text: '#312e81' },
  succeeded: { fill: '#dcfce7', stroke: '#16a34a', text: '#14532d' },
  reused: { fill: '#ccfbf1', stroke: '#0d9488', text: '#134e4a' },
  caught: { fill: '#fef3c7', stroke: '#d97706', text: '#78350f' },
  failed: { fill: '#fee2e2', stroke: '#dc2626', text: '#7f1d1d' },
  skipped: { fill: '#f8fafc', stroke: '#cbd5e1', text: '#64748b' },
};

export function colours(state: string | null | undefined) {
  return STATE_COLOURS[(state ?? '').toLowerCase()] ?? STATE_COLOURS.pending;
}

export const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Suspended', 'Canceled', 'Interrupted'];

export function phaseClass(phase: string): string {
  const p = phase.toLowerCase();
  if (p === 'succeeded') return 'succeeded';
  if (p === 'failed' || p === 'canceled' || p === 'interrupted') return 'failed';
  if (p === 'running') return 'running';
  if (p === 'suspended') return 'caught';
  return 'pending';
}
