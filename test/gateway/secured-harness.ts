/**
 * `securedSuite` runs an `engineSuite` (embedded store and PostgreSQL) with
 * the node's HTTP server configured by the suite (auth, limits), and clients
 * that send credentials: fetch for /graphql and /engine-rest, graphql-ws
 * clients (the `ws` package) for subscriptions, and raw websockets for the
 * protocol's close codes.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import type { ApiKey, AuthOptions } from '../../gateway/auth/index.js';
import { startServer, type RunningServer, type ServerOptions } from '../../gateway/server.js';
import type { Permission } from '../../schema/index.js';
import { ALL_PERMISSIONS } from '../../schema/index.js';
import { eventually } from '../helpers/clock.js';
import { engineSuite, fixture, type Harness } from '../helpers/engine-harness.js';

export type Headers = Record<string, string>;

export interface GqlReply<T = any> {
  status: number;
  headers: globalThis.Headers;
  data: T | null | undefined;
  errors: { message: string; extensions: Record<string, any> }[] | undefined;
}

export interface RestReply<T = any> {
  status: number;
  headers: globalThis.Headers;
  body: T;
}

export interface Subscription<T = any> {
  readonly received: T[];
  readonly errors: any[];
  waitFor(predicate: (received: T[]) => boolean, what?: string): Promise<T[]>;
}

export interface SecuredHarness extends Harness {
  url(): string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Headers): Promise<GqlReply<T>>;
  rest<T = any>(method: string, path: string, body?: unknown, headers?: Headers): Promise<RestReply<T>>;
  /** A graphql-ws client with this connection_init payload, disposed after the test. */
  wsClient(connectionParams?: Record<string, unknown>): Client;
  subscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<Subscription<T>>;
  /** A raw websocket speaking graphql-transport-ws, closed after the test. */
  rawSocket(headers?: Headers): WebSocket;
  /** Deploys fixtures through /engine-rest as `headers` (tenant-id optional). */
  deployRest(headers: Headers, files: string[], tenantId?: string): Promise<RestReply>;
}

export const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });
export const basic = (user: string, password: string): Headers => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

/** An API key for tests: the name, and a key long enough to be accepted. */
export function testKey(name: string, permissions: readonly Permission[] = ALL_PERMISSIONS, extra: Partial<ApiKey> = {}): ApiKey & { key: string } {
  return { name, key: `test-key-${name}-0123456789`, permissions, ...extra };
}

/** Every permission but the one named. */
export const allBut = (missing: Permission): Permission[] => ALL_PERMISSIONS.filter((p) => p !== missing);

export const HS256_SECRET = 'an HS256 secret of more than thirty-two characters';

export async function hs256Token(claims: Record<string, unknown>, opts: { secret?: string; expiresIn?: string | number; issuer?: string; audience?: string; subject?: string } = {}): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (opts.subject !== undefined) jwt = jwt.setSubject(opts.subject);
  if (opts.issuer !== undefined) jwt = jwt.setIssuer(opts.issuer);
  if (opts.audience !== undefined) jwt = jwt.setAudience(opts.audience);
  jwt = jwt.setExpirationTime(opts.expiresIn ?? '10m');
  return jwt.sign(new TextEncoder().encode(opts.secret ?? HS256_SECRET));
}

