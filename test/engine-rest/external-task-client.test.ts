/**
 * The real Camunda worker library, camunda-external-task-client-js, against
 * this server's /engine-rest: what a Camunda 7 Node.js worker does, unchanged.
 */
import { Client, Variables, type Handler, type SubscribeOptions } from 'camunda-external-task-client-js';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { eventually } from '../helpers/clock.js';
import { restSuite } from './rest-harness.js';

restSuite('camunda-external-task-client-js', (h) => {
  let client: Client | null = null;
  const errors: unknown[] = [];

  /** A polling worker with one subscription; long polls of 1 s so it stops quickly. */
  const worker = (topic: string, options: SubscribeOptions, handler: Handler): Client => {
    client = new Client({ baseUrl: `${h.url()}/engine-rest`, workerId: 'js-worker', autoPoll: false, interval: 20, asyncResponseTimeout: 1000, lockDuration: 30_000 });
    client.on('poll:error', (e: unknown) => errors.push(e));
    client.on('complete:error', (_task: unknown, e: unknown) => errors.push(e));
    client.on('handleFailure:error', (_task: unknown, e: unknown) => errors.push(e));
    client.on('handleBpmnError:error', (_task: unknown, e: unknown) => errors.push(e));
    client.subscribe(topic, options, handler);
    client.start();
    return client;
  };

  const start = async (key: string, businessKey: string, variables: Record<string, unknown> = {}) => {
    const res = await h.post(`/process-definition/key/${key}/start`, { businessKey, variables });
    expect(res.status).toBe(200);
    return res.body as { id: string };
  };
  const taskKeys = async (instanceId: string) => ((await h.get(`/task?processInstanceId=${instanceId}`)).body as { taskDefinitionKey: string }[]).map((t) => t.taskDefinitionKey);

  beforeAll(async () => {
    const res = await h.deployFixtures('external-tasks', 'ExternalTask.basic.bpmn', 'ExternalTask.errorBoundary.bpmn');
    expect(res.status).toBe(200);
  });

  afterEach(async () => {
    client?.stop();
    client = null;
    // The last long poll ends within its 1 s timeout; no request may outlive the test.
    await eventually(async () => h.engine().externalTasks.waitingFetches === 0, 5000, 'the worker\'s last poll to end');
    const seen = errors.splice(0);
    expect(seen).toEqual([]);
  });

  it('a worker subscribed to a topic completes tasks with the variables it reads and sets', async () => {
    const instances = await Promise.all([1, 2, 3].map((n) => start('externalBasic', `client-${n}`, { amount: { value: n * 100, type: 'Integer' } })));
    const seen: string[] = [];
    worker('invoice', { variables: ['amount'], processDefinitionKey: 'externalBasic' }, async ({ task, taskService }) => {
      seen.push(task.businessKey!);
      const variables = new Variables().set('invoiceTotal', task.variables.get('amount') * 2).set('invoicedAt', new Date('2030-01-02T03:04:05.000Z'));
      const local = new Variables().set('attempt', 1);
      await taskService.complete(task, variables, local);
    });
    for (const pi of instances) await eventually(async () => (await taskKeys(pi.id)).includes('check'), 10_000, `instance ${pi.id} to reach 'check'`);
    expect(seen.sort()).toEqual(['client-1', 'client-2', 'client-3']);
    for (const [i, pi] of instances.entries()) {
      const vars = (await h.get(`/process-instance/${pi.id}/variables`)).body;
      expect(vars['invoiceTotal']).toEqual({ type: 'Integer', value: (i + 1) * 200, valueInfo: {} });
      expect(vars['invoicedAt']).toEqual({ type: 'Date', value: '2030-01-02T03:04:05.000+0000', valueInfo: {} });
      expect(vars['attempt']).toMatchObject({ value: 1 });
    }
    expect((await h.get('/external-task/count?topicName=invoice')).body).toEqual({ count: 0 });
  });

  it('a failure reported with no retries left becomes an incident the operator sees', async () => {
    const pi = await start('externalError', 'client-fail');
    let calls = 0;
    worker('lookup', { businessKey: 'client-fail' }, async ({ task, taskService }) => {
      calls++;
      await taskService.handleFailure(task, { errorMessage: 'Catalog unreachable', errorDetails: 'ECONNREFUSED 10.0.0.7:443', retries: 0, retryTimeout: 0 });
    });
    const incident = await eventually(async () => (await h.engine().findIncidents({ instanceId: pi.id }))[0], 10_000, 'the incident');
    expect(incident).toMatchObject({ type: 'failedExternalTask', activityId: 'lookup', message: 'Catalog unreachable' });
    const [task] = (await h.get(`/external-task?processInstanceId=${pi.id}`)).body;
    expect(task).toMatchObject({ id: incident.configuration, retries: 0, errorMessage: 'Catalog unreachable', workerId: 'js-worker' });
    const details = await h.get(`/external-task/${task.id}/errorDetails`);
    expect(details.text).toBe('ECONNREFUSED 10.0.0.7:443');
    expect(calls).toBe(1);
    expect(await taskKeys(pi.id)).toEqual([]);
  });

  it('a BPMN error from the worker is caught by the boundary event', async () => {
    const pi = await start('externalError', 'client-error');
    worker('lookup', { businessKey: 'client-error' }, async ({ task, taskService }) => {
      await taskService.handleBpmnError(task, 'NOT_FOUND', 'Item X-1 is not in the catalog', new Variables().set('item', 'X-1'));
    });
    await eventually(async () => (await taskKeys(pi.id)).includes('handleMissing'), 10_000, 'the boundary event to be taken');
    const vars = (await h.get(`/process-instance/${pi.id}/variables`)).body;
    expect(vars).toMatchObject({
      code: { value: 'NOT_FOUND' },
      reason: { value: 'Item X-1 is not in the catalog' },
      item: { value: 'X-1' },
    });
    expect(await taskKeys(pi.id)).toEqual(['handleMissing']);
  });
});
