/**
 * Column builders for the entity schemas. Timestamps are epoch milliseconds
 * (INTEGER in SQLite, BIGINT in PostgreSQL); the `epochMs` transformer marks
 * a column as a Date in rows, which is how ../sql/table-codec.ts finds them.
 */
import type { EntitySchemaColumnOptions, ValueTransformer } from 'typeorm';

/** Date <-> epoch milliseconds. PostgreSQL returns BIGINT as a string, hence `Number`. */
export const epochMs: ValueTransformer = {
  to: (value: Date | null | undefined) => (value == null ? value : value.getTime()),
  from: (value: number | string | null | undefined) => (value == null ? value : new Date(Number(value))),
};

export const column = {
  id: (): EntitySchemaColumnOptions => ({ name: 'id', type: 'text', primary: true }),
  text: (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: 'text', nullable }),
  int: (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: 'integer', nullable }),
  long: (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: 'bigint', nullable }),
  double: (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: 'double precision', nullable }),
  bool: (name: string): EntitySchemaColumnOptions => ({ name, type: 'boolean' }),
  time: (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: 'bigint', nullable, transformer: epochMs }),
};

/**
 * The four columns that hold a `TypedValue` (property `value` of a row):
 * the type name, a text form (String, Date as ISO, Json/Object as JSON), a
 * numeric form (numbers, Boolean as 0/1, Date as epoch ms) for comparisons,
 * and the whole TypedValue as JSON to restore it exactly.
 */
export const typedValueColumns = {
  valueType: column.text('value_type'),
  textValue: column.text('text_value', true),
  numericValue: column.double('numeric_value', true),
  jsonValue: column.text('json_value'),
};
