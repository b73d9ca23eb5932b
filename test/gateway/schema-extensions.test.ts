import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { SchemaExtension } from '../../gateway/graphql/index.js';
import { startServer, type RunningServer } from '../../gateway/server.js';
import type { GatewayContext } from '../../schema/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

interface PiRoot {
  id: string;
}

/** A plugin's contribution: a field on ProcessInstance computed from the engine, a query, a subscription. */
const workload: SchemaExtension = {
  name: 'workload-plugin',
  typeDefs: `
    "How much open work an instance holds."
    type Workload { openTasks: Int! level: String! }
    extend type ProcessInstance { workload: Workload! }
    extend type Query {
      "Running instances of a key that have open tasks."
      busyInstances(definitionKey: String!): [ProcessInstance!]!
    }
    extend type Subscription { countdown(from: Int!): Int! }
  `,
  resolvers: {
    ProcessInstance: {
      workload: async (pi: PiRoot, _args: unknown, { engine }: GatewayContext) => {
        const openTasks = await engine.countTasks({ instanceId: pi.id });
        return { openTasks, level: openTasks > 0 ? 'WAITING_FOR_PEOPLE' : 'IDLE' };
      },
    },
    Query: {
      busyInstances: async (_root: unknown, { definitionKey }: { definitionKey: string }, { engine }: GatewayContext) => {
        const rows = await engine.findProcessInstances({ definitionKey });
        const busy = [];
        for (const r of rows) {
          if ((await engine.countTasks({ instanceId: r.id })) > 0) {
            busy.push({ id: r.id, businessKey: r.businessKey, definitionId: r.definitionId, definitionKey: r.definitionKey, state: r.suspended ? 'SUSPENDED' : 'ACTIVE' });
          }
        }
        return busy;
      },
    },
    Subscription: {
      countdown: {
        subscribe: async function* (_root: unknown, { from }: { from: number }) {
          for (let n = from; n >= 0; n--) yield { countdown: n };
        },
      },
    },
  },
};

async function post(server: RunningServer, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: { message: string }[] }> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: any; errors?: { message: string }[] };
}

