/**
 * The server store: a pg Pool owned by a TypeORM DataSource. TypeORM runs the
 * migrations; reads and commits go straight to the pool. A commit is usually
 * one round trip (see ./sql/postgres-commit.ts).
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { DataSource } from 'typeorm';
import { BadUserInputError } from '../errors.js';
import { allEntities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { ALL_TABLES, SqlStore } from './sql-store.js';
import { acquireJobsSql } from './sql/acquire-jobs.js';
import { postgresDialect } from './sql/dialect.js';
import { postgresJobDefinitionSuspensionSql } from './sql/job-suspension.js';
import { conflictError, planBatches, type Plan } from './sql/mutation-plan.js';
import { buildCommit, type Part } from './sql/postgres-commit.js';
import { codecs, type DbRow } from './sql/table-codec.js';
import type { JobDefinitionStateRow, JobFilter, Mutation, ProcessInstanceRow, TableName } from './store.js';
import type { CommittedEventBus } from './event-bus.js';
import { PostgresEventBus } from './postgres-event-bus.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Schema holding the tables (lower-case letters, digits, `_`); created if missing. Default: the server's search_path (usually `public`). */
  schema?: string;
  /** Pooled connections. Default 10, at least 2 (migrations hold a lock on one while running on another). */
  poolSize?: number;
  /** Run pending migrations on open. Default true. */
  migrate?: boolean;
}

/** Our SQLSTATE for a failed optimistic lock inside a statement (cf_raise_conflict). */
const CONFLICT_SQLSTATE = 'CF409';
const UNIQUE_VIOLATION = '23505';

const ACQUIRE_JOBS_SQL = acquireJobsSql(postgresDialect);

