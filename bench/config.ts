/**
 * Benchmark settings, read from the environment once by the parent and
 * handed to every cell.
 */
import type { JobExecutorSettings } from './cadenzaflow.js';
import { SHAPES } from './shapes.js';

export const ENGINES = ['embedded', 'postgres', 'bpmn-engine'] as const;
export type EngineId = (typeof ENGINES)[number];

export const ENGINE_LABELS: Record<EngineId, string> = {
  embedded: 'CadenzaFlow embedded',
  postgres: 'CadenzaFlow PostgreSQL',
  'bpmn-engine': 'bpmn-engine in memory',
};

export interface BenchConfig {
  /** BENCH_CONCURRENCY, default 16: concurrent clients per cell. */
  concurrency: number;
  /** BENCH_SECONDS, default 3: measured window per cell. */
  seconds: number;
  /** BENCH_JOBS_TIMERS_SECONDS, default 2 (at most BENCH_SECONDS): the window of the jobs-and-timers cells, shorter to keep the whole run near five minutes. */
  jobsAndTimersSeconds: number;
  /** BENCH_WARMUP, default 300: instances run before the window opens. */
  warmupInstances: number;
  /** BENCH_WARMUP_SECONDS, default 1: the warm-up stops earlier when this time is up. */
  warmupSeconds: number;
  /** BENCH_ONLY, default all: comma-separated engine ids. */
  engines: EngineId[];
  /** BENCH_SHAPES, default all: comma-separated shape ids. */
  shapes: string[];
  /** BENCH_MICRO, default 1: also run the micro-benchmarks that exist. */
  micro: boolean;
  /** BENCH_JOB_CONCURRENCY and BENCH_JOB_ACQUISITION: job executor settings of the 'jobs' shapes (defaults per store in cadenzaflow.ts). */
  jobExecutor: JobExecutorSettings;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return n;
}

function list<T extends string>(name: string, known: readonly T[]): T[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...known];
  const picked = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of picked) if (!known.includes(p as T)) throw new Error(`${name}: unknown '${p}'; known: ${known.join(', ')}`);
  // Keep the canonical order whatever order the variable lists them in.
  return known.filter((k) => picked.includes(k));
}

export function readConfig(): BenchConfig {
  const seconds = positive('BENCH_SECONDS', 3);
  return {
    concurrency: Math.floor(positive('BENCH_CONCURRENCY', 16)),
    seconds,
    jobsAndTimersSeconds: positive('BENCH_JOBS_TIMERS_SECONDS', Math.min(2, seconds)),
    warmupInstances: Math.floor(positive('BENCH_WARMUP', 300)),
    warmupSeconds: positive('BENCH_WARMUP_SECONDS', 1),
    engines: list('BENCH_ONLY', ENGINES),
    shapes: list('BENCH_SHAPES', SHAPES.map((s) => s.id)),
    micro: process.env['BENCH_MICRO'] !== '0',
    jobExecutor: {
      ...(process.env['BENCH_JOB_CONCURRENCY'] ? { concurrency: Math.floor(positive('BENCH_JOB_CONCURRENCY', 1)) } : {}),
      ...(process.env['BENCH_JOB_ACQUISITION'] ? { maxJobsPerAcquisition: Math.floor(positive('BENCH_JOB_ACQUISITION', 1)) } : {}),
    },
  };
}
