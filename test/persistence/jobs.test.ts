import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../engine/errors.js';
import { PostgresStore } from '../../engine/persistence/postgres-store.js';
import type { EventSubscriptionFilter, IncidentFilter, JobFilter, JobRow } from '../../engine/persistence/store.js';
import { eachStore, twoPostgresStores, type TestStore } from '../helpers/stores.js';
import { at, eventSubscription, incident, insert, inserts, job } from './rows.js';

/** Five jobs of three instances and a timer start event, seen at NOW. */
const NOW = at(10);

async function seedJobs(store: TestStore): Promise<void> {
  await store.commit(
    inserts('job', [
      job({ id: 'j1', instanceId: 'pi-a', executionId: 'ex-a1', rootInstanceId: 'pi-a', activityId: 'approve', createTime: at(0) }),
      job({ id: 'j2', type: 'timer-transition', instanceId: 'pi-a', executionId: 'ex-a2', rootInstanceId: 'pi-a', activityId: 'remind', dueDate: at(30), priority: 10, createTime: at(1) }),
      job({
        id: 'j3',
        type: 'timer-start-event',
        instanceId: null,
        executionId: null,
        rootInstanceId: null,
        definitionId: 'order:1',
        definitionKey: 'order',
        activityId: 'start',
        dueDate: at(-10),
        retries: 0,
        exceptionMessage: 'boom',
        tenantId: 'acme',
        createTime: at(2),
      }),
      job({ id: 'j4', instanceId: 'pi-b', executionId: 'ex-b1', rootInstanceId: 'pi-a', definitionId: 'invoice:2', activityId: 'review', retries: 1, suspended: true, tenantId: 'acme', createTime: at(3) }),
      job({ id: 'j5', instanceId: 'pi-c', executionId: 'ex-c1', rootInstanceId: 'pi-c', dueDate: at(5), retries: 2, priority: 5, exceptionMessage: 'timeout', createTime: at(4) }),
    ]),
  );
}

const claimedIds = (rows: readonly JobRow[]) => rows.map((j) => j.id);

