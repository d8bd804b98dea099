import type { RunSpec } from '../model/run-spec.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

type Pending = (reply: WorkerReply) => void;

/** The page's handle on the run worker: one request at a time per id, answered by promise. */
export class RunWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private ensure(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./run-worker.ts', import.meta.url), { type: 'module', name: 'dsim-run' });
      this.worker.onmessage = (message: MessageEvent<WorkerReply>) => {
        const resolve = this.pending.get(message.data.id);
        this.pending.delete(message.data.id);
        resolve?.(message.data);
      };
      this.worker.onerror = (error) => {
        for (const resolve of this.pending.values())
          resolve({ type: 'error', id: -1, message: `the run worker failed: ${error.message}` });
        this.pending.clear();
        this.worker?.terminate();
        this.worker = undefined;
      };
    }
    return this.worker;
  }

  private request(build: (id: number) => WorkerRequest): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ensure().postMessage(build(id));
    });
  }

  run(run: RunSpec): Promise<WorkerReply> {
    return this.request((id) => ({ type: 'run', id, run }));
  }

  hash(run: RunSpec): Promise<WorkerReply> {
    return this.request((id) => ({ type: 'hash', id, run }));
  }

  hashes(scenarios: readonly string[], seeds: readonly number[]): Promise<WorkerReply> {
    return this.request((id) => ({ type: 'hashes', id, scenarios, seeds }));
  }
}
