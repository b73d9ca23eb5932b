import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../engine/errors.js';
import type { Mutation, TableName, Tables } from '../../engine/persistence/store.js';
import { eachStore, type TestStore } from '../helpers/stores.js';
import {
  at,
  bufferedMessage,
  deployment,
  eventSubscription,
  execution,
  externalTask,
  historicActivityInstance,
  historicDetail,
  historicIncident,
  historicJobLog,
  historicProcessInstance,
  historicTaskInstance,
  historicVariableInstance,
  incident,
  insert,
  job,
  processDefinition,
  processInstance,
  resource,
  task,
  typedValues,
  variable,
} from './rows.js';

/** A row with every nullable field set and every boolean flipped from the builders' defaults. */
const fullRows: { [T in TableName]: Tables[T] } = {
  deployment: deployment({ tenantId: 'acme', deployTime: at(1) }),
  resource: resource({ content: '<?xml version="1.0"?>\n<definitions>ünïcode ✓</definitions>' }),
  processDefinition: processDefinition({ versionTag: '1.0.0', tenantId: 'acme', historyTimeToLive: 30, suspended: true, executable: false, startableInTasklist: false }),
  processInstance: processInstance({
    businessKey: 'order-7',
    tenantId: 'acme',
    suspended: true,
    superInstanceId: 'pi-0',
    superExecutionId: 'ex-0',
    rootInstanceId: 'pi-0',
    startUserId: 'demo',
    doc: JSON.stringify({ big: 'x'.repeat(10_000) }),
  }),
  execution: execution({ parentId: 'pi-1', tenantId: 'acme', businessKey: 'order-7', active: false, concurrent: true, scope: false, suspended: true }),
  task: task({
    description: 'Check the amount',
    assignee: 'demo',
    owner: 'boss',
    priority: 80,
    dueDate: at(60),
    followUpDate: at(30),
    formKey: 'embedded:app:forms/approve.html',
    tenantId: 'acme',
    suspended: true,
    candidateUsers: ['john', 'mary'],
    candidateGroups: ['accounting', 'management'],
  }),
  variable: variable({ taskId: 'task-1', tenantId: 'acme', value: typedValues['object']! }),
  historicProcessInstance: historicProcessInstance({
    businessKey: 'order-7',
    endTime: at(90),
    durationMs: 90 * 60_000,
    startUserId: 'demo',
    endActivityId: 'end',
    superInstanceId: 'pi-0',
    tenantId: 'acme',
    state: 'COMPLETED',
    deleteReason: 'done',
    removalTime: at(100_000),
  }),
  historicActivityInstance: historicActivityInstance({
    taskId: 'task-1',
    calledProcessInstanceId: 'pi-9',
    assignee: 'demo',
    endTime: at(2),
    durationMs: 120_000,
    canceled: true,
    completeScope: true,
    sequenceCounter: 2 ** 40,
    tenantId: 'acme',
    removalTime: at(5000),
  }),
  historicTaskInstance: historicTaskInstance({
    description: 'd',
    assignee: 'demo',
    owner: 'boss',
    dueDate: at(60),
    followUpDate: at(30),
    endTime: at(45),
    durationMs: 45 * 60_000,
    deleteReason: 'completed',
    tenantId: 'acme',
    removalTime: at(5000),
  }),
  historicVariableInstance: historicVariableInstance({ taskId: 'task-1', state: 'DELETED', tenantId: 'acme', removalTime: at(5000), value: typedValues['date']! }),
  historicDetail: historicDetail({ taskId: 'task-1', revision: 3, tenantId: 'acme', removalTime: at(5000), value: typedValues['json']! }),
  historicIncident: historicIncident({
    historyConfiguration: 'job-log-1',
    message: 'Connection refused',
    annotation: 'looking into it',
    jobDefinitionId: 'invoice:1:aaa:approve:async-before',
    endTime: at(30),
    removalTime: at(5000),
    tenantId: 'acme',
    state: 'resolved',
  }),
  historicJobLog: historicJobLog({
    jobDueDate: at(10),
    jobRetries: 2,
    jobPriority: 2 ** 40,
    jobExceptionMessage: 'Connection refused',
    jobExceptionStacktrace: 'ConnectorError: Connection refused\ncaused by Error: ünïcode ✓',
    jobDefinitionId: 'invoice:1:aaa:approve:async-before',
    jobDefinitionConfiguration: 'async-before',
    failedActivityId: 'approve',
    tenantId: 'acme',
    state: 'failed',
    removalTime: at(5000),
  }),
  job: job({
    type: 'timer-transition',
    dueDate: at(10),
    retries: 2,
    lockOwner: 'node-a',
    lockExpiration: at(15),
    exceptionMessage: 'Connection refused',
    exceptionDetails: 'ConnectorError: Connection refused\n  at http-connector',
    priority: 2 ** 40,
    exclusive: true,
    suspended: true,
    handlerConfig: JSON.stringify({ activityId: 'approve', ünïcode: '✓' }),
    repeat: 'R2/PT10M',
    tenantId: 'acme',
    createTime: at(1),
  }),
  incident: incident({ message: 'Connection refused', annotation: 'looking into it', jobDefinitionId: 'invoice:1:aaa:approve:async-before', tenantId: 'acme', createTime: at(2) }),
  eventSubscription: eventSubscription({ type: 'signal', eventName: 'alert', tenantId: 'acme', createTime: at(3) }),
  externalTask: externalTask({
    workerId: 'worker-1',
    lockExpiration: at(5),
    retries: 2,
    errorMessage: 'Connection refused',
    errorDetails: 'ConnectorError: Connection refused\n  at worker',
    suspended: true,
    priority: 2 ** 40,
    definitionVersionTag: '1.0.0',
    businessKey: 'order-7',
    tenantId: 'acme',
    createTime: at(4),
  }),
  bufferedMessage: bufferedMessage({
    businessKey: 'order-7',
    processInstanceId: 'pi-1',
    correlationKeys: JSON.stringify({ region: { t: 'String', v: 'north' } }),
    localCorrelationKeys: JSON.stringify({ step: { t: 'Integer', v: 2 } }),
    variables: JSON.stringify({ paid: { t: 'Boolean', v: true } }),
    variablesLocal: JSON.stringify({ note: { t: 'String', v: 'ünïcode ✓' } }),
    tenantId: 'acme',
    withoutTenantId: true,
    tenantIdIn: JSON.stringify(['acme', 'globex']),
    createTime: at(6),
    expiresAt: at(16),
  }),
};

