import { expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';

const clock = new TestClock();

engineSuite(
  'timers',
  (h) => {
    it('an intermediate timer catch event waits for its duration, also across a restart', async () => {
      await h.deploy('Timers.intermediateCatch.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'timerCatch', variables: { delay: 'PT2H' } });
      const [job] = await h.engine().findJobs({ instanceId: pi.id });
      expect(job).toMatchObject({ type: 'timer-transition', activityId: 'wait' });
      expect(job!.dueDate!.getTime()).toBe(clock.now().getTime() + 2 * 3600_000);
      clock.advanceMinutes(119);
      expect(await h.engine().runDueJobs()).toBe(0);
      await h.restart();
      clock.advanceMinutes(1);
      expect(await h.engine().runDueJobs()).toBe(1);
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['after']);
      const [hist] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'wait' });
      expect(hist).toMatchObject({ activityType: 'intermediateTimer' });
      expect(hist!.durationMs).toBe(2 * 3600_000);
    });

    it('an invalid timer definition fails the command and names the element', async () => {
      await h.deploy('Timers.intermediateCatch.bpmn');
      await expect(h.engine().startProcessInstance({ processDefinitionKey: 'timerCatch', variables: { delay: 'soon' } })).rejects.toThrow(
        /intermediateCatchEvent 'wait'.*Invalid timeDuration 'soon'/,
      );
    });

    it('a non-interrupting cycle timer on a user task fires its repetitions while an interrupting one cancels the task', async () => {
      await h.deploy('Timers.boundary.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'timerBoundary' });
      expect((await h.engine().findJobs({ instanceId: pi.id }, {}, [{ by: 'dueDate' }])).map((j) => j.activityId)).toEqual(['remind', 'timeout']);
      clock.advanceMinutes(5);
      expect(await h.engine().runDueJobs()).toBe(1);
      let tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
      expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['approve', 'reminder']);
      await h.restart();
      clock.advanceMinutes(5);
      expect(await h.engine().runDueJobs()).toBe(1);
      tasks = await h.engine().findTasks({ instanceId: pi.id, taskDefinitionKey: 'reminder' });
      expect(tasks).toHaveLength(2);
      // R2: no third reminder
      clock.advanceMinutes(5);
      expect(await h.engine().runDueJobs()).toBe(0);
      clock.advanceMinutes(45);
      expect(await h.engine().runDueJobs()).toBe(1);
      tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
      expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['escalate', 'reminder', 'reminder']);
      const [approve] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'approve' });
      expect(approve!.canceled).toBe(true);
      expect(await h.engine().findJobs({ instanceId: pi.id })).toEqual([]);
      const [htask] = await h.engine().findHistoricTaskInstances({ instanceId: pi.id, taskDefinitionKey: 'approve' });
      expect(htask!.deleteReason).toBe('deleted');
    });

    it('completing the task removes the timers of its boundary events', async () => {
      await h.deploy('Timers.boundary.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'timerBoundary' });
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      await h.engine().completeTask(task!.id);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      expect(await h.engine().countJobs({ instanceId: pi.id })).toBe(0);
    });

    it('a timer start event starts an instance per cycle, and a new version replaces the old schedule', async () => {
      await h.deploy('Timers.startCycle.bpmn');
      const [job] = await h.engine().findJobs({ type: 'timer-start-event', definitionKey: 'timerStart' });
      expect(job!.dueDate!.getTime()).toBe(clock.now().getTime() + 3600_000);
      clock.advanceMinutes(60);
      expect(await h.engine().runDueJobs()).toBe(1);
      expect(await h.engine().countProcessInstances({ definitionKey: 'timerStart' })).toBe(1);
      const [hpi] = await h.engine().findHistoricProcessInstances({ definitionKey: 'timerStart' });
      expect(hpi!.startActivityId).toBe('everyHour');
      clock.advanceMinutes(60);
      expect(await h.engine().runDueJobs()).toBe(1);
      expect(await h.engine().countProcessInstances({ definitionKey: 'timerStart' })).toBe(2);
      clock.advanceMinutes(60);
      expect(await h.engine().runDueJobs()).toBe(0);
    });
  },
  () => ({ clock }),
);
