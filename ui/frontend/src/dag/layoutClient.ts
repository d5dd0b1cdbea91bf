import type { LayoutInput, LayoutOutput } from './model';

// One layout worker for the page: dagre runs there, off the page's thread.
let worker: Worker | null = null;
let seq = 0;
const pending = new Map<number, (o: LayoutOutput) => void>();

/** Starts the layout worker early, so that loading it overlaps the wait for the graph. */
export function warmLayout() {
  layoutWorker();
}

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => {
      const resolve = pending.get(e.data.seq);
      pending.delete(e.data.seq);
      resolve?.(e.data.output);
    };
  }
  return worker;
}

export function layoutOff(input: LayoutInput): Promise<LayoutOutput> {
  const w = layoutWorker();
  const id = ++seq;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    w.postMessage({ seq: id, input });
  });
}
