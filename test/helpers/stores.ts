/**
 * Runs a suite against both stores: a fresh SQLite database in a temp
 * directory and a fresh PostgreSQL schema `t_<random>` per test file, both
 * dropped afterwards. Tables are emptied before every test.
 *
 * PostgreSQL: CADENZAFLOW_TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test (trust authentication).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { PostgresStore } from '../../engine/persistence/postgres-store.js';
import { SqliteStore } from '../../engine/persistence/sqlite-store.js';
import type { Store } from '../../engine/persistence/store.js';

export const TEST_DATABASE_URL = process.env['CADENZAFLOW_TEST_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export type StoreKind = 'sqlite' | 'postgres';

/** A store the tests can empty between cases. */
export type TestStore = Store & { clear(): Promise<void> };

export interface TestSchema {
  readonly schema: string;
  /** Drops the schema with everything in it. */
  drop(): Promise<void>;
}

/** A unique schema name; the schema itself is created by the store that opens it. */
export function testSchema(): TestSchema {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Two PostgreSQL stores (two pools, as two nodes would have) on one fresh
 * schema, opened before the suite and dropped after it.
 */
export function twoPostgresStores(): { a(): PostgresStore; b(): PostgresStore } {
  const schema = testSchema();
  let a: PostgresStore | undefined;
  let b: PostgresStore | undefined;
  beforeAll(async () => {
    a = await PostgresStore.open({ url: TEST_DATABASE_URL, schema: schema.schema, poolSize: 4 });
    b = await PostgresStore.open({ url: TEST_DATABASE_URL, schema: schema.schema, poolSize: 4 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await schema.drop();
  });
  return { a: () => a!, b: () => b! };
}

export function tempDir(): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'cadenzaflow-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Opens a fresh store of that kind; `dispose` closes it and drops its database. */
export async function openTestStore(kind: StoreKind, options: { migrate?: boolean } = {}): Promise<{ store: TestStore; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = tempDir();
    const store = await SqliteStore.open({ dataDir: dir.path, ...options });
    return {
      store,
      async dispose() {
        await store.close();
        dir.remove();
      },
    };
  }
  const schema = testSchema();
  const store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema: schema.schema, poolSize: 4, ...options });
  return {
    store,
    async dispose() {
      await store.close();
      await schema.drop();
    },
  };
}

/** Declares the suite once per store kind, each with its own fresh database, emptied before every test. */
export function eachStore(fn: (getStore: () => TestStore, kind: StoreKind) => void): void {
  describe.each(['sqlite', 'postgres'] as const)('%s store', (kind) => {
    let opened: Awaited<ReturnType<typeof openTestStore>> | undefined;
    beforeAll(async () => {
      opened = await openTestStore(kind);
    });
    afterAll(async () => {
      await opened?.dispose();
    });
    beforeEach(async () => {
      await opened!.store.clear();
    });
    fn(() => opened!.store, kind);
  });
}
