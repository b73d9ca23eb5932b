import { beforeAll, expect, it } from 'vitest';
import { CAMUNDA_DATE, restSuite } from './rest-harness.js';

let failuresLeft = 0;

restSuite('/engine-rest messages, signals, jobs, incidents and event subscriptions', (h) => {
  beforeAll(async () => {
    h.engine().registerBean('restFlaky', {
      call() {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('service unavailable');
        }
        return 'ok';
      },
    });
    const deployed = await h.deployFixtures('messages-jobs', 'Rest.messageCorrelation.bpmn', 'Rest.signalBroadcast.bpmn', 'Rest.failingJob.bpmn');
    expect(deployed.status).toBe(200);
  });

  const start = async (key: string, body: unknown = {}) => {
    const res = await h.post(`/process-definition/key/${key}/start`, body);
    expect(res.status).toBe(200);
    return res.body;
  };
  const taskKeys = async (instanceId: string) => (await h.get(`/task?processInstanceId=${instanceId}`)).body.map((t: any) => t.taskDefinitionKey).sort();

  it('a message correlates to the waiting instance by business key and correlation keys, and returns the result with variables', async () => {
    const other = await start('restMessageCatch', { businessKey: 'order-1', variables: { orderId: { value: 'o-2', type: 'String' } } });
    const pi = await start('restMessageCatch', { businessKey: 'order-1', variables: { orderId: { value: 'o-1', type: 'String' } } });
    const res = await h.post('/message', {
      messageName: 'restPaymentReceived',
      businessKey: 'order-1',
      correlationKeys: { orderId: { value: 'o-1', type: 'String' } },
      processVariables: { paid: { value: true, type: 'Boolean' }, amount: { value: 12, type: 'Long' } },
      resultEnabled: true,
      variablesInResultEnabled: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        resultType: 'Execution',
        execution: { id: expect.any(String), processInstanceId: pi.id, ended: false, tenantId: null },
        processInstance: null,
        variables: {
          orderId: { type: 'String', value: 'o-1', valueInfo: {} },
          paid: { type: 'Boolean', value: true, valueInfo: {} },
          amount: { type: 'Long', value: 12, valueInfo: {} },
        },
      },
    ]);
    expect(await taskKeys(pi.id)).toEqual(['ship']);
    expect(await taskKeys(other.id)).toEqual([]);
    expect((await h.get(`/process-instance/${pi.id}/variables/amount`)).body).toEqual({ type: 'Long', value: 12, valueInfo: {} });

    // Without resultEnabled Camunda answers 204; `processInstanceId` picks the instance.
    const plain = await h.post('/message', { messageName: 'restPaymentReceived', processInstanceId: other.id });
    expect(plain.status).toBe(204);
    expect(plain.text).toBe('');
    expect(await taskKeys(other.id)).toEqual(['ship']);
  });

  it('a message with a start event starts a new instance with its business key and variables', async () => {
    const res = await h.post('/message', {
      messageName: 'restOrderPlaced',
      businessKey: 'placed-1',
      processVariables: { customer: { value: 'ada' } },
      resultEnabled: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    const [result] = res.body;
    expect(result).toEqual({
      resultType: 'ProcessDefinition',
      execution: null,
      processInstance: {
        links: [],
        id: expect.any(String),
        definitionId: expect.stringMatching(/^restMessageStart:/),
        businessKey: 'placed-1',
        caseInstanceId: null,
        ended: false,
        suspended: false,
        tenantId: null,
      },
      variables: null,
    });
    expect(await taskKeys(result.processInstance.id)).toEqual(['review']);
    expect((await h.get(`/process-instance/${result.processInstance.id}/variables/customer`)).body.value).toBe('ada');
  });

  it('a message nobody waits for is a 400 RestException with Camunda\'s message', async () => {
    const res = await h.post('/message', { messageName: 'nobodyListens', businessKey: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      type: 'RestException',
      message: "Cannot correlate message 'nobodyListens': No process definition or execution matches the parameters",
      code: 0,
    });
    expect(await h.post('/message', { businessKey: 'x' })).toMatchObject({ status: 400, body: { type: 'InvalidRequestException', message: 'No message name supplied' } });
    expect((await h.post('/message', { messageName: 'm', tenantId: 't', withoutTenantId: true })).status).toBe(400);
    const badVariable = await h.post('/message', { messageName: 'restOrderPlaced', processVariables: { when: { value: 'soon', type: 'Date' } } });
    expect(badVariable.status).toBe(400);
    expect(badVariable.body.message).toMatch(/^Cannot deliver message: /);
  });

  it('a signal reaches the waiting boundary event and starts the signal start process', async () => {
    const pi = await start('restSignalCatch');
    const startedBefore = (await h.get('/process-instance/count?processDefinitionKey=restSignalStart')).body.count;
    const res = await h.post('/signal', { name: 'restAlarm', variables: { level: { value: 3, type: 'Integer' } } });
    expect(res.status).toBe(204);
    expect(await taskKeys(pi.id)).toEqual(['react', 'work']);
    expect((await h.get('/process-instance/count?processDefinitionKey=restSignalStart')).body.count).toBe(startedBefore + 1);
    expect((await h.get(`/process-instance/${pi.id}/variables/level`)).body.value).toBe(3);

    expect(await h.post('/signal', {})).toMatchObject({ status: 400, body: { message: 'No signal name given' } });
    const notSubscribed = await h.post('/signal', { name: 'restAlarm', executionId: pi.id });
    expect(notSubscribed.status).toBe(500);
    expect(notSubscribed.body.message).toContain(pi.id);
  });

  it('lists, executes and retries a failing job until its incident; new retries resolve the incident', async () => {
    failuresLeft = 3;
    const pi = await start('restFailingJob');
    const list = await h.get(`/job?processInstanceId=${pi.id}`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    const job = list.body[0];
    expect(job).toEqual({
      id: expect.any(String),
      jobDefinitionId: `${pi.definitionId}:flaky:async-before`,
      processInstanceId: pi.id,
      processDefinitionId: pi.definitionId,
      processDefinitionKey: 'restFailingJob',
      executionId: expect.any(String),
      exceptionMessage: null,
      failedActivityId: null,
      retries: 3,
      dueDate: null,
      suspended: false,
      priority: 0,
      tenantId: null,
      createTime: expect.stringMatching(CAMUNDA_DATE),
      batchId: null,
    });
    expect((await h.get(`/job/${job.id}`)).body).toEqual(job);
    expect(await h.get('/job/nope')).toMatchObject({ status: 404, body: { type: 'InvalidRequestException', message: 'Job with id nope does not exist' } });
    const count = async (query: string) => (await h.get(`/job/count?processInstanceId=${pi.id}&${query}`)).body.count;
    expect(await count('executable=true')).toBe(1);
    expect(await count('messages=true')).toBe(1);
    expect(await count('timers=true')).toBe(0);
    expect(await count('withRetriesLeft=true')).toBe(1);
    expect(await count('noRetriesLeft=true')).toBe(0);
    expect(await count('activityId=flaky&active=true')).toBe(1);
    expect(await count('suspended=true')).toBe(0);
    expect(await count('dueDates=gt_2030-01-01T00:00:00.000%2B0000')).toBe(0);
    expect((await h.post('/job/count', { jobIds: [job.id], processDefinitionKey: 'restFailingJob' })).body).toEqual({ count: 1 });
    expect((await h.post('/job', { processInstanceId: pi.id, sorting: [{ sortBy: 'jobRetries', sortOrder: 'desc' }] })).body.map((j: any) => j.id)).toEqual([job.id]);
    expect((await h.get('/job?timers=true&messages=true')).status).toBe(400);
    expect((await h.get('/job?dueDates=eq_2030-01-01T00:00:00')).status).toBe(400);
    expect((await h.get('/job?sortBy=tenantId&sortOrder=asc')).status).toBe(400);

    const failed = await h.post(`/job/${job.id}/execute`);
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ type: 'RestException' });
    expect(failed.body.message).toContain('service unavailable');
    const afterFailure = (await h.get(`/job/${job.id}`)).body;
    expect(afterFailure).toMatchObject({ retries: 2, failedActivityId: 'flaky' });
    expect(afterFailure.exceptionMessage).toContain('service unavailable');
    expect(await count('withException=true')).toBe(1);
    const trace = await h.get(`/job/${job.id}/stacktrace`);
    expect(trace.status).toBe(200);
    expect(trace.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(trace.text).toContain('service unavailable');

    expect((await h.post(`/job/${job.id}/execute`)).status).toBe(500);
    expect((await h.post(`/job/${job.id}/execute`)).status).toBe(500);
    expect(await count('noRetriesLeft=true')).toBe(1);
    expect(await count('withRetriesLeft=true')).toBe(0);
    expect(await count('executable=true')).toBe(0);

    const incidents = await h.get(`/incident?processInstanceId=${pi.id}`);
    expect(incidents.body).toHaveLength(1);
    const incident = incidents.body[0];
    expect(incident).toEqual({
      id: expect.any(String),
      processDefinitionId: pi.definitionId,
      processInstanceId: pi.id,
      executionId: job.executionId,
      incidentTimestamp: expect.stringMatching(CAMUNDA_DATE),
      incidentType: 'failedJob',
      activityId: 'flaky',
      failedActivityId: 'flaky',
      causeIncidentId: incident.id,
      rootCauseIncidentId: incident.id,
      configuration: job.id,
      tenantId: null,
      incidentMessage: expect.stringContaining('service unavailable'),
      jobDefinitionId: `${pi.definitionId}:flaky:async-before`,
      annotation: null,
    });
    expect((await h.get(`/incident/${incident.id}`)).body).toEqual(incident);
    expect((await h.get(`/incident?jobDefinitionIdIn=${encodeURIComponent(incident.jobDefinitionId)},other`)).body).toEqual([incident]);
    expect((await h.get(`/incident/count?incidentType=failedJob&configuration=${job.id}`)).body).toEqual({ count: 1 });
    expect((await h.get(`/incident/count?processInstanceId=${pi.id}&activityId=other`)).body).toEqual({ count: 0 });
    expect(await h.get('/incident/nope')).toMatchObject({ status: 404, body: { message: 'No matching incident with id nope' } });

    // As Camunda: a failedJob incident is not resolved by deleting it, but by giving the job retries.
    expect(await h.del(`/incident/${incident.id}`)).toMatchObject({
      status: 400,
      body: { type: 'InvalidRequestException', message: 'Cannot resolve an incident of type failedJob' },
    });
    expect((await h.del('/incident/nope')).status).toBe(404);

    expect((await h.put(`/incident/${incident.id}/annotation`, { annotation: 'looking into it' })).status).toBe(204);
    expect((await h.get(`/incident/${incident.id}`)).body.annotation).toBe('looking into it');
    expect((await h.del(`/incident/${incident.id}/annotation`)).status).toBe(204);
    expect((await h.get(`/incident/${incident.id}`)).body.annotation).toBeNull();
    expect(await h.put('/incident/nope/annotation', { annotation: 'x' })).toMatchObject({ status: 400, body: { type: 'BadUserRequestException' } });

    expect((await h.put(`/job/${job.id}/retries`, { retries: 1 })).status).toBe(204);
    expect((await h.get(`/incident/count?processInstanceId=${pi.id}`)).body).toEqual({ count: 0 });
    expect((await h.put(`/job/${job.id}/retries`, { retries: -1 })).status).toBe(500);
    expect((await h.put('/job/nope/retries', { retries: 1 })).status).toBe(500);
    expect((await h.post(`/job/${job.id}/execute`)).status).toBe(204);
    expect(await taskKeys(pi.id)).toEqual(['after']);
    expect((await h.get(`/job/${job.id}`)).status).toBe(404);
    expect(await h.post('/job/nope/execute')).toMatchObject({ status: 404, body: { type: 'InvalidRequestException' } });
    expect((await h.get('/job/nope/stacktrace')).status).toBe(404);
  });

  it('lists event subscriptions of waiting instances and of start events', async () => {
    const pi = await start('restMessageCatch', { businessKey: 'subs-1' });
    const res = await h.get(`/event-subscription?processInstanceId=${pi.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: expect.any(String),
        eventType: 'message',
        eventName: 'restPaymentReceived',
        executionId: expect.any(String),
        processInstanceId: pi.id,
        activityId: 'waitPayment',
        createdDate: expect.stringMatching(CAMUNDA_DATE),
        tenantId: null,
      },
    ]);
    expect((await h.get(`/event-subscription/count?processInstanceId=${pi.id}&eventType=message`)).body).toEqual({ count: 1 });
    const starts = await h.get('/event-subscription?eventType=signal&eventName=restAlarm&activityId=alarmStart');
    expect(starts.body).toHaveLength(1);
    expect(starts.body[0]).toMatchObject({ processInstanceId: null, executionId: null, eventType: 'signal' });
    expect((await h.get(`/event-subscription?eventSubscriptionId=${res.body[0].id}`)).body).toEqual(res.body);
    expect((await h.get('/event-subscription?sortBy=created&sortOrder=asc')).status).toBe(400);
  });
});
