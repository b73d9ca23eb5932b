/**
 * Authorization: every query, mutation, subscription and /engine-rest route
 * needs its permission — READ, DEPLOY, START, OPERATE, WORK_TASKS — and a
 * caller without it gets FORBIDDEN (GraphQL) or 403 with Camunda's
 * AuthorizationException (REST), with nothing done. User tasks follow the
 * work rules: the assignee, or a candidate of an unassigned task, unless the
 * caller may OPERATE.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../gateway/engine-rest/index.js';
import type { Permission } from '../../schema/index.js';
import { ALL_PERMISSIONS } from '../../schema/index.js';
import { allBut, bearer, DEPLOY, deployInput, securedSuite, testKey, type Headers } from './secured-harness.js';

const admin = testKey('admin');
const lacking = Object.fromEntries(ALL_PERMISSIONS.map((p) => [p, testKey(`no-${p.toLowerCase()}`, allBut(p))])) as Record<Permission, ReturnType<typeof testKey>>;
const reader = testKey('reader', ['READ']);
const kermit = testKey('kermit', ['READ', 'WORK_TASKS'], { groups: ['accounting'] });
const fozzie = testKey('fozzie', ['READ', 'WORK_TASKS']);
const gonzo = testKey('gonzo', ['READ', 'WORK_TASKS'], { groups: ['marketing'] });
const operator = testKey('operator', ['READ', 'OPERATE']);
/** Authenticated, with no permission at all. */
const nobody = testKey('nobody', []);

const as = (key: { key: string }): Headers => bearer(key.key);

/** What a route needs, and who lacks it: the caller lacking only that permission, or (for task work) one with neither WORK_TASKS nor OPERATE. */
type Need = Permission | 'WORK';

/**
 * Every /engine-rest route, with placeholder ids (permissions are checked
 * before anything is looked up); the last test checks this table against the
 * routes the API declares.
 */