/** The builders' defaults: nulls and false everywhere they are allowed. */
const sparseRows: { [T in TableName]: Tables[T] } = {
  deployment: deployment({ name: null, source: null }),
  resource: resource({ content: '' }),
  processDefinition: processDefinition({ name: null, category: null }),
  processInstance: processInstance(),
  execution: execution({ activityId: null, activityInstanceId: null }),
  task: task({ name: null }),
  variable: variable({ value: typedValues['null']! }),
  historicProcessInstance: historicProcessInstance({ definitionName: null, startActivityId: null }),
  historicActivityInstance: historicActivityInstance({ parentActivityInstanceId: null, activityName: null }),
  historicTaskInstance: historicTaskInstance({ name: null }),
  historicVariableInstance: historicVariableInstance(),
  historicDetail: historicDetail(),
  historicIncident: historicIncident({
    instanceId: null,
    executionId: null,
    rootInstanceId: null,
    definitionId: null,
    definitionKey: null,
    activityId: null,
    failedActivityId: null,
    causeIncidentId: null,
    rootCauseIncidentId: null,
    configuration: null,
  }),
  historicJobLog: historicJobLog({
    activityId: null,
    executionId: null,
    instanceId: null,
    rootInstanceId: null,
    definitionId: null,
    definitionKey: null,
    deploymentId: null,
    jobRetries: 0,
    jobPriority: -5,
  }),
  job: job({
    instanceId: null,
    executionId: null,
    rootInstanceId: null,
    definitionId: null,
    definitionKey: null,
    activityId: null,
    retries: 0,
    priority: -5,
    handlerConfig: '',
  }),
  incident: incident({ instanceId: null, executionId: null, rootInstanceId: null, definitionId: null, definitionKey: null, activityId: null, configuration: null }),
  eventSubscription: eventSubscription({ eventName: null, instanceId: null, executionId: null, activityId: null, definitionId: null }),
  externalTask: externalTask({ retries: 0, priority: -5 }),
  bufferedMessage: bufferedMessage(),
};

