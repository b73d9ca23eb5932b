/**
 * Opens the store the configuration asks for: PostgreSQL when a
 * `postgres://` URL is given, otherwise embedded SQLite in `dataDir`.
 */
import { BadUserInputError } from '../errors.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export type * from './store.js';
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

export interface StoreConfig {
  /** `postgres://…` (or `postgresql://…`) selects PostgresStore. Default: SQLite. */
  databaseUrl?: string;
  /** SQLite directory of `cadenzaflow.db`. Default `./data`; `':memory:'` keeps everything in memory. */
  dataDir?: string;
  /** PostgreSQL schema; created if missing. Default: the connection's search_path. */
  schema?: string;
  /** PostgreSQL pool size. Default 10. */
  poolSize?: number;
  /** Run pending migrations on open. Default true. */
  migrate?: boolean;
}

export async function createStore(config: StoreConfig = {}): Promise<Store> {
  const url = config.databaseUrl;
  if (url) {
    if (!/^postgres(ql)?:\/\//i.test(url)) throw new BadUserInputError(`Unsupported database URL '${url.split(':')[0]}:…': only postgres:// is supported`, 'databaseUrl');
    return PostgresStore.open({
      url,
      ...(config.schema !== undefined ? { schema: config.schema } : {}),
      ...(config.poolSize !== undefined ? { poolSize: config.poolSize } : {}),
      ...(config.migrate !== undefined ? { migrate: config.migrate } : {}),
    });
  }
  return SqliteStore.open({
    dataDir: config.dataDir ?? './data',
    ...(config.migrate !== undefined ? { migrate: config.migrate } : {}),
  });
}
