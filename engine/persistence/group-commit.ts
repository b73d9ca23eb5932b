/**
 * Group commit: commands that finish while a transaction is being written
 * share the next one. Each caller still learns exactly its own outcome — when
 * a shared transaction fails (say one command lost an optimistic lock), every
 * command in it is retried in a transaction of its own, so one conflict never
 * fails or delays the decision of another command.
 */
import type { Mutation, Store } from './store.js';

interface Pending {
  mutations: readonly Mutation[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most commands in one transaction. Default 128. */
  maxBatch?: number;
  /** Transactions written at the same time (1 for SQLite, the pool size for PostgreSQL). */
  maxInFlight?: number;
}

export class GroupCommitter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly store: Store,
    opts: GroupCommitOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 128;
    this.maxInFlight = opts.maxInFlight ?? 1;
  }

  commit(mutations: readonly Mutation[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ mutations, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // Let every command that is about to commit in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight++;
    try {
      if (batch.length === 1) {
        await this.one(batch[0]!);
        return;
      }
      try {
        await this.store.commit(batch.flatMap((p) => p.mutations));
        for (const p of batch) p.resolve();
      } catch {
        for (const p of batch) await this.one(p);
      }
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async one(p: Pending): Promise<void> {
    try {
      await this.store.commit(p.mutations);
      p.resolve();
    } catch (e) {
      p.reject(e);
    }
  }
}
