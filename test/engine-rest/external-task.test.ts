import { beforeAll, expect, it } from 'vitest';
import { eventually } from '../helpers/clock.js';
import { CAMUNDA_DATE, restSuite } from './rest-harness.js';

restSuite('/engine-rest external tasks', (h) => {
  let counter = 0;
  const start = async (variables: Record<string, unknown> = {}) => {
    const businessKey = `rest-et-${++counter}`;
    const pi = (await h.post('/process-definition/key/externalBasic/start', { businessKey, variables })).body as { id: string; definitionId: string };
    return { pi, businessKey };
  };
  const fetchFor = (businessKey: string, workerId = 'w1', extra: Record<string, unknown> = {}) =>
    h.post('/external-task/fetchAndLock', { workerId, maxTasks: 5, topics: [{ topicName: 'invoice', lockDuration: 60_000, businessKey, ...extra }] });

  beforeAll(async () => {
    expect((await h.deployFixtures('rest-external-tasks', 'ExternalTask.basic.bpmn')).status).toBe(200);
  });

  it('fetchAndLock answers Camunda\'s LockedExternalTaskDto with the requested variables', async () => {
    const { pi, businessKey } = await start({ amount: { value: 42, type: 'Integer' }, note: { value: 'x', type: 'String' } });
    const res = await fetchFor(businessKey, 'w1', { variables: ['amount'], includeExtensionProperties: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        activityId: 'createInvoice',
        activityInstanceId: expect.stringMatching(/^createInvoice:/),
        errorMessage: null,
        errorDetails: null,
        executionId: pi.id,
        id: expect.any(String),
        lockExpirationTime: expect.stringMatching(CAMUNDA_DATE),
        createTime: expect.stringMatching(CAMUNDA_DATE),
        processDefinitionId: pi.definitionId,
        processDefinitionKey: 'externalBasic',
        processDefinitionVersionTag: null,
        processInstanceId: pi.id,
        retries: null,
        suspended: false,
        workerId: 'w1',
        topicName: 'invoice',
        tenantId: null,
        variables: { amount: { type: 'Integer', value: 42, valueInfo: {} } },
        priority: 0,
        businessKey,
        extensionProperties: { department: 'billing' },
      },
    ]);
    const id = res.body[0].id;
    const { variables: _v, errorDetails: _d, extensionProperties: _e, ...dto } = res.body[0];
    expect((await h.get(`/external-task/${id}`)).body).toEqual(dto);
    expect((await h.get(`/external-task?workerId=w1&locked=true&processInstanceId=${pi.id}`)).body.map((t: any) => t.id)).toEqual([id]);
    expect((await h.post('/external-task/count', { processInstanceId: pi.id, notLocked: true })).body).toEqual({ count: 0 });
  });

  it('answers a wrong worker with 400, a missing task with 404, and completes for the right worker', async () => {
    const { pi, businessKey } = await start();
    const [task] = (await fetchFor(businessKey)).body;
    const wrong = await h.post(`/external-task/${task.id}/complete`, { workerId: 'intruder' });
    expect(wrong).toMatchObject({
      status: 400,
      body: { type: 'RestException', message: `External Task ${task.id} cannot be completed by worker 'intruder'. It is locked by worker 'w1'.` },
    });
    expect((await h.post(`/external-task/${task.id}/complete`, { workerId: 'w1', variables: { ok: { value: true } } })).status).toBe(204);
    expect((await h.get(`/task?processInstanceId=${pi.id}`)).body.map((t: any) => t.taskDefinitionKey)).toEqual(['check']);
    const again = await h.post(`/external-task/${task.id}/complete`, { workerId: 'w1' });
    expect(again).toMatchObject({ status: 404, body: { type: 'RestException', message: `External task with id ${task.id} does not exist` } });
    expect(await h.get(`/external-task/${task.id}`)).toMatchObject({ status: 404, body: { message: `External task with id ${task.id} does not exist` } });
  });

  it('failure, retries, extendLock and unlock', async () => {
    const { pi, businessKey } = await start();
    const [task] = (await fetchFor(businessKey)).body;
    expect((await h.post(`/external-task/${task.id}/extendLock`, { workerId: 'w1', newDuration: 120_000 })).status).toBe(204);
    expect((await h.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'down', errorDetails: 'trace', retries: 0, retryTimeout: 0 })).status).toBe(204);
    expect((await h.get(`/external-task/${task.id}`)).body).toMatchObject({ retries: 0, errorMessage: 'down' });
    expect((await h.get(`/external-task/${task.id}/errorDetails`)).text).toBe('trace');
    expect((await h.get(`/incident?processInstanceId=${pi.id}`)).body).toMatchObject([{ incidentType: 'failedExternalTask', configuration: task.id }]);
    expect((await h.put(`/external-task/${task.id}/retries`, {})).status).toBe(400);
    expect((await h.put(`/external-task/${task.id}/retries`, { retries: 2 })).status).toBe(204);
    expect((await h.get(`/incident?processInstanceId=${pi.id}`)).body).toEqual([]);
    expect((await h.post(`/external-task/${task.id}/unlock`)).status).toBe(204);
    expect((await h.get(`/external-task/${task.id}`)).body).toMatchObject({ workerId: null, lockExpirationTime: null, retries: 2 });
    expect((await fetchFor(businessKey, 'w2')).body.map((t: any) => t.workerId)).toEqual(['w2']);
  });

  it('long polling over HTTP: the request is answered when a task appears; a timeout over 30 minutes is refused', async () => {
    const businessKey = `rest-et-lp-${++counter}`;
    const pending = h.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, asyncResponseTimeout: 20_000, topics: [{ topicName: 'invoice', lockDuration: 60_000, businessKey }] });
    await eventually(async () => h.engine().externalTasks.waitingFetches > 0, 5000, 'the request to wait');
    await h.post('/process-definition/key/externalBasic/start', { businessKey });
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.map((t: any) => t.businessKey)).toEqual([businessKey]);
    const tooLong = await h.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, asyncResponseTimeout: 1_800_001, topics: [] });
    expect(tooLong).toMatchObject({ status: 400, body: { type: 'InvalidRequestException', message: 'The asynchronous response timeout cannot be set to a value greater than 1800000 milliseconds' } });
  });

  it('a client that goes away ends its long poll', async () => {
    const controller = new AbortController();
    const pending = fetch(`${h.url()}/engine-rest/external-task/fetchAndLock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workerId: 'w1', maxTasks: 1, asyncResponseTimeout: 60_000, topics: [{ topicName: 'nobody-creates-this', lockDuration: 1000 }] }),
      signal: controller.signal,
    });
    await eventually(async () => h.engine().externalTasks.waitingFetches > 0, 5000, 'the request to wait');
    controller.abort();
    await expect(pending).rejects.toThrow();
    await eventually(async () => h.engine().externalTasks.waitingFetches === 0, 5000, 'the wait to end');
  });
});
