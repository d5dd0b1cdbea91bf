import { useEffect, useState } from 'preact/hooks';
import { getJson, getText, GraphNode, query, TaskDetail, taskPath } from './api';
import { bytes, duration, since, time } from './format';
import { colours } from './states';

type Tab = 'attempts' | 'log' | 'output' | 'artifacts' | 'details';

/** A task: its attempts, log, output, metadata and resources, beside the graph. */
export function TaskPanel({ workflow, taskId, node, now, onClose, output }: { workflow: string; taskId: string; node?: GraphNode; now: number; onClose: () => void; output: boolean }) {
  const [tab, setTab] = useState<Tab>('attempts');
  const [detail, setDetail] = useState<TaskDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const state = node?.state ?? detail?.state;
  // Read again whenever the graph says the task moved on (a new attempt, a verdict).
  const version = `${node?.state}|${node?.attempts}|${node?.finishedAt}`;
  useEffect(() => {
    const abort = new AbortController();
    getJson<TaskDetail>(taskPath(workflow, taskId), abort.signal).then(
      (d) => (setDetail(d), setError(null)),
      (e) => e.name !== 'AbortError' && setError(String(e.message ?? e)),
    );
    return () => abort.abort();
  }, [workflow, taskId, version]);

  return (
    <aside class="task-panel" data-testid="task-panel" data-task={taskId}>
      <div class="panel-head">
        <div>
          <div class="panel-kicker">Task{output ? ' · workflow output' : ''}</div>
          <h2 title={taskId}>{taskId}</h2>
        </div>
        {state ? (
          <span class="badge" data-testid="task-state" style={{ background: colours(state).fill, color: colours(state).text, borderColor: colours(state).stroke }}>
            {state}
            {state === 'running' && node?.startedAt ? ` · ${duration(since(node.startedAt, now))}` : ''}
          </span>
        ) : null}
        <button class="close" title="Close" onClick={onClose} data-testid="close-panel">
          ✕
        </button>
      </div>
      {node?.message ? <div class="wf-message failed" data-testid="task-message">{node.message}</div> : null}
      <div class="tabs small">
        {(['attempts', 'log', 'output', 'artifacts', 'details'] as Tab[]).map((t) => (
          <button key={t} class={tab === t ? 'active' : ''} data-testid={`task-tab-${t}`} onClick={() => setTab(t)}>
            {t[0].toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      <div class="panel-body">
        {error ? <div class="banner error">{error}</div> : null}
        {tab === 'attempts' ? <Attempts detail={detail} /> : null}
        {tab === 'log' ? <Log workflow={workflow} taskId={taskId} detail={detail} version={version} running={state === 'running'} /> : null}
        {tab === 'output' ? <Output workflow={workflow} taskId={taskId} version={version} /> : null}
        {tab === 'artifacts' ? <Artifacts workflow={workflow} taskId={taskId} version={version} /> : null}
        {tab === 'details' ? <Meta detail={detail} /> : null}
      </div>
    </aside>
  );
}

function Attempts({ detail }: { detail: TaskDetail | null }) {
  if (!detail) return <p class="muted">Loading…</p>;
  if (!detail.attempts.length) return <p class="muted">No attempt yet.</p>;
  return (
    <div class="attempts" data-testid="attempts">
      {detail.attempts.map((a) => (
        <div key={`${a.session ?? 0}-${a.number}`} class="attempt" data-testid="attempt">
          <div class="attempt-head">
            <b>Attempt {a.number}</b>
            {a.session ? <span class="muted"> · session {a.session}</span> : null}
            <span class={`badge ${verdictClass(a.verdict)}`} data-testid="verdict">
              {a.verdict ?? 'running'}
            </span>
            <span class="muted">{duration(a.durationMs)}</span>
          </div>
          <div class="attempt-facts muted">
            {time(a.startedAt)}
            {a.finishedAt ? ` → ${time(a.finishedAt)}` : ''}
            {a.exitCode !== undefined ? ` · exit ${a.exitCode}` : ''}
            {a.pod ? ` · pod ${a.pod}` : ''}
          </div>
          {a.error ? (
            <pre class="error-text" data-testid="attempt-error">
              {a.error}
            </pre>
          ) : null}
        </div>
      ))}
    </div>
  );
}

function verdictClass(v: string | null): string {
  switch ((v ?? 'running').toLowerCase()) {
    case 'succeeded':
    case 'expanded':
      return 'succeeded';
    case 'caught':
      return 'caught';
    case 'running':
      return 'running';
    case 'stopped':
      return 'pending';
    default:
      return 'failed'; // failed, crashed
  }
}

function Log({ workflow, taskId, detail, version, running }: { workflow: string; taskId: string; detail: TaskDetail | null; version: string; running: boolean }) {
  const attempts = detail?.attempts.length ?? 0;
  const [attempt, setAttempt] = useState<number | null>(null);
  const [log, setLog] = useState<{ text: string; location: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A running attempt's log grows: read it again every two seconds until the task moves on.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setTick((n) => n + 1), 2000);
    return () => clearInterval(t);
  }, [running]);
  useEffect(() => {
    const abort = new AbortController();
    getText(`${taskPath(workflow, taskId)}/log${query({ attempt })}`, abort.signal).then(
      (r) => (setLog({ text: r.text, location: r.headers.get('X-Cairn-Log-Location') }), setError(null)),
      (e) => {
        if (e.name === 'AbortError') return;
        // No attempt yet, or none with a log: not a failure of the page.
        if (e.status === 404) setLog({ text: '(no log yet)', location: null });
        else setError(String(e.message ?? e));
      },
    );
    return () => abort.abort();
  }, [workflow, taskId, attempt, version, tick]);
  return (
    <div class="log">
      <div class="log-bar">
        {attempts > 1 ? (
          <select value={attempt ?? ''} onChange={(e) => setAttempt(Number((e.target as HTMLSelectElement).value) || null)}>
            <option value="">Latest attempt</option>
            {detail!.attempts.map((a) => (
              <option key={a.number} value={a.number}>
                Attempt {a.number}
              </option>
            ))}
          </select>
        ) : null}
        {log?.location ? <span class="muted small">{log.location}</span> : null}
      </div>
      {error ? <div class="banner error">{error}</div> : null}
      <pre class="log-text" data-testid="log-text">
        {log ? log.text || '(empty log)' : 'Loading…'}
      </pre>
    </div>
  );
}

function Output({ workflow, taskId, version }: { workflow: string; taskId: string; version: string }) {
  const [out, setOut] = useState<{ text: string; truncated: boolean; size: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const url = `${taskPath(workflow, taskId)}/output`;
  useEffect(() => {
    const abort = new AbortController();
    getText(url, abort.signal).then(
      (r) => {
        setError(null);
        setOut({ text: pretty(r.text), truncated: r.headers.get('X-Cairn-Truncated') === 'true', size: Number(r.headers.get('X-Cairn-Size') ?? r.text.length) });
      },
      (e) => e.name !== 'AbortError' && setError(String(e.message ?? e)),
    );
    return () => abort.abort();
  }, [url, version]);
  if (error) return <div class="banner muted-banner" data-testid="output-missing">{error}</div>;
  if (!out) return <p class="muted">Loading…</p>;
  return (
    <div class="output">
      <div class="log-bar">
        <span class="muted small">{bytes(out.size)}</span>
        {out.truncated ? <span class="badge caught">truncated</span> : null}
        <a href={`${url}?download=1`} download data-testid="output-download">
          Download{out.truncated ? ' the whole value' : ''}
        </a>
      </div>
      <pre class="json" data-testid="output-text">
        {out.text}
      </pre>
    </div>
  );
}

/** The files the task's committed (else last) attempt wrote under $CAIRN_ARTIFACTS. */
function Artifacts({ workflow, taskId, version }: { workflow: string; taskId: string; version: string }) {
  const [items, setItems] = useState<{ path: string; size: number }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const url = `${taskPath(workflow, taskId)}/artifacts`;
  useEffect(() => {
    const abort = new AbortController();
    getJson<{ items: { path: string; size: number }[] }>(url, abort.signal).then(
      (r) => {
        setError(null);
        setItems(r.items);
      },
      (e) => e.name !== 'AbortError' && setError(String(e.message ?? e)),
    );
    return () => abort.abort();
  }, [url, version]);
  if (error) return <div class="banner muted-banner" data-testid="artifacts-missing">{error}</div>;
  if (!items) return <p class="muted">Loading…</p>;
  if (items.length === 0) return <p class="muted" data-testid="artifacts-none">No artifacts: the attempt wrote nothing under $CAIRN_ARTIFACTS.</p>;
  return (
    <table class="artifacts" data-testid="artifacts">
      <tbody>
        {items.map((a) => (
          <tr key={a.path}>
            <td class="mono">{a.path}</td>
            <td class="muted small">{bytes(a.size)}</td>
            <td>
              <a href={`${url}/${a.path.split('/').map(encodeURIComponent).join('/')}`} download data-testid="artifact-download">
                Download
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text; // cut at the size limit: shown as the server sent it
  }
}

function Meta({ detail }: { detail: TaskDetail | null }) {
  if (!detail) return <p class="muted">Loading…</p>;
  const rows: [string, string][] = [['Kind', detail.kind]];
  if (detail.function) rows.push(['Function', detail.function]);
  if (detail.image) rows.push(['Image', detail.image]);
  if (detail.command) rows.push(['Command', detail.command.join(' ')]);
  if (detail.checkpoint) rows.push(['Checkpoint', detail.checkpoint]);
  return (
    <div class="meta" data-testid="task-details">
      <dl>
        {rows.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>
              <code>{v}</code>
            </dd>
          </>
        ))}
      </dl>
      <h3>Resources</h3>
      {Object.keys(detail.resources).length ? (
        <dl>
          {Object.entries(detail.resources).map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </>
          ))}
        </dl>
      ) : (
        <p class="muted">None requested.</p>
      )}
      <h3>Metadata</h3>
      {Object.keys(detail.metadata).length ? <pre class="json">{JSON.stringify(detail.metadata, null, 2)}</pre> : <p class="muted">None.</p>}
    </div>
  );
}
