/**
 * The job executor: acquires due jobs in batches (row locks on PostgreSQL, so
 * several nodes share the work), runs them with bounded concurrency, and
 * sleeps until the next due date, a wake-up from a command that created a job,
 * or the poll interval — whichever comes first.
 */
import type { JobRow } from '../persistence/store.js';

export interface JobExecutorOptions {
  /** Lock owner name of this node. Default: a random id. */
  lockOwner?: string;
  /** How long an acquired job stays locked (a node that dies releases its jobs when this expires). Default 5 minutes. */
  lockTimeMs?: number;
  /** Jobs claimed per acquisition. Default 10. */
  maxJobsPerAcquisition?: number;
  /** Jobs run at the same time. Default 4. */
  concurrency?: number;
  /** Longest sleep between acquisitions: the safety net for jobs created by other nodes. Default 1000 ms. */
  pollIntervalMs?: number;
}

export interface JobExecutorHost {
  acquire(owner: string, lockTimeMs: number, max: number): Promise<JobRow[]>;
  run(job: JobRow): Promise<void>;
  nextDueDate(): Promise<Date | null>;
  now(): Date;
  onError(e: unknown): void;
}

export class JobExecutor {
  readonly lockOwner: string;
  private readonly lockTimeMs: number;
  private readonly max: number;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly host: JobExecutorHost,
    opts: JobExecutorOptions = {},
  ) {
    this.lockOwner = opts.lockOwner ?? `node-${Math.random().toString(36).slice(2, 10)}`;
    this.lockTimeMs = opts.lockTimeMs ?? 300_000;
    this.max = opts.maxJobsPerAcquisition ?? 10;
    this.concurrency = opts.concurrency ?? 4;
    this.pollMs = opts.pollIntervalMs ?? 1000;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.active]);
  }

  /** A command created a job: look for work now instead of waiting for the poll. */
  wake(): void {
    this.woken = true;
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let acquired = 0;
      try {
        const free = this.concurrency - this.active.size;
        if (free > 0) {
          const jobs = await this.host.acquire(this.lockOwner, this.lockTimeMs, Math.min(this.max, free));
          acquired = jobs.length;
          for (const job of jobs) {
            const p = this.host.run(job).catch((e: unknown) => this.host.onError(e));
            this.active.add(p);
            void p.finally(() => {
              this.active.delete(p);
              this.wake();
            });
          }
        }
      } catch (e) {
        this.host.onError(e);
      }
      if (!this.running) break;
      if (acquired > 0 && this.active.size < this.concurrency) continue;
      await this.sleep();
    }
  }

  private async sleep(): Promise<void> {
    if (this.woken) return;
    let ms = this.pollMs;
    if (this.active.size < this.concurrency) {
      try {
        const next = await this.host.nextDueDate();
        if (next) ms = Math.max(0, Math.min(ms, next.getTime() - this.host.now().getTime()));
      } catch (e) {
        this.host.onError(e);
      }
    }
    if (ms === 0 || this.woken) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
