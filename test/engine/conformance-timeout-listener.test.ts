/**
 * Timeout task listeners (Camunda 7.12+), which the conformance sweep found
 * refused: a `camunda:taskListener event="timeout"` with a timer fires while
 * its task is open, repeats for a cycle, and goes with the task.
 */
import { expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';

const clock = new TestClock();

engineSuite(
  'timeout task listeners',
  (h) => {
    it('a timeout listener fires once its timer is due, a cycle repeats, and the task stays open', async () => {
      await h.deploy('Conformance.timeoutListener.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'remindedReview', variables: { nudges: 0, flagAfter: 'PT45M' } });
      const jobs = await h.engine().findJobs({ instanceId: pi.id }, {}, [{ by: 'dueDate' }]);
      expect(jobs.map((j) => [j.type, j.activityId, j.dueDate!.getTime() - clock.now().getTime()])).toEqual([
        ['timer-task-listener', 'review', 30 * 60_000],
        ['timer-task-listener', 'review', 45 * 60_000],
      ]);

      clock.advanceMinutes(30);
      expect(await h.engine().runDueJobs()).toBe(1);
      expect((await h.engine().getVariables(pi.id))['nudges']?.value).toBe(1);
      await h.restart();
      clock.advanceMinutes(15);
      expect(await h.engine().runDueJobs()).toBe(1);
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      expect(task).toMatchObject({ taskDefinitionKey: 'review', priority: 90 });

      clock.advanceMinutes(15);
      expect(await h.engine().runDueJobs()).toBe(1);
      expect((await h.engine().getVariables(pi.id))['nudges']?.value).toBe(2);
      // R2: two repetitions, then the cycle is over
      clock.advanceMinutes(120);
      expect(await h.engine().runDueJobs()).toBe(0);
      expect(await h.engine().findJobs({ instanceId: pi.id })).toEqual([]);
    });

    it('completing the task removes the timers of its timeout listeners', async () => {
      await h.deploy('Conformance.timeoutListener.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'remindedReview', variables: { nudges: 0, flagAfter: 'PT2H' } });
      expect(await h.engine().findJobs({ instanceId: pi.id })).toHaveLength(2);
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      await h.engine().completeTask(task!.id);
      expect(await h.engine().findJobs({ instanceId: pi.id })).toEqual([]);
      clock.advanceMinutes(180);
      expect(await h.engine().runDueJobs()).toBe(0);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    });
  },
  () => ({ clock }),
);
