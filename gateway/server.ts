/**
 * The HTTP server of a node: health endpoints, the Camunda-compatible
 * /engine-rest and the GraphQL gateway at /graphql (HTTP and websocket
 * subscriptions on the same port).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/index.js';
import { createEngineRestHandler, type EngineRestOptions } from './engine-rest/index.js';
import { createGraphqlGateway, type GraphqlOptions } from './graphql/index.js';

export interface ServerOptions {
  engine: Engine;
  port: number;
  host?: string;
  engineRest?: EngineRestOptions;
  graphql?: GraphqlOptions;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const engineRest = createEngineRestHandler(opts.engine, opts.engineRest);
  const graphql = await createGraphqlGateway(opts.engine, opts.graphql);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health/live') return json(res, 200, { status: 'UP' });
    if (path === '/health/ready') {
      opts.engine.store.isMigrated().then(
        (ok) => json(res, ok ? 200 : 503, { status: ok ? 'UP' : 'DOWN', database: ok ? 'migrated' : 'migrations pending' }),
        (e: unknown) => json(res, 503, { status: 'DOWN', database: (e as Error).message }),
      );
      return;
    }
    if (engineRest(req, res)) return;
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
    throw e;
  }
  const addr = server.address() as AddressInfo;
  const host = addr.address === '0.0.0.0' || addr.address === '::' ? 'localhost' : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    close: async () => {
      await graphql.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
