/**
 * The operation cache answers a repeated operation without Apollo's pipeline;
 * a client must not be able to tell: every answer here is compared with the
 * one Apollo gave for the same request, and /metrics says which of them the
 * cache served.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../bin/config.js';
import { allBut, securedSuite, testKey, type Headers } from './secured-harness.js';

interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

const START = 'mutation Start($key: String!, $vars: [VariableInput!]) { startProcessInstance(input: { processDefinitionKey: $key, variables: $vars }) { state definitionKey variables { name type value } } }';
const COSTLY = 'query Costly($n: Int) { processInstances(first: $n) { edges { node { businessKey } } } }';
const TWO_OPERATIONS = 'query A { engineInfo { version } } query B { __typename }';

const operator = testKey('operator');
const reader = testKey('reader', allBut('START'));

async function post(url: string, body: unknown, headers: Headers = {}): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': operator.key, ...headers }, body: JSON.stringify(body) });
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
}

async function cacheHits(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('cadenzaflow_graphql_operation_cache_hits_total '));
  if (!line) throw new Error('no cache hit counter in /metrics');
  return Number(line.split(' ')[1]);
}

/** Sends the same request twice: Apollo answers the first, the cache the second. */
async function twice(url: string, body: unknown, headers: Headers = {}): Promise<{ apollo: Answer; cached: Answer; hits: number }> {
  const before = await cacheHits(url);
  const apollo = await post(url, body, headers);
  const cached = await post(url, body, headers);
  return { apollo, cached, hits: (await cacheHits(url)) - before };
}

securedSuite(
  'the GraphQL operation cache',
  () => ({ metrics: true, auth: { apiKeys: [operator, reader] }, graphql: { limits: { maxCost: 200 } } }),
  (h) => {
    it('a repeated operation is answered from the cache with Apollo’s status, content type and body, for every Accept header it knows', async () => {
      await h.deploy('Gateway.approval.bpmn');
      const accepts = [undefined, '*/*', 'application/json', 'application/json, text/plain, */*', 'application/graphql-response+json', 'application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json,application/json;q=0.9'];
      for (const [i, accept] of accepts.entries()) {
        // A comment makes each query text new, so Apollo answers it first.
        const body = { query: `# accept ${i}\n${START}`, variables: { key: 'gatewayApproval', vars: [{ name: 'amount', type: 'Integer', value: 7 }] } };
        const { apollo, cached, hits } = await twice(h.url(), body, accept === undefined ? {} : { accept });
        expect({ accept, hits, cached }).toEqual({ accept, hits: 1, cached: apollo });
        expect(JSON.parse(cached.body)).toEqual({ data: { startProcessInstance: { state: 'ACTIVE', definitionKey: 'gatewayApproval', variables: [{ name: 'amount', type: 'Integer', value: 7 }] } } });
      }
    });

    it('errors thrown by resolvers keep their code, field, path and locations', async () => {
      const missing = await twice(h.url(), { query: START, variables: { key: 'noSuchProcess' } });
      expect(missing.cached).toEqual(missing.apollo);
      expect(missing.hits).toBe(1);
      expect(JSON.parse(missing.cached.body).errors).toEqual([{ message: "No processes deployed with key 'noSuchProcess'", locations: [{ line: 1, column: 58 }], path: ['startProcessInstance'], extensions: { code: 'NOT_FOUND' } }]);

      const badValue = await twice(h.url(), { query: START, variables: { key: 'gatewayApproval', vars: [{ name: 'amount', type: 'Integer', value: 'seven' }] } });
      expect(badValue.cached).toEqual(badValue.apollo);
      expect(JSON.parse(badValue.cached.body).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: expect.stringContaining('input.variables') });

      const forbidden = await twice(h.url(), { query: START, variables: { key: 'gatewayApproval' } }, { 'x-api-key': reader.key });
      expect(forbidden.cached).toEqual(forbidden.apollo);
      expect(JSON.parse(forbidden.cached.body).errors[0].extensions).toEqual({ code: 'FORBIDDEN' });
    });

    it('variables that do not coerce and operations over the cost limit are answered by Apollo, as before', async () => {
      await post(h.url(), { query: START, variables: { key: 'gatewayApproval' } });
      const before = await cacheHits(h.url());
      const wrongType = await post(h.url(), { query: START, variables: { key: 5 } });
      expect(wrongType.status).toBe(400);
      expect(JSON.parse(wrongType.body).errors[0]).toMatchObject({ message: expect.stringContaining('$key'), extensions: { code: 'BAD_USER_INPUT' } });

      expect((await post(h.url(), { query: COSTLY, variables: { n: 2 } })).status).toBe(200);
      const tooCostly = await post(h.url(), { query: COSTLY, variables: { n: 100 } });
      expect(tooCostly.status).toBe(400);
      expect(JSON.parse(tooCostly.body).errors[0]).toMatchObject({ message: expect.stringContaining('more than the limit of 200'), extensions: { code: 'BAD_USER_INPUT' } });
      expect(await cacheHits(h.url())).toBe(before);
      // Within the limit again: from the cache.
      expect((await post(h.url(), { query: COSTLY, variables: { n: 3 } })).status).toBe(200);
      expect(await cacheHits(h.url())).toBe(before + 1);
    });

    it('each operation of a document is kept under its own name, and an unknown Accept header or extensions go to Apollo', async () => {
      const a = await twice(h.url(), { query: TWO_OPERATIONS, operationName: 'A' });
      const b = await twice(h.url(), { query: TWO_OPERATIONS, operationName: 'B' });
      expect([a.hits, b.hits]).toEqual([1, 1]);
      expect(JSON.parse(a.cached.body)).toEqual({ data: { engineInfo: { version: expect.any(String) } } });
      expect(JSON.parse(b.cached.body)).toEqual({ data: { __typename: 'Query' } });
      const none = await twice(h.url(), { query: TWO_OPERATIONS });
      expect(none.cached).toEqual(none.apollo);
      expect(none.cached.status).toBe(400);

      const before = await cacheHits(h.url());
      expect((await post(h.url(), { query: TWO_OPERATIONS, operationName: 'B' }, { accept: 'application/graphql-response+json;q=0.5, application/json' })).status).toBe(200);
      expect((await post(h.url(), { query: TWO_OPERATIONS, operationName: 'B', extensions: {} })).status).toBe(200);
      expect(await cacheHits(h.url())).toBe(before);
    });
  },
);

