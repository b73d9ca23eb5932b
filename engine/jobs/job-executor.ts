/**
 * The job executor: acquires due jobs in batches (row locks on PostgreSQL, so
 * several nodes share the work), runs them with bounded concurrency, and
 * sleeps until the next due date, a wake-up from a command that created a job,
 * or the poll interval — whichever comes first.
 *
 * Acquisition runs ahead of execution: besides the jobs it runs, the executor
 * holds a bounded queue of claimed jobs (`prefetch`), and claims the next batch
 * while the current one runs. A claim is a round trip and, on PostgreSQL, an
 * index scan plus a locking UPDATE; claiming only the slots that just freed up
 * would pay that for one or two jobs at a time. A claim is made once at least
 * half a batch fits, so batches stay large while no slot waits for one.
 * Queued jobs hold their lock like running ones: one whose lock has run down
 * to less than half of `lockTimeMs` is dropped instead of started (another
 * node may claim it by then), and those still queued when the executor stops
 * are handed back.
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
  /**
   * Claimed jobs held ready beyond those running, so the next batch is claimed
   * while the current one runs. Default `maxJobsPerAcquisition`; 0 claims only
   * for free slots.
   */
  prefetch?: number;
  /** Longest sleep between acquisitions: the safety net for jobs created by other nodes. Default 1000 ms. */
  pollIntervalMs?: number;
}

export interface JobExecutorHost {
  acquire(owner: string, lockTimeMs: number, max: number): Promise<JobRow[]>;
  run(job: JobRow): Promise<void>;
  /** Gives claimed jobs that will not run here back to every node (their locks are cleared). */
  release?(jobs: readonly JobRow[]): Promise<void>;
  nextDueDate(): Promise<Date | null>;
  now(): Date;
  onError(e: unknown): void;
}

export class JobExecutor {
  readonly lockOwner: string;
  private readonly lockTimeMs: number;
  private readonly max: number;
  private readonly concurrency: number;
  private readonly prefetch: number;
  /** Smallest claim worth a round trip (see the file comment). */
  private readonly minClaim: number;
  private readonly pollMs: number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  /** The last claim got every job it asked for: more are probably waiting. */
  private saturated = false;
  /** The loop sleeps without having looked for due jobs because it had no room: finishing jobs wake it. */
  private sleepsBusy = false;
  private readonly queue: JobRow[] = [];
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly host: JobExecutorHost,
    opts: JobExecutorOptions = {},
  ) {
    this.lockOwner = opts.lockOwner ?? `node-${Math.random().toString(36).slice(2, 10)}`;
    this.lockTimeMs = opts.lockTimeMs ?? 300_000;
    this.max = Math.max(1, opts.maxJobsPerAcquisition ?? 10);
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.prefetch = Math.max(0, opts.prefetch ?? this.max);
    // At most prefetch + 1, so that an empty queue with a free slot always leaves room for a claim.
    this.minClaim = Math.max(1, Math.min(Math.ceil(this.max / 2), this.prefetch + 1));
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
    await this.releaseQueued();
    await Promise.allSettled([...this.active]);
  }

  /** A command created a job: look for work now instead of waiting for the poll. */
  wake(): void {
    this.woken = true;
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  /** Jobs this node may still claim: free slots plus free queue places. */
  private room(): number {
    return this.concurrency + this.prefetch - this.active.size - this.queue.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      this.sleepsBusy = false;
      let acquired = 0;
      try {
        const room = this.room();
        if (room >= this.minClaim) {
          const ask = Math.min(this.max, room);
          const jobs = await this.host.acquire(this.lockOwner, this.lockTimeMs, ask);
          acquired = jobs.length;
          this.saturated = jobs.length === ask;
          this.queue.push(...jobs);
          if (this.running) this.dispatch();
        }
      } catch (e) {
        this.host.onError(e);
      }
      if (!this.running) break;
      if (this.saturated && acquired > 0 && this.room() >= this.minClaim) continue;
      await this.sleep();
    }
  }

  /** Starts queued jobs while slots are free; hands back those whose lock no longer covers a run. */
  private dispatch(): void {
    const now = this.host.now().getTime();
    let stale: JobRow[] | null = null;
    while (this.running && this.active.size < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      const left = job.lockExpiration ? job.lockExpiration.getTime() - now : Infinity;
      if (left < this.lockTimeMs / 2) {
        // An expired lock is nobody's any more: only a lock still ours is cleared.
        if (left > 0) (stale ??= []).push(job);
        continue;
      }
      const p = this.host.run(job).catch((e: unknown) => this.host.onError(e));
      this.active.add(p);
      void p.finally(() => {
        this.active.delete(p);
        if (!this.running) return;
        this.dispatch();
        // Finishing jobs free room: claim again when more are probably waiting or the loop slept without looking.
        if ((this.saturated || this.sleepsBusy) && this.room() >= this.minClaim) this.wake();
      });
    }
    if (stale) void this.release(stale);
  }

  private async releaseQueued(): Promise<void> {
    await this.release(this.queue.splice(0));
  }

  private async release(jobs: readonly JobRow[]): Promise<void> {
    if (!jobs.length || !this.host.release) return;
    try {
      await this.host.release(jobs);
    } catch (e) {
      this.host.onError(e);
    }
  }

  private async sleep(): Promise<void> {
    if (this.woken) return;
    let ms = this.pollMs;
    this.sleepsBusy = this.room() < this.minClaim;
    if (!this.sleepsBusy) {
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
