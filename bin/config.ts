/**
 * Configuration: environment variables win over the optional JSON config file
 * (`CADENZAFLOW_CONFIG`, default ./cadenzaflow.config.json when present).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseHistoryLevel, type HistoryLevel } from '../engine/index.js';
import { LOG_LEVELS, type LogLevel } from '../gateway/logging.js';
import { loadAuthOptions, type AuthOptions, type AuthSettings } from '../gateway/auth/index.js';
import type { GraphqlLimits } from '../gateway/graphql/limits.js';

export interface Config {
  /** HTTP port of the gateway. Default 8080. */
  port: number;
  /** Host to bind. Default 127.0.0.1 (set 0.0.0.0 to listen on all interfaces). */
  host: string;
  /** Directory of the embedded store. Default ./data. */
  dataDir: string;
  /** postgres://… switches from the embedded store to PostgreSQL. */
  databaseUrl: string | null;
  /** PostgreSQL schema, default public. */
  databaseSchema: string | null;
  historyLevel: HistoryLevel;
  /** Folder whose BPMN files `start` deploys (duplicate-filtered). Default ./processes. */
  processesDir: string;
  /** Serve the GraphQL explorer at /explorer (`EXPLORER=on|off`). Default on, off when NODE_ENV=production. */
  explorer: boolean;
  /** Serve Prometheus metrics at /metrics (`METRICS=on|off`). Default on. */
  metrics: boolean;
  /** Serve /graphql as an Apollo Federation v2 subgraph (`FEDERATION=on|off`). Default off. */
  federation: boolean;
  /** `LOG_LEVEL`: fatal, error, warn, info (default), debug, trace or silent. */
  logLevel: LogLevel;
  /**
   * Plugins to load: npm package names (`CADENZAFLOW_PLUGINS=a,b`) or, in the
   * config file, `[{ "name": "…", "config": {…}, "optional": true }]`.
   */
  plugins: PluginSpec[];
  /** Configuration of the built-in connectors' services (Kafka, AMQP, RPA webhooks), from the config file's `connectors`. */
  connectors: Record<string, unknown>;
  /** JSON file of secret name → value for `{{secrets.NAME}}` (`SECRETS_FILE`); `CADENZAFLOW_SECRET_<NAME>` variables win. */
  secretsFile: string | null;
  /** The gateway's URL as others reach it (`PUBLIC_URL`), for callback URLs; default the listening address. */
  publicUrl: string | null;
  /**
   * `AUTH_MODE`: `anonymous` (requests without credentials are served, logged
   * loudly at start-up) or `required`. Default `required` as soon as API keys,
   * Basic users or JWT verification are configured, else `anonymous` (the demo).
   */
  authMode: 'anonymous' | 'required';
  /** Who may call /graphql and /engine-rest (see README, Security). */
  auth: AuthOptions;
  /** `GRAPHQL_INTROSPECTION=on|off`; null: on only when NODE_ENV=development. */
  graphqlIntrospection: boolean | null;
  /** `GRAPHQL_MAX_DEPTH`, `GRAPHQL_MAX_ALIASES`, `GRAPHQL_MAX_TOKENS`, `GRAPHQL_MAX_COST`; absent ones keep their defaults. */
  graphqlLimits: Partial<GraphqlLimits>;
  /** `GRAPHQL_OPERATION_CACHE=on|off`: repeated operations skip Apollo's request pipeline (gateway/graphql/operation-cache.ts). Default on. */
  graphqlOperationCache: boolean;
}

interface FileConfig {
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  historyLevel?: string;
  processesDir?: string;
  explorer?: boolean | string;
  metrics?: boolean | string;
  federation?: boolean | string;
  logLevel?: string;
  plugins?: (string | PluginSpec)[];
  connectors?: Record<string, unknown>;
  secretsFile?: string;
  publicUrl?: string;
  authMode?: string;
  anonymousPermissions?: string | string[];
  apiKeysFile?: string;
  apiKeys?: unknown;
  basicUsersFile?: string;
  basicUsers?: unknown;
  jwtSecret?: string;
  jwksUrl?: string;
  jwksFile?: string;
  jwtIssuer?: string;
  jwtAudience?: string | string[];
  jwtUserClaim?: string;
  jwtPermissionsClaim?: string;
  jwtGroupsClaim?: string;
  jwtTenantsClaim?: string;
  jwtTenantsRequired?: boolean | string;
  jwtClockToleranceSeconds?: number | string;
  graphqlIntrospection?: boolean | string;
  graphqlMaxDepth?: number | string;
  graphqlMaxAliases?: number | string;
  graphqlMaxTokens?: number | string;
  graphqlMaxCost?: number | string;
  graphqlOperationCache?: boolean | string;
}

/** One plugin to load (see plugins/loader.ts). */
export interface PluginSpec {
  name: string;
  config?: Record<string, unknown>;
  optional?: boolean;
}

function pluginSpecs(env: string | undefined, file: (string | PluginSpec)[] | undefined): PluginSpec[] {
  if (env !== undefined) return env.split(',').map((n) => n.trim()).filter(Boolean).map((name) => ({ name }));
  return (file ?? []).map((p, i) => {
    const spec = typeof p === 'string' ? { name: p } : p;
    if (!spec || typeof spec.name !== 'string' || !spec.name) throw new Error(`plugins[${i}] in the config file needs a "name"`);
    return spec;
  });
}

