import { expect, it } from 'vitest';
import { graphqlSuite, type GraphqlHarness } from './graphql-harness.js';

const START = `mutation($input: StartProcessInstanceInput!) { startProcessInstance(input: $input) { id tasks { id } } }`;
const ACTIVITY_EVENTS = `subscription($pi: ID, $key: String, $activityId: String) {
  activityEvents(processInstanceId: $pi, definitionKey: $key, activityId: $activityId) { kind activityId activityType processInstanceId definitionKey }
}`;
const INCIDENT_EVENTS = `subscription($pi: ID, $key: String) { incidentEvents(processInstanceId: $pi, definitionKey: $key) { kind incidentId incidentType activityId configuration processInstanceId definitionKey message } }`;
const VARIABLE_EVENTS = `subscription($pi: ID!, $name: String) { variableEvents(processInstanceId: $pi, name: $name) { kind name type value valueInfo processInstanceId taskId } }`;

async function start(h: GraphqlHarness, input: Record<string, unknown>): Promise<{ id: string; tasks: { id: string }[] }> {
  const r = await h.gql(START, { input });
  expect(r.errors).toBeUndefined();
  return r.data.startProcessInstance;
}

graphqlSuite('GraphQL subscriptions: activities, incidents, variables', (h) => {
  it('activityEvents reports activities started and completed per instance and per definition key', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const client = h.wsClient();
    const byKey = await h.subscribe<{ activityEvents: any }>(client, ACTIVITY_EVENTS, { key: 'gatewayApproval' });
    const pi = await start(h, { processDefinitionKey: 'gatewayApproval' });
    const byInstance = await h.subscribe<{ activityEvents: any }>(client, ACTIVITY_EVENTS, { pi: pi.id });
    const onlyEnd = await h.subscribe<{ activityEvents: any }>(client, ACTIVITY_EVENTS, { pi: pi.id, activityId: 'end' });

    await byKey.waitFor((r) => r.some((e) => e.activityEvents.processInstanceId === pi.id && e.activityEvents.activityId === 'approve'));
    expect(byKey.received.filter((e) => e.activityEvents.processInstanceId === pi.id).map((e) => [e.activityEvents.kind, e.activityEvents.activityId])).toEqual([
      ['STARTED', 'start'],
      ['COMPLETED', 'start'],
      ['STARTED', 'approve'],
    ]);

    const done = await h.gql(`mutation($id: ID!) { completeTask(id: $id) }`, { id: pi.tasks[0]!.id });
    expect(done.errors).toBeUndefined();
    const seen = await byInstance.waitFor((r) => r.some((e) => e.activityEvents.activityId === 'end' && e.activityEvents.kind === 'COMPLETED'));
    expect(seen.map((e) => e.activityEvents)).toEqual([
      { kind: 'COMPLETED', activityId: 'approve', activityType: 'userTask', processInstanceId: pi.id, definitionKey: 'gatewayApproval' },
      { kind: 'STARTED', activityId: 'end', activityType: 'noneEndEvent', processInstanceId: pi.id, definitionKey: 'gatewayApproval' },
      { kind: 'COMPLETED', activityId: 'end', activityType: 'noneEndEvent', processInstanceId: pi.id, definitionKey: 'gatewayApproval' },
    ]);
    await onlyEnd.waitFor((r) => r.length === 2);
    expect(onlyEnd.received.map((e) => e.activityEvents.kind)).toEqual(['STARTED', 'COMPLETED']);
    expect(byInstance.errors).toEqual([]);
  });

  it('an interrupted activity is reported CANCELED when its instance is cancelled', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const pi = await start(h, { processDefinitionKey: 'gatewayApproval' });
    const events = await h.subscribe<{ activityEvents: any }>(h.wsClient(), ACTIVITY_EVENTS, { pi: pi.id });
    expect((await h.gql(`mutation($id: ID!) { cancelProcessInstance(id: $id) }`, { id: pi.id })).errors).toBeUndefined();
    const seen = await events.waitFor((r) => r.some((e) => e.activityEvents.activityId === 'approve'));
    expect(seen.map((e) => [e.activityEvents.kind, e.activityEvents.activityId])).toEqual([['CANCELED', 'approve']]);
  });

  it('incidentEvents reports an incident created by a failing job and resolved by an operator', async () => {
    await h.deployFixtures('Gateway.failingJob.bpmn');
    const pi = await start(h, { processDefinitionKey: 'gatewayFailingJob' });
    const client = h.wsClient();
    const incidents = await h.subscribe<{ incidentEvents: any }>(client, INCIDENT_EVENTS, { pi: pi.id });
    const byKey = await h.subscribe<{ incidentEvents: any }>(client, INCIDENT_EVENTS, { key: 'gatewayFailingJob' });
    const elsewhere = await h.subscribe<{ incidentEvents: any }>(client, INCIDENT_EVENTS, { key: 'gatewayApproval' });

    const jobs = await h.gql(`query($id: ID!) { jobs(filter: { processInstanceId: $id }) { edges { node { id } } } }`, { id: pi.id });
    const jobId: string = jobs.data.jobs.edges[0].node.id;
    expect((await h.gql(`mutation($id: ID!) { executeJob(id: $id) }`, { id: jobId })).errors?.[0]?.extensions.code).toBe('SCRIPT');
    const created = await incidents.waitFor((r) => r.length === 1);
    expect(created[0]!.incidentEvents).toEqual({
      kind: 'CREATED',
      incidentId: expect.any(String),
      incidentType: 'failedJob',
      activityId: 'risky',
      configuration: jobId,
      processInstanceId: pi.id,
      definitionKey: 'gatewayFailingJob',
      message: expect.stringContaining('risky step failed'),
    });
    const incidentId: string = created[0]!.incidentEvents.incidentId;

    expect((await h.gql(`mutation($id: ID!) { resolveIncident(id: $id) }`, { id: incidentId })).errors).toBeUndefined();
    const all = await incidents.waitFor((r) => r.length === 2);
    expect(all.map((e) => [e.incidentEvents.kind, e.incidentEvents.incidentId])).toEqual([
      ['CREATED', incidentId],
      ['RESOLVED', incidentId],
    ]);
    await byKey.waitFor((r) => r.filter((e) => e.incidentEvents.incidentId === incidentId).length === 2);

    // A second incident on the job, deleted with its instance.
    expect((await h.gql(`mutation($id: ID!) { executeJob(id: $id) }`, { id: jobId })).errors?.[0]?.extensions.code).toBe('SCRIPT');
    await incidents.waitFor((r) => r.length === 3);
    expect((await h.gql(`mutation($id: ID!) { cancelProcessInstance(id: $id) }`, { id: pi.id })).errors).toBeUndefined();
    const final = await incidents.waitFor((r) => r.length === 4);
    expect(final.slice(2).map((e) => e.incidentEvents.kind)).toEqual(['CREATED', 'DELETED']);
    expect(elsewhere.received).toEqual([]);
  });

  it('variableEvents reports created, updated and deleted variables of one instance with their types', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const pi = await start(h, { processDefinitionKey: 'gatewayApproval', variables: [{ name: 'amount', type: 'Integer', value: 1 }] });
    const other = await start(h, { processDefinitionKey: 'gatewayApproval' });
    const client = h.wsClient();
    const events = await h.subscribe<{ variableEvents: any }>(client, VARIABLE_EVENTS, { pi: pi.id });
    const onlyAmount = await h.subscribe<{ variableEvents: any }>(client, VARIABLE_EVENTS, { pi: pi.id, name: 'amount' });

    const setVars = `mutation($id: ID!, $v: [VariableInput!]!) { setVariables(executionId: $id, variables: $v) { name } }`;
    expect((await h.gql(setVars, { id: other.id, v: [{ name: 'amount', value: 99 }] })).errors).toBeUndefined();
    expect((await h.gql(setVars, { id: pi.id, v: [{ name: 'amount', type: 'Long', value: 2 }, { name: 'due', type: 'Date', value: '2031-05-06T07:08:09.000Z' }] })).errors).toBeUndefined();
    expect((await h.gql(`mutation($id: ID!) { removeVariables(executionId: $id, names: ["due"]) { name } }`, { id: pi.id })).errors).toBeUndefined();
    const task = pi.tasks[0]!.id;
    expect((await h.gql(`mutation($id: ID!) { completeTask(id: $id, variables: [{ name: "order", value: { id: 7 } }]) }`, { id: task })).errors).toBeUndefined();

    const seen = await events.waitFor((r) => r.some((e) => e.variableEvents.name === 'order'));
    expect(seen.map((e) => e.variableEvents)).toEqual([
      { kind: 'UPDATED', name: 'amount', type: 'Long', value: 2, valueInfo: {}, processInstanceId: pi.id, taskId: null },
      { kind: 'CREATED', name: 'due', type: 'Date', value: '2031-05-06T07:08:09.000Z', valueInfo: {}, processInstanceId: pi.id, taskId: null },
      { kind: 'DELETED', name: 'due', type: null, value: null, valueInfo: null, processInstanceId: pi.id, taskId: null },
      { kind: 'CREATED', name: 'order', type: 'Json', value: { id: 7 }, valueInfo: {}, processInstanceId: pi.id, taskId: null },
    ]);
    expect(onlyAmount.received.map((e) => e.variableEvents.kind)).toEqual(['UPDATED']);
  });

  it('a command that fails sends no event; the next command that commits does', async () => {
    await h.deployFixtures('Gateway.failingAfterTask.bpmn');
    const pi = await start(h, { processDefinitionKey: 'gatewayFailingAfterTask' });
    const client = h.wsClient();
    const activities = await h.subscribe<{ activityEvents: any }>(client, ACTIVITY_EVENTS, { pi: pi.id });
    const variables = await h.subscribe<{ variableEvents: any }>(client, VARIABLE_EVENTS, { pi: pi.id });
    const tasks = await h.subscribe<{ taskEvents: any }>(client, `subscription { taskEvents(assignee: "nobody-else") { kind taskId } }`);
    const changes = await h.subscribe<{ instanceChanged: any }>(client, `subscription($id: ID) { instanceChanged(id: $id) { id state activeActivityIds } }`, { id: pi.id });

    const failed = await h.gql(`mutation($id: ID!) { completeTask(id: $id, variables: [{ name: "decision", value: "yes" }]) }`, { id: pi.tasks[0]!.id });
    expect(failed.errors?.[0]?.extensions.code).toBe('SCRIPT');
    // The task is still there: nothing of the failed command was committed.
    expect((await h.gql(`query($id: ID!) { processInstance(id: $id) { activeActivityIds } }`, { id: pi.id })).data.processInstance.activeActivityIds).toEqual(['approve']);

    // Sentinels: commands that commit after the failed one; had it sent events, they would have come first.
    const sentinel = await h.gql(`mutation($id: ID!) { setVariables(executionId: $id, variables: [{ name: "sentinel", value: 1 }]) { name } }`, { id: pi.id });
    expect(sentinel.errors).toBeUndefined();
    expect((await h.gql(`mutation($id: ID!) { suspendProcessInstance(id: $id) { state } }`, { id: pi.id })).errors).toBeUndefined();
    await variables.waitFor((r) => r.length > 0);
    await changes.waitFor((r) => r.length > 0);
    expect(variables.received.map((e) => [e.variableEvents.kind, e.variableEvents.name])).toEqual([['CREATED', 'sentinel']]);
    expect(changes.received.map((e) => e.instanceChanged)).toEqual([{ id: pi.id, state: 'SUSPENDED', activeActivityIds: ['approve'] }]);
    expect(activities.received).toEqual([]);
    expect(tasks.received).toEqual([]);
  });

  it('refuses activityEvents and variableEvents without the instance or key they need', async () => {
    const client = h.wsClient();
    const noFilter = await h.subscribe(client, `subscription { activityEvents { kind } }`);
    await noFilter.waitFor(() => false, 2000).catch(() => undefined);
    expect(noFilter.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'processInstanceId' } })]);
    const noInstance = await h.subscribe(client, `subscription { variableEvents { kind } }`);
    await noInstance.waitFor(() => false, 2000).catch(() => undefined);
    // A validation failure ends the subscription with the list of errors.
    expect(noInstance.errors.flat()).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
  });
});