const ROUTES: [method: string, path: string, need: Need | 'AUTHENTICATED'][] = [
  ['GET', '/engine', 'AUTHENTICATED'],
  ['GET', '/version', 'AUTHENTICATED'],
  ['GET', '/deployment', 'READ'],
  ['GET', '/deployment/count', 'READ'],
  ['GET', '/deployment/d1', 'READ'],
  ['GET', '/deployment/d1/resources', 'READ'],
  ['GET', '/deployment/d1/resources/r1', 'READ'],
  ['GET', '/deployment/d1/resources/r1/data', 'READ'],
  ['POST', '/deployment/create', 'DEPLOY'],
  ['DELETE', '/deployment/d1', 'DEPLOY'],
  ['POST', '/deployment/d1/redeploy', 'DEPLOY'],
  ['GET', '/process-definition', 'READ'],
  ['GET', '/process-definition/count', 'READ'],
  ['GET', '/process-definition/p1', 'READ'],
  ['GET', '/process-definition/p1/xml', 'READ'],
  ['POST', '/process-definition/p1/start', 'START'],
  ['POST', '/process-definition/p1/submit-form', 'START'],
  ['PUT', '/process-definition/p1/suspended', 'OPERATE'],
  ['GET', '/process-definition/key/k1', 'READ'],
  ['GET', '/process-definition/key/k1/xml', 'READ'],
  ['POST', '/process-definition/key/k1/start', 'START'],
  ['POST', '/process-definition/key/k1/submit-form', 'START'],
  ['PUT', '/process-definition/key/k1/suspended', 'OPERATE'],
  ['GET', '/process-definition/key/k1/tenant-id/tn1', 'READ'],
  ['GET', '/process-definition/key/k1/tenant-id/tn1/xml', 'READ'],
  ['POST', '/process-definition/key/k1/tenant-id/tn1/start', 'START'],
  ['POST', '/process-definition/key/k1/tenant-id/tn1/submit-form', 'START'],
  ['PUT', '/process-definition/key/k1/tenant-id/tn1/suspended', 'OPERATE'],
  ['GET', '/process-definition/p1/startForm', 'READ'],
  ['GET', '/process-definition/key/k1/startForm', 'READ'],
  ['GET', '/process-definition/key/k1/tenant-id/tn1/startForm', 'READ'],
  ['GET', '/process-definition/p1/form-variables', 'READ'],
  ['GET', '/process-definition/key/k1/form-variables', 'READ'],
  ['GET', '/process-definition/key/k1/tenant-id/tn1/form-variables', 'READ'],
  ['GET', '/process-instance', 'READ'],
  ['POST', '/process-instance', 'READ'],
  ['GET', '/process-instance/count', 'READ'],
  ['POST', '/process-instance/count', 'READ'],
  ['GET', '/process-instance/i1', 'READ'],
  ['DELETE', '/process-instance/i1', 'OPERATE'],
  ['GET', '/process-instance/i1/activity-instances', 'READ'],
  ['PUT', '/process-instance/i1/suspended', 'OPERATE'],
  ['POST', '/process-instance/i1/modification', 'OPERATE'],
  ['GET', '/process-instance/i1/variables', 'READ'],
  ['POST', '/process-instance/i1/variables', 'OPERATE'],
  ['GET', '/process-instance/i1/variables/v1', 'READ'],
  ['PUT', '/process-instance/i1/variables/v1', 'OPERATE'],
  ['DELETE', '/process-instance/i1/variables/v1', 'OPERATE'],
  ['GET', '/execution', 'READ'],
  ['POST', '/execution', 'READ'],
  ['GET', '/execution/count', 'READ'],
  ['POST', '/execution/count', 'READ'],
  ['GET', '/execution/e1', 'READ'],
  ['POST', '/execution/e1/signal', 'START'],
  ['GET', '/execution/e1/localVariables', 'READ'],
  ['POST', '/execution/e1/localVariables', 'OPERATE'],
  ['GET', '/execution/e1/localVariables/v1', 'READ'],
  ['PUT', '/execution/e1/localVariables/v1', 'OPERATE'],
  ['DELETE', '/execution/e1/localVariables/v1', 'OPERATE'],
  ['GET', '/variable-instance', 'READ'],
  ['POST', '/variable-instance', 'READ'],
  ['GET', '/variable-instance/count', 'READ'],
  ['POST', '/variable-instance/count', 'READ'],
  ['GET', '/task', 'READ'],
  ['POST', '/task', 'READ'],
  ['GET', '/task/count', 'READ'],
  ['POST', '/task/count', 'READ'],
  ['GET', '/task/t1', 'READ'],
  ['POST', '/task/t1/claim', 'WORK'],
  ['POST', '/task/t1/unclaim', 'WORK'],
  ['POST', '/task/t1/assignee', 'OPERATE'],
  ['POST', '/task/t1/complete', 'WORK'],
  ['POST', '/task/t1/submit-form', 'WORK'],
  ['GET', '/task/t1/form-variables', 'READ'],
  ['GET', '/task/t1/form', 'READ'],
  ['GET', '/task/t1/identity-links', 'READ'],
  ['GET', '/task/t1/variables', 'READ'],
  ['POST', '/task/t1/variables', 'WORK'],
  ['GET', '/task/t1/variables/v1', 'READ'],
  ['PUT', '/task/t1/variables/v1', 'WORK'],
  ['DELETE', '/task/t1/variables/v1', 'WORK'],
  ['GET', '/task/t1/localVariables', 'READ'],
  ['POST', '/task/t1/localVariables', 'WORK'],
  ['GET', '/task/t1/localVariables/v1', 'READ'],
  ['PUT', '/task/t1/localVariables/v1', 'WORK'],
  ['DELETE', '/task/t1/localVariables/v1', 'WORK'],
  ['GET', '/history/process-instance', 'READ'],
  ['POST', '/history/process-instance', 'READ'],
  ['GET', '/history/process-instance/count', 'READ'],
  ['POST', '/history/process-instance/count', 'READ'],
  ['GET', '/history/process-instance/h1', 'READ'],
  ['GET', '/history/activity-instance', 'READ'],
  ['POST', '/history/activity-instance', 'READ'],
  ['GET', '/history/activity-instance/count', 'READ'],
  ['POST', '/history/activity-instance/count', 'READ'],
  ['GET', '/history/activity-instance/a1', 'READ'],
  ['GET', '/history/task', 'READ'],
  ['POST', '/history/task', 'READ'],
  ['GET', '/history/task/count', 'READ'],
  ['POST', '/history/task/count', 'READ'],
  ['GET', '/history/variable-instance', 'READ'],
  ['POST', '/history/variable-instance', 'READ'],
  ['GET', '/history/variable-instance/count', 'READ'],
  ['POST', '/history/variable-instance/count', 'READ'],
  ['GET', '/history/detail', 'READ'],
  ['GET', '/history/incident', 'READ'],
  ['GET', '/history/incident/count', 'READ'],
  ['GET', '/history/job-log', 'READ'],
  ['POST', '/history/job-log', 'READ'],
  ['GET', '/history/job-log/count', 'READ'],
  ['POST', '/history/job-log/count', 'READ'],
  ['GET', '/history/job-log/l1', 'READ'],
  ['GET', '/history/job-log/l1/stacktrace', 'READ'],
  ['POST', '/message', 'START'],
  ['POST', '/signal', 'START'],
  ['POST', '/condition', 'START'],
  ['GET', '/job', 'READ'],
  ['POST', '/job', 'READ'],
  ['GET', '/job/count', 'READ'],
  ['POST', '/job/count', 'READ'],
  ['PUT', '/job/suspended', 'OPERATE'],
  ['GET', '/job/j1', 'READ'],
  ['POST', '/job/j1/execute', 'OPERATE'],
  ['PUT', '/job/j1/retries', 'OPERATE'],
  ['PUT', '/job/j1/suspended', 'OPERATE'],
  ['GET', '/job/j1/stacktrace', 'READ'],
  ['GET', '/job-definition', 'READ'],
  ['POST', '/job-definition', 'READ'],
  ['GET', '/job-definition/count', 'READ'],
  ['POST', '/job-definition/count', 'READ'],
  ['PUT', '/job-definition/suspended', 'OPERATE'],
  ['GET', '/job-definition/d1', 'READ'],
  ['PUT', '/job-definition/d1/suspended', 'OPERATE'],
  ['GET', '/incident', 'READ'],
  ['GET', '/incident/count', 'READ'],
  ['GET', '/incident/n1', 'READ'],
  ['DELETE', '/incident/n1', 'OPERATE'],
  ['PUT', '/incident/n1/annotation', 'OPERATE'],
  ['DELETE', '/incident/n1/annotation', 'OPERATE'],
  ['GET', '/event-subscription', 'READ'],
  ['GET', '/event-subscription/count', 'READ'],
  ['GET', '/external-task', 'READ'],
  ['POST', '/external-task', 'READ'],
  ['GET', '/external-task/count', 'READ'],
  ['POST', '/external-task/count', 'READ'],
  ['POST', '/external-task/fetchAndLock', 'WORK_TASKS'],
  ['GET', '/external-task/x1', 'READ'],
  ['GET', '/external-task/x1/errorDetails', 'READ'],
  ['POST', '/external-task/x1/complete', 'WORK_TASKS'],
  ['POST', '/external-task/x1/failure', 'WORK_TASKS'],
  ['POST', '/external-task/x1/bpmnError', 'WORK_TASKS'],
  ['POST', '/external-task/x1/lock', 'WORK_TASKS'],
  ['POST', '/external-task/x1/extendLock', 'WORK_TASKS'],
  ['POST', '/external-task/x1/unlock', 'WORK_TASKS'],
  ['PUT', '/external-task/x1/retries', 'OPERATE'],
  ['PUT', '/external-task/x1/priority', 'OPERATE'],
];

