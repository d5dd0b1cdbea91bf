import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson, Info } from './api';
import { WorkflowList } from './list';
import { WorkflowPage } from './workflow';
import './style.css';

/** Routes live in the hash (#/workflows/NS/NAME?task=ID), so any server path serves the page. */
export interface Route {
  page: 'list' | 'workflow';
  id?: string;
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, q] = raw.split('?');
  const params = new URLSearchParams(q ?? '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'workflows' && parts.length >= 3) {
    return { page: 'workflow', id: `${parts[1]}/${parts.slice(2).join('/')}`, params };
  }
  return { page: 'list', params };
}

export function go(path: string, params?: Record<string, string | null | undefined>, replace = false) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const s = q.toString();
  const hash = `#${path}${s ? `?${s}` : ''}`;
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function workflowHref(id: string): string {
  const slash = id.indexOf('/');
  return `#/workflows/${encodeURIComponent(id.slice(0, slash))}/${encodeURIComponent(id.slice(slash + 1))}`;
}

function App() {
  const [route, setRoute] = useState(() => parse(location.hash));
  const [info, setInfo] = useState<Info | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const on = () => setRoute(parse(location.hash));
    window.addEventListener('hashchange', on);
    window.addEventListener('popstate', on);
    getJson<Info>('api/info').then(setInfo, (e) => setError(String(e.message ?? e)));
    return () => {
      window.removeEventListener('hashchange', on);
      window.removeEventListener('popstate', on);
    };
  }, []);
  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href="#/">
          <svg viewBox="0 0 16 16" width="20" height="20" aria-hidden="true">
            <ellipse cx="8" cy="13" rx="6" ry="2.5" fill="#cbd5e1" />
            <ellipse cx="8" cy="8.5" rx="4.5" ry="2.2" fill="#e2e8f0" />
            <ellipse cx="8" cy="4.5" rx="3" ry="1.8" fill="#f8fafc" />
          </svg>
          Cairn
        </a>
        <nav>
          <a href="#/" class={route.page === 'list' ? 'active' : ''}>
            Workflows
          </a>
        </nav>
        <span class="target" data-testid="target">
          {info ? info.target : ''}
          {info && !info.actions ? <span class="readonly">read-only</span> : null}
        </span>
      </header>
      {error ? <div class="banner error">The server cannot be reached: {error}</div> : null}
      <main>
        {route.page === 'workflow' && route.id ? (
          <WorkflowPage key={route.id} id={route.id} params={route.params} info={info} />
        ) : (
          <WorkflowList params={route.params} />
        )}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
