import { useEffect, useState } from 'preact/hooks';
import { getJson, taskPath, type Attempt, type Graph, type TaskDetail } from './api';
import { duration } from './format';
import { colours } from './states';

const ROW = 24;
const LABEL = 220;
const MAX_ROWS = 2000;
/** Tasks with retries whose attempts are read for their own bars, at most. */
const MAX_READ = 100;

interface Bar {
  start: number;
  end: number;
  state: string;
  number: number;
  title: string;
}

/** The state an attempt's verdict is drawn as. */
function verdictState(verdict: string | null): string {
  if (!verdict || verdict === 'running') return 'running';
  if (['succeeded', 'expanded', 'caught'].includes(verdict)) return verdict;
  return 'failed'; // failed, crashed, stopped
}

/**
 * When each node ran: one bar per attempt for the tasks in view that were retried (read from the
 * task's details), else one bar per node from its first start to its end (now while running), on
 * an axis whose ticks adapt from seconds to days so that long runs stay readable.
 */
export function Timeline({ workflow, graph, now, onSelect, selected }: { workflow: string; graph: Graph; now: number; onSelect: (id: string) => void; selected: string | null }) {
  const rows = graph.nodes
    .filter((n) => n.startedAt)
    .map((n) => ({ n, start: Date.parse(n.startedAt!), end: n.finishedAt ? Date.parse(n.finishedAt) : now }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const shown = rows.slice(0, MAX_ROWS);
  // A task's attempts, read again when its attempts or state change.
  const [attempts, setAttempts] = useState<Record<string, { key: string; list: Attempt[] }>>({});
  const retried = shown.filter((r) => r.n.kind === 'task' && r.n.attempts > 1).slice(0, MAX_READ);
  const wanted = retried.map((r) => `${r.n.id}\n${r.n.attempts}\n${r.n.state}`).join('\n');
  useEffect(() => {
    const ctl = new AbortController();
    for (const r of retried) {
      const key = `${r.n.attempts}\n${r.n.state}`;
      if (attempts[r.n.id]?.key === key) continue;
      getJson<TaskDetail>(taskPath(workflow, r.n.id), ctl.signal).then(
        (d) => setAttempts((old) => ({ ...old, [r.n.id]: { key, list: d.attempts } })),
        () => undefined,
      );
    }
    return () => ctl.abort();
  }, [workflow, wanted]);
  if (!rows.length) return <div class="dag-busy">Nothing has started yet.</div>;
  const t0 = shown[0].start;
  const t1 = Math.max(t0 + 20, ...shown.map((r) => r.end));
  const width = 900;
  const x = (t: number) => ((t - t0) / (t1 - t0)) * width;
  const ticks = axis(t1 - t0);
  const bars = (r: (typeof shown)[number]): Bar[] => {
    const read = attempts[r.n.id]?.list.filter((a) => a.startedAt);
    if (!read?.length) return [{ start: r.start, end: r.end, state: r.n.state, number: 0, title: `${r.n.label}: ${r.n.state}` }];
    return read.map((a) => {
      const start = Date.parse(a.startedAt!);
      const end = a.finishedAt ? Date.parse(a.finishedAt) : now;
      return { start, end, state: verdictState(a.verdict), number: a.number, title: `attempt ${a.number}: ${a.verdict ?? 'running'}, ${duration(end - start) || '0 ms'}` };
    });
  };
  return (
    <div class="timeline" data-testid="timeline">
      <svg width={LABEL + width + 40} height={shown.length * ROW + 40}>
        <g transform={`translate(${LABEL},20)`}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={x(t0 + t)} x2={x(t0 + t)} y1={-6} y2={shown.length * ROW} class="tick" />
              <text x={x(t0 + t)} y={-8} class="tick-label" text-anchor="middle">
                +{duration(t) || '0'}
              </text>
            </g>
          ))}
        </g>
        {shown.map((r, i) => {
          const y = 20 + i * ROW;
          const drawn = bars(r);
          const last = drawn[drawn.length - 1];
          const right = LABEL + x(last.start) + Math.max(2, x(last.end) - x(last.start));
          return (
            <g key={r.n.id} class={`tl-row${selected === r.n.id ? ' selected' : ''}`} onClick={() => r.n.kind === 'task' && onSelect(r.n.id)} data-testid="timeline-row" data-id={r.n.id}>
              <text x={8} y={y + 16} class="tl-label">
                {r.n.label.length > 30 ? `${r.n.label.slice(0, 29)}…` : r.n.label}
              </text>
              {drawn.map((b) => {
                const c = colours(b.state);
                return (
                  <rect key={b.number} x={LABEL + x(b.start)} y={y + 4} width={Math.max(2, x(b.end) - x(b.start))} height={ROW - 8} rx={3} fill={c.fill} stroke={c.stroke} data-testid="timeline-bar" data-attempt={b.number || undefined} data-state={b.state}>
                    <title>{b.title}</title>
                  </rect>
                );
              })}
              <text x={right + 6} y={y + 16} class="tl-dur">
                {duration(r.end - r.start)}
                {r.n.attempts > 1 ? ` · ${r.n.attempts} attempts` : ''}
              </text>
            </g>
          );
        })}
      </svg>
      {rows.length > MAX_ROWS ? <p class="muted">The first {MAX_ROWS} of {rows.length} rows; collapse groups to see fewer.</p> : null}
    </div>
  );
}

function axis(span: number): number[] {
  const steps = [5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 3e4, 6e4, 12e4, 3e5, 6e5, 18e5, 36e5, 72e5, 216e5, 432e5, 864e5, 1728e5, 6048e5];
  const step = steps.find((s) => span / s <= 8) ?? steps[steps.length - 1];
  const out: number[] = [];
  for (let t = 0; t <= span; t += step) out.push(t);
  return out;
}