/** Lower case only: search_path and TypeORM must name the schema identically, quoted or not. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  protected readonly dialect = postgresDialect;
  private readonly statementNames = new Map<string, string>();
  private eventBus: PostgresEventBus | null = null;
  private pendingInstanceReads: Map<string, { resolve: (row: ProcessInstanceRow | null) => void; reject: (e: unknown) => void }[]> | null = null;
  private readonly jobStatistics = new JobTableStatistics(async (sql) => (await this.pool.query(sql)).rows as DbRow[]);

  private constructor(
    private readonly dataSource: DataSource,
    private readonly pool: Pool,
    private readonly schema: string | undefined,
    private readonly url: string,
  ) {
    super();
  }

  /** The nodes on this schema tell each other what they committed over LISTEN/NOTIFY (see ./postgres-event-bus.ts). */
  committedEventBus(): CommittedEventBus {
    return (this.eventBus ??= new PostgresEventBus({ url: this.url, schema: this.schema, pool: this.pool }));
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const { schema } = options;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new BadUserInputError(`Invalid schema name '${schema}'`, 'schema');
    const poolSize = Math.max(2, options.poolSize ?? 10);
    const dataSource = new DataSource({
      type: 'postgres',
      url: options.url,
      ...(schema ? { schema } : {}),
      entities: allEntities,
      migrations,
      migrationsTableName: 'cf_migrations',
      migrationsTransactionMode: 'each',
      poolSize,
      // Every pooled connection resolves our unqualified table names in the schema.
      ...(schema ? { extra: { options: `-c search_path=${schema}` } } : {}),
    });
    await dataSource.initialize();
    const store = new PostgresStore(dataSource, (dataSource.driver as unknown as { master: Pool }).master, schema, options.url);
    try {
      await store.withMigrationLock(async (client) => {
        if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        if (options.migrate !== false) await dataSource.runMigrations({ transaction: 'each' });
      });
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
    return store;
  }

  /** Serializes schema creation and migrations of stores opening the same schema at once. */
  private async withMigrationLock<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const key = `cadenzaflow:migrate:${this.schema ?? ''}`;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      try {
        return await fn(client);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    } finally {
      client.release();
    }
  }

  async migrate(): Promise<void> {
    await this.withMigrationLock(() => this.dataSource.runMigrations({ transaction: 'each' }));
  }

  async isMigrated(): Promise<boolean> {
    return !(await this.dataSource.showMigrations());
  }

  async close(): Promise<void> {
    await this.jobStatistics.close();
    await this.eventBus?.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /** Deletes every row of every table (tests and benchmarks). */
  async clear(): Promise<void> {
    // DELETE, not TRUNCATE: on small tables it is far faster (no new relation files).
    await this.pool.query(ALL_TABLES.map((table) => `DELETE FROM ${table}`).join('; '));
  }

  /** Named statements are parsed once per pooled connection; the name is derived from the text. */
  private config(text: string, values: unknown[], prepared: boolean): QueryConfig {
    if (!prepared) return { text, values };
    let name = this.statementNames.get(text);
    if (!name) {
      name = `cf_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      if (this.statementNames.size >= 1000) this.statementNames.clear();
      this.statementNames.set(text, name);
    }
    return { name, text, values };
  }

  protected async query(sql: string, params: readonly unknown[], prepared = false): Promise<DbRow[]> {
    return (await this.pool.query(this.config(sql, [...params], prepared))).rows as DbRow[];
  }

  async commit(mutations: readonly Mutation[]): Promise<void> {
    const plan = planBatches(mutations);
    if (!plan.batches.length) return;
    const { parts, single } = buildCommit(plan);
    try {
      if (single) {
        const result = await this.pool.query(this.config(single.text, single.values, true));
        verify(single.check, result.rows);
      } else {
        await this.inTransaction(async (client) => {
          for (const part of parts) verify(part.check, (await client.query(this.config(part.sql, part.values, true))).rows);
        });
      }
    } catch (error) {
      throw translateError(error);
    }
    this.jobStatistics.changed(plan);
  }

  private async inTransaction(fn: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await fn(client);
      await client.query('COMMIT');
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A connection that cannot roll back is not given back to the pool.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Reads asked for in one turn of the event loop share one query: jobs dispatched together each load their
   * instance first, and a round trip per job would cost the node (and the server) more than the jobs themselves.
   */
  override getProcessInstance(id: string): Promise<ProcessInstanceRow | null> {
    let pending = this.pendingInstanceReads;
    if (!pending) {
      pending = this.pendingInstanceReads = new Map();
      setImmediate(() => void this.readInstances());
    }
    const waiting = pending;
    return new Promise((resolve, reject) => {
      const waiters = waiting.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else waiting.set(id, [{ resolve, reject }]);
    });
  }

  private async readInstances(): Promise<void> {
    const pending = this.pendingInstanceReads!;
    this.pendingInstanceReads = null;
    try {
      const ids = [...pending.keys()];
      const rows =
        ids.length === 1
          ? await this.query('SELECT * FROM cf_process_instance WHERE id = $1', ids, true)
          : await this.query('SELECT * FROM cf_process_instance WHERE id = ANY($1::text[])', [ids], true);
      const byId = new Map(rows.map((r) => [r['id'] as string, r]));
      for (const [id, waiters] of pending) {
        const row = byId.get(id);
        // Decoded once per caller: each may change the row it gets.
        for (const w of waiters) w.resolve(row ? codecs.processInstance.decode(row) : null);
      }
    } catch (error) {
      for (const waiters of pending.values()) for (const w of waiters) w.reject(error);
    }
  }

  /** One statement, so one round trip and its own transaction (see ./sql/acquire-jobs.ts). */
  protected async claimJobs(owner: string, now: number, lockExpiration: number, max: number): Promise<DbRow[]> {
    const rows = await this.query(ACQUIRE_JOBS_SQL, [owner, lockExpiration, now, max], true);
    this.jobStatistics.claimed(rows.length);
    return rows;
  }

  /** One statement, so one round trip and its own transaction (see ./sql/fetch-external-tasks.ts). */
  protected claimExternalTasks(sql: string, params: readonly unknown[]): Promise<DbRow[]> {
    return this.query(sql, params);
  }

  async updateJobDefinitionSuspensionState(jobDefinitions: readonly Omit<JobDefinitionStateRow, 'suspended'>[], suspended: boolean, jobs: JobFilter | null): Promise<void> {
    if (!jobDefinitions.length) {
      if (jobs) await this.updateJobSuspensionState(jobs, suspended);
      return;
    }
    const { sql, params } = postgresJobDefinitionSuspensionSql(postgresDialect, jobDefinitions, suspended, jobs);
    await this.query(sql, params);
  }

  async cleanupHistory(now: Date, batchSize: number): Promise<number> {
    const limit = Math.max(0, Math.floor(batchSize));
    if (!limit) return 0;
    const children = ['cf_hi_actinst', 'cf_hi_taskinst', 'cf_hi_varinst', 'cf_hi_detail', 'cf_hi_incident', 'cf_hi_job_log'].map(
      (table, i) => `c${i} AS (DELETE FROM ${table} WHERE instance_id IN (SELECT id FROM victims))`,
    );
    // SKIP LOCKED lets several engines clean up side by side without waiting on each other.
    const sql = `WITH victims AS (
        SELECT id FROM cf_hi_procinst WHERE end_time IS NOT NULL AND removal_time < $1
        ORDER BY removal_time, id LIMIT $2 FOR UPDATE SKIP LOCKED
      ), ${children.join(', ')},
      removed AS (DELETE FROM cf_hi_procinst WHERE id IN (SELECT id FROM victims) RETURNING id)
      SELECT count(*) AS n FROM removed`;
    const [row] = await this.query(sql, [now.getTime(), limit], true);
    return Number(row?.['n'] ?? 0);
  }
}

/**
 * Keeps the planner's statistics of cf_job current when the server does not:
 * with autovacuum off nothing ever ANALYZEs the table, and the claim's
 * ORDER BY … LIMIT is then planned as a scan and sort of every job instead of
 * a walk of the acquisition index. It counts the job rows this store inserted,
 * deleted and claimed, and, like autovacuum's analyze threshold (50 rows plus
 * 10 % of the table), ANALYZEs in the background once they add up. Checks the
 * server's settings first and stays idle where autovacuum runs.
 */
class JobTableStatistics {
  private static readonly BASE_THRESHOLD = 50;
  private static readonly SCALE_FACTOR = 0.1;
  /** autovacuum's naptime, as the floor between two runs. */
  private static readonly MIN_INTERVAL_MS = 60_000;
  private lastRun = -Infinity;
  private changes = 0;
  private rows = 0;
  /** null until the server's settings are known; false where autovacuum keeps the statistics. */
  private needed: boolean | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly run: (sql: string) => Promise<DbRow[]>) {}

  changed(plan: Plan): void {
    if (this.needed === false) return;
    for (const batch of plan.batches) if (batch.table === 'job' && batch.op !== 'patch') this.add(batch.mutations.length);
  }

  claimed(rows: number): void {
    if (this.needed !== false) this.add(rows);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  private add(n: number): void {
    this.changes += n;
    if (this.running || this.closed || this.changes < JobTableStatistics.BASE_THRESHOLD + JobTableStatistics.SCALE_FACTOR * this.rows) return;
    // The first statistics matter most; after that the planner scales them to the table's current size itself.
    if (performance.now() < this.lastRun + JobTableStatistics.MIN_INTERVAL_MS) return;
    this.changes = 0;
    this.lastRun = performance.now();
    this.running = this.analyze().finally(() => (this.running = null));
  }

  private async analyze(): Promise<void> {
    try {
      if (this.needed === null) {
        const [server] = await this.run("SELECT current_setting('autovacuum') = 'on' AND current_setting('track_counts') = 'on' AS auto");
        this.needed = server?.['auto'] !== true;
        if (!this.needed) return;
      }
      // SKIP_LOCKED: when another node is analyzing the table right now, its statistics will do.
      await this.run('ANALYZE (SKIP_LOCKED) cf_job');
      const [table] = await this.run("SELECT reltuples FROM pg_class WHERE oid = 'cf_job'::regclass");
      this.rows = Math.max(0, Number(table?.['reltuples'] ?? 0));
    } catch {
      // Statistics only make plans better: a failure (the store closing, say) costs nothing else.
    }
  }
}

/** A checked statement must have changed every row it names. */
function verify(check: Part['check'], rows: readonly DbRow[]): void {
  if (!check) return;
  const changed = new Set(rows.map((r) => r['id'] as string));
  const missing = check.ids.find((id) => !changed.has(id));
  if (missing !== undefined) throw conflictError(check.op, missing, check.table);
}

function translateError(error: unknown): unknown {
  const e = error as { code?: string; message?: string; detail?: string; table?: string };
  if (e.code === CONFLICT_SQLSTATE) {
    // DETAIL is '<op> <table>' (see ./sql/postgres-commit.ts).
    const [op, table] = (e.detail ?? '').split(' ');
    return conflictError(op === 'DELETE' ? 'DELETE' : 'UPDATE', e.message ?? '?', (table as TableName | undefined) ?? 'processInstance');
  }
  if (e.code === UNIQUE_VIOLATION && e.table === 'cf_process_instance') {
    // detail: Key (id)=(<id>) already exists.
    const id = /\(id\)=\((.*)\) already exists/.exec(e.detail ?? '')?.[1] ?? '?';
    return conflictError('INSERT', id);
  }
  return error;
}
