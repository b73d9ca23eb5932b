import { beforeAll, expect, it } from 'vitest';
import { BadUserInputError, NotFoundError } from '../../engine/errors.js';
import type { FetchTopic, LockedExternalTask } from '../../engine/external-tasks/service.js';
import { eventually, TestClock } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';

const clock = new TestClock();
const MINUTE = 60_000;
let counter = 0;
/** A business key (or topic) no other test of the suite uses: both stores keep the suite's data between tests. */
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

engineSuite(
  'external tasks',
  (h) => {
    const svc = () => h.engine().externalTasks;
    const fetch = (workerId: string, topic: FetchTopic, maxTasks = 10): Promise<LockedExternalTask[]> => svc().fetchAndLock({ workerId, maxTasks, topics: [topic] });
    const start = async (key: string, businessKey: string, variables: Record<string, unknown> = {}) =>
      h.engine().startProcessInstance({ processDefinitionKey: key, businessKey, variables });
    const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId })).map((t) => t.taskDefinitionKey);

    beforeAll(async () => {
      await h.deploy(
        'ExternalTask.basic.bpmn',
        'ExternalTask.localVariables.bpmn',
        'ExternalTask.priority.bpmn',
        'ExternalTask.errorBoundary.bpmn',
        'ExternalTask.timerBoundary.bpmn',
        'ExternalTask.sendAndDecide.bpmn',
        'ExternalTask.multiInstance.bpmn',
      );
    });

    it('a worker fetches and locks a task with the variables it asks for, completes it with variables, and the process goes on', async () => {
      const bk = unique('basic');
      const pi = await start('externalBasic', bk, { amount: 42, customer: 'ACME' });
      const [task, ...rest] = await fetch('w1', { topicName: 'invoice', lockDuration: 5 * MINUTE, businessKey: bk, variables: ['amount', 'missing'], includeExtensionProperties: true });
      expect(rest).toEqual([]);
      expect(task).toMatchObject({
        topicName: 'invoice',
        workerId: 'w1',
        lockExpiration: new Date(clock.now().getTime() + 5 * MINUTE),
        retries: null,
        instanceId: pi.id,
        activityId: 'createInvoice',
        businessKey: bk,
        definitionKey: 'externalBasic',
        priority: 0,
        suspended: false,
        variables: { amount: { type: 'Integer', value: 42 } },
        extensionProperties: { department: 'billing' },
      });
      expect(task!.activityInstanceId).toMatch(/^createInvoice:/);
      // Locked: nobody else gets it.
      expect(await fetch('w2', { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk })).toEqual([]);
      await svc().complete(task!.id, 'w1', { approved: true, invoiceNo: 'INV-7' });
      expect(await taskKeys(pi.id)).toEqual(['check']);
      expect(await h.engine().getVariables(pi.id)).toMatchObject({ approved: { type: 'Boolean', value: true }, invoiceNo: { type: 'String', value: 'INV-7' } });
      expect(await svc().getExternalTask(task!.id)).toBeNull();
      const [hist] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'createInvoice' });
      expect(hist).toMatchObject({ activityType: 'serviceTask', canceled: false });
      expect(hist!.endTime).not.toBeNull();
    });

    it('local variables: the worker sees and sets only the activity\'s own scope, and output mappings carry them out', async () => {
      const bk = unique('local');
      const pi = await start('externalLocal', bk, { order: 'O-1' });
      const [task] = await fetch('w1', { topicName: 'archive', lockDuration: MINUTE, businessKey: bk, localVariables: true });
      expect(task!.variables).toEqual({ documentId: { type: 'String', value: 'O-1-doc' } });
      const [all] = await svc().findExternalTasks({ id: task!.id });
      expect(all!.executionId).not.toBe(pi.id);
      await svc().complete(task!.id, 'w1', { seen: true }, { localNo: 'A-9' });
      const vars = await h.engine().getVariables(pi.id);
      expect(vars).toMatchObject({ archiveNo: { type: 'String', value: 'A-9' }, seen: { type: 'Boolean', value: true } });
      expect(vars['localNo']).toBeUndefined();
      expect(vars['documentId']).toBeUndefined();
    });

    it('another worker cannot complete, fail, extend or raise an error on a locked task; the error names the worker holding it', async () => {
      const bk = unique('wrong-worker');
      await start('externalBasic', bk);
      const [task] = await fetch('w1', { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk });
      const refused = `External Task ${task!.id} cannot be completed by worker 'intruder'. It is locked by worker 'w1'.`;
      await expect(svc().complete(task!.id, 'intruder')).rejects.toThrow(refused);
      await expect(svc().complete(task!.id, 'intruder')).rejects.toBeInstanceOf(BadUserInputError);
      await expect(svc().handleFailure(task!.id, 'intruder', { retries: 1 })).rejects.toThrow(/cannot be reported by worker 'intruder'\. It is locked by worker 'w1'/);
      await expect(svc().handleBpmnError(task!.id, 'intruder', 'X')).rejects.toThrow(/It is locked by worker 'w1'/);
      await expect(svc().extendLock(task!.id, 'intruder', MINUTE)).rejects.toThrow(/cannot be extended by worker 'intruder'/);
      expect(await svc().getExternalTask(task!.id)).toMatchObject({ workerId: 'w1' });
    });

    it('an expired lock makes the task fetchable by another worker, and then the first worker is refused', async () => {
      const bk = unique('expiry');
      const pi = await start('externalBasic', bk);
      const topic = { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk };
      const [task] = await fetch('w1', topic);
      clock.advance(MINUTE - 1);
      expect(await fetch('w2', topic)).toEqual([]);
      await svc().extendLock(task!.id, 'w1', 2 * MINUTE);
      clock.advance(2 * MINUTE - 1);
      expect(await fetch('w2', topic)).toEqual([]);
      clock.advance(1);
      await expect(svc().extendLock(task!.id, 'w1', MINUTE)).resolves.toBeUndefined();
      clock.advance(MINUTE + 1);
      await expect(svc().extendLock(task!.id, 'w1', MINUTE)).rejects.toThrow('Cannot extend a lock that expired');
      const [again] = await fetch('w2', topic);
      expect(again).toMatchObject({ id: task!.id, workerId: 'w2' });
      await expect(svc().complete(task!.id, 'w1')).rejects.toThrow(/It is locked by worker 'w2'/);
      await svc().complete(task!.id, 'w2');
      expect(await taskKeys(pi.id)).toEqual(['check']);
    });

    it('a failure keeps the task away for its retry timeout; no retries left raise an incident that setRetries resolves', async () => {
      const bk = unique('failure');
      const pi = await start('externalBasic', bk);
      const topic = { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk };
      const [task] = await fetch('w1', topic);
      await svc().handleFailure(task!.id, 'w1', { errorMessage: 'Connection refused', errorDetails: 'at worker.js:12', retries: 2, retryTimeout: 5 * MINUTE });
      expect(await svc().getExternalTask(task!.id)).toMatchObject({ retries: 2, errorMessage: 'Connection refused', errorDetails: 'at worker.js:12', workerId: 'w1' });
      expect(await svc().getErrorDetails(task!.id)).toBe('at worker.js:12');
      clock.advance(5 * MINUTE - 1);
      expect(await fetch('w2', topic)).toEqual([]);
      clock.advance(1);
      const [retry] = await fetch('w2', topic);
      expect(retry).toMatchObject({ id: task!.id, retries: 2, errorMessage: 'Connection refused' });

      await svc().handleFailure(task!.id, 'w2', { errorMessage: 'x'.repeat(1000), retries: 0 });
      expect((await svc().getExternalTask(task!.id))!.errorMessage).toHaveLength(666);
      // Details stay from the earlier failure when a failure reports none.
      expect(await svc().getErrorDetails(task!.id)).toBe('at worker.js:12');
      const [incident, ...more] = await h.engine().findIncidents({ instanceId: pi.id });
      expect(more).toEqual([]);
      expect(incident).toMatchObject({ type: 'failedExternalTask', configuration: task!.id, activityId: 'createInvoice', message: 'x'.repeat(666) });
      clock.advance(MINUTE);
      expect(await fetch('w2', topic)).toEqual([]);
      expect(await svc().countExternalTasks({ id: task!.id, noRetriesLeft: true })).toBe(1);

      await svc().setRetries(task!.id, 1);
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toEqual([]);
      const [last] = await fetch('w3', topic);
      expect(last).toMatchObject({ id: task!.id, retries: 1 });
      await svc().complete(task!.id, 'w3');
      expect(await taskKeys(pi.id)).toEqual(['check']);
      await expect(svc().handleFailure(task!.id, 'w3', { retries: -1 })).rejects.toThrow(/retries/);
    });

    it('a BPMN error from the worker is caught by the error boundary event, with the variables it sent', async () => {
      const bk = unique('bpmn-error');
      const pi = await start('externalError', bk);
      const [task] = await fetch('w1', { topicName: 'lookup', lockDuration: MINUTE, businessKey: bk });
      await svc().handleBpmnError(task!.id, 'w1', 'NOT_FOUND', 'no such item', { item: 'X-1' });
      expect(await taskKeys(pi.id)).toEqual(['handleMissing']);
      expect(await h.engine().getVariables(pi.id)).toMatchObject({
        code: { value: 'NOT_FOUND' },
        reason: { value: 'no such item' },
        item: { value: 'X-1' },
      });
      expect(await svc().getExternalTask(task!.id)).toBeNull();
    });

    it('the topic and priority may be expressions; usePriority fetches the highest priority first', async () => {
      const topicName = unique('prio');
      for (const [bk, prio] of [['low', 1], ['high', 10], ['mid', 5]] as const) await start('externalPriority', `${topicName}-${bk}`, { topic: topicName, prio });
      const byPriority = await svc().fetchAndLock({ workerId: 'w1', maxTasks: 2, usePriority: true, topics: [{ topicName, lockDuration: MINUTE }] });
      expect(byPriority.map((t) => [t.businessKey, t.priority])).toEqual([
        [`${topicName}-high`, 10],
        [`${topicName}-mid`, 5],
      ]);
      const rest = await fetch('w1', { topicName, lockDuration: MINUTE });
      expect(rest.map((t) => t.businessKey)).toEqual([`${topicName}-low`]);
      const other = unique('fifo');
      for (const [bk, prio] of [['first', 1], ['second', 10]] as const) await start('externalPriority', `${other}-${bk}`, { topic: other, prio });
      const fifo = await svc().fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: other, lockDuration: MINUTE }] });
      expect(fifo.map((t) => t.businessKey)).toEqual([`${other}-first`]);
    });

    it('long polling: a waiting fetch answers as soon as a matching task is created on this node', async () => {
      const topicName = unique('long-poll');
      const started = Date.now();
      const pending = svc().fetchAndLock({ workerId: 'w1', maxTasks: 5, asyncResponseTimeout: 20_000, topics: [{ topicName, lockDuration: MINUTE }] });
      await eventually(async () => svc().waitingFetches > 0, 5000, 'the fetch to wait');
      await start('externalPriority', unique('lp'), { topic: `${topicName}-other`, prio: 0 });
      await start('externalPriority', unique('lp'), { topic: topicName, prio: 0 });
      const created = Date.now();
      const tasks = await pending;
      expect(tasks.map((t) => t.topicName)).toEqual([topicName]);
      // Told after the commit: far sooner than the periodic re-check (1 s), let alone the timeout.
      expect(Date.now() - created).toBeLessThan(500);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(svc().waitingFetches).toBe(0);
    });

    it('long polling finds a task another node created by re-checking, and answers empty at its timeout', async () => {
      const topicName = unique('other-node');
      const other = await h.secondEngine({ clock });
      const pending = svc().fetchAndLock({ workerId: 'w1', maxTasks: 5, asyncResponseTimeout: 20_000, topics: [{ topicName, lockDuration: MINUTE }] });
      await eventually(async () => svc().waitingFetches > 0, 5000, 'the fetch to wait');
      await other.startProcessInstance({ processDefinitionKey: 'externalPriority', variables: { topic: topicName, prio: 0 } });
      expect((await pending).map((t) => t.topicName)).toEqual([topicName]);

      const before = Date.now();
      expect(await svc().fetchAndLock({ workerId: 'w1', maxTasks: 5, asyncResponseTimeout: 300, topics: [{ topicName: unique('none'), lockDuration: MINUTE }] })).toEqual([]);
      expect(Date.now() - before).toBeGreaterThanOrEqual(290);
      await expect(svc().fetchAndLock({ workerId: 'w1', maxTasks: 1, asyncResponseTimeout: 1_800_001, topics: [] })).rejects.toThrow(
        'The asynchronous response timeout cannot be set to a value greater than 1800000 milliseconds',
      );
    });

    it('completing twice is refused as not found and never continues the process twice, also when both race', async () => {
      const bk = unique('twice');
      const pi = await start('externalBasic', bk);
      const [task] = await fetch('w1', { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk });
      const results = await Promise.allSettled([svc().complete(task!.id, 'w1', { n: 1 }), svc().complete(task!.id, 'w1', { n: 2 })]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failed.reason).toBeInstanceOf(NotFoundError);
      await expect(svc().complete(task!.id, 'w1')).rejects.toThrow(`Cannot find external task with id ${task!.id}`);
      expect(await taskKeys(pi.id)).toEqual(['check']);
      expect(await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'check' })).toHaveLength(1);
    });

    it('a locked task survives a restart: the worker completes it on the new engine', async () => {
      const bk = unique('restart');
      const pi = await start('externalBasic', bk);
      const [task] = await fetch('w1', { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk });
      await h.restart();
      expect(await fetch('w2', { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk })).toEqual([]);
      await svc().complete(task!.id, 'w1', { done: true });
      expect(await taskKeys(pi.id)).toEqual(['check']);
    });

    it('the task goes with its execution: when the instance is deleted and when an interrupting timer fires', async () => {
      const bk = unique('cancel');
      const pi = await start('externalBasic', bk);
      const [task] = await fetch('w1', { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk });
      await h.engine().deleteProcessInstance(pi.id);
      expect(await svc().getExternalTask(task!.id)).toBeNull();
      await expect(svc().complete(task!.id, 'w1')).rejects.toBeInstanceOf(NotFoundError);

      const bk2 = unique('timeout');
      const pi2 = await start('externalTimeout', bk2);
      const [slow] = await fetch('w1', { topicName: 'slow', lockDuration: 60 * MINUTE, businessKey: bk2 });
      await svc().handleFailure(slow!.id, 'w1', { errorMessage: 'down', retries: 0 });
      expect(await h.engine().countIncidents({ instanceId: pi2.id })).toBe(1);
      clock.advanceMinutes(10);
      expect(await h.engine().runDueJobs()).toBe(1);
      expect(await taskKeys(pi2.id)).toEqual(['escalate']);
      expect(await svc().getExternalTask(slow!.id)).toBeNull();
      expect(await h.engine().countIncidents({ instanceId: pi2.id })).toBe(0);
    });

    it('a suspended instance holds its task: not fetchable, not completable, until it is activated', async () => {
      const bk = unique('suspend');
      const pi = await start('externalBasic', bk);
      const topic = { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk };
      await h.engine().suspendProcessInstance(pi.id);
      expect(await fetch('w1', topic)).toEqual([]);
      expect(await svc().countExternalTasks({ instanceId: pi.id, suspended: true })).toBe(1);
      await h.engine().activateProcessInstance(pi.id);
      const [task] = await fetch('w1', topic);
      await h.engine().suspendProcessInstance(pi.id);
      await expect(svc().complete(task!.id, 'w1')).rejects.toThrow(/suspended/);
      await h.engine().activateProcessInstance(pi.id);
      await svc().complete(task!.id, 'w1');
      expect(await taskKeys(pi.id)).toEqual(['check']);
    });

    it('send tasks and business rule tasks may be external too; unlock hands a task back', async () => {
      const bk = unique('send-decide');
      const pi = await start('externalSendAndDecide', bk);
      const [send] = await fetch('w1', { topicName: 'notify', lockDuration: MINUTE, businessKey: bk });
      await svc().unlock(send!.id);
      const [again] = await fetch('w2', { topicName: 'notify', lockDuration: MINUTE, businessKey: bk });
      expect(again!.id).toBe(send!.id);
      await svc().complete(send!.id, 'w2');
      const [decide] = await fetch('w2', { topicName: 'decide', lockDuration: MINUTE, businessKey: bk });
      expect(decide).toMatchObject({ activityId: 'decide' });
      await svc().complete(decide!.id, 'w2', { discount: 0.1 });
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    });

    it('a parallel multi-instance external task makes one task per element; its completion condition removes the rest', async () => {
      const bk = unique('multi');
      const pi = await start('externalMultiInstance', bk, { parcels: ['p1', 'p2', 'p3'] });
      const tasks = await fetch('w1', { topicName: 'ship', lockDuration: MINUTE, businessKey: bk, localVariables: true, variables: ['parcel'] });
      expect(tasks.map((t) => t.variables['parcel']?.value).sort()).toEqual(['p1', 'p2', 'p3']);
      await svc().complete(tasks[0]!.id, 'w1');
      expect(await taskKeys(pi.id)).toEqual([]);
      await svc().complete(tasks[1]!.id, 'w1');
      expect(await taskKeys(pi.id)).toEqual(['after']);
      expect(await svc().getExternalTask(tasks[2]!.id)).toBeNull();
      await expect(svc().complete(tasks[2]!.id, 'w1')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('queries filter by topic, worker, lock and retries', async () => {
      const bk = unique('query');
      const pi = await start('externalBasic', bk);
      const [task] = await fetch('w-query', { topicName: 'invoice', lockDuration: MINUTE, businessKey: bk });
      const ids = async (filter: Parameters<ReturnType<typeof svc>['findExternalTasks']>[0]) => (await svc().findExternalTasks(filter)).map((t) => t.id);
      expect(await ids({ instanceId: pi.id, topicName: 'invoice', workerId: 'w-query', ...svc().lockFilter(true) })).toEqual([task!.id]);
      expect(await ids({ instanceId: pi.id, ...svc().lockFilter(false) })).toEqual([]);
      expect(await ids({ instanceId: pi.id, withRetriesLeft: true, activityId: 'createInvoice' })).toEqual([task!.id]);
      await svc().setPriority(task!.id, 7);
      expect(await ids({ instanceId: pi.id, priorityHigherThanOrEquals: 7 })).toEqual([task!.id]);
      expect(await svc().getExternalTask(task!.id)).toMatchObject({ workerId: 'w-query', priority: 7 });
    });
  },
  () => ({ clock }),
);
