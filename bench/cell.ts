/**
 * One benchmark cell (one engine, one shape) in its own child process, so
 * that its memory figures belong to that engine alone: peak RSS is the
 * kernel's high-water mark for this process (`resourceUsage().maxRSS`, Node's
 * baseline and loaded modules included); peak heap is sampled every 50 ms.
 *
 * Usage (the parent forks it): node dist/bench/cell.js '<CellRequest JSON>'
 */
import type { JobExecutorSettings } from './cadenzaflow.js';
import type { EngineId } from './config.js';
import { driveJobs } from './jobs-load.js';
import { drive, type LoadResult } from './load.js';
import { shapeById } from './shapes.js';
import type { BenchTarget, JobsTarget } from './target.js';

export interface CellRequest {
  engine: EngineId;
  shape: string;
  concurrency: number;
  seconds: number;
  warmupInstances: number;
  warmupSeconds: number;
  /** Job executor settings of the 'jobs' shapes (defaults per store in bench/cadenzaflow.ts). */
  jobExecutor: JobExecutorSettings;
}

export type CellResult =
  | ({ ok: true; engine: EngineId; shape: string; verified: number; peakRssMb: number; peakHeapMb: number; jobs?: number; settings?: string } & LoadResult)
  | { ok: false; engine: EngineId; shape: string; error: string; peakRssMb: number; peakHeapMb: number };

async function open(req: CellRequest): Promise<BenchTarget | JobsTarget> {
  const shape = shapeById(req.shape);
  if (req.engine === 'bpmn-engine') return (await import('./peers/bpmn-engine.js')).openBpmnEngine(shape);
  return (await import('./cadenzaflow.js')).openCadenzaFlow(req.engine, shape, req.jobExecutor);
}

async function runCell(req: CellRequest): Promise<CellResult> {
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);
  const memory = () => ({ peakRssMb: process.resourceUsage().maxRSS / 1024, peakHeapMb: peakHeap / 2 ** 20 });
  const base = { engine: req.engine, shape: req.shape };
  try {
    const shape = shapeById(req.shape);
    const target = await open(req);
    try {
      let load: LoadResult & { jobs?: number; settings?: string };
      if (shape.kind === 'jobs' || shape.kind === 'external-tasks') {
        if (!('drain' in target)) throw new Error(`${req.engine} has no job executor or external task workers to run '${shape.id}'`);
        load = { ...(await driveJobs(target, shape.jobsPerInstance, req)), settings: target.settings };
      } else load = await drive(target, req);
      const verified = await target.completed();
      if (verified !== load.total) {
        throw new Error(`verification failed: the driver saw ${load.total} instances finish, the engine recorded ${verified} completed`);
      }
      return { ok: true, ...base, ...load, verified, ...memory() };
    } finally {
      await target.close();
    }
  } catch (err) {
    const error = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
    return { ok: false, ...base, error, ...memory() };
  } finally {
    clearInterval(sampler);
  }
}

const req = JSON.parse(process.argv[2] ?? '{}') as CellRequest;
const result = await runCell(req);
if (process.send) process.send(result, () => process.exit(0));
else {
  console.log(JSON.stringify(result));
  process.exit(0);
}
