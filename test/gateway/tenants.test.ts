/**
 * Tenants: a caller bound to a tenant deploys only into it and never reads
 * or changes another tenant's definitions, instances, tasks, jobs,
 * incidents, external tasks or events — over GraphQL, graphql-ws and
 * /engine-rest. Another tenant's object answers exactly as a missing one, so
 * its existence does not leak.
 */
import { beforeAll, expect, it } from 'vitest';
import { ALL_PERMISSIONS } from '../../schema/index.js';
import { bearer, DEPLOY, deployInput, securedSuite, testKey, type Headers } from './secured-harness.js';

const alpha = testKey('alpha', ALL_PERMISSIONS, { tenantIds: ['tenantA'], groups: ['clerks'] });
const beta = testKey('beta', ALL_PERMISSIONS, { tenantIds: ['tenantB'], groups: ['clerks'] });
const both = testKey('both', ALL_PERMISSIONS, { tenantIds: ['tenantA', 'tenantB'] });
const admin = testKey('admin');
const as = (key: { key: string }): Headers => bearer(key.key);

const FILES = ['Tenants.userTask.bpmn', 'Tenants.events.bpmn', 'Tenants.externalTask.bpmn'];

interface TenantData {
  reviewInstance: string;
  reviewTask: string;
  definition: string;
  deployment: string;
  job: string;
  incident: string;
  openExternalTask: string;
}

