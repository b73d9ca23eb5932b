import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { graphqlSuite, type GraphqlHarness } from './graphql-harness.js';

const START = `mutation($input: StartProcessInstanceInput!) { startProcessInstance(input: $input) { id state activeActivityIds } }`;

async function start(h: GraphqlHarness, input: Record<string, unknown>): Promise<{ id: string; state: string; activeActivityIds: string[] }> {
  const r = await h.gql(START, { input });
  expect(r.errors).toBeUndefined();
  return r.data.startProcessInstance;
}

/** The data of a reply that must have succeeded. */
async function ok<T = any>(h: GraphqlHarness, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await h.gql<T>(query, variables);
  expect(r.errors).toBeUndefined();
  return r.data as T;
}

const JOBS = `query($f: JobFilterInput) { jobs(filter: $f) { totalCount edges { node { id type activityId retries exceptionMessage processInstanceId processDefinitionKey } } } }`;
const INCIDENTS = `query($f: IncidentFilterInput) { incidents(filter: $f) { totalCount edges { node { id type activityId message configuration processInstanceId processDefinitionKey } } } }`;
const EXTERNAL_TASKS = `query($f: ExternalTaskFilterInput) { externalTasks(filter: $f) { totalCount edges { node { id topicName workerId retries errorMessage activityId processInstanceId businessKey } } } }`;
const FETCH = `mutation($input: FetchAndLockInput!) { fetchAndLockExternalTasks(input: $input) { id topicName workerId activityId processInstanceId variables { name type value } } }`;

