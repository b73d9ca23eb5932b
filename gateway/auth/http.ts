/**
 * The authenticator at the gateway's three doors: HTTP GraphQL requests,
 * graphql-ws connections and /engine-rest requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { ANONYMOUS_FULL_ACCESS, userIdOf, type Access } from '../../schema/access.js';
import type { RestCaller } from '../engine-rest/options.js';
import { credentialsFromConnectionParams, credentialsFromHeaders, type AuthOutcome, type Authenticator } from './authenticator.js';

/** The realm of the gateway's Bearer challenge (/engine-rest keeps Camunda's Basic challenge). */
export const REALM = 'cadenzaflow';

/** No authenticator: the anonymous caller with every permission (the embedded demo, tests). */
export async function authenticateRequest(auth: Authenticator | null, req: IncomingMessage): Promise<AuthOutcome> {
  return auth ? auth.authenticate(credentialsFromHeaders(req.headers)) : { ok: true, access: ANONYMOUS_FULL_ACCESS };
}

/** GraphQL's answer to a request without (valid) credentials: 401, `extensions.code` UNAUTHENTICATED. */
export function sendUnauthenticated(res: ServerResponse, outcome: Extract<AuthOutcome, { ok: false }>): void {
  const body = JSON.stringify({ errors: [{ message: outcome.message, extensions: { code: 'UNAUTHENTICATED' } }] });
  // RFC 6750: a token that was sent but refused is `invalid_token`.
  const challenge = `Bearer realm="${REALM}"${outcome.missing ? '' : ', error="invalid_token"'}`;
  res.writeHead(401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'www-authenticate': challenge });
  res.end(body);
}

/** The `authenticate` hook of /engine-rest. */
export function restAuthenticate(auth: Authenticator): (req: IncomingMessage) => Promise<RestCaller | null> {
  return async (req) => {
    const outcome = await auth.authenticate(credentialsFromHeaders(req.headers));
    if (!outcome.ok) return outcome.missing ? null : { rejected: outcome.message };
    return { userId: userIdOf(outcome.access), access: outcome.access };
  };
}

/** What graphql-ws's hooks receive, as far as authentication needs it. */
interface ConnectionContext {
  readonly connectionParams?: Readonly<Record<string, unknown>> | undefined;
  readonly extra: { readonly socket: WebSocket; readonly request: IncomingMessage };
}

/** graphql-ws: 4401 for connections without (valid) credentials, as graphql-ws names it. */
export const CLOSE_UNAUTHORIZED = 4401;

/** A close reason must fit a control frame (123 bytes). */
function reason(text: string): string {
  return Buffer.byteLength(text) <= 123 ? text : `${Buffer.from(text).subarray(0, 120).toString('utf8')}…`;
}

/** The largest delay setTimeout takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Authenticates graphql-ws connections at `connection_init` and keeps each
 * connection's access for its operations. A connection whose credential
 * expires (a JWT's `exp`) is closed then, so a subscription does not outlive it.
 */
export function websocketAuthentication(auth: Authenticator | null): {
  onConnect(ctx: ConnectionContext): Promise<boolean>;
  accessOf(ctx: ConnectionContext): Access;
} {
  const accesses = new WeakMap<object, Access>();
  return {
    async onConnect(ctx) {
      const outcome = auth
        ? await auth.authenticate(credentialsFromConnectionParams(ctx.connectionParams, ctx.extra.request.headers))
        : ({ ok: true, access: ANONYMOUS_FULL_ACCESS } as const);
      const socket = ctx.extra.socket;
      if (!outcome.ok) {
        // graphql-ws answers `false` with 4403 Forbidden; missing or wrong credentials are 4401.
        socket.close(CLOSE_UNAUTHORIZED, reason(`Unauthorized: ${outcome.message}`));
        return false;
      }
      accesses.set(ctx, outcome.access);
      const expiresAt = outcome.access.identity.expiresAt;
      if (expiresAt) {
        const expire = (): void => {
          const left = expiresAt.getTime() - Date.now();
          if (left <= 0) socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: Bearer token expired');
          else timer = setTimeout(expire, Math.min(left, MAX_TIMER_MS));
        };
        let timer: NodeJS.Timeout | undefined;
        expire();
        socket.once('close', () => clearTimeout(timer));
      }
      return true;
    },
    accessOf(ctx) {
      const access = accesses.get(ctx);
      // graphql-ws runs operations only on acknowledged connections, which onConnect authenticated.
      if (!access) throw new Error('graphql-ws operation on a connection that was not authenticated');
      return access;
    },
  };
}
