/**
 * REST calls Camunda's own tests and task-list clients make that the
 * conformance sweep found missing or different (docs/conformance.md).
 */
import { beforeAll, expect, it } from 'vitest';
import { restSuite } from './rest-harness.js';

restSuite('/engine-rest conformance', (h) => {
  beforeAll(async () => {
    await h.deployFixtures('conformance', 'Conformance.forms.bpmn', 'Conformance.asyncInScope.bpmn', 'Conformance.startFormFields.bpmn');
  });

  it('answers the start form of a definition by id, by key and by key and tenant as Camunda\'s FormDto', async () => {
    const def = (await h.get('/process-definition/key/formsEverywhere')).body;
    const expected = { key: 'embedded:app:forms/request.html', contextPath: null, camundaFormRef: null };
    expect((await h.get(`/process-definition/${def.id}/startForm`)).body).toEqual(expected);
    expect((await h.get('/process-definition/key/formsEverywhere/startForm')).body).toEqual(expected);
    expect((await h.get('/process-definition/key/formless/startForm')).body).toEqual({ key: null, contextPath: null, camundaFormRef: null });
    expect(await h.get('/process-definition/nope/startForm')).toMatchObject({ status: 404, body: { type: 'InvalidRequestException' } });
    expect(await h.get('/process-definition/key/nope/startForm')).toMatchObject({ status: 404 });
  });

  it('answers a start form of form fields with Camunda\'s generated-form key, and its variables with the typed default values', async () => {
    const def = (await h.get('/process-definition/key/applyForLeave')).body;
    expect((await h.get(`/process-definition/${def.id}/startForm`)).body.key).toBe(`embedded:engine://engine/:engine/process-definition/${def.id}/rendered-form`);
    const vars = (await h.get('/process-definition/key/applyForLeave/form-variables')).body;
    expect(vars).toEqual({
      reason: { type: 'String', value: 'holiday', valueInfo: {} },
      days: { type: 'Long', value: 3, valueInfo: {} },
      urgent: { type: 'Boolean', value: null, valueInfo: {} },
      firstDay: { type: 'Date', value: '2030-12-24T00:00:00.000+0000', valueInfo: {} },
    });
    expect((await h.get(`/process-definition/${def.id}/form-variables?variableNames=days`)).body).toEqual({ days: vars.days });
    expect((await h.get('/process-definition/key/formsEverywhere/form-variables')).body).toEqual({});
  });

  it('answers a task form with its form key, Camunda\'s generated-form key for form fields, and 404 for a missing task', async () => {
    const pi = (await h.post('/process-definition/key/formsEverywhere/start', {})).body;
    const [decide] = (await h.get(`/task?processInstanceId=${pi.id}`)).body;
    expect((await h.get(`/task/${decide.id}/form`)).body).toEqual({ key: 'embedded:app:forms/decide.html', contextPath: null, camundaFormRef: null });
    await h.post(`/task/${decide.id}/complete`, {});
    const [confirm] = (await h.get(`/task?processInstanceId=${pi.id}`)).body;
    expect((await h.get(`/task/${confirm.id}/form`)).body.key).toBe(`embedded:engine://engine/:engine/task/${confirm.id}/rendered-form`);
    await h.post(`/task/${confirm.id}/complete`, { variables: { confirmed: { value: true } } });
    const [note] = (await h.get(`/task?processInstanceId=${pi.id}`)).body;
    expect((await h.get(`/task/${note.id}/form`)).body.key).toBeNull();
    expect(await h.get('/task/nope/form')).toMatchObject({ status: 404, body: { message: 'No matching task with id nope' } });
  });

  it('lists an execution waiting for an asynchronous continuation among the transition instances of the activity-instance tree', async () => {
    const pi = (await h.post('/process-definition/key/asyncInScope/start', {})).body;
    const tree = (await h.get(`/process-instance/${pi.id}/activity-instances`)).body;
    const [stage] = tree.childActivityInstances;
    expect(stage.activityId).toBe('stage');
    expect(stage.childTransitionInstances).toEqual([
      {
        id: expect.any(String),
        parentActivityInstanceId: stage.id,
        activityId: 'check',
        activityName: 'Check',
        activityType: 'userTask',
        processInstanceId: pi.id,
        processDefinitionId: pi.definitionId,
        executionId: expect.any(String),
        targetActivityId: 'check',
        incidentIds: [],
        incidents: [],
      },
    ]);
  });

  it('sorts historic activity instances by activity name, type, instance and execution', async () => {
    const pi = (await h.post('/process-definition/key/formsEverywhere/start', {})).body;
    const byName = (await h.get(`/history/activity-instance?processInstanceId=${pi.id}&sortBy=activityName&sortOrder=desc`)).body;
    expect(byName.map((a: { activityId: string }) => a.activityId)).toEqual(['request', 'decide']);
    const byType = (await h.get(`/history/activity-instance?processInstanceId=${pi.id}&sortBy=activityType&sortOrder=asc`)).body;
    expect(byType.map((a: { activityType: string }) => a.activityType)).toEqual(['startEvent', 'userTask']);
    for (const sortBy of ['instanceId', 'executionId', 'definitionId', 'tenantId']) {
      expect((await h.get(`/history/activity-instance?processInstanceId=${pi.id}&sortBy=${sortBy}&sortOrder=asc`)).status).toBe(200);
    }
  });
});
