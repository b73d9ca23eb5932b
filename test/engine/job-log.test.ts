import { hostname } from 'node:os';
import { expect, it } from 'vitest';
import type { Engine, HistoricJobLogFilter, HistoricJobLogRow, HistoricJobLogSortField, Page, Sorting } from '../../engine/index.js';
import { TestClock } from '../helpers/clock.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';

const DAY = 86_400_000;
let clock = new TestClock();
/** How many of the next calls fail. */
let failuresLeft = 0;

const jobLogService = {
  call(): string {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('ledger unavailable');
    }
    return 'ok';
  },
};

const options = () => ({ clock: { now: () => clock.now() }, beans: { jobLogService } });

/** Starts `jobLogAsync`: its asynchronous service task waits as one job. */
async function asyncInstance(engine: Engine, failures = 0): Promise<{ id: string; definitionId: string; jobId: string }> {
  failuresLeft = failures;
  const pi = await engine.startProcessInstance({ processDefinitionKey: 'jobLogAsync' });
  const [job] = await engine.findJobs({ instanceId: pi.id });
  return { id: pi.id, definitionId: pi.definitionId, jobId: job!.id };
}

/** A job log entry's lifecycle state and retries, in the order they were written. */
const states = (rows: readonly HistoricJobLogRow[]) => rows.map((r) => `${r.state} ${r.jobRetries}`);

