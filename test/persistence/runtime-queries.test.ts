import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../engine/errors.js';
import type { ExecutionFilter, ProcessInstanceFilter, TaskFilter, VariableCondition, VariableFilter } from '../../engine/persistence/store.js';
import { eachStore, type TestStore } from '../helpers/stores.js';
import { at, execution, insert, inserts, processDefinition, processInstance, task, variable } from './rows.js';

/** Three instances (pi-b called by pi-a), their executions, variables and four tasks. */
async function seed(store: TestStore): Promise<void> {
  await store.commit([
    ...inserts('processDefinition', [
      processDefinition({ id: 'invoice:1', version: 1, deploymentId: 'd1' }),
      processDefinition({ id: 'invoice:2', version: 2, deploymentId: 'd2' }),
      processDefinition({ id: 'order:1', key: 'order', deploymentId: 'd2' }),
    ]),
    ...inserts('processInstance', [
      processInstance({ id: 'pi-a', definitionId: 'invoice:1', businessKey: 'order-1', startTime: at(0) }),
      processInstance({
        id: 'pi-b',
        definitionId: 'invoice:2',
        businessKey: 'order-2',
        tenantId: 'acme',
        suspended: true,
        superInstanceId: 'pi-a',
        superExecutionId: 'ex-a1',
        rootInstanceId: 'pi-a',
        startTime: at(5),
      }),
      processInstance({ id: 'pi-c', definitionId: 'order:1', definitionKey: 'order', startTime: at(10) }),
    ]),
    ...inserts('execution', [
      execution({ id: 'ex-a1', instanceId: 'pi-a', activityId: 'approve', definitionId: 'invoice:1', businessKey: 'order-1' }),
      execution({ id: 'ex-b1', instanceId: 'pi-b', activityId: 'review', definitionId: 'invoice:2', businessKey: 'order-2', tenantId: 'acme' }),
      execution({ id: 'ex-c1', instanceId: 'pi-c', activityId: 'approve', definitionId: 'order:1', active: false }),
      execution({ id: 'ex-c2', instanceId: 'pi-c', parentId: 'ex-c1', activityId: 'ship', definitionId: 'order:1' }),
    ]),
    ...inserts('variable', [
      variable({ id: 'v-a-amount', instanceId: 'pi-a', executionId: 'pi-a', name: 'amount', value: { type: 'Integer', value: 100 } }),
      variable({ id: 'v-a-customer', instanceId: 'pi-a', name: 'customer', value: { type: 'String', value: 'Acme Corp' } }),
      variable({ id: 'v-a-approved', instanceId: 'pi-a', name: 'approved', value: { type: 'Boolean', value: true } }),
      variable({ id: 'v-a-note', instanceId: 'pi-a', name: 'note', value: { type: 'Null', value: null } }),
      variable({ id: 'v-a-due', instanceId: 'pi-a', name: 'due', value: { type: 'Date', value: new Date('2024-05-01T00:00:00.000Z') } }),
      variable({
        id: 'v-b-amount',
        instanceId: 'pi-b',
        executionId: 'ex-b1',
        activityInstanceId: 'review:1',
        name: 'amount',
        value: { type: 'Double', value: 250.5 },
        tenantId: 'acme',
      }),
      variable({ id: 'v-b-customer', instanceId: 'pi-b', name: 'customer', value: { type: 'String', value: 'Beta Ltd' }, tenantId: 'acme' }),
      variable({ id: 'v-b-approved', instanceId: 'pi-b', name: 'approved', value: { type: 'Boolean', value: false }, tenantId: 'acme' }),
      variable({ id: 'v-b-note', instanceId: 'pi-b', name: 'note', value: { type: 'String', value: 'urgent' }, tenantId: 'acme' }),
      variable({ id: 'v-c-amount', instanceId: 'pi-c', name: 'amount', value: { type: 'String', value: '100' } }),
      variable({ id: 'v-c-decision', instanceId: 'pi-c', taskId: 't3', executionId: 'ex-c1', name: 'decision', value: { type: 'String', value: 'ok' } }),
    ]),
    insert('task', task({ id: 't1', instanceId: 'pi-a', executionId: 'ex-a1', activityInstanceId: 'approve:1', definitionId: 'invoice:1', taskDefinitionKey: 'approve', name: 'Approve invoice', owner: 'boss', priority: 50, dueDate: at(60), followUpDate: at(30), createTime: at(0), candidateUsers: ['john'], candidateGroups: ['accounting'] })),
    insert('task', task({ id: 't2', instanceId: 'pi-b', executionId: 'ex-b1', activityInstanceId: 'review:1', definitionId: 'invoice:2', taskDefinitionKey: 'review', name: 'Review invoice', assignee: 'mary', priority: 80, dueDate: at(120), followUpDate: at(90), createTime: at(1), tenantId: 'acme', suspended: true, candidateUsers: ['john'], candidateGroups: ['accounting', 'management'] })),
    insert('task', task({ id: 't3', instanceId: 'pi-c', executionId: 'ex-c1', activityInstanceId: 'approve_order:1', definitionId: 'order:1', definitionKey: 'order', taskDefinitionKey: 'approve_order', name: 'Approve order', priority: 20, createTime: at(2), candidateGroups: ['sales'] })),
    insert('task', task({ id: 't4', instanceId: 'pi-c', executionId: 'ex-c2', activityInstanceId: 'ship:1', definitionId: 'order:1', definitionKey: 'order', taskDefinitionKey: 'ship', name: 'Ship', assignee: 'john', priority: 50, createTime: at(3) })),
  ]);
}

