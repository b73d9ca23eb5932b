/**
 * Serves plugin routes (`PluginRuntime.routes()`) from a node:http server:
 * the gateway mounts it in front of its own handlers, tests mount it alone.
 * A route path ending in `/*` matches any rest below it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PluginRoute } from '../../plugins/index.js';

export type MountedRoute = PluginRoute & { readonly fullPath: string; readonly plugin?: string };

function matches(pattern: string, path: string): boolean {
  if (pattern.endsWith('/*')) {
    const base = pattern.slice(0, -2);
    return path.startsWith(`${base}/`) && path.length > base.length + 1;
  }
  return path === pattern;
}

/**
 * A request handler that answers requests for plugin routes and resolves
 * `true`, or resolves `false` for other paths (the caller's own handlers go
 * on). `routes` is read per request, so plugins restarted in place are
 * picked up. A path served for other methods answers 405.
 */
export function pluginRouteDispatcher(routes: () => readonly MountedRoute[]): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return false;
    }
    if (!path.startsWith('/plugins/')) return false;
    const candidates = routes().filter((r) => matches(r.fullPath, path));
    if (candidates.length === 0) return false;
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      res.writeHead(405, { allow: [...new Set(candidates.map((r) => r.method))].join(', '), 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `Method ${req.method} is not allowed on ${path}` }));
      return true;
    }
    try {
      await route.handle(req, res);
    } catch (e) {
      // A route's own failure must not take the server down or leak its details.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'The plugin route failed' }));
      } else res.destroy(e as Error);
    }
    return true;
  };
}
