/**
 * CadenzaFlow under test, through its public engine API only: a fresh
 * embedded store in a temp directory, or a fresh PostgreSQL schema
 * `bench_<random>` that is dropped on close. History level 'full'.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Engine, type JobExecutorOptions, type StoreConfig } from '../engine/index.js';
import type { Shape } from './shapes.js';
import type { BenchTarget, JobsTarget } from './target.js';

export type StoreKind = 'embedded' | 'postgres';

/** PostgreSQL used for the `postgres` cells; override with BENCH_DATABASE_URL. */
export const BENCH_DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Job executor settings of the 'jobs' cells. Picked from a sweep on the
 * 2-core benchmark machine (concurrency 1–128, as many per acquisition):
 * throughput per CPU second rises with concurrency on both stores, because
 * jobs that finish together share one group commit and the next acquisition;
 * beyond 32 the gain is within the noise. Camunda's defaults (3–10 threads,
 * 3 per acquisition) would leave most of that on the table here, where a job
 * waits on I/O rather than a thread. BENCH_JOB_CONCURRENCY and
 * BENCH_JOB_ACQUISITION override both stores. The executor's prefetch is left
 * at its default (one acquisition's worth): the next batch is claimed while
 * the current one runs.
 */
export const JOB_EXECUTOR_DEFAULTS: Record<StoreKind, { concurrency: number; maxJobsPerAcquisition: number }> = {
  embedded: { concurrency: 32, maxJobsPerAcquisition: 32 },
  postgres: { concurrency: 32, maxJobsPerAcquisition: 32 },
};

/**
 * Tasks one fetchAndLock of the 'external-tasks' cells asks for (BENCH_EXTERNAL_MAX_TASKS), and how long it locks
 * them: long enough that no lock expires while its worker still completes the batch.
 */
const EXTERNAL_MAX_TASKS = Math.max(1, Math.floor(Number(process.env['BENCH_EXTERNAL_MAX_TASKS'] ?? '10')) || 10);
const EXTERNAL_LOCK_MS = 5 * 60_000;

export interface JobExecutorSettings {
  concurrency?: number;
  maxJobsPerAcquisition?: number;
}

export async function openCadenzaFlow(kind: StoreKind, shape: Shape, jobs: JobExecutorSettings = {}): Promise<BenchTarget | JobsTarget> {
  let storeConfig: StoreConfig;
  let dispose: () => Promise<void>;
  if (kind === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'cadenzaflow-bench-'));
    storeConfig = { dataDir: dir };
    dispose = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    storeConfig = { databaseUrl: BENCH_DATABASE_URL, schema, poolSize: 10 };
    dispose = () => dropSchema(schema);
  }

  let engine: Engine;
  try {
    engine = await Engine.create({ storeConfig, historyLevel: 'full' });
  } catch (err) {
    await dispose().catch(() => undefined);
    throw err;
  }
  try {
    await engine.deploy({ name: `bench-${shape.id}`, resources: [{ name: `${shape.id}.bpmn`, content: shape.xml('juel') }] });
  } catch (err) {
    await engine.close().catch(() => undefined);
    await dispose().catch(() => undefined);
    throw err;
  }

  const start = () => engine.startProcessInstance({ processDefinitionKey: shape.id, variables: { ...shape.variables } });
  const executor: JobExecutorOptions = { ...JOB_EXECUTOR_DEFAULTS[kind], ...jobs, pollIntervalMs: 1000 };
  const workers = shape.externalWorkers;
  const target: JobsTarget = {
    settings: workers
      ? `${workers.workers} workers, fetchAndLock maxTasks ${EXTERNAL_MAX_TASKS}, then complete each`
      : `concurrency ${executor.concurrency}, ${executor.maxJobsPerAcquisition} per acquisition, ${executor.prefetch ?? executor.maxJobsPerAcquisition} prefetched`,
    async runOne() {
      const pi = await start();
      if (shape.messageCatch) {
        if (pi.ended) throw new Error(`CadenzaFlow: instance ${pi.id} of '${shape.id}' ended without waiting in '${shape.messageCatch.id}'`);
        const reached = await engine.correlateMessage({ messageName: shape.messageCatch.messageName, processInstanceId: pi.id });
        if (reached.length !== 1) throw new Error(`CadenzaFlow: message '${shape.messageCatch.messageName}' reached ${reached.length} executions of instance ${pi.id}`);
      } else if (shape.userTasks.length > 0) {
        const tasks = await engine.findTasks({ instanceId: pi.id });
        if (tasks.length !== shape.userTasks.length) throw new Error(`CadenzaFlow: expected ${shape.userTasks.length} tasks for instance ${pi.id}, found ${tasks.length}`);
        for (const task of tasks) await engine.completeTask(task.id);
      } else if (!pi.ended) {
        throw new Error(`CadenzaFlow: instance ${pi.id} of '${shape.id}' did not end in its start command`);
      }
    },
    async fill(count, concurrency) {
      let next = 0;
      const client = async () => {
        while (next < count) {
          next++;
          const pi = await start();
          if (pi.ended) throw new Error(`CadenzaFlow: instance ${pi.id} of '${shape.id}' ended without waiting for its first job`);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, client));
    },
    async drain() {
      if (workers) return workOff(engine, shape.id, workers.workers, workers.topic);
      let failure: unknown = null;
      engine.onJobExecutorFailure((e) => (failure ??= e));
      engine.startJobExecutor(executor);
      try {
        // The count is a query on the store under test: poll it rarely while much is left (it would take CPU from the
        // executor on a shared machine), then every 10 ms, so the end is seen within 10 ms.
        const started = performance.now();
        let first = -1;
        for (let poll = 1, left: number; (left = await engine.countProcessInstances({ definitionKey: shape.id })) > 0; poll++) {
          if (failure !== null) throw failure;
          // A failing job would retry and then wait as an incident: fail the cell instead of waiting forever.
          if (poll % 50 === 0 && (await engine.countIncidents({})) > 0) throw new Error(`CadenzaFlow: a job of '${shape.id}' failed into an incident`);
          if (first < 0) first = left;
          const elapsed = performance.now() - started;
          const done = first - left;
          const eta = done > 0 ? (elapsed * left) / done : 100;
          await new Promise((r) => setTimeout(r, Math.max(10, Math.min(100, eta / 2))));
        }
      } finally {
        await engine.stopJobExecutor();
      }
    },
    async completed() {
      // The store holds this one definition only, so the end event's history counts this shape's instances.
      const [finished, endsReached, running] = await Promise.all([
        engine.store.countHistoricProcessInstances({ definitionKey: shape.id, state: 'COMPLETED' }),
        engine.store.countHistoricActivityInstances({ activityId: shape.endId, finished: true }),
        engine.countProcessInstances({ definitionKey: shape.id }),
      ]);
      if (running !== 0) throw new Error(`CadenzaFlow: ${running} instances of '${shape.id}' still running after the cell`);
      const jobsLeft = await engine.countJobs({});
      if (jobsLeft !== 0) throw new Error(`CadenzaFlow: ${jobsLeft} jobs left after the cell`);
      const externalLeft = await engine.externalTasks.countExternalTasks({});
      if (externalLeft !== 0) throw new Error(`CadenzaFlow: ${externalLeft} external tasks left after the cell`);
      if (endsReached !== finished) throw new Error(`CadenzaFlow: ${finished} instances COMPLETED but ${endsReached} reached end event '${shape.endId}'`);
      return finished;
    },
    async close() {
      try {
        await engine.close();
      } finally {
        await dispose();
      }
    },
  };
  return target;
}

/**
 * In-process external task workers: each loops fetchAndLock + complete until a fetch comes back empty. The backlog
 * is complete before they start, so an empty fetch means every task left is locked by another worker, which
 * completes it: no worker needs to poll.
 */
async function workOff(engine: Engine, key: string, count: number, topicName: string): Promise<void> {
  const worker = async (workerId: string) => {
    for (;;) {
      const tasks = await engine.externalTasks.fetchAndLock({ workerId, maxTasks: EXTERNAL_MAX_TASKS, topics: [{ topicName, lockDuration: EXTERNAL_LOCK_MS }] });
      if (tasks.length === 0) return;
      for (const task of tasks) await engine.externalTasks.complete(task.id, workerId);
    }
  };
  await Promise.all(Array.from({ length: count }, (_, i) => worker(`bench-worker-${i}`)));
  const left = await engine.countProcessInstances({ definitionKey: key });
  if (left !== 0) throw new Error(`CadenzaFlow: ${left} instances of '${key}' still running after the workers found no task to fetch`);
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
