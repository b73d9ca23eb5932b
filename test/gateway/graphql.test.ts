import { expect, it } from 'vitest';
import { fixture } from '../helpers/engine-harness.js';
import { graphqlSuite } from './graphql-harness.js';

const START = `mutation($input: StartProcessInstanceInput!) {
  startProcessInstance(input: $input) { id businessKey state activeActivityIds definition { key version } variables { name type value valueInfo } tasks { id name } }
}`;

const INSTANCE_CHANGED = `subscription($id: ID, $definitionKey: String, $businessKey: String) {
  instanceChanged(id: $id, definitionKey: $definitionKey, businessKey: $businessKey) { id state activeActivityIds }
}`;

graphqlSuite('GraphQL gateway', (h) => {
  it('deploys, starts, and a graphql-ws subscriber sees the instance end when its task is completed', async () => {
    const deployed = await h.deployFixtures('Gateway.approval.bpmn');
    expect(deployed.errors).toBeUndefined();
    expect(deployed.data.deploy).toMatchObject({ duplicate: false, processDefinitions: [{ key: 'gatewayApproval' }] });

    const started = await h.gql(START, {
      input: { processDefinitionKey: 'gatewayApproval', businessKey: 'order-1', variables: [{ name: 'amount', type: 'Integer', value: 1200 }, { name: 'order', value: { id: 7 } }] },
    });
    expect(started.errors).toBeUndefined();
    const pi = started.data.startProcessInstance;
    expect(pi).toMatchObject({
      businessKey: 'order-1',
      state: 'ACTIVE',
      activeActivityIds: ['approve'],
      definition: { key: 'gatewayApproval' },
      tasks: [{ name: 'Approve order' }],
    });
    expect(pi.variables).toEqual(
      expect.arrayContaining([
        { name: 'amount', type: 'Integer', value: 1200, valueInfo: {} },
        { name: 'order', type: 'Json', value: { id: 7 }, valueInfo: {} },
      ]),
    );

    const client = h.wsClient();
    const changes = await h.subscribe<{ instanceChanged: { id: string; state: string; activeActivityIds: string[] } }>(client, INSTANCE_CHANGED, { id: pi.id });

    const completed = await h.gql(`mutation($id: ID!, $v: [VariableInput!]) { completeTask(id: $id, variables: $v) }`, {
      id: pi.tasks[0].id,
      v: [{ name: 'approved', type: 'Boolean', value: true }],
    });
    expect(completed.errors).toBeUndefined();

    const seen = await changes.waitFor((r) => r.some((c) => c.instanceChanged.state === 'COMPLETED'));
    expect(seen.map((c) => c.instanceChanged)).toEqual([{ id: pi.id, state: 'COMPLETED', activeActivityIds: [] }]);
    expect(changes.errors).toEqual([]);

    const after = await h.gql(`query($id: ID!) { processInstance(id: $id) { id state activeActivityIds tasks { id } } }`, { id: pi.id });
    expect(after.data.processInstance).toEqual({ id: pi.id, state: 'COMPLETED', activeActivityIds: [], tasks: [] });
  });

  it('taskEvents tells a candidate group about created, assigned and completed tasks', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const client = h.wsClient();
    const events = await h.subscribe<{ taskEvents: { kind: string; taskId: string; assignee: string | null; candidateGroups: string[] } }>(
      client,
      `subscription { taskEvents(candidateGroup: "management") { kind taskId assignee candidateGroups } }`,
    );
    const other = await h.subscribe<unknown>(client, `subscription { taskEvents(candidateGroup: "sales") { kind } }`);

    const started = await h.gql(START, { input: { processDefinitionKey: 'gatewayApproval' } });
    const taskId: string = started.data.startProcessInstance.tasks[0].id;
    const claimed = await h.gql(`mutation($id: ID!) { claimTask(id: $id, userId: "kermit") { id assignee } }`, { id: taskId });
    expect(claimed.data.claimTask).toEqual({ id: taskId, assignee: 'kermit' });
    await h.gql(`mutation($id: ID!) { completeTask(id: $id) }`, { id: taskId });

    const seen = await events.waitFor((r) => r.some((e) => e.taskEvents.kind === 'COMPLETED'));
    expect(seen.map((e) => e.taskEvents)).toEqual([
      { kind: 'CREATED', taskId, assignee: null, candidateGroups: ['management'] },
      { kind: 'ASSIGNED', taskId, assignee: 'kermit', candidateGroups: ['management'] },
      { kind: 'COMPLETED', taskId, assignee: 'kermit', candidateGroups: ['management'] },
    ]);
    expect(other.received).toEqual([]);
  });

  it('pages tasks and instances as Relay connections with filters', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const businessKey = `page-${Date.now()}`;
    for (let i = 0; i < 3; i++) {
      const r = await h.gql(START, { input: { processDefinitionKey: 'gatewayApproval', businessKey, variables: [{ name: 'n', value: i }] } });
      expect(r.errors).toBeUndefined();
    }
    const byVariable = await h.gql(
      `query($f: ProcessInstanceFilterInput) { processInstances(filter: $f) { totalCount edges { node { businessKey variables { name value } } } } }`,
      { f: { businessKey, variables: [{ name: 'n', value: 1 }] } },
    );
    expect(byVariable.data.processInstances).toEqual({ totalCount: 1, edges: [{ node: { businessKey, variables: [{ name: 'n', value: 1 }] } }] });

    const TASKS = `query($after: String) { tasks(first: 2, after: $after, filter: { candidateGroup: "management", taskDefinitionKey: "approve" }) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id candidateGroups candidateUsers formKey created } } } }`;
    const first = await h.gql(TASKS);
    expect(first.errors).toBeUndefined();
    const total: number = first.data.tasks.totalCount;
    expect(total).toBeGreaterThanOrEqual(3);
    expect(first.data.tasks.edges).toHaveLength(2);
    expect(first.data.tasks.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.data.tasks.edges[0].node).toMatchObject({ candidateGroups: ['management'], candidateUsers: ['kermit'], formKey: 'app:approve.html' });

    const ids = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const page: any = await h.gql(TASKS, { after });
      for (const e of page.data.tasks.edges) ids.add(e.node.id);
      if (!page.data.tasks.pageInfo.hasNextPage) break;
      after = page.data.tasks.pageInfo.endCursor;
    }
    expect(ids.size).toBe(total);
  });

  it('refuses a page larger than 100 with BAD_USER_INPUT naming the argument', async () => {
    const r = await h.gql(`{ tasks(first: 101) { totalCount } }`);
    expect(r.data).toBeNull();
    expect(r.errors).toEqual([expect.objectContaining({ path: ['tasks'], extensions: { code: 'BAD_USER_INPUT', field: 'first' } })]);
    const ok = await h.gql(`{ processDefinitions(first: 100) { totalCount } }`);
    expect(ok.errors).toBeUndefined();
  });

  it('answers NOT_FOUND for a command on an unknown task, and null when reading it', async () => {
    const r = await h.gql(`mutation { completeTask(id: "no-such-task") }`);
    expect(r.errors).toEqual([expect.objectContaining({ path: ['completeTask'], extensions: { code: 'NOT_FOUND' } })]);
    const claim = await h.gql(`mutation { claimTask(id: "no-such-task", userId: "kermit") { id } }`);
    expect(claim.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND' });
    expect((await h.gql(`{ task(id: "no-such-task") { id } }`)).data).toEqual({ task: null });
  });

  it('rejects a broken model with MODEL_INVALID carrying every problem, and deploys nothing', async () => {
    const before = await h.gql(`{ processDefinitions(key: "invalidModel") { totalCount } }`);
    const r = await h.gql(`mutation($input: DeployInput!) { deploy(input: $input) { id } }`, {
      input: { name: 'broken', resources: [{ name: 'Engine.invalidModel.bpmn', content: fixture('Engine.invalidModel.bpmn') }] },
    });
    expect(r.data).toBeNull();
    const [error] = r.errors!;
    expect(error!.extensions.code).toBe('MODEL_INVALID');
    const problems = error!.extensions.problems as { elementId: string | null; line: number | null; column: number | null; message: string; severity: string }[];
    expect(problems.filter((p) => p.severity === 'error').length).toBeGreaterThan(1);
    for (const p of problems) {
      expect(p).toEqual(expect.objectContaining({ message: expect.any(String), elementId: expect.anything(), line: expect.any(Number), column: expect.any(Number) }));
    }
    expect(problems.map((p) => p.elementId)).toEqual(expect.arrayContaining(['charge', 'review']));
    const after = await h.gql(`{ processDefinitions(key: "invalidModel") { totalCount } }`);
    expect(after.data).toEqual(before.data);
  });

  it('a start that fails inside the model leaves no instance and no task behind', async () => {
    await h.deploy('Engine.failingStart.bpmn');
    const count = `{ processInstances(filter: { definitionKey: "failingStart" }) { totalCount } tasks(filter: { taskDefinitionKey: "approve" }) { totalCount } }`;
    const before = await h.gql(count);
    const r = await h.gql(START, { input: { processDefinitionKey: 'failingStart' } });
    expect(r.data).toBeNull();
    expect(r.errors?.[0]?.extensions).toEqual({ code: 'SCRIPT' });
    expect(await h.gql(count)).toEqual(before);
  });

  it('refuses a variable its type cannot hold with BAD_USER_INPUT naming the variable, starting nothing', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const before = await h.gql(`{ processInstances(filter: { businessKey: "bad-variable" }) { totalCount } }`);
    const r = await h.gql(START, { input: { processDefinitionKey: 'gatewayApproval', businessKey: 'bad-variable', variables: [{ name: 'amount', type: 'Integer', value: 'lots' }] } });
    expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'input.variables.amount' } })]);
    expect(await h.gql(`{ processInstances(filter: { businessKey: "bad-variable" }) { totalCount } }`)).toEqual(before);
  });

  it('answers NOT_FOUND when starting an undeployed key and keeps GraphQL validation codes', async () => {
    const r = await h.gql(START, { input: { processDefinitionKey: 'nothingHere' } });
    expect(r.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND' });
    const invalid = await h.gql(`{ tasks { nope } }`);
    expect(invalid.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('cancels an instance, and a subscriber by business key sees it terminated', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const businessKey = `cancel-${Date.now()}`;
    const client = h.wsClient();
    const changes = await h.subscribe<{ instanceChanged: { id: string; state: string; activeActivityIds: string[] } }>(client, INSTANCE_CHANGED, { businessKey });
    const started = await h.gql(START, { input: { processDefinitionKey: 'gatewayApproval', businessKey } });
    const id: string = started.data.startProcessInstance.id;
    const cancelled = await h.gql(`mutation($id: ID!) { cancelProcessInstance(id: $id, reason: "customer withdrew") }`, { id });
    expect(cancelled.data).toEqual({ cancelProcessInstance: id });
    const seen = await changes.waitFor((r) => r.length >= 2);
    expect(seen.map((c) => c.instanceChanged)).toEqual([
      { id, state: 'ACTIVE', activeActivityIds: ['approve'] },
      { id, state: 'EXTERNALLY_TERMINATED', activeActivityIds: [] },
    ]);
  });

  it('refuses an instanceChanged subscription without a filter, with the same error codes as HTTP', async () => {
    const client = h.wsClient();
    const sub = await h.subscribe(client, `subscription { instanceChanged { id } }`);
    await sub.waitFor(() => sub.errors.length > 0).catch(() => undefined);
    expect(sub.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } })]);
  });

  it('correlates a message and broadcasts a signal through mutations', async () => {
    const r = await h.gql(`mutation { correlateMessage(input: { messageName: "nobodyWaits" }) { processInstanceId } }`);
    expect(r.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const s = await h.gql(`mutation { broadcastSignal(name: "nobodyListens") { delivered started } }`);
    expect(s.data).toEqual({ broadcastSignal: { delivered: 0, started: 0 } });
  });
});