/** GraphQL operations and what they need. */
const OPERATIONS: [need: Need, query: string][] = [
  ['READ', '{ processDefinitions { totalCount } }'],
  ['READ', '{ processDefinition(id: "p1") { id } }'],
  ['READ', '{ processInstances { totalCount } }'],
  ['READ', '{ processInstance(id: "i1") { id } }'],
  ['READ', '{ tasks { totalCount } }'],
  ['READ', '{ task(id: "t1") { id } }'],
  ['DEPLOY', `mutation { deploy(input: { name: "denied", resources: [{ name: "x.bpmn", content: "<definitions/>" }] }) { id } }`],
  ['START', 'mutation { startProcessInstance(input: { processDefinitionKey: "authApproval" }) { id } }'],
  ['START', 'mutation { correlateMessage(input: { messageName: "nobody" }) { processInstanceId } }'],
  ['START', 'mutation { broadcastSignal(name: "nobody") { delivered } }'],
  ['OPERATE', 'mutation { cancelProcessInstance(id: "i1") }'],
  ['OPERATE', 'mutation { suspendProcessInstance(id: "i1") { id } }'],
  ['OPERATE', 'mutation { activateProcessInstance(id: "i1") { id } }'],
  ['OPERATE', 'mutation { setAssignee(id: "t1", userId: "kermit") { id } }'],
  ['WORK', 'mutation { claimTask(id: "t1", userId: "reader") { id } }'],
  ['WORK', 'mutation { unclaimTask(id: "t1") { id } }'],
  ['WORK', 'mutation { completeTask(id: "t1") }'],
];