securedSuite(
  'tenants',
  () => ({ auth: { apiKeys: [alpha, beta, both, admin] } }),
  (h) => {
    const data: Record<'A' | 'B', TenantData> = { A: {} as TenantData, B: {} as TenantData };

    /** Starts by key as the tenant's caller; the key resolves to the caller's tenant's version. */
    const startRest = async (who: { key: string }, key: string, body: Record<string, unknown> = {}) => {
      const res = await h.rest('POST', `/process-definition/key/${key}/start`, body, as(who));
      expect(res.status).toBe(200);
      return res.body as { id: string; tenantId: string };
    };

    /** Fetches one external task as the tenant's caller and fails it for good: a failedExternalTask incident. */
    const incidentOf = async (who: { key: string }) => {
      const [task] = (await h.rest('POST', '/external-task/fetchAndLock', { workerId: 'w', maxTasks: 1, topics: [{ topicName: 'tenantWork', lockDuration: 60_000 }] }, as(who))).body;
      expect((await h.rest('POST', `/external-task/${task.id}/failure`, { workerId: 'w', errorMessage: 'broken', retries: 0, retryTimeout: 0 }, as(who))).status).toBe(204);
      const [incident] = (await h.rest('GET', `/incident?configuration=${task.id}`, undefined, as(who))).body;
      return incident.id as string;
    };

    beforeAll(async () => {
      const deployedA = await h.gql(DEPLOY, deployInput(FILES), as(alpha));
      expect(deployedA.errors).toBeUndefined();
      const deployedB = await h.deployRest(as(beta), FILES);
      expect(deployedB.status).toBe(200);
      data.A.deployment = deployedA.data.deploy.id;
      data.B.deployment = deployedB.body.id;

      for (const [tenant, who] of [['A', alpha], ['B', beta]] as const) {
        const review = await startRest(who, 'tenantReview', { variables: { amount: { value: 100, type: 'Integer' } } });
        expect(review.tenantId).toBe(`tenant${tenant}`);
        data[tenant].reviewInstance = review.id;
        data[tenant].definition = (await h.rest('GET', `/process-instance/${review.id}`, undefined, as(who))).body.definitionId;
        data[tenant].reviewTask = (await h.rest('GET', `/task?processInstanceId=${review.id}`, undefined, as(who))).body[0].id;
        data[tenant].job = (await h.rest('GET', `/job?processInstanceId=${review.id}`, undefined, as(who))).body[0].id;
        await startRest(who, 'tenantEvents', { businessKey: 'order-1' });
        await startRest(who, 'tenantWork');
        data[tenant].incident = await incidentOf(who);
        const open = await startRest(who, 'tenantWork');
        data[tenant].openExternalTask = (await h.rest('GET', `/external-task?processInstanceId=${open.id}`, undefined, as(who))).body[0].id;
      }
    });

    it('each caller deploys into its own tenant, and may not deploy into another', async () => {
      const definitions = async (who: { key: string }) =>
        (await h.gql('{ processDefinitions(first: 100) { edges { node { key tenantId } } } }', {}, as(who))).data.processDefinitions.edges.map((e: any) => `${e.node.tenantId}/${e.node.key}`).sort();
      expect(await definitions(alpha)).toEqual(['tenantA/tenantEvents', 'tenantA/tenantReview', 'tenantA/tenantWork']);
      expect(await definitions(beta)).toEqual(['tenantB/tenantEvents', 'tenantB/tenantReview', 'tenantB/tenantWork']);
      expect((await definitions(admin)).length).toBe(6);

      const intoB = await h.gql(DEPLOY, deployInput(['Tenants.userTask.bpmn'], 'tenantB'), as(alpha));
      expect(intoB.errors).toEqual([expect.objectContaining({ message: "'alpha' may not deploy for tenant 'tenantB'", extensions: { code: 'FORBIDDEN' } })]);
      const restIntoA = await h.deployRest(as(beta), ['Tenants.userTask.bpmn'], 'tenantA');
      expect(restIntoA.status).toBe(403);
      expect(restIntoA.body).toMatchObject({ type: 'AuthorizationException', message: "'beta' may not deploy for tenant 'tenantA'" });
      expect((await definitions(admin)).length).toBe(6);
    });

    it('every /engine-rest list shows only the caller\'s tenant, also when it asks for another', async () => {
      const lists = [
        '/deployment', '/process-definition', '/process-instance', '/execution', '/variable-instance', '/task', '/job', '/incident',
        '/event-subscription', '/external-task', '/history/process-instance', '/history/activity-instance', '/history/task',
        '/history/variable-instance', '/history/detail', '/history/incident', '/history/job-log',
      ];
      for (const path of lists) {
        for (const [who, tenant] of [[alpha, 'tenantA'], [beta, 'tenantB']] as const) {
          const rows = (await h.rest('GET', path, undefined, as(who))).body as { tenantId: string }[];
          expect({ path, who: who.name, tenants: [...new Set(rows.map((r) => r.tenantId))] }).toEqual({ path, who: who.name, tenants: [tenant] });
          const other = tenant === 'tenantA' ? 'tenantB' : 'tenantA';
          expect({ path, asked: (await h.rest('GET', `${path}?tenantIdIn=${other}`, undefined, as(who))).body }).toEqual({ path, asked: [] });
        }
        const all = (await h.rest('GET', path, undefined, as(admin))).body as { tenantId: string }[];
        expect({ path, tenants: [...new Set(all.map((r) => r.tenantId))].sort() }).toEqual({ path, tenants: ['tenantA', 'tenantB'] });
      }
      expect((await h.rest('POST', '/task/count', {}, as(alpha))).body).toEqual({ count: 1 });
      expect((await h.rest('POST', '/task/count', {}, as(admin))).body).toEqual({ count: 2 });
    });

    it('GraphQL queries show only the caller\'s tenant', async () => {
      const ids = async (who: { key: string }) => {
        const r = await h.gql('{ tasks { totalCount edges { node { id } } } processInstances(first: 100) { edges { node { id } } } }', {}, as(who));
        return { tasks: r.data.tasks.edges.map((e: any) => e.node.id), count: r.data.tasks.totalCount, instances: r.data.processInstances.edges.map((e: any) => e.node.id) };
      };
      const a = await ids(alpha);
      expect(a.tasks).toEqual([data.A.reviewTask]);
      expect(a.count).toBe(1);
      expect(a.instances).toContain(data.A.reviewInstance);
      expect(a.instances).not.toContain(data.B.reviewInstance);
      const b = await ids(beta);
      expect(b.tasks).toEqual([data.B.reviewTask]);
      expect(b.instances.filter((id: string) => a.instances.includes(id))).toEqual([]);
    });

    it("another tenant's objects answer over GraphQL as missing ones: null or NOT_FOUND, never FORBIDDEN", async () => {
      const B = data.B;
      const reads = await h.gql(
        `query($t: ID!, $i: ID!, $d: ID!) { task(id: $t) { id } processInstance(id: $i) { id } processDefinition(id: $d) { id } }`,
        { t: B.reviewTask, i: B.reviewInstance, d: B.definition },
        as(alpha),
      );
      expect(reads).toMatchObject({ data: { task: null, processInstance: null, processDefinition: null } });
      expect(reads.errors).toBeUndefined();

      const commands: [string, Record<string, unknown>][] = [
        ['mutation($id: ID!) { completeTask(id: $id) }', { id: B.reviewTask }],
        ['mutation($id: ID!) { claimTask(id: $id, userId: "alpha") { id } }', { id: B.reviewTask }],
        ['mutation($id: ID!) { setAssignee(id: $id, userId: "alpha") { id } }', { id: B.reviewTask }],
        ['mutation($id: ID!) { cancelProcessInstance(id: $id) }', { id: B.reviewInstance }],
        ['mutation($id: ID!) { suspendProcessInstance(id: $id) { id } }', { id: B.reviewInstance }],
        ['mutation($id: ID!) { startProcessInstance(input: { processDefinitionId: $id }) { id } }', { id: B.definition }],
      ];
      for (const [query, variables] of commands) {
        const hidden = await h.gql(query, variables, as(alpha));
        const missing = await h.gql(query, { id: 'no-such-id' }, as(alpha));
        const id = Object.values(variables)[0] as string;
        expect({ query, error: { ...hidden.errors?.[0], message: hidden.errors?.[0]?.message.replaceAll(id, '<id>') } }).toEqual({
          query,
          error: { ...missing.errors?.[0], message: missing.errors?.[0]?.message.replaceAll('no-such-id', '<id>') },
        });
        expect(hidden.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      }
      // Nothing happened to tenant B's instance.
      const still = await h.rest('GET', `/process-instance/${B.reviewInstance}`, undefined, as(beta));
      expect(still.body).toMatchObject({ id: B.reviewInstance, suspended: false });
      expect((await h.rest('GET', `/task/${B.reviewTask}`, undefined, as(beta))).body.assignee).toBeNull();
    });

    it("another tenant's objects answer over /engine-rest exactly as missing ones: same status, same body", async () => {
      const B = data.B;
      const probes: [method: string, path: (id: string) => string, id: string, body?: unknown][] = [
        ['GET', (id) => `/task/${id}`, B.reviewTask],
        ['POST', (id) => `/task/${id}/claim`, B.reviewTask, { userId: 'alpha' }],
        ['POST', (id) => `/task/${id}/assignee`, B.reviewTask, { userId: 'alpha' }],
        ['POST', (id) => `/task/${id}/complete`, B.reviewTask, {}],
        ['GET', (id) => `/task/${id}/variables`, B.reviewTask],
        ['PUT', (id) => `/task/${id}/variables/note`, B.reviewTask, { value: 'x', type: 'String' }],
        ['GET', (id) => `/task/${id}/form-variables`, B.reviewTask],
        ['GET', (id) => `/task/${id}/identity-links`, B.reviewTask],
        ['GET', (id) => `/process-instance/${id}`, B.reviewInstance],
        ['GET', (id) => `/process-instance/${id}/activity-instances`, B.reviewInstance],
        ['GET', (id) => `/process-instance/${id}/variables`, B.reviewInstance],
        ['GET', (id) => `/process-instance/${id}/variables/amount`, B.reviewInstance],
        ['PUT', (id) => `/process-instance/${id}/variables/amount`, B.reviewInstance, { value: 1, type: 'Integer' }],
        ['PUT', (id) => `/process-instance/${id}/suspended`, B.reviewInstance, { suspended: true }],
        ['DELETE', (id) => `/process-instance/${id}`, B.reviewInstance],
        ['GET', (id) => `/execution/${id}`, B.reviewInstance],
        ['GET', (id) => `/execution/${id}/localVariables`, B.reviewInstance],
        ['POST', (id) => `/execution/${id}/signal`, B.reviewInstance, {}],
        ['GET', (id) => `/history/process-instance/${id}`, B.reviewInstance],
        ['GET', (id) => `/process-definition/${id}`, B.definition],
        ['GET', (id) => `/process-definition/${id}/xml`, B.definition],
        ['POST', (id) => `/process-definition/${id}/start`, B.definition, {}],
        ['PUT', (id) => `/process-definition/${id}/suspended`, B.definition, { suspended: true }],
        ['GET', (id) => `/process-definition/key/tenantReview/tenant-id/${id}`, 'tenantB'],
        ['GET', (id) => `/deployment/${id}`, B.deployment],
        ['GET', (id) => `/deployment/${id}/resources`, B.deployment],
        ['DELETE', (id) => `/deployment/${id}`, B.deployment],
        ['POST', (id) => `/deployment/${id}/redeploy`, B.deployment, {}],
        ['GET', (id) => `/job/${id}`, B.job],
        ['GET', (id) => `/job/${id}/stacktrace`, B.job],
        ['PUT', (id) => `/job/${id}/retries`, B.job, { retries: 5 }],
        ['POST', (id) => `/job/${id}/execute`, B.job],
        ['GET', (id) => `/incident/${id}`, B.incident],
        ['PUT', (id) => `/incident/${id}/annotation`, B.incident, { annotation: 'mine' }],
        ['DELETE', (id) => `/incident/${id}`, B.incident],
        ['GET', (id) => `/external-task/${id}`, B.openExternalTask],
        ['POST', (id) => `/external-task/${id}/lock`, B.openExternalTask, { workerId: 'w', lockDuration: 1000 }],
        ['POST', (id) => `/external-task/${id}/complete`, B.openExternalTask, { workerId: 'w' }],
        ['PUT', (id) => `/external-task/${id}/retries`, B.openExternalTask, { retries: 3 }],
      ];
      for (const [method, path, id, body] of probes) {
        const hidden = await h.rest(method, path(id), body, as(alpha));
        const missing = await h.rest(method, path('no-such-id'), body, as(alpha));
        const shape = (r: { status: number; body: any }, used: string) => ({ status: r.status, body: JSON.parse(JSON.stringify(r.body).replaceAll(used, '<id>')) });
        expect({ probe: `${method} ${path('<id>')}`, ...shape(hidden, id) }).toEqual({ probe: `${method} ${path('<id>')}`, ...shape(missing, 'no-such-id') });
        expect(hidden.status).not.toBe(403);
      }
      // Tenant B's objects are as they were.
      const B2 = (path: string) => h.rest('GET', path, undefined, as(beta));
      expect((await B2(`/process-instance/${B.reviewInstance}`)).body).toMatchObject({ suspended: false });
      expect((await B2(`/task/${B.reviewTask}`)).body).toMatchObject({ assignee: null });
      expect((await B2(`/job/${B.job}`)).body).toMatchObject({ id: B.job });
      expect((await B2(`/incident/${B.incident}`)).body).toMatchObject({ annotation: null });
      expect((await B2(`/external-task/${B.openExternalTask}`)).body).toMatchObject({ workerId: null });
      expect((await B2(`/deployment/${B.deployment}`)).status).toBe(200);
    });

    it("messages and signals reach only the caller's tenant", async () => {
      // Both tenants have an instance with business key order-1 waiting for the message: scoped, it matches one.
      const correlated = await h.gql(`mutation { correlateMessage(input: { messageName: "tenantPaid", businessKey: "order-1" }) { resultType } }`, {}, as(alpha));
      expect(correlated.errors).toBeUndefined();
      expect(correlated.data.correlateMessage).toEqual([{ resultType: 'Execution' }]);
      expect((await h.rest('POST', '/signal', { name: 'tenantClose' }, as(beta))).status).toBe(204);

      const remaining = async (type: string) =>
        ((await h.rest('GET', `/event-subscription?eventType=${type}`, undefined, as(admin))).body as { tenantId: string }[]).map((s) => s.tenantId);
      expect(await remaining('message')).toEqual(['tenantB']);
      expect(await remaining('signal')).toEqual(['tenantA']);

      // A message only another tenant waits for is no match at all.
      const none = await h.rest('POST', '/message', { messageName: 'tenantPaid', businessKey: 'order-1' }, as(alpha));
      expect(none.status).toBe(400);
      expect(none.body.message).toContain('No process definition or execution matches the parameters');
    });

    it("a worker fetches only its tenant's external tasks", async () => {
      const fetch = (who: { key: string }, topic: Record<string, unknown> = {}) =>
        h.rest('POST', '/external-task/fetchAndLock', { workerId: `worker-${(who as { name?: string }).name}`, maxTasks: 10, topics: [{ topicName: 'tenantWork', lockDuration: 60_000, ...topic }] }, as(who));
      expect((await fetch(alpha, { tenantIdIn: ['tenantB'] })).body).toEqual([]);
      expect((await fetch(alpha, { withoutTenantId: true })).body).toEqual([]);
      const locked = (await fetch(alpha)).body as { id: string; tenantId: string }[];
      expect(locked.map((t) => [t.id, t.tenantId])).toEqual([[data.A.openExternalTask, 'tenantA']]);
      expect((await h.rest('POST', `/external-task/${data.A.openExternalTask}/complete`, { workerId: 'worker-alpha' }, as(alpha))).status).toBe(204);
      expect((await fetch(beta)).body.map((t: { tenantId: string }) => t.tenantId)).toEqual(['tenantB']);
    });

    it("subscriptions deliver only events of the subscriber's tenant", async () => {
      const listen = async (who: { key: string }) => {
        const client = h.wsClient({ authorization: `Bearer ${who.key}` });
        return {
          tasks: await h.subscribe(client, 'subscription { taskEvents(candidateGroup: "clerks") { kind processInstanceId } }'),
          changes: await h.subscribe(client, 'subscription { instanceChanged(definitionKey: "tenantReview") { id state } }'),
        };
      };
      const a = await listen(alpha);
      const adminView = await listen(admin);
      // Tenant B first: had its events leaked, they would be there before tenant A's.
      const b = await startRest(beta, 'tenantReview');
      const started = await startRest(alpha, 'tenantReview');
      await a.tasks.waitFor((r) => r.length >= 1);
      await a.changes.waitFor((r) => r.length >= 1);
      await adminView.tasks.waitFor((r) => r.length >= 2);
      await adminView.changes.waitFor((r) => r.length >= 2);
      expect(a.tasks.received).toEqual([{ taskEvents: { kind: 'CREATED', processInstanceId: started.id } }]);
      expect(a.changes.received).toEqual([{ instanceChanged: { id: started.id, state: 'ACTIVE' } }]);
      expect(adminView.tasks.received.map((e) => e.taskEvents.processInstanceId)).toEqual([b.id, started.id]);
    });

    it('a caller of several tenants names the tenant when a key is deployed in more than one', async () => {
      const byKey = await h.gql('mutation { startProcessInstance(input: { processDefinitionKey: "tenantReview" }) { id } }', {}, as(both));
      expect(byKey.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: "Process definition key 'tenantReview' is deployed for several tenants (tenantA, tenantB): name the tenant" });
      const named = await h.gql('mutation { startProcessInstance(input: { processDefinitionKey: "tenantReview", tenantId: "tenantB" }) { definition { tenantId } } }', {}, as(both));
      expect(named.data).toEqual({ startProcessInstance: { definition: { tenantId: 'tenantB' } } });
      expect((await h.rest('GET', '/process-definition/key/tenantReview', undefined, as(both))).status).toBe(400);
      expect((await h.rest('GET', '/process-definition/key/tenantReview/tenant-id/tenantA', undefined, as(both))).body.tenantId).toBe('tenantA');
      const deploy = await h.gql(DEPLOY, deployInput(['Tenants.userTask.bpmn']), as(both));
      expect(deploy.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'tenantId' } });
    });
  },
);
