import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../engine/persistence/postgres-store.js';
import { TEST_DATABASE_URL, testSchema } from '../helpers/stores.js';
import { insert, inserts, job, processInstance, T0 } from './rows.js';

describe('postgres store under load', () => {
  const schema = testSchema();
  let store: PostgresStore;
  const sql = async <R extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema: schema.schema, poolSize: 4 });
  });
  afterAll(async () => {
    await store.close();
    await schema.drop();
  });

  it('process instances read at the same moment each get their own row, or null for an unknown id', async () => {
    await store.commit(inserts('processInstance', ['pi-a', 'pi-b', 'pi-c'].map((id) => processInstance({ id, businessKey: `key-${id}` }))));
    const [a, b, again, missing, c] = await Promise.all(['pi-a', 'pi-b', 'pi-a', 'pi-x', 'pi-c'].map((id) => store.getProcessInstance(id)));
    expect([a?.businessKey, b?.businessKey, again?.businessKey, missing, c?.businessKey]).toEqual(['key-pi-a', 'key-pi-b', 'key-pi-a', null, 'key-pi-c']);
    expect(a).toEqual(again);
    a!.businessKey = 'changed by its reader';
    expect(again!.businessKey).toBe('key-pi-a');
  });

  it('where autovacuum is off, the store analyzes the job table itself once jobs pile up; where it is on, it leaves that to the server', async () => {
    const [server] = await sql<{ auto: boolean }>("SELECT current_setting('autovacuum') = 'on' AND current_setting('track_counts') = 'on' AS auto");
    for (let i = 0; i < 4; i++) await store.commit(Array.from({ length: 20 }, (_, j) => insert('job', job({ id: `job-${i}-${j}`, createTime: T0 }))));
    const analyzed = async () => {
      const [row] = await sql<{ last_analyze: Date | null }>('SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2', [schema.schema, 'cf_job']);
      return row?.last_analyze ?? null;
    };
    if (server!.auto) {
      // Give a wrongly started ANALYZE the time to show up before saying there was none.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await store.acquireJobs('probe', T0, new Date(T0.getTime() + 1000), 1);
      expect(await analyzed()).toBeNull();
      return;
    }
    const deadline = Date.now() + 10_000;
    while ((await analyzed()) === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await analyzed()).not.toBeNull();
    const [stats] = await sql<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE oid = $1::regclass", [`"${schema.schema}".cf_job`]);
    expect(Number(stats!.reltuples)).toBeGreaterThanOrEqual(50);
  });
});
