import type { Verdict } from '../model/linearizability.ts';
import type { ClientOperation } from '../model/trace-model.ts';
import type { AnalysisReply, AnalysisRequest } from './analysis-protocol.ts';

export interface AnalysisHandlers {
  hash(hash: string): void;
  verdict(verdict: Verdict): void;
  error(message: string): void;
}

/** One trace's analysis: its text or bytes as they are read, then its operations. */
export interface AnalysisSession {
  text(piece: string): void;
  /** Raw UTF-8 bytes of the trace, handed over: the caller must not touch them afterwards. */
  bytes(piece: Uint8Array): void;
  end(operations: readonly ClientOperation[]): void;
}

/**
 * The page's handle on the analysis worker. A new trace supersedes the one being analysed: its
 * worker is terminated, so a slow check of an old trace never delays the new one.
 */
export class AnalysisWorker {
  private worker: Worker | undefined;
  private nextId = 1;

  begin(handlers: AnalysisHandlers): AnalysisSession {
    this.worker?.terminate();
    const worker = new Worker(new URL('./analysis-worker.ts', import.meta.url), {
      type: 'module',
      name: 'dsim-analysis',
    });
    this.worker = worker;
    const id = this.nextId++;
    worker.onmessage = (message: MessageEvent<AnalysisReply>) => {
      const reply = message.data;
      if (reply.id !== id) return;
      if (reply.type === 'hash') handlers.hash(reply.hash);
      else {
        if (reply.type === 'verdict') handlers.verdict(reply.verdict);
        else handlers.error(reply.message);
        worker.terminate();
        if (this.worker === worker) this.worker = undefined;
      }
    };
    worker.onerror = (event) => {
      handlers.error(`the analysis worker failed: ${event.message}`);
      worker.terminate();
      if (this.worker === worker) this.worker = undefined;
    };
    const post = (request: AnalysisRequest, transfer: Transferable[] = []) => worker.postMessage(request, transfer);
    return {
      text: (piece) => post({ type: 'text', id, text: piece }),
      bytes: (piece) => {
        // A piece that owns its whole buffer moves to the worker without a copy.
        const owned = piece.byteOffset === 0 && piece.byteLength === piece.buffer.byteLength;
        const moved = owned ? piece : piece.slice();
        post({ type: 'bytes', id, bytes: moved }, [moved.buffer]);
      },
      end: (operations) => post({ type: 'end', id, operations }),
    };
  }

  /** Stops the analysis under way, if any (a newer load replaces it). */
  cancel(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }
}
