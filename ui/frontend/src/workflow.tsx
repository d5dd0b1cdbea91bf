import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Details, getJson, Graph, GraphNode, Info, listen, postAction, query, StatusEvent, Summary, workflowPath } from './api';
import { DagView, warmLayout } from './dag/DagView';
import type { Block } from './dag/model';
import { duration, since, time } from './format';
import { Progress } from './list';
import { go } from './main';
import { phaseClass } from './states';
import { TaskPanel } from './task';
import { Timeline } from './timeline';

type Tab = 'graph' | 'timeline' | 'conditions';

/** Phases in which a run changes no more by itself (a resume starts it again). */
const ENDED = ['Succeeded', 'Failed', 'Canceled', 'Interrupted'];

/**
 * Where an expanded group's members are found again: their parent and common id prefix; for an
 * expanded chain, only its label, for its chip.
 */
interface GroupMark {
  parent: string | null;
  prefix: string;
  label?: string;
}

const MARKS_KEY = 'cairn.groups';

function loadMarks(): Record<string, GroupMark> {
  try {
    return JSON.parse(sessionStorage.getItem(MARKS_KEY) ?? '{}');
  } catch {
    return {};
  }
}

export function WorkflowPage({ id, params, info }: { id: string; params: URLSearchParams; info: Info | null }) {
  const tab = (params.get('tab') as Tab) || 'graph';
  const task = params.get('task');
  const expand = useMemo(() => (params.get('expand') ?? '').split(',').filter(Boolean), [params.get('expand')]);
  const [details, setDetails] = useState<Details | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [graph, setGraph] = useState<Graph | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [now, setNow] = useState(Date.now());
  const [marks, setMarks] = useState<Record<string, GroupMark>>(loadMarks);
  const base = workflowPath(id);
  useEffect(warmLayout, []);

  const nav = (over: Record<string, string | null>, replace = false) => {
    const slash = id.indexOf('/');
    const current: Record<string, string | null> = { tab: tab === 'graph' ? null : tab, task, expand: expand.join(',') || null };
    go(`/workflows/${encodeURIComponent(id.slice(0, slash))}/${encodeURIComponent(id.slice(slash + 1))}`, { ...current, ...over } as Record<string, string>, replace);
  };

  // Asked for once the graph is in (or failed): on a large run both read every task, and two such
  // reads at once slow the graph, which is what the page is for.
  const [graphAsked, setGraphAsked] = useState(false);
  useEffect(() => {
    if (!graphAsked) return;
    const abort = new AbortController();
    getJson<Details>(base, abort.signal).then(
      (d) => {
        setDetails(d);
        setSummary((s) => s ?? d);
      },
      (e) => e.name !== 'AbortError' && setError(String(e.message ?? e)),
    );
    return () => abort.abort();
  }, [id, graphAsked]);

  useEffect(() => {
    const abort = new AbortController();
    const q = query({ expand: expand.join(',') });
    let stop = () => {};
    const follow = () => {
      if (abort.signal.aborted) return;
      // Opened once the graph is drawn: its first event repeats the whole graph, so nothing is
      // missed, and the server does not read a large run twice at once for the first paint.
      stop = listen(
        `${base}/events${q}`,
        {
          status: (e: StatusEvent) => {
            setSummary(e.summary);
            if (e.graph) setGraph(e.graph);
            else if (e.nodes?.length) setGraph((g) => (g ? patch(g, e.nodes!) : g));
          },
          error: (e: { error?: string; message?: string }) => setError(e.error ?? e.message ?? 'the live feed failed'),
        },
        setLive,
      );
    };
    getJson<Graph>(`${base}/graph${q}`, abort.signal).then(
      (g) => (performance.mark('cairn-graph-received'), setGraph(g), setGraphAsked(true), follow()),
      (e) => {
        if (e.name === 'AbortError') return;
        setError(String(e.message ?? e));
        setGraphAsked(true);
        follow();
      },
    );
    return () => {
      abort.abort();
      stop();
    };
  }, [id, expand.join(',')]);

  // Conditions and events change as the run goes; read them again when the phase changes.
  const phase = summary?.phase;
  useEffect(() => {
    if (!details || !phase || phase === details.phase) return;
    getJson<Details>(base).then(setDetails, () => undefined);
  }, [phase]);

  const ticking = summary && !summary.finishedAt;
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);

  const toggle = useCallback(
    (nodeId: string) => {
      const on = expand.includes(nodeId);
      if (!on && graph) {
        const n = graph.nodes.find((x) => x.id === nodeId);
        if (n?.kind === 'group' || n?.kind === 'chain') {
          const mark = n.kind === 'group' ? markOf(n) : { parent: n.parent ?? null, prefix: '', label: n.label };
          const next = { ...marks, [nodeId]: mark };
          setMarks(next);
          sessionStorage.setItem(MARKS_KEY, JSON.stringify(next));
        }
      }
      nav({ expand: (on ? expand.filter((x) => x !== nodeId) : [...expand, nodeId]).join(',') || null }, true);
    },
    [expand.join(','), graph, marks, task, tab],
  );
  const select = useCallback((taskId: string) => nav({ task: taskId }), [expand.join(','), tab]);
  const blockGroups = useCallback(
    (blocks: Block[]) => {
      const out = new Map<string, string>();
      for (const g of expand) {
        const m = marks[g];
        if (!m || m.label) continue;
        const b = blocks.find((b) => (b.parent ?? null) === m.parent && b.members.every((id) => id.startsWith(m.prefix)));
        if (b) out.set(b.id, g);
      }
      return out;
    },
    [expand.join(','), marks],
  );

  const s = summary ?? details;
  return (
    <section class="page workflow-page">
      <div class="wf-head">
        <div class="wf-title">
          <a href="#/" class="crumb">
            Workflows
          </a>
          <span class="crumb-sep">/</span>
          <span class="muted">{id.slice(0, id.indexOf('/'))}</span>
          <span class="crumb-sep">/</span>
          <h1 data-testid="workflow-name">{id.slice(id.indexOf('/') + 1)}</h1>
          {s ? (
            <span class={`badge ${phaseClass(s.phase)}`} data-testid="workflow-phase">
              {s.phase}
            </span>
          ) : null}
          {s && ENDED.includes(s.phase) ? null : (
            // Only while the run can still change: an ended one is watched only for a resume.
            <span class={`live ${live ? 'on' : ''}`} data-testid="live-badge" title={live ? 'Live updates connected' : 'Reconnecting…'}>
              {live ? 'live' : 'offline'}
            </span>
          )}
        </div>
        {s ? (
          <div class="wf-facts">
            <Progress counts={s.counts} />
            <span>
              <b>Started</b> {time(s.startedAt) || '—'}
            </span>
            <span>
              <b>Duration</b> {duration(s.finishedAt ? s.durationMs : since(s.startedAt, now)) || '—'}
            </span>
            {details?.output ? (
              <span>
                <b>Output</b>{' '}
                <a href="#" onClick={(e) => (e.preventDefault(), select(details.output!))}>
                  {details.output}
                </a>
              </span>
            ) : null}
            {details && Object.keys(details.labels ?? {}).length ? (
              <span class="labels">
                {Object.entries(details.labels).map(([k, v]) => (
                  <code key={k}>
                    {k}={v}
                  </code>
                ))}
              </span>
            ) : null}
            {info?.actions && s ? <Actions id={id} phase={s.phase} /> : null}
          </div>
        ) : null}
        {s?.message && s.message.toLowerCase() !== s.phase.toLowerCase() ? (
          <div class={`wf-message ${phaseClass(s.phase)}`} data-testid="workflow-message">
            {s.message}
          </div>
        ) : null}
      </div>
      {error ? <div class="banner error" data-testid="workflow-error">{error}</div> : null}
      <div class="tabs" role="tablist">
        {(['graph', 'timeline', 'conditions'] as Tab[]).map((t) => (
          <button key={t} role="tab" class={tab === t ? 'active' : ''} data-testid={`tab-${t}`} onClick={() => nav({ tab: t === 'graph' ? null : t }, true)}>
            {t === 'graph' ? 'Graph' : t === 'timeline' ? 'Timeline' : 'Conditions & events'}
          </button>
        ))}
        {expand.length ? (
          <span class="expanded-list">
            Expanded:{' '}
            {expand.map((g) => (
              <button key={g} class="chip" data-testid="expanded-chip" title="Collapse" onClick={() => toggle(g)}>
                {chipLabel(g, marks)} ✕
              </button>
            ))}
          </span>
        ) : null}
      </div>
      <div class={`wf-body ${task ? 'with-panel' : ''}`}>
        <div class="wf-main">
          {tab === 'graph' ? (
            graph ? (
              <DagView graph={graph} now={now} selected={task} onSelect={select} onToggle={toggle} blockGroups={blockGroups} />
            ) : (
              <div class="dag-busy">Loading the graph…</div>
            )
          ) : null}
          {tab === 'timeline' && graph ? <Timeline workflow={id} graph={graph} now={now} onSelect={select} selected={task} /> : null}
          {tab === 'conditions' ? <Conditions details={details} /> : null}
        </div>
        {task ? <TaskPanel key={task} workflow={id} taskId={task} node={graph?.nodes.find((n) => n.id === task)} now={now} onClose={() => nav({ task: null })} output={details?.output === task} /> : null}
      </div>
    </section>
  );
}

