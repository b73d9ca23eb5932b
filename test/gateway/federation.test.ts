import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../gateway/server.js';
import { engineSuite } from '../helpers/engine-harness.js';

async function post(server: RunningServer, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: any; errors?: { message: string }[] };
}

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on ProcessInstance { id businessKey state definition { key } tasks { id name } }
    ... on ProcessDefinition { id key version }
    ... on Task { id name processInstanceId }
    ... on Job { id type retries }
    ... on Incident { id type configuration }
  }
}`;

engineSuite('GraphQL federation subgraph', (h) => {
  let subgraph: RunningServer;
  let plain: RunningServer;

  beforeAll(async () => {
    subgraph = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1', graphql: { federation: true } });
    plain = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await subgraph?.close();
    await plain?.close();
  });

  it('_service answers the subgraph SDL with the federation link and an id key on every core entity', async () => {
    const reply = await post(subgraph, '{ _service { sdl } }');
    expect(reply.errors).toBeUndefined();
    const sdl: string = reply.data._service.sdl;
    expect(sdl).toMatch(/extend schema\s+@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \["@key"\]\)/);
    for (const entity of ['ProcessDefinition', 'ProcessInstance', 'Task', 'Incident', 'Job']) {
      expect(sdl).toMatch(new RegExp(`type ${entity}\\s+@key\\(fields: "id"\\)\\s*\\{`));
    }
    // Value types are not entities.
    expect(sdl).toMatch(/type Variable\s*\{/);
    expect(sdl).toContain('processInstances(');
  });

  it('_entities loads process instances, definitions and tasks by id through the engine, and null for an unknown id', async () => {
    await h.deploy('Gateway.approval.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayApproval', businessKey: 'fed-1' });
    const [task] = await h.engine().findTasks({ instanceId: pi.id });
    const reply = await post(subgraph, ENTITIES, {
      representations: [
        { __typename: 'ProcessInstance', id: pi.id },
        { __typename: 'ProcessDefinition', id: pi.definitionId },
        { __typename: 'Task', id: task!.id },
        { __typename: 'ProcessInstance', id: 'no-such-instance' },
      ],
    });
    expect(reply.errors).toBeUndefined();
    expect(reply.data._entities).toEqual([
      { __typename: 'ProcessInstance', id: pi.id, businessKey: 'fed-1', state: 'ACTIVE', definition: { key: 'gatewayApproval' }, tasks: [{ id: task!.id, name: 'Approve order' }] },
      { __typename: 'ProcessDefinition', id: pi.definitionId, key: 'gatewayApproval', version: 1 },
      { __typename: 'Task', id: task!.id, name: 'Approve order', processInstanceId: pi.id },
      null,
    ]);
  });

  it('_entities loads a failed job and its incident by id', async () => {
    await h.deploy('Jobs.failingDefault.bpmn');
    // No `flaky` bean is registered: the async service task's job fails.
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'failingDefault' });
    const [job] = await h.engine().findJobs({ instanceId: pi.id });
    await h.engine().setJobRetries(job!.id, 1);
    await expect(h.engine().executeJob(job!.id)).rejects.toThrow();
    const [incident] = await h.engine().findIncidents({ instanceId: pi.id });
    expect(incident).toBeDefined();
    const reply = await post(subgraph, ENTITIES, {
      representations: [
        { __typename: 'Job', id: job!.id },
        { __typename: 'Incident', id: incident!.id },
      ],
    });
    expect(reply.errors).toBeUndefined();
    expect(reply.data._entities).toEqual([
      { __typename: 'Job', id: job!.id, type: job!.type, retries: 0 },
      { __typename: 'Incident', id: incident!.id, type: 'failedJob', configuration: job!.id },
    ]);
  });

  it('the subgraph still serves the ordinary queries, and its subscriptions', async () => {
    const reply = await post(subgraph, '{ processDefinitions(key: "gatewayApproval") { totalCount } }');
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ processDefinitions: { totalCount: 1 } });
    const sdl: string = (await post(subgraph, '{ _service { sdl } }')).data._service.sdl;
    expect(sdl).toMatch(/type Subscription\s*\{[^}]*instanceChanged\(/);
  });

  it('with federation off there is no _service and no _entities', async () => {
    const service = await post(plain, '{ _service { sdl } }');
    expect(service.errors?.[0]?.message).toContain('Cannot query field "_service" on type "Query"');
    const entities = await post(plain, ENTITIES, { representations: [] });
    expect(entities.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
  it('a router asking for an inline trace (ftv1) gets one every time, also for an operation the operation cache keeps', async () => {
    const traced = async () => {
      const res = await fetch(`${subgraph.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'apollo-federation-include-trace': 'ftv1' },
        body: JSON.stringify({ query: '{ engineInfo { version } }' }),
      });
      return (await res.json()) as { data?: unknown; extensions?: { ftv1?: unknown } };
    };
    for (let i = 0; i < 3; i++) {
      const reply = await traced();
      expect(reply.data).toEqual({ engineInfo: { version: expect.any(String) } });
      expect(typeof reply.extensions?.ftv1).toBe('string');
    }
  });
});