eachStore((store) => {
  describe('job, incident and event subscription commits', () => {
    it('a failed job gets its retries, exception, lock and due date through one patch', async () => {
      await store().commit([insert('job', job({ lockOwner: 'node-a', lockExpiration: at(5) }))]);
      const set = { retries: 2, exceptionMessage: 'Connection refused', exceptionDetails: 'ConnectorError', lockOwner: null, lockExpiration: null, dueDate: at(20) };
      await store().commit([{ table: 'job', op: 'patch', id: 'job-1', set }]);
      expect(await store().getJob('job-1')).toEqual(job(set));
    });

    it('patches, inserts and deletes of the three tables apply together in one commit', async () => {
      await store().commit([insert('job', job({ id: 'j1' })), insert('job', job({ id: 'j2' })), insert('eventSubscription', eventSubscription())]);
      await store().commit([
        { table: 'job', op: 'patch', id: 'j1', set: { retries: 0 } },
        { table: 'job', op: 'patch', id: 'j2', set: { retries: 0 } },
        insert('incident', incident({ configuration: 'j1' })),
        insert('incident', incident({ id: 'inc-2', configuration: 'j2' })),
        { table: 'eventSubscription', op: 'delete', id: 'sub-1' },
      ]);
      expect((await store().findJobs({ noRetriesLeft: true })).map((j) => j.id)).toEqual(['j1', 'j2']);
      expect((await store().findIncidents({})).map((i) => i.configuration)).toEqual(['j1', 'j2']);
      expect(await store().countEventSubscriptions({})).toBe(0);
    });

    it('a job created, changed and completed within one commit keeps the order of its mutations', async () => {
      await store().commit([
        insert('job', job({ id: 'j1' })),
        insert('job', job({ id: 'j2' })),
        { table: 'job', op: 'patch', id: 'j1', set: { lockOwner: 'node-a', lockExpiration: at(5) } },
        { table: 'job', op: 'update', row: job({ id: 'j1', retries: 1, lockOwner: 'node-a', lockExpiration: at(6) }) },
        { table: 'job', op: 'delete', id: 'j2' },
        insert('incident', incident()),
        { table: 'incident', op: 'patch', id: 'inc-1', set: { annotation: 'seen' } },
        insert('eventSubscription', eventSubscription()),
        { table: 'eventSubscription', op: 'patch', id: 'sub-1', set: { executionId: 'ex-2' } },
      ]);
      expect(await store().getJob('j1')).toEqual(job({ id: 'j1', retries: 1, lockOwner: 'node-a', lockExpiration: at(6) }));
      expect(await store().getJob('j2')).toBeNull();
      expect((await store().findIncidents({ id: 'inc-1' }))[0]?.annotation).toBe('seen');
      expect((await store().findEventSubscriptions({ id: 'sub-1' }))[0]?.executionId).toBe('ex-2');
    });

    it('a job that is not there reads as null', async () => {
      expect(await store().getJob('nope')).toBeNull();
    });
  });

  describe('acquireJobs', () => {
    it('claims the jobs due at now and none due later, and stores the lock it returns', async () => {
      await store().commit(
        inserts('job', [
          job({ id: 'at-once', dueDate: null }),
          job({ id: 'overdue', dueDate: at(-1) }),
          job({ id: 'due-now', dueDate: at(0) }),
          job({ id: 'later', dueDate: at(1) }),
        ]),
      );
      const claimed = await store().acquireJobs('node-a', at(0), at(5), 10);
      expect(claimed.map((j) => j.id).sort()).toEqual(['at-once', 'due-now', 'overdue']);
      for (const row of claimed) {
        expect(row).toMatchObject({ lockOwner: 'node-a', lockExpiration: at(5) });
        expect(await store().getJob(row.id)).toEqual(row);
      }
      expect(await store().getJob('later')).toMatchObject({ lockOwner: null, lockExpiration: null });
      expect(claimedIds(await store().acquireJobs('node-a', at(1), at(5), 10))).toEqual(['later']);
    });

    it('skips jobs without retries and suspended jobs', async () => {
      await store().commit(inserts('job', [job({ id: 'no-retries', retries: 0 }), job({ id: 'suspended', suspended: true }), job({ id: 'ok', retries: 1 })]));
      expect(claimedIds(await store().acquireJobs('node-a', at(0), at(5), 10))).toEqual(['ok']);
      expect(await store().getJob('no-retries')).toMatchObject({ lockOwner: null });
      expect(await store().getJob('suspended')).toMatchObject({ lockOwner: null });
    });

    it('claims the highest priority first, then the earliest due (no due date first), then the oldest', async () => {
      await store().commit(
        inserts('job', [
          job({ id: 'p0', priority: 0 }),
          job({ id: 'p5-due-1', priority: 5, dueDate: at(-1) }),
          job({ id: 'p5-young', priority: 5, createTime: at(-1) }),
          job({ id: 'p5-old', priority: 5, createTime: at(-2) }),
          job({ id: 'p5-due-2', priority: 5, dueDate: at(-2) }),
          job({ id: 'p10', priority: 10, dueDate: at(0) }),
          job({ id: 'p99-later', priority: 99, dueDate: at(1) }),
          job({ id: 'p-neg', priority: -3 }),
        ]),
      );
      expect(claimedIds(await store().acquireJobs('node-a', at(0), at(5), 5))).toEqual(['p10', 'p5-old', 'p5-young', 'p5-due-2', 'p5-due-1']);
      expect(claimedIds(await store().acquireJobs('node-a', at(0), at(5), 5))).toEqual(['p0', 'p-neg']);
    });

    it('claims at most max jobs, and nothing for a max of zero', async () => {
      await store().commit(inserts('job', Array.from({ length: 5 }, (_, i) => job({ id: `j${i}`, createTime: at(i) }))));
      expect(await store().acquireJobs('node-a', at(0), at(5), 0)).toEqual([]);
      expect(claimedIds(await store().acquireJobs('node-a', at(0), at(5), 2))).toEqual(['j0', 'j1']);
      expect(claimedIds(await store().acquireJobs('node-b', at(0), at(5), 2))).toEqual(['j2', 'j3']);
      expect((await store().findJobs({})).map((j) => j.lockOwner)).toEqual(['node-a', 'node-a', 'node-b', 'node-b', null]);
    });

    it('a locked job is claimed by nobody until its lock expires, then by another owner', async () => {
      await store().commit([insert('job', job())]);
      expect(claimedIds(await store().acquireJobs('node-a', at(0), at(5), 10))).toEqual(['job-1']);
      expect(await store().acquireJobs('node-b', at(1), at(6), 10)).toEqual([]);
      expect(await store().acquireJobs('node-a', at(1), at(6), 10)).toEqual([]);
      expect(await store().acquireJobs('node-b', at(5), at(10), 10)).toEqual([]);
      const [reclaimed] = await store().acquireJobs('node-b', new Date(at(5).getTime() + 1), at(10), 10);
      expect(reclaimed).toMatchObject({ id: 'job-1', lockOwner: 'node-b', lockExpiration: at(10) });
    });

    it('a job whose lock was released is claimable again', async () => {
      await store().commit([insert('job', job())]);
      await store().acquireJobs('node-a', at(0), at(5), 10);
      await store().commit([{ table: 'job', op: 'patch', id: 'job-1', set: { lockOwner: null, lockExpiration: null, retries: 2 } }]);
      expect(await store().acquireJobs('node-b', at(1), at(6), 10)).toMatchObject([{ id: 'job-1', lockOwner: 'node-b', retries: 2 }]);
    });
  });

  describe('nextJobDueDate', () => {
    it('is null without jobs and without claimable jobs', async () => {
      expect(await store().nextJobDueDate(NOW)).toBeNull();
      await store().commit(
        inserts('job', [
          job({ id: 'suspended', suspended: true }),
          job({ id: 'no-retries', retries: 0 }),
          job({ id: 'locked', dueDate: at(12), lockOwner: 'node-a', lockExpiration: at(20) }),
        ]),
      );
      expect(await store().nextJobDueDate(NOW)).toBeNull();
    });

    it('is the earliest due date of the claimable jobs, now for a job due at once', async () => {
      await store().commit([insert('job', job({ id: 'later', dueDate: at(30) })), insert('job', job({ id: 'locked', dueDate: at(11), lockOwner: 'node-a', lockExpiration: at(20) }))]);
      expect(await store().nextJobDueDate(NOW)).toEqual(at(30));
      await store().commit([insert('job', job({ id: 'sooner', dueDate: at(15) }))]);
      expect(await store().nextJobDueDate(NOW)).toEqual(at(15));
      await store().commit([insert('job', job({ id: 'expired-lock', dueDate: at(12), lockOwner: 'node-a', lockExpiration: at(9) }))]);
      expect(await store().nextJobDueDate(NOW)).toEqual(at(12));
      await store().commit([insert('job', job({ id: 'at-once', dueDate: null }))]);
      expect(await store().nextJobDueDate(NOW)).toEqual(NOW);
      await store().commit([insert('job', job({ id: 'overdue', dueDate: at(-5) }))]);
      expect(await store().nextJobDueDate(NOW)).toEqual(at(-5));
    });
  });

  describe('job queries', () => {
    const ids = async (filter: JobFilter) => {
      const rows = (await store().findJobs(filter)).map((j) => j.id);
      expect(await store().countJobs(filter)).toBe(rows.length);
      return rows;
    };

    it('filters by id, type, instance, execution, definition and activity', async () => {
      await seedJobs(store());
      expect(await ids({})).toEqual(['j1', 'j2', 'j3', 'j4', 'j5']);
      expect(await ids({ id: 'j2' })).toEqual(['j2']);
      expect(await ids({ idIn: ['j5', 'j1', 'nope'] })).toEqual(['j1', 'j5']);
      expect(await ids({ idIn: [] })).toEqual([]);
      expect(await ids({ type: 'timer-start-event' })).toEqual(['j3']);
      expect(await ids({ instanceId: 'pi-a' })).toEqual(['j1', 'j2']);
      expect(await ids({ executionId: 'ex-b1' })).toEqual(['j4']);
      expect(await ids({ definitionId: 'invoice:1:aaa' })).toEqual(['j1', 'j2', 'j5']);
      expect(await ids({ definitionKey: 'order' })).toEqual(['j3']);
      expect(await ids({ activityId: 'approve' })).toEqual(['j1', 'j5']);
    });

    it('executableAt finds the due jobs with retries left that are not suspended', async () => {
      await seedJobs(store());
      expect(await ids({ executableAt: NOW })).toEqual(['j1', 'j5']);
      expect(await ids({ executableAt: at(30) })).toEqual(['j1', 'j2', 'j5']);
      expect(await ids({ executableAt: at(-20) })).toEqual(['j1']);
      expect(await ids({ executableAt: at(30), timers: true })).toEqual(['j2']);
    });

    it('filters by retries, exception, timer or message, due date, suspension and tenant', async () => {
      await seedJobs(store());
      expect(await ids({ noRetriesLeft: true })).toEqual(['j3']);
      expect(await ids({ noRetriesLeft: false })).toEqual(['j1', 'j2', 'j3', 'j4', 'j5']);
      expect(await ids({ withException: true })).toEqual(['j3', 'j5']);
      expect(await ids({ timers: true })).toEqual(['j2', 'j3']);
      expect(await ids({ messages: true })).toEqual(['j1', 'j4', 'j5']);
      expect(await ids({ dueBefore: NOW })).toEqual(['j3', 'j5']);
      expect(await ids({ dueAfter: at(5) })).toEqual(['j2']);
      expect(await ids({ dueAfter: at(0), dueBefore: at(30) })).toEqual(['j5']);
      expect(await ids({ suspended: true })).toEqual(['j4']);
      expect(await ids({ suspended: false })).toEqual(['j1', 'j2', 'j3', 'j5']);
      expect(await ids({ tenantIdIn: ['acme', 'other'] })).toEqual(['j3', 'j4']);
      expect(await ids({ tenantIdIn: [] })).toEqual([]);
    });

    it('sorts by due date, priority, retries and instance, and pages', async () => {
      await seedJobs(store());
      const sorted = async (by: 'id' | 'dueDate' | 'priority' | 'retries' | 'instanceId', order: 'asc' | 'desc' = 'asc') =>
        (await store().findJobs({}, {}, [{ by, order }])).map((j) => j.id);
      expect(await sorted('dueDate')).toEqual(['j1', 'j4', 'j3', 'j5', 'j2']);
      expect(await sorted('dueDate', 'desc')).toEqual(['j2', 'j5', 'j3', 'j1', 'j4']);
      expect(await sorted('priority', 'desc')).toEqual(['j2', 'j5', 'j1', 'j3', 'j4']);
      expect(await sorted('retries')).toEqual(['j3', 'j4', 'j5', 'j1', 'j2']);
      expect(await sorted('instanceId')).toEqual(['j3', 'j1', 'j2', 'j4', 'j5']);
      expect(await sorted('id', 'desc')).toEqual(['j5', 'j4', 'j3', 'j2', 'j1']);
      expect((await store().findJobs({}, { firstResult: 1, maxResults: 2 })).map((j) => j.id)).toEqual(['j2', 'j3']);
      expect((await store().findJobs({ messages: true }, { firstResult: 2 })).map((j) => j.id)).toEqual(['j5']);
      await expect(store().findJobs({}, {}, [{ by: 'lockOwner' as 'id' }])).rejects.toThrow(BadUserInputError);
    });
  });

  describe('incident queries', () => {
    const ids = async (filter: IncidentFilter) => {
      const rows = (await store().findIncidents(filter)).map((i) => i.id);
      expect(await store().countIncidents(filter)).toBe(rows.length);
      return rows;
    };

    it('filters by every field, oldest first, and pages', async () => {
      await store().commit(
        inserts('incident', [
          incident({ id: 'i3', instanceId: 'pi-a', executionId: 'ex-a2', activityId: 'remind', configuration: 'j2', createTime: at(0) }),
          incident({
            id: 'i2',
            type: 'failedExternalTask',
            instanceId: 'pi-b',
            executionId: 'ex-b1',
            definitionId: 'invoice:2',
            activityId: 'review',
            configuration: 'ext-1',
            tenantId: 'acme',
            createTime: at(1),
          }),
          incident({ id: 'i1', instanceId: 'pi-a', executionId: 'ex-a1', configuration: 'j1', createTime: at(2) }),
        ]),
      );
      expect(await ids({})).toEqual(['i3', 'i2', 'i1']);
      expect(await ids({ id: 'i2' })).toEqual(['i2']);
      expect(await ids({ type: 'failedJob' })).toEqual(['i3', 'i1']);
      expect(await ids({ instanceId: 'pi-a' })).toEqual(['i3', 'i1']);
      expect(await ids({ executionId: 'ex-a1' })).toEqual(['i1']);
      expect(await ids({ definitionId: 'invoice:2' })).toEqual(['i2']);
      expect(await ids({ activityId: 'approve' })).toEqual(['i1']);
      expect(await ids({ configuration: 'j2' })).toEqual(['i3']);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['i2']);
      expect(await ids({ tenantIdIn: [] })).toEqual([]);
      expect(await ids({ type: 'failedJob', instanceId: 'pi-a', configuration: 'j1' })).toEqual(['i1']);
      expect((await store().findIncidents({}, { firstResult: 1, maxResults: 1 })).map((i) => i.id)).toEqual(['i2']);
    });
  });

  describe('event subscription queries', () => {
    const ids = async (filter: EventSubscriptionFilter) => {
      const rows = (await store().findEventSubscriptions(filter)).map((s) => s.id);
      expect(await store().countEventSubscriptions(filter)).toBe(rows.length);
      return rows;
    };

    it('filters by every field, start events apart from instances, oldest first, and pages', async () => {
      await store().commit(
        inserts('eventSubscription', [
          eventSubscription({ id: 's1', instanceId: null, executionId: null, activityId: 'start', createTime: at(0) }),
          eventSubscription({ id: 's2', activityId: 'wait', createTime: at(1) }),
          eventSubscription({ id: 's3', type: 'signal', eventName: 'alert', instanceId: 'pi-b', executionId: 'ex-b1', definitionId: 'invoice:2', tenantId: 'acme', createTime: at(2) }),
          eventSubscription({ id: 's4', type: 'conditional', eventName: null, executionId: 'ex-2', createTime: at(3) }),
        ]),
      );
      expect(await ids({})).toEqual(['s1', 's2', 's3', 's4']);
      expect(await ids({ id: 's3' })).toEqual(['s3']);
      expect(await ids({ type: 'message' })).toEqual(['s1', 's2']);
      expect(await ids({ eventName: 'invoiceReceived' })).toEqual(['s1', 's2']);
      expect(await ids({ instanceId: 'pi-1' })).toEqual(['s2', 's4']);
      expect(await ids({ executionId: 'ex-2' })).toEqual(['s4']);
      expect(await ids({ activityId: 'wait' })).toEqual(['s2']);
      expect(await ids({ definitionId: 'invoice:2' })).toEqual(['s3']);
      expect(await ids({ startEventsOnly: true })).toEqual(['s1']);
      expect(await ids({ instanceOnly: true })).toEqual(['s2', 's3', 's4']);
      expect(await ids({ startEventsOnly: false, instanceOnly: false })).toEqual(['s1', 's2', 's3', 's4']);
      expect(await ids({ type: 'message', eventName: 'invoiceReceived', startEventsOnly: true })).toEqual(['s1']);
      expect(await ids({ type: 'message', eventName: 'invoiceReceived', instanceOnly: true })).toEqual(['s2']);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['s3']);
      expect(await ids({ tenantIdIn: [] })).toEqual([]);
      expect((await store().findEventSubscriptions({}, { firstResult: 1, maxResults: 2 })).map((s) => s.id)).toEqual(['s2', 's3']);
    });
  });
});

