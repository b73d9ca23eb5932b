import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs, incidents and event subscriptions (see ../job-store.ts). Like 0001:
 * timestamps are epoch milliseconds, booleans BOOLEAN in PostgreSQL and 0/1
 * INTEGER in SQLite. No `rev` column: commits check the optimistic lock of
 * process instances only; a job is guarded by its lock (lock_owner,
 * lock_expiration), which acquisition sets.
 */
export class Jobs0003 implements MigrationInterface {
  readonly name = 'Jobs0000000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (const sql of postgres ? postgresUp : sqliteUp) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables) await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}

const tables = ['cf_job', 'cf_incident', 'cf_event_subscription'];

interface Types {
  /** Epoch milliseconds. */
  ts: string;
  bool: string;
  long: string;
}

function createTables(t: Types): string[] {
  return [
    `CREATE TABLE cf_job (
      id TEXT PRIMARY KEY,
      job_type TEXT NOT NULL,
      instance_id TEXT,
      execution_id TEXT,
      root_instance_id TEXT,
      definition_id TEXT,
      definition_key TEXT,
      activity_id TEXT,
      due_date ${t.ts},
      retries INTEGER NOT NULL,
      lock_owner TEXT,
      lock_expiration ${t.ts},
      exception_message TEXT,
      exception_details TEXT,
      priority ${t.long} NOT NULL,
      exclusive ${t.bool} NOT NULL,
      suspended ${t.bool} NOT NULL,
      handler_config TEXT NOT NULL,
      repeat TEXT,
      tenant_id TEXT,
      create_time ${t.ts} NOT NULL
    )`,
    `CREATE TABLE cf_incident (
      id TEXT PRIMARY KEY,
      incident_type TEXT NOT NULL,
      instance_id TEXT,
      execution_id TEXT,
      root_instance_id TEXT,
      definition_id TEXT,
      definition_key TEXT,
      activity_id TEXT,
      configuration TEXT,
      message TEXT,
      annotation TEXT,
      create_time ${t.ts} NOT NULL,
      tenant_id TEXT
    )`,
    `CREATE TABLE cf_event_subscription (
      id TEXT PRIMARY KEY,
      event_type TEXT NOT NULL,
      event_name TEXT,
      instance_id TEXT,
      execution_id TEXT,
      activity_id TEXT,
      definition_id TEXT,
      tenant_id TEXT,
      create_time ${t.ts} NOT NULL
    )`,
  ];
}

/**
 * The acquisition index holds only jobs that may ever run (the predicate
 * names no lock or due date: those change with time, not with the row) in
 * the claim's order, so a claim reads the first due entries and stops. Its
 * predicate must appear verbatim in the claim's WHERE (../sql/acquire-jobs.ts):
 * SQLite uses a partial index only when the query repeats its terms.
 * SQLite sorts NULL first in ascending order and cannot say so in an index.
 */
const acquisitionIndex = (dueDate: string) =>
  `CREATE INDEX cf_idx_job_acquisition ON cf_job (priority DESC, ${dueDate}, create_time, id) WHERE retries > 0 AND NOT suspended`;

const indexes = [
  'CREATE INDEX cf_idx_job_instance ON cf_job (instance_id)',
  'CREATE INDEX cf_idx_job_root_instance ON cf_job (root_instance_id)',
  'CREATE INDEX cf_idx_incident_instance ON cf_incident (instance_id)',
  'CREATE INDEX cf_idx_incident_configuration ON cf_incident (configuration)',
  'CREATE INDEX cf_idx_event_subscription_name ON cf_event_subscription (event_type, event_name)',
  'CREATE INDEX cf_idx_event_subscription_instance ON cf_event_subscription (instance_id)',
  'CREATE INDEX cf_idx_event_subscription_execution ON cf_event_subscription (execution_id)',
];

const sqliteUp = [...createTables({ ts: 'INTEGER', bool: 'INTEGER', long: 'INTEGER' }), acquisitionIndex('due_date'), ...indexes];

const postgresUp = [...createTables({ ts: 'BIGINT', bool: 'BOOLEAN', long: 'BIGINT' }), acquisitionIndex('due_date ASC NULLS FIRST'), ...indexes];
