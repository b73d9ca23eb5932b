import { beforeEach, expect, it } from 'vitest';
import type { DelegateExecution, DelegateTask } from '../../engine/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

/** What the listeners saw, in order: `<where>:<event>[:<detail>]`. */
const events: string[] = [];

const recorder = {
  record(where: string | null, event: string, detail?: unknown): boolean {
    events.push(detail === undefined ? `${where}:${event}` : `${where}:${event}:${String(detail)}`);
    return true;
  },
  fail(message: string): never {
    throw new Error(message);
  },
};

engineSuite(
  'listeners',
  (h) => {
    beforeEach(() => {
      events.length = 0;
    });

    it('execution and task listeners fire in Camunda order: process, start event, take, activity start, task create and assignment', async () => {
      await h.deploy('Engine.listenerOrder.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'listenerOrder', variables: { firstAssignee: 'gonzo' } });
      expect(events).toEqual([
        'process:start',
        'start:start',
        'start:end',
        'toApprove:take',
        'approve:start:delegate',
        'approve:create:gonzo',
        'approve:assignment:gonzo',
      ]);
      // The script listener ran between the delegate listener and the task's creation.
      expect((await h.engine().getVariables(pi.id))['scriptSaw']).toEqual({ type: 'String', value: 'start@approve' });
    });

    it('reassigning fires the assignment listener; completing fires complete, activity end, take, end event and process end, across a restart', async () => {
      await h.deploy('Engine.listenerOrder.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'listenerOrder', variables: { firstAssignee: 'gonzo' } });
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      await h.restart();
      events.length = 0;
      await h.engine().setAssignee(task!.id, 'kermit');
      // Setting the same assignee again is no change and fires nothing.
      await h.engine().setAssignee(task!.id, 'kermit');
      expect(events).toEqual(['approve:assignment:kermit']);
      events.length = 0;
      await h.engine().completeTask(task!.id);
      expect(events).toEqual(['approve:complete:kermit', 'approve:end:class-gonzo', 'toEnd:take:class', 'end:start', 'end:end', 'process:end:false']);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    });

    it('a task listener on create may assign the task; the assignment listener then fires after create', async () => {
      await h.deploy('Engine.listenerAssignsTask.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'listenerAssignsTask' });
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      expect(task).toMatchObject({ assignee: 'fozzie', priority: 80 });
      expect(events).toEqual(['triage:assignment:fozzie']);
      expect(await h.engine().getTaskVariables(task!.id, true)).toEqual({ createdBy: { type: 'String', value: 'listener' } });
      const [hist] = await h.engine().findHistoricTaskInstances({ instanceId: pi.id });
      expect(hist).toMatchObject({ assignee: 'fozzie', priority: 80 });
    });

    it('a failing listener fails the command and nothing it did is kept', async () => {
      await h.deploy('Engine.listenerFails.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'listenerFails' });
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      await expect(h.engine().completeTask(task!.id, { note: 'x' })).rejects.toThrow('end listener refused');
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.id)).toEqual([task!.id]);
      expect(await h.engine().getVariables(pi.id)).toEqual({});
      const [hist] = await h.engine().findHistoricTaskInstances({ instanceId: pi.id });
      expect(hist!.endTime).toBeNull();
    });

    it('deleting an instance fires the delete task listener, the end listener of the active activity and the process end listener', async () => {
      await h.deploy('Engine.listenerOrder.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'listenerOrder', variables: { firstAssignee: 'gonzo' } });
      events.length = 0;
      await h.engine().deleteProcessInstance(pi.id, 'cancelled by test');
      // Camunda ends the activity first (its end listeners see isCanceled()), then deletes its task, then ends the process.
      expect(events).toEqual(['approve:end:class-gonzo:canceled', 'approve:delete:gonzo', 'process:end:true']);
    });
  },
  () => ({
    beans: {
      recorder,
      auditListener: { notify: (e: DelegateExecution, fields: Readonly<Record<string, unknown>>) => void events.push(`${e.getCurrentActivityId()}:${e.getEventName()}:${String(fields['tag'])}`) },
      taskAudit: (t: DelegateTask) => void events.push(`${t.getTaskDefinitionKey()}:${t.getEventName()}:${t.getAssignee()}`),
    },
    handlers: {
      'org.example.AuditListener': (e: DelegateExecution, fields: Readonly<Record<string, unknown>>) =>
        void events.push(`${e.getCurrentTransitionId() ?? e.getCurrentActivityId()}:${e.getEventName()}:${String(fields['tag'])}${e.isCanceled() ? ':canceled' : ''}`),
    },
  }),
);
