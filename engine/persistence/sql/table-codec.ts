/**
 * Row <-> column mapping for every table, derived from the entity schemas so
 * the column list lives in one place. Values are encoded for the driver
 * (Dates as epoch ms, booleans per dialect) and decoded from either driver
 * (PostgreSQL returns BIGINT as string and booleans as boolean; SQLite
 * returns numbers and 0/1).
 */
import type { EntitySchema, EntitySchemaColumnOptions } from 'typeorm';
import { epochMs } from '../entities/columns.js';
import { tableEntities } from '../entities/index.js';
import type { TableName, Tables, TaskRow } from '../store.js';
import type { Dialect } from './dialect.js';
import { decodeTypedValue, encodeTypedValue, type EncodedTypedValue } from './typed-value-codec.js';

export type ColumnKind = 'text' | 'int' | 'double' | 'bool' | 'time';

export interface ColumnSpec {
  /** Row property (or typed-value part: valueType, textValue, numericValue, jsonValue). */
  readonly field: string;
  readonly name: string;
  readonly kind: ColumnKind;
  /** PostgreSQL type of the column (casts in batch statements). */
  readonly pgType: string;
  /** Set for the columns holding a part of the row's TypedValue. */
  readonly typedPart?: keyof EncodedTypedValue;
}

export type DbRow = Record<string, unknown>;

export interface TableCodec<T extends TableName = TableName> {
  readonly table: T;
  readonly sqlName: string;
  readonly columns: readonly ColumnSpec[];
  /** Every column but the id: what an update sets. */
  readonly valueColumns: readonly ColumnSpec[];
  /** The row's `value` is spread over the typed-value columns. */
  readonly typedValue: boolean;
  /** Column values in `columns` order, or in the order of `subset`. */
  encode(row: Partial<Tables[T]>, dialect: Dialect, subset?: readonly ColumnSpec[]): unknown[];
  /** The columns a patch of these row fields sets (never the id). */
  patchColumns(fields: readonly string[]): ColumnSpec[];
  decode(dbRow: DbRow): Tables[T];
}

const typedValueFields = new Set(['valueType', 'textValue', 'numericValue', 'jsonValue']);

function columnSpec(field: string, options: EntitySchemaColumnOptions): ColumnSpec {
  const spec = baseColumnSpec(field, options);
  return typedValueFields.has(field) ? { ...spec, typedPart: field as keyof EncodedTypedValue } : spec;
}

function baseColumnSpec(field: string, options: EntitySchemaColumnOptions): ColumnSpec {
  const name = options.name ?? field;
  const type = String(options.type);
  if (type === 'boolean') return { field, name, kind: 'bool', pgType: 'boolean' };
  if (options.transformer === epochMs) return { field, name, kind: 'time', pgType: 'bigint' };
  if (type === 'integer') return { field, name, kind: 'int', pgType: 'integer' };
  if (type === 'bigint') return { field, name, kind: 'int', pgType: 'bigint' };
  if (type === 'double precision') return { field, name, kind: 'double', pgType: 'double precision' };
  return { field, name, kind: 'text', pgType: 'text' };
}

function encodeValue(kind: ColumnKind, value: unknown, dialect: Dialect): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bool':
      return dialect.bool(Boolean(value));
    case 'time':
      return (value as Date).getTime();
    default:
      return value;
  }
}

function decodeValue(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bool':
      return value === true || value === 1;
    case 'time':
      return new Date(Number(value));
    case 'int':
    case 'double':
      return Number(value);
    default:
      return value;
  }
}

function createCodec<T extends TableName>(table: T, entity: EntitySchema<any>): TableCodec<T> {
  const columns = Object.entries(entity.options.columns).map(([field, options]) => columnSpec(field, options as EntitySchemaColumnOptions));
  const typedValue = columns.some((c) => c.field === 'jsonValue');
  const plain = columns.filter((c) => !c.typedPart);
  const isTask = table === 'task';
  return {
    table,
    sqlName: entity.options.tableName!,
    columns,
    valueColumns: columns.filter((c) => c.name !== 'id'),
    typedValue,
    encode(row, dialect, subset = columns) {
      const record = row as unknown as Record<string, unknown>;
      const encoded: EncodedTypedValue | null = typedValue && record['value'] !== undefined ? encodeTypedValue(record['value'] as never) : null;
      const values: unknown[] = new Array(subset.length);
      for (let i = 0; i < subset.length; i++) {
        const c = subset[i]!;
        values[i] = c.typedPart ? (encoded ? encoded[c.typedPart] : null) : encodeValue(c.kind, record[c.field], dialect);
      }
      return values;
    },
    patchColumns(fields) {
      const set = new Set(fields);
      return columns.filter((c) => (c.typedPart ? set.has('value') : set.has(c.field) && c.field !== 'id'));
    },
    decode(dbRow) {
      const row: Record<string, unknown> = {};
      for (const c of plain) row[c.field] = decodeValue(c.kind, dbRow[c.name]);
      if (typedValue) row['value'] = decodeTypedValue(dbRow['json_value'] as string);
      if (isTask) {
        row['candidateUsers'] = [];
        row['candidateGroups'] = [];
      }
      return row as unknown as Tables[T];
    },
  };
}

export const codecs: { readonly [T in TableName]: TableCodec<T> } = Object.fromEntries(
  Object.entries(tableEntities).map(([table, entity]) => [table, createCodec(table as TableName, entity)]),
) as { [T in TableName]: TableCodec<T> };

/** A task's candidate users and groups as identity-link column values. */
export interface CandidateLink {
  taskId: string;
  userId: string | null;
  groupId: string | null;
}

/** Of a task row or a patch of one: only the kinds (users, groups) present. */
export function candidateLinks(taskId: string, task: Partial<Pick<TaskRow, 'candidateUsers' | 'candidateGroups'>>): CandidateLink[] {
  const links: CandidateLink[] = [];
  for (const user of new Set(task.candidateUsers ?? [])) links.push({ taskId, userId: user, groupId: null });
  for (const group of new Set(task.candidateGroups ?? [])) links.push({ taskId, userId: null, groupId: group });
  return links;
}

/** Fills `candidateUsers`/`candidateGroups` of decoded tasks from their identity-link rows (in link id order). */
export function attachCandidates(tasks: TaskRow[], links: readonly DbRow[]): void {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  for (const link of links) {
    const task = byId.get(link['task_id'] as string);
    if (!task) continue;
    if (link['user_id'] != null) task.candidateUsers.push(link['user_id'] as string);
    else if (link['group_id'] != null) task.candidateGroups.push(link['group_id'] as string);
  }
}
