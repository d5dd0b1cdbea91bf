import { useEffect, useState } from 'preact/hooks';
import { getJson, listen, Page, query, Summary } from './api';
import { duration, since, time } from './format';
import { go, workflowHref } from './main';
import { phaseClass, PHASES } from './states';

const LIMIT = 50;

function limitOf(params: URLSearchParams): number {
  const n = Number(params.get('limit'));
  return Number.isInteger(n) && n >= 1 && n <= 500 ? n : LIMIT;
}

/** The workflows, filtered and paged by the server; the page follows changes live. */
export function WorkflowList({ params }: { params: URLSearchParams }) {
  const phase = params.get('phase') ?? '';
  const name = params.get('name') ?? '';
  const label = params.get('label') ?? '';
  const token = params.get('continue') ?? '';
  const back = params.get('back') ?? '';
  const limit = limitOf(params);
  const size = params.get('limit') ? String(limit) : '';
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const [draft, setDraft] = useState({ name, label });

  useEffect(() => setDraft({ name, label }), [name, label]);

  useEffect(() => {
    const q = query({ phase, name, label, limit, continue: token });
    const abort = new AbortController();
    setError(null);
    getJson<Page>(`api/workflows${q}`, abort.signal).then(setPage, (e) => {
      if (e.name !== 'AbortError') setError(String(e.message ?? e));
    });
    const stop = listen(`api/events${q}`, {
      list: (p: Page) => setPage(p),
      error: (e: { error?: string; message?: string }) => setError(e.error ?? e.message ?? 'the live feed failed'),
    });
    return () => {
      abort.abort();
      stop();
    };
  }, [phase, name, label, token, limit]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const filters = (over: Record<string, string>) => go('/', { phase, name, label, limit: size, ...over }, true);
  const submit = (e: Event) => {
    e.preventDefault();
    filters({ name: draft.name.trim(), label: draft.label.trim() });
  };

  return (
    <section class="page list-page">
      <div class="page-head">
        <h1>Workflows</h1>
        <form class="filters" onSubmit={submit} data-testid="filters">
          <select aria-label="Phase" data-testid="filter-phase" value={phase} onChange={(e) => filters({ phase: (e.target as HTMLSelectElement).value })}>
            <option value="">All phases</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <input
            type="search"
            placeholder="Name contains"
            data-testid="filter-name"
            value={draft.name}
            onInput={(e) => setDraft({ ...draft, name: (e.target as HTMLInputElement).value })}
          />
          <input
            type="search"
            placeholder="Label key=value"
            data-testid="filter-label"
            value={draft.label}
            onInput={(e) => setDraft({ ...draft, label: (e.target as HTMLInputElement).value })}
          />
          <button type="submit">Filter</button>
        </form>
      </div>
      {error ? <div class="banner error" data-testid="list-error">{error}</div> : null}
      <div class="table-wrap">
        <table class="workflows" data-testid="workflow-table">
          <thead>
            <tr>
              <th>Namespace</th>
              <th>Name</th>
              <th>Phase</th>
              <th class="progress-col">Progress</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((w) => <Row key={w.id} w={w} now={now} />)}
            {page && page.items.length === 0 ? (
              <tr>
                <td colSpan={7} class="empty">
                  No workflows{phase || name || label ? ' match these filters' : ' yet'}.
                </td>
              </tr>
            ) : null}
            {!page && !error ? (
              <tr>
                <td colSpan={7} class="empty">
                  Loading…
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <div class="pager">
        {token ? (
          <button data-testid="first-page" onClick={() => go('/', { phase, name, label, limit: size }, false)}>
            ⟵ First page
          </button>
        ) : null}
        {back ? <button onClick={() => history.back()}>← Previous</button> : null}
        {page?.continue ? (
          <button data-testid="next-page" onClick={() => go('/', { phase, name, label, limit: size, continue: page.continue!, back: token || 'first' })}>
            Next page →
          </button>
        ) : null}
      </div>
    </section>
  );
}

function Row({ w, now }: { w: Summary; now: number }) {
  const running = !w.finishedAt && w.phase === 'Running';
  const ms = running ? since(w.startedAt, now) : w.durationMs;
  return (
    <tr data-testid="workflow-row" data-id={w.id} onClick={() => (location.hash = workflowHref(w.id))}>
      <td class="muted">{w.namespace}</td>
      <td>
        <a href={workflowHref(w.id)} class="wf-name">
          {w.name}
        </a>
      </td>
      <td>
        <span class={`badge ${phaseClass(w.phase)}`} data-testid="phase">
          {w.phase}
        </span>
      </td>
      <td>
        <Progress counts={w.counts} />
      </td>
      <td class="muted nowrap">{time(w.startedAt)}</td>
      <td class="nowrap">{duration(ms)}</td>
      <td class="message" title={w.message ?? ''}>
        {w.message}
      </td>
    </tr>
  );
}

export function Progress({ counts }: { counts: Summary['counts'] }) {
  const total = Math.max(1, counts.total);
  const pct = (n: number) => `${(n / total) * 100}%`;
  return (
    <div class="progress" title={`${counts.succeeded} succeeded, ${counts.running} running, ${counts.pending} pending, ${counts.failed} failed of ${counts.total}`}>
      <div class="bar">
        <span class="succeeded" style={{ width: pct(counts.succeeded) }} />
        <span class="running" style={{ width: pct(counts.running) }} />
        <span class="failed" style={{ width: pct(counts.failed) }} />
      </div>
      <span class="progress-text">
        {counts.succeeded.toLocaleString()}/{counts.total.toLocaleString()}
      </span>
    </div>
  );
}