type Read = { [T in TableName]: (store: TestStore, id: string) => Promise<Tables[T] | undefined | null> };

const read: Read = {
  deployment: (s, id) => s.getDeployment(id),
  resource: async (s, id) => (await s.getResources('dep-1')).find((r) => r.id === id),
  processDefinition: (s, id) => s.getProcessDefinition(id),
  processInstance: (s, id) => s.getProcessInstance(id),
  execution: async (s, id) => (await s.findExecutions({ id }))[0],
  task: (s, id) => s.getTask(id),
  variable: async (s, id) => (await s.findVariables({})).find((v) => v.id === id),
  historicProcessInstance: async (s, id) => (await s.findHistoricProcessInstances({ id }))[0],
  historicActivityInstance: async (s, id) => (await s.findHistoricActivityInstances({ id }))[0],
  historicTaskInstance: async (s, id) => (await s.findHistoricTaskInstances({ id }))[0],
  historicVariableInstance: async (s, id) => (await s.findHistoricVariableInstances({ includeDeleted: true })).find((v) => v.id === id),
  historicDetail: async (s, id) => (await s.findHistoricDetails({})).find((d) => d.id === id),
  historicIncident: async (s, id) => (await s.findHistoricIncidents({ id }))[0],
  historicJobLog: async (s, id) => (await s.findHistoricJobLogs({ id }))[0],
  job: (s, id) => s.getJob(id),
  incident: async (s, id) => (await s.findIncidents({ id }))[0],
  eventSubscription: async (s, id) => (await s.findEventSubscriptions({ id }))[0],
  externalTask: (s, id) => s.getExternalTask(id),
  bufferedMessage: async (s, id) => (await s.findBufferedMessages({ id }))[0],
};

const tables = Object.keys(fullRows) as TableName[];

