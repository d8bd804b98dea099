import { parentPort, workerData } from 'node:worker_threads';
import {
  checkPartition,
  modelFactories,
  type KeyLinearizability,
  type ModelOptions,
  type Partition,
} from '@dsim/check';

/** What every check worker is started with. */
export interface CheckWorkerData {
  readonly model: string;
  readonly modelOptions: ModelOptions;
  readonly uniqueWrites: boolean;
  /** Date.now() past which a search stops with `unknown` (Infinity for no time budget). */
  readonly deadline: number;
}

/** One key to decide, with the steps it may use; or the end. */
export type CheckRequest =
  { readonly index: number; readonly partition: Partition; readonly maxSteps: number } | { readonly stop: true };

export type CheckReply =
  | { readonly index: number; readonly result: KeyLinearizability }
  | { readonly index: number; readonly steps: number; readonly progress: true }
  | { readonly index: number; readonly error: string };

if (parentPort) {
  const data = workerData as CheckWorkerData;
  const factory = modelFactories[data.model]!;
  const model = factory(data.modelOptions);
  const port = parentPort;
  port.on('message', (request: CheckRequest) => {
    if ('stop' in request) {
      port.close();
      return;
    }
    try {
      const result = checkPartition(request.partition, model, {
        maxSteps: request.maxSteps,
        uniqueWrites: data.uniqueWrites,
        poll: (steps) => {
          port.postMessage({ index: request.index, steps, progress: true } satisfies CheckReply);
          return Date.now() > data.deadline;
        },
      });
      port.postMessage({ index: request.index, result } satisfies CheckReply);
    } catch (error) {
      port.postMessage({ index: request.index, error: (error as Error).message } satisfies CheckReply);
    }
  });
}