function markOf(n: GraphNode): GroupMark {
  // The server labels a group by its members' common id prefix (without the parent's scope),
  // a star and the count: "map.element-* (10000)".
  const prefix = n.label.replace(/\s*\(\d+\)\s*$/, '').replace(/\*$/, '');
  return { parent: n.parent ?? null, prefix: n.parent ? `${n.parent}.${prefix}` : prefix };
}

function chipLabel(id: string, marks: Record<string, GroupMark>): string {
  const m = marks[id];
  if (m?.label) return m.label;
  if (m) return `${m.prefix}*`;
  return id.startsWith('group:') ? 'group' : id.startsWith('chain:') ? 'chain' : id;
}

/** Applies a live event's changed nodes to the graph. */
function patch(g: Graph, changed: GraphNode[]): Graph {
  const byId = new Map(changed.map((n) => [n.id, n]));
  return { ...g, nodes: g.nodes.map((n) => byId.get(n.id) ?? n) };
}

function Actions({ id, phase }: { id: string; phase: string }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const run = async (action: string) => {
    if (action === 'cancel' && !confirm(`Cancel ${id}?`)) return;
    setBusy(action);
    setMessage(null);
    try {
      await postAction(id, action);
      setMessage(`${action} sent`);
    } catch (e) {
      setMessage(String((e as Error).message));
    } finally {
      setBusy(null);
    }
  };
  const ended = ENDED.includes(phase);
  const buttons: [string, boolean][] = [
    ['suspend', phase === 'Running' || phase === 'Pending'],
    ['unsuspend', phase === 'Suspended'],
    ['resume', phase === 'Failed' || phase === 'Interrupted' || phase === 'Canceled'],
    ['cancel', !ended],
  ];
  return (
    <span class="actions" data-testid="actions">
      {buttons.map(([a, enabled]) => (
        <button key={a} class={a === 'cancel' ? 'danger' : ''} disabled={!enabled || busy !== null} onClick={() => run(a)} data-testid={`action-${a}`}>
          {busy === a ? '…' : a[0].toUpperCase() + a.slice(1)}
        </button>
      ))}
      {message ? <span class="muted">{message}</span> : null}
    </span>
  );
}

