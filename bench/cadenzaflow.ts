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
import { Engine, type StoreConfig } from '../engine/index.js';
import type { Shape } from './shapes.js';
import type { BenchTarget } from './target.js';

export type StoreKind = 'embedded' | 'postgres';

/** PostgreSQL used for the `postgres` cells; override with BENCH_DATABASE_URL. */
export const BENCH_DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function openCadenzaFlow(kind: StoreKind, shape: Shape): Promise<BenchTarget> {
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

  return {
    async runOne() {
      const pi = await engine.startProcessInstance({ processDefinitionKey: shape.id, variables: { ...shape.variables } });
      if (shape.userTask) {
        const tasks = await engine.findTasks({ instanceId: pi.id });
        if (tasks.length !== 1) throw new Error(`CadenzaFlow: expected 1 task for instance ${pi.id}, found ${tasks.length}`);
        await engine.completeTask(tasks[0]!.id);
      } else if (!pi.ended) {
        throw new Error(`CadenzaFlow: instance ${pi.id} of '${shape.id}' did not end in its start command`);
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
