/**
 * Two gateway nodes on one PostgreSQL schema (two engines, two servers):
 * a subscriber on one node sees what the other committed, through the
 * store's committed-events bus (LISTEN/NOTIFY), exactly once.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Engine } from '../../engine/index.js';
import { startServer, type RunningServer } from '../../gateway/server.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';
import { eventually } from '../helpers/clock.js';

interface Node {
  engine: Engine;
  server: RunningServer;
}

async function gql(node: Node, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`${node.server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const json = (await res.json()) as { data?: any; errors?: unknown[] };
  expect(json.errors).toBeUndefined();
  return json.data;
}

engineSuite(
  'cross-node subscriptions',
  (h) => {
    let a: Node;
    let b: Node;
    const clients: Client[] = [];

    beforeAll(async () => {
      const engineB = await h.secondEngine();
      a = { engine: h.engine(), server: await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1' }) };
      b = { engine: engineB, server: await startServer({ engine: engineB, port: 0, host: '127.0.0.1' }) };
      await gql(a, `mutation($input: DeployInput!) { deploy(input: $input) { id } }`, {
        input: { name: 'cross-node', resources: [{ name: 'Gateway.approval.bpmn', content: fixture('Gateway.approval.bpmn') }] },
      });
    });
    afterEach(async () => {
      for (const c of clients.splice(0)) await c.dispose();
    });
    afterAll(async () => {
      await a?.server.close();
      await b?.server.close();
    });

    /** Subscribes on a node; resolves once the server has registered the subscription. */
    async function subscribe<T>(node: Node, query: string, variables: Record<string, unknown> = {}): Promise<{ received: T[]; errors: unknown[] }> {
      const client = createClient({ url: `${node.server.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
      clients.push(client);
      const received: T[] = [];
      const errors: unknown[] = [];
      client.subscribe<T>({ query, variables }, { next: (r) => (r.errors ? errors.push(...r.errors) : received.push(r.data as T)), error: (e) => errors.push(e), complete: () => {} });
      await new Promise<void>((resolve, reject) => client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve }));
      return { received, errors };
    }

    it('a subscriber on node A sees instances, tasks and variables node B committed, and each node delivers every event once', async () => {
      const onA = await subscribe<{ instanceChanged: any }>(a, `subscription { instanceChanged(definitionKey: "gatewayApproval") { id state activeActivityIds } }`);
      const tasksOnA = await subscribe<{ taskEvents: any }>(a, `subscription { taskEvents(candidateGroup: "management") { kind taskId assignee } }`);
      const onB = await subscribe<{ instanceChanged: any }>(b, `subscription { instanceChanged(definitionKey: "gatewayApproval") { id state } }`);

      const started = await gql(b, `mutation { startProcessInstance(input: { processDefinitionKey: "gatewayApproval", businessKey: "cross-1" }) { id tasks { id } } }`);
      const pi = started.startProcessInstance;
      const taskId: string = pi.tasks[0].id;
      // Node A reads the instance's state when the change arrives: let it see this one before the next command.
      await eventually(async () => onA.received.length === 1, 10_000, 'node A to see the start on node B');
      await gql(b, `mutation($id: ID!) { claimTask(id: $id, userId: "kermit") { id } }`, { id: taskId });
      await gql(b, `mutation($id: ID!) { completeTask(id: $id) }`, { id: taskId });

      await eventually(async () => onA.received.some((c) => c.instanceChanged.state === 'COMPLETED'), 10_000, 'node A to see the instance complete on node B');
      await eventually(async () => onB.received.some((c) => c.instanceChanged.state === 'COMPLETED'), 10_000, 'node B to see its own completion');
      await eventually(async () => tasksOnA.received.length === 3, 10_000, "node A to see node B's task events");
      // A last command whose events arrive after everything above: anything duplicated would be in by now.
      const sentinel = (await gql(b, `mutation { startProcessInstance(input: { processDefinitionKey: "gatewayApproval", businessKey: "cross-sentinel" }) { id } }`)).startProcessInstance;
      await eventually(async () => onA.received.some((c) => c.instanceChanged.id === sentinel.id) && onB.received.some((c) => c.instanceChanged.id === sentinel.id), 10_000, 'the sentinel');

      expect(onA.received.map((c) => c.instanceChanged)).toEqual([
        { id: pi.id, state: 'ACTIVE', activeActivityIds: ['approve'] },
        { id: pi.id, state: 'COMPLETED', activeActivityIds: [] },
        { id: sentinel.id, state: 'ACTIVE', activeActivityIds: ['approve'] },
      ]);
      expect(onB.received.map((c) => c.instanceChanged)).toEqual([
        { id: pi.id, state: 'ACTIVE' },
        { id: pi.id, state: 'COMPLETED' },
        { id: sentinel.id, state: 'ACTIVE' },
      ]);
      expect(tasksOnA.received.filter((e) => e.taskEvents.taskId === taskId).map((e) => [e.taskEvents.kind, e.taskEvents.assignee])).toEqual([
        ['CREATED', null],
        ['ASSIGNED', 'kermit'],
        ['COMPLETED', 'kermit'],
      ]);
      expect([...onA.errors, ...onB.errors, ...tasksOnA.errors]).toEqual([]);
    });

    it('a command with more events than one notification holds reaches the other node whole and in order, large values read back from the database', async () => {
      const started = await gql(a, `mutation { startProcessInstance(input: { processDefinitionKey: "gatewayApproval" }) { id } }`);
      const piId: string = started.startProcessInstance.id;
      const onA = await subscribe<{ variableEvents: any }>(a, `subscription($id: ID!) { variableEvents(processInstanceId: $id) { kind name value } }`, { id: piId });

      const big = 'x'.repeat(20_000);
      const many = Array.from({ length: 60 }, (_, i) => ({ name: `v${String(i).padStart(2, '0')}`, value: `value number ${i} with some padding to make the events bigger` }));
      await gql(b, `mutation($id: ID!, $v: [VariableInput!]!) { setVariables(executionId: $id, variables: $v) { name } }`, { id: piId, v: [...many, { name: 'big', value: big }] });

      await eventually(async () => onA.received.length >= 61, 10_000, "node A to receive all 61 variable events of node B's command");
      expect(onA.received.map((e) => e.variableEvents.name)).toEqual([...many.map((v) => v.name), 'big']);
      expect(onA.received.slice(0, 60).map((e) => e.variableEvents.value)).toEqual(many.map((v) => v.value));
      expect(onA.received[60]!.variableEvents).toEqual({ kind: 'CREATED', name: 'big', value: big });
    });
  },
  () => ({}),
  ['postgres'],
);
