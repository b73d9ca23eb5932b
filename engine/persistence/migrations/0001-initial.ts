import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The initial schema. Frozen: later changes go into new numbered migrations.
 * Timestamps are epoch milliseconds; booleans are BOOLEAN in PostgreSQL and
 * 0/1 INTEGER in SQLite.
 */
export class Initial0001 implements MigrationInterface {
  // TypeORM orders migrations by the trailing 13 digits of the name.
  readonly name = 'Initial0000000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (const sql of postgres ? postgresUp : sqliteUp) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (const table of [...tables].reverse()) await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    if (postgres) await queryRunner.query('DROP FUNCTION IF EXISTS cf_raise_conflict(TEXT, TEXT)');
  }
}

const tables = [
  'cf_deployment',
  'cf_resource',
  'cf_process_definition',
  'cf_process_instance',
  'cf_execution',
  'cf_task',
  'cf_identity_link',
  'cf_variable',
  'cf_hi_procinst',
  'cf_hi_actinst',
  'cf_hi_taskinst',
  'cf_hi_varinst',
  'cf_hi_detail',
];

const indexes = [
  'CREATE INDEX cf_idx_deployment_name ON cf_deployment (name, tenant_id)',
  'CREATE INDEX cf_idx_deployment_time ON cf_deployment (deploy_time)',
  'CREATE INDEX cf_idx_resource_deployment ON cf_resource (deployment_id, name)',
  'CREATE INDEX cf_idx_resource_name ON cf_resource (name)',
  'CREATE INDEX cf_idx_procdef_key_version ON cf_process_definition (def_key, version)',
  'CREATE INDEX cf_idx_procdef_deployment ON cf_process_definition (deployment_id)',
  'CREATE INDEX cf_idx_procinst_definition ON cf_process_instance (definition_id)',
  'CREATE INDEX cf_idx_procinst_key ON cf_process_instance (definition_key)',
  'CREATE INDEX cf_idx_procinst_business_key ON cf_process_instance (business_key)',
  'CREATE INDEX cf_idx_procinst_super ON cf_process_instance (super_instance_id)',
  'CREATE INDEX cf_idx_procinst_root ON cf_process_instance (root_instance_id)',
  'CREATE INDEX cf_idx_execution_instance ON cf_execution (instance_id)',
  'CREATE INDEX cf_idx_execution_activity ON cf_execution (activity_id)',
  'CREATE INDEX cf_idx_task_instance ON cf_task (instance_id)',
  'CREATE INDEX cf_idx_task_assignee ON cf_task (assignee)',
  'CREATE INDEX cf_idx_task_create_time ON cf_task (create_time)',
  'CREATE INDEX cf_idx_task_definition_key ON cf_task (task_definition_key)',
  'CREATE INDEX cf_idx_identity_link_task ON cf_identity_link (task_id)',
  'CREATE INDEX cf_idx_identity_link_group ON cf_identity_link (group_id)',
  'CREATE INDEX cf_idx_identity_link_user ON cf_identity_link (user_id)',
  'CREATE INDEX cf_idx_variable_instance ON cf_variable (instance_id)',
  'CREATE INDEX cf_idx_variable_name ON cf_variable (name)',
  'CREATE INDEX cf_idx_variable_execution ON cf_variable (execution_id)',
  'CREATE INDEX cf_idx_variable_task ON cf_variable (task_id)',
  'CREATE INDEX cf_idx_hi_procinst_definition ON cf_hi_procinst (definition_id)',
  'CREATE INDEX cf_idx_hi_procinst_key ON cf_hi_procinst (definition_key)',
  'CREATE INDEX cf_idx_hi_procinst_business_key ON cf_hi_procinst (business_key)',
  'CREATE INDEX cf_idx_hi_procinst_super ON cf_hi_procinst (super_instance_id)',
  'CREATE INDEX cf_idx_hi_procinst_start ON cf_hi_procinst (start_time)',
  'CREATE INDEX cf_idx_hi_procinst_end ON cf_hi_procinst (end_time)',
  'CREATE INDEX cf_idx_hi_procinst_removal ON cf_hi_procinst (removal_time)',
  'CREATE INDEX cf_idx_hi_actinst_instance ON cf_hi_actinst (instance_id)',
  'CREATE INDEX cf_idx_hi_actinst_removal ON cf_hi_actinst (removal_time)',
  'CREATE INDEX cf_idx_hi_taskinst_instance ON cf_hi_taskinst (instance_id)',
  'CREATE INDEX cf_idx_hi_taskinst_assignee ON cf_hi_taskinst (assignee)',
  'CREATE INDEX cf_idx_hi_taskinst_removal ON cf_hi_taskinst (removal_time)',
  'CREATE INDEX cf_idx_hi_varinst_instance ON cf_hi_varinst (instance_id)',
  'CREATE INDEX cf_idx_hi_varinst_name ON cf_hi_varinst (name)',
  'CREATE INDEX cf_idx_hi_varinst_removal ON cf_hi_varinst (removal_time)',
  'CREATE INDEX cf_idx_hi_detail_instance ON cf_hi_detail (instance_id)',
  'CREATE INDEX cf_idx_hi_detail_variable ON cf_hi_detail (variable_instance_id)',
  'CREATE INDEX cf_idx_hi_detail_removal ON cf_hi_detail (removal_time)',
];

