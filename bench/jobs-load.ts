/**
 * The driver of the 'jobs' shapes: how many jobs per second one node's job
 * executor works off. Clients first fill a backlog of instances (each waiting
 * at its first asyncBefore) with the executor stopped; then the executor is
 * started and the clock runs until the last instance completed. Starting the
 * instances is not measured — that is what the first table is for.
 *
 * A warm-up backlog (BENCH_WARMUP instances, at most 1,000 jobs) is drained
 * first; its rate sizes the measured backlog so that draining it takes about
 * BENCH_SECONDS.
 */
import type { LoadOptions, LoadResult } from './load.js';
import type { JobsTarget } from './target.js';

/** Bounds of the backlogs, in jobs. */
const WARMUP_JOBS = 1000;
const MIN_JOBS = 500;
const MAX_JOBS = 500_000;

export interface JobsLoadResult extends LoadResult {
  /** Jobs run in the measured drain. */
  jobs: number;
}

export async function driveJobs(target: JobsTarget, jobsPerInstance: number, opts: LoadOptions): Promise<JobsLoadResult> {
  const warmup = Math.max(1, Math.min(opts.warmupInstances, Math.ceil(WARMUP_JOBS / jobsPerInstance)));
  await target.fill(warmup, opts.concurrency);
  let started = performance.now();
  await target.drain();
  const warmupRate = (warmup * jobsPerInstance) / ((performance.now() - started) / 1000);

  const backlog = Math.ceil(Math.min(MAX_JOBS, Math.max(MIN_JOBS, warmupRate * opts.seconds)) / jobsPerInstance);
  await target.fill(backlog, opts.concurrency);
  const cpu = process.cpuUsage();
  started = performance.now();
  await target.drain();
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const jobs = backlog * jobsPerInstance;
  return {
    rate: jobs / elapsed,
    windowRate: jobs / elapsed,
    warmup,
    measured: backlog,
    late: 0,
    elapsed,
    cpuShare: (used.user + used.system) / 1e6 / elapsed,
    total: warmup + backlog,
    jobs,
  };
}