export function securedSuite(name: string, server: () => Partial<Omit<ServerOptions, 'engine' | 'port' | 'host'>> & { auth?: AuthOptions }, body: (h: SecuredHarness) => void): void {
  engineSuite(name, (base) => {
    let running: RunningServer | null = null;
    const clients: Client[] = [];
    const sockets: WebSocket[] = [];
    beforeAll(async () => {
      running = await startServer({ engine: base.engine(), port: 0, host: '127.0.0.1', metrics: false, explorer: false, ...server() });
    });
    afterEach(async () => {
      for (const c of clients.splice(0)) await c.dispose();
      for (const s of sockets.splice(0)) s.terminate();
    });
    afterAll(async () => {
      await running?.close();
    });
    const url = (): string => {
      if (!running) throw new Error('server not started');
      return running.url;
    };
    const h: SecuredHarness = Object.assign(Object.create(base) as Harness, {
      url,
      gql: async <T>(query: string, variables: Record<string, unknown> = {}, headers: Headers = {}): Promise<GqlReply<T>> => {
        const res = await fetch(`${url()}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
          body: JSON.stringify({ query, variables }),
        });
        const json = (await res.json()) as { data?: T | null; errors?: GqlReply['errors'] };
        return { status: res.status, headers: res.headers, data: json.data, errors: json.errors };
      },
      rest: async <T>(method: string, path: string, payload?: unknown, headers: Headers = {}): Promise<RestReply<T>> => {
        const init: RequestInit = { method, headers: { accept: 'application/json', ...headers } };
        if (payload instanceof FormData) init.body = payload;
        else if (payload !== undefined) {
          init.body = JSON.stringify(payload);
          (init.headers as Headers)['content-type'] = 'application/json';
        }
        const res = await fetch(`${url()}/engine-rest${path}`, init);
        const text = await res.text();
        const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
        return { status: res.status, headers: res.headers, body: (isJson && text ? JSON.parse(text) : text) as T };
      },
      wsClient: (connectionParams?: Record<string, unknown>) => {
        const client = createClient({
          url: `${url().replace(/^http/, 'ws')}/graphql`,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          lazy: true,
          ...(connectionParams ? { connectionParams } : {}),
        });
        clients.push(client);
        return client;
      },
      subscribe: async <T>(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<Subscription<T>> => {
        const received: T[] = [];
        const errors: any[] = [];
        client.subscribe<T>(
          { query, variables },
          {
            next: (r) => {
              if (r.errors) errors.push(...r.errors);
              if (r.data) received.push(r.data as T);
            },
            error: (e) => errors.push(e),
            complete: () => {},
          },
        );
        // A query sent after the subscription on the same socket answers once the server has set both up.
        await new Promise<void>((resolve) => {
          client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: () => resolve(), complete: resolve });
        });
        return {
          received,
          errors,
          waitFor: async (predicate, what = 'subscription events') => {
            await eventually(async () => errors.length > 0 || predicate(received), 5000, what);
            if (!predicate(received)) throw new Error(`Subscription failed: ${JSON.stringify(errors)}`);
            return received;
          },
        };
      },
      rawSocket: (headers: Headers = {}) => {
        const socket = new WebSocket(`${url().replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers });
        sockets.push(socket);
        return socket;
      },
      deployRest: (headers: Headers, files: string[], tenantId?: string) => {
        const form = new FormData();
        form.append('deployment-name', files.join(','));
        if (tenantId !== undefined) form.append('tenant-id', tenantId);
        for (const f of files) form.append(f, new Blob([fixture(f)], { type: 'application/octet-stream' }), f);
        return h.rest('POST', '/deployment/create', form, headers);
      },
    });
    body(h);
  });
}

/** What a raw graphql-transport-ws socket got: the messages, and the close code and reason once closed. */
export function recordSocket(socket: WebSocket): { messages: any[]; closed: { code: number; reason: string } | null; opened: Promise<void> } {
  const record = { messages: [] as any[], closed: null as { code: number; reason: string } | null, opened: new Promise<void>((resolve, reject) => { socket.once('open', () => resolve()); socket.once('error', reject); }) };
  socket.on('message', (data) => record.messages.push(JSON.parse(String(data))));
  socket.on('close', (code, reason) => (record.closed = { code, reason: String(reason) }));
  return record;
}

/** The deploy mutation for fixture files, with an optional tenant. */
export const DEPLOY = `mutation($input: DeployInput!) { deploy(input: $input) { id processDefinitions { id key tenantId } } }`;
export const deployInput = (files: string[], tenantId?: string) => ({
  input: { name: files.join(','), resources: files.map((f) => ({ name: f, content: fixture(f) })), ...(tenantId !== undefined ? { tenantId } : {}) },
});
