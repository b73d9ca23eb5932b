import { beforeAll, expect, it } from 'vitest';
import { restSuite } from './rest-harness.js';

restSuite('/engine-rest process instances', (h) => {
  const start = async (businessKey: string, variables: Record<string, unknown>) =>
    (await h.post('/process-definition/key/restUserTask/start', { businessKey, variables })).body;

  let small: any;
  let large: any;
  let huge: any;
  beforeAll(async () => {
    await h.deployFixtures('instances', 'Rest.userTask.bpmn', 'Rest.twoTasks.bpmn');
    small = await start('pi-small', { amount: { value: 50, type: 'Integer' }, status: { value: 'open' } });
    large = await start('pi-large', { amount: { value: 150, type: 'Integer' }, status: { value: 'open' } });
    huge = await start('pi-huge', { amount: { value: 1000.5, type: 'Double' }, status: { value: 'closed' } });
  });

  it('filters instances by variables with name_op_value in GET and the JSON form in POST', async () => {
    const ids = (body: any[]) => body.map((pi) => pi.id).sort();
    const gt = await h.get('/process-instance?variables=amount_gt_100');
    expect(gt.status).toBe(200);
    expect(ids(gt.body)).toEqual([large.id, huge.id].sort());
    const both = await h.get('/process-instance?variables=amount_gt_100,status_eq_open');
    expect(ids(both.body)).toEqual([large.id]);
    expect((await h.get('/process-instance/count?variables=amount_lteq_150')).body).toEqual({ count: 2 });
    expect(ids((await h.get('/process-instance?variables=status_like_clo%25')).body)).toEqual([huge.id]);

    const posted = await h.post('/process-instance', { variables: [{ name: 'amount', operator: 'gt', value: 100 }, { name: 'status', operator: 'neq', value: 'closed' }] });
    expect(ids(posted.body)).toEqual([large.id]);
    expect((await h.post('/process-instance/count', { variables: [{ name: 'amount', operator: 'gteq', value: 50 }] })).body).toEqual({ count: 3 });

    expect(await h.get('/process-instance?variables=amount_bigger_100')).toMatchObject({ status: 400, body: { message: 'Invalid variable comparator specified: bigger' } });
    expect(await h.get('/process-instance?variables=amount100')).toMatchObject({ status: 400, body: { message: 'variable query parameter has to have format KEY_OPERATOR_VALUE.' } });
  });

  it('lists, counts, filters and sorts instances', async () => {
    const one = await h.get(`/process-instance?businessKey=pi-large`);
    expect(one.body).toEqual([{ links: [], id: large.id, definitionId: large.definitionId, businessKey: 'pi-large', caseInstanceId: null, ended: false, suspended: false, tenantId: null }]);
    const sorted = await h.get('/process-instance?businessKeyLike=pi-%25&sortBy=businessKey&sortOrder=asc');
    expect(sorted.body.map((pi: any) => pi.businessKey)).toEqual(['pi-huge', 'pi-large', 'pi-small']);
    expect((await h.get(`/process-instance?processInstanceIds=${small.id},${huge.id}`)).body).toHaveLength(2);
    expect((await h.get('/process-instance/count?processDefinitionKey=restUserTask&activityIdIn=approve')).body).toEqual({ count: 3 });
    expect((await h.post('/process-instance', { processDefinitionKeyIn: ['restUserTask'], sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }] })).body.map((pi: any) => pi.businessKey)).toEqual([
      'pi-small',
      'pi-large',
      'pi-huge',
    ]);
    expect((await h.get('/process-instance?processDefinitionKey=restUserTask&maxResults=0')).body).toEqual([]);
    expect((await h.get('/process-instance?withIncident=true')).status).toBe(400);
  });

  it('gets one instance, and 404s a missing one', async () => {
    expect((await h.get(`/process-instance/${small.id}`)).body).toMatchObject({ id: small.id, businessKey: 'pi-small', links: [] });
    expect(await h.get('/process-instance/nope')).toMatchObject({ status: 404, body: { type: 'InvalidRequestException', message: 'Process instance with id nope does not exist' } });
  });

  it('reads, writes and deletes instance variables', async () => {
    const pi = await start('pi-vars', { amount: { value: 5, type: 'Integer' } });
    const base = `/process-instance/${pi.id}/variables`;
    expect((await h.get(base)).body).toEqual({ amount: { type: 'Integer', value: 5, valueInfo: {} } });
    expect((await h.put(`${base}/when`, { value: '2026-01-31T10:00:00.000+0100', type: 'Date' })).status).toBe(204);
    expect((await h.get(`${base}/when`)).body).toEqual({ type: 'Date', value: '2026-01-31T09:00:00.000+0000', valueInfo: {} });
    expect((await h.post(base, { modifications: { flag: { value: true, type: 'Boolean' }, amount: { value: 6, type: 'Integer' } }, deletions: ['when'] })).status).toBe(204);
    expect((await h.get(base)).body).toEqual({ amount: { type: 'Integer', value: 6, valueInfo: {} }, flag: { type: 'Boolean', value: true, valueInfo: {} } });
    expect((await h.del(`${base}/flag`)).status).toBe(204);
    expect(await h.get(`${base}/flag`)).toMatchObject({ status: 404, body: { type: 'InvalidRequestException', message: 'process instance variable with name flag does not exist' } });
    const bad = await h.put(`${base}/x`, { value: 1, type: 'Whatever' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^Cannot put process instance variable x: /);
    const badPatch = await h.post(base, { modifications: { y: { value: 'z', type: 'Integer' } } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.message).toMatch(/^Cannot modify variables for process instance: /);
  });

  it('returns the activity-instance tree in Camunda\'s shape', async () => {
    const tree = await h.get(`/process-instance/${small.id}/activity-instances`);
    expect(tree.status).toBe(200);
    expect(tree.body).toMatchObject({
      id: small.id,
      parentActivityInstanceId: null,
      activityId: small.definitionId,
      activityType: 'processDefinition',
      processInstanceId: small.id,
      processDefinitionId: small.definitionId,
      childTransitionInstances: [],
      executionIds: [small.id],
      incidentIds: [],
      incidents: [],
    });
    expect(tree.body.childActivityInstances).toEqual([
      expect.objectContaining({ activityId: 'approve', activityType: 'userTask', activityName: 'Approve order', name: 'Approve order', parentActivityInstanceId: small.id, childActivityInstances: [] }),
    ]);
    expect((await h.get('/process-instance/nope/activity-instances')).status).toBe(404);
  });

  it('suspends, activates and deletes an instance', async () => {
    const pi = await start('pi-lifecycle', {});
    expect((await h.put(`/process-instance/${pi.id}/suspended`, { suspended: true })).status).toBe(204);
    expect((await h.get(`/process-instance?suspended=true&businessKey=pi-lifecycle`)).body).toHaveLength(1);
    const [task] = (await h.get(`/task?processInstanceId=${pi.id}`)).body;
    const blocked = await h.post(`/task/${task.id}/complete`, {});
    expect(blocked.status).toBe(500);
    expect(blocked.body.type).toBe('RestException');
    expect(blocked.body.message).toMatch(new RegExp(`^Cannot complete task ${task.id}: `));
    expect((await h.put(`/process-instance/${pi.id}/suspended`, { suspended: false })).status).toBe(204);
    expect((await h.get(`/process-instance?active=true&businessKey=pi-lifecycle`)).body).toHaveLength(1);

    expect((await h.del(`/process-instance/${pi.id}`)).status).toBe(204);
    expect((await h.get(`/process-instance/${pi.id}`)).status).toBe(404);
    expect((await h.get(`/history/process-instance/${pi.id}`)).body.state).toBe('EXTERNALLY_TERMINATED');
    expect(await h.del(`/process-instance/${pi.id}`)).toMatchObject({ status: 404, body: { message: `Process instance with id ${pi.id} does not exist` } });
    expect((await h.del(`/process-instance/${pi.id}?failIfNotExists=false`)).status).toBe(204);
  });
});