eachStore((store) => {
  describe('commit round trips', () => {
    it.each(tables)('an inserted %s row with every field set reads back exactly', async (table) => {
      await store().commit([insert(table, fullRows[table])]);
      expect(await read[table](store(), fullRows[table].id)).toEqual(fullRows[table]);
    });

    it.each(tables)('an inserted %s row with nulls and defaults reads back exactly', async (table) => {
      await store().commit([insert(table, sparseRows[table])]);
      expect(await read[table](store(), sparseRows[table].id)).toEqual(sparseRows[table]);
    });

    it.each(tables)('an updated %s row replaces every field', async (table) => {
      await store().commit([insert(table, sparseRows[table])]);
      const updated = { ...fullRows[table], id: sparseRows[table].id };
      await store().commit([{ table, op: 'update', row: updated } as Mutation]);
      expect(await read[table](store(), updated.id)).toEqual(updated);
    });

    it.each(tables)('a deleted %s row is gone', async (table) => {
      await store().commit([insert(table, fullRows[table])]);
      await store().commit([{ table, op: 'delete', id: fullRows[table].id } as Mutation]);
      expect(await read[table](store(), fullRows[table].id)).toBeFalsy();
    });

    it.each(Object.entries(typedValues))('a %s variable value is restored with its type', async (name, value) => {
      const id = `var-${name}`;
      await store().commit([
        insert('variable', variable({ id, name, value })),
        insert('historicVariableInstance', historicVariableInstance({ id, name, value })),
        insert('historicDetail', historicDetail({ id, name, value })),
      ]);
      expect((await store().findVariables({ name }))[0]?.value).toEqual(value);
      expect((await store().findHistoricVariableInstances({ name }))[0]?.value).toEqual(value);
      expect((await store().findHistoricDetails({ variableInstanceId: 'var-1' })).find((d) => d.id === id)?.value).toEqual(value);
    });

    it('a Date variable comes back as a Date', async () => {
      await store().commit([insert('variable', variable({ value: typedValues['date']! }))]);
      const [row] = await store().findVariables({});
      expect(row?.value.value).toBeInstanceOf(Date);
    });

    it('an empty commit does nothing', async () => {
      await store().commit([]);
      expect(await store().countProcessInstances({})).toBe(0);
    });

    it('the mutations of one commit apply in order, also on the same row', async () => {
      await store().commit([
        insert('historicActivityInstance', historicActivityInstance({ id: 'a1' })),
        insert('historicActivityInstance', historicActivityInstance({ id: 'a2' })),
        { table: 'historicActivityInstance', op: 'update', row: historicActivityInstance({ id: 'a1', activityId: 'second' }) },
        { table: 'historicActivityInstance', op: 'delete', id: 'a2' },
        insert('historicActivityInstance', historicActivityInstance({ id: 'a2', activityId: 'again' })),
        { table: 'historicActivityInstance', op: 'update', row: historicActivityInstance({ id: 'a1', activityId: 'third' }) },
      ]);
      const rows = await store().findHistoricActivityInstances({}, {}, [{ by: 'id' }]);
      expect(rows.map((r) => [r.id, r.activityId])).toEqual([
        ['a1', 'third'],
        ['a2', 'again'],
      ]);
    });
  });

  describe('patches', () => {
    it('a patch sets only the given fields', async () => {
      const row = historicActivityInstance({ id: 'a1', assignee: 'demo' });
      await store().commit([insert('historicActivityInstance', row)]);
      await store().commit([
        { table: 'historicActivityInstance', op: 'patch', id: 'a1', set: { endTime: at(5), durationMs: 300_000, canceled: true, assignee: null } },
      ]);
      expect(await read.historicActivityInstance(store(), 'a1')).toEqual({ ...row, endTime: at(5), durationMs: 300_000, canceled: true, assignee: null });
    });

    it('patches of several rows with the same fields apply to each row', async () => {
      await store().commit([
        insert('historicTaskInstance', historicTaskInstance({ id: 't1' })),
        insert('historicTaskInstance', historicTaskInstance({ id: 't2' })),
        insert('historicProcessInstance', historicProcessInstance()),
      ]);
      await store().commit([
        { table: 'historicTaskInstance', op: 'patch', id: 't1', set: { endTime: at(1), deleteReason: 'completed' } },
        { table: 'historicTaskInstance', op: 'patch', id: 't2', set: { endTime: at(2), deleteReason: 'deleted' } },
        { table: 'historicProcessInstance', op: 'patch', id: 'pi-1', set: { state: 'COMPLETED', endTime: at(3) } },
      ]);
      const tasks = await store().findHistoricTaskInstances({}, {}, [{ by: 'id' }]);
      expect(tasks.map((t) => [t.id, t.endTime, t.deleteReason])).toEqual([
        ['t1', at(1), 'completed'],
        ['t2', at(2), 'deleted'],
      ]);
      expect((await read.historicProcessInstance(store(), 'pi-1'))?.state).toBe('COMPLETED');
    });

    it('a patch of a variable value rewrites its typed columns', async () => {
      await store().commit([insert('historicVariableInstance', historicVariableInstance())]);
      await store().commit([{ table: 'historicVariableInstance', op: 'patch', id: 'var-1', set: { value: typedValues['string']! } }]);
      expect((await read.historicVariableInstance(store(), 'var-1'))?.value).toEqual(typedValues['string']);
    });

    it('a patch of a task assignee keeps its candidates, a patch of its candidate groups replaces only those', async () => {
      await store().commit([insert('task', task({ candidateUsers: ['john'], candidateGroups: ['sales'] }))]);
      await store().commit([{ table: 'task', op: 'patch', id: 'task-1', set: { assignee: 'mary' } }]);
      expect(await store().getTask('task-1')).toMatchObject({ assignee: 'mary', candidateUsers: ['john'], candidateGroups: ['sales'] });
      await store().commit([{ table: 'task', op: 'patch', id: 'task-1', set: { candidateGroups: ['accounting', 'management'] } }]);
      expect(await store().getTask('task-1')).toMatchObject({ candidateUsers: ['john'], candidateGroups: ['accounting', 'management'] });
    });

    it('a patch without fields or of a missing row changes nothing', async () => {
      await store().commit([
        { table: 'historicProcessInstance', op: 'patch', id: 'nope', set: {} },
        { table: 'historicProcessInstance', op: 'patch', id: 'nope', set: { state: 'COMPLETED' } },
      ]);
      expect(await store().countHistoricProcessInstances({})).toBe(0);
    });
  });

  describe('task candidates', () => {
    it('updating a task replaces its candidate users and groups', async () => {
      await store().commit([insert('task', task({ candidateUsers: ['john'], candidateGroups: ['sales', 'management'] }))]);
      await store().commit([{ table: 'task', op: 'update', row: task({ candidateUsers: [], candidateGroups: ['accounting'] }) }]);
      const row = await store().getTask('task-1');
      expect(row).toMatchObject({ candidateUsers: [], candidateGroups: ['accounting'] });
      expect(await store().countTasks({ candidateGroup: 'sales' })).toBe(0);
    });

    it('deleting a task removes its candidate links', async () => {
      await store().commit([insert('task', task({ candidateGroups: ['sales'] }))]);
      await store().commit([{ table: 'task', op: 'delete', id: 'task-1' }]);
      await store().commit([insert('task', task({ id: 'task-1' }))]);
      expect(await store().getTask('task-1')).toMatchObject({ candidateGroups: [] });
    });

    it('find returns the candidates of every task of the page', async () => {
      await store().commit([
        insert('task', task({ id: 't1', candidateUsers: ['john'] })),
        insert('task', task({ id: 't2', candidateGroups: ['sales'] })),
        insert('task', task({ id: 't3' })),
      ]);
      const rows = await store().findTasks({}, {}, [{ by: 'id' }]);
      expect(rows.map((t) => [t.id, t.candidateUsers, t.candidateGroups])).toEqual([
        ['t1', ['john'], []],
        ['t2', [], ['sales']],
        ['t3', [], []],
      ]);
    });
  });

  describe('optimistic locking', () => {
    it('an update with the current revision stores the new one', async () => {
      await store().commit([insert('processInstance', processInstance())]);
      await store().commit([{ table: 'processInstance', op: 'update', row: processInstance({ rev: 2, doc: '{"v":2}' }), expectedRev: 1 }]);
      expect(await store().getProcessInstance('pi-1')).toMatchObject({ rev: 2, doc: '{"v":2}' });
    });

    it('an update with a stale revision throws ConflictError naming the instance and applies nothing of the commit', async () => {
      await store().commit([insert('processInstance', processInstance({ rev: 3 }))]);
      const commit = store().commit([
        insert('historicActivityInstance', historicActivityInstance({ id: 'a1' })),
        insert('historicActivityInstance', historicActivityInstance({ id: 'a2' })),
        insert('task', task({ candidateGroups: ['sales'] })),
        { table: 'processInstance', op: 'update', row: processInstance({ rev: 3, doc: 'stale' }), expectedRev: 2 },
        insert('historicProcessInstance', historicProcessInstance()),
      ]);
      await expect(commit).rejects.toThrow(ConflictError);
      await expect(commit).rejects.toThrow(
        "ENGINE-03005 Execution of 'UPDATE ProcessInstance[pi-1]' failed. Entity was updated by another transaction concurrently.",
      );
      expect(await store().getProcessInstance('pi-1')).toMatchObject({ rev: 3, doc: '{"executions":[]}' });
      expect(await store().countHistoricActivityInstances({})).toBe(0);
      expect(await store().countHistoricProcessInstances({})).toBe(0);
      expect(await store().countTasks({})).toBe(0);
    });

    it('an update of a missing instance with an expected revision is a conflict', async () => {
      await expect(
        store().commit([{ table: 'processInstance', op: 'update', row: processInstance({ id: 'gone', rev: 2 }), expectedRev: 1 }]),
      ).rejects.toThrow(/UPDATE ProcessInstance\[gone\]/);
    });

    it('a delete with a stale revision throws ConflictError and keeps the instance', async () => {
      await store().commit([insert('processInstance', processInstance({ rev: 5 }))]);
      await expect(store().commit([{ table: 'processInstance', op: 'delete', id: 'pi-1', expectedRev: 4 }])).rejects.toThrow(
        /ENGINE-03005 Execution of 'DELETE ProcessInstance\[pi-1\]' failed/,
      );
      await store().commit([{ table: 'processInstance', op: 'delete', id: 'pi-1', expectedRev: 5 }]);
      expect(await store().getProcessInstance('pi-1')).toBeNull();
    });

    it('several instances updated in one commit each get their new revision', async () => {
      await store().commit([insert('processInstance', processInstance({ id: 'a' })), insert('processInstance', processInstance({ id: 'b', rev: 4 }))]);
      await store().commit([
        { table: 'processInstance', op: 'update', row: processInstance({ id: 'a', rev: 2 }), expectedRev: 1 },
        { table: 'processInstance', op: 'update', row: processInstance({ id: 'b', rev: 5 }), expectedRev: 4 },
      ]);
      await store().commit([
        { table: 'processInstance', op: 'update', row: processInstance({ id: 'a', rev: 3 }), expectedRev: 2 },
        { table: 'processInstance', op: 'update', row: processInstance({ id: 'b', rev: 6 }), expectedRev: 5 },
        insert('historicProcessInstance', historicProcessInstance()),
      ]);
      await store().commit([
        { table: 'processInstance', op: 'delete', id: 'a', expectedRev: 3 },
        { table: 'processInstance', op: 'delete', id: 'b', expectedRev: 6 },
      ]);
      expect(await store().countProcessInstances({})).toBe(0);
      expect(await store().countHistoricProcessInstances({})).toBe(1);
    });

    it('one stale instance among several updated ones fails the whole commit', async () => {
      await store().commit([insert('processInstance', processInstance({ id: 'a' })), insert('processInstance', processInstance({ id: 'b' }))]);
      await expect(
        store().commit([
          { table: 'processInstance', op: 'update', row: processInstance({ id: 'a', rev: 2 }), expectedRev: 1 },
          { table: 'processInstance', op: 'update', row: processInstance({ id: 'b', rev: 2 }), expectedRev: 7 },
        ]),
      ).rejects.toThrow(/UPDATE ProcessInstance\[b\]/);
      expect((await store().getProcessInstance('a'))?.rev).toBe(1);
    });

    it('a stale revision fails the commit also when the same rows are touched twice', async () => {
      await store().commit([insert('processInstance', processInstance())]);
      await expect(
        store().commit([
          insert('historicActivityInstance', historicActivityInstance({ id: 'a1' })),
          { table: 'historicActivityInstance', op: 'update', row: historicActivityInstance({ id: 'a1', activityId: 'x' }) },
          { table: 'processInstance', op: 'update', row: processInstance({ rev: 2 }), expectedRev: 1 },
          { table: 'processInstance', op: 'update', row: processInstance({ rev: 3 }), expectedRev: 1 },
        ]),
      ).rejects.toThrow(ConflictError);
      expect((await store().getProcessInstance('pi-1'))?.rev).toBe(1);
      expect(await store().countHistoricActivityInstances({})).toBe(0);
    });

    it('inserting an instance whose id exists throws ConflictError and applies nothing', async () => {
      await store().commit([insert('processInstance', processInstance())]);
      const commit = store().commit([insert('historicProcessInstance', historicProcessInstance()), insert('processInstance', processInstance({ doc: 'second' }))]);
      await expect(commit).rejects.toThrow(ConflictError);
      await expect(commit).rejects.toThrow(/INSERT ProcessInstance\[pi-1\]/);
      expect(await store().countHistoricProcessInstances({})).toBe(0);
      expect((await store().getProcessInstance('pi-1'))?.doc).toBe('{"executions":[]}');
    });

    it('updates and deletes without an expected revision are not checked', async () => {
      await store().commit([insert('processInstance', processInstance({ rev: 9 }))]);
      await store().commit([{ table: 'processInstance', op: 'update', row: processInstance({ rev: 10 }) }]);
      await store().commit([{ table: 'processInstance', op: 'delete', id: 'pi-1' }]);
      expect(await store().getProcessInstance('pi-1')).toBeNull();
    });
  });
});
