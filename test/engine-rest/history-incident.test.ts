import { beforeAll, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { CAMUNDA_DATE, restSuite, type RestHarness } from './rest-harness.js';

let clock = new TestClock();
let failing = true;
const incidentService = {
  call(): string {
    if (failing) throw new Error('payment service down');
    return 'ok';
  },
};

/** Starts an instance and runs its failing job once: R1 leaves it without retries and with a failedJob incident. */
async function failedInstance(h: RestHarness, key: string): Promise<{ id: string; definitionId: string; jobId: string }> {
  failing = true;
  const pi = (await h.post(`/process-definition/key/${key}/start`, {})).body;
  const [job] = (await h.get(`/job?processInstanceId=${pi.id}`)).body;
  expect((await h.post(`/job/${job.id}/execute`)).status).toBe(500);
  return { id: pi.id, definitionId: pi.definitionId, jobId: job.id };
}

restSuite(
  '/engine-rest historic incidents',
  (h) => {
    let open: Awaited<ReturnType<typeof failedInstance>>;
    let resolved: Awaited<ReturnType<typeof failedInstance>>;
    let deleted: Awaited<ReturnType<typeof failedInstance>>;
    const ids = (r: { body: { processInstanceId: string }[] }) => r.body.map((i) => i.processInstanceId);

    beforeAll(async () => {
      clock = new TestClock('2030-05-01T08:00:00.000Z');
      expect((await h.deployFixtures('incident history', 'IncidentHistory.failingTask.bpmn')).status).toBe(200);
      open = await failedInstance(h, 'incidentHistoryFailing');
      clock.advanceMinutes(1);
      resolved = await failedInstance(h, 'incidentHistoryFailingReport');
      clock.advanceMinutes(1);
      deleted = await failedInstance(h, 'incidentHistoryFailing');
      clock.advanceMinutes(1);
      expect((await h.put(`/job/${resolved.jobId}/retries`, { retries: 1 })).status).toBe(204);
      expect((await h.del(`/process-instance/${deleted.id}`)).status).toBe(204);
    });

    it('lists historic incidents with the fields of Camunda’s HistoricIncidentDto and its open, resolved and deleted flags', async () => {
      const [runtime] = (await h.get(`/incident?processInstanceId=${open.id}`)).body;
      await h.put(`/incident/${runtime.id}/annotation`, { annotation: 'ticket OPS-7' });
      const list = await h.get(`/history/incident?processInstanceId=${open.id}`);
      const [failure] = (await h.get(`/history/job-log?jobId=${open.jobId}&failureLog=true`)).body;
      expect(runtime.jobDefinitionId).toBe(`${open.definitionId}:work:async-before`);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        {
          id: runtime.id,
          processDefinitionKey: 'incidentHistoryFailing',
          processDefinitionId: open.definitionId,
          processInstanceId: open.id,
          executionId: runtime.executionId,
          rootProcessInstanceId: open.id,
          createTime: expect.stringMatching(CAMUNDA_DATE),
          endTime: null,
          removalTime: null,
          incidentType: 'failedJob',
          activityId: 'work',
          failedActivityId: 'work',
          causeIncidentId: runtime.id,
          rootCauseIncidentId: runtime.id,
          configuration: open.jobId,
          historyConfiguration: failure.id,
          incidentMessage: runtime.incidentMessage,
          tenantId: null,
          jobDefinitionId: `${open.definitionId}:work:async-before`,
          open: true,
          deleted: false,
          resolved: false,
          annotation: 'ticket OPS-7',
        },
      ]);
      expect(new Date(list.body[0].createTime).getTime()).toBe(new Date(runtime.incidentTimestamp).getTime());

      const [ended] = (await h.get(`/history/incident?processInstanceId=${resolved.id}`)).body;
      expect(ended).toMatchObject({ open: false, resolved: true, deleted: false, endTime: expect.stringMatching(CAMUNDA_DATE), activityId: 'report' });
      const [gone] = (await h.get(`/history/incident?processInstanceId=${deleted.id}`)).body;
      expect(gone).toMatchObject({ open: false, resolved: false, deleted: true, endTime: expect.stringMatching(CAMUNDA_DATE) });
    });

    it('filters by state and Camunda’s other parameters, sorts, pages and counts', async () => {
      expect(ids(await h.get('/history/incident?open=true'))).toEqual([open.id]);
      expect(ids(await h.get('/history/incident?resolved=true'))).toEqual([resolved.id]);
      expect(ids(await h.get('/history/incident?deleted=true&open=false'))).toEqual([deleted.id]);
      expect(ids(await h.get('/history/incident?processDefinitionKeyIn=incidentHistoryFailingReport,nothing'))).toEqual([resolved.id]);
      expect(ids(await h.get('/history/incident?processDefinitionKey=incidentHistoryFailing&incidentMessageLike=%25payment%25'))).toEqual([open.id, deleted.id]);
      expect(ids(await h.get(`/history/incident?configuration=${deleted.jobId}&incidentType=failedJob`))).toEqual([deleted.id]);
      expect(ids(await h.get(`/history/incident?createTimeAfter=${encodeURIComponent('2030-05-01T08:01:00.000+0000')}`))).toEqual([resolved.id, deleted.id]);
      expect(ids(await h.get(`/history/incident?endTimeBefore=${encodeURIComponent('2030-05-01T08:03:00.000+0000')}`))).toEqual([resolved.id, deleted.id]);
      expect(ids(await h.get('/history/incident?withoutTenantId=true&failedActivityId=work'))).toEqual([open.id, deleted.id]);
      expect(ids(await h.get('/history/incident?tenantIdIn=acme'))).toEqual([]);
      expect(ids(await h.get('/history/incident?jobDefinitionIdIn=a,b'))).toEqual([]);

      expect(ids(await h.get('/history/incident?sortBy=createTime&sortOrder=desc'))).toEqual([deleted.id, resolved.id, open.id]);
      expect(ids(await h.get('/history/incident?sortBy=activityId&sortOrder=asc'))).toEqual([resolved.id, open.id, deleted.id]);
      expect(ids(await h.get('/history/incident?sortBy=processDefinitionKey&sortOrder=desc&firstResult=0&maxResults=1'))).toEqual([resolved.id]);
      expect(ids(await h.get('/history/incident?firstResult=1&maxResults=1'))).toEqual([resolved.id]);

      expect((await h.get('/history/incident/count')).body).toEqual({ count: 3 });
      expect((await h.get('/history/incident/count?open=true')).body).toEqual({ count: 1 });
      expect((await h.get('/history/incident/count?processDefinitionKey=incidentHistoryFailing&deleted=true')).body).toEqual({ count: 1 });
    });

    it('refuses two states at once, unknown sort keys and bad dates with 400', async () => {
      expect(await h.get('/history/incident?open=true&resolved=true')).toMatchObject({ status: 400, body: { type: 'InvalidRequestException' } });
      expect((await h.get('/history/incident/count?resolved=true&deleted=true')).status).toBe(400);
      expect((await h.get('/history/incident?sortBy=duration&sortOrder=asc')).status).toBe(400);
      expect((await h.get('/history/incident?sortBy=createTime')).status).toBe(400);
      expect((await h.get('/history/incident?createTimeBefore=yesterday')).status).toBe(400);
    });

    it('serves the same history to GraphQL’s historicIncidents', async () => {
      const res = await fetch(`${h.url()}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `query($f: HistoricIncidentFilterInput) { historicIncidents(filter: $f) { totalCount edges { node { processInstanceId state type activityId endTime } } } }`,
          variables: { f: { processDefinitionKey: 'incidentHistoryFailing', state: 'DELETED' } },
        }),
      });
      const { data, errors } = (await res.json()) as { data: any; errors?: unknown };
      expect(errors).toBeUndefined();
      expect(data.historicIncidents).toEqual({
        totalCount: 1,
        edges: [{ node: { processInstanceId: deleted.id, state: 'DELETED', type: 'failedJob', activityId: 'work', endTime: expect.any(String) } }],
      });
    });
  },
  () => ({}),
  () => ({ clock: { now: () => clock.now() }, beans: { incidentService } }),
);
