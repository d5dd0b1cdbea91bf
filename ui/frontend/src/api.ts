// The server's JSON shapes (docs/ui.md) and how to ask for them.

export interface Counts {
  total: number;
  succeeded: number;
  running: number;
  pending: number;
  failed: number;
}

export interface Summary {
  id: string;
  namespace: string;
  name: string;
  phase: string;
  counts: Counts;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  message: string | null;
}

export interface Condition {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
  lastTransitionTime: string | null;
}

export interface KubeEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeen: string | null;
}

export interface Details extends Summary {
  output: string | null;
  labels: Record<string, string>;
  conditions: Condition[];
  events: KubeEvent[];
}

export interface Page {
  items: Summary[];
  continue: string | null;
}

export interface Info {
  target: string;
  actions: boolean;
}

export type NodeKind = 'task' | 'group' | 'continuation' | 'map' | 'chain';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  state: string;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  message?: string;
  parent?: string;
  counts?: Record<string, number>;
  size?: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: [string, string][];
  output: string | null;
}

export interface StatusEvent {
  summary: Summary;
  graph?: Graph;
  nodes?: GraphNode[];
}

export interface Attempt {
  number: number;
  session?: number;
  verdict: string | null;
  error: string | null;
  exitCode?: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  pod: string | null;
}

export interface TaskDetail {
  id: string;
  state: string;
  kind: string;
  function?: string;
  image?: string;
  command?: string[];
  resources: Record<string, string>;
  metadata: Record<string, unknown>;
  checkpoint?: string | null;
  attempts: Attempt[];
  output?: { size: number; truncated: boolean } | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function failure(r: Response, url: string): Promise<ApiError> {
  let message = `${r.status} ${r.statusText}`;
  try {
    const body = await r.text();
    try {
      const json = JSON.parse(body);
      message = json.error ?? json.message ?? body;
    } catch {
      if (body) message = body;
    }
  } catch {
    // keep the status line
  }
  return new ApiError(r.status, `${url}: ${message}`);
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const r = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!r.ok) throw await failure(r, url);
  return (await r.json()) as T;
}

export async function getText(url: string, signal?: AbortSignal): Promise<{ text: string; headers: Headers }> {
  const r = await fetch(url, { signal });
  if (!r.ok) throw await failure(r, url);
  return { text: await r.text(), headers: r.headers };
}

export async function postAction(id: string, action: string): Promise<void> {
  const url = `${workflowPath(id)}/actions/${action}`;
  // The header keeps other sites' forms out (the server refuses actions without it).
  const r = await fetch(url, { method: 'POST', headers: { 'X-Cairn-Action': '1' } });
  if (!r.ok) throw await failure(r, url);
}

export function workflowPath(id: string): string {
  const slash = id.indexOf('/');
  return `api/workflows/${encodeURIComponent(id.slice(0, slash))}/${encodeURIComponent(id.slice(slash + 1))}`;
}

export function taskPath(id: string, task: string): string {
  return `${workflowPath(id)}/tasks/${encodeURIComponent(task)}`;
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Listens to a server-sent event stream; the browser reconnects by itself after a drop. Returns
 * the function that stops listening.
 */
export function listen(
  url: string,
  handlers: Record<string, (data: any) => void>,
  onState?: (connected: boolean) => void,
): () => void {
  const source = new EventSource(url);
  for (const [name, handler] of Object.entries(handlers)) {
    source.addEventListener(name, (e) => {
      // A dropped connection fires a plain 'error' event too, without data: onerror handles it.
      const data = (e as MessageEvent).data;
      if (typeof data === 'string') handler(JSON.parse(data));
    });
  }
  source.onopen = () => onState?.(true);
  source.onerror = () => onState?.(false);
  return () => source.close();
}