securedSuite(
  'the GraphQL operation cache with introspection off',
  () => ({ metrics: true, graphql: { introspection: false } }),
  (h) => {
    it('a refused document is never kept: the second request is refused the same way', async () => {
      const query = { query: '{ __schema { queryType { name } } }' };
      const { apollo, cached, hits } = await twice(h.url(), query);
      expect(hits).toBe(0);
      expect(cached).toEqual(apollo);
      expect(cached.status).toBe(400);
    });
  },
);

securedSuite(
  'the GraphQL operation cache switched off',
  () => ({ metrics: true, graphql: { operationCache: false } }),
  (h) => {
    it('every request goes through Apollo', async () => {
      expect((await twice(h.url(), { query: '{ engineInfo { version } }' })).hits).toBe(0);
    });
  },
);

securedSuite(
  'the GraphQL operation cache with more Apollo plugins',
  () => ({ metrics: true, graphql: { plugins: [{ requestDidStart: async () => ({}) }] } }),
  (h) => {
    it('is off, so those plugins see every request', async () => {
      expect((await twice(h.url(), { query: '{ engineInfo { version } }' })).hits).toBe(0);
    });
  },
);

it('GRAPHQL_OPERATION_CACHE switches the cache of `cadenzaflow start`, on by default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cadenzaflow-cache-config-'));
  try {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '{}');
    expect(loadConfig({ CADENZAFLOW_CONFIG: empty }).graphqlOperationCache).toBe(true);
    expect(loadConfig({ CADENZAFLOW_CONFIG: empty, GRAPHQL_OPERATION_CACHE: 'off' }).graphqlOperationCache).toBe(false);
    expect(() => loadConfig({ CADENZAFLOW_CONFIG: empty, GRAPHQL_OPERATION_CACHE: 'sometimes' })).toThrow("GRAPHQL_OPERATION_CACHE must be on or off, got 'sometimes'");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