engineSuite('GraphQL schema contributions', (h) => {
  let server: RunningServer;
  let subgraph: RunningServer;

  beforeAll(async () => {
    server = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1', graphql: { schemaExtensions: [workload] } });
    subgraph = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1', graphql: { schemaExtensions: [workload], federation: true } });
  });
  afterAll(async () => {
    await server?.close();
    await subgraph?.close();
  });

  const start = async (businessKey: string): Promise<string> => (await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayApproval', businessKey })).id;

  it('a contributed ProcessInstance field is computed from the engine beside the core fields', async () => {
    await h.deploy('Gateway.approval.bpmn');
    const id = await start('ext-1');
    const reply = await post(server, 'query($id: ID!) { processInstance(id: $id) { businessKey state workload { openTasks level } tasks { name } } }', { id });
    expect(reply.errors).toBeUndefined();
    expect(reply.data.processInstance).toEqual({ businessKey: 'ext-1', state: 'ACTIVE', workload: { openTasks: 1, level: 'WAITING_FOR_PEOPLE' }, tasks: [{ name: 'Approve order' }] });

    const [task] = await h.engine().findTasks({ instanceId: id });
    await h.engine().completeTask(task!.id);
    const ended = await post(server, 'query($id: ID!) { processInstance(id: $id) { state workload { openTasks level } } }', { id });
    expect(ended.data.processInstance).toEqual({ state: 'COMPLETED', workload: { openTasks: 0, level: 'IDLE' } });
  });

  it('a contributed query returns core ProcessInstance objects whose core fields resolve as usual', async () => {
    await h.deploy('Gateway.approval.bpmn');
    const busy = await start('ext-busy');
    const idle = await start('ext-idle');
    const [task] = await h.engine().findTasks({ instanceId: idle });
    await h.engine().completeTask(task!.id);
    const reply = await post(server, '{ busyInstances(definitionKey: "gatewayApproval") { id businessKey definition { key } workload { openTasks } } }');
    expect(reply.errors).toBeUndefined();
    const ids = reply.data.busyInstances.map((p: { id: string }) => p.id);
    expect(ids).toContain(busy);
    expect(ids).not.toContain(idle);
    expect(reply.data.busyInstances.find((p: { id: string }) => p.id === busy)).toEqual({ id: busy, businessKey: 'ext-busy', definition: { key: 'gatewayApproval' }, workload: { openTasks: 1 } });
  });

  it('a contributed subscription streams over graphql-ws', async () => {
    const client = createClient({ url: `${server.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const seen: number[] = [];
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ countdown: number }>({ query: 'subscription { countdown(from: 3) }' }, { next: (r) => seen.push(r.data!.countdown), error: reject, complete: resolve });
      });
      expect(seen).toEqual([3, 2, 1, 0]);
    } finally {
      await client.dispose();
    }
  });

  it('with federation on, the contribution is part of the subgraph and resolves on entities', async () => {
    await h.deploy('Gateway.approval.bpmn');
    const id = await start('ext-fed');
    const sdl: string = (await post(subgraph, '{ _service { sdl } }')).data._service.sdl;
    expect(sdl).toMatch(/type Workload\s*\{/);
    expect(sdl).toMatch(/type ProcessInstance\s+@key\(fields: "id"\)\s*\{[^}]*workload: Workload!/);
    const reply = await post(subgraph, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on ProcessInstance { id workload { openTasks } } } }', { r: [{ __typename: 'ProcessInstance', id }] });
    expect(reply.errors).toBeUndefined();
    expect(reply.data._entities).toEqual([{ id, workload: { openTasks: 1 } }]);
  });

  it('two contributions defining the same type are refused, naming the contribution and the type', async () => {
    const twin: SchemaExtension = { name: 'other-plugin', typeDefs: 'type Workload { hours: Int! }', resolvers: {} };
    await expect(startServer({ engine: h.engine(), port: 0, graphql: { schemaExtensions: [workload, twin] } })).rejects.toThrow(
      "Schema contribution 'other-plugin': defines type Workload, already defined by contribution 'workload-plugin'",
    );
  });

  it('two contributions adding the same field are refused, naming the contribution and the type.field', async () => {
    const twin: SchemaExtension = { name: 'other-plugin', typeDefs: 'extend type ProcessInstance { workload: Int }', resolvers: {} };
    await expect(startServer({ engine: h.engine(), port: 0, graphql: { schemaExtensions: [workload, twin] } })).rejects.toThrow(
      "Schema contribution 'other-plugin': defines field ProcessInstance.workload, already defined by contribution 'workload-plugin'",
    );
  });

  it('a contribution redefining a core field or type is refused', async () => {
    const field: SchemaExtension = { name: 'sneaky-plugin', typeDefs: 'extend type ProcessInstance { businessKey: String }', resolvers: {} };
    await expect(startServer({ engine: h.engine(), port: 0, graphql: { schemaExtensions: [field] } })).rejects.toThrow(
      "Schema contribution 'sneaky-plugin': redefines the core field ProcessInstance.businessKey",
    );
    const query: SchemaExtension = { name: 'sneaky-plugin', typeDefs: 'extend type Query { tasks: [Task!]! }', resolvers: {} };
    await expect(startServer({ engine: h.engine(), port: 0, graphql: { schemaExtensions: [query] } })).rejects.toThrow('redefines the core field Query.tasks');
    const type: SchemaExtension = { name: 'sneaky-plugin', typeDefs: 'type Task { id: ID! }', resolvers: {} };
    await expect(startServer({ engine: h.engine(), port: 0, graphql: { schemaExtensions: [type] } })).rejects.toThrow('defines type Task, which is a core type');
  });

  it('a resolver for a field the contribution does not define, or SDL that does not parse, is refused', async () => {
    const hijack: SchemaExtension = { name: 'hijack-plugin', typeDefs: 'extend type Query { mine: Int }', resolvers: { Query: { mine: () => 1, tasks: () => [] } } };
    await expect(startServer({ engine: h.engine(), port: 0, graphql: { schemaExtensions: [hijack] } })).rejects.toThrow(
      "Schema contribution 'hijack-plugin': resolves Query.tasks, which its typeDefs do not define",
    );
    const broken: SchemaExtension = { name: 'broken-plugin', typeDefs: 'extend type Query { mine: }', resolvers: {} };
    await expect(startServer({ engine: h.engine(), port: 0, graphql: { schemaExtensions: [broken] } })).rejects.toThrow("Schema contribution 'broken-plugin': typeDefs do not parse");
    const unknown: SchemaExtension = { name: 'typo-plugin', typeDefs: 'extend type ProcesInstance { x: Int }', resolvers: {} };
    await expect(startServer({ engine: h.engine(), port: 0, graphql: { schemaExtensions: [unknown] } })).rejects.toThrow(/Schema contribution 'typo-plugin': .*ProcesInstance/);
  });
});
