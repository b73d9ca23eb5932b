/**
 * Runs one engine suite against every store: the embedded store (SQLite in a
 * temp dir) and PostgreSQL (a fresh schema per suite). `restart()` closes the
 * engine and opens a new one on the same data, as a process restart would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { Engine, createStore, type EngineOptions, type StoreConfig } from '../../engine/index.js';
import { TEST_DATABASE_URL, tempDir, testSchema, type StoreKind, type TestSchema } from './stores.js';

export const PG_URL = TEST_DATABASE_URL;
export type { StoreKind };
export const STORE_KINDS: StoreKind[] = (process.env['TEST_STORES'] ?? 'sqlite,postgres').split(',') as StoreKind[];

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'bpmn');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export interface Harness {
  readonly kind: StoreKind;
  engine(): Engine;
  /** Deploys fixture files (by name under test/fixtures/bpmn). */
  deploy(...names: string[]): Promise<Awaited<ReturnType<Engine['deploy']>>>;
  /** Closes the engine and opens a new one on the same database. */
  restart(): Promise<Engine>;
  /** A second, independent engine on the same database (another node). */
  secondEngine(opts?: Partial<EngineOptions>): Promise<Engine>;
  storeConfig(): StoreConfig;
}

/**
 * `engineSuite('user task', (h) => { it(...) })` declares the suite once per store.
 * `options()` gives each engine its handlers, beans, clock…
 */
export function engineSuite(name: string, body: (h: Harness) => void, options: () => Partial<EngineOptions> = () => ({}), only?: StoreKind[]): void {
  for (const kind of STORE_KINDS) {
    // A suite may need a capability only some stores have (several nodes need a database server).
    if (only && !only.includes(kind)) continue;
    describe(`${name} [${kind}]`, () => {
      let engine: Engine | null = null;
      const extra: Engine[] = [];
      let config: StoreConfig;
      let dir: ReturnType<typeof tempDir> | null = null;
      let schema: TestSchema | null = null;

      const open = async (): Promise<Engine> => Engine.create({ storeConfig: config, ...options() });

      beforeAll(async () => {
        if (kind === 'sqlite') {
          dir = tempDir();
          config = { dataDir: dir.path };
        } else {
          schema = testSchema();
          config = { databaseUrl: PG_URL, schema: schema.schema, poolSize: 4 };
        }
        engine = await open();
      });

      afterAll(async () => {
        for (const e of extra) await e.close();
        if (engine) await engine.close();
        dir?.remove();
        if (schema) await schema.drop();
      });

      const h: Harness = {
        kind,
        engine: () => {
          if (!engine) throw new Error('engine not started');
          return engine;
        },
        deploy: async (...names) =>
          h.engine().deploy({ name: names.join(','), resources: names.map((n) => ({ name: n, content: fixture(n) })) }),
        restart: async () => {
          if (engine) await engine.close();
          engine = await open();
          return engine;
        },
        secondEngine: async (opts = {}) => {
          const e = await Engine.create({ storeConfig: config, ...options(), ...opts });
          extra.push(e);
          return e;
        },
        storeConfig: () => config,
      };
      body(h);
    });
  }
}

/** A store-level helper for tests that need raw access. */
export async function openStore(config: StoreConfig) {
  return createStore(config);
}
