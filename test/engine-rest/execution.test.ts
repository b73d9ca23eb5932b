import { beforeAll, expect, it } from 'vitest';
import { restSuite } from './rest-harness.js';

restSuite('/engine-rest executions and variable instances', (h) => {
  beforeAll(async () => {
    await h.deployFixtures('executions', 'Rest.receiveTask.bpmn', 'Rest.userTask.bpmn');
  });

  it('finds the waiting execution of a receive task and signals it with variables', async () => {
    const pi = (await h.post('/process-definition/key/restReceiveTask/start', { businessKey: 'ex-1' })).body;
    const waiting = await h.get(`/execution?processInstanceId=${pi.id}&activityId=waitForPayment`);
    expect(waiting.body).toHaveLength(1);
    const execution = waiting.body[0];
    expect(execution).toEqual({ id: execution.id, processInstanceId: pi.id, ended: false, tenantId: null });
    expect((await h.get(`/execution/${execution.id}`)).body).toEqual(execution);
    expect((await h.get(`/execution/count?processInstanceId=${pi.id}&activityId=waitForPayment`)).body).toEqual({ count: 1 });
    expect(await h.get('/execution/nope')).toMatchObject({ status: 404, body: { message: 'Execution with id nope does not exist' } });

    expect((await h.put(`/execution/${execution.id}/localVariables/attempt`, { value: 1, type: 'Integer' })).status).toBe(204);
    expect((await h.get(`/execution/${execution.id}/localVariables`)).body).toEqual({ attempt: { type: 'Integer', value: 1, valueInfo: {} } });
    expect((await h.get(`/execution/${execution.id}/localVariables/attempt`)).body.value).toBe(1);

    const signalled = await h.post(`/execution/${execution.id}/signal`, { variables: { paid: { value: true, type: 'Boolean' } } });
    expect(signalled.status).toBe(204);
    const tasks = await h.get(`/task?processInstanceId=${pi.id}`);
    expect(tasks.body.map((t: any) => t.taskDefinitionKey)).toEqual(['ship']);
    expect((await h.get(`/process-instance/${pi.id}/variables/paid`)).body).toEqual({ type: 'Boolean', value: true, valueInfo: {} });

    const notWaiting = await h.post(`/execution/${pi.id}/signal`, {});
    expect(notWaiting.status).toBeGreaterThanOrEqual(400);
    expect(notWaiting.body.message).toMatch(new RegExp(`^Cannot signal execution ${pi.id}: `));
    expect((await h.get('/execution?active=true')).status).toBe(400);
  });

  it('queries variable instances across instances and tasks', async () => {
    const pi = (await h.post('/process-definition/key/restUserTask/start', { variables: { amount: { value: 42, type: 'Integer' }, label: { value: 'vi' } } })).body;
    const [task] = (await h.get(`/task?processInstanceId=${pi.id}`)).body;
    await h.put(`/task/${task.id}/localVariables/comment`, { value: 'ok' });
    const all = await h.get(`/variable-instance?processInstanceIdIn=${pi.id}`);
    expect(all.body.map((v: any) => v.name).sort()).toEqual(['amount', 'comment', 'label']);
    const amount = all.body.find((v: any) => v.name === 'amount');
    expect(amount).toEqual({
      id: expect.any(String),
      name: 'amount',
      type: 'Integer',
      value: 42,
      valueInfo: {},
      processDefinitionId: pi.definitionId,
      processInstanceId: pi.id,
      executionId: pi.id,
      caseInstanceId: null,
      caseExecutionId: null,
      taskId: null,
      batchId: null,
      activityInstanceId: expect.any(String),
      errorMessage: null,
      tenantId: null,
    });
    expect((await h.get(`/variable-instance?taskIdIn=${task.id}`)).body.map((v: any) => v.name)).toEqual(['comment']);
    expect((await h.get(`/variable-instance/count?processInstanceIdIn=${pi.id}&variableNameLike=am%25`)).body).toEqual({ count: 1 });
    expect((await h.get(`/variable-instance?processInstanceIdIn=${pi.id}&variableValues=amount_gteq_42`)).body).toHaveLength(1);
    expect((await h.post('/variable-instance', { processInstanceIdIn: [pi.id], variableName: 'label' })).body.map((v: any) => v.value)).toEqual(['vi']);
  });
});
