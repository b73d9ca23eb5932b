import { beforeAll, expect, it } from 'vitest';
import { restSuite, CAMUNDA_DATE } from './rest-harness.js';

restSuite('/engine-rest history', (h) => {
  let done: any;
  let running: any;
  beforeAll(async () => {
    await h.deployFixtures('history', 'Rest.userTask.bpmn');
    done = (await h.post('/process-definition/key/restUserTask/start', { businessKey: 'h-done', variables: { amount: { value: 1, type: 'Integer' } } })).body;
    const [task] = (await h.get(`/task?processInstanceId=${done.id}`)).body;
    await h.post(`/task/${task.id}/claim`, { userId: 'kermit' });
    await h.put(`/process-instance/${done.id}/variables/amount`, { value: 2, type: 'Integer' });
    await h.post(`/task/${task.id}/complete`, {});
    running = (await h.post('/process-definition/key/restUserTask/start', { businessKey: 'h-running' })).body;
  });

  it('lists historic process instances with Camunda\'s fields and state filters', async () => {
    const one = await h.get(`/history/process-instance/${done.id}`);
    expect(one.body).toEqual({
      id: done.id,
      businessKey: 'h-done',
      processDefinitionId: done.definitionId,
      processDefinitionKey: 'restUserTask',
      processDefinitionName: 'REST user task',
      processDefinitionVersion: 1,
      startTime: expect.stringMatching(CAMUNDA_DATE),
      endTime: expect.stringMatching(CAMUNDA_DATE),
      removalTime: expect.stringMatching(CAMUNDA_DATE),
      durationInMillis: expect.any(Number),
      startUserId: null,
      startActivityId: 'start',
      endActivityId: 'end',
      deleteReason: null,
      rootProcessInstanceId: done.id,
      superProcessInstanceId: null,
      superCaseInstanceId: null,
      caseInstanceId: null,
      tenantId: null,
      state: 'COMPLETED',
    });
    const ids = (r: any) => r.body.map((x: any) => x.id);
    expect(ids(await h.get('/history/process-instance?processDefinitionKey=restUserTask&finished=true'))).toEqual([done.id]);
    expect(ids(await h.get('/history/process-instance?processDefinitionKey=restUserTask&unfinished=true'))).toEqual([running.id]);
    expect(ids(await h.get('/history/process-instance?processDefinitionKey=restUserTask&completed=true'))).toEqual([done.id]);
    expect((await h.get('/history/process-instance/count?processDefinitionKey=restUserTask')).body).toEqual({ count: 2 });
    expect(ids(await h.post('/history/process-instance', { processInstanceBusinessKey: 'h-running' }))).toEqual([running.id]);
    const sorted = await h.get('/history/process-instance?processDefinitionKey=restUserTask&sortBy=startTime&sortOrder=desc');
    expect(ids(sorted)).toEqual([running.id, done.id]);
    expect(ids(await h.get(`/history/process-instance?startedAfter=${encodeURIComponent('2000-01-01T00:00:00.000+0000')}&processDefinitionKey=restUserTask`))).toHaveLength(2);
    expect(await h.get('/history/process-instance/nope')).toMatchObject({ status: 404, body: { message: 'Historic process instance with id nope does not exist' } });
  });

  it('lists historic activity instances in occurrence order', async () => {
    const acts = await h.get(`/history/activity-instance?processInstanceId=${done.id}&sortBy=occurrence&sortOrder=asc`);
    expect(acts.body.map((a: any) => [a.activityId, a.activityType])).toEqual([
      ['start', 'startEvent'],
      ['approve', 'userTask'],
      ['end', 'noneEndEvent'],
    ]);
    const approve = acts.body[1];
    expect(approve).toMatchObject({ assignee: 'kermit', canceled: false, processInstanceId: done.id, rootProcessInstanceId: done.id, processDefinitionKey: 'restUserTask' });
    expect(approve.taskId).toEqual(expect.any(String));
    expect((await h.get(`/history/activity-instance/${approve.id}`)).body).toEqual(approve);
    expect((await h.get(`/history/activity-instance/count?processInstanceId=${done.id}&activityType=userTask&finished=true`)).body).toEqual({ count: 1 });
    expect((await h.get(`/history/activity-instance?taskAssignee=kermit&processInstanceId=${done.id}`)).body).toHaveLength(1);
    expect((await h.get('/history/activity-instance?sortBy=color&sortOrder=asc')).status).toBe(400);
    expect((await h.get('/history/activity-instance/nope')).status).toBe(404);
  });

  it('lists historic tasks, variable instances and variable updates', async () => {
    const tasks = await h.get(`/history/task?processInstanceId=${done.id}`);
    expect(tasks.body).toEqual([
      expect.objectContaining({ taskDefinitionKey: 'approve', name: 'Approve order', assignee: 'kermit', deleteReason: 'completed', priority: 60, due: '2030-01-02T03:04:05.000+0000', rootProcessInstanceId: done.id }),
    ]);
    expect(tasks.body[0].endTime).toMatch(CAMUNDA_DATE);
    expect((await h.get('/history/task/count?processDefinitionKey=restUserTask&unfinished=true')).body).toEqual({ count: 1 });

    const vars = await h.get(`/history/variable-instance?processInstanceId=${done.id}`);
    expect(vars.body).toEqual([
      expect.objectContaining({ name: 'amount', type: 'Integer', value: 2, valueInfo: {}, state: 'CREATED', processInstanceId: done.id, processDefinitionKey: 'restUserTask', rootProcessInstanceId: done.id }),
    ]);
    expect(vars.body[0].createTime).toMatch(CAMUNDA_DATE);
    expect((await h.get(`/history/variable-instance/count?processInstanceIdIn=${done.id},${running.id}&variableNameLike=am%25`)).body).toEqual({ count: 1 });

    const details = await h.get(`/history/detail?processInstanceId=${done.id}&variableUpdates=true`);
    expect(details.body.map((d: any) => [d.type, d.variableName, d.value, d.revision, d.initial])).toEqual([
      ['variableUpdate', 'amount', 1, 0, true],
      ['variableUpdate', 'amount', 2, 1, false],
    ]);
    expect(details.body[0]).toMatchObject({ variableType: 'Integer', valueInfo: {}, variableInstanceId: vars.body[0].id, time: expect.stringMatching(CAMUNDA_DATE) });
    expect((await h.get(`/history/detail?processInstanceId=${done.id}&formFields=true`)).body).toEqual([]);
  });
});
