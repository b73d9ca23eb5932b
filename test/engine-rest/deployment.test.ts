import { expect, it } from 'vitest';
import { CAMUNDA_VERSION } from '../../gateway/engine-rest/index.js';
import { fixture } from '../helpers/engine-harness.js';
import { restSuite, send, CAMUNDA_DATE } from './rest-harness.js';

restSuite('/engine-rest deployments, engine and routing', (h) => {
  it('names the one engine and the emulated Camunda version', async () => {
    expect(await h.get('/engine')).toMatchObject({ status: 200, body: [{ name: 'default' }] });
    expect(await h.get('/version')).toMatchObject({ status: 200, body: { version: CAMUNDA_VERSION } });
    expect((await h.get('/engine/default/version')).body).toEqual({ version: CAMUNDA_VERSION });
    const other = await h.get('/engine/other/version');
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ type: 'RestException', message: 'Process engine other not available' });
  });

  it('creates a deployment from a multipart upload and answers Camunda\'s DeploymentWithDefinitionsDto', async () => {
    const form = new FormData();
    form.append('deployment-name', 'orders');
    form.append('deployment-source', 'process application');
    form.append('deploy-changed-only', 'false');
    form.append('Rest.userTask.bpmn', new Blob([fixture('Rest.userTask.bpmn')], { type: 'application/octet-stream' }), 'Rest.userTask.bpmn');
    const created = await h.call('POST', '/engine/default/deployment/create', form);
    expect(created.status).toBe(200);
    const [definitionId] = Object.keys(created.body.deployedProcessDefinitions);
    expect(created.body).toEqual({
      links: [{ method: 'GET', href: `${h.url()}/engine-rest/engine/default/deployment/${created.body.id}`, rel: 'self' }],
      id: created.body.id,
      name: 'orders',
      source: 'process application',
      deploymentTime: expect.stringMatching(CAMUNDA_DATE),
      tenantId: null,
      deployedProcessDefinitions: {
        [definitionId!]: {
          id: definitionId,
          key: 'restUserTask',
          category: 'http://cadenzaflow.org/test/rest',
          description: null,
          name: 'REST user task',
          version: 1,
          resource: 'Rest.userTask.bpmn',
          deploymentId: created.body.id,
          diagram: null,
          suspended: false,
          tenantId: null,
          versionTag: 'v1',
          historyTimeToLive: 30,
          startableInTasklist: true,
        },
      },
      deployedCaseDefinitions: null,
      deployedDecisionDefinitions: null,
      deployedDecisionRequirementsDefinitions: null,
    });

    const one = await h.get(`/deployment/${created.body.id}`);
    expect(one.body).toEqual({ links: [], id: created.body.id, name: 'orders', source: 'process application', deploymentTime: created.body.deploymentTime, tenantId: null });
    const missing = await h.get('/deployment/nope');
    expect(missing).toMatchObject({ status: 404, body: { type: 'InvalidRequestException', message: "Deployment with id 'nope' does not exist", code: null } });
  });

  it('refuses an upload without resources, a request that is not multipart and a truncated multipart body', async () => {
    const form = new FormData();
    form.append('deployment-name', 'empty');
    const empty = await h.call('POST', '/deployment/create', form);
    expect(empty).toMatchObject({ status: 400, body: { type: 'InvalidRequestException', message: 'No deployment resources contained in the form upload.' } });
    expect((await h.post('/deployment/create', { name: 'x' })).status).toBe(415);
    const truncated = await h.call('POST', '/deployment/create', '--b\r\nContent-Disposition: form-data; name="a.bpmn"; filename="a.bpmn"\r\n\r\n<xml', {
      'content-type': 'multipart/form-data; boundary=b',
    });
    expect(truncated).toMatchObject({ status: 400, body: { type: 'InvalidRequestException' } });
  });

  it('lists, counts, filters, sorts and pages deployments', async () => {
    const a = await h.deployFixtures('list-a', 'Rest.twoTasks.bpmn');
    const b = await h.deployFixtures('list-b', 'Rest.receiveTask.bpmn');
    const byName = await h.get('/deployment?nameLike=list-%25&sortBy=name&sortOrder=desc');
    expect(byName.body.map((d: any) => d.name)).toEqual(['list-b', 'list-a']);
    expect((await h.get('/deployment/count?nameLike=list-%25')).body).toEqual({ count: 2 });
    expect((await h.get(`/deployment?id=${a.body.id}`)).body.map((d: any) => d.id)).toEqual([a.body.id]);
    const page = await h.get('/deployment?nameLike=list-%25&sortBy=name&sortOrder=asc&firstResult=1&maxResults=1');
    expect(page.body.map((d: any) => d.id)).toEqual([b.body.id]);
    const after = await h.get(`/deployment?nameLike=list-%25&after=${encodeURIComponent('2000-01-01T00:00:00.000+0000')}`);
    expect(after.body).toHaveLength(2);
    const before = await h.get(`/deployment?nameLike=list-%25&before=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
    expect(before.body).toEqual([]);

    expect(await h.get('/deployment?sortBy=name')).toMatchObject({ status: 400, body: { message: 'Only a single sorting parameter specified. sortBy and sortOrder required' } });
    expect(await h.get('/deployment?sortBy=color&sortOrder=asc')).toMatchObject({ status: 400, body: { type: 'InvalidRequestException', message: "Cannot set query parameter 'sortBy' to value 'color'" } });
    expect((await h.get('/deployment?after=yesterday')).status).toBe(400);
    expect((await h.get('/deployment?maxResults=many')).status).toBe(400);
    expect(await h.get('/deployment?maxResults=10001')).toMatchObject({ status: 400, body: { message: 'Max results limit of 10000 exceeded!' } });
  });

  it('serves deployment resources and redeploys them as a new deployment of the same name', async () => {
    const first = await h.deployFixtures('redeploy', 'Rest.twoTasks.bpmn');
    const resources = await h.get(`/deployment/${first.body.id}/resources`);
    expect(resources.body).toEqual([{ id: expect.any(String), name: 'Rest.twoTasks.bpmn', deploymentId: first.body.id }]);
    const resourceId = resources.body[0].id;
    expect((await h.get(`/deployment/${first.body.id}/resources/${resourceId}`)).body).toEqual(resources.body[0]);
    const data = await fetch(`${h.url()}/engine-rest/deployment/${first.body.id}/resources/${resourceId}/data`);
    expect(data.headers.get('content-type')).toBe('application/xml');
    expect(data.headers.get('content-disposition')).toBe('attachment; filename="Rest.twoTasks.bpmn"');
    expect(await data.text()).toBe(fixture('Rest.twoTasks.bpmn'));
    expect((await h.get(`/deployment/${first.body.id}/resources/nope`)).status).toBe(404);
    expect((await h.get('/deployment/nope/resources')).status).toBe(404);

    const again = await h.post(`/deployment/${first.body.id}/redeploy`, { source: 'cockpit' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ name: 'redeploy', source: 'cockpit' });
    expect(again.body.id).not.toBe(first.body.id);
    const firstVersion = (await h.get(`/process-definition?deploymentId=${first.body.id}`)).body[0].version;
    expect(Object.values(again.body.deployedProcessDefinitions).map((d: any) => d.version)).toEqual([firstVersion + 1]);
    expect((await h.post('/deployment/nope/redeploy', {})).status).toBe(404);
  });

  it('answers unknown paths and methods with 404 and malformed JSON with 400', async () => {
    expect(await h.get('/no-such-resource')).toMatchObject({ status: 404, body: { type: 'NotFoundException' } });
    // Deleting deployments needs engine support that does not exist yet.
    expect((await h.del('/deployment/anything')).status).toBe(404);
    const malformed = await h.call('POST', '/process-instance', '{"businessKey":', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe('JsonParseException');
  });

  it('answers CORS preflights and marks responses for the requesting origin', async () => {
    const preflight = await send(`${h.url()}/engine-rest/deployment/create`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    const actual = await send(`${h.url()}/engine-rest/version`, { headers: { origin: 'http://localhost:3000' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('*');
    // Paths outside /engine-rest stay the server's.
    expect((await send(`${h.url()}/engine-restless`, {})).body).toMatchObject({ type: 'NotFound' });
  });
});

restSuite(
  '/engine-rest with an authentication hook',
  (h) => {
    it('answers 401 with a Basic challenge when the hook rejects, and passes the user to commands', async () => {
      const anonymous = await h.get('/version');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="default"');
      const auth = { authorization: `Basic ${Buffer.from('kermit:frog').toString('base64')}` };
      await h.call('POST', '/deployment/create', (() => {
        const form = new FormData();
        form.append('Rest.twoTasks.bpmn', new Blob([fixture('Rest.twoTasks.bpmn')]), 'Rest.twoTasks.bpmn');
        return form;
      })(), auth);
      const started = await h.call('POST', '/process-definition/key/restTwoTasks/start', { variables: {} }, auth);
      expect(started.status).toBe(200);
      const history = await h.call('GET', `/history/process-instance/${started.body.id}`, undefined, auth);
      expect(history.body.startUserId).toBe('kermit');
    });
  },
  () => ({
    authenticate: async (req) => {
      const header = req.headers.authorization ?? '';
      if (!header.startsWith('Basic ')) return null;
      const [user] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      return user ? { userId: user } : null;
    },
  }),
);
