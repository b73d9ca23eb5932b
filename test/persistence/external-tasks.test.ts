import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../../engine/persistence/postgres-store.js';
import type { ExternalTaskFilter, ExternalTaskRow, ExternalTaskTopicRequest } from '../../engine/persistence/store.js';
import { eachStore, twoPostgresStores } from '../helpers/stores.js';
import { at, externalTask, insert, inserts, processInstance, variable } from './rows.js';

const MINUTE = 60_000;
const lockedIds = (rows: readonly ExternalTaskRow[]) => rows.map((t) => t.id);
const topic = (topicName: string, o: Partial<ExternalTaskTopicRequest> = {}): ExternalTaskTopicRequest => ({ topicName, lockDurationMs: 5 * MINUTE, ...o });

eachStore((store) => {
  describe('fetchAndLockExternalTasks', () => {
    it('locks the available tasks of the topic for the worker with the topic\'s lock duration and stores the lock', async () => {
      await store().commit(
        inserts('externalTask', [
          externalTask({ id: 'a1', topicName: 'a', createTime: at(0) }),
          externalTask({ id: 'a2', topicName: 'a', createTime: at(1) }),
          externalTask({ id: 'b1', topicName: 'b', createTime: at(2) }),
          externalTask({ id: 'c1', topicName: 'c', createTime: at(3) }),
        ]),
      );
      const locked = await store().fetchAndLockExternalTasks('w1', at(0), [topic('a'), topic('b', { lockDurationMs: 20 * MINUTE })], 10, false);
      expect(lockedIds(locked)).toEqual(['a1', 'a2', 'b1']);
      expect(locked.map((t) => [t.workerId, t.lockExpiration])).toEqual([
        ['w1', at(5)],
        ['w1', at(5)],
        ['w1', at(20)],
      ]);
      for (const row of locked) expect(await store().getExternalTask(row.id)).toEqual(row);
      expect(await store().getExternalTask('c1')).toMatchObject({ workerId: null, lockExpiration: null });
    });

    it('skips locked, suspended and retry-less tasks; a lock expired at now is available again', async () => {
      await store().commit(
        inserts('externalTask', [
          externalTask({ id: 'locked', workerId: 'w0', lockExpiration: at(1) }),
          externalTask({ id: 'expires-now', workerId: 'w0', lockExpiration: at(0) }),
          externalTask({ id: 'suspended', suspended: true }),
          externalTask({ id: 'no-retries', retries: 0 }),
          externalTask({ id: 'retries-left', retries: 1 }),
        ]),
      );
      expect(lockedIds(await store().fetchAndLockExternalTasks('w1', at(0), [topic('invoice-creator')], 10, false)).sort()).toEqual(['expires-now', 'retries-left']);
      expect(lockedIds(await store().fetchAndLockExternalTasks('w2', at(1), [topic('invoice-creator')], 10, false))).toEqual(['locked']);
    });

    it('orders by priority when asked, then oldest first (or newest first), and locks at most max', async () => {
      await store().commit(
        inserts('externalTask', [
          externalTask({ id: 'p0-old', priority: 0, createTime: at(0) }),
          externalTask({ id: 'p5', priority: 5, createTime: at(1) }),
          externalTask({ id: 'p0-young', priority: 0, createTime: at(2) }),
          externalTask({ id: 'p9', priority: 9, createTime: at(3) }),
        ]),
      );
      expect(await store().fetchAndLockExternalTasks('w1', at(0), [topic('invoice-creator')], 0, true)).toEqual([]);
      expect(lockedIds(await store().fetchAndLockExternalTasks('w1', at(0), [topic('invoice-creator')], 3, true))).toEqual(['p9', 'p5', 'p0-old']);
      await store().clear();
      await store().commit(
        inserts('externalTask', [
          externalTask({ id: 'first', priority: 9, createTime: at(0) }),
          externalTask({ id: 'second', priority: 0, createTime: at(1) }),
          externalTask({ id: 'third', priority: 5, createTime: at(2) }),
        ]),
      );
      expect(lockedIds(await store().fetchAndLockExternalTasks('w1', at(0), [topic('invoice-creator')], 2, false, 'desc'))).toEqual(['third', 'second']);
      expect(lockedIds(await store().fetchAndLockExternalTasks('w1', at(0), [topic('invoice-creator')], 2, false))).toEqual(['first']);
    });

    it('filters a topic by business key, definition, version tag, tenant and process variables', async () => {
      await store().commit([
        ...inserts('externalTask', [
          externalTask({ id: 'plain', instanceId: 'pi-1' }),
          externalTask({ id: 'keyed', instanceId: 'pi-2', businessKey: 'order-7', definitionId: 'order:1', definitionKey: 'order', definitionVersionTag: 'v2', tenantId: 'acme' }),
        ]),
        insert('processInstance', processInstance({ id: 'pi-2' })),
        insert('variable', variable({ id: 'v-1', instanceId: 'pi-2', executionId: 'pi-2', name: 'region', value: { type: 'String', value: 'north' } })),
        insert('variable', variable({ id: 'v-2', instanceId: 'pi-2', executionId: 'pi-2', name: 'amount', value: { type: 'Integer', value: 42 } })),
      ]);
      const fetch = async (o: Partial<ExternalTaskTopicRequest>) => lockedIds(await store().fetchAndLockExternalTasks('w1', at(0), [topic('invoice-creator', o)], 10, false));
      const unlock = () => store().commit([{ table: 'externalTask', op: 'patch', id: 'keyed', set: { workerId: null, lockExpiration: null } }]);
      for (const filter of [
        { businessKey: 'order-7' },
        { processDefinitionId: 'order:1' },
        { processDefinitionIdIn: ['x', 'order:1'] },
        { processDefinitionKey: 'order' },
        { processDefinitionKeyIn: ['order'] },
        { processDefinitionVersionTag: 'v2' },
        { tenantIdIn: ['acme'] },
        { processVariables: { region: 'north', amount: 42 } },
      ] satisfies Partial<ExternalTaskTopicRequest>[]) {
        expect(await fetch(filter)).toEqual(['keyed']);
        await unlock();
      }
      expect(await fetch({ processVariables: { region: 'south' } })).toEqual([]);
      expect(await fetch({ processDefinitionKeyIn: [] })).toEqual([]);
      expect(await fetch({ withoutTenantId: true })).toEqual(['plain']);
    });

    it('a task matching two topics of one fetch is locked once', async () => {
      await store().commit([insert('externalTask', externalTask({ businessKey: 'x' }))]);
      const locked = await store().fetchAndLockExternalTasks('w1', at(0), [topic('invoice-creator', { businessKey: 'x' }), topic('invoice-creator')], 10, false);
      expect(lockedIds(locked)).toEqual(['et-1']);
    });
  });

  describe('external task queries', () => {
    const ids = async (filter: ExternalTaskFilter) => {
      const rows = (await store().findExternalTasks(filter)).map((t) => t.id);
      expect(await store().countExternalTasks(filter)).toBe(rows.length);
      return rows;
    };

    it('filters by lock, retries, topic, worker, instance, activity, definition, priority and tenant', async () => {
      await store().commit(
        inserts('externalTask', [
          externalTask({ id: 't1', createTime: at(0), workerId: 'w1', lockExpiration: at(10) }),
          externalTask({ id: 't2', createTime: at(1), topicName: 'other', retries: 0, workerId: 'w2', lockExpiration: at(-1), instanceId: 'pi-2', executionId: 'ex-2', activityId: 'ship' }),
          externalTask({ id: 't3', createTime: at(2), retries: 2, priority: 7, definitionId: 'order:1', tenantId: 'acme', suspended: true }),
        ]),
      );
      expect(await ids({})).toEqual(['t1', 't2', 't3']);
      expect(await ids({ id: 't2' })).toEqual(['t2']);
      expect(await ids({ idIn: ['t3', 't1'] })).toEqual(['t1', 't3']);
      expect(await ids({ topicName: 'other' })).toEqual(['t2']);
      expect(await ids({ workerId: 'w1' })).toEqual(['t1']);
      expect(await ids({ lockedAt: at(0) })).toEqual(['t1']);
      expect(await ids({ notLockedAt: at(0) })).toEqual(['t2', 't3']);
      expect(await ids({ lockExpirationBefore: at(0) })).toEqual(['t2']);
      expect(await ids({ lockExpirationAfter: at(0) })).toEqual(['t1']);
      expect(await ids({ withRetriesLeft: true })).toEqual(['t1', 't3']);
      expect(await ids({ noRetriesLeft: true })).toEqual(['t2']);
      expect(await ids({ instanceId: 'pi-2' })).toEqual(['t2']);
      expect(await ids({ instanceIdIn: ['pi-1'] })).toEqual(['t1', 't3']);
      expect(await ids({ executionId: 'ex-2' })).toEqual(['t2']);
      expect(await ids({ activityId: 'ship' })).toEqual(['t2']);
      expect(await ids({ activityIdIn: ['ship', 'createInvoice'] })).toEqual(['t1', 't2', 't3']);
      expect(await ids({ definitionId: 'order:1' })).toEqual(['t3']);
      expect(await ids({ suspended: true })).toEqual(['t3']);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['t3']);
      expect(await ids({ withoutTenantId: true })).toEqual(['t1', 't2']);
      expect(await ids({ priorityHigherThanOrEquals: 1 })).toEqual(['t3']);
      expect(await ids({ priorityLowerThanOrEquals: 0 })).toEqual(['t1', 't2']);
      expect((await store().findExternalTasks({}, {}, [{ by: 'priority', order: 'desc' }])).map((t) => t.id)).toEqual(['t3', 't1', 't2']);
      expect((await store().findExternalTasks({}, { firstResult: 1, maxResults: 1 })).map((t) => t.id)).toEqual(['t2']);
    });
  });
});

/** Two stores (two pools) on one schema, fetching from the same tasks. */
describe('concurrent fetchAndLock on PostgreSQL', () => {
  const { a, b } = twoPostgresStores();

  it('six workers on two stores never lock a task twice and together lock them all', async () => {
    const total = 300;
    await a().commit(inserts('externalTask', Array.from({ length: total }, (_, i) => externalTask({ id: `et-${String(i).padStart(3, '0')}`, priority: i % 3 }))));
    const locks = new Map<string, string[]>();
    const worker = async (store: PostgresStore, workerId: string) => {
      for (;;) {
        const locked = await store.fetchAndLockExternalTasks(workerId, at(0), [topic('invoice-creator')], 7, true);
        if (!locked.length) return;
        for (const row of locked) locks.set(row.id, [...(locks.get(row.id) ?? []), workerId]);
      }
    };
    await Promise.all(['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((w) => worker(w.startsWith('a') ? a() : b(), w)));
    expect([...locks.values()].filter((owners) => owners.length > 1)).toEqual([]);
    expect(locks.size).toBe(total);
    for (const row of await b().findExternalTasks({})) expect(row.workerId).toBe(locks.get(row.id)?.[0]);
  });
});
