import { expect, it } from 'vitest';
import { BpmnError } from '../../engine/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

engineSuite(
  'event subprocesses',
  (h) => {
    it('a non-interrupting message event subprocess runs beside the process, as often as the message comes', async () => {
      await h.deploy('EventSubprocess.process.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'eventSubprocesses', variables: { ok: true } });
      await h.engine().correlateMessage({ messageName: 'info', processInstanceId: pi.id });
      await h.restart();
      await h.engine().correlateMessage({ messageName: 'info', processInstanceId: pi.id });
      const tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
      expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['readInfo', 'readInfo', 'work']);
      for (const t of tasks.filter((x) => x.taskDefinitionKey === 'readInfo')) await h.engine().completeTask(t.id);
      const [work] = await h.engine().findTasks({ instanceId: pi.id });
      await h.engine().completeTask(work!.id);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    });

    it('an interrupting message event subprocess cancels the process work and the process ends with it', async () => {
      await h.deploy('EventSubprocess.process.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'eventSubprocesses', variables: { ok: true } });
      await h.engine().correlateMessage({ messageName: 'cancel', processInstanceId: pi.id });
      const tasks = await h.engine().findTasks({ instanceId: pi.id });
      expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['cleanUp']);
      expect(await h.engine().findEventSubscriptions({ instanceId: pi.id })).toEqual([]);
      const [work] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'work' });
      expect(work!.canceled).toBe(true);
      await h.engine().completeTask(tasks[0]!.id);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
      expect(hpi!.state).toBe('COMPLETED');
    });

    it('an error event subprocess catches a BPMN error thrown in the process', async () => {
      await h.deploy('EventSubprocess.process.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'eventSubprocesses', variables: { ok: false } });
      const [work] = await h.engine().findTasks({ instanceId: pi.id });
      await h.engine().completeTask(work!.id);
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['fix']);
      expect((await h.engine().getVariables(pi.id))['code']?.value).toBe('FAILED');
    });
  },
  () => ({
    beans: {
      checker: {
        check(ok: boolean) {
          if (!ok) throw new BpmnError('FAILED', 'check failed');
          return true;
        },
      },
    },
  }),
);
