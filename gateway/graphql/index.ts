/**
 * The GraphQL gateway at /graphql: Apollo Server for queries and mutations
 * over HTTP, graphql-ws (graphql-transport-ws protocol) for subscriptions on
 * the same port. Resolvers live in schema/ and only call the engine API.
 */
import { BodyTooLargeError, readBody as readWholeBody } from '../read-body.js';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Engine } from '../../engine/index.js';
import { ANONYMOUS_FULL_ACCESS, buildGatewaySchema, createLoaders, Topics, type GatewayContext } from '../../schema/index.js';
import { buildFederatedSchema } from './federation.js';
import { authenticateRequest, sendUnauthenticated, websocketAuthentication, type Authenticator } from '../auth/index.js';
import { formatError, formatGraphQLError, isDevelopment } from './format-error.js';
import { costLimitPlugin, limitRules, parseOptions, prepareWebsocketOperation, resolveLimits, type GraphqlLimits } from './limits.js';
import { observerPlugin, type GraphqlObserver } from './observer.js';
import { OperationCache, type OperationCacheOptions } from './operation-cache.js';
import { applySchemaExtensions, type SchemaExtension } from './schema-extensions.js';

export type { SchemaExtension } from './schema-extensions.js';
export type { GraphqlObserver, ObservedRequest } from './observer.js';

export interface GraphqlOptions {
  /** Where the endpoint is served, default `/graphql`. */
  path?: string;
  /** Largest request body accepted, default 16 MiB (deployments carry BPMN text). */
  maxBodyBytes?: number;
  /** Serve the schema as an Apollo Federation v2 subgraph (`_service`, `_entities`). Default false. */
  federation?: boolean;
  /** Plugins' schema contributions, merged in at start-up (see schema-extensions.ts). */
  schemaExtensions?: readonly SchemaExtension[];
  /** What the gateway learns of every request over HTTP (metrics, error logs), however it is executed. */
  observers?: readonly GraphqlObserver[];
  /**
   * More Apollo Server plugins. With any, every request goes through Apollo's
   * pipeline (the operation cache would skip their hooks).
   */
  plugins?: readonly ApolloServerPlugin<GatewayContext>[];
  /** The operation cache (operation-cache.ts); `false` sends every request through Apollo's pipeline. */
  operationCache?: OperationCacheOptions | false;
  /** Who may call (gateway/auth); absent: every request is anonymous with every permission. */
  authenticator?: Authenticator | null;
  /** Depth, alias, token and cost limits (limits.ts); absent ones keep their defaults. */
  limits?: Partial<GraphqlLimits>;
  /** Schema introspection; default only when NODE_ENV=development. */
  introspection?: boolean;
}

export interface GraphqlGateway {
  readonly schema: GraphQLSchema;
  /** Serves the request when it is for the GraphQL path; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Accepts websocket upgrades for subscriptions on the path. */
  attach(server: Server): void;
  /** Ends subscriptions and stops Apollo. */
  close(): Promise<void>;
}

const ANONYMOUS = { ok: true, access: ANONYMOUS_FULL_ACCESS } as const;

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return (await readWholeBody(req, limit)).toString('utf8');
}