/** Two engines (two stores, two pools) on one schema, claiming from the same jobs. */
describe('concurrent job acquisition on PostgreSQL', () => {
  const { a, b } = twoPostgresStores();

  it('two stores claiming in loops never claim a job twice and together claim them all', async () => {
    const total = 500;
    const jobs = Array.from({ length: total }, (_, i) => job({ id: `job-${String(i).padStart(3, '0')}`, priority: i % 3, dueDate: i % 2 ? at(-1) : null }));
    await a().commit(inserts('job', jobs));
    const claims = new Map<string, string[]>();
    // Three workers per store, each claiming small batches until nothing is left: plenty of overlap.
    const worker = async (store: PostgresStore, owner: string) => {
      for (;;) {
        const claimed = await store.acquireJobs(owner, at(0), at(5), 7);
        if (!claimed.length) return;
        for (const row of claimed) {
          expect(row.lockOwner).toBe(owner);
          claims.set(row.id, [...(claims.get(row.id) ?? []), owner]);
        }
      }
    };
    await Promise.all(['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((owner) => worker(owner.startsWith('a') ? a() : b(), owner)));

    expect([...claims.values()].filter((owners) => owners.length > 1)).toEqual([]);
    expect(claims.size).toBe(total);
    const owners = [...claims.values()].map(([owner]) => owner!);
    expect(owners.some((o) => o.startsWith('a'))).toBe(true);
    expect(owners.some((o) => o.startsWith('b'))).toBe(true);
    // The stored lock is the one each claimer was given.
    for (const row of await b().findJobs({})) expect(row.lockOwner).toBe(claims.get(row.id)?.[0]);
    expect(await a().acquireJobs('late', at(1), at(6), total)).toEqual([]);
  });
});
