/**
 * Query filters arrive two ways in Camunda's API: as URL query parameters
 * (GET, lists comma-separated, variable conditions as `name_op_value`) and as
 * a JSON body (POST query endpoints, lists as arrays, conditions as
 * `[{ name, operator, value }]`). `Params` reads both the same way.
 */
import type { VariableCondition, VariableOperator } from '../../engine/index.js';
import { badParameter, invalidRequest, unsupported } from './errors.js';
import { parseDate } from './json.js';

export interface SortSpec {
  sortBy: string;
  sortOrder: 'asc' | 'desc';
}

export interface Params {
  has(name: string): boolean;
  string(name: string): string | undefined;
  boolean(name: string): boolean | undefined;
  integer(name: string): number | undefined;
  date(name: string): Date | undefined;
  list(name: string): string[] | undefined;
  variables(name: string): VariableCondition[] | undefined;
  sorting(): SortSpec[];
}

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'like']);
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function operator(op: unknown): VariableOperator {
  if (typeof op !== 'string' || !OPERATORS.has(op)) throw invalidRequest(400, `Invalid variable comparator specified: ${String(op)}`);
  return op as VariableOperator;
}

/** A date-like text compares with Date variables, which the store keeps as ISO text. */
function normalizeText(value: string): string {
  const d = parseDate(value);
  return d ? d.toISOString() : value;
}

function integerOf(name: string, raw: unknown): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw badParameter(name, raw);
  return n;
}

function booleanOf(name: string, raw: unknown): boolean {
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw badParameter(name, raw);
}

function dateOf(name: string, raw: unknown): Date {
  const d = typeof raw === 'string' ? parseDate(raw) : null;
  if (!d) throw badParameter(name, raw, `Cannot convert value "${String(raw)}" to java type java.util.Date`);
  return d;
}

function sortSpec(sortBy: unknown, sortOrder: unknown): SortSpec {
  if (typeof sortBy !== 'string' || sortBy === '') throw badParameter('sortBy', sortBy);
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw badParameter('sortOrder', sortOrder);
  return { sortBy, sortOrder };
}

function checkPair(sortBy: unknown, sortOrder: unknown): void {
  if ((sortBy === undefined) !== (sortOrder === undefined)) {
    throw invalidRequest(400, 'Only a single sorting parameter specified. sortBy and sortOrder required');
  }
}

/**
 * URL query parameters. A variable condition value that looks like a number
 * compares numerically and one that looks like a date compares with Date
 * variables; anything else compares as text. (Camunda compares every GET
 * value as text; the POST form keeps the JSON type when that matters.)
 */
export function queryParams(q: URLSearchParams): Params {
  const raw = (name: string): string | undefined => {
    const v = q.get(name);
    return v === null ? undefined : v;
  };
  return {
    has: (name) => q.has(name),
    string: raw,
    ...typedGetters(raw),
    list: (name) => {
      const v = raw(name);
      return v === undefined ? undefined : v.split(',').filter((s) => s !== '');
    },
    variables: (name) => {
      const v = raw(name);
      if (v === undefined || v === '') return undefined;
      return v.split(',').map((expression) => {
        const triple = expression.split('_');
        if (triple.length !== 3) throw invalidRequest(400, 'variable query parameter has to have format KEY_OPERATOR_VALUE.');
        const [varName, op, text] = triple as [string, string, string];
        const value = NUMBER.test(text) ? Number(text) : normalizeText(text);
        return { name: varName, operator: operator(op), value };
      });
    },
    sorting: () => {
      const sortBy = raw('sortBy');
      const sortOrder = raw('sortOrder');
      checkPair(sortBy, sortOrder);
      return sortBy === undefined ? [] : [sortSpec(sortBy, sortOrder)];
    },
  };
}

/** The boolean, integer and date getters, the same for query strings and JSON bodies. */
function typedGetters(raw: (name: string) => unknown): Pick<Params, 'boolean' | 'integer' | 'date'> {
  return {
    boolean: (name) => {
      const v = raw(name);
      return v === undefined ? undefined : booleanOf(name, v);
    },
    integer: (name) => {
      const v = raw(name);
      return v === undefined ? undefined : integerOf(name, v);
    },
    date: (name) => {
      const v = raw(name);
      return v === undefined ? undefined : dateOf(name, v);
    },
  };
}

/** A POST query body (`{ "processDefinitionKey": "order", "variables": [...], "sorting": [...] }`). */
export function bodyParams(body: Record<string, unknown>): Params {
  const raw = (name: string): unknown => (body[name] === null ? undefined : body[name]);
  return {
    has: (name) => raw(name) !== undefined,
    string: (name) => {
      const v = raw(name);
      if (v === undefined) return undefined;
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      throw badParameter(name, v);
    },
    ...typedGetters(raw),
    list: (name) => {
      const v = raw(name);
      if (v === undefined) return undefined;
      if (typeof v === 'string') return v.split(',').filter((s) => s !== '');
      if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
      throw badParameter(name, v);
    },
    variables: (name) => {
      const v = raw(name);
      if (v === undefined) return undefined;
      if (!Array.isArray(v)) throw badParameter(name, v);
      return v.map((c: unknown) => {
        if (typeof c !== 'object' || c === null) throw badParameter(name, c);
        const { name: varName, operator: op, value } = c as Record<string, unknown>;
        if (typeof varName !== 'string') throw badParameter(name, c);
        if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) throw badParameter(name, c);
        const v2 = typeof value === 'string' ? normalizeText(value) : (value as number | boolean | null);
        return { name: varName, operator: operator(op), value: v2 };
      });
    },
    sorting: () => {
      const out: SortSpec[] = [];
      checkPair(raw('sortBy'), raw('sortOrder'));
      if (raw('sortBy') !== undefined) out.push(sortSpec(raw('sortBy'), raw('sortOrder')));
      const sorting = raw('sorting');
      if (sorting !== undefined) {
        if (!Array.isArray(sorting)) throw badParameter('sorting', sorting);
        for (const s of sorting as unknown[]) {
          const spec = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
          out.push(sortSpec(spec['sortBy'], spec['sortOrder']));
        }
      }
      return out;
    },
  };
}

/** Camunda filters this engine cannot evaluate yet: refused so nobody acts on a wider result. */
export function rejectUnsupported(p: Params, names: readonly string[]): void {
  for (const name of names) {
    if (p.has(name)) throw unsupported(`The filter '${name}'`);
  }
}

/** Camunda's flag filters act only when true (`suspended=false` means "no filter"). */
export function flag(p: Params, name: string): true | undefined {
  return p.boolean(name) === true ? true : undefined;
}

/** `active=true` → not suspended, `suspended=true` → suspended. */
export function suspension(p: Params): boolean | undefined {
  const active = flag(p, 'active');
  const suspended = flag(p, 'suspended');
  if (active && suspended) return undefined;
  return active ? false : suspended ? true : undefined;
}

/** Drops undefined fields so the store sees only the filters that were given. */
export function compact<T extends object>(filter: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter)) if (v !== undefined) out[k] = v;
  return out as T;
}