export async function createGraphqlGateway(engine: Engine, opts: GraphqlOptions = {}): Promise<GraphqlGateway> {
  const path = opts.path ?? '/graphql';
  const maxBodyBytes = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const authenticator = opts.authenticator ?? null;
  const limits = resolveLimits(opts.limits);
  const introspection = opts.introspection ?? isDevelopment();
  const extended = applySchemaExtensions(await buildGatewaySchema(), opts.schemaExtensions ?? []);
  const schema = opts.federation ? buildFederatedSchema(extended) : extended;
  const topics = new Topics(engine);
  const context: Omit<GatewayContext, 'loaders'> = { engine, topics, access: ANONYMOUS_FULL_ACCESS };
  const observers = opts.observers ?? [];
  const cache = opts.operationCache === false || opts.plugins?.length ? null : new OperationCache(schema, limits.maxCost, observers, opts.operationCache);
  // Subscribers here also see what other nodes on the same PostgreSQL schema commit.
  await engine.shareEvents();
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    // A GET or a "simple" POST (text/plain, forms) needs a header no browser form can set.
    csrfPrevention: true,
    // Switched off by limitRules' own rule, which graphql-ws shares.
    introspection: true,
    parseOptions: parseOptions(limits),
    validationRules: limitRules(limits, introspection),
    // Apollo's default landing page loads from a CDN; the explorer (gateway/explorer.ts) is served locally.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No type or field has a cache hint, so every answer is `no-store` (set in serve); Apollo's plugin would work that out by wrapping every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      // Inline traces are for a federation router; without federation Apollo's plugin only checks that on every request.
      ...(opts.federation ? [] : [ApolloServerPluginInlineTraceDisabled()]),
      costLimitPlugin(limits),
      ...(observers.length ? [observerPlugin(observers)] : []),
      ...(cache ? [cache.plugin] : []),
      ...(opts.plugins ?? []),
    ],
  });
  await apollo.start();

  let wss: WebSocketServer | null = null;
  let wsCleanup: { dispose(): void | Promise<void> } | null = null;

  const serve = async (req: IncomingMessage, res: ServerResponse, search: string): Promise<void> => {
    const auth = authenticator ? await authenticateRequest(authenticator, req) : ANONYMOUS;
    if (!auth.ok) return sendUnauthenticated(res, auth);
    const contextValue = (): GatewayContext => ({ ...context, access: auth.access, loaders: createLoaders(engine) });
    let body: unknown = undefined;
    if (req.method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, maxBodyBytes);
      } catch (e) {
        if (!(e instanceof BodyTooLargeError)) throw e;
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: e.message, extensions: { code: 'BAD_REQUEST' } }] }));
        return;
      }
      const type = req.headers['content-type'] ?? '';
      if (type.includes('application/json') || type.includes('application/graphql-response+json')) {
        try {
          body = text === '' ? undefined : (JSON.parse(text) as unknown);
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }));
          return;
        }
        // Apollo's CSRF prevention lets every application/json POST through, so the cache may answer it. A
        // federation router asking for an inline trace gets it from Apollo's plugin, which the cache would skip.
        const cacheable = cache && type.startsWith('application/json') && req.headers['apollo-federation-include-trace'] === undefined;
        const cached = cacheable ? await cache.execute(body, req.headers['accept'], contextValue) : null;
        if (cached) {
          const out = { ...cached.headers, 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(cached.body)) };
          res.writeHead(cached.status, out);
          res.end(cached.body);
          return;
        }
      } else body = text;
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const request: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search, body };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: async () => contextValue() });
    const outHeaders: Record<string, string> = { 'cache-control': 'no-store' };
    for (const [k, v] of response.headers) outHeaders[k] = v;
    if (response.body.kind === 'complete') {
      // A length instead of chunked encoding: fewer bytes and no terminating chunk.
      outHeaders['content-length'] = String(Buffer.byteLength(response.body.string));
      res.writeHead(response.status ?? 200, outHeaders);
      res.end(response.body.string);
      return;
    }
    res.writeHead(response.status ?? 200, outHeaders);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return {
    schema,
    handle(req, res) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      if ((q < 0 ? url : url.slice(0, q)) !== path) return false;
      serve(req, res, q < 0 ? '' : url.slice(q + 1)).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: isDevelopment() ? (e as Error).message : 'Internal server error', extensions: { code: 'INTERNAL' } }] }));
        } else res.destroy(e as Error);
      });
      return true;
    },
    attach(server) {
      wss = new WebSocketServer({ server, path, maxPayload: maxBodyBytes });
      const wsAuth = websocketAuthentication(authenticator);
      wsCleanup = useServer(
        {
          schema,
          onConnect: (ctx) => wsAuth.onConnect(ctx),
          // The limits and rules of HTTP, which graphql-ws's own validation would not apply.
          onSubscribe: (_ctx, _id, payload) => {
            const prepared = prepareWebsocketOperation(schema, payload, limits, introspection);
            if ('errors' in prepared) return prepared.errors;
            return { schema, document: prepared.document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null };
          },
          // DataLoaders per operation and per event, never shared between requests.
          context: (ctx): GatewayContext => ({ ...context, access: wsAuth.accessOf(ctx), loaders: createLoaders(engine) }),
          onError: (_ctx, _id, _payload, errors) => errors.map(formatGraphQLError),
          onNext: (_ctx, _id, _payload, _args, result) =>
            result.errors ? { ...result, errors: result.errors.map(formatGraphQLError) } : undefined,
        },
        wss,
      );
    },
    async close() {
      topics.close();
      if (wsCleanup) await wsCleanup.dispose();
      if (wss) {
        for (const client of wss.clients) client.terminate();
        const closing = wss;
        await new Promise<void>((resolve) => closing.close(() => resolve()));
      }
      await apollo.stop();
    },
  };
}