eachStore((store) => {
  describe('process instances', () => {
    const ids = async (filter: ProcessInstanceFilter) => (await store().findProcessInstances(filter)).map((p) => p.id);

    it('filters by id, business key and definition', async () => {
      await seed(store());
      expect(await ids({ id: 'pi-b' })).toEqual(['pi-b']);
      expect(await ids({ idIn: ['pi-c', 'pi-a'] })).toEqual(['pi-a', 'pi-c']);
      expect(await ids({ idIn: [] })).toEqual([]);
      expect(await ids({ businessKey: 'order-2' })).toEqual(['pi-b']);
      expect(await ids({ businessKeyLike: 'order-%' })).toEqual(['pi-a', 'pi-b']);
      expect(await ids({ definitionId: 'invoice:2' })).toEqual(['pi-b']);
      expect(await ids({ definitionKey: 'invoice' })).toEqual(['pi-a', 'pi-b']);
      expect(await ids({ definitionKeyIn: ['order', 'x'] })).toEqual(['pi-c']);
      expect(await ids({ definitionKeyNotIn: ['invoice'] })).toEqual(['pi-c']);
      expect(await ids({ deploymentId: 'd2' })).toEqual(['pi-b', 'pi-c']);
    });

    it('filters by super, sub and root instance', async () => {
      await seed(store());
      expect(await ids({ superInstanceId: 'pi-a' })).toEqual(['pi-b']);
      expect(await ids({ subInstanceId: 'pi-b' })).toEqual(['pi-a']);
      expect(await ids({ subInstanceId: 'pi-c' })).toEqual([]);
      expect(await ids({ rootInstanceId: 'pi-a' })).toEqual(['pi-a', 'pi-b']);
    });

    it('filters by suspension, tenant and current activity', async () => {
      await seed(store());
      expect(await ids({ suspended: true })).toEqual(['pi-b']);
      expect(await ids({ suspended: false })).toEqual(['pi-a', 'pi-c']);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['pi-b']);
      expect(await ids({ withoutTenantId: true })).toEqual(['pi-a', 'pi-c']);
      expect(await ids({ activityIdIn: ['approve'] })).toEqual(['pi-a', 'pi-c']);
      expect(await ids({ activityIdIn: ['review', 'ship'] })).toEqual(['pi-b', 'pi-c']);
    });

    it('requires every variable condition to hold', async () => {
      await seed(store());
      expect(await ids({ variables: [{ name: 'amount', operator: 'gt', value: 50 }] })).toEqual(['pi-a', 'pi-b']);
      expect(
        await ids({
          variables: [
            { name: 'amount', operator: 'gt', value: 50 },
            { name: 'customer', operator: 'like', value: 'Acme%' },
          ],
        }),
      ).toEqual(['pi-a']);
      expect(await ids({ variables: [{ name: 'decision', operator: 'eq', value: 'ok' }] })).toEqual([]);
    });

    it('sorts, pages and counts', async () => {
      await seed(store());
      expect(await ids({})).toEqual(['pi-a', 'pi-b', 'pi-c']);
      const byStart = await store().findProcessInstances({}, { maxResults: 2 }, [{ by: 'startTime', order: 'desc' }]);
      expect(byStart.map((p) => p.id)).toEqual(['pi-c', 'pi-b']);
      const byBusinessKey = await store().findProcessInstances({}, { firstResult: 1 }, [{ by: 'businessKey', order: 'desc' }]);
      expect(byBusinessKey.map((p) => p.id)).toEqual(['pi-a', 'pi-c']);
      expect(await store().countProcessInstances({ definitionKey: 'invoice' })).toBe(2);
      expect(await store().countProcessInstances({ variables: [{ name: 'approved', operator: 'eq', value: false }] })).toBe(1);
    });
  });

  describe('variable conditions', () => {
    const matching = async (condition: VariableCondition) => (await store().findProcessInstances({ variables: [condition] })).map((p) => p.id);

    it('a number compares numerically with Integer, Long, Short and Double variables only', async () => {
      await seed(store());
      expect(await matching({ name: 'amount', operator: 'eq', value: 100 })).toEqual(['pi-a']);
      expect(await matching({ name: 'amount', operator: 'neq', value: 100 })).toEqual(['pi-b']);
      expect(await matching({ name: 'amount', operator: 'gt', value: 100 })).toEqual(['pi-b']);
      expect(await matching({ name: 'amount', operator: 'gteq', value: 100 })).toEqual(['pi-a', 'pi-b']);
      expect(await matching({ name: 'amount', operator: 'lt', value: 250.5 })).toEqual(['pi-a']);
      expect(await matching({ name: 'amount', operator: 'lteq', value: 250.5 })).toEqual(['pi-a', 'pi-b']);
      expect(await matching({ name: 'amount', operator: 'lt', value: 99.5 })).toEqual([]);
    });

    it('a string compares as text with String and Date variables', async () => {
      await seed(store());
      expect(await matching({ name: 'amount', operator: 'eq', value: '100' })).toEqual(['pi-c']);
      expect(await matching({ name: 'customer', operator: 'eq', value: 'Beta Ltd' })).toEqual(['pi-b']);
      expect(await matching({ name: 'customer', operator: 'neq', value: 'Beta Ltd' })).toEqual(['pi-a']);
      expect(await matching({ name: 'customer', operator: 'gt', value: 'B' })).toEqual(['pi-b']);
      expect(await matching({ name: 'customer', operator: 'gteq', value: 'Acme Corp' })).toEqual(['pi-a', 'pi-b']);
      expect(await matching({ name: 'customer', operator: 'lt', value: 'Beta Ltd' })).toEqual(['pi-a']);
      expect(await matching({ name: 'customer', operator: 'lteq', value: 'Beta Ltd' })).toEqual(['pi-a', 'pi-b']);
      expect(await matching({ name: 'due', operator: 'gt', value: '2024-04-30T00:00:00.000Z' })).toEqual(['pi-a']);
      expect(await matching({ name: 'due', operator: 'lt', value: '2024-04-30T00:00:00.000Z' })).toEqual([]);
    });

    it('like matches text with % wildcards, case-sensitively', async () => {
      await seed(store());
      expect(await matching({ name: 'customer', operator: 'like', value: '%Ltd' })).toEqual(['pi-b']);
      expect(await matching({ name: 'customer', operator: 'like', value: '%ltd' })).toEqual([]);
      expect(await matching({ name: 'note', operator: 'like', value: 'urg%' })).toEqual(['pi-b']);
    });

    it('booleans and null compare by type', async () => {
      await seed(store());
      expect(await matching({ name: 'approved', operator: 'eq', value: true })).toEqual(['pi-a']);
      expect(await matching({ name: 'approved', operator: 'neq', value: true })).toEqual(['pi-b']);
      expect(await matching({ name: 'note', operator: 'eq', value: null })).toEqual(['pi-a']);
      expect(await matching({ name: 'note', operator: 'neq', value: null })).toEqual(['pi-b']);
    });

    it('ordering or like on booleans and null is bad input', async () => {
      await seed(store());
      await expect(matching({ name: 'approved', operator: 'gt', value: true })).rejects.toThrow(BadUserInputError);
      await expect(matching({ name: 'note', operator: 'like', value: null })).rejects.toThrow(BadUserInputError);
    });
  });

  describe('executions', () => {
    const ids = async (filter: ExecutionFilter) => (await store().findExecutions(filter)).map((e) => e.id);

    it('filters by every field', async () => {
      await seed(store());
      expect(await ids({ id: 'ex-b1' })).toEqual(['ex-b1']);
      expect(await ids({ instanceId: 'pi-c' })).toEqual(['ex-c1', 'ex-c2']);
      expect(await ids({ businessKey: 'order-1' })).toEqual(['ex-a1']);
      expect(await ids({ definitionId: 'order:1' })).toEqual(['ex-c1', 'ex-c2']);
      expect(await ids({ activityId: 'approve' })).toEqual(['ex-a1', 'ex-c1']);
      expect(await ids({ active: false })).toEqual(['ex-c1']);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['ex-b1']);
    });

    it('pages by id and counts', async () => {
      await seed(store());
      expect((await store().findExecutions({}, { firstResult: 1, maxResults: 2 })).map((e) => e.id)).toEqual(['ex-b1', 'ex-c1']);
      expect(await store().countExecutions({ instanceId: 'pi-c' })).toBe(2);
    });
  });

  describe('tasks', () => {
    const ids = async (filter: TaskFilter) => (await store().findTasks(filter)).map((t) => t.id);

    it('filters by ids, instance, execution and activity instance', async () => {
      await seed(store());
      expect(await ids({ id: 't2' })).toEqual(['t2']);
      expect(await ids({ idIn: ['t4', 't1'] })).toEqual(['t1', 't4']);
      expect(await ids({ instanceId: 'pi-c' })).toEqual(['t3', 't4']);
      expect(await ids({ instanceIdIn: ['pi-a', 'pi-b'] })).toEqual(['t1', 't2']);
      expect(await ids({ executionId: 'ex-c2' })).toEqual(['t4']);
      expect(await ids({ activityInstanceIdIn: ['review:1', 'ship:1'] })).toEqual(['t2', 't4']);
      expect(await ids({ businessKey: 'order-1' })).toEqual(['t1']);
    });

    it('filters by definition and task definition key', async () => {
      await seed(store());
      expect(await ids({ definitionId: 'invoice:2' })).toEqual(['t2']);
      expect(await ids({ definitionKey: 'order' })).toEqual(['t3', 't4']);
      expect(await ids({ definitionKeyIn: ['invoice'] })).toEqual(['t1', 't2']);
      expect(await ids({ taskDefinitionKey: 'ship' })).toEqual(['t4']);
      expect(await ids({ taskDefinitionKeyIn: ['review', 'ship'] })).toEqual(['t2', 't4']);
      expect(await ids({ taskDefinitionKeyLike: 'approve%' })).toEqual(['t1', 't3']);
    });

    it('filters by name, assignee and owner', async () => {
      await seed(store());
      expect(await ids({ name: 'Ship' })).toEqual(['t4']);
      expect(await ids({ nameLike: '%invoice' })).toEqual(['t1', 't2']);
      expect(await ids({ assignee: 'mary' })).toEqual(['t2']);
      expect(await ids({ assigneeIn: ['mary', 'john'] })).toEqual(['t2', 't4']);
      expect(await ids({ assigneeLike: 'j%' })).toEqual(['t4']);
      expect(await ids({ owner: 'boss' })).toEqual(['t1']);
      expect(await ids({ unassigned: true })).toEqual(['t1', 't3']);
      expect(await ids({ assigned: true })).toEqual(['t2', 't4']);
      expect(await ids({ assigned: false })).toEqual(['t1', 't2', 't3', 't4']);
    });

    it('candidateUser finds unassigned tasks the user is a candidate for, includeAssignedTasks also assigned ones', async () => {
      await seed(store());
      expect(await ids({ candidateUser: 'john' })).toEqual(['t1']);
      expect(await ids({ candidateUser: 'john', includeAssignedTasks: true })).toEqual(['t1', 't2']);
      expect(await ids({ candidateUser: 'nobody' })).toEqual([]);
    });

    it('candidateGroup and candidateGroupIn find unassigned tasks of those groups', async () => {
      await seed(store());
      expect(await ids({ candidateGroup: 'accounting' })).toEqual(['t1']);
      expect(await ids({ candidateGroup: 'accounting', includeAssignedTasks: true })).toEqual(['t1', 't2']);
      expect(await ids({ candidateGroupIn: ['sales', 'management'] })).toEqual(['t3']);
      expect(await ids({ candidateGroupIn: ['sales', 'management'], includeAssignedTasks: true })).toEqual(['t2', 't3']);
      expect(await ids({ candidateGroupIn: [] })).toEqual([]);
    });

    it('candidateUser with candidateGroupIn (the user’s groups) matches either', async () => {
      await seed(store());
      expect(await ids({ candidateUser: 'peter', candidateGroupIn: ['sales'] })).toEqual(['t3']);
      expect(await ids({ candidateUser: 'john', candidateGroupIn: ['sales'] })).toEqual(['t1', 't3']);
      expect(await store().countTasks({ candidateUser: 'john', candidateGroupIn: ['sales'], includeAssignedTasks: true })).toBe(3);
    });

    it('filters by having candidate users or groups at all', async () => {
      await seed(store());
      expect(await ids({ withCandidateGroups: true })).toEqual(['t1', 't2', 't3']);
      expect(await ids({ withoutCandidateGroups: true })).toEqual(['t4']);
      expect(await ids({ withCandidateUsers: true })).toEqual(['t1', 't2']);
      expect(await ids({ withoutCandidateUsers: true })).toEqual(['t3', 't4']);
    });

    it('filters by due, follow-up and create dates', async () => {
      await seed(store());
      expect(await ids({ dueBefore: at(100) })).toEqual(['t1']);
      expect(await ids({ dueAfter: at(60) })).toEqual(['t2']);
      expect(await ids({ followUpBefore: at(90) })).toEqual(['t1']);
      expect(await ids({ followUpAfter: at(30) })).toEqual(['t2']);
      expect(await ids({ createdBefore: at(2) })).toEqual(['t1', 't2']);
      expect(await ids({ createdAfter: at(1) })).toEqual(['t3', 't4']);
    });

    it('filters by priority, suspension and tenant', async () => {
      await seed(store());
      expect(await ids({ priority: 50 })).toEqual(['t1', 't4']);
      expect(await ids({ minPriority: 50 })).toEqual(['t1', 't2', 't4']);
      expect(await ids({ maxPriority: 50 })).toEqual(['t1', 't3', 't4']);
      expect(await ids({ suspended: true })).toEqual(['t2']);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['t2']);
      expect(await ids({ withoutTenantId: true })).toEqual(['t1', 't3', 't4']);
    });

    it('filters by process variables of the instance and by task-local variables', async () => {
      await seed(store());
      expect(await ids({ processVariables: [{ name: 'amount', operator: 'gt', value: 100 }] })).toEqual(['t2']);
      expect(await ids({ processVariables: [{ name: 'amount', operator: 'eq', value: '100' }] })).toEqual(['t3', 't4']);
      expect(await ids({ processVariables: [{ name: 'decision', operator: 'eq', value: 'ok' }] })).toEqual([]);
      expect(await ids({ taskVariables: [{ name: 'decision', operator: 'eq', value: 'ok' }] })).toEqual(['t3']);
      expect(await ids({ taskVariables: [{ name: 'decision', operator: 'neq', value: 'ok' }] })).toEqual([]);
    });

    it('orders by create time by default, sorts by any field with null smallest, pages and counts', async () => {
      await seed(store());
      expect(await ids({})).toEqual(['t1', 't2', 't3', 't4']);
      const sorted = async (by: Parameters<TestStore['findTasks']>[2]) => (await store().findTasks({}, {}, by)).map((t) => t.id);
      expect(await sorted([{ by: 'priority', order: 'desc' }, { by: 'created', order: 'desc' }])).toEqual(['t2', 't4', 't1', 't3']);
      expect(await sorted([{ by: 'dueDate' }])).toEqual(['t3', 't4', 't1', 't2']);
      expect(await sorted([{ by: 'dueDate', order: 'desc' }])).toEqual(['t2', 't1', 't3', 't4']);
      expect(await sorted([{ by: 'assignee' }, { by: 'id', order: 'desc' }])).toEqual(['t3', 't1', 't4', 't2']);
      expect(await sorted([{ by: 'name' }])).toEqual(['t1', 't3', 't2', 't4']);
      expect(await sorted([{ by: 'followUpDate', order: 'desc' }])).toEqual(['t2', 't1', 't3', 't4']);
      expect(await sorted([{ by: 'instanceId', order: 'desc' }])).toEqual(['t3', 't4', 't2', 't1']);
      expect(await sorted([{ by: 'taskDefinitionKey' }])).toEqual(['t1', 't3', 't2', 't4']);
      expect((await store().findTasks({}, { firstResult: 1, maxResults: 2 })).map((t) => t.id)).toEqual(['t2', 't3']);
      expect(await store().countTasks({ unassigned: true })).toBe(2);
    });

    it('an unknown sort field is bad input', async () => {
      await expect(store().findTasks({}, {}, [{ by: 'nope' as 'id' }])).rejects.toThrow(BadUserInputError);
    });
  });

  describe('variables', () => {
    const ids = async (filter: VariableFilter) => (await store().findVariables(filter)).map((v) => v.id);

    it('filters by instance, execution, activity instance, task and tenant', async () => {
      await seed(store());
      expect(await ids({ instanceIdIn: ['pi-c'] })).toEqual(['v-c-amount', 'v-c-decision']);
      expect(await ids({ executionIdIn: ['ex-b1'] })).toEqual(['v-b-amount']);
      expect(await ids({ activityInstanceIdIn: ['review:1'] })).toEqual(['v-b-amount']);
      expect(await ids({ taskIdIn: ['t3'] })).toEqual(['v-c-decision']);
      expect(await ids({ tenantIdIn: ['acme'], name: 'amount' })).toEqual(['v-b-amount']);
    });

    it('filters by name, names and name pattern', async () => {
      await seed(store());
      expect(await ids({ name: 'amount' })).toEqual(['v-a-amount', 'v-b-amount', 'v-c-amount']);
      expect(await ids({ nameIn: ['note', 'due'] })).toEqual(['v-a-due', 'v-a-note', 'v-b-note']);
      expect(await ids({ nameLike: 'cust%' })).toEqual(['v-a-customer', 'v-b-customer']);
    });

    it('filters by value conditions', async () => {
      await seed(store());
      expect(await ids({ values: [{ name: 'amount', operator: 'gteq', value: 100 }] })).toEqual(['v-a-amount', 'v-b-amount']);
      expect(await ids({ values: [{ name: 'customer', operator: 'like', value: '%Corp' }] })).toEqual(['v-a-customer']);
    });

    it('orders by name, pages and counts', async () => {
      await seed(store());
      expect((await store().findVariables({ instanceIdIn: ['pi-a'] }, { firstResult: 1, maxResults: 2 })).map((v) => v.name)).toEqual([
        'approved',
        'customer',
      ]);
      expect(await store().countVariables({ instanceIdIn: ['pi-a', 'pi-b'] })).toBe(9);
    });
  });
});
