import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { GraphNode } from '../api';
import { colours } from '../states';
import { clip, isFoldable, orderedCounts, subtitle } from './draw';
import { Block, BLOCK_PAD, cellOf, CELL_H, CELL_W, LayoutOutput } from './model';
import { usePanZoom } from './panzoom';
import type { SceneProps } from './scene';

// Small graphs: every node an SVG element, moved by one transform while panning and zooming.

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

export function SvgScene({ scene, view, host, touched, onSelect, onToggle }: SceneProps) {
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
      {n.kind === 'group' || n.kind === 'chain' || n.kind === 'map' ? <rect x={x + 6} y={y - 6} width={box.width} height={box.height} rx={8} fill={c.fill} stroke={c.stroke} opacity={0.6} /> : null}
      <rect x={x} y={y} width={box.width} height={box.height} rx={8} fill={c.fill} stroke={c.stroke} stroke-width={selected ? 3 : 1.5} stroke-dasharray={n.kind === 'continuation' ? '5 3' : undefined} />
      {n.state === 'running' ? <circle class="pulse" cx={x + 12} cy={y + 14} r={4} fill={c.stroke} /> : null}
      <text x={x + (n.state === 'running' ? 22 : 10)} y={y + 18} class="node-label" fill={c.text}>
        {clip(n.label, 24)}
      </text>
      <text x={x + 10} y={y + 35} class="node-sub" fill={c.text}>
        {clip(subtitle(n, now), 32)}
      </text>
      {n.counts && (n.kind === 'group' || n.kind === 'chain' || n.kind === 'map') ? <CountsBar counts={n.counts} x={x + 10} y={y + box.height - 14} width={box.width - 20} /> : null}
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
