import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Opt-in message buffering (../buffered-message-store.ts). Like 0001, 0003
 * and 0004: timestamps are epoch milliseconds, booleans BOOLEAN in PostgreSQL
 * and 0/1 INTEGER in SQLite. `rev` guards consumption (the consuming command
 * deletes the row at revision 0, so only one command can have it).
 */
export class MessageBuffer0006 implements MigrationInterface {
  readonly name = 'MessageBuffer0000000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (const sql of postgres ? postgresUp : sqliteUp) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS cf_buffered_message');
  }
}

interface Types {
  /** Epoch milliseconds. */
  ts: string;
  bool: string;
}

const createTable = (t: Types) => `CREATE TABLE cf_buffered_message (
  id TEXT PRIMARY KEY,
  rev INTEGER NOT NULL,
  message_name TEXT NOT NULL,
  business_key TEXT,
  process_instance_id TEXT,
  correlation_keys TEXT,
  local_correlation_keys TEXT,
  variables TEXT,
  variables_local TEXT,
  tenant_id TEXT,
  without_tenant_id ${t.bool} NOT NULL,
  tenant_id_in TEXT,
  create_time ${t.ts} NOT NULL,
  expires_at ${t.ts} NOT NULL
)`;

const indexes = [
  'CREATE INDEX cf_idx_buffered_message_name ON cf_buffered_message (message_name, create_time)',
  'CREATE INDEX cf_idx_buffered_message_expiry ON cf_buffered_message (expires_at)',
];

const sqliteUp = [createTable({ ts: 'INTEGER', bool: 'INTEGER' }), ...indexes];

const postgresUp = [createTable({ ts: 'BIGINT', bool: 'BOOLEAN' }), ...indexes];
