import { expect, it } from 'vitest';
import { BpmnError } from '../../engine/index.js';
import { TestClock, eventually } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';

const clock = new TestClock();
const recorded: string[] = [];
let failuresLeft = 0;

engineSuite(
  'jobs and asynchronous continuations',
  (h) => {
    it('asyncBefore ends the start command at the activity and a job continues from there, across a restart', async () => {
      await h.deploy('Jobs.asyncBefore.bpmn');
      recorded.length = 0;
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'asyncBefore', variables: { prio: 7 } });
      expect(recorded).toEqual([]);
      expect(await h.engine().findTasks({ instanceId: pi.id })).toEqual([]);
      const [job] = await h.engine().findJobs({ instanceId: pi.id });
      expect(job).toMatchObject({ type: 'async-continuation', activityId: 'work', retries: 3, priority: 7, dueDate: null });
      await h.restart();
      expect(await h.engine().runDueJobs()).toBe(1);
      expect(recorded).toEqual(['work']);
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['review']);
      expect(await h.engine().findJobs({ instanceId: pi.id })).toEqual([]);
    });

    it('asyncBefore on the start event and asyncAfter on a task each cut a transaction', async () => {
      await h.deploy('Jobs.asyncAfter.bpmn');
      recorded.length = 0;
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'asyncAfter', variables: { needsReview: true } });
      expect(pi.ended).toBe(false);
      let jobs = await h.engine().findJobs({ instanceId: pi.id });
      expect(jobs.map((j) => j.activityId)).toEqual(['start']);
      await h.engine().executeJob(jobs[0]!.id);
      expect(recorded).toEqual(['work']);
      jobs = await h.engine().findJobs({ instanceId: pi.id });
      expect(jobs.map((j) => j.activityId)).toEqual(['work']);
      const [work] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'work' });
      expect(work!.endTime).not.toBeNull();
      await h.engine().executeJob(jobs[0]!.id);
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['review']);
    });

    it('a failing job uses up its three default retries, then becomes a failedJob incident; new retries resolve it', async () => {
      await h.deploy('Jobs.failingDefault.bpmn');
      failuresLeft = 3;
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'failingDefault' });
      expect(await h.engine().runDueJobs(10)).toBe(3);
      const [job] = await h.engine().findJobs({ instanceId: pi.id });
      expect(job).toMatchObject({ retries: 0, lockOwner: null });
      expect(job!.exceptionMessage).toBe('Error while evaluating expression: ${flaky.call()}. Cause: service unavailable');
      expect(job!.exceptionDetails).toContain('service unavailable');
      expect(job!.exceptionDetails).not.toContain('    at ');
      const [incident] = await h.engine().findIncidents({ instanceId: pi.id });
      expect(incident).toMatchObject({ type: 'failedJob', activityId: 'flaky', configuration: job!.id, message: job!.exceptionMessage });
      await h.restart();
      await h.engine().setJobRetries(job!.id, 1);
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toEqual([]);
      expect(await h.engine().runDueJobs()).toBe(1);
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['after']);
    });

    it('camunda:failedJobRetryTimeCycle R2/PT5M sets the retries and delays each retry by five minutes', async () => {
      await h.deploy('Jobs.failingWithRetryCycle.bpmn');
      failuresLeft = 2;
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'failingWithRetryCycle' });
      expect(await h.engine().runDueJobs()).toBe(1);
      let [job] = await h.engine().findJobs({ instanceId: pi.id });
      expect(job!.retries).toBe(1);
      expect(job!.dueDate?.getTime()).toBe(clock.now().getTime() + 5 * 60_000);
      expect(await h.engine().runDueJobs()).toBe(0);
      clock.advanceMinutes(5);
      expect(await h.engine().runDueJobs()).toBe(1);
      [job] = await h.engine().findJobs({ instanceId: pi.id });
      expect(job!.retries).toBe(0);
      expect(await h.engine().countIncidents({ instanceId: pi.id })).toBe(1);
    });

    it('a failing job run by executeJob reports the error to the caller and still records the failure', async () => {
      await h.deploy('Jobs.failingDefault.bpmn');
      failuresLeft = 1;
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'failingDefault' });
      const [job] = await h.engine().findJobs({ instanceId: pi.id });
      await expect(h.engine().executeJob(job!.id)).rejects.toThrow('service unavailable');
      expect((await h.engine().getJob(job!.id))!.retries).toBe(2);
    });

    it('the job executor picks up a new job at once, without waiting for its poll interval', async () => {
      const engine = await h.secondEngine({ clock: { now: () => new Date() } });
      engine.startJobExecutor({ pollIntervalMs: 60_000 });
      await h.deploy('Jobs.asyncBefore.bpmn');
      const pi = await engine.startProcessInstance({ processDefinitionKey: 'asyncBefore', variables: { prio: 0 } });
      const tasks = await eventually(async () => {
        const t = await engine.findTasks({ instanceId: pi.id });
        return t.length ? t : null;
      }, 5000, 'the continuation to run');
      expect(tasks[0]!.taskDefinitionKey).toBe('review');
      await engine.stopJobExecutor();
    });

    it('suspending an instance holds its jobs until it is activated', async () => {
      await h.deploy('Jobs.asyncBefore.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'asyncBefore', variables: { prio: 0 } });
      await h.engine().suspendProcessInstance(pi.id);
      expect(await h.engine().countJobs({ instanceId: pi.id, suspended: true })).toBe(1);
      expect(await h.engine().runDueJobs()).toBe(0);
      await h.engine().activateProcessInstance(pi.id);
      expect(await h.engine().runDueJobs()).toBe(1);
    });
  },
  () => ({
    clock,
    beans: {
      recorder: { record: (what: string) => void recorded.push(what) },
      flaky: {
        call() {
          if (failuresLeft > 0) {
            failuresLeft--;
            throw new Error('service unavailable');
          }
          return 'ok';
        },
      },
      notUsed: new BpmnError('X'),
    },
  }),
);