graphqlSuite('GraphQL queries and operator mutations', (h) => {
  it('a failing job shows in jobs and incidents with their filters, and resolving the incident lets it run again', async () => {
    await h.deployFixtures('Gateway.failingJob.bpmn');
    const pi = await start(h, { processDefinitionKey: 'gatewayFailingJob' });

    const before = await ok(h, JOBS, { f: { processInstanceId: pi.id } });
    expect(before.jobs.totalCount).toBe(1);
    const job = before.jobs.edges[0].node;
    expect(job).toMatchObject({ activityId: 'risky', retries: 3, exceptionMessage: null, processInstanceId: pi.id, processDefinitionKey: 'gatewayFailingJob' });

    const failed = await h.gql(`mutation($id: ID!) { executeJob(id: $id) }`, { id: job.id });
    expect(failed.errors?.[0]?.extensions.code).toBe('SCRIPT');
    expect(failed.errors?.[0]?.message).toContain('risky step failed');

    const outOfRetries = await ok(h, JOBS, { f: { processInstanceId: pi.id, hasRetries: false } });
    expect(outOfRetries.jobs.edges.map((e: any) => e.node)).toEqual([expect.objectContaining({ id: job.id, retries: 0, exceptionMessage: expect.stringContaining('risky step failed') })]);
    expect((await ok(h, JOBS, { f: { processInstanceId: pi.id, hasRetries: true } })).jobs.totalCount).toBe(0);
    expect((await ok(h, JOBS, { f: { processInstanceId: pi.id, withException: true } })).jobs.totalCount).toBe(1);
    expect((await ok(h, JOBS, { f: { processInstanceId: pi.id, withException: false } })).jobs.totalCount).toBe(0);
    expect((await ok(h, JOBS, { f: { processDefinitionKey: 'gatewayFailingJob', activityId: 'risky', hasRetries: false } })).jobs.edges.map((e: any) => e.node.id)).toContain(job.id);

    const incidents = await ok(h, INCIDENTS, { f: { processInstanceId: pi.id } });
    expect(incidents.incidents.totalCount).toBe(1);
    const incident = incidents.incidents.edges[0].node;
    expect(incident).toMatchObject({ type: 'failedJob', activityId: 'risky', configuration: job.id, processDefinitionKey: 'gatewayFailingJob', message: expect.stringContaining('risky step failed') });
    expect((await ok(h, INCIDENTS, { f: { processDefinitionKey: 'gatewayFailingJob', activityId: 'risky' } })).incidents.edges.map((e: any) => e.node.id)).toContain(incident.id);
    expect((await ok(h, INCIDENTS, { f: { processInstanceId: pi.id, activityId: 'review' } })).incidents.totalCount).toBe(0);
    expect((await ok(h, `query($id: ID!) { incident(id: $id) { id type } }`, { id: incident.id })).incident).toEqual({ id: incident.id, type: 'failedJob' });
    const onInstance = await ok(h, `query($id: ID!) { processInstance(id: $id) { jobs { id retries } incidents { id } } }`, { id: pi.id });
    expect(onInstance.processInstance).toEqual({ jobs: [{ id: job.id, retries: 0 }], incidents: [{ id: incident.id }] });

    const set = await ok(h, `mutation($id: ID!) { setVariables(executionId: $id, variables: [{ name: "fixed", type: "Boolean", value: true }]) { name type value } }`, { id: pi.id });
    expect(set.setVariables).toEqual([{ name: 'fixed', type: 'Boolean', value: true }]);
    expect((await ok(h, `mutation($id: ID!) { resolveIncident(id: $id) }`, { id: incident.id })).resolveIncident).toBe(incident.id);
    expect((await ok(h, INCIDENTS, { f: { processInstanceId: pi.id } })).incidents.totalCount).toBe(0);
    expect((await ok(h, `query($id: ID!) { job(id: $id) { retries } }`, { id: job.id })).job).toEqual({ retries: 1 });

    await ok(h, `mutation($id: ID!) { executeJob(id: $id) }`, { id: job.id });
    expect((await ok(h, `query($id: ID!) { job(id: $id) { id } processInstance(id: $id) { activeActivityIds } }`, { id: job.id })).job).toBeNull();
    expect((await ok(h, `query($id: ID!) { processInstance(id: $id) { activeActivityIds } }`, { id: pi.id })).processInstance.activeActivityIds).toEqual(['review']);
  });

  it('setJobRetries gives a job out of retries new ones and resolves its incident; bad retries and unknown jobs are refused', async () => {
    await h.deployFixtures('Gateway.failingJob.bpmn');
    const pi = await start(h, { processDefinitionKey: 'gatewayFailingJob' });
    const job = (await ok(h, JOBS, { f: { processInstanceId: pi.id } })).jobs.edges[0].node;
    expect((await h.gql(`mutation($id: ID!) { executeJob(id: $id) }`, { id: job.id })).errors?.[0]?.extensions.code).toBe('SCRIPT');
    expect((await ok(h, INCIDENTS, { f: { processInstanceId: pi.id } })).incidents.totalCount).toBe(1);

    const retried = await ok(h, `mutation($id: ID!) { setJobRetries(id: $id, retries: 2) { id retries exceptionMessage } }`, { id: job.id });
    expect(retried.setJobRetries).toMatchObject({ id: job.id, retries: 2 });
    expect((await ok(h, INCIDENTS, { f: { processInstanceId: pi.id } })).incidents.totalCount).toBe(0);

    const negative = await h.gql(`mutation($id: ID!) { setJobRetries(id: $id, retries: -1) { id } }`, { id: job.id });
    expect(negative.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'retries' });
    const unknown = await h.gql(`mutation { setJobRetries(id: "no-such-job", retries: 1) { id } }`);
    expect(unknown.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect((await h.gql(`mutation { executeJob(id: "no-such-job") }`)).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect((await h.gql(`mutation { resolveIncident(id: "no-such-incident") }`)).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect((await ok(h, `{ job(id: "no-such-job") { id } incident(id: "no-such-incident") { id } externalTask(id: "no-such-task") { id } }`))).toEqual({ job: null, incident: null, externalTask: null });
  });

  it('a GraphQL worker fetches, locks and completes an external task; another worker cannot complete it', async () => {
    await h.deployFixtures('Gateway.external.bpmn');
    const businessKey = `order-${randomUUID()}`;
    const pi = await start(h, { processDefinitionKey: 'gatewayExternal', businessKey, variables: [{ name: 'amount', type: 'Integer', value: 42 }, { name: 'secret', value: 'x' }] });

    const available = await ok(h, EXTERNAL_TASKS, { f: { processInstanceId: pi.id, locked: false } });
    expect(available.externalTasks.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({ topicName: 'charge-card', workerId: null, retries: null, activityId: 'charge', businessKey }),
    ]);
    expect((await ok(h, EXTERNAL_TASKS, { f: { processInstanceId: pi.id, locked: true } })).externalTasks.totalCount).toBe(0);

    const fetched = await ok(h, FETCH, { input: { workerId: 'gql-worker', maxTasks: 5, topics: [{ topicName: 'charge-card', lockDuration: 60_000, variables: ['amount'], businessKey }] } });
    expect(fetched.fetchAndLockExternalTasks).toEqual([
      { id: expect.any(String), topicName: 'charge-card', workerId: 'gql-worker', activityId: 'charge', processInstanceId: pi.id, variables: [{ name: 'amount', type: 'Integer', value: 42 }] },
    ]);
    const taskId: string = fetched.fetchAndLockExternalTasks[0].id;
    const locked = await ok(h, EXTERNAL_TASKS, { f: { processInstanceId: pi.id, locked: true, topicName: 'charge-card', processDefinitionKey: 'gatewayExternal', activityId: 'charge', workerId: 'gql-worker' } });
    expect(locked.externalTasks.edges.map((e: any) => e.node.id)).toEqual([taskId]);
    expect((await ok(h, FETCH, { input: { workerId: 'other', maxTasks: 5, topics: [{ topicName: 'charge-card', lockDuration: 60_000, businessKey }] } })).fetchAndLockExternalTasks).toEqual([]);

    const stranger = await h.gql(`mutation($id: ID!) { completeExternalTask(id: $id, workerId: "other") }`, { id: taskId });
    expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'workerId' });

    const done = await ok(h, `mutation($id: ID!) { completeExternalTask(id: $id, workerId: "gql-worker", variables: [{ name: "charged", value: true }]) }`, { id: taskId });
    expect(done.completeExternalTask).toBe(taskId);
    const after = await ok(h, `query($id: ID!) { processInstance(id: $id) { activeActivityIds variables { name value } } externalTask(id: $id) { id } }`, { id: pi.id });
    expect(after.processInstance.activeActivityIds).toEqual(['ship']);
    expect(after.processInstance.variables).toEqual(expect.arrayContaining([{ name: 'charged', value: true }]));
    expect((await h.gql(`mutation($id: ID!) { completeExternalTask(id: $id, workerId: "gql-worker") }`, { id: taskId })).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });

  it('a worker failure without retries raises a failedExternalTask incident, and a BPMN error takes the error boundary event', async () => {
    await h.deployFixtures('Gateway.external.bpmn');
    const businessKey = `order-${randomUUID()}`;
    const pi = await start(h, { processDefinitionKey: 'gatewayExternal', businessKey });
    const fetchOne = async () => (await ok(h, FETCH, { input: { workerId: 'w', maxTasks: 1, topics: [{ topicName: 'charge-card', lockDuration: 60_000, businessKey }] } })).fetchAndLockExternalTasks[0];
    const task = await fetchOne();

    const failed = await ok(
      h,
      `mutation($input: ExternalTaskFailureInput!) { failExternalTask(input: $input) { id retries errorMessage } }`,
      { input: { id: task.id, workerId: 'w', errorMessage: 'card service down', errorDetails: 'HTTP 503', retries: 0 } },
    );
    expect(failed.failExternalTask).toEqual({ id: task.id, retries: 0, errorMessage: 'card service down' });
    const incidents = await ok(h, INCIDENTS, { f: { processInstanceId: pi.id, type: 'failedExternalTask' } });
    expect(incidents.incidents.edges.map((e: any) => e.node)).toEqual([expect.objectContaining({ type: 'failedExternalTask', activityId: 'charge', configuration: task.id, message: 'card service down' })]);

    const other = await start(h, { processDefinitionKey: 'gatewayExternal', businessKey: `${businessKey}-2` });
    const second = (await ok(h, FETCH, { input: { workerId: 'w', maxTasks: 1, topics: [{ topicName: 'charge-card', lockDuration: 60_000, businessKey: `${businessKey}-2` }] } })).fetchAndLockExternalTasks[0];
    const thrown = await ok(
      h,
      `mutation($input: ExternalTaskBpmnErrorInput!) { reportExternalTaskBpmnError(input: $input) }`,
      { input: { id: second.id, workerId: 'w', errorCode: 'CARD_DECLINED', variables: [{ name: 'reason', value: 'expired' }] } },
    );
    expect(thrown.reportExternalTaskBpmnError).toBe(second.id);
    const after = await ok(h, `query($id: ID!) { processInstance(id: $id) { activeActivityIds variables { name value } } }`, { id: other.id });
    expect(after.processInstance).toEqual({ activeActivityIds: ['callCustomer'], variables: [{ name: 'reason', value: 'expired' }] });
  });

  it('history answers instances, activities, tasks and variables with their filters, also after the instance ended', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const pi = await start(h, { processDefinitionKey: 'gatewayApproval', variables: [{ name: 'amount', type: 'Integer', value: 7 }] });
    const task = (await ok(h, `query($id: ID!) { processInstance(id: $id) { tasks { id } } }`, { id: pi.id })).processInstance.tasks[0];

    const running = await ok(h, `query($id: ID!) { historicProcessInstances(filter: { processInstanceId: $id, finished: false }) { totalCount edges { node { id state endTime } } } }`, { id: pi.id });
    expect(running.historicProcessInstances).toEqual({ totalCount: 1, edges: [{ node: { id: pi.id, state: 'ACTIVE', endTime: null } }] });
    await ok(h, `mutation($id: ID!) { claimTask(id: $id, userId: "kermit") { id } }`, { id: task.id });
    await ok(h, `mutation($id: ID!) { completeTask(id: $id, variables: [{ name: "approved", value: true }]) }`, { id: task.id });

    const hpi = await ok(
      h,
      `query($id: ID!) {
        finished: historicProcessInstances(filter: { processInstanceId: $id, finished: true }) { edges { node { id state processDefinitionKey processDefinitionVersion startActivityId endActivityId durationInMillis endTime } } }
        unfinished: historicProcessInstances(filter: { processInstanceId: $id, finished: false }) { totalCount }
        byKey: historicProcessInstances(filter: { processDefinitionKey: "gatewayApproval", finished: true }, last: 1) { edges { node { id } } }
      }`,
      { id: pi.id },
    );
    expect(hpi.finished.edges[0].node).toMatchObject({ id: pi.id, state: 'COMPLETED', processDefinitionKey: 'gatewayApproval', startActivityId: 'start', endActivityId: 'end', endTime: expect.any(String) });
    expect(hpi.unfinished.totalCount).toBe(0);
    expect(hpi.byKey.edges).toEqual([{ node: { id: pi.id } }]);

    const activities = await ok(h, `query($id: ID!) { historicActivityInstances(filter: { processInstanceId: $id }) { edges { node { activityId activityType assignee endTime canceled } } } }`, { id: pi.id });
    expect(activities.historicActivityInstances.edges.map((e: any) => [e.node.activityId, e.node.activityType])).toEqual([
      ['start', 'startEvent'],
      ['approve', 'userTask'],
      ['end', 'noneEndEvent'],
    ]);
    expect(activities.historicActivityInstances.edges[1].node).toMatchObject({ assignee: 'kermit', canceled: false });
    const onlyTask = await ok(h, `query($id: ID!) { historicActivityInstances(filter: { processInstanceId: $id, activityType: "userTask", finished: true, processDefinitionKey: "gatewayApproval" }) { totalCount } }`, { id: pi.id });
    expect(onlyTask.historicActivityInstances.totalCount).toBe(1);

    const tasks = await ok(h, `query($id: ID!) { historicTaskInstances(filter: { processInstanceId: $id, finished: true, assignee: "kermit" }) { edges { node { id taskDefinitionKey deleteReason assignee } } } }`, { id: pi.id });
    expect(tasks.historicTaskInstances.edges).toEqual([{ node: { id: task.id, taskDefinitionKey: 'approve', deleteReason: 'completed', assignee: 'kermit' } }]);
    expect((await ok(h, `query($id: ID!) { historicTaskInstances(filter: { processInstanceId: $id, finished: false }) { totalCount } }`, { id: pi.id })).historicTaskInstances.totalCount).toBe(0);

    const variables = await ok(h, `query($id: ID!) { historicVariableInstances(filter: { processInstanceId: $id }) { edges { node { name type value state } } } }`, { id: pi.id });
    expect(variables.historicVariableInstances.edges.map((e: any) => e.node)).toEqual([
      { name: 'amount', type: 'Integer', value: 7, state: 'CREATED' },
      { name: 'approved', type: 'Boolean', value: true, state: 'CREATED' },
    ]);
    const byName = await ok(h, `query($id: ID!) { historicVariableInstances(filter: { processInstanceId: $id, name: "approved", processDefinitionKey: "gatewayApproval" }) { totalCount } }`, { id: pi.id });
    expect(byName.historicVariableInstances.totalCount).toBe(1);

    const timeline = await ok(h, `query($id: ID!) { processInstance(id: $id) { state timeline(first: 2) { totalCount pageInfo { hasNextPage } edges { node { activityId } } } } }`, { id: pi.id });
    expect(timeline.processInstance).toEqual({
      state: 'COMPLETED',
      timeline: { totalCount: 3, pageInfo: { hasNextPage: true }, edges: [{ node: { activityId: 'start' } }, { node: { activityId: 'approve' } }] },
    });
  });

  it('an instance knows the instances it called and its caller, and its activity instance tree', async () => {
    await h.deployFixtures('Gateway.callActivity.bpmn');
    const parent = await start(h, { processDefinitionKey: 'gatewayParent' });
    const RELATIONS = `query($id: ID!) { processInstance(id: $id) {
      id parent { id }
      calledInstances { id definitionKey state activeActivityIds parent { id } tasks { id } }
      activityInstanceTree { activityId activityType childActivityInstances { activityId activityType childActivityInstances { activityId } } }
    } }`;
    const running = (await ok(h, RELATIONS, { id: parent.id })).processInstance;
    expect(running.parent).toBeNull();
    expect(running.calledInstances).toEqual([{ id: expect.any(String), definitionKey: 'gatewayChild', state: 'ACTIVE', activeActivityIds: ['childWork'], parent: { id: parent.id }, tasks: [{ id: expect.any(String) }] }]);
    expect(running.activityInstanceTree).toEqual({
      activityId: expect.stringMatching(/^gatewayParent:1:/),
      activityType: 'processDefinition',
      childActivityInstances: [{ activityId: 'callChild', activityType: 'callActivity', childActivityInstances: [] }],
    });
    const child = running.calledInstances[0];

    await ok(h, `mutation($id: ID!) { completeTask(id: $id) }`, { id: child.tasks[0].id });
    const after = (await ok(h, RELATIONS, { id: parent.id })).processInstance;
    expect(after.calledInstances).toEqual([{ id: child.id, definitionKey: 'gatewayChild', state: 'COMPLETED', activeActivityIds: [], parent: { id: parent.id }, tasks: [] }]);
    expect(after.activityInstanceTree.childActivityInstances).toEqual([{ activityId: 'after', activityType: 'userTask', childActivityInstances: [] }]);
    const ended = await ok(h, `query($id: ID!) { processInstance(id: $id) { state parent { id } activityInstanceTree { id } } }`, { id: child.id });
    expect(ended.processInstance).toEqual({ state: 'COMPLETED', parent: { id: parent.id }, activityInstanceTree: null });
    const sub = await ok(h, `query($id: ID!) { historicProcessInstances(filter: { superProcessInstanceId: $id }) { edges { node { id superProcessInstanceId rootProcessInstanceId } } } }`, { id: parent.id });
    expect(sub.historicProcessInstances.edges).toEqual([{ node: { id: child.id, superProcessInstanceId: parent.id, rootProcessInstanceId: parent.id } }]);
  });

  it('the activity instance tree shows an embedded subprocess as a scope, and a timer is a job without exception', async () => {
    await h.deployFixtures('Gateway.subprocess.bpmn');
    const pi = await start(h, { processDefinitionKey: 'gatewaySubprocess' });
    const tree = await ok(h, `query($id: ID!) { processInstance(id: $id) { activityInstanceTree { childActivityInstances { activityId activityType parentActivityInstanceId executionIds childActivityInstances { activityId activityType } } } tasks { id } } }`, { id: pi.id });
    const scopes = tree.processInstance.activityInstanceTree.childActivityInstances;
    expect(scopes).toEqual([
      { activityId: 'handling', activityType: 'subProcess', parentActivityInstanceId: pi.id, executionIds: [expect.any(String)], childActivityInstances: [{ activityId: 'pack', activityType: 'userTask' }] },
    ]);
    await ok(h, `mutation($id: ID!) { completeTask(id: $id) }`, { id: tree.processInstance.tasks[0].id });
    const timers = await ok(h, JOBS, { f: { processInstanceId: pi.id, withException: false, hasRetries: true } });
    expect(timers.jobs.edges.map((e: any) => e.node)).toEqual([expect.objectContaining({ activityId: 'wait', type: expect.stringMatching(/^timer/), retries: 3, exceptionMessage: null })]);
    expect((await ok(h, JOBS, { f: { processInstanceId: pi.id, withException: true } })).jobs.totalCount).toBe(0);
    expect((await ok(h, JOBS, { f: { processInstanceId: pi.id, type: 'async-continuation' } })).jobs.totalCount).toBe(0);
  });

  it('starts before a chosen activity, and sets and removes variables with their types', async () => {
    await h.deployFixtures('Gateway.failingJob.bpmn');
    const pi = await start(h, { processDefinitionKey: 'gatewayFailingJob', startBeforeActivityIds: ['review'] });
    expect(pi).toMatchObject({ state: 'ACTIVE', activeActivityIds: ['review'] });
    expect((await ok(h, JOBS, { f: { processInstanceId: pi.id } })).jobs.totalCount).toBe(0);
    const unknownActivity = await h.gql(START, { input: { processDefinitionKey: 'gatewayFailingJob', startBeforeActivityIds: ['nowhere'] } });
    expect(unknownActivity.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');

    const set = await ok(
      h,
      `mutation($id: ID!) { setVariables(executionId: $id, variables: [{ name: "due", type: "Date", value: "2030-01-02T03:04:05.000Z" }, { name: "count", type: "Long", value: 5 }]) { name type value } }`,
      { id: pi.id },
    );
    expect(set.setVariables).toEqual(
      expect.arrayContaining([
        { name: 'due', type: 'Date', value: '2030-01-02T03:04:05.000Z' },
        { name: 'count', type: 'Long', value: 5 },
      ]),
    );
    const removed = await ok(h, `mutation($id: ID!) { removeVariables(executionId: $id, names: ["count"]) { name } }`, { id: pi.id });
    expect(removed.removeVariables).toEqual([{ name: 'due' }]);
    const badType = await h.gql(`mutation($id: ID!) { setVariables(executionId: $id, variables: [{ name: "n", type: "Integer", value: "many" }]) { name } }`, { id: pi.id });
    expect(badType.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'variables.n' });
    const unknown = await h.gql(`mutation { setVariables(executionId: "no-such-execution", variables: [{ name: "n", value: 1 }]) { name } }`);
    expect(unknown.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const unknownFilter = await h.gql(`{ jobs(filter: { nope: 1 }) { totalCount } }`);
    expect(unknownFilter.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers engine info and health', async () => {
    const r = await ok(h, `{ engineInfo { version storeKind historyLevel sharesEvents } health { status database } }`);
    expect(r).toEqual({
      engineInfo: { version: expect.stringMatching(/^\d+\.\d+\.\d+/), storeKind: h.kind, historyLevel: 'full', sharesEvents: h.kind === 'postgres' },
      health: { status: 'UP', database: 'migrated' },
    });
  });

  it('a deployment reports its warnings as structured problems', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="http://cadenzaflow.org/test/gateway">
  <process id="gatewayWarned" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="groovy" />
    <scriptTask id="groovy" scriptFormat="groovy"><script>println 'hi'</script></scriptTask>
    <sequenceFlow id="f2" sourceRef="groovy" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;
    const r = await ok(h, `mutation($input: DeployInput!) { deploy(input: $input) { processDefinitions { key } warnings { severity elementId resource line column message } } }`, {
      input: { name: `warned-${randomUUID()}`, resources: [{ name: 'warned.bpmn', content: xml }] },
    });
    expect(r.deploy.processDefinitions).toEqual([{ key: 'gatewayWarned' }]);
    expect(r.deploy.warnings).toEqual([expect.objectContaining({ severity: 'warning', elementId: 'groovy', resource: 'warned.bpmn', line: expect.any(Number), column: expect.any(Number) })]);
  });
});
