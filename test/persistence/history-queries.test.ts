import { describe, expect, it } from 'vitest';
import type {
  HistoricActivityInstanceFilter,
  HistoricDetailFilter,
  HistoricProcessInstanceFilter,
  HistoricTaskInstanceFilter,
  HistoricVariableInstanceFilter,
  Mutation,
} from '../../engine/persistence/store.js';
import { eachStore, type TestStore } from '../helpers/stores.js';
import {
  at,
  historicActivityInstance,
  historicDetail,
  historicProcessInstance,
  historicTaskInstance,
  historicVariableInstance,
  inserts,
} from './rows.js';

async function seed(store: TestStore): Promise<void> {
  await store.commit([
    ...inserts('historicProcessInstance', [
      historicProcessInstance({
        id: 'h1',
        definitionId: 'invoice:1',
        businessKey: 'order-1',
        startTime: at(0),
        endTime: at(10),
        durationMs: 600_000,
        state: 'COMPLETED',
        removalTime: at(100),
      }),
      historicProcessInstance({ id: 'h2', definitionId: 'invoice:2', businessKey: 'order-2', startTime: at(5), superInstanceId: 'h1', rootInstanceId: 'h1', tenantId: 'acme' }),
      historicProcessInstance({
        id: 'h3',
        definitionId: 'order:1',
        definitionKey: 'order',
        startTime: at(20),
        endTime: at(21),
        durationMs: 60_000,
        state: 'EXTERNALLY_TERMINATED',
        deleteReason: 'cancelled by user',
      }),
    ]),
    // Same start time in h1: the sequence counter orders them.
    ...inserts('historicActivityInstance', [
      historicActivityInstance({ id: 'a3', instanceId: 'h1', activityId: 'approve', activityType: 'userTask', executionId: 'ex-1', taskId: 'task-1', assignee: 'demo', startTime: at(0), endTime: at(9), durationMs: 540_000, sequenceCounter: 3 }),
      historicActivityInstance({ id: 'a1', instanceId: 'h1', activityId: 'start', startTime: at(0), endTime: at(0), durationMs: 0, sequenceCounter: 1 }),
      historicActivityInstance({ id: 'a2', instanceId: 'h1', activityId: 'gw', activityType: 'exclusiveGateway', startTime: at(0), endTime: at(0), durationMs: 0, sequenceCounter: 2 }),
      historicActivityInstance({ id: 'a4', instanceId: 'h1', activityId: 'end', activityType: 'noneEndEvent', startTime: at(10), endTime: at(10), durationMs: 0, completeScope: true, sequenceCounter: 4 }),
      historicActivityInstance({ id: 'b1', instanceId: 'h2', definitionId: 'invoice:2', activityId: 'review', activityType: 'userTask', startTime: at(6), sequenceCounter: 1, tenantId: 'acme' }),
      historicActivityInstance({ id: 'c1', instanceId: 'h3', definitionId: 'order:1', activityId: 'ship', activityType: 'serviceTask', startTime: at(20), endTime: at(21), durationMs: 60_000, canceled: true, sequenceCounter: 1 }),
    ]),
    ...inserts('historicTaskInstance', [
      historicTaskInstance({ id: 'ht1', instanceId: 'h1', name: 'Approve', assignee: 'demo', startTime: at(0), endTime: at(9), durationMs: 540_000, deleteReason: 'completed' }),
      historicTaskInstance({ id: 'ht2', instanceId: 'h2', definitionId: 'invoice:2', taskDefinitionKey: 'review', name: 'Review', assignee: 'mary', startTime: at(6), tenantId: 'acme' }),
      historicTaskInstance({ id: 'ht3', instanceId: 'h3', definitionId: 'order:1', definitionKey: 'order', taskDefinitionKey: 'pack', name: 'Pack', startTime: at(20), endTime: at(20.5), durationMs: 30_000, deleteReason: 'deleted' }),
    ]),
    ...inserts('historicVariableInstance', [
      historicVariableInstance({ id: 'hv1', instanceId: 'h1', name: 'amount', createTime: at(0) }),
      historicVariableInstance({ id: 'hv2', instanceId: 'h1', name: 'approvedBy', executionId: 'ex-1', activityInstanceId: 'approve:1', taskId: 'task-1', createTime: at(1), value: { type: 'String', value: 'demo' } }),
      historicVariableInstance({ id: 'hv3', instanceId: 'h2', name: 'amount', createTime: at(6), tenantId: 'acme', state: 'DELETED' }),
      historicVariableInstance({ id: 'hv4', instanceId: 'h3', name: 'address', createTime: at(20) }),
    ]),
    ...inserts('historicDetail', [
      historicDetail({ id: 'hd2', variableInstanceId: 'hv1', instanceId: 'h1', time: at(3), revision: 1, value: { type: 'Integer', value: 200 } }),
      historicDetail({ id: 'hd1', variableInstanceId: 'hv1', instanceId: 'h1', time: at(0), revision: 0 }),
      historicDetail({ id: 'hd3', variableInstanceId: 'hv1', instanceId: 'h1', time: at(3), revision: 2, value: { type: 'Integer', value: 300 } }),
      historicDetail({ id: 'hd4', variableInstanceId: 'hv2', instanceId: 'h1', executionId: 'ex-1', activityInstanceId: 'approve:1', taskId: 'task-1', time: at(1) }),
      historicDetail({ id: 'hd5', variableInstanceId: 'hv3', instanceId: 'h2', time: at(6) }),
    ]),
  ]);
}

