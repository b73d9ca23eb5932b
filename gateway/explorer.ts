/**
 * The GraphQL explorer: Altair, served entirely from the installed
 * `altair-static` package at /explorer, so it works on machines without
 * internet access and sends nothing anywhere but this node. A browser opening
 * /graphql (Accept: text/html) is sent here. The page's Content-Security-Policy
 * lets it talk only to its own origin.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { SANDBOX_FRAME_CSP, getDistDirectory, isSandboxFrame, renderAltair } from 'altair-static';

export const EXPLORER_PATH = '/explorer';

export interface ExplorerOptions {
  /** Where the explorer is served. Default `/explorer`. */
  path?: string;
  /** The GraphQL endpoint path it talks to (HTTP and websocket). Default `/graphql`. */
  graphqlPath?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Whether a request comes from a browser navigating to the page, not from a GraphQL client. */
export function wantsHtml(req: IncomingMessage): boolean {
  if (req.method !== 'GET') return false;
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html');
}

/** http(s)/ws(s) origin as the browser addressed this node (a TLS-terminating proxy says so in X-Forwarded-Proto). */
function origins(req: IncomingMessage): { http: string; ws: string } {
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  const host = req.headers.host ?? 'localhost';
  return { http: `${proto}://${host}`, ws: `${proto === 'https' ? 'wss' : 'ws'}://${host}` };
}

function csp(wsOrigin: string, nonce: string): string {
  return [
    "default-src 'self'",
    // Altair's inline start-up snippet carries this response's nonce; no other inline script runs.
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${wsOrigin}`,
    "worker-src 'self' blob:",
    "frame-src 'self'",
  ].join('; ');
}

/**
 * Serves the explorer page and its assets under `path`, and redirects a
 * browser's GET of the GraphQL path there. Returns true when it answered.
 */
export function createExplorerHandler(opts: ExplorerOptions = {}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const base = (opts.path ?? EXPLORER_PATH).replace(/\/+$/, '');
  const graphqlPath = opts.graphqlPath ?? '/graphql';
  const dist = resolve(getDistDirectory());

  const page = (req: IncomingMessage, res: ServerResponse): void => {
    const { http, ws } = origins(req);
    const nonce = randomBytes(16).toString('base64');
    const html = renderAltair({
      cspNonce: nonce,
      baseURL: `${base}/`,
      endpointURL: `${http}${graphqlPath}`,
      subscriptionsEndpoint: `${ws}${graphqlPath}`,
      initialSubscriptionRequestHandlerId: 'graphql-ws',
      initialName: 'CadenzaFlow',
      // Altair's cloud account and update checks would reach the internet.
      disableAccount: true,
      initialSettings: { 'alert.disableUpdateNotification': true, 'banners.disable': true, 'plugin.list': [] },
    });
    res.writeHead(200, { 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-store', 'content-security-policy': csp(ws, nonce), 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : html);
  };

  const asset = (req: IncomingMessage, res: ServerResponse, relative: string): void => {
    let file: string;
    let size: number;
    try {
      file = resolve(join(dist, decodeURIComponent(relative)));
      // Nothing outside the package's dist folder, however the path is spelled.
      if (!file.startsWith(dist + sep)) throw new Error('outside');
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found\n');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(size),
      'x-content-type-options': 'nosniff',
      // Chunk names carry content hashes; the rest changes only with the package.
      'cache-control': /chunk-|worker-/.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    };
    if (isSandboxFrame(file)) headers['content-security-policy'] = SANDBOX_FRAME_CSP;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).on('error', (e) => res.destroy(e)).pipe(res);
  };

  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === graphqlPath && wantsHtml(req)) {
      res.writeHead(302, { location: `${base}/` });
      res.end();
      return true;
    }
    if (path !== base && !path.startsWith(`${base}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      res.end('Method not allowed\n');
      return true;
    }
    // Altair resolves its assets against `<base href>`; the page itself lives at `${base}/`.
    if (path === base) {
      res.writeHead(301, { location: `${base}/` });
      res.end();
      return true;
    }
    const relative = path.slice(base.length + 1);
    if (relative === '' || relative === 'index.html') page(req, res);
    else asset(req, res, relative);
    return true;
  };
}
