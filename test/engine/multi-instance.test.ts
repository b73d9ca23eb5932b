import { expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';

const clock = new TestClock();
const recorded: string[] = [];

engineSuite(
  'multi-instance',
  (h) => {
    it('a parallel multi-instance user task creates one task per collection element and ends when its completion condition holds', async () => {
      await h.deploy('MultiInstance.parallelUserTasks.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'miParallel', variables: { reviewers: ['ann', 'bob', 'cyd'] } });
      let tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'assignee' }]);
      expect(tasks.map((t) => t.assignee)).toEqual(['ann', 'bob', 'cyd']);
      const tree = await h.engine().getActivityInstanceTree(pi.id);
      expect(tree.childActivityInstances.map((a) => [a.activityId, a.activityType])).toEqual([['review#multiInstanceBody', 'multiInstanceBody']]);
      expect(tree.childActivityInstances[0]!.childActivityInstances).toHaveLength(3);
      const vars = await h.engine().getVariables(tasks[0]!.executionId);
      expect(vars['nrOfInstances']?.value).toBe(3);
      expect(vars['reviewer']?.value).toBe('ann');
      expect(vars['loopCounter']?.value).toBe(0);
      await h.engine().completeTask(tasks[0]!.id);
      await h.restart();
      expect(await h.engine().findTasks({ instanceId: pi.id, taskDefinitionKey: 'review' })).toHaveLength(2);
      await h.engine().completeTask(tasks[1]!.id);
      tasks = await h.engine().findTasks({ instanceId: pi.id });
      expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['after']);
      const reviews = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'review' });
      expect(reviews.map((r) => r.canceled).sort()).toEqual([false, false, true]);
      const [body] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityType: 'multiInstanceBody' });
      expect(body!.activityId).toBe('review#multiInstanceBody');
      expect(reviews.every((r) => r.parentActivityInstanceId === body!.id)).toBe(true);
    });

    it('a sequential multi-instance runs its instances one after another with loopCounter', async () => {
      await h.deploy('MultiInstance.sequential.bpmn');
      recorded.length = 0;
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'miSequential', variables: { times: 3 } });
      expect(recorded).toEqual(['0/3', '1/3', '2/3']);
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['after']);
      expect(Object.keys(await h.engine().getVariables(pi.id)).sort()).toEqual(['times']);
    });

    it('a multi-instance activity over an empty collection completes at once', async () => {
      await h.deploy('MultiInstance.sequential.bpmn');
      recorded.length = 0;
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'miSequential', variables: { times: 0 } });
      expect(recorded).toEqual([]);
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['after']);
    });

    it('a parallel multi-instance subprocess runs per item and a timer on the body cancels all of them', async () => {
      await h.deploy('MultiInstance.subprocessWithTimer.bpmn');
      const done = await h.engine().startProcessInstance({ processDefinitionKey: 'miSubprocess', variables: { items: ['a', 'b'] } });
      let tasks = await h.engine().findTasks({ instanceId: done.id }, {}, [{ by: 'name' }]);
      expect(tasks.map((t) => t.name)).toEqual(['Pack a', 'Pack b']);
      expect(await h.engine().countJobs({ instanceId: done.id })).toBe(1);
      for (const t of tasks) await h.engine().completeTask(t.id);
      expect((await h.engine().findTasks({ instanceId: done.id })).map((t) => t.taskDefinitionKey)).toEqual(['ship']);
      expect(await h.engine().countJobs({ instanceId: done.id })).toBe(0);

      const late = await h.engine().startProcessInstance({ processDefinitionKey: 'miSubprocess', variables: { items: ['x', 'y', 'z'] } });
      tasks = await h.engine().findTasks({ instanceId: late.id });
      await h.engine().completeTask(tasks[0]!.id);
      clock.advanceMinutes(60);
      expect(await h.engine().runDueJobs()).toBe(1);
      expect((await h.engine().findTasks({ instanceId: late.id })).map((t) => t.taskDefinitionKey)).toEqual(['escalate']);
    });
  },
  () => ({ clock, beans: { recorder: { record: (i: number, n: number) => void recorded.push(`${i}/${n}`) } } }),
);
