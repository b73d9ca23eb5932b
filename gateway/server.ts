/**
 * The HTTP server of a node: health endpoints, /metrics, the Camunda-compatible
 * /engine-rest, the GraphQL gateway at /graphql (HTTP and websocket
 * subscriptions on the same port) and the explorer at /explorer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/index.js';
import { createAuthenticator, restAuthenticate, type AuthOptions } from './auth/index.js';
import { createEngineRestHandler, type EngineRestOptions } from './engine-rest/index.js';
import { EXPLORER_PATH, createExplorerHandler } from './explorer.js';
import { createGraphqlGateway, type GraphqlOptions } from './graphql/index.js';
import { createHealthHandler } from './health.js';
import { graphqlErrorLogger, logRequest, type Logger } from './logging.js';
import { Metrics } from './metrics.js';
import { createPluginRouteHandler, type MountedRoute } from './plugin-routes.js';

export interface ServerOptions {
  engine: Engine;
  port: number;
  host?: string;
  engineRest?: EngineRestOptions;
  graphql?: GraphqlOptions;
  /**
   * Who may call /graphql and /engine-rest (gateway/auth). Absent: every
   * request is anonymous with every permission, as the embedded demo runs.
   */
  auth?: AuthOptions;
  /** Request logs (JSON lines). Default: none. */
  logger?: Logger;
  /** Serve Prometheus metrics at /metrics. Default true. */
  metrics?: boolean;
  /** Serve the GraphQL explorer at /explorer. Default: on unless NODE_ENV=production. */
  explorer?: boolean;
  /** Plugins' HTTP routes (callbacks, webhooks), served under `/plugins/<name>`; they authenticate their callers themselves. */
  pluginRoutes?: readonly MountedRoute[];
}

export interface RunningServer {
  url: string;
  port: number;
  /** Where the explorer is, when it is served. */
  explorerUrl: string | null;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  // One authenticator for both APIs, so a credential means the same identity on each.
  const authenticator = opts.auth ? createAuthenticator(opts.auth) : null;
  const engineRest = createEngineRestHandler(opts.engine, authenticator && !opts.engineRest?.authenticate ? { ...opts.engineRest, authenticate: restAuthenticate(authenticator) } : opts.engineRest);
  const metrics = opts.metrics === false ? null : new Metrics(opts.engine, { engineRestBasePath: opts.engineRest?.basePath });
  const withAuth: GraphqlOptions = { ...opts.graphql, authenticator: authenticator ?? opts.graphql?.authenticator ?? null };
  const observers = [...(withAuth.observers ?? []), ...(metrics ? [metrics.graphqlObserver] : []), ...(opts.logger ? [graphqlErrorLogger(opts.logger)] : [])];
  const graphqlOptions: GraphqlOptions = { ...withAuth, observers };
  const graphql = await createGraphqlGateway(opts.engine, graphqlOptions).catch((e: unknown) => {
    metrics?.close();
    throw e;
  });
  const health = createHealthHandler(opts.engine);
  const pluginRoutes = opts.pluginRoutes?.length
    ? createPluginRouteHandler(opts.pluginRoutes, (e, plugin) => opts.logger?.error({ err: e, plugin }, 'plugin route failed'))
    : null;
  const explorer = (opts.explorer ?? process.env['NODE_ENV'] !== 'production') ? createExplorerHandler({ graphqlPath: opts.graphql?.path }) : null;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (opts.logger) logRequest(opts.logger, req, res);
    metrics?.observeRequest(req, res);
    if (health(req, res)) return;
    if (metrics?.handle(req, res)) return;
    if (engineRest(req, res)) return;
    if (pluginRoutes?.(req, res)) return;
    // Before GraphQL: a browser's GET of /graphql is sent to the explorer.
    if (explorer?.(req, res)) return;
    if (graphql.handle(req, res)) return;
    json(res, 404, { type: 'NotFound', message: `No route for ${req.method} ${path}` });
  });
  graphql.attach(server);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
    });
  } catch (e) {
    await graphql.close();
    metrics?.close();
    throw e;
  }
  const addr = server.address() as AddressInfo;
  const host = addr.address === '0.0.0.0' || addr.address === '::' ? 'localhost' : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    explorerUrl: explorer ? `http://${host}:${addr.port}${EXPLORER_PATH}/` : null,
    close: async () => {
      metrics?.close();
      await graphql.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
