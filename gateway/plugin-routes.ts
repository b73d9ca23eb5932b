/**
 * Serves plugins' HTTP routes (callbacks, webhooks) under `/plugins/<name>`
 * on the gateway's port. The gateway only dispatches; what a route means is
 * the plugin's business.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface MountedRoute {
  readonly method: string;
  /** Full path, e.g. `/plugins/cadenzaflow-connectors/rpa-webhook/callback`; a trailing `/*` matches any rest. */
  readonly fullPath: string;
  readonly plugin: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

function matches(route: MountedRoute, path: string): boolean {
  if (route.fullPath.endsWith('/*')) {
    const prefix = route.fullPath.slice(0, -1);
    return path.startsWith(prefix) && path.length > prefix.length;
  }
  return path === route.fullPath;
}

/** A handler that answers requests for plugin routes and returns false for any other path. */
export function createPluginRouteHandler(routes: readonly MountedRoute[], onError: (e: unknown, plugin: string) => void = () => {}): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith('/plugins/')) return false;
    const candidates = routes.filter((r) => matches(r, path));
    if (candidates.length === 0) return false;
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      res.writeHead(405, { 'content-type': 'application/json', allow: candidates.map((r) => r.method).join(', ') });
      res.end(JSON.stringify({ type: 'MethodNotAllowed', message: `${req.method} is not allowed on ${path}` }));
      return true;
    }
    Promise.resolve()
      .then(() => route.handle(req, res))
      .catch((e: unknown) => {
        onError(e, route.plugin);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ type: 'InternalError', message: `The plugin '${route.plugin}' failed to answer` }));
        } else res.destroy();
      });
    return true;
  };
}
