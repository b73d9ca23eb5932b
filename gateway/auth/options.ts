/**
 * What the gateway accepts as credentials, and what each credential may do.
 * One set of options serves /graphql (HTTP and graphql-ws) and /engine-rest.
 */
import type { Permission } from '../../schema/index.js';

/** Permissions and tenants of a configured credential. */
export interface Grant {
  /** What the credential may do. */
  permissions: readonly Permission[];
  /** Groups, for candidate-group task rules. Default none. */
  groups?: readonly string[];
  /** Tenants the credential is bound to; `null` or absent: every tenant (and objects without one). */
  tenantIds?: readonly string[] | null;
}

/**
 * An API key, sent as `Authorization: Bearer <key>`, `X-API-Key: <key>`, or
 * as the password of HTTP Basic with `name` as user (what Camunda's clients send).
 * Give either the key itself or its SHA-256 (hex), so the file need not hold it.
 */
export interface ApiKey extends Grant {
  /** The identity's id (user id in task rules and history). */
  name: string;
  key?: string;
  sha256?: string;
}

/**
 * A user of HTTP Basic. Passwords are compared as SHA-256 digests in constant
 * time; use long random passwords (these are machine credentials).
 */
export interface BasicUser extends Grant {
  id: string;
  password?: string;
  passwordSha256?: string;
}

/** Claim names a JWT's identity is read from. */
export interface JwtClaims {
  /** The user id. Default `sub`. */
  user?: string;
  /** Permission names (array, or a space-separated string as OAuth's `scope`). Default `permissions`. */
  permissions?: string;
  /** Group names (array). Default `groups`. */
  groups?: string;
  /** Tenant ids (array). Default `tenant_ids`; absent from a token: every tenant, unless `tenantsRequired`. */
  tenants?: string;
}

/**
 * JWT bearer tokens, verified with jose: HS256 with a shared secret, or
 * RS256/ES256 with keys from a JWKS (file or URL). `exp` is required.
 */
export interface JwtOptions {
  /** HS256 shared secret (at least 32 characters). */
  secret?: string;
  /** A JWKS document (`{ keys: [...] }`), e.g. read from a file. */
  jwks?: { keys: object[] };
  /** A JWKS URL (https, or http on a loopback address), fetched and cached by jose. */
  jwksUrl?: string;
  /** Expected `iss`. Default: not checked. */
  issuer?: string;
  /** Expected `aud` (any of). Default: not checked. */
  audience?: string | readonly string[];
  claims?: JwtClaims;
  /** Refuse tokens without the tenants claim instead of granting every tenant. Default false. */
  tenantsRequired?: boolean;
  /** Accepted clock skew for `exp`/`nbf`, seconds. Default 30. */
  clockToleranceSeconds?: number;
}

/**
 * Authentication of the gateway. Without `AuthOptions` at all (ServerOptions
 * `auth` absent) every request is anonymous with every permission.
 */
export interface AuthOptions {
  /**
   * Requests without credentials are served as `anonymous` with these
   * permissions; absent or null: they are refused with 401. Credentials that
   * are sent but wrong are refused either way.
   */
  anonymous?: Grant | null;
  apiKeys?: readonly ApiKey[];
  basicUsers?: readonly BasicUser[];
  jwt?: JwtOptions | null;
}
