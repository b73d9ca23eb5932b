/**
 * A node of an engine suite with plugins installed and started the way the
 * gateway does it (PluginRuntime: connectors, services, routes), and an HTTP
 * server that serves the plugins' routes. `restart()` stops the plugins,
 * restarts the engine on the same data and starts them again, as a process
 * restart would; logs are kept for assertions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { ConnectorLogger } from '../../engine/index.js';
import { PluginRuntime, type PluginDefinition } from '../../plugins/index.js';
import { createPluginRouteHandler } from '../../gateway/plugin-routes.js';
import type { Harness } from './engine-harness.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

export interface PluginNode {
  readonly runtime: () => PluginRuntime;
  /** `http://127.0.0.1:<port>`: where the plugins' routes are served. */
  readonly baseUrl: () => string;
  readonly logs: LogEntry[];
  readonly logger: ConnectorLogger;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * Call inside an `engineSuite` body: the plugins start after the suite's
 * engine opens and stop before it closes.
 */
export function pluginNode(h: Harness, plugins: () => { definition: PluginDefinition; config?: Record<string, unknown> }[]): PluginNode {
  let runtime: PluginRuntime | null = null;
  let server: Server | null = null;
  let base = '';
  const logs: LogEntry[] = [];
  const entry = (level: LogEntry['level']) => (msg: string, fields: Record<string, unknown> = {}) => void logs.push({ level, msg, fields });
  const logger: ConnectorLogger = { debug: entry('debug'), info: entry('info'), warn: entry('warn'), error: entry('error') };

  const node: PluginNode = {
    runtime: () => {
      if (!runtime) throw new Error('plugins not started');
      return runtime;
    },
    baseUrl: () => base,
    logs,
    logger,
    async start() {
      const loaded = plugins().map((p) => ({ definition: p.definition, spec: { name: p.definition.name, config: p.config ?? {} }, version: null }));
      runtime = new PluginRuntime(h.engine(), loaded, logger, base);
      runtime.install();
      await runtime.start();
    },
    async stop() {
      await runtime?.stop();
      runtime = null;
    },
    async restart() {
      await node.stop();
      await h.restart();
      await node.start();
    },
  };

  beforeAll(async () => {
    // The gateway's own dispatcher, over the routes of whichever runtime is running now.
    server = createServer((req, res) => {
      if (!createPluginRouteHandler(runtime?.routes() ?? [])(req, res)) {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await node.start();
  });

  afterAll(async () => {
    await node.stop();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  return node;
}
