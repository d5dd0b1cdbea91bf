import type { Graph } from './api';
import { duration } from './format';
import { colours } from './states';

const ROW = 24;
const LABEL = 220;
const MAX_ROWS = 2000;

/**
 * When each node ran: one bar per node from its first start to its end (now while running), on an
 * axis whose ticks adapt from seconds to days so that long runs stay readable.
 */
export function Timeline({ graph, now, onSelect, selected }: { graph: Graph; now: number; onSelect: (id: string) => void; selected: string | null }) {
  const rows = graph.nodes
    .filter((n) => n.startedAt)
    .map((n) => ({ n, start: Date.parse(n.startedAt!), end: n.finishedAt ? Date.parse(n.finishedAt) : now }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  if (!rows.length) return <div class="dag-busy">Nothing has started yet.</div>;
  const shown = rows.slice(0, MAX_ROWS);
  const t0 = shown[0].start;
  const t1 = Math.max(t0 + 20, ...shown.map((r) => r.end));
  const width = 900;
  const x = (t: number) => ((t - t0) / (t1 - t0)) * width;
  const ticks = axis(t1 - t0);
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
          const c = colours(r.n.state);
          const y = 20 + i * ROW;
          const w = Math.max(2, x(r.end) - x(r.start));
          return (
            <g key={r.n.id} class={`tl-row${selected === r.n.id ? ' selected' : ''}`} onClick={() => r.n.kind === 'task' && onSelect(r.n.id)} data-testid="timeline-row">
              <text x={8} y={y + 16} class="tl-label">
                {r.n.label.length > 30 ? `${r.n.label.slice(0, 29)}…` : r.n.label}
              </text>
              <rect x={LABEL + x(r.start)} y={y + 4} width={w} height={ROW - 8} rx={3} fill={c.fill} stroke={c.stroke} />
              <text x={LABEL + x(r.start) + w + 6} y={y + 16} class="tl-dur">
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
