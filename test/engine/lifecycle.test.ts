import { beforeEach, expect, it } from 'vitest';
import type { DomainEvent } from '../../engine/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

const recorded: string[] = [];

engineSuite(
  'instance lifecycle',
  (h) => {
    beforeEach(() => {
      recorded.length = 0;
    });

    const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId }, {}, [{ by: 'taskDefinitionKey' }])).map((t) => t.taskDefinitionKey);

    it('a terminate end event in a parallel branch ends the instance and cancels the other branch, across a restart', async () => {
      await h.deploy('Engine.terminateInBranch.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'terminateInBranch' });
      const tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
      expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['taskA', 'taskB']);
      await h.restart();
      await h.engine().completeTask(tasks[1]!.id);

      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      expect(await h.engine().findTasks({ instanceId: pi.id })).toEqual([]);
      expect(await h.engine().findExecutions({ instanceId: pi.id })).toEqual([]);
      // The cancelled branch ends first (its end listener sees isCanceled()), then the terminate end event.
      expect(recorded).toEqual(['taskA:end:true', 'terminate:end:false']);

      const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
      expect(hpi).toMatchObject({ state: 'COMPLETED', endActivityId: 'terminate' });
      const acts = Object.fromEntries((await h.engine().findHistoricActivityInstances({ instanceId: pi.id })).map((a) => [a.activityId, a]));
      expect(acts['taskA']).toMatchObject({ canceled: true, completeScope: false });
      expect(acts['taskA']!.endTime).not.toBeNull();
      expect(acts['taskB']).toMatchObject({ canceled: false, completeScope: false });
      expect(acts['terminate']).toMatchObject({ canceled: false, completeScope: true });
      expect(acts['endA']).toBeUndefined();
      const htasks = Object.fromEntries((await h.engine().findHistoricTaskInstances({ instanceId: pi.id })).map((t) => [t.taskDefinitionKey, t.deleteReason]));
      expect(htasks).toEqual({ taskA: 'deleted', taskB: 'completed' });
    });

    it('a terminate end event inside a subprocess ends only the subprocess, which then leaves normally', async () => {
      await h.deploy('Engine.terminateInSubprocess.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'terminateInSubprocess' });
      const tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
      await h.restart();
      await h.engine().completeTask(tasks[1]!.id);

      expect(await taskKeys(pi.id)).toEqual(['afterSub']);
      expect(await h.engine().findExecutions({ instanceId: pi.id })).toHaveLength(1);
      const acts = Object.fromEntries((await h.engine().findHistoricActivityInstances({ instanceId: pi.id })).map((a) => [a.activityId, a]));
      expect(acts['taskA']).toMatchObject({ canceled: true });
      expect(acts['subTerminate']).toMatchObject({ canceled: false, completeScope: true });
      expect(acts['sub']).toMatchObject({ canceled: false, completeScope: false });
      expect(acts['sub']!.endTime).not.toBeNull();
      expect((await h.engine().findHistoricProcessInstances({ id: pi.id }))[0]!.state).toBe('ACTIVE');

      await h.restart();
      const [after] = await h.engine().findTasks({ instanceId: pi.id });
      await h.engine().completeTask(after!.id);
      expect((await h.engine().findHistoricProcessInstances({ id: pi.id }))[0]).toMatchObject({ state: 'COMPLETED', endActivityId: 'end' });
    });

    it('a terminate end event cancels a running call activity: the called instance ends internally terminated', async () => {
      await h.deploy('Engine.terminateCallActivity.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'terminateCallActivity' });
      const [sub] = await h.engine().findProcessInstances({ superInstanceId: pi.id });
      const [decide] = await h.engine().findTasks({ instanceId: pi.id });
      await h.restart();
      await h.engine().completeTask(decide!.id);
      expect(await h.engine().getProcessInstance(sub!.id)).toBeNull();
      expect(await h.engine().findTasks({ instanceId: sub!.id })).toEqual([]);
      expect((await h.engine().findHistoricProcessInstances({ id: pi.id }))[0]!.state).toBe('COMPLETED');
      expect((await h.engine().findHistoricProcessInstances({ id: sub!.id }))[0]!.state).toBe('INTERNALLY_TERMINATED');
      expect((await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'call' }))[0]).toMatchObject({ canceled: true, calledProcessInstanceId: sub!.id });
    });

    it('deleting a calling instance terminates the called instance externally', async () => {
      await h.deploy('Engine.terminateCallActivity.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'terminateCallActivity' });
      const [sub] = await h.engine().findProcessInstances({ superInstanceId: pi.id });
      await h.engine().deleteProcessInstance(pi.id, 'gone');
      expect((await h.engine().findHistoricProcessInstances({ id: sub!.id }))[0]).toMatchObject({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'gone' });
    });

    it('a receive task waits until its execution is signalled, also after a restart', async () => {
      await h.deploy('Engine.receiveTask.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'receiveTask' });
      expect(await h.engine().getActiveActivityIds(pi.id)).toEqual(['waitForPayment']);
      const [waiting] = await h.engine().findExecutions({ instanceId: pi.id, activityId: 'waitForPayment' });
      expect(waiting).toBeDefined();
      expect(await h.engine().findTasks({ instanceId: pi.id })).toEqual([]);

      await h.restart();
      await h.engine().signalExecution(waiting!.id, { paidAmount: 99.5 });
      expect(await taskKeys(pi.id)).toEqual(['ship']);
      expect((await h.engine().getVariables(pi.id))['paidAmount']).toEqual({ type: 'Double', value: 99.5 });
      const [hai] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'waitForPayment' });
      expect(hai).toMatchObject({ activityType: 'receiveTask', canceled: false });
      expect(hai!.endTime).not.toBeNull();

      // Only waiting executions at signallable activities can be signalled.
      const [ship] = await h.engine().findExecutions({ instanceId: pi.id, activityId: 'ship' });
      await expect(h.engine().signalExecution(ship!.id)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(h.engine().signalExecution('no-such-execution')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('a suspended instance refuses to complete tasks or be signalled until it is activated again', async () => {
      await h.deploy('Engine.suspendable.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'suspendable' });
      const [review] = await h.engine().findTasks({ instanceId: pi.id });
      const [waiting] = await h.engine().findExecutions({ instanceId: pi.id, activityId: 'waitForSignal' });

      await h.engine().suspendProcessInstance(pi.id);
      expect(await h.engine().getProcessInstance(pi.id)).toMatchObject({ suspended: true });
      expect(await h.engine().findTasks({ instanceId: pi.id, suspended: true })).toHaveLength(1);
      expect((await h.engine().findHistoricProcessInstances({ id: pi.id }))[0]!.state).toBe('SUSPENDED');
      await h.restart();
      const refused = h.engine().completeTask(review!.id);
      await expect(refused).rejects.toMatchObject({ code: 'BAD_USER_INPUT', camundaType: 'SuspendedEntityInteractionException' });
      await expect(refused).rejects.toThrow(/is suspended/);
      await expect(h.engine().signalExecution(waiting!.id)).rejects.toThrow(/is suspended/);
      expect(await taskKeys(pi.id)).toEqual(['review']);

      await h.engine().activateProcessInstance(pi.id);
      expect(await h.engine().getProcessInstance(pi.id)).toMatchObject({ suspended: false });
      expect(await h.engine().findTasks({ instanceId: pi.id, suspended: false })).toHaveLength(1);
      expect((await h.engine().findHistoricProcessInstances({ id: pi.id }))[0]!.state).toBe('ACTIVE');
      await h.engine().completeTask(review!.id);
      await h.engine().signalExecution(waiting!.id);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      expect((await h.engine().findHistoricProcessInstances({ id: pi.id }))[0]!.state).toBe('COMPLETED');
    });

    it('deleteProcessInstance removes the runtime state and records the cancellation in history', async () => {
      await h.deploy('Engine.suspendable.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'suspendable', variables: { kept: 'in history' } });
      await h.restart();
      await h.engine().deleteProcessInstance(pi.id, 'order withdrawn');
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      expect(await h.engine().findTasks({ instanceId: pi.id })).toEqual([]);
      expect(await h.engine().findExecutions({ instanceId: pi.id })).toEqual([]);
      expect(await h.engine().findVariables({ instanceIdIn: [pi.id] })).toEqual([]);
      const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
      expect(hpi).toMatchObject({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'order withdrawn' });
      expect(hpi!.endTime).not.toBeNull();
      const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, unfinished: true });
      expect(acts).toEqual([]);
      const canceled = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, canceled: true });
      expect(canceled.map((a) => a.activityId).sort()).toEqual(['review', 'waitForSignal']);
      expect((await h.engine().findHistoricTaskInstances({ instanceId: pi.id }))[0]!.deleteReason).toBe('deleted');
      expect((await h.engine().findHistoricVariableInstances({ instanceId: pi.id })).map((v) => v.name)).toEqual(['kept']);
      await expect(h.engine().deleteProcessInstance(pi.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('an activity without outgoing flows ends its token while the parallel sibling keeps running', async () => {
      await h.deploy('Engine.implicitEnd.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'implicitEnd' });
      expect(pi.ended).toBe(false);
      expect(await taskKeys(pi.id)).toEqual(['keep']);
      expect(await h.engine().findExecutions({ instanceId: pi.id })).toHaveLength(1);
      const [dead] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'deadEnd' });
      expect(dead).toMatchObject({ canceled: false, completeScope: true });
      expect(dead!.endTime).not.toBeNull();

      await h.restart();
      await h.engine().completeTask((await h.engine().findTasks({ instanceId: pi.id }))[0]!.id);
      // A user task without outgoing flows is the implicit end of the last token: the instance completes.
      const [last] = await h.engine().findTasks({ instanceId: pi.id });
      expect(last!.taskDefinitionKey).toBe('last');
      await h.engine().completeTask(last!.id);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      expect((await h.engine().findHistoricProcessInstances({ id: pi.id }))[0]).toMatchObject({ state: 'COMPLETED', endActivityId: 'last' });
    });

    it('a parallel gateway inside a loop forks and joins once on every round', async () => {
      await h.deploy('Engine.parallelLoop.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'parallelLoop', variables: { round: 0 } });
      for (let round = 0; round < 3; round++) {
        const tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
        expect(tasks.map((t) => t.name)).toEqual([`A ${round}`, `B ${round}`]);
        expect(await h.engine().findExecutions({ instanceId: pi.id })).toHaveLength(3);
        await h.engine().completeTask(tasks[round % 2]!.id);
        // The join waits for the other branch.
        expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.id)).toEqual([tasks[(round + 1) % 2]!.id]);
        if (round === 1) await h.restart();
        await h.engine().completeTask(tasks[(round + 1) % 2]!.id);
      }
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id });
      const count = (id: string) => acts.filter((a) => a.activityId === id).length;
      expect([count('fork'), count('a'), count('b'), count('join'), count('count'), count('merge'), count('end')]).toEqual([3, 3, 3, 6, 3, 3, 1]);
      expect(acts.every((a) => a.endTime !== null && !a.canceled)).toBe(true);
      expect((await h.engine().findHistoricVariableInstances({ instanceId: pi.id, name: 'round' }))[0]!.value).toEqual({ type: 'Integer', value: 3 });
    });

    it('domain events arrive only after their command committed, in order', async () => {
      await h.deploy('Engine.domainEvents.bpmn');
      const seen: DomainEvent[] = [];
      const visible: Promise<boolean>[] = [];
      const unsubscribe = h.engine().subscribe((e) => {
        seen.push(e);
        // Whatever an event announces is already readable by anyone.
        if (e.type === 'task.created') visible.push(h.engine().getTask(e.taskId).then((t) => t !== null));
        if (e.type === 'instance.started') visible.push(h.engine().getProcessInstance(e.instanceId).then((p) => p !== null));
      });
      try {
        const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'domainEvents', businessKey: 'ev-1' });
        expect(seen.map((e) => e.type)).toEqual(['instance.started', 'activity.started', 'activity.ended', 'activity.started', 'task.created', 'task.assigned']);
        expect(seen.every((e) => e.instanceId === pi.id && e.businessKey === 'ev-1' && e.definitionKey === 'domainEvents')).toBe(true);
        expect(await Promise.all(visible)).toEqual([true, true]);

        seen.length = 0;
        const [task] = await h.engine().findTasks({ instanceId: pi.id });
        await h.engine().completeTask(task!.id, { explode: 'no' });
        expect(seen.map((e) => e.type)).toEqual([
          'variable.created',
          'task.completed',
          'activity.ended',
          'activity.started',
          'activity.ended',
          'activity.started',
          'activity.ended',
          'instance.ended',
        ]);
        expect(seen.at(-1)).toMatchObject({ type: 'instance.ended', state: 'COMPLETED' });
      } finally {
        unsubscribe();
      }
    });

    it('a failed command publishes no events, not even those of the work it did before failing', async () => {
      await h.deploy('Engine.failingStart.bpmn', 'Engine.domainEvents.bpmn');
      const seen: DomainEvent[] = [];
      const unsubscribe = h.engine().subscribe((e) => seen.push(e));
      try {
        await expect(h.engine().startProcessInstance({ processDefinitionKey: 'failingStart', businessKey: 'no-events' })).rejects.toThrow('cannot prepare');
        expect(seen).toEqual([]);
        expect(await h.engine().countProcessInstances({ businessKey: 'no-events' })).toBe(0);

        const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'domainEvents' });
        const [task] = await h.engine().findTasks({ instanceId: pi.id });
        seen.length = 0;
        // No `explode` variable: the gateway's condition fails after the task was completed in memory.
        await expect(h.engine().completeTask(task!.id)).rejects.toMatchObject({ code: 'EXPRESSION' });
        expect(seen).toEqual([]);
        expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.id)).toEqual([task!.id]);
      } finally {
        unsubscribe();
      }
    });
  },
  () => ({
    beans: {
      recorder: {
        record(where: string, event: string, detail: unknown) {
          recorded.push(`${where}:${event}:${String(detail)}`);
          return true;
        },
      },
    },
  }),
);
