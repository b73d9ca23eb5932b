/**
 * JWT bearer tokens verified with jose. The algorithm is fixed by how the key
 * is configured (HS256 for a shared secret, RS256/ES256 for a JWKS), so a
 * token cannot choose a weaker one (`alg: none`, or HS256 signed with a public key).
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Identity, Permission } from '../../schema/index.js';
import { identityOf, permissionNamed } from './identity.js';
import type { JwtOptions } from './options.js';

/** A token that is not accepted; `message` says why without echoing the token. */
export class TokenRejected extends Error {}

export const DEFAULT_JWT_CLAIMS = { user: 'sub', permissions: 'permissions', groups: 'groups', tenants: 'tenant_ids' } as const;

const MIN_SECRET_LENGTH = 32;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

export type JwtVerifier = (token: string) => Promise<Identity>;

export function createJwtVerifier(opts: JwtOptions): JwtVerifier {
  const sources = [opts.secret !== undefined, opts.jwks !== undefined, opts.jwksUrl !== undefined].filter(Boolean).length;
  if (sources !== 1) throw new Error('JWT: configure exactly one of a shared secret (HS256), a JWKS file or a JWKS URL');
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (opts.secret !== undefined) {
    if (opts.secret.length < MIN_SECRET_LENGTH) throw new Error(`JWT: the HS256 secret must have at least ${MIN_SECRET_LENGTH} characters`);
    key = new TextEncoder().encode(opts.secret);
    algorithms = ['HS256'];
  } else if (opts.jwks !== undefined) {
    if (!Array.isArray(opts.jwks.keys) || opts.jwks.keys.length === 0) throw new Error('JWT: the JWKS has no keys');
    key = createLocalJWKSet(opts.jwks as Parameters<typeof createLocalJWKSet>[0]);
    algorithms = ['RS256', 'ES256'];
  } else {
    let url: URL;
    try {
      url = new URL(opts.jwksUrl!);
    } catch {
      throw new Error(`JWT: the JWKS URL '${opts.jwksUrl}' is not a URL`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      throw new Error(`JWT: the JWKS URL must use https (http only on a loopback address), got ${url.origin}`);
    }
    key = createRemoteJWKSet(url);
    algorithms = ['RS256', 'ES256'];
  }
  const claims = { ...DEFAULT_JWT_CLAIMS, ...opts.claims };
  const verifyOptions = {
    algorithms,
    ...(opts.issuer !== undefined ? { issuer: opts.issuer } : {}),
    ...(opts.audience !== undefined ? { audience: typeof opts.audience === 'string' ? opts.audience : [...opts.audience] } : {}),
    clockTolerance: opts.clockToleranceSeconds ?? 30,
    requiredClaims: ['exp'],
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = (typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions)).payload;
    } catch (e) {
      throw new TokenRejected(reason(e));
    }
    const user = payload[claims.user];
    if (typeof user !== 'string' || user === '') throw new TokenRejected(`Bearer token has no '${claims.user}' claim naming the user`);
    const tenants = payload[claims.tenants];
    if (tenants === undefined && opts.tenantsRequired) throw new TokenRejected(`Bearer token has no '${claims.tenants}' claim`);
    if (tenants !== undefined && !isStringList(tenants)) throw new TokenRejected(`Bearer token claim '${claims.tenants}' must be a list of tenant ids`);
    const groups = payload[claims.groups];
    if (groups !== undefined && !isStringList(groups)) throw new TokenRejected(`Bearer token claim '${claims.groups}' must be a list of group names`);
    return identityOf(
      user,
      'jwt',
      { permissions: permissionsIn(payload[claims.permissions]), groups: groups ?? [], tenantIds: tenants ?? null },
      new Date(payload.exp! * 1000),
    );
  };
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Names this gateway does not know are skipped: an identity provider's token carries other applications' grants too. */
function permissionsIn(raw: unknown): Permission[] {
  const names = typeof raw === 'string' ? raw.split(/\s+/) : isStringList(raw) ? raw : [];
  return [...new Set(names.map(permissionNamed).filter((p): p is Permission => p !== null))];
}

function reason(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'Bearer token expired';
  if (e instanceof errors.JWTClaimValidationFailed) return `Bearer token claim '${e.claim}' is not accepted: ${e.message}`;
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'Bearer token signature is invalid';
  if (e instanceof errors.JOSEAlgNotAllowed) return 'Bearer token is signed with an algorithm that is not accepted';
  if (e instanceof errors.JWKSNoMatchingKey) return 'Bearer token is signed with an unknown key';
  // A JWKS URL that cannot be fetched fails with a fetch error, not a JOSE error.
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || !(e instanceof errors.JOSEError)) return 'The keys to verify bearer tokens are unavailable';
  return 'Bearer token is malformed';
}
