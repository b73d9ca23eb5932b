import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../gateway/server.js';
import { engineSuite } from '../helpers/engine-harness.js';

/** The value of one sample in Prometheus text format; 0 when the series does not exist yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

engineSuite('Prometheus metrics', (h) => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  const scrape = async (): Promise<string> => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('counts started, completed and cancelled instances by definition key, and completed activities by type', async () => {
    await h.deploy('Gateway.approval.bpmn');
    const before = await scrape();
    const done = await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayApproval' });
    const [task] = await h.engine().findTasks({ instanceId: done.id });
    await h.engine().completeTask(task!.id);
    const cancelled = await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayApproval' });
    await h.engine().deleteProcessInstance(cancelled.id, 'no longer needed');
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('cadenzaflow_process_instances_started_total', { definition_key: 'gatewayApproval' })).toBe(2);
    expect(delta('cadenzaflow_process_instances_completed_total', { definition_key: 'gatewayApproval' })).toBe(1);
    expect(delta('cadenzaflow_process_instances_terminated_total', { definition_key: 'gatewayApproval', state: 'EXTERNALLY_TERMINATED' })).toBe(1);
    expect(delta('cadenzaflow_activity_instances_completed_total', { activity_type: 'userTask' })).toBe(1);
    expect(delta('cadenzaflow_activity_instances_completed_total', { activity_type: 'startEvent' })).toBe(2);
    expect(delta('cadenzaflow_activity_instances_completed_total', { activity_type: 'noneEndEvent' })).toBe(1);
    expect(delta('cadenzaflow_activity_instances_canceled_total', { activity_type: 'userTask' })).toBe(1);
  });

  it('a command that fails and rolls back counts nothing', async () => {
    await h.deploy('Engine.failingStart.bpmn');
    const before = sample(await scrape(), 'cadenzaflow_process_instances_started_total', { definition_key: 'failingStart' });
    await expect(h.engine().startProcessInstance({ processDefinitionKey: 'failingStart' })).rejects.toThrow('cannot prepare');
    expect(sample(await scrape(), 'cadenzaflow_process_instances_started_total', { definition_key: 'failingStart' })).toBe(before);
  });

  it('counts job executions and failures by job type, and reads open incidents from the store', async () => {
    await h.deploy('Gateway.asyncScript.bpmn');
    const before = await scrape();
    await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayAsyncScript', variables: { fail: false } });
    const failing = await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayAsyncScript', variables: { fail: true } });
    // Three retries by default: the failing job runs three times, then waits with an incident.
    await h.engine().runDueJobs();
    expect(await h.engine().countIncidents({ instanceId: failing.id })).toBe(1);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('cadenzaflow_job_executions_total', { job_type: 'async-continuation' })).toBe(1);
    expect(delta('cadenzaflow_job_failures_total', { job_type: 'async-continuation' })).toBe(3);
    expect(delta('cadenzaflow_incidents_open', { type: 'failedJob' })).toBe(1);

    const [incident] = await h.engine().findIncidents({ instanceId: failing.id });
    await h.engine().deleteProcessInstance(failing.id);
    expect(await h.engine().countIncidents({ id: incident!.id })).toBe(0);
    expect(sample(await scrape(), 'cadenzaflow_incidents_open', { type: 'failedJob' })).toBe(sample(before, 'cadenzaflow_incidents_open', { type: 'failedJob' }));
  });

  it('times GraphQL requests by operation type and name, and /engine-rest requests by resource and status', async () => {
    const before = await scrape();
    const gql = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Definitions { processDefinitions { totalCount } }' }),
    });
    expect(gql.status).toBe(200);
    expect((await fetch(`${server.url}/engine-rest/task?maxResults=5`)).status).toBe(200);
    expect((await fetch(`${server.url}/engine-rest/engine/default/task/no-such-task`)).status).toBe(404);
    const after = await scrape();

    const count = (text: string, name: string, labels: Record<string, string>) => sample(text, `${name}_count`, labels);
    const gqlLabels = { operation_type: 'query', operation_name: 'Definitions' };
    expect(count(after, 'cadenzaflow_graphql_request_duration_seconds', gqlLabels) - count(before, 'cadenzaflow_graphql_request_duration_seconds', gqlLabels)).toBe(1);
    expect(sample(after, 'cadenzaflow_graphql_request_duration_seconds_bucket', { ...gqlLabels, le: '+Inf' })).toBeGreaterThanOrEqual(1);
    const ok = { method: 'GET', resource: 'task', status: '200' };
    const missing = { method: 'GET', resource: 'task', status: '404' };
    expect(count(after, 'cadenzaflow_engine_rest_request_duration_seconds', ok) - count(before, 'cadenzaflow_engine_rest_request_duration_seconds', ok)).toBe(1);
    expect(count(after, 'cadenzaflow_engine_rest_request_duration_seconds', missing) - count(before, 'cadenzaflow_engine_rest_request_duration_seconds', missing)).toBe(1);
    // Ids never become label values.
    expect(after).not.toContain('no-such-task');
    // Node's own process metrics come along.
    expect(sample(after, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('a server started with metrics off serves no /metrics', async () => {
    const off = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1', metrics: false });
    try {
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
