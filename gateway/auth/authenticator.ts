/**
 * Turns the credentials of a request (HTTP headers, or a graphql-ws
 * `connection_init` payload) into an `Access`. The same authenticator serves
 * /graphql and /engine-rest, so an identity means the same on both.
 *
 * - `Authorization: Bearer <token>`: a JWT when one is configured and the
 *   token has a JWT's shape, else an API key.
 * - `X-API-Key: <key>`.
 * - `Authorization: Basic base64(user:password)`: a Basic user, or an API
 *   key's name with the key as password.
 * - No credentials: the configured anonymous grant, or refused.
 * Credentials that are sent but wrong are refused, never served as anonymous.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ALL_PERMISSIONS, IdentityAccess, type Access } from '../../schema/index.js';
import { identityOf, permissionsNamed } from './identity.js';
import { createJwtVerifier, TokenRejected, type JwtVerifier } from './jwt.js';
import type { AuthOptions } from './options.js';
import { SecretBook } from './secrets.js';

export interface Credentials {
  /** The Authorization header value. */
  authorization?: string | undefined;
  /** The X-API-Key header value. */
  apiKey?: string | undefined;
}

export type AuthOutcome =
  | { ok: true; access: Access }
  /** `missing`: no credentials at all (and anonymous access is off); otherwise they were wrong. */
  | { ok: false; missing: boolean; message: string };

export interface Authenticator {
  authenticate(credentials: Credentials): Promise<AuthOutcome>;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function createAuthenticator(opts: AuthOptions): Authenticator {
  const book = new SecretBook(opts.apiKeys, opts.basicUsers);
  const jwt: JwtVerifier | null = opts.jwt ? createJwtVerifier(opts.jwt) : null;
  const anonymous: Access | null = opts.anonymous
    ? new IdentityAccess(identityOf('anonymous', 'anonymous', { ...opts.anonymous, permissions: permissionsNamed(opts.anonymous.permissions as readonly string[], 'anonymous access') }))
    : null;
  const verifiable = book.apiKeyCount > 0 || book.basicUserCount > 0 || jwt !== null;
  if (!anonymous && !verifiable) {
    throw new Error('Authentication is required but no API keys, Basic users or JWT verification are configured: nobody could get in');
  }
  const refused = (message: string): AuthOutcome => ({ ok: false, missing: false, message });
  const granted = (identity: ConstructorParameters<typeof IdentityAccess>[0]): AuthOutcome => ({ ok: true, access: new IdentityAccess(identity) });

  return {
    async authenticate(c) {
      // With nothing to check credentials against, a client's habitual header (the Modeler's Basic) changes nothing.
      if (!verifiable) return { ok: true, access: anonymous! };
      const authorization = c.authorization?.trim();
      if (authorization) {
        const space = authorization.indexOf(' ');
        const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
        const value = space < 0 ? '' : authorization.slice(space + 1).trim();
        if (scheme === 'bearer') {
          if (!value) return refused('Bearer credentials are empty');
          const key = book.apiKey(value);
          if (key) return granted(key);
          if (jwt && JWT_SHAPE.test(value)) {
            try {
              return granted(await jwt(value));
            } catch (e) {
              if (e instanceof TokenRejected) return refused(e.message);
              throw e;
            }
          }
          return refused('Unknown API key');
        }
        if (scheme === 'basic') {
          const decoded = Buffer.from(value, 'base64').toString('utf8');
          const colon = decoded.indexOf(':');
          if (colon < 0) return refused('Basic credentials are not user:password');
          const identity = book.basic(decoded.slice(0, colon), decoded.slice(colon + 1));
          return identity ? granted(identity) : refused('Unknown user or wrong password');
        }
        return refused(`Authorization scheme '${scheme}' is not supported (use Bearer or Basic)`);
      }
      const apiKey = c.apiKey?.trim();
      if (apiKey) {
        const key = book.apiKey(apiKey);
        return key ? granted(key) : refused('Unknown API key');
      }
      if (anonymous) return { ok: true, access: anonymous };
      return { ok: false, missing: true, message: 'Authentication required' };
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function credentialsFromHeaders(headers: IncomingHttpHeaders): Credentials {
  return { authorization: header(headers.authorization), apiKey: header(headers['x-api-key']) };
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * graphql-ws: browsers cannot set headers on a websocket, so the credentials
 * travel in `connection_init`'s payload — `{ authorization: 'Bearer …' }`,
 * `{ apiKey }` or `{ headers: { authorization | x-api-key } }` — and only
 * when the payload has none, the upgrade request's headers count.
 */
export function credentialsFromConnectionParams(params: Readonly<Record<string, unknown>> | undefined, upgrade: IncomingHttpHeaders): Credentials {
  const p = params ?? {};
  const nested = typeof p['headers'] === 'object' && p['headers'] !== null ? (p['headers'] as Record<string, unknown>) : {};
  const pick = (...values: unknown[]): string | undefined => values.map(text).find((v) => v !== undefined && v !== '');
  const authorization = pick(p['authorization'], p['Authorization'], nested['authorization'], nested['Authorization']);
  const apiKey = pick(p['apiKey'], p['x-api-key'], p['X-API-Key'], nested['x-api-key'], nested['X-API-Key']);
  if (authorization !== undefined || apiKey !== undefined) return { authorization, apiKey };
  return credentialsFromHeaders(upgrade);
}

/** Start-up lines saying how callers are authenticated; never a secret. */
export function describeAuth(opts: AuthOptions | undefined): { lines: string[]; anonymousWarning: string | null } {
  const allNames = (permissions: readonly string[]) => (ALL_PERMISSIONS.every((p) => permissions.includes(p)) ? 'every permission' : permissions.join(', '));
  if (!opts) {
    return { lines: [], anonymousWarning: 'Authentication is OFF: every request to /graphql and /engine-rest is served as anonymous with every permission.' };
  }
  const lines: string[] = [];
  if (opts.apiKeys?.length) lines.push(`API keys: ${opts.apiKeys.map((k) => k.name).join(', ')}`);
  if (opts.basicUsers?.length) lines.push(`Basic users: ${opts.basicUsers.map((u) => u.id).join(', ')}`);
  if (opts.jwt) {
    const how = opts.jwt.secret !== undefined ? 'HS256 shared secret' : opts.jwt.jwksUrl !== undefined ? `RS256/ES256, keys from ${opts.jwt.jwksUrl}` : 'RS256/ES256, keys from a JWKS file';
    lines.push(`JWT bearer tokens: ${how}${opts.jwt.issuer ? `, issuer ${opts.jwt.issuer}` : ''}${opts.jwt.audience ? `, audience ${[opts.jwt.audience].flat().join(' | ')}` : ''}`);
  }
  const anonymousWarning = opts.anonymous
    ? `Anonymous access is ON: requests without credentials are served as anonymous with ${allNames(opts.anonymous.permissions)}${opts.anonymous.tenantIds ? ` in tenants ${opts.anonymous.tenantIds.join(', ')}` : ''}.`
    : null;
  return { lines, anonymousWarning };
}
