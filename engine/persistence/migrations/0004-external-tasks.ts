import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * External tasks (see ../external-task-store.ts). Like 0001 and 0003:
 * timestamps are epoch milliseconds, booleans BOOLEAN in PostgreSQL and 0/1
 * INTEGER in SQLite. No `rev` column: a task is guarded by the optimistic lock
 * of its process instance and by its own lock (worker_id, lock_expiration),
 * which fetchAndLock sets.
 */
export class ExternalTasks0004 implements MigrationInterface {
  readonly name = 'ExternalTasks0000000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (const sql of postgres ? postgresUp : sqliteUp) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS cf_external_task');
  }
}

interface Types {
  /** Epoch milliseconds. */
  ts: string;
  bool: string;
  long: string;
}

const createTable = (t: Types) => `CREATE TABLE cf_external_task (
  id TEXT PRIMARY KEY,
  topic_name TEXT NOT NULL,
  worker_id TEXT,
  lock_expiration ${t.ts},
  retries INTEGER,
  error_message TEXT,
  error_details TEXT,
  suspended ${t.bool} NOT NULL,
  priority ${t.long} NOT NULL,
  instance_id TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  root_instance_id TEXT NOT NULL,
  definition_id TEXT NOT NULL,
  definition_key TEXT NOT NULL,
  definition_version_tag TEXT,
  activity_id TEXT NOT NULL,
  activity_instance_id TEXT NOT NULL,
  business_key TEXT,
  tenant_id TEXT,
  create_time ${t.ts} NOT NULL
)`;

/**
 * Only tasks that may ever be fetched, per topic in the claim's order. Its
 * predicate must appear verbatim in the fetch's WHERE
 * (../sql/fetch-external-tasks.ts): SQLite uses a partial index only when the
 * query repeats its terms.
 */
const fetchIndex = 'CREATE INDEX cf_idx_external_task_fetch ON cf_external_task (topic_name, priority DESC, create_time, id) WHERE (retries IS NULL OR retries > 0) AND NOT suspended';

const indexes = [fetchIndex, 'CREATE INDEX cf_idx_external_task_instance ON cf_external_task (instance_id)'];

const sqliteUp = [createTable({ ts: 'INTEGER', bool: 'INTEGER', long: 'INTEGER' }), ...indexes];

const postgresUp = [createTable({ ts: 'BIGINT', bool: 'BOOLEAN', long: 'BIGINT' }), ...indexes];