/** `on`/`off` switches (also true/false, 1/0, yes/no). */
function onOff(name: string, value: boolean | string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  const v = value.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  throw new Error(`${name} must be on or off, got '${value}'`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const path = env['CADENZAFLOW_CONFIG'] ?? 'cadenzaflow.config.json';
  let file: FileConfig = {};
  if (existsSync(path)) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as FileConfig;
    } catch (e) {
      throw new Error(`Config file ${resolve(path)} is not valid JSON: ${(e as Error).message}`);
    }
  } else if (env['CADENZAFLOW_CONFIG']) {
    throw new Error(`Config file ${resolve(path)} (CADENZAFLOW_CONFIG) does not exist`);
  }
  const portText = env['PORT'] ?? (file.port !== undefined ? String(file.port) : '8080');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${portText}'`);
  const databaseUrl = env['DATABASE_URL'] ?? file.databaseUrl ?? null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error(`DATABASE_URL must start with postgres://, got '${databaseUrl}'`);
  const logLevel = (env['LOG_LEVEL'] ?? file.logLevel ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${env['LOG_LEVEL'] ?? file.logLevel}'`);
  return {
    port,
    host: env['HOST'] ?? file.host ?? '127.0.0.1',
    dataDir: env['DATA_DIR'] ?? file.dataDir ?? './data',
    databaseUrl,
    databaseSchema: env['DATABASE_SCHEMA'] ?? file.databaseSchema ?? null,
    historyLevel: parseHistoryLevel(env['HISTORY_LEVEL'] ?? file.historyLevel ?? 'full'),
    processesDir: env['PROCESSES_DIR'] ?? file.processesDir ?? './processes',
    explorer: onOff('EXPLORER', env['EXPLORER'] ?? file.explorer, env['NODE_ENV'] !== 'production'),
    metrics: onOff('METRICS', env['METRICS'] ?? file.metrics, true),
    federation: onOff('FEDERATION', env['FEDERATION'] ?? file.federation, false),
    logLevel,
    plugins: pluginSpecs(env['CADENZAFLOW_PLUGINS'], file.plugins),
    connectors: file.connectors ?? {},
    secretsFile: env['SECRETS_FILE'] ?? file.secretsFile ?? null,
    publicUrl: env['PUBLIC_URL'] ?? file.publicUrl ?? null,
    ...authConfig(env, file),
    graphqlIntrospection: (env['GRAPHQL_INTROSPECTION'] ?? file.graphqlIntrospection) === undefined ? null : onOff('GRAPHQL_INTROSPECTION', env['GRAPHQL_INTROSPECTION'] ?? file.graphqlIntrospection, false),
    graphqlLimits: graphqlLimits(env, file),
    graphqlOperationCache: onOff('GRAPHQL_OPERATION_CACHE', env['GRAPHQL_OPERATION_CACHE'] ?? file.graphqlOperationCache, true),
  };
}

function authConfig(env: NodeJS.ProcessEnv, file: FileConfig): { authMode: 'anonymous' | 'required'; auth: AuthOptions } {
  const settings: AuthSettings = {
    mode: env['AUTH_MODE'] ?? file.authMode,
    anonymousPermissions: env['ANONYMOUS_PERMISSIONS'] ?? file.anonymousPermissions,
    apiKeysFile: env['API_KEYS_FILE'] ?? file.apiKeysFile,
    apiKeys: file.apiKeys,
    basicUsersFile: env['BASIC_USERS_FILE'] ?? file.basicUsersFile,
    basicUsers: file.basicUsers,
    jwtSecret: env['JWT_SECRET'] ?? file.jwtSecret,
    jwksUrl: env['JWKS_URL'] ?? file.jwksUrl,
    jwksFile: env['JWKS_FILE'] ?? file.jwksFile,
    jwtIssuer: env['JWT_ISSUER'] ?? file.jwtIssuer,
    jwtAudience: env['JWT_AUDIENCE'] ?? file.jwtAudience,
    jwtUserClaim: env['JWT_USER_CLAIM'] ?? file.jwtUserClaim,
    jwtPermissionsClaim: env['JWT_PERMISSIONS_CLAIM'] ?? file.jwtPermissionsClaim,
    jwtGroupsClaim: env['JWT_GROUPS_CLAIM'] ?? file.jwtGroupsClaim,
    jwtTenantsClaim: env['JWT_TENANTS_CLAIM'] ?? file.jwtTenantsClaim,
    jwtTenantsRequired: env['JWT_TENANTS_REQUIRED'] ?? file.jwtTenantsRequired,
    jwtClockToleranceSeconds: env['JWT_CLOCK_TOLERANCE'] ?? file.jwtClockToleranceSeconds,
  };
  const { mode, options } = loadAuthOptions(settings);
  return { authMode: mode, auth: options };
}

function graphqlLimits(env: NodeJS.ProcessEnv, file: FileConfig): Partial<GraphqlLimits> {
  const out: Partial<GraphqlLimits> = {};
  const read = (name: string, value: number | string | undefined, key: keyof GraphqlLimits) => {
    if (value === undefined) return;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got '${value}'`);
    out[key] = n;
  };
  read('GRAPHQL_MAX_DEPTH', env['GRAPHQL_MAX_DEPTH'] ?? file.graphqlMaxDepth, 'maxDepth');
  read('GRAPHQL_MAX_ALIASES', env['GRAPHQL_MAX_ALIASES'] ?? file.graphqlMaxAliases, 'maxAliases');
  read('GRAPHQL_MAX_TOKENS', env['GRAPHQL_MAX_TOKENS'] ?? file.graphqlMaxTokens, 'maxTokens');
  read('GRAPHQL_MAX_COST', env['GRAPHQL_MAX_COST'] ?? file.graphqlMaxCost, 'maxCost');
  return out;
}
