/**
 * Builds `AuthOptions` from configuration settings (environment variables and
 * the JSON config file, see bin/config.ts), reading the API key, Basic user
 * and JWKS files. Every mistake is reported with the setting or file it is in.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ALL_PERMISSIONS } from '../../schema/access.js';
import { permissionsNamed } from './identity.js';
import type { ApiKey, AuthOptions, BasicUser, JwtOptions } from './options.js';

/** Settings as configuration gives them (strings from the environment, or typed values from the JSON file). */
export interface AuthSettings {
  /** `anonymous` or `required`; default `required` as soon as any credential source is configured, else `anonymous`. */
  mode?: string | undefined;
  /** Permissions of anonymous callers (comma-separated or a list); default every permission. */
  anonymousPermissions?: string | readonly string[] | undefined;
  apiKeysFile?: string | undefined;
  apiKeys?: unknown;
  basicUsersFile?: string | undefined;
  basicUsers?: unknown;
  jwtSecret?: string | undefined;
  jwksUrl?: string | undefined;
  jwksFile?: string | undefined;
  jwtIssuer?: string | undefined;
  /** Comma-separated or a list. */
  jwtAudience?: string | readonly string[] | undefined;
  jwtUserClaim?: string | undefined;
  jwtPermissionsClaim?: string | undefined;
  jwtGroupsClaim?: string | undefined;
  jwtTenantsClaim?: string | undefined;
  jwtTenantsRequired?: string | boolean | undefined;
  jwtClockToleranceSeconds?: string | number | undefined;
}

const grant = {
  permissions: z.array(z.string()),
  groups: z.array(z.string()).optional(),
  tenantIds: z.array(z.string()).nullable().optional(),
};
const apiKeysSchema = z.array(z.strictObject({ name: z.string().min(1), key: z.string().optional(), sha256: z.string().optional(), ...grant }));
const basicUsersSchema = z.array(z.strictObject({ id: z.string().min(1), password: z.string().optional(), passwordSha256: z.string().optional(), ...grant }));
const jwksSchema = z.looseObject({ keys: z.array(z.looseObject({ kty: z.string() })).min(1) });

type Reader = (path: string) => string;

function jsonFile(path: string, what: string, read: Reader): unknown {
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    throw new Error(`${what} ${resolve(path)} cannot be read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${what} ${resolve(path)} is not valid JSON: ${(e as Error).message}`);
  }
}

function checked<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`${where}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** Entries with their permission names checked and normalized, so a typo fails at start-up naming the entry. */
function grants<T extends { permissions: string[] }>(entries: T[], where: string, id: (e: T) => string): T[] {
  return entries.map((e) => ({ ...e, permissions: permissionsNamed(e.permissions, `${where}, '${id(e)}'`) }));
}

function list(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter((s) => s !== '');
}

function flag(value: string | boolean | undefined, name: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`${name} must be true or false, got '${value}'`);
}

export function loadAuthOptions(s: AuthSettings, read: Reader = (p) => readFileSync(p, 'utf8')): { mode: 'anonymous' | 'required'; options: AuthOptions } {
  const keysFrom = (value: unknown, where: string) => grants(checked(apiKeysSchema, value, where), where, (k) => k.name);
  const usersFrom = (value: unknown, where: string) => grants(checked(basicUsersSchema, value, where), where, (u) => u.id);
  const apiKeys: ApiKey[] = [
    ...(s.apiKeysFile ? keysFrom(jsonFile(s.apiKeysFile, 'API_KEYS_FILE', read), `API_KEYS_FILE ${resolve(s.apiKeysFile)}`) : []),
    ...(s.apiKeys !== undefined ? keysFrom(s.apiKeys, 'apiKeys in the config file') : []),
  ] as ApiKey[];
  const basicUsers: BasicUser[] = [
    ...(s.basicUsersFile ? usersFrom(jsonFile(s.basicUsersFile, 'BASIC_USERS_FILE', read), `BASIC_USERS_FILE ${resolve(s.basicUsersFile)}`) : []),
    ...(s.basicUsers !== undefined ? usersFrom(s.basicUsers, 'basicUsers in the config file') : []),
  ] as BasicUser[];

  let jwt: JwtOptions | null = null;
  if (s.jwtSecret || s.jwksUrl || s.jwksFile) {
    const audience = list(s.jwtAudience);
    const tolerance = s.jwtClockToleranceSeconds === undefined ? undefined : Number(s.jwtClockToleranceSeconds);
    if (tolerance !== undefined && !(Number.isInteger(tolerance) && tolerance >= 0)) throw new Error(`JWT_CLOCK_TOLERANCE must be a whole number of seconds, got '${s.jwtClockToleranceSeconds}'`);
    const claims = {
      ...(s.jwtUserClaim ? { user: s.jwtUserClaim } : {}),
      ...(s.jwtPermissionsClaim ? { permissions: s.jwtPermissionsClaim } : {}),
      ...(s.jwtGroupsClaim ? { groups: s.jwtGroupsClaim } : {}),
      ...(s.jwtTenantsClaim ? { tenants: s.jwtTenantsClaim } : {}),
    };
    jwt = {
      ...(s.jwtSecret ? { secret: s.jwtSecret } : {}),
      ...(s.jwksUrl ? { jwksUrl: s.jwksUrl } : {}),
      ...(s.jwksFile ? { jwks: checked(jwksSchema, jsonFile(s.jwksFile, 'JWKS_FILE', read), `JWKS_FILE ${resolve(s.jwksFile)}`) } : {}),
      ...(s.jwtIssuer ? { issuer: s.jwtIssuer } : {}),
      ...(audience?.length ? { audience } : {}),
      claims,
      ...(flag(s.jwtTenantsRequired, 'JWT_TENANTS_REQUIRED') ? { tenantsRequired: true } : {}),
      ...(tolerance !== undefined ? { clockToleranceSeconds: tolerance } : {}),
    };
  }

  const hasSources = apiKeys.length > 0 || basicUsers.length > 0 || jwt !== null;
  const mode = s.mode ?? (hasSources ? 'required' : 'anonymous');
  if (mode !== 'anonymous' && mode !== 'required') throw new Error(`AUTH_MODE must be anonymous or required, got '${mode}'`);
  if (mode === 'required' && !hasSources) {
    throw new Error('AUTH_MODE=required needs a credential source: API_KEYS_FILE, BASIC_USERS_FILE, JWT_SECRET, JWKS_FILE or JWKS_URL');
  }
  const anonymousNames = list(s.anonymousPermissions);
  if (mode === 'required' && anonymousNames !== undefined) throw new Error('ANONYMOUS_PERMISSIONS is only used with AUTH_MODE=anonymous');
  const options: AuthOptions = {
    anonymous: mode === 'anonymous' ? { permissions: anonymousNames ? permissionsNamed(anonymousNames, 'ANONYMOUS_PERMISSIONS') : [...ALL_PERMISSIONS] } : null,
    apiKeys,
    basicUsers,
    jwt,
  };
  return { mode, options };
}
