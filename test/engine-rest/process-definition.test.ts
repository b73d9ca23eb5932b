import { beforeAll, expect, it } from 'vitest';
import { fixture } from '../helpers/engine-harness.js';
import { restSuite } from './rest-harness.js';

restSuite('/engine-rest process definitions', (h) => {
  let v1: any;
  let v2: any;
  beforeAll(async () => {
    await h.deployFixtures('definitions', 'Rest.userTask.bpmn', 'Rest.twoTasks.bpmn');
    const changed = new FormData();
    changed.append('deployment-name', 'definitions');
    changed.append('Rest.userTask.bpmn', new Blob([fixture('Rest.userTask.bpmn').replace('Approve order', 'Approve order v2')]), 'Rest.userTask.bpmn');
    await h.call('POST', '/deployment/create', changed);
    [v1, v2] = (await h.get('/process-definition?key=restUserTask&sortBy=version&sortOrder=asc')).body;
  });

  it('lists and counts definitions with Camunda\'s filters and sorting', async () => {
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const latest = await h.get('/process-definition?latestVersion=true&keysIn=restUserTask,restTwoTasks&sortBy=key&sortOrder=desc');
    expect(latest.body.map((d: any) => `${d.key}:${d.version}`)).toEqual(['restUserTask:2', 'restTwoTasks:1']);
    expect((await h.get('/process-definition/count?key=restUserTask')).body).toEqual({ count: 2 });
    expect((await h.get('/process-definition/count?keyLike=rest%25&version=1')).body).toEqual({ count: 2 });
    expect((await h.get('/process-definition?nameLike=REST%25&versionTag=v1&latestVersion=true')).body.map((d: any) => d.id)).toEqual([v2.id]);
    expect((await h.get('/process-definition?startableInTasklist=true&key=restTwoTasks')).body).toHaveLength(1);
    expect(await h.get('/process-definition?sortBy=deployTime&sortOrder=asc')).toMatchObject({ status: 400, body: { message: "Sorting by 'deployTime' is not supported by CadenzaFlow yet" } });
    expect(await h.get('/process-definition?incidentType=failedJob')).toMatchObject({ status: 400, body: { type: 'InvalidRequestException' } });
  });

  it('gets a definition by id, by key (latest) and by key and tenant, with Camunda\'s 404 bodies', async () => {
    expect((await h.get(`/process-definition/${encodeURIComponent(v1.id)}`)).body).toEqual(v1);
    expect((await h.get('/process-definition/key/restUserTask')).body).toEqual(v2);
    expect(await h.get('/process-definition/nope')).toMatchObject({ status: 404, body: { type: 'InvalidRequestException', message: 'No matching definition with id nope', code: null } });
    expect(await h.get('/process-definition/key/nope')).toMatchObject({
      status: 404,
      body: { type: 'RestException', message: 'No matching process definition with key: nope and no tenant-id' },
    });
    expect(await h.get('/process-definition/key/restUserTask/tenant-id/acme')).toMatchObject({
      status: 404,
      body: { message: 'No matching process definition with key: restUserTask and tenant-id: acme' },
    });
  });

  it('serves the BPMN XML of a definition', async () => {
    const xml = await h.get(`/process-definition/${v1.id}/xml`);
    expect(xml.body).toEqual({ id: v1.id, bpmn20Xml: fixture('Rest.userTask.bpmn') });
    expect((await h.get('/process-definition/key/restUserTask/xml')).body.bpmn20Xml).toContain('Approve order v2');
  });

  it('starts an instance by id and by key, returning the variables when asked', async () => {
    const byKey = await h.post('/process-definition/key/restUserTask/start', {
      businessKey: 'order-1',
      variables: {
        amount: { value: 250, type: 'Long' },
        approver: { value: 'kermit' },
        due: { value: '2026-01-31T10:00:00.000+0000', type: 'Date' },
        order: { value: '{"lines":[1,2]}', type: 'Object', valueInfo: { objectTypeName: 'com.acme.Order', serializationDataFormat: 'application/json' } },
        doc: { value: '{"a":true}', type: 'Json' },
      },
      withVariablesInReturn: true,
    });
    expect(byKey.status).toBe(200);
    expect(byKey.body).toMatchObject({ definitionId: v2.id, businessKey: 'order-1', ended: false, suspended: false, tenantId: null, caseInstanceId: null });
    expect(byKey.body.links[0].href).toBe(`${h.url()}/engine-rest/process-instance/${byKey.body.id}`);
    expect(byKey.body.variables).toEqual({
      amount: { type: 'Long', value: 250, valueInfo: {} },
      approver: { type: 'String', value: 'kermit', valueInfo: {} },
      due: { type: 'Date', value: '2026-01-31T10:00:00.000+0000', valueInfo: {} },
      order: { type: 'Object', value: { lines: [1, 2] }, valueInfo: { objectTypeName: 'com.acme.Order', serializationDataFormat: 'application/json' } },
      doc: { type: 'Json', value: '{"a":true}', valueInfo: {} },
    });
    const serialized = await h.get(`/process-instance/${byKey.body.id}/variables/order?deserializeValue=false`);
    expect(serialized.body.value).toBe('{"lines":[1,2]}');

    const byId = await h.post(`/process-definition/${v1.id}/start`, {});
    expect(byId.status).toBe(200);
    expect(byId.body).not.toHaveProperty('variables');
    expect(byId.body.definitionId).toBe(v1.id);
  });

  it('starts before an activity with a startBeforeActivity instruction', async () => {
    const started = await h.post('/process-definition/key/restTwoTasks/start', {
      variables: { owner: { value: 'gonzo', type: 'String' } },
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'second' }],
    });
    expect(started.status).toBe(200);
    const tasks = await h.get(`/task?processInstanceId=${started.body.id}`);
    expect(tasks.body.map((t: any) => [t.taskDefinitionKey, t.assignee])).toEqual([['second', 'gonzo']]);
    const after = await h.post('/process-definition/key/restTwoTasks/start', {
      variables: { owner: { value: 'gonzo', type: 'String' } },
      startInstructions: [{ type: 'startAfterActivity', activityId: 'first' }],
    });
    expect(after.status).toBe(200);
    expect((await h.get(`/task?processInstanceId=${after.body.id}`)).body.map((t: any) => t.taskDefinitionKey)).toEqual(['second']);
  });

  it('refuses unknown variable types and malformed values with 400', async () => {
    const unknown = await h.post('/process-definition/key/restTwoTasks/start', { variables: { x: { value: 1, type: 'Complex' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.type).toBe('InvalidRequestException');
    expect(unknown.body.message).toContain("Unsupported value type 'Complex'");
    const badDate = await h.post('/process-definition/key/restTwoTasks/start', { variables: { d: { value: 'tomorrow', type: 'Date' } } });
    expect(badDate.status).toBe(400);
    const badInteger = await h.post('/process-definition/key/restTwoTasks/start', { variables: { n: { value: 'ten', type: 'Integer' } } });
    expect(badInteger.status).toBe(400);
    const notAMap = await h.post('/process-definition/key/restTwoTasks/start', { variables: [1, 2] });
    expect(notAMap.status).toBe(400);
  });

  it('suspends and activates a definition', async () => {
    expect((await h.put(`/process-definition/${v1.id}/suspended`, { suspended: true })).status).toBe(204);
    expect((await h.get(`/process-definition/${v1.id}`)).body.suspended).toBe(true);
    expect((await h.get('/process-definition?suspended=true')).body.map((d: any) => d.id)).toEqual([v1.id]);
    expect((await h.get('/process-definition/count?active=true&key=restUserTask')).body).toEqual({ count: 1 });
    expect((await h.put('/process-definition/key/restUserTask/suspended', { suspended: false })).status).toBe(204);
    expect((await h.put(`/process-definition/${v1.id}/suspended`, { suspended: false })).status).toBe(204);
    expect((await h.get('/process-definition?suspended=true')).body).toEqual([]);
    expect((await h.put(`/process-definition/${v1.id}/suspended`, { suspended: true, includeProcessInstances: true })).status).toBe(400);
  });
});
