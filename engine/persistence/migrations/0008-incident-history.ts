import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Historic incidents (Camunda's ACT_HI_INCIDENT), written at history level
 * full: a row is inserted open when the incident is raised and patched to
 * resolved or deleted, with its end time, when it goes away. Like 0001 and
 * 0003: timestamps are epoch milliseconds. `incident_state` is 'open',
 * 'resolved' or 'deleted'.
 */
export class IncidentHistory0008 implements MigrationInterface {
  readonly name = 'IncidentHistory0000000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (const sql of postgres ? postgresUp : sqliteUp) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS cf_hi_incident');
  }
}

interface Types {
  /** Epoch milliseconds. */
  ts: string;
}

const createTable = (t: Types) => `CREATE TABLE cf_hi_incident (
  id TEXT PRIMARY KEY,
  incident_type TEXT NOT NULL,
  instance_id TEXT,
  execution_id TEXT,
  root_instance_id TEXT,
  definition_id TEXT,
  definition_key TEXT,
  activity_id TEXT,
  failed_activity_id TEXT,
  cause_incident_id TEXT,
  root_cause_incident_id TEXT,
  configuration TEXT,
  history_configuration TEXT,
  message TEXT,
  annotation TEXT,
  job_definition_id TEXT,
  create_time ${t.ts} NOT NULL,
  end_time ${t.ts},
  removal_time ${t.ts},
  tenant_id TEXT,
  incident_state TEXT NOT NULL
)`;

/**
 * By instance (the usual filter, and history cleanup deletes by it), by
 * definition key, by the failed job, and in the default order. Open incidents
 * are few among all that history keeps: their own index lists them oldest
 * first. Its predicate must appear verbatim in the `open` filter
 * (../sql/query-builder.ts): SQLite uses a partial index only when the query
 * repeats its terms.
 */
const indexes = [
  'CREATE INDEX cf_idx_hi_incident_instance ON cf_hi_incident (instance_id)',
  'CREATE INDEX cf_idx_hi_incident_definition_key ON cf_hi_incident (definition_key)',
  'CREATE INDEX cf_idx_hi_incident_configuration ON cf_hi_incident (configuration)',
  'CREATE INDEX cf_idx_hi_incident_create_time ON cf_hi_incident (create_time, id)',
  "CREATE INDEX cf_idx_hi_incident_open ON cf_hi_incident (create_time, id) WHERE incident_state = 'open'",
];

const sqliteUp = [createTable({ ts: 'INTEGER' }), ...indexes];

const postgresUp = [createTable({ ts: 'BIGINT' }), ...indexes];
