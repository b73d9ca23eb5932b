import { expect, it } from 'vitest';
import { engineSuite } from '../helpers/engine-harness.js';
import type { DelegateExecution } from '../../engine/index.js';

const calls: string[] = [];

engineSuite(
  'activities',
  (h) => {
    it('a user task gets assignee, candidates, dates, priority and form key from expressions and completes after a restart', async () => {
      await h.deploy('Engine.userTask.bpmn');
      const due = new Date('2031-05-06T07:08:09.000Z');
      const pi = await h.engine().startProcessInstance({
        processDefinitionKey: 'userTaskProcess',
        variables: { item: 'laptop', approver: 'gonzo', deputy: 'fozzie', due, prio: 70 },
      });
      expect(pi.ended).toBe(false);
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      expect(task).toMatchObject({
        name: 'Approve laptop',
        assignee: 'gonzo',
        priority: 70,
        formKey: 'app:approve.html',
        taskDefinitionKey: 'approve',
        executionId: pi.id,
      });
      expect(task!.dueDate?.toISOString()).toBe(due.toISOString());
      expect(task!.followUpDate?.toISOString()).toBe('2030-01-02T03:04:05.000Z');
      expect([...task!.candidateUsers].sort()).toEqual(['fozzie', 'kermit']);
      expect([...task!.candidateGroups].sort()).toEqual(['accounting', 'management']);
      expect(await h.engine().findTasks({ candidateGroup: 'accounting', includeAssignedTasks: true, instanceId: pi.id })).toHaveLength(1);

      await h.restart();
      await h.engine().unclaimTask(task!.id);
      expect(await h.engine().findTasks({ candidateGroup: 'management', instanceId: pi.id })).toHaveLength(1);
      await h.engine().claimTask(task!.id, 'kermit');
      await expect(h.engine().claimTask(task!.id, 'piggy')).rejects.toThrow(/already claimed/);
      const result = await h.engine().completeTask(task!.id, { decision: 'ok' }, { withVariablesInReturn: true });
      expect(result.variables?.['decision']).toEqual({ type: 'String', value: 'ok' });
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      const [ht] = await h.engine().findHistoricTaskInstances({ instanceId: pi.id });
      expect(ht).toMatchObject({ assignee: 'kermit', deleteReason: 'completed', name: 'Approve laptop' });
      expect(ht!.endTime).not.toBeNull();
      const vars = await h.engine().findHistoricVariableInstances({ instanceId: pi.id, name: 'decision' });
      expect(vars.map((v) => v.value)).toEqual([{ type: 'String', value: 'ok' }]);
    });

    it('completing a task that does not exist fails with a not-found error naming it', async () => {
      await expect(h.engine().completeTask('no-such-task')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Cannot find task with id no-such-task' });
    });

    it('an embedded subprocess runs in its own scope and shows in the activity instance tree', async () => {
      await h.deploy('Engine.embeddedSubprocess.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'embeddedSubprocess' });
      const tree = await h.engine().getActivityInstanceTree(pi.id);
      expect(tree.childActivityInstances).toHaveLength(1);
      const sub = tree.childActivityInstances[0]!;
      expect(sub).toMatchObject({ activityId: 'sub', activityType: 'subProcess', parentActivityInstanceId: pi.id });
      expect(sub.childActivityInstances.map((a) => [a.activityId, a.parentActivityInstanceId])).toEqual([['review', sub.id]]);
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      expect(task!.executionId).not.toBe(pi.id);
      await h.engine().setVariables(task!.executionId, { local: 1 }, { local: true });
      await h.restart();
      await h.engine().completeTask(task!.id);
      const [after] = await h.engine().findTasks({ instanceId: pi.id });
      expect(after!.taskDefinitionKey).toBe('after');
      expect(after!.executionId).toBe(pi.id);
      // The subprocess's local variable went with its scope.
      expect(Object.keys(await h.engine().getVariables(pi.id))).toEqual([]);
      const hist = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'review' });
      expect(hist[0]!.parentActivityInstanceId).toBe(sub.id);
    });

    it('a call activity starts the called process with in mappings and continues with out mappings', async () => {
      await h.deploy('Engine.callActivity.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'callingProcess', businessKey: 'order-7', variables: { order: 'o-7', amount: 21 } });
      const subs = await h.engine().findProcessInstances({ superInstanceId: pi.id });
      expect(subs).toHaveLength(1);
      const sub = subs[0]!;
      expect(sub).toMatchObject({ definitionKey: 'calledProcess', businessKey: 'order-7', rootInstanceId: pi.id });
      const subVars = await h.engine().getVariables(sub.id);
      expect(subVars['orderInSub']).toEqual({ type: 'String', value: 'o-7' });
      expect(subVars['doubled']?.value).toBe(42);
      expect(subVars['order']).toBeUndefined();
      const [work] = await h.engine().findTasks({ instanceId: sub.id });
      await h.engine().setVariables(sub.id, { result: 'done' });
      await h.restart();
      await h.engine().completeTask(work!.id);
      expect(await h.engine().getProcessInstance(sub.id)).toBeNull();
      const [after] = await h.engine().findTasks({ instanceId: pi.id });
      expect(after!.taskDefinitionKey).toBe('after');
      expect((await h.engine().getVariables(pi.id))['resultFromSub']).toEqual({ type: 'String', value: 'done' });
      const [callHist] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'call' });
      expect(callHist!.calledProcessInstanceId).toBe(sub.id);
      expect(callHist!.endTime).not.toBeNull();
    });

    it('cancelling the calling instance cancels the called one', async () => {
      await h.deploy('Engine.callActivity.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'callingProcess', variables: { order: 'x', amount: 1 } });
      const [sub] = await h.engine().findProcessInstances({ superInstanceId: pi.id });
      await h.engine().deleteProcessInstance(pi.id, 'customer withdrew');
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      expect(await h.engine().getProcessInstance(sub!.id)).toBeNull();
      const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
      expect(hpi).toMatchObject({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'customer withdrew' });
      const [htask] = await h.engine().findHistoricTaskInstances({ instanceId: sub!.id });
      expect(htask!.deleteReason).toBe('deleted');
      const [hcall] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'call' });
      expect(hcall!.canceled).toBe(true);
    });

    it('service tasks call expressions with result variables, class handlers with fields and delegate expressions', async () => {
      calls.length = 0;
      await h.deploy('Engine.serviceTasks.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'serviceTasks', variables: { a: 2, b: 3 } });
      const vars = await h.engine().getVariables(pi.id);
      expect(vars['sum']?.value).toBe(5);
      expect(vars['doubled']?.value).toBe(10);
      expect(calls).toEqual(['label=sum=5', `notified ${pi.id}`]);
    });

    it('a failing service task rolls the whole command back', async () => {
      await h.deploy('Engine.serviceTasks.bpmn');
      await expect(h.engine().startProcessInstance({ processDefinitionKey: 'serviceTasks', businessKey: 'failing', variables: { a: -1, b: 0 } })).rejects.toThrow(
        'negative input',
      );
      expect(await h.engine().countProcessInstances({ businessKey: 'failing' })).toBe(0);
      expect(await h.engine().findHistoricProcessInstances({ businessKey: 'failing' })).toEqual([]);
    });
  },
  () => ({
    beans: {
      calculator: {
        add(a: number, b: number) {
          if (a < 0) throw new Error('negative input');
          return a + b;
        },
      },
      notifier: { execute: (e: DelegateExecution) => void calls.push(`notified ${e.getProcessInstanceId()}`) },
    },
    handlers: {
      'org.example.Doubler': (e: DelegateExecution, fields: Readonly<Record<string, unknown>>) => {
        calls.push(`label=${String(fields['label'])}`);
        e.setVariable('doubled', (e.getVariable('sum') as number) * Number(fields['factor']));
      },
    },
  }),
);