eachStore((store) => {
  describe('historic process instances', () => {
    const ids = async (filter: HistoricProcessInstanceFilter) => (await store().findHistoricProcessInstances(filter)).map((h) => h.id);

    it('filters by id, business key, definition and super instance', async () => {
      await seed(store());
      expect(await ids({ id: 'h2' })).toEqual(['h2']);
      expect(await ids({ idIn: ['h3', 'h1'] })).toEqual(['h1', 'h3']);
      expect(await ids({ businessKey: 'order-2' })).toEqual(['h2']);
      expect(await ids({ definitionId: 'order:1' })).toEqual(['h3']);
      expect(await ids({ definitionKey: 'invoice' })).toEqual(['h1', 'h2']);
      expect(await ids({ superInstanceId: 'h1' })).toEqual(['h2']);
    });

    it('filters by state, finished and unfinished', async () => {
      await seed(store());
      expect(await ids({ state: 'EXTERNALLY_TERMINATED' })).toEqual(['h3']);
      expect(await ids({ finished: true })).toEqual(['h1', 'h3']);
      expect(await ids({ unfinished: true })).toEqual(['h2']);
      expect(await ids({ finished: false })).toEqual(['h1', 'h2', 'h3']);
    });

    it('filters by start and end time, bounds included, and by tenant', async () => {
      await seed(store());
      expect(await ids({ startedBefore: at(5) })).toEqual(['h1', 'h2']);
      expect(await ids({ startedAfter: at(5) })).toEqual(['h2', 'h3']);
      expect(await ids({ finishedBefore: at(10) })).toEqual(['h1']);
      expect(await ids({ finishedAfter: at(10) })).toEqual(['h1', 'h3']);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['h2']);
    });

    it('orders by start time by default, sorts by duration and end time, pages and counts', async () => {
      await seed(store());
      expect(await ids({})).toEqual(['h1', 'h2', 'h3']);
      expect((await store().findHistoricProcessInstances({}, {}, [{ by: 'duration', order: 'desc' }])).map((h) => h.id)).toEqual(['h1', 'h3', 'h2']);
      expect((await store().findHistoricProcessInstances({}, {}, [{ by: 'endTime' }])).map((h) => h.id)).toEqual(['h2', 'h1', 'h3']);
      expect((await store().findHistoricProcessInstances({}, {}, [{ by: 'businessKey', order: 'desc' }])).map((h) => h.id)).toEqual(['h2', 'h1', 'h3']);
      expect((await store().findHistoricProcessInstances({}, {}, [{ by: 'definitionKey', order: 'desc' }, { by: 'id', order: 'desc' }])).map((h) => h.id)).toEqual(['h3', 'h2', 'h1']);
      expect((await store().findHistoricProcessInstances({}, { firstResult: 2, maxResults: 5 })).map((h) => h.id)).toEqual(['h3']);
      expect(await store().countHistoricProcessInstances({ finished: true })).toBe(2);
    });
  });

  describe('historic activity instances', () => {
    const ids = async (filter: HistoricActivityInstanceFilter) => (await store().findHistoricActivityInstances(filter)).map((h) => h.id);

    it('orders by start time, then sequence counter', async () => {
      await seed(store());
      expect(await ids({ instanceId: 'h1' })).toEqual(['a1', 'a2', 'a3', 'a4']);
      expect((await store().findHistoricActivityInstances({ instanceId: 'h1' }, {}, [{ by: 'sequenceCounter', order: 'desc' }])).map((a) => a.id)).toEqual([
        'a4',
        'a3',
        'a2',
        'a1',
      ]);
    });

    it('filters by id, instance, definition, execution, activity and assignee', async () => {
      await seed(store());
      expect(await ids({ id: 'b1' })).toEqual(['b1']);
      expect(await ids({ definitionId: 'order:1' })).toEqual(['c1']);
      expect(await ids({ executionId: 'ex-1' })).toEqual(['a3']);
      expect(await ids({ activityId: 'gw' })).toEqual(['a2']);
      expect(await ids({ activityType: 'userTask' })).toEqual(['a3', 'b1']);
      expect(await ids({ taskAssignee: 'demo' })).toEqual(['a3']);
    });

    it('filters by finished, canceled, complete scope, start time and tenant', async () => {
      await seed(store());
      expect(await ids({ unfinished: true })).toEqual(['b1']);
      expect(await ids({ finished: true, instanceId: 'h1' })).toEqual(['a1', 'a2', 'a3', 'a4']);
      expect(await ids({ canceled: true })).toEqual(['c1']);
      expect(await ids({ completeScope: true })).toEqual(['a4']);
      expect(await ids({ startedAfter: at(6) })).toEqual(['b1', 'a4', 'c1']);
      expect(await ids({ startedBefore: at(6), instanceId: 'h2' })).toEqual(['b1']);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['b1']);
    });

    it('sorts by duration, end time and activity id, pages and counts', async () => {
      await seed(store());
      const sorted = async (sort: Parameters<TestStore['findHistoricActivityInstances']>[2]) =>
        (await store().findHistoricActivityInstances({ instanceId: 'h1' }, {}, sort)).map((a) => a.id);
      expect(await sorted([{ by: 'duration', order: 'desc' }])).toEqual(['a3', 'a1', 'a2', 'a4']);
      expect(await sorted([{ by: 'endTime', order: 'desc' }])).toEqual(['a4', 'a3', 'a1', 'a2']);
      expect(await sorted([{ by: 'activityId' }])).toEqual(['a3', 'a4', 'a2', 'a1']);
      expect((await store().findHistoricActivityInstances({}, { firstResult: 3, maxResults: 1 })).map((a) => a.id)).toEqual(['b1']);
      expect(await store().countHistoricActivityInstances({ instanceId: 'h1' })).toBe(4);
    });
  });

  describe('historic task instances', () => {
    const ids = async (filter: HistoricTaskInstanceFilter) => (await store().findHistoricTaskInstances(filter)).map((h) => h.id);

    it('filters by every field', async () => {
      await seed(store());
      expect(await ids({ id: 'ht2' })).toEqual(['ht2']);
      expect(await ids({ instanceId: 'h3' })).toEqual(['ht3']);
      expect(await ids({ definitionId: 'invoice:2' })).toEqual(['ht2']);
      expect(await ids({ definitionKey: 'invoice' })).toEqual(['ht1', 'ht2']);
      expect(await ids({ taskDefinitionKey: 'pack' })).toEqual(['ht3']);
      expect(await ids({ assignee: 'mary' })).toEqual(['ht2']);
      expect(await ids({ finished: true })).toEqual(['ht1', 'ht3']);
      expect(await ids({ unfinished: true })).toEqual(['ht2']);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['ht2']);
    });

    it('sorts by duration, name and assignee, pages and counts', async () => {
      await seed(store());
      const sorted = async (sort: Parameters<TestStore['findHistoricTaskInstances']>[2]) => (await store().findHistoricTaskInstances({}, {}, sort)).map((t) => t.id);
      expect(await ids({})).toEqual(['ht1', 'ht2', 'ht3']);
      expect(await sorted([{ by: 'duration' }])).toEqual(['ht2', 'ht3', 'ht1']);
      expect(await sorted([{ by: 'name' }])).toEqual(['ht1', 'ht3', 'ht2']);
      expect(await sorted([{ by: 'assignee', order: 'desc' }])).toEqual(['ht2', 'ht1', 'ht3']);
      expect(await sorted([{ by: 'endTime' }, { by: 'startTime', order: 'desc' }])).toEqual(['ht2', 'ht1', 'ht3']);
      expect((await store().findHistoricTaskInstances({}, { maxResults: 1 })).map((t) => t.id)).toEqual(['ht1']);
      expect(await store().countHistoricTaskInstances({ finished: true })).toBe(2);
    });
  });

  describe('historic variable instances', () => {
    const ids = async (filter: HistoricVariableInstanceFilter) => (await store().findHistoricVariableInstances(filter)).map((h) => h.id);

    it('leaves out deleted variables unless asked to include them', async () => {
      await seed(store());
      expect(await ids({})).toEqual(['hv1', 'hv2', 'hv4']);
      expect(await ids({ includeDeleted: true })).toEqual(['hv1', 'hv2', 'hv3', 'hv4']);
      expect(await store().countHistoricVariableInstances({ includeDeleted: true })).toBe(4);
    });

    it('filters by instance, execution, activity instance, task, name and tenant', async () => {
      await seed(store());
      expect(await ids({ instanceId: 'h1' })).toEqual(['hv1', 'hv2']);
      expect(await ids({ instanceIdIn: ['h2', 'h3'], includeDeleted: true })).toEqual(['hv3', 'hv4']);
      expect(await ids({ executionIdIn: ['ex-1'] })).toEqual(['hv2']);
      expect(await ids({ activityInstanceIdIn: ['approve:1'] })).toEqual(['hv2']);
      expect(await ids({ taskIdIn: ['task-1'] })).toEqual(['hv2']);
      expect(await ids({ name: 'amount' })).toEqual(['hv1']);
      expect(await ids({ nameLike: 'a%' })).toEqual(['hv1', 'hv2', 'hv4']);
      expect(await ids({ tenantIdIn: ['acme'], includeDeleted: true })).toEqual(['hv3']);
      expect((await store().findHistoricVariableInstances({}, { firstResult: 1, maxResults: 1 })).map((v) => v.id)).toEqual(['hv2']);
    });
  });

  describe('historic details', () => {
    const ids = async (filter: HistoricDetailFilter) => (await store().findHistoricDetails(filter)).map((h) => h.id);

    it('orders by time, then revision, and filters by every field', async () => {
      await seed(store());
      expect(await ids({ variableInstanceId: 'hv1' })).toEqual(['hd1', 'hd2', 'hd3']);
      expect(await ids({ instanceId: 'h2' })).toEqual(['hd5']);
      expect(await ids({ executionIdIn: ['ex-1'] })).toEqual(['hd4']);
      expect(await ids({ activityInstanceId: 'approve:1' })).toEqual(['hd4']);
      expect(await ids({ taskId: 'task-1' })).toEqual(['hd4']);
      expect((await store().findHistoricDetails({ instanceId: 'h1' }, { firstResult: 1, maxResults: 2 })).map((d) => d.id)).toEqual(['hd4', 'hd2']);
    });
  });

  describe('history cleanup', () => {
    /** A finished instance with one row in every child table. */
    const finished = (id: string, removalTime: Date | null, endTime: Date | null = at(1)): Mutation[] => [
      ...inserts('historicProcessInstance', [historicProcessInstance({ id, endTime, removalTime, state: endTime ? 'COMPLETED' : 'ACTIVE' })]),
      ...inserts('historicActivityInstance', [historicActivityInstance({ id: `${id}-a`, instanceId: id, removalTime })]),
      ...inserts('historicTaskInstance', [historicTaskInstance({ id: `${id}-t`, instanceId: id, removalTime })]),
      ...inserts('historicVariableInstance', [historicVariableInstance({ id: `${id}-v`, instanceId: id, removalTime })]),
      ...inserts('historicDetail', [historicDetail({ id: `${id}-d`, instanceId: id, removalTime })]),
    ];

    it('removes finished instances due for removal in batches, oldest removal time first, with all their rows', async () => {
      await store().commit([
        ...finished('p1', at(3)),
        ...finished('p2', at(1)),
        ...finished('p3', at(2)),
        ...finished('p4', at(4)),
        ...finished('p5', at(5)),
        ...finished('later', at(1000)),
        ...finished('forever', null),
        ...finished('running', at(1), null),
      ]);
      const now = at(100);
      expect(await store().cleanupHistory(now, 2)).toBe(2);
      expect((await store().findHistoricProcessInstances({}, {}, [{ by: 'id' }])).map((h) => h.id)).toEqual(['forever', 'later', 'p1', 'p4', 'p5', 'running']);
      expect(await store().cleanupHistory(now, 2)).toBe(2);
      expect(await store().cleanupHistory(now, 2)).toBe(1);
      expect(await store().cleanupHistory(now, 2)).toBe(0);
      expect((await store().findHistoricProcessInstances({}, {}, [{ by: 'id' }])).map((h) => h.id)).toEqual(['forever', 'later', 'running']);
      const kept = ['forever', 'later', 'running'];
      expect((await store().findHistoricActivityInstances({})).map((a) => a.instanceId).sort()).toEqual(kept);
      expect((await store().findHistoricTaskInstances({})).map((a) => a.instanceId).sort()).toEqual(kept);
      expect((await store().findHistoricVariableInstances({})).map((a) => a.instanceId).sort()).toEqual(kept);
      expect((await store().findHistoricDetails({})).map((a) => a.instanceId).sort()).toEqual(kept);
    });

    it('removes nothing with a batch size of zero or before the removal time', async () => {
      await store().commit(finished('p1', at(10)));
      expect(await store().cleanupHistory(at(100), 0)).toBe(0);
      expect(await store().cleanupHistory(at(10), 10)).toBe(0);
      expect(await store().countHistoricProcessInstances({})).toBe(1);
    });
  });
});