interface Types {
  /** Epoch milliseconds. */
  ts: string;
  bool: string;
  long: string;
  double: string;
  serial: string;
}

function createTables(t: Types): string[] {
  return [
    `CREATE TABLE cf_deployment (
      id TEXT PRIMARY KEY,
      name TEXT,
      source TEXT,
      tenant_id TEXT,
      deploy_time ${t.ts} NOT NULL
    )`,
    `CREATE TABLE cf_resource (
      id TEXT PRIMARY KEY,
      deployment_id TEXT NOT NULL,
      name TEXT NOT NULL,
      content TEXT NOT NULL,
      hash TEXT NOT NULL
    )`,
    `CREATE TABLE cf_process_definition (
      id TEXT PRIMARY KEY,
      def_key TEXT NOT NULL,
      version INTEGER NOT NULL,
      version_tag TEXT,
      name TEXT,
      category TEXT,
      deployment_id TEXT NOT NULL,
      resource_name TEXT NOT NULL,
      tenant_id TEXT,
      history_ttl INTEGER,
      suspended ${t.bool} NOT NULL,
      executable ${t.bool} NOT NULL,
      startable_in_tasklist ${t.bool} NOT NULL
    )`,
    `CREATE TABLE cf_process_instance (
      id TEXT PRIMARY KEY,
      rev INTEGER NOT NULL,
      definition_id TEXT NOT NULL,
      definition_key TEXT NOT NULL,
      business_key TEXT,
      tenant_id TEXT,
      suspended ${t.bool} NOT NULL,
      super_instance_id TEXT,
      super_execution_id TEXT,
      root_instance_id TEXT NOT NULL,
      start_time ${t.ts} NOT NULL,
      start_user_id TEXT,
      doc TEXT NOT NULL
    )`,
    `CREATE TABLE cf_execution (
      id TEXT PRIMARY KEY,
      instance_id TEXT NOT NULL,
      parent_id TEXT,
      activity_id TEXT,
      activity_instance_id TEXT,
      active ${t.bool} NOT NULL,
      concurrent ${t.bool} NOT NULL,
      scope ${t.bool} NOT NULL,
      definition_id TEXT NOT NULL,
      tenant_id TEXT,
      business_key TEXT,
      suspended ${t.bool} NOT NULL
    )`,
    `CREATE TABLE cf_task (
      id TEXT PRIMARY KEY,
      instance_id TEXT NOT NULL,
      execution_id TEXT NOT NULL,
      activity_instance_id TEXT NOT NULL,
      definition_id TEXT NOT NULL,
      definition_key TEXT NOT NULL,
      task_definition_key TEXT NOT NULL,
      name TEXT,
      description TEXT,
      assignee TEXT,
      owner TEXT,
      priority INTEGER NOT NULL,
      due_date ${t.ts},
      follow_up_date ${t.ts},
      form_key TEXT,
      create_time ${t.ts} NOT NULL,
      tenant_id TEXT,
      suspended ${t.bool} NOT NULL
    )`,
    `CREATE TABLE cf_identity_link (
      id ${t.serial},
      task_id TEXT NOT NULL,
      link_type TEXT NOT NULL,
      user_id TEXT,
      group_id TEXT
    )`,
    `CREATE TABLE cf_variable (
      id TEXT PRIMARY KEY,
      instance_id TEXT NOT NULL,
      execution_id TEXT NOT NULL,
      activity_instance_id TEXT NOT NULL,
      task_id TEXT,
      name TEXT NOT NULL,
      value_type TEXT NOT NULL,
      text_value TEXT,
      numeric_value ${t.double},
      json_value TEXT NOT NULL,
      definition_id TEXT NOT NULL,
      tenant_id TEXT
    )`,
    `CREATE TABLE cf_hi_procinst (
      id TEXT PRIMARY KEY,
      business_key TEXT,
      definition_id TEXT NOT NULL,
      definition_key TEXT NOT NULL,
      definition_name TEXT,
      definition_version INTEGER NOT NULL,
      start_time ${t.ts} NOT NULL,
      end_time ${t.ts},
      duration_ms ${t.long},
      start_user_id TEXT,
      start_activity_id TEXT,
      end_activity_id TEXT,
      super_instance_id TEXT,
      root_instance_id TEXT NOT NULL,
      tenant_id TEXT,
      state TEXT NOT NULL,
      delete_reason TEXT,
      removal_time ${t.ts}
    )`,
    `CREATE TABLE cf_hi_actinst (
      id TEXT PRIMARY KEY,
      parent_activity_instance_id TEXT,
      activity_id TEXT NOT NULL,
      activity_name TEXT,
      activity_type TEXT NOT NULL,
      instance_id TEXT NOT NULL,
      execution_id TEXT NOT NULL,
      definition_id TEXT NOT NULL,
      definition_key TEXT NOT NULL,
      task_id TEXT,
      called_process_instance_id TEXT,
      assignee TEXT,
      start_time ${t.ts} NOT NULL,
      end_time ${t.ts},
      duration_ms ${t.long},
      canceled ${t.bool} NOT NULL,
      complete_scope ${t.bool} NOT NULL,
      sequence_counter ${t.long} NOT NULL,
      tenant_id TEXT,
      removal_time ${t.ts}
    )`,
    `CREATE TABLE cf_hi_taskinst (
      id TEXT PRIMARY KEY,
      instance_id TEXT NOT NULL,
      execution_id TEXT NOT NULL,
      activity_instance_id TEXT NOT NULL,
      definition_id TEXT NOT NULL,
      definition_key TEXT NOT NULL,
      task_definition_key TEXT NOT NULL,
      name TEXT,
      description TEXT,
      assignee TEXT,
      owner TEXT,
      priority INTEGER NOT NULL,
      due_date ${t.ts},
      follow_up_date ${t.ts},
      start_time ${t.ts} NOT NULL,
      end_time ${t.ts},
      duration_ms ${t.long},
      delete_reason TEXT,
      tenant_id TEXT,
      removal_time ${t.ts}
    )`,
    `CREATE TABLE cf_hi_varinst (
      id TEXT PRIMARY KEY,
      instance_id TEXT NOT NULL,
      execution_id TEXT NOT NULL,
      activity_instance_id TEXT NOT NULL,
      task_id TEXT,
      name TEXT NOT NULL,
      value_type TEXT NOT NULL,
      text_value TEXT,
      numeric_value ${t.double},
      json_value TEXT NOT NULL,
      state TEXT NOT NULL,
      create_time ${t.ts} NOT NULL,
      definition_id TEXT NOT NULL,
      definition_key TEXT NOT NULL,
      tenant_id TEXT,
      removal_time ${t.ts}
    )`,
    `CREATE TABLE cf_hi_detail (
      id TEXT PRIMARY KEY,
      variable_instance_id TEXT NOT NULL,
      instance_id TEXT NOT NULL,
      execution_id TEXT NOT NULL,
      activity_instance_id TEXT NOT NULL,
      task_id TEXT,
      name TEXT NOT NULL,
      value_type TEXT NOT NULL,
      text_value TEXT,
      numeric_value ${t.double},
      json_value TEXT NOT NULL,
      time ${t.ts} NOT NULL,
      revision INTEGER NOT NULL,
      definition_id TEXT NOT NULL,
      definition_key TEXT NOT NULL,
      tenant_id TEXT,
      removal_time ${t.ts}
    )`,
  ];
}

const sqliteUp = [
  ...createTables({ ts: 'INTEGER', bool: 'INTEGER', long: 'INTEGER', double: 'REAL', serial: 'INTEGER PRIMARY KEY AUTOINCREMENT' }),
  ...indexes,
];

const postgresUp = [
  ...createTables({
    ts: 'BIGINT',
    bool: 'BOOLEAN',
    long: 'BIGINT',
    double: 'DOUBLE PRECISION',
    serial: 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY',
  }),
  ...indexes,
  // Lets a single-statement commit abort itself when an optimistic lock fails
  // (see ../sql/postgres-commit.ts). SQLSTATE CF409 is ours.
  `CREATE OR REPLACE FUNCTION cf_raise_conflict(op TEXT, entity_id TEXT) RETURNS INTEGER LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION USING ERRCODE = 'CF409', MESSAGE = coalesce(entity_id, ''), DETAIL = op;
  END
  $$`,
];