const denied = (need: Need) => (need === 'WORK' ? reader : lacking[need]);
const permissionText = (need: Need) => (need === 'WORK' ? 'WORK_TASKS or OPERATE' : need);

securedSuite(
  'authorization',
  () => ({ auth: { apiKeys: [admin, reader, kermit, fozzie, gonzo, operator, nobody, ...Object.values(lacking)] } }),
  (h) => {
    beforeAll(async () => {
      expect((await h.gql(DEPLOY, deployInput(['Auth.candidateTask.bpmn']), as(admin))).errors).toBeUndefined();
    });

    it('every /engine-rest route answers 403 AuthorizationException to a caller without its permission, and not to one with it', async () => {
      for (const [method, path, need] of ROUTES) {
        if (need === 'AUTHENTICATED') {
          // Probing the API needs an identity, no permission.
          expect((await h.rest(method, path, undefined, as(nobody))).status).toBe(200);
          continue;
        }
        const who = denied(need);
        const body = method === 'GET' || method === 'DELETE' ? undefined : path === '/deployment/create' ? new FormData() : {};
        const res = await h.rest(method, path, body, as(who));
        expect({ route: `${method} ${path}`, status: res.status, body: res.body }).toEqual({
          route: `${method} ${path}`,
          status: 403,
          body: { type: 'AuthorizationException', message: `'${who.name}' lacks the ${permissionText(need)} permission needed to ${method} ${path}`, code: 0 },
        });
        const allowed = await h.rest(method, path, body, as(admin));
        expect({ route: `${method} ${path}`, status: allowed.status }).not.toEqual({ route: `${method} ${path}`, status: 403 });
      }
      // The named-engine form of a path is the same route.
      expect((await h.rest('GET', '/engine/default/task', undefined, as(lacking.READ))).status).toBe(403);
    });

    it('every query and mutation answers FORBIDDEN to a caller without its permission, and changes nothing', async () => {
      const before = await h.rest('GET', '/process-instance/count', undefined, as(admin));
      for (const [need, query] of OPERATIONS) {
        const who = denied(need);
        const res = await h.gql(query, {}, as(who));
        expect({ query, errors: res.errors }).toEqual({
          query,
          errors: [expect.objectContaining({ message: expect.stringContaining(`'${who.name}' lacks the ${permissionText(need)} permission`), extensions: { code: 'FORBIDDEN' } })],
        });
      }
      expect((await h.rest('GET', '/process-instance/count', undefined, as(admin))).body).toEqual(before.body);
      expect((await h.gql('{ processDefinitions { totalCount } }', {}, as(admin))).data).toEqual({ processDefinitions: { totalCount: 1 } });
    });

    it('subscriptions need READ', async () => {
      const client = h.wsClient({ authorization: `Bearer ${lacking.READ.key}` });
      for (const query of ['subscription { taskEvents { taskId } }', 'subscription { instanceChanged(definitionKey: "authApproval") { id } }']) {
        const sub = await h.subscribe(client, query);
        await expectEventually(() => sub.errors.length > 0);
        expect(sub.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining("'no-read' lacks the READ permission") })]);
      }
    });

    describe('task work rules', () => {
      const start = async () => {
        const r = await h.gql('mutation { startProcessInstance(input: { processDefinitionKey: "authApproval" }) { tasks { id } } }', {}, as(admin));
        return r.data.startProcessInstance.tasks[0].id as string;
      };
      const claim = (id: string, userId: string, who: { key: string }) => h.gql(`mutation($id: ID!, $u: String!) { claimTask(id: $id, userId: $u) { assignee } }`, { id, u: userId }, as(who));
      const complete = (id: string, who: { key: string }) => h.gql(`mutation($id: ID!) { completeTask(id: $id) }`, { id }, as(who));
      const forbidden = (message: string) => [expect.objectContaining({ message, extensions: { code: 'FORBIDDEN' } })];

      it('only a candidate user or a member of a candidate group claims a task, and only for itself', async () => {
        const id = await start();
        expect((await claim(id, 'gonzo', gonzo)).errors).toEqual(forbidden(`'gonzo' may not claim task ${id}: not a candidate user and in none of its candidate groups`));
        expect((await claim(id, 'fozzie', kermit)).errors).toEqual(forbidden(`'kermit' may not claim task ${id} for 'fozzie': that takes the OPERATE permission`));
        expect((await claim(id, 'kermit', kermit)).data).toEqual({ claimTask: { assignee: 'kermit' } });
      });

      it('a claimed task is completed by its assignee only, or by an operator', async () => {
        const id = await start();
        await claim(id, 'fozzie', fozzie);
        expect((await complete(id, kermit)).errors).toEqual(forbidden(`'kermit' may not complete task ${id}: it is assigned to somebody else`));
        expect((await h.gql(`mutation($id: ID!) { unclaimTask(id: $id) { id } }`, { id }, as(kermit))).errors).toEqual(forbidden(`'kermit' may not unclaim task ${id}: it is assigned to somebody else`));
        expect((await complete(id, fozzie)).data).toEqual({ completeTask: id });

        const other = await start();
        await claim(other, 'kermit', kermit);
        expect((await h.gql(`mutation($id: ID!) { setAssignee(id: $id, userId: "fozzie") { assignee } }`, { id: other }, as(operator))).data).toEqual({ setAssignee: { assignee: 'fozzie' } });
        expect((await complete(other, operator)).data).toEqual({ completeTask: other });
      });

      it('/engine-rest applies the same rules to claim, complete and task variables', async () => {
        const id = await start();
        const gonzoClaims = await h.rest('POST', `/task/${id}/claim`, { userId: 'gonzo' }, as(gonzo));
        expect(gonzoClaims.status).toBe(403);
        expect(gonzoClaims.body).toEqual({ type: 'AuthorizationException', message: `'gonzo' may not claim task ${id}: not a candidate user and in none of its candidate groups`, code: 0 });
        expect((await h.rest('PUT', `/task/${id}/variables/note`, { value: 'x', type: 'String' }, as(gonzo))).status).toBe(403);
        expect((await h.rest('POST', `/task/${id}/complete`, {}, as(gonzo))).status).toBe(403);

        expect((await h.rest('POST', `/task/${id}/claim`, { userId: 'fozzie' }, as(fozzie))).status).toBe(204);
        expect((await h.rest('PUT', `/task/${id}/variables/note`, { value: 'checked', type: 'String' }, as(fozzie))).status).toBe(204);
        expect((await h.rest('POST', `/task/${id}/complete`, {}, as(kermit))).status).toBe(403);
        expect((await h.rest('POST', `/task/${id}/complete`, {}, as(fozzie))).status).toBe(204);
        expect((await h.rest('GET', `/task/${id}`, undefined, as(admin))).status).toBe(404);
      });
    });
  },
);

async function expectEventually(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the subscription to answer');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The placeholders of ROUTES, as the route patterns name them. */
const PARAMS: Record<string, string> = { r1: ':resourceId', k1: ':key', tn1: ':tenantId', v1: ':name' };

describe('the route table of this test', () => {
  it('is every route /engine-rest serves, with the permission each declares', () => {
    const declared = createRouter()
      .list()
      .map((r) => `${r.method} ${r.pattern} ${typeof r.access === 'string' ? r.access : [...r.access].sort().join('|')}`)
      .sort();
    const listed = ROUTES.map(([method, path, need]) => {
      const pattern = path.replace(/\/([a-z]+\d)(?=\/|$)/g, (_, id: string) => `/${PARAMS[id] ?? ':id'}`);
      return `${method} ${pattern} ${need === 'WORK' ? 'OPERATE|WORK_TASKS' : need}`;
    }).sort();
    expect(listed).toEqual(declared);
  });
});