function Conditions({ details }: { details: Details | null }) {
  if (!details) return <div class="dag-busy">Loading…</div>;
  return (
    <div class="conditions" data-testid="conditions">
      <h2>Conditions</h2>
      {details.conditions.length ? (
        <table class="plain">
          <thead>
            <tr>
              <th>Type</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Message</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {details.conditions.map((c) => (
              <tr key={c.type}>
                <td>{c.type}</td>
                <td>
                  <span class={`badge ${c.status === 'True' ? 'succeeded' : 'pending'}`}>{c.status}</span>
                </td>
                <td>{c.reason}</td>
                <td class="message">{c.message}</td>
                <td class="nowrap muted">{time(c.lastTransitionTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No conditions.</p>
      )}
      <h2>Events</h2>
      {details.events.length ? (
        <table class="plain">
          <thead>
            <tr>
              <th>Type</th>
              <th>Reason</th>
              <th>Message</th>
              <th>Count</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {details.events.map((e, i) => (
              <tr key={i} class={e.type === 'Warning' ? 'warning' : ''}>
                <td>{e.type}</td>
                <td>{e.reason}</td>
                <td class="message">{e.message}</td>
                <td>{e.count}</td>
                <td class="nowrap muted">{time(e.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No events (a local store records none; a cluster's Kubernetes events show here).</p>
      )}
    </div>
  );
}
