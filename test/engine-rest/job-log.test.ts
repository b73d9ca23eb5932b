import { hostname } from 'node:os';
import { beforeAll, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { CAMUNDA_DATE, restSuite } from './rest-harness.js';

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

restSuite(
  '/engine-rest historic job log',
  (h) => {
    let async: { id: string; definitionId: string; jobId: string; executionId: string; deploymentId: string };
    let timer: { id: string; jobId: string };
    const states = (r: { body: { jobId: string; creationLog: boolean; failureLog: boolean; successLog: boolean; deletionLog: boolean }[] }) =>
      r.body.map((l) => `${l.jobId === async.jobId ? 'async' : l.jobId === timer.jobId ? 'timer' : '?'}:${l.creationLog ? 'created' : l.failureLog ? 'failed' : l.successLog ? 'successful' : 'deleted'}`);

    beforeAll(async () => {
      clock = new TestClock('2031-05-01T08:00:00.000Z');
      const deployed = await h.deployFixtures('job log', 'JobLog.asyncTask.bpmn', 'JobLog.timerBoundary.bpmn');
      expect(deployed.status).toBe(200);
      failuresLeft = 1;
      const pi = (await h.post('/process-definition/key/jobLogAsync/start', {})).body;
      const [job] = (await h.get(`/job?processInstanceId=${pi.id}`)).body;
      async = { id: pi.id, definitionId: pi.definitionId, jobId: job.id, executionId: job.executionId, deploymentId: deployed.body.id };
      clock.advanceMinutes(1);
      expect((await h.post(`/job/${job.id}/execute`)).status).toBe(500);
      clock.advanceMinutes(1);
      expect((await h.post(`/job/${job.id}/execute`)).status).toBe(204);
      clock.advanceMinutes(1);
      const other = (await h.post('/process-definition/key/jobLogTimer/start', {})).body;
      timer = { id: other.id, jobId: (await h.get(`/job?processInstanceId=${other.id}`)).body[0].id };
      clock.advanceMinutes(1);
      const [task] = (await h.get(`/task?processInstanceId=${other.id}`)).body;
      expect((await h.post(`/task/${task.id}/complete`, {})).status).toBe(204);
    });

    it('lists job log entries with the fields of Camunda’s HistoricJobLogDto', async () => {
      const list = await h.get(`/history/job-log?processInstanceId=${async.id}`);
      expect(list.status).toBe(200);
      const entry = (flags: { creationLog?: true; failureLog?: true; successLog?: true }, retries: number) => ({
        id: expect.any(String),
        timestamp: expect.stringMatching(CAMUNDA_DATE),
        removalTime: expect.stringMatching(CAMUNDA_DATE),
        jobId: async.jobId,
        jobDueDate: null,
        jobRetries: retries,
        jobPriority: 5,
        jobExceptionMessage: flags.failureLog ? expect.stringContaining('ledger unavailable') : null,
        failedActivityId: flags.creationLog ? null : 'work',
        jobDefinitionId: `${async.definitionId}:work:async-before`,
        jobDefinitionType: 'async-continuation',
        jobDefinitionConfiguration: 'async-before',
        activityId: 'work',
        executionId: async.executionId,
        processInstanceId: async.id,
        processDefinitionId: async.definitionId,
        processDefinitionKey: 'jobLogAsync',
        deploymentId: async.deploymentId,
        rootProcessInstanceId: async.id,
        tenantId: null,
        hostname: hostname(),
        creationLog: flags.creationLog === true,
        failureLog: flags.failureLog === true,
        successLog: flags.successLog === true,
        deletionLog: false,
      });
      expect(list.body).toEqual([entry({ creationLog: true }, 3), entry({ failureLog: true }, 3), entry({ successLog: true }, 2)]);
      expect(list.body.map((l: { timestamp: string }) => new Date(l.timestamp).getTime())).toEqual(
        ['2031-05-01T08:00:00.000Z', '2031-05-01T08:01:00.000Z', '2031-05-01T08:02:00.000Z'].map((t) => new Date(t).getTime()),
      );

      const one = await h.get(`/history/job-log/${list.body[1].id}`);
      expect(one).toMatchObject({ status: 200, body: list.body[1] });
      const [deletion] = (await h.get(`/history/job-log?processInstanceId=${timer.id}&deletionLog=true`)).body;
      expect(deletion).toMatchObject({ jobId: timer.jobId, deletionLog: true, jobDefinitionType: 'timer-transition', jobDefinitionConfiguration: 'DURATION: PT1H', jobDueDate: expect.stringMatching(CAMUNDA_DATE), removalTime: null });
    });

    it('filters, sorts, pages and counts alike over GET and POST', async () => {
      const timerExecution = (await h.get(`/history/job-log?jobId=${timer.jobId}`)).body[0].executionId;
      const both = `executionIdIn=${async.executionId},${timerExecution}`;
      expect(states(await h.get(`/history/job-log?${both}`))).toEqual(['async:created', 'async:failed', 'async:successful', 'timer:created', 'timer:deleted']);
      expect(states(await h.get(`/history/job-log?${both}&failureLog=true`))).toEqual(['async:failed']);
      expect(states(await h.get(`/history/job-log?${both}&jobDefinitionType=timer-transition`))).toEqual(['timer:created', 'timer:deleted']);
      expect(states(await h.get(`/history/job-log?${both}&activityIdIn=work&failedActivityIdIn=work`))).toEqual(['async:failed', 'async:successful']);
      expect(states(await h.get(`/history/job-log?${both}&jobPriorityHigherThanOrEquals=1&jobPriorityLowerThanOrEquals=5`))).toHaveLength(3);
      expect(states(await h.get(`/history/job-log?${both}&processDefinitionKey=jobLogTimer&hostname=${encodeURIComponent(hostname())}`))).toEqual(['timer:created', 'timer:deleted']);
      expect(states(await h.get(`/history/job-log?${both}&deploymentId=${async.deploymentId}&withoutTenantId=true&tenantIdIn=acme`))).toHaveLength(5);
      expect(states(await h.get(`/history/job-log?${both}&tenantIdIn=acme`))).toEqual([]);
      expect(states(await h.get(`/history/job-log?${both}&sortBy=timestamp&sortOrder=desc`))).toEqual(['timer:deleted', 'timer:created', 'async:successful', 'async:failed', 'async:created']);
      expect(states(await h.get(`/history/job-log?${both}&sortBy=jobRetries&sortOrder=asc&firstResult=0&maxResults=1`))).toEqual(['async:successful']);
      expect(states(await h.get(`/history/job-log?${both}&firstResult=1&maxResults=2`))).toEqual(['async:failed', 'async:successful']);

      const posted = await h.call('POST', '/history/job-log?firstResult=0&maxResults=10', {
        executionIdIn: [async.executionId, timerExecution],
        jobDefinitionConfiguration: 'async-before',
        sorting: [{ sortBy: 'occurrence', sortOrder: 'desc' }],
      });
      expect(states(posted)).toEqual(['async:successful', 'async:failed', 'async:created']);

      expect((await h.get(`/history/job-log/count?${both}`)).body).toEqual({ count: 5 });
      expect((await h.get(`/history/job-log/count?${both}&creationLog=true`)).body).toEqual({ count: 2 });
      expect((await h.post('/history/job-log/count', { executionIdIn: [async.executionId, timerExecution], successLog: true })).body).toEqual({ count: 1 });
      expect((await h.post('/history/job-log/count', { processInstanceId: timer.id, deletionLog: true })).body).toEqual({ count: 1 });
    });

    it('serves a failure’s details as text/plain, nothing for an entry without a failure, and 404 for an unknown id', async () => {
      const [failure] = (await h.get(`/history/job-log?jobId=${async.jobId}&failureLog=true`)).body;
      const trace = await h.get(`/history/job-log/${failure.id}/stacktrace`);
      expect(trace.status).toBe(200);
      expect(trace.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(trace.text).toContain('ledger unavailable');

      const [creation] = (await h.get(`/history/job-log?jobId=${async.jobId}&creationLog=true`)).body;
      expect((await h.get(`/history/job-log/${creation.id}/stacktrace`)).status).toBe(204);

      expect(await h.get('/history/job-log/no-such-entry')).toMatchObject({ status: 404, body: { type: 'InvalidRequestException', message: 'Historic job log with id no-such-entry does not exist' } });
      expect(await h.get('/history/job-log/no-such-entry/stacktrace')).toMatchObject({ status: 404, body: { type: 'InvalidRequestException' } });
    });

    it('refuses two states at once, unknown sort keys and malformed priorities with 400', async () => {
      expect(await h.get('/history/job-log?creationLog=true&failureLog=true')).toMatchObject({ status: 400, body: { type: 'InvalidRequestException' } });
      expect((await h.post('/history/job-log/count', { successLog: true, deletionLog: true })).status).toBe(400);
      expect((await h.get('/history/job-log?sortBy=duration&sortOrder=asc')).status).toBe(400);
      expect((await h.get('/history/job-log?sortBy=timestamp')).status).toBe(400);
      expect((await h.get('/history/job-log?jobPriorityLowerThanOrEquals=high')).status).toBe(400);
    });
  },
  () => ({}),
  () => ({ clock: { now: () => clock.now() }, beans: { jobLogService } }),
);
