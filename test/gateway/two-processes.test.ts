/**
 * Two gateway processes — each `cadenzaflow start`, as an operator runs them —
 * on one PostgreSQL schema: a subscriber connected to one sees what the other
 * committed, end to end over real HTTP and graphql-ws.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TEST_DATABASE_URL, tempDir, testSchema } from '../helpers/stores.js';
import { eventually } from './graphql-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Node {
  proc: ChildProcess;
  url: string;
  output: string[];
}

/** Starts `cadenzaflow start` on a free port and waits for the URL it prints. */
function startNode(env: Record<string, string>): Promise<Node> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin', 'cli.ts'), 'start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start in time:\n${output.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const m = /GraphQL \(queries, mutations, subscriptions over graphql-ws\): (http:\/\/[^/\s]+)\/graphql/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, output });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${code}:\n${output.join('')}`));
    });
  });
}

async function gql<T = any>(node: Node, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${node.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

describe('two gateway processes on one PostgreSQL', () => {
  const schema = testSchema();
  const dataDir = tempDir();
  const nodes: Node[] = [];
  let client: Client;

  beforeAll(async () => {
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.schema, DATA_DIR: dataDir.path, PROCESSES_DIR: join(ROOT, 'processes') };
    // One after the other: the second finds the demo deployed and filters it as a duplicate.
    nodes.push(await startNode(env));
    nodes.push(await startNode(env));
    client = createClient({ url: `${nodes[1]!.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  }, 150_000);

  afterAll(async () => {
    await client?.dispose();
    for (const n of nodes) n.proc.kill('SIGTERM');
    await Promise.all(nodes.map((n) => new Promise((resolve) => (n.proc.exitCode !== null ? resolve(null) : n.proc.once('exit', resolve)))));
    await schema.drop();
    dataDir.remove();
  }, 30_000);

  it('the second node deployed nothing new, and a subscriber on it sees an instance started and completed on the first', async () => {
    expect(nodes[1]!.output.join('')).toMatch(/Deployment 'processes' unchanged/);
    const businessKey = `two-processes-${Date.now()}`;
    const seen: { state: string; activeActivityIds: string[] }[] = [];
    const errors: unknown[] = [];
    const stop = client.subscribe<{ instanceChanged: { state: string; activeActivityIds: string[] } }>(
      { query: 'subscription($bk: String) { instanceChanged(businessKey: $bk) { state activeActivityIds } }', variables: { bk: businessKey } },
      { next: (r) => (r.data ? seen.push(r.data.instanceChanged) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => {} },
    );
    // The server has the subscription once a later operation on the same socket has answered.
    await new Promise<void>((resolve, reject) => client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve }));

    const started = await gql<{ startProcessInstance: { id: string } }>(
      nodes[0]!,
      'mutation($input: StartProcessInstanceInput!) { startProcessInstance(input: $input) { id } }',
      { input: { processDefinitionKey: 'orderApproval', businessKey, variables: [{ name: 'amount', type: 'Integer', value: 5000 }] } },
    );
    await eventually(() => seen.some((e) => e.activeActivityIds.includes('approveOrder')), 10_000, 'the start seen on the other node');
    const tasks = await gql<{ tasks: { edges: { node: { id: string } }[] } }>(nodes[0]!, '{ tasks(filter: { processInstanceId: "' + started.startProcessInstance.id + '" }) { edges { node { id } } } }');
    await gql(nodes[0]!, 'mutation($id: ID!) { completeTask(id: $id, variables: [{ name: "approved", value: true }]) }', { id: tasks.tasks.edges[0]!.node.id });
    await eventually(() => seen.some((e) => e.state === 'COMPLETED'), 10_000, 'the completion seen on the other node');
    stop();
    expect(errors).toEqual([]);
    expect(seen.filter((e) => e.state === 'COMPLETED')).toHaveLength(1);
  }, 60_000);
});
