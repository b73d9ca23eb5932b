/**
 * Request limits of /graphql — depth, aliases, tokens and cost — over HTTP
 * and over graphql-ws, each refused with the limit and the value reached;
 * CSRF prevention; introspection off unless switched on; the body cap on
 * websocket messages too.
 */
import { getIntrospectionQuery } from 'graphql';
import type { Client } from 'graphql-ws';
import { expect, it } from 'vitest';
import { startServer } from '../../gateway/server.js';
import { eventually } from '../helpers/clock.js';
import { recordSocket, securedSuite } from './secured-harness.js';

interface Result {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One operation over graphql-ws: its result, or the errors it was refused with. */
function overWebsocket(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<Result> {
  return new Promise((resolve) => {
    let result: Result = {};
    client.subscribe(
      { query, variables },
      {
        next: (r) => (result = r as Result),
        error: (e) => resolve({ errors: e as Result['errors'] }),
        complete: () => resolve(result),
      },
    );
  });
}

const DEEP = '{ processInstances { edges { node { tasks { id } } } } }';
const DEEP_BY_FRAGMENT = 'query { ...Deep } fragment Deep on Query { processInstances { edges { node { tasks { id } } } } }';
const ALIASES = '{ a: tasks { totalCount } b: tasks { totalCount } c: tasks { totalCount } d: tasks { totalCount } }';
const MANY_TOKENS = `{ ${'__typename '.repeat(70)}}`;
const COSTLY = 'query($n: Int) { processInstances(first: $n) { edges { node { id businessKey } } } }';

const refusals: [what: string, query: string, variables: Record<string, unknown>, code: string, message: string][] = [
  ['depth', DEEP, {}, 'GRAPHQL_VALIDATION_FAILED', 'Query depth is 5, more than the limit of 4'],
  ['depth through a fragment', DEEP_BY_FRAGMENT, {}, 'GRAPHQL_VALIDATION_FAILED', 'Query depth is 5, more than the limit of 4'],
  ['aliases', ALIASES, {}, 'GRAPHQL_VALIDATION_FAILED', 'Query has 4 aliases, more than the limit of 3'],
  ['tokens', MANY_TOKENS, {}, 'GRAPHQL_VALIDATION_FAILED', 'Query has 72 tokens, more than the limit of 60'],
  ['cost', COSTLY, { n: 100 }, 'BAD_USER_INPUT', 'Query cost is 401, more than the limit of 200 (every field costs 1; first/last multiply what a connection selects)'],
  ['cost with last', '{ processInstances(last: 60) { edges { node { id businessKey } } } }', {}, 'BAD_USER_INPUT', 'Query cost is 241, more than the limit of 200 (every field costs 1; first/last multiply what a connection selects)'],
];

securedSuite(
  'GraphQL request limits',
  () => ({ graphql: { limits: { maxDepth: 4, maxAliases: 3, maxTokens: 60, maxCost: 200 }, introspection: false, maxBodyBytes: 64 * 1024 } }),
  (h) => {
    it('each limit refuses an HTTP request with the limit and the value it reached', async () => {
      for (const [what, query, variables, code, message] of refusals) {
        const r = await h.gql(query, variables);
        expect({ what, status: r.status, errors: r.errors }).toEqual({ what, status: 400, errors: [expect.objectContaining({ message, extensions: { code } })] });
      }
    });

    it('each limit refuses a graphql-ws operation the same way', async () => {
      const client = h.wsClient();
      for (const [what, query, variables, code, message] of refusals) {
        const r = await overWebsocket(client, query, variables);
        expect({ what, errors: r.errors }).toEqual({ what, errors: [expect.objectContaining({ message, extensions: { code } })] });
      }
      const subscription = await overWebsocket(client, 'subscription { a: taskEvents { taskId } b: taskEvents { taskId } c: taskEvents { taskId } d: taskEvents { taskId } }');
      expect(subscription.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    });

    it('requests within the limits are served, also when the page size comes from a variable', async () => {
      const within = [COSTLY, { n: 10 }] as const;
      expect((await h.gql(...within)).data).toEqual({ processInstances: { edges: [] } });
      expect((await overWebsocket(h.wsClient(), ...within)).data).toEqual({ processInstances: { edges: [] } });
    });

    it('a document far over the token limit is not even parsed', async () => {
      const r = await h.gql(`{ ${'__typename '.repeat(250)}}`);
      expect(r.status).toBe(400);
      expect(r.errors).toEqual([expect.objectContaining({ message: 'Syntax Error: Document contains more that 240 tokens. Parsing aborted.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } })]);
      const ws = await overWebsocket(h.wsClient(), `{ ${'__typename '.repeat(250)}}`);
      expect(ws.errors).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } })]);
    });

    it('a GET, or a POST with a content type a form can send, is refused without a preflight header (CSRF)', async () => {
      const get = await fetch(`${h.url()}/graphql?query=${encodeURIComponent('{ __typename }')}`);
      expect(get.status).toBe(400);
      expect(await get.text()).toContain('Cross-Site Request Forgery');
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const post = await fetch(`${h.url()}/graphql`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ query: '{ __typename }' }) });
        expect({ type, status: post.status }).toEqual({ type, status: 400 });
        expect(await post.text()).toContain('Cross-Site Request Forgery');
      }
      const preflighted = await fetch(`${h.url()}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(preflighted.status).toBe(200);
      expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
    });

    it('introspection is refused when it is off, over HTTP and graphql-ws', async () => {
      const query = '{ __schema { queryType { name } } }';
      const http = await h.gql(query);
      const refused = [expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' }, message: 'Introspection is switched off on this server (GRAPHQL_INTROSPECTION), but the query asks for __schema' })];
      expect(http.errors).toEqual(refused);
      expect((await overWebsocket(h.wsClient(), query)).errors).toEqual(refused);
      expect((await h.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    });

    it('a websocket message larger than the body cap closes the connection', async () => {
      const socket = h.rawSocket();
      const record = recordSocket(socket);
      await record.opened;
      socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(100 * 1024) } }));
      await eventually(async () => record.closed, 5000, 'the socket to close');
      expect(record.closed!.code).toBe(1009);
    });
  },
);

securedSuite(
  'GraphQL introspection switched on, default limits',
  () => ({ graphql: { introspection: true } }),
  (h) => {
    it('the full introspection query of GraphQL tools passes the default limits', async () => {
      const r = await h.gql(getIntrospectionQuery());
      expect(r.errors).toBeUndefined();
      expect(r.data.__schema.queryType).toMatchObject({ name: 'Query' });
    });

    it('the default cost limit refuses a handful of full pages in one request', async () => {
      const page = 'processInstances(first: 100) { edges { node { id businessKey state definitionId definitionKey } } }';
      const r = await h.gql(`{ ${['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((alias) => `${alias}: ${page}`).join(' ')} }`);
      expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/^Query cost is 5608, more than the limit of 5000/) })]);
    });
  },
);

it('introspection is off by default outside development', async () => {
  const { Engine } = await import('../../engine/index.js');
  const { tempDir } = await import('../helpers/stores.js');
  const dir = tempDir();
  const engine = await Engine.create({ storeConfig: { dataDir: dir.path } });
  const server = await startServer({ engine, port: 0, metrics: false, explorer: false });
  try {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }) });
    const body = (await res.json()) as Result;
    expect(process.env['NODE_ENV']).not.toBe('development');
    expect(body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  } finally {
    await server.close();
    await engine.close();
    dir.remove();
  }
});
