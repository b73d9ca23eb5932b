/**
 * The resolvers of jobs, external tasks, incidents, history, variables and
 * the new subscriptions ask the access contract: the permission an operation
 * needs, and the caller's tenants (objects of other tenants answer as missing).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../gateway/server.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';
import { eventually } from '../helpers/clock.js';

const KEYS = {
  operator: 'operator-key-0123456789',
  reader: 'reader-key-0123456789',
  tenantReader: 'tenant-reader-key-0123456789',
  tenantOperator: 'tenant-operator-key-0123456789',
};

engineSuite('GraphQL access in queries, operator mutations and subscriptions', (h) => {
  let server: RunningServer;
  const clients: Client[] = [];
  let noTenant: { instance: string; job: string; incident: string };
  let tenantA: { instance: string; job: string; incident: string };

  async function gql(key: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data: any; errors?: { extensions: Record<string, unknown> }[] }> {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data: any; errors?: { extensions: Record<string, unknown> }[] };
  }

  /** An instance of the failing-job process, its job run once so it holds an incident. */
  async function failedInstance(tenantId: string | null): Promise<{ instance: string; job: string; incident: string }> {
    const engine = h.engine();
    const def = (await engine.findProcessDefinitions({ key: 'gatewayFailingJob', ...(tenantId ? { tenantIdIn: [tenantId] } : { withoutTenantId: true }) }))[0]!;
    const pi = await engine.startProcessInstance({ processDefinitionId: def.id });
    const [job] = await engine.findJobs({ instanceId: pi.id });
    await engine.executeJob(job!.id).catch(() => undefined);
    const [incident] = await engine.findIncidents({ instanceId: pi.id });
    return { instance: pi.id, job: job!.id, incident: incident!.id };
  }

  beforeAll(async () => {
    server = await startServer({
      engine: h.engine(),
      port: 0,
      host: '127.0.0.1',
      auth: {
        apiKeys: [
          { name: 'operator', key: KEYS.operator, permissions: ['READ', 'OPERATE', 'START', 'WORK_TASKS'] },
          { name: 'reader', key: KEYS.reader, permissions: ['READ'] },
          { name: 'tenant-reader', key: KEYS.tenantReader, permissions: ['READ'], tenantIds: ['tenantA'] },
          { name: 'tenant-operator', key: KEYS.tenantOperator, permissions: ['READ', 'OPERATE', 'WORK_TASKS'], tenantIds: ['tenantA'] },
        ],
      },
    });
    const resources = [{ name: 'Gateway.failingJob.bpmn', content: fixture('Gateway.failingJob.bpmn') }];
    await h.engine().deploy({ name: 'access-none', resources });
    await h.engine().deploy({ name: 'access-a', tenantId: 'tenantA', resources });
    noTenant = await failedInstance(null);
    tenantA = await failedInstance('tenantA');
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a reader may query jobs and incidents but not change them, run jobs, set variables or work external tasks', async () => {
    const read = await gql(KEYS.reader, `query($id: ID!) { jobs(filter: { processInstanceId: $id }) { totalCount } incidents(filter: { processInstanceId: $id }) { totalCount } }`, { id: noTenant.instance });
    expect(read.data).toEqual({ jobs: { totalCount: 1 }, incidents: { totalCount: 1 } });
    const refused = [
      await gql(KEYS.reader, `mutation($id: ID!) { setJobRetries(id: $id, retries: 1) { id } }`, { id: noTenant.job }),
      await gql(KEYS.reader, `mutation($id: ID!) { executeJob(id: $id) }`, { id: noTenant.job }),
      await gql(KEYS.reader, `mutation($id: ID!) { resolveIncident(id: $id) }`, { id: noTenant.incident }),
      await gql(KEYS.reader, `mutation($id: ID!) { setVariables(executionId: $id, variables: [{ name: "x", value: 1 }]) { name } }`, { id: noTenant.instance }),
      await gql(KEYS.reader, `mutation { fetchAndLockExternalTasks(input: { workerId: "w", maxTasks: 1, topics: [{ topicName: "t", lockDuration: 1000 }] }) { id } }`),
    ];
    for (const r of refused) expect(r.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await gql(KEYS.reader, `query($id: ID!) { incidents(filter: { processInstanceId: $id }) { totalCount } }`, { id: noTenant.instance })).data.incidents.totalCount).toBe(1);
  });

  it("a tenant-bound caller sees only its tenant's jobs, incidents and history, and others' answer as missing", async () => {
    const q = `query($aj: ID!, $nj: ID!, $ai: ID!, $ni: ID!) {
      jobs(filter: { processDefinitionKey: "gatewayFailingJob" }) { edges { node { processInstanceId tenantId } } }
      incidents(filter: { processDefinitionKey: "gatewayFailingJob" }) { edges { node { processInstanceId } } }
      historicProcessInstances(filter: { processDefinitionKey: "gatewayFailingJob" }) { edges { node { id } } }
      ownJob: job(id: $aj) { id } otherJob: job(id: $nj) { id }
      ownIncident: incident(id: $ai) { id } otherIncident: incident(id: $ni) { id }
    }`;
    const vars = { aj: tenantA.job, nj: noTenant.job, ai: tenantA.incident, ni: noTenant.incident };
    const bound = await gql(KEYS.tenantReader, q, vars);
    expect(bound.errors).toBeUndefined();
    expect(bound.data.jobs.edges).toEqual([{ node: { processInstanceId: tenantA.instance, tenantId: 'tenantA' } }]);
    expect(bound.data.incidents.edges).toEqual([{ node: { processInstanceId: tenantA.instance } }]);
    expect(bound.data.historicProcessInstances.edges).toEqual([{ node: { id: tenantA.instance } }]);
    expect([bound.data.ownJob, bound.data.otherJob, bound.data.ownIncident, bound.data.otherIncident]).toEqual([{ id: tenantA.job }, null, { id: tenantA.incident }, null]);

    const unbound = await gql(KEYS.reader, q, vars);
    expect(unbound.data.jobs.edges.map((e: any) => e.node.processInstanceId).sort()).toEqual([noTenant.instance, tenantA.instance].sort());

    const hidden = await gql(KEYS.tenantOperator, `mutation($id: ID!) { setJobRetries(id: $id, retries: 1) { id } }`, { id: noTenant.job });
    expect(hidden.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const hiddenVars = await gql(KEYS.tenantOperator, `mutation($id: ID!) { setVariables(executionId: $id, variables: [{ name: "x", value: 1 }]) { name } }`, { id: noTenant.instance });
    expect(hiddenVars.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const own = await gql(KEYS.tenantOperator, `mutation($id: ID!) { setJobRetries(id: $id, retries: 2) { id retries } }`, { id: tenantA.job });
    expect(own.data.setJobRetries).toEqual({ id: tenantA.job, retries: 2 });
  });

  it('a tenant-bound subscriber receives only events of its tenant', async () => {
    const client = createClient({
      url: `${server.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { apiKey: KEYS.tenantReader },
    });
    clients.push(client);
    const received: any[] = [];
    const errors: unknown[] = [];
    client.subscribe({ query: `subscription { variableEvents(processInstanceId: "${noTenant.instance}") { name } }` }, { next: (r) => (r.errors ? errors.push(...r.errors) : received.push(r.data)), error: (e) => errors.push(e), complete: () => {} });
    client.subscribe({ query: `subscription { variableEvents(processInstanceId: "${tenantA.instance}") { name } }` }, { next: (r) => (r.errors ? errors.push(...r.errors) : received.push(r.data)), error: (e) => errors.push(e), complete: () => {} });
    await new Promise<void>((resolve, reject) => client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve }));

    await h.engine().setVariables(noTenant.instance, { hiddenFromTenantA: true });
    await h.engine().setVariables(tenantA.instance, { seenByTenantA: true });
    await eventually(async () => received.length > 0, 5000, 'the tenant-A variable event');
    expect(received).toEqual([{ variableEvents: { name: 'seenByTenantA' } }]);
    expect(errors).toEqual([]);
  });
});
