import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../engine/errors.js';
import { createStore } from '../../engine/persistence/index.js';
import { PostgresStore } from '../../engine/persistence/postgres-store.js';
import { SqliteStore } from '../../engine/persistence/sqlite-store.js';
import type { Store } from '../../engine/persistence/store.js';
import { openTestStore, tempDir, TEST_DATABASE_URL, testSchema } from '../helpers/stores.js';
import { deployment, insert } from './rows.js';

describe.each(['sqlite', 'postgres'] as const)('%s migrations', (kind) => {
  it('a store opened without migrating reports it is not migrated until migrate runs', async () => {
    const { store, dispose } = await openTestStore(kind, { migrate: false });
    try {
      expect(await store.isMigrated()).toBe(false);
      await store.migrate();
      expect(await store.isMigrated()).toBe(true);
    } finally {
      await dispose();
    }
  });

  it('migrating again is harmless and keeps the data', async () => {
    const { store, dispose } = await openTestStore(kind);
    try {
      expect(await store.isMigrated()).toBe(true);
      await store.commit([insert('deployment', deployment())]);
      await store.migrate();
      await store.migrate();
      expect(await store.isMigrated()).toBe(true);
      expect(await store.countDeployments({})).toBe(1);
    } finally {
      await dispose();
    }
  });
});

describe('opening stores', () => {
  it('a SQLite store reopened on its data directory finds its data', async () => {
    const dir = tempDir();
    try {
      const first = await SqliteStore.open({ dataDir: `${dir.path}/nested/data` });
      await first.commit([insert('deployment', deployment())]);
      await first.close();
      const second = await SqliteStore.open({ dataDir: `${dir.path}/nested/data` });
      expect(await second.isMigrated()).toBe(true);
      expect(await second.getDeployment('dep-1')).not.toBeNull();
      await second.close();
    } finally {
      dir.remove();
    }
  });

  it('two PostgreSQL stores opening the same new schema at once both end up migrated', async () => {
    const schema = testSchema();
    const stores: Store[] = [];
    try {
      stores.push(
        ...(await Promise.all([
          PostgresStore.open({ url: TEST_DATABASE_URL, schema: schema.schema, poolSize: 2 }),
          PostgresStore.open({ url: TEST_DATABASE_URL, schema: schema.schema, poolSize: 2 }),
        ])),
      );
      await stores[0]!.commit([insert('deployment', deployment())]);
      expect(await stores[1]!.isMigrated()).toBe(true);
      expect(await stores[1]!.countDeployments({})).toBe(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await schema.drop();
    }
  });

  it('createStore opens SQLite by default, in memory on request, and PostgreSQL for a postgres:// URL', async () => {
    const memory = await createStore({ dataDir: ':memory:' });
    expect(memory.kind).toBe('sqlite');
    await memory.commit([insert('deployment', deployment())]);
    expect(await memory.countDeployments({})).toBe(1);
    await memory.close();

    const schema = testSchema();
    const postgres = await createStore({ databaseUrl: TEST_DATABASE_URL, schema: schema.schema, poolSize: 3 });
    try {
      expect(postgres.kind).toBe('postgres');
      expect(await postgres.isMigrated()).toBe(true);
    } finally {
      await postgres.close();
      await schema.drop();
    }
  });

  it('createStore rejects other database URLs and PostgresStore rejects unsafe schema names', async () => {
    await expect(createStore({ databaseUrl: 'mysql://localhost/x' })).rejects.toThrow(BadUserInputError);
    await expect(PostgresStore.open({ url: TEST_DATABASE_URL, schema: 'x"; drop table y; --' })).rejects.toThrow(BadUserInputError);
  });
});
