/**
 * The load driver: C concurrent clients (async loops) share one counter.
 * A warm-up (a number of instances, capped in time so a slow engine does not
 * eat the run), then a fixed window in which clients keep starting instances.
 * The rate is every instance started in the window divided by the time until
 * the last of them finished: an engine that interleaves its clients finishes
 * them in waves, and counting only what ended before the window closed would
 * quantise its rate by the concurrency. The first failure stops every client.
 */
import type { BenchTarget } from './target.js';

export interface LoadOptions {
  concurrency: number;
  warmupInstances: number;
  /** Upper bound of the warm-up in seconds. */
  warmupSeconds: number;
  seconds: number;
}

export interface LoadResult {
  /** Instances started in the window per second until the last of them finished. */
  rate: number;
  /** Only what finished before the window closed, per second of window. */
  windowRate: number;
  warmup: number;
  /** Finished inside the window. */
  measured: number;
  /** Started inside the window, finished after it closed. */
  late: number;
  /** Seconds from the window opening until the last instance finished. */
  elapsed: number;
  /** CPU time of this process over `elapsed` (1 = one core busy); the rest of the machine is not counted. */
  cpuShare: number;
  /** Every instance the driver saw finish. */
  total: number;
}

export async function drive(target: BenchTarget, opts: LoadOptions): Promise<LoadResult> {
  let failure: unknown = null;
  const clients = (loop: () => Promise<void>): Promise<void[]> =>
    Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        try {
          await loop();
        } catch (err) {
          failure ??= err;
        }
      }),
    );

  let warmupStarted = 0;
  let warmup = 0;
  const warmupDeadline = performance.now() + opts.warmupSeconds * 1000;
  await clients(async () => {
    while (failure === null && warmupStarted < opts.warmupInstances && performance.now() < warmupDeadline) {
      warmupStarted++;
      await target.runOne();
      warmup++;
    }
  });
  if (failure !== null) throw failure;

  let measured = 0;
  let late = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const deadline = start + opts.seconds * 1000;
  await clients(async () => {
    while (failure === null && performance.now() < deadline) {
      await target.runOne();
      if (performance.now() <= deadline) measured++;
      else late++;
    }
  });
  const elapsed = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  if (failure !== null) throw failure;

  return {
    rate: (measured + late) / elapsed,
    windowRate: measured / opts.seconds,
    warmup,
    measured,
    late,
    elapsed,
    cpuShare: (used.user + used.system) / 1e6 / elapsed,
    total: warmup + measured + late,
  };
}
