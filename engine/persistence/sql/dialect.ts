/**
 * What differs between SQLite and PostgreSQL in the SQL we build. Both use
 * `$n` placeholders: PostgreSQL natively, SQLite as named parameters bound
 * from an object (`{ 1: v1, 2: v2 }`, see `sqliteParams`), so one SQL text
 * serves both and parameters can be added in any order.
 */
export interface Dialect {
  readonly kind: 'sqlite' | 'postgres';
  /** A boolean as the driver binds it: SQLite has no boolean, it stores 0/1. */
  bool(value: boolean): boolean | number;
  /** The LIMIT value meaning "no limit". */
  readonly noLimit: number | null;
  /** NULLS placement so both stores sort null as the smallest value (SQLite's default). */
  nulls(direction: 'asc' | 'desc'): string;
}

export const sqliteDialect: Dialect = {
  kind: 'sqlite',
  bool: (value) => (value ? 1 : 0),
  noLimit: -1,
  nulls: () => '',
};

export const postgresDialect: Dialect = {
  kind: 'postgres',
  bool: (value) => value,
  noLimit: null,
  nulls: (direction) => (direction === 'asc' ? ' NULLS FIRST' : ' NULLS LAST'),
};

/** Collects parameter values while SQL text is built; `add` returns the placeholder. */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(readonly dialect: Dialect) {}

  /** Dates bind as epoch milliseconds, booleans per dialect. */
  add(value: unknown): string {
    this.values.push(toDb(value, this.dialect));
    return `$${this.values.length}`;
  }

  /** `(…)` for an IN list; never empty (callers turn empty lists into a false condition). */
  list(values: readonly unknown[]): string {
    return `(${values.map((v) => this.add(v)).join(', ')})`;
  }
}

export function toDb(value: unknown, dialect: Dialect): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return dialect.bool(value);
  return value === undefined ? null : value;
}

/** better-sqlite3 binds `$n` placeholders from an object keyed by n. */
export function sqliteParams(values: readonly unknown[]): Record<number, unknown> {
  const named: Record<number, unknown> = {};
  for (let i = 0; i < values.length; i++) named[i + 1] = values[i];
  return named;
}

/**
 * Escapes `%`, `_` and `\` for a LIKE pattern that must match `text`
 * literally (all our LIKEs use `ESCAPE '\'`). Camunda's own `…Like` filter
 * values are passed through as given: their `%` are wildcards.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column LIKE $n ESCAPE '\'`. */
export function like(column: string, q: SqlParams, pattern: string): string {
  return `${column} LIKE ${q.add(pattern)} ESCAPE '\\'`;
}
