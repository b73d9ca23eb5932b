/**
 * `graphqlSuite` runs an `engineSuite` (embedded store and PostgreSQL) with
 * the node's HTTP server on 127.0.0.1, port 0, a fetch client for POST
 * /graphql and real graphql-ws clients (the `ws` package) for subscriptions.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../gateway/server.js';
import { engineSuite, fixture, type Harness } from '../helpers/engine-harness.js';

export interface GraphqlReply<T = any> {
  status: number;
  data: T | null | undefined;
  errors: { message: string; path?: (string | number)[]; extensions: Record<string, any> }[] | undefined;
}

/** A running subscription: everything received so far, and a wait for a condition on it. */
export interface Subscription<T> {
  readonly received: T[];
  readonly errors: unknown[];
  waitFor(predicate: (received: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

export interface GraphqlHarness extends Harness {
  url(): string;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphqlReply<T>>;
  /** A connected graphql-ws client, closed after the test. */
  wsClient(): Client;
  subscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<Subscription<T>>;
  /** Deploys fixtures through the `deploy` mutation. */
  deployFixtures(...files: string[]): Promise<GraphqlReply>;
}

/** Polls `condition` until it holds or the deadline passes. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function graphqlSuite(name: string, body: (h: GraphqlHarness) => void): void {
  engineSuite(name, (base) => {
    let server: RunningServer | null = null;
    const clients: Client[] = [];
    beforeAll(async () => {
      server = await startServer({ engine: base.engine(), port: 0, host: '127.0.0.1' });
    });
    afterEach(async () => {
      for (const c of clients.splice(0)) await c.dispose();
    });
    afterAll(async () => {
      await server?.close();
    });
    const url = (): string => {
      if (!server) throw new Error('server not started');
      return server.url;
    };
    const gql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlReply<T>> => {
      const res = await fetch(`${url()}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const json = (await res.json()) as { data?: T | null; errors?: GraphqlReply['errors'] };
      return { status: res.status, data: json.data, errors: json.errors };
    };
    const h: GraphqlHarness = {
      ...base,
      url,
      gql,
      wsClient: () => {
        const client = createClient({ url: `${url().replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
        clients.push(client);
        return client;
      },
      subscribe: async <T>(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<Subscription<T>> => {
        const received: T[] = [];
        const errors: unknown[] = [];
        const stop = client.subscribe<T>(
          { query, variables },
          {
            next: (r) => {
              if (r.errors) errors.push(...r.errors);
              if (r.data) received.push(r.data);
            },
            error: (e) => errors.push(e),
            complete: () => {},
          },
        );
        // graphql-ws acknowledges the connection, not each subscription: a query on the same
        // socket, sent after the subscription, answers once the server has handled both.
        await new Promise<void>((resolve, reject) => {
          client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve });
        });
        return {
          received,
          errors,
          stop,
          waitFor: async (predicate, timeoutMs = 5000) => {
            await eventually(() => errors.length > 0 || predicate(received), timeoutMs, 'subscription events');
            if (errors.length > 0 && !predicate(received)) throw new Error(`Subscription failed: ${JSON.stringify(errors)}`);
            return received;
          },
        };
      },
      deployFixtures: (...files) =>
        gql(
          `mutation($input: DeployInput!) { deploy(input: $input) { id duplicate processDefinitions { id key version } } }`,
          { input: { name: files.join(','), resources: files.map((f) => ({ name: f, content: fixture(f) })) } },
        ),
    };
    body(h);
  });
}
