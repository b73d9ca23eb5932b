import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../engine/errors.js';
import { PostgresStore } from '../../engine/persistence/postgres-store.js';
import { twoPostgresStores } from '../helpers/stores.js';
import { historicActivityInstance, insert, processInstance } from './rows.js';

/** Two engines (two stores, two pools) on one schema, racing for the same instances. */
describe('concurrent PostgreSQL stores on one schema', () => {
  const { a, b } = twoPostgresStores();

  it('of two commits on the same revision exactly one wins and the loser applies nothing', async () => {
    const rounds = 20;
    await a().commit(Array.from({ length: rounds }, (_, i) => insert('processInstance', processInstance({ id: `race-${i}` }))));
    const commitBy = (store: PostgresStore, who: string, i: number) =>
      store.commit([
        insert('historicActivityInstance', historicActivityInstance({ id: `${who}-${i}`, instanceId: `race-${i}` })),
        { table: 'processInstance', op: 'update', row: processInstance({ id: `race-${i}`, rev: 2, doc: who }), expectedRev: 1 },
      ]);
    for (let i = 0; i < rounds; i++) {
      const results = await Promise.allSettled([commitBy(a(), 'a', i), commitBy(b(), 'b', i)]);
      const won = results.map((r) => r.status === 'fulfilled');
      expect(won.filter(Boolean)).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(ConflictError);
      expect(String(lost.reason.message)).toContain(`ProcessInstance[race-${i}]`);
      const winner = won[0] ? 'a' : 'b';
      expect(await b().getProcessInstance(`race-${i}`)).toMatchObject({ rev: 2, doc: winner });
      expect((await a().findHistoricActivityInstances({ instanceId: `race-${i}` })).map((h) => h.id)).toEqual([`${winner}-${i}`]);
    }
  });

  it('of two stores starting the same instance one gets a ConflictError', async () => {
    const start = (store: PostgresStore, who: string) =>
      store.commit([insert('processInstance', processInstance({ id: 'dup', doc: who })), insert('historicActivityInstance', historicActivityInstance({ id: `dup-${who}`, instanceId: 'dup' }))]);
    const results = await Promise.allSettled([start(a(), 'a'), start(b(), 'b')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ConflictError);
    expect(await a().countHistoricActivityInstances({ instanceId: 'dup' })).toBe(1);
  });

  it('many commits on different instances from both stores all succeed', async () => {
    const commits = Array.from({ length: 60 }, (_, i) =>
      (i % 2 ? a() : b()).commit([
        insert('processInstance', processInstance({ id: `many-${i}` })),
        ...Array.from({ length: 7 }, (_, j) => insert('historicActivityInstance', historicActivityInstance({ id: `many-${i}-${j}`, instanceId: `many-${i}` }))),
      ]),
    );
    await Promise.all(commits);
    expect(await a().countProcessInstances({ idIn: Array.from({ length: 60 }, (_, i) => `many-${i}`) })).toBe(60);
    expect(await b().countHistoricActivityInstances({})).toBeGreaterThanOrEqual(420);
  });
});