engineSuite(
  'historic job log',
  (h) => {
    it('an asynchronous service task that succeeds leaves a creation and a success entry with Camunda’s fields', async () => {
      clock = new TestClock('2031-01-01T08:00:00.000Z');
      const deployment = await h.deploy('JobLog.asyncTask.bpmn');
      const pi = await asyncInstance(h.engine());
      const [job] = await h.engine().findJobs({ id: pi.jobId });
      clock.advanceMinutes(2);
      // The job executor's path: acquisition, then the run.
      expect(await h.engine().runDueJobs()).toBe(1);

      const entries = await h.engine().findHistoricJobLogs({ instanceId: pi.id });
      const removalTime = new Date(new Date('2031-01-01T08:02:00.000Z').getTime() + 5 * DAY);
      const entry = (state: HistoricJobLogRow['state'], timestamp: string): HistoricJobLogRow => ({
        id: expect.any(String),
        timestamp: new Date(timestamp),
        jobId: pi.jobId,
        jobDueDate: null,
        jobRetries: 3,
        jobPriority: 5,
        jobExceptionMessage: null,
        jobExceptionStacktrace: null,
        jobDefinitionId: `${pi.definitionId}:work:async-before`,
        jobDefinitionType: 'async-continuation',
        jobDefinitionConfiguration: 'async-before',
        activityId: 'work',
        failedActivityId: null,
        executionId: job!.executionId,
        instanceId: pi.id,
        rootInstanceId: pi.id,
        definitionId: pi.definitionId,
        definitionKey: 'jobLogAsync',
        deploymentId: deployment.deployment.id,
        tenantId: null,
        hostname: hostname(),
        state,
        removalTime,
      });
      expect(entries).toEqual([entry('created', '2031-01-01T08:00:00.000Z'), entry('successful', '2031-01-01T08:02:00.000Z')]);
      expect(entries[0]!.id).not.toBe(entries[1]!.id);
      expect(await h.engine().getHistoricJobLogStacktrace(entries[1]!.id)).toBeNull();
    });

    it('a job that fails twice and then succeeds logs each failure with its message, retries and stack-free details', async () => {
      clock = new TestClock('2031-01-02T08:00:00.000Z');
      await h.deploy('JobLog.asyncTask.bpmn');
      const pi = await asyncInstance(h.engine(), 2);
      const details: string[] = [];
      for (let run = 0; run < 2; run++) {
        clock.advanceMinutes(1);
        await expect(h.engine().executeJob(pi.jobId)).rejects.toThrow('ledger unavailable');
        details.push((await h.engine().getJob(pi.jobId))!.exceptionDetails!);
      }
      clock.advanceMinutes(1);
      await h.engine().executeJob(pi.jobId);

      const entries = await h.engine().findHistoricJobLogs({ jobId: pi.jobId }, {}, [{ by: 'occurrence' }]);
      // Camunda logs a failure with the retries its run started with; the success with those left.
      expect(states(entries)).toEqual(['created 3', 'failed 3', 'failed 2', 'successful 1']);
      const failures = entries.filter((e) => e.state === 'failed');
      for (const [i, failure] of failures.entries()) {
        expect(failure).toMatchObject({ failedActivityId: 'work', jobExceptionMessage: expect.stringContaining('ledger unavailable'), timestamp: new Date(clock.now().getTime() - (2 - i) * 60_000) });
        expect(failure.jobExceptionStacktrace).toBe(details[i]);
        expect(await h.engine().getHistoricJobLogStacktrace(failure.id)).toBe(details[i]);
      }
      // A job that failed before names its activity as the failed one on success too, as Camunda's job entity keeps it.
      expect(entries[3]).toMatchObject({ failedActivityId: 'work', jobExceptionMessage: null, jobExceptionStacktrace: null });
      expect(entries[0]!.failedActivityId).toBeNull();
      await expect(h.engine().getHistoricJobLogStacktrace('no-such-entry')).rejects.toThrow("No historic job log found with id 'no-such-entry'");
    });

    it('a job out of retries raises an incident that names its last failure entry; deleting the instance logs the job’s deletion', async () => {
      clock = new TestClock('2031-01-03T08:00:00.000Z');
      await h.deploy('JobLog.asyncTask.bpmn');
      const pi = await asyncInstance(h.engine(), 10);
      for (let run = 0; run < 3; run++) await expect(h.engine().executeJob(pi.jobId)).rejects.toThrow('ledger unavailable');
      const failures = await h.engine().findHistoricJobLogs({ jobId: pi.jobId, failureLog: true }, {}, [{ by: 'jobRetries', order: 'desc' }]);
      expect(states(failures)).toEqual(['failed 3', 'failed 2', 'failed 1']);
      const [incident] = await h.engine().findHistoricIncidents({ instanceId: pi.id });
      expect(incident).toMatchObject({ type: 'failedJob', configuration: pi.jobId, historyConfiguration: failures[2]!.id, jobDefinitionId: `${pi.definitionId}:work:async-before` });
      expect((await h.engine().findIncidents({ instanceId: pi.id }))[0]!.jobDefinitionId).toBe(`${pi.definitionId}:work:async-before`);

      // Run by hand once more: Camunda logs that failure with no retries left.
      await expect(h.engine().executeJob(pi.jobId)).rejects.toThrow('ledger unavailable');
      clock.advanceMinutes(10);
      await h.engine().deleteProcessInstance(pi.id, 'gave up');
      const entries = await h.engine().findHistoricJobLogs({ jobId: pi.jobId }, {}, [{ by: 'occurrence' }]);
      expect(states(entries)).toEqual(['created 3', 'failed 3', 'failed 2', 'failed 1', 'failed 0', 'deleted 0']);
      expect(entries[5]).toMatchObject({ timestamp: new Date('2031-01-03T08:10:00.000Z'), activityId: 'work', jobExceptionMessage: null });
    });

    it('a timer boundary job deleted when its user task completes leaves a creation and a deletion entry', async () => {
      clock = new TestClock('2031-01-04T08:00:00.000Z');
      await h.deploy('JobLog.timerBoundary.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'jobLogTimer' });
      const [job] = await h.engine().findJobs({ instanceId: pi.id });
      clock.advanceMinutes(20);
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      await h.engine().completeTask(task!.id);
      expect(await h.engine().countJobs({ instanceId: pi.id })).toBe(0);

      const entries = await h.engine().findHistoricJobLogs({ instanceId: pi.id });
      const common = {
        jobId: job!.id,
        jobDueDate: new Date('2031-01-04T09:00:00.000Z'),
        jobRetries: 3,
        jobDefinitionId: job!.jobDefinitionId,
        jobDefinitionType: 'timer-transition',
        jobDefinitionConfiguration: 'DURATION: PT1H',
        activityId: job!.activityId,
        executionId: job!.executionId,
      };
      expect(entries).toMatchObject([
        { ...common, state: 'created', timestamp: new Date('2031-01-04T08:00:00.000Z') },
        { ...common, state: 'deleted', timestamp: new Date('2031-01-04T08:20:00.000Z') },
      ]);
    });

    it('a timer start event’s jobs belong to no instance: created at deployment, run, and followed by the next of the cycle', async () => {
      clock = new TestClock('2031-01-05T08:00:00.000Z');
      const deployment = await h.deploy('JobLog.timerStart.bpmn');
      const [first] = await h.engine().findJobs({ definitionKey: 'jobLogTimerStart' });
      expect(await h.engine().findHistoricJobLogs({ jobId: first!.id })).toMatchObject([
        {
          state: 'created',
          instanceId: null,
          executionId: null,
          rootInstanceId: null,
          definitionKey: 'jobLogTimerStart',
          deploymentId: deployment.deployment.id,
          activityId: 'hourly',
          jobDefinitionType: 'timer-start-event',
          jobDefinitionConfiguration: 'CYCLE: R2/PT1H',
          jobDueDate: new Date('2031-01-05T09:00:00.000Z'),
        },
      ]);
      clock.advanceMinutes(60);
      await h.engine().executeJob(first!.id);
      const [second] = await h.engine().findJobs({ definitionKey: 'jobLogTimerStart' });
      expect(states(await h.engine().findHistoricJobLogs({ jobId: first!.id }))).toEqual(['created 3', 'successful 3']);
      expect(await h.engine().findHistoricJobLogs({ jobId: second!.id })).toMatchObject([{ state: 'created', jobDueDate: new Date('2031-01-05T10:00:00.000Z'), deploymentId: deployment.deployment.id }]);

      // A new version takes the start timer over: the old version's job goes.
      clock.advanceMinutes(1);
      const again = await h.engine().deploy({ name: 'again', resources: [{ name: 'JobLog.timerStart.bpmn', content: fixture('JobLog.timerStart.bpmn').replace('R2/PT1H', 'R3/PT1H') }] });
      expect(await h.engine().findHistoricJobLogs({ jobId: second!.id, deletionLog: true })).toMatchObject([{ timestamp: new Date('2031-01-05T09:01:00.000Z'), deploymentId: deployment.deployment.id }]);
      const [third] = await h.engine().findJobs({ definitionKey: 'jobLogTimerStart' });
      expect(await h.engine().findHistoricJobLogs({ jobId: third!.id })).toMatchObject([{ state: 'created', deploymentId: again.deployment.id, jobDefinitionConfiguration: 'CYCLE: R3/PT1H' }]);

      // Deleting the new version gives the start timer back to the old one: one deletion entry, one creation entry.
      await h.engine().deleteDeployment(again.deployment.id);
      expect(states(await h.engine().findHistoricJobLogs({ jobId: third!.id }))).toEqual(['created 3', 'deleted 3']);
      const [restored] = await h.engine().findJobs({ definitionKey: 'jobLogTimerStart' });
      expect(await h.engine().findHistoricJobLogs({ jobId: restored!.id })).toMatchObject([{ state: 'created', deploymentId: deployment.deployment.id }]);
    });

    it('filters by Camunda’s criteria, sorts and pages', async () => {
      clock = new TestClock('2031-02-01T08:00:00.000Z');
      await h.deploy('JobLog.asyncTask.bpmn', 'JobLog.timerBoundary.bpmn');
      const acme = await h.engine().deploy({ name: 'acme', tenantId: 'acme', resources: [{ name: 'JobLog.asyncAfter.bpmn', content: fixture('JobLog.asyncAfter.bpmn') }] });
      // a: fails once, then succeeds; b: an asyncAfter job of tenant acme; c: a timer deleted with its task.
      const a = await asyncInstance(h.engine(), 1);
      clock.advanceMinutes(1);
      await expect(h.engine().executeJob(a.jobId)).rejects.toThrow('ledger unavailable');
      clock.advanceMinutes(1);
      await h.engine().executeJob(a.jobId);
      clock.advanceMinutes(1);
      const b = await h.engine().startProcessInstance({ processDefinitionKey: 'jobLogAsyncAfter', tenantId: 'acme' });
      const [bJob] = await h.engine().findJobs({ instanceId: b.id });
      clock.advanceMinutes(1);
      await h.engine().executeJob(bJob!.id);
      clock.advanceMinutes(1);
      const c = await h.engine().startProcessInstance({ processDefinitionKey: 'jobLogTimer' });
      const [cJob] = await h.engine().findJobs({ instanceId: c.id });
      clock.advanceMinutes(1);
      await h.engine().completeTask((await h.engine().findTasks({ instanceId: c.id }))[0]!.id);

      const [aCreated] = await h.engine().findHistoricJobLogs({ jobId: a.jobId, creationLog: true });
      const mine = { executionIdIn: [aCreated!.executionId!, bJob!.executionId!, cJob!.executionId!] };
      const names = new Map([[a.jobId, 'a'], [bJob!.id, 'b'], [cJob!.id, 'c']]);
      const labels = async (filter: HistoricJobLogFilter, page: Page = {}, sort?: Sorting<HistoricJobLogSortField>[]) =>
        (await h.engine().findHistoricJobLogs({ ...mine, ...filter }, page, sort)).map((r) => `${names.get(r.jobId)}:${r.state}`);

      expect(await labels({})).toEqual(['a:created', 'a:failed', 'a:successful', 'b:created', 'b:successful', 'c:created', 'c:deleted']);
      const [failure] = await h.engine().findHistoricJobLogs({ jobId: a.jobId, failureLog: true });
      expect(await labels({ id: failure!.id })).toEqual(['a:failed']);
      expect(await labels({ jobId: bJob!.id })).toEqual(['b:created', 'b:successful']);
      expect(await labels({ jobExceptionMessage: failure!.jobExceptionMessage! })).toEqual(['a:failed']);
      expect(await labels({ jobDefinitionId: `${b.definitionId}:book:async-after` })).toEqual(['b:created', 'b:successful']);
      expect(await labels({ jobDefinitionType: 'timer-transition' })).toEqual(['c:created', 'c:deleted']);
      expect(await labels({ jobDefinitionConfiguration: 'async-after' })).toEqual(['b:created', 'b:successful']);
      expect(await labels({ activityIdIn: ['work', 'book'] })).toEqual(['a:created', 'a:failed', 'a:successful', 'b:created', 'b:successful']);
      expect(await labels({ failedActivityIdIn: ['work'] })).toEqual(['a:failed', 'a:successful']);
      expect(await labels({ executionIdIn: [cJob!.executionId!] })).toEqual(['c:created', 'c:deleted']);
      expect(await labels({ instanceId: a.id })).toEqual(['a:created', 'a:failed', 'a:successful']);
      expect(await labels({ definitionId: b.definitionId })).toEqual(['b:created', 'b:successful']);
      expect(await labels({ definitionKey: 'jobLogTimer' })).toEqual(['c:created', 'c:deleted']);
      expect(await labels({ deploymentId: acme.deployment.id })).toEqual(['b:created', 'b:successful']);
      expect(await labels({ tenantIdIn: ['acme'] })).toEqual(['b:created', 'b:successful']);
      expect(await labels({ withoutTenantId: true })).toEqual(['a:created', 'a:failed', 'a:successful', 'c:created', 'c:deleted']);
      expect(await labels({ tenantIdIn: ['acme'], withoutTenantId: true })).toHaveLength(7);
      expect(await labels({ hostname: hostname() })).toHaveLength(7);
      expect(await labels({ hostname: 'elsewhere' })).toEqual([]);
      expect(await labels({ jobPriorityHigherThanOrEquals: 5, jobPriorityLowerThanOrEquals: 19 })).toEqual(['a:created', 'a:failed', 'a:successful']);
      expect(await labels({ creationLog: true })).toEqual(['a:created', 'b:created', 'c:created']);
      expect(await labels({ failureLog: true })).toEqual(['a:failed']);
      expect(await labels({ successLog: true })).toEqual(['a:successful', 'b:successful']);
      expect(await labels({ deletionLog: true })).toEqual(['c:deleted']);
      expect(await labels({ creationLog: true, deletionLog: true })).toEqual([]);

      expect(await labels({}, {}, [{ by: 'timestamp', order: 'desc' }])).toEqual(['c:deleted', 'c:created', 'b:successful', 'b:created', 'a:successful', 'a:failed', 'a:created']);
      expect(await labels({}, {}, [{ by: 'jobPriority', order: 'desc' }, { by: 'timestamp' }])).toEqual(['b:created', 'b:successful', 'a:created', 'a:failed', 'a:successful', 'c:created', 'c:deleted']);
      expect(await labels({}, {}, [{ by: 'jobRetries' }, { by: 'timestamp', order: 'desc' }])).toEqual(['a:successful', 'c:deleted', 'c:created', 'b:successful', 'b:created', 'a:failed', 'a:created']);
      expect((await labels({}, {}, [{ by: 'jobDueDate', order: 'desc' }])).slice(0, 2)).toEqual(['c:created', 'c:deleted']);
      expect(await labels({ jobId: a.jobId }, {}, [{ by: 'occurrence', order: 'desc' }])).toEqual(['a:successful', 'a:failed', 'a:created']);
      expect((await labels({}, {}, [{ by: 'definitionKey', order: 'desc' }, { by: 'occurrence' }]))[0]).toBe('c:created');
      expect(await labels({}, {}, [{ by: 'tenantId', order: 'desc' }, { by: 'jobId' }, { by: 'occurrence' }])).toContain('b:created');

      expect(await h.engine().countHistoricJobLogs(mine)).toBe(7);
      expect(await h.engine().countHistoricJobLogs({ ...mine, failureLog: true })).toBe(1);
      expect(await labels({}, { firstResult: 2, maxResults: 2 })).toEqual(['a:successful', 'b:created']);
    });

    it('the job log of a finished instance gets its removal time and goes with history cleanup', async () => {
      clock = new TestClock('2031-03-01T00:00:00.000Z');
      await h.deploy('JobLog.asyncTask.bpmn');
      const pi = await asyncInstance(h.engine(), 1);
      await expect(h.engine().executeJob(pi.jobId)).rejects.toThrow('ledger unavailable');
      expect((await h.engine().findHistoricJobLogs({ instanceId: pi.id })).map((r) => r.removalTime)).toEqual([null, null]);
      clock.advance(DAY);
      await h.engine().executeJob(pi.jobId);
      const removalTime = new Date('2031-03-07T00:00:00.000Z');
      expect(await h.engine().findHistoricJobLogs({ instanceId: pi.id })).toMatchObject([
        { state: 'created', removalTime },
        { state: 'failed', removalTime },
        { state: 'successful', removalTime },
      ]);
      clock.advance(6 * DAY);
      expect(await h.engine().cleanupHistory()).toBeGreaterThanOrEqual(1);
      expect(await h.engine().findHistoricJobLogs({ instanceId: pi.id })).toEqual([]);
    });
  },
  options,
);

engineSuite(
  'historic job log at level audit',
  (h) => {
    it('writes no job log below history level full, as Camunda', async () => {
      clock = new TestClock('2031-04-01T08:00:00.000Z');
      await h.deploy('JobLog.asyncTask.bpmn', 'JobLog.timerBoundary.bpmn', 'JobLog.timerStart.bpmn');
      const failed = await asyncInstance(h.engine(), 1);
      await expect(h.engine().executeJob(failed.jobId)).rejects.toThrow('ledger unavailable');
      await h.engine().executeJob(failed.jobId);
      const timer = await h.engine().startProcessInstance({ processDefinitionKey: 'jobLogTimer' });
      await h.engine().deleteProcessInstance(timer.id);
      expect(await h.engine().countHistoricJobLogs({})).toBe(0);
      expect((await h.engine().findIncidents({}))).toEqual([]);
    });
  },
  () => ({ ...options(), historyLevel: 'audit' as const }),
);
