import { beforeAll, expect, it } from 'vitest';
import { restSuite, CAMUNDA_DATE } from './rest-harness.js';

restSuite('/engine-rest tasks', (h) => {
  const startUserTask = async (businessKey: string, variables: Record<string, unknown> = {}) => {
    const pi = (await h.post('/process-definition/key/restUserTask/start', { businessKey, variables })).body;
    const [task] = (await h.get(`/task?processInstanceId=${pi.id}`)).body;
    return { pi, task };
  };

  beforeAll(async () => {
    await h.deployFixtures('tasks', 'Rest.userTask.bpmn', 'Rest.twoTasks.bpmn');
  });

  it('renders a task as Camunda\'s TaskDto and 404s a missing one', async () => {
    const { pi, task } = await startUserTask('t-shape');
    expect(task).toEqual({
      id: task.id,
      name: 'Approve order',
      assignee: null,
      owner: null,
      created: expect.stringMatching(CAMUNDA_DATE),
      lastUpdated: null,
      due: '2030-01-02T03:04:05.000+0000',
      followUp: null,
      delegationState: null,
      description: null,
      executionId: expect.any(String),
      parentTaskId: null,
      priority: 60,
      processDefinitionId: pi.definitionId,
      processInstanceId: pi.id,
      caseExecutionId: null,
      caseDefinitionId: null,
      caseInstanceId: null,
      taskDefinitionKey: 'approve',
      suspended: false,
      formKey: 'embedded:app:forms/approve.html',
      camundaFormRef: null,
      tenantId: null,
    });
    expect((await h.get(`/task/${task.id}`)).body).toEqual(task);
    expect(await h.get('/task/nope')).toMatchObject({ status: 404, body: { type: 'InvalidRequestException', message: 'No matching task with id nope' } });
  });

  it('filters tasks by candidates, assignment, dates, priority and variables', async () => {
    const { task: a } = await startUserTask('t-filter-a', { region: { value: 'north' } });
    const { task: b } = await startUserTask('t-filter-b', { region: { value: 'south' } });
    await h.post(`/task/${b.id}/claim`, { userId: 'kermit' });
    const ids = (r: any) => r.body.map((t: any) => t.id);
    const scope = 'processInstanceBusinessKey';
    expect(ids(await h.get(`/task?${scope}=t-filter-a&candidateGroup=management`))).toEqual([a.id]);
    expect(ids(await h.get(`/task?${scope}=t-filter-a&candidateGroups=sales,accounting`))).toEqual([a.id]);
    expect(ids(await h.get(`/task?${scope}=t-filter-b&candidateUser=kermit`))).toEqual([]);
    expect(ids(await h.get(`/task?${scope}=t-filter-b&candidateUser=kermit&includeAssignedTasks=true`))).toEqual([b.id]);
    expect(ids(await h.get(`/task?${scope}=t-filter-b&assignee=kermit`))).toEqual([b.id]);
    expect(ids(await h.get(`/task?${scope}=t-filter-a&unassigned=true&withCandidateGroups=true`))).toEqual([a.id]);
    expect(ids(await h.get(`/task?${scope}=t-filter-a&dueAfter=${encodeURIComponent('2030-01-01T00:00:00.000+0000')}&minPriority=50&maxPriority=60`))).toEqual([a.id]);
    expect(ids(await h.get(`/task?${scope}=t-filter-a&dueBefore=${encodeURIComponent('2030-01-01T00:00:00.000+0000')}`))).toEqual([]);
    expect(ids(await h.get('/task?processVariables=region_eq_south'))).toEqual([b.id]);
    expect(ids(await h.post('/task', { processVariables: [{ name: 'region', operator: 'eq', value: 'north' }], taskDefinitionKeyIn: ['approve'] }))).toEqual([a.id]);
    expect((await h.post('/task/count', { processInstanceBusinessKey: 't-filter-b', assigned: true })).body).toEqual({ count: 1 });
    expect((await h.get('/task/count?processDefinitionKey=restUserTask&nameLike=Approve%25')).body.count).toBeGreaterThanOrEqual(2);
    const sorted = await h.get('/task?processDefinitionKey=restUserTask&sortBy=created&sortOrder=desc&maxResults=1');
    expect(sorted.body).toHaveLength(1);
    expect((await h.get('/task?delegationState=PENDING')).status).toBe(400);
  });

  it('claims, refuses a claim by someone else, unclaims and sets the assignee', async () => {
    const { task } = await startUserTask('t-claim');
    expect((await h.post(`/task/${task.id}/claim`, { userId: 'kermit' })).status).toBe(204);
    const conflict = await h.post(`/task/${task.id}/claim`, { userId: 'piggy' });
    expect(conflict.status).toBe(500);
    expect(conflict.body).toMatchObject({ type: 'TaskAlreadyClaimedException', code: 0 });
    expect((await h.post(`/task/${task.id}/unclaim`)).status).toBe(204);
    expect((await h.get(`/task/${task.id}`)).body.assignee).toBeNull();
    expect((await h.post(`/task/${task.id}/assignee`, { userId: 'gonzo' })).status).toBe(204);
    expect((await h.get(`/task/${task.id}`)).body.assignee).toBe('gonzo');
    const links = await h.get(`/task/${task.id}/identity-links`);
    expect(links.body).toEqual([
      { userId: 'gonzo', groupId: null, type: 'assignee' },
      { userId: 'kermit', groupId: null, type: 'candidate' },
      { userId: null, groupId: 'management', type: 'candidate' },
      { userId: null, groupId: 'accounting', type: 'candidate' },
    ]);
    expect((await h.get(`/task/${task.id}/identity-links?type=assignee`)).body).toHaveLength(1);
  });

  it('completes a task with 204, or 200 and the variables when asked', async () => {
    const { pi, task } = await startUserTask('t-complete', { amount: { value: 10, type: 'Integer' } });
    const done = await h.post(`/task/${task.id}/complete`, { variables: { approved: { value: true, type: 'Boolean' } } });
    expect(done.status).toBe(204);
    expect(done.text).toBe('');
    expect((await h.get(`/process-instance/${pi.id}`)).status).toBe(404);

    const second = await startUserTask('t-complete-2', { amount: { value: 10, type: 'Integer' } });
    const withVars = await h.post(`/task/${second.task.id}/complete`, {
      variables: { order: { value: { id: 7 }, type: 'Object', valueInfo: { objectTypeName: 'com.acme.Order' } } },
      withVariablesInReturn: true,
    });
    expect(withVars.status).toBe(200);
    expect(withVars.body).toEqual({
      amount: { type: 'Integer', value: 10, valueInfo: {} },
      order: { type: 'Object', value: '{"id":7}', valueInfo: { objectTypeName: 'com.acme.Order', serializationDataFormat: 'application/json' } },
    });

    const third = await startUserTask('t-submit');
    expect((await h.post(`/task/${third.task.id}/submit-form`, { variables: {} })).status).toBe(204);
    const gone = await h.post(`/task/${third.task.id}/complete`, {});
    expect(gone.status).toBe(500);
    expect(gone.body.message).toMatch(new RegExp(`^Cannot complete task ${third.task.id}: `));
  });

  it('reads and writes task variables and local variables, and form variables', async () => {
    const { task } = await startUserTask('t-vars', { amount: { value: 3, type: 'Integer' }, note: { value: 'x' } });
    const base = `/task/${task.id}`;
    expect((await h.put(`${base}/localVariables/comment`, { value: 'looks good', type: 'String' })).status).toBe(204);
    expect((await h.put(`${base}/variables/amount`, { value: 4, type: 'Integer' })).status).toBe(204);
    expect((await h.get(`${base}/localVariables`)).body).toEqual({ comment: { type: 'String', value: 'looks good', valueInfo: {} } });
    expect((await h.get(`${base}/variables`)).body).toEqual({
      amount: { type: 'Integer', value: 4, valueInfo: {} },
      note: { type: 'String', value: 'x', valueInfo: {} },
      comment: { type: 'String', value: 'looks good', valueInfo: {} },
    });
    expect((await h.get(`${base}/variables/amount`)).body).toEqual({ type: 'Integer', value: 4, valueInfo: {} });
    expect(await h.get(`${base}/localVariables/amount`)).toMatchObject({ status: 404, body: { message: 'task variable with name amount does not exist' } });
    expect((await h.get(`${base}/form-variables?variableNames=amount,comment`)).body).toEqual({
      amount: { type: 'Integer', value: 4, valueInfo: {} },
      comment: { type: 'String', value: 'looks good', valueInfo: {} },
    });
    expect((await h.post(`${base}/variables`, { modifications: { extra: { value: 1.5, type: 'Double' } }, deletions: ['note'] })).status).toBe(204);
    expect(Object.keys((await h.get(`${base}/variables`)).body).sort()).toEqual(['amount', 'comment', 'extra']);
    expect((await h.del(`${base}/localVariables/comment`)).status).toBe(204);
    expect(Object.keys((await h.get(`${base}/localVariables`)).body)).toEqual([]);
    expect((await h.get('/task/nope/variables')).status).toBe(500);
  });
});
