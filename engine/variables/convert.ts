import { BadUserInputError } from '../errors.js';
import type { TypedValue, ValueType } from './typed-value.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Infers the Camunda type of a plain JavaScript value, as Camunda's Java API would see it. */
export function toTypedValue(value: unknown): TypedValue {
  if (value === null || value === undefined) return { type: 'Null', value: null };
  if (isTypedValue(value)) return value;
  switch (typeof value) {
    case 'string':
      return { type: 'String', value };
    case 'boolean':
      return { type: 'Boolean', value };
    case 'number':
      if (Number.isInteger(value)) return { type: value >= INT_MIN && value <= INT_MAX ? 'Integer' : 'Long', value };
      return { type: 'Double', value };
    case 'bigint':
      return { type: 'Long', value: Number(value) };
    case 'object':
      if (value instanceof Date) return { type: 'Date', value: new Date(value.getTime()) };
      return { type: 'Json', value: JSON.parse(JSON.stringify(value)) as unknown };
    default:
      throw new BadUserInputError(`Cannot store a value of JavaScript type ${typeof value} as a variable`);
  }
}

/** A marker class so callers can hand over an explicitly typed value through `setVariable`. */
export function typed(type: ValueType, value: unknown, valueInfo?: TypedValue['valueInfo']): TypedValue {
  return normalizeTypedValue(valueInfo ? { type, value, valueInfo } : { type, value }, 'value');
}

const TYPED = Symbol.for('cadenzaflow.typedValue');

export function isTypedValue(v: unknown): v is TypedValue {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[TYPED] === true;
}

function mark(tv: TypedValue): TypedValue {
  Object.defineProperty(tv, TYPED, { value: true, enumerable: false });
  return tv;
}

const TYPE_NAMES: Record<string, ValueType> = {
  string: 'String', integer: 'Integer', long: 'Long', short: 'Short', double: 'Double', boolean: 'Boolean',
  date: 'Date', null: 'Null', json: 'Json', object: 'Object', bytes: 'Bytes',
};

/**
 * Validates and normalizes a value given in Camunda's wire form `{ type, value, valueInfo }`
 * (type names are case-insensitive, as Camunda's REST API accepts them). `field` names the
 * variable in error messages.
 */
export function normalizeTypedValue(input: { type?: string | null; value: unknown; valueInfo?: TypedValue['valueInfo'] | null }, field: string): TypedValue {
  if (input.type === undefined || input.type === null || input.type === '') {
    return mark({ ...toTypedValue(input.value) });
  }
  const type = TYPE_NAMES[input.type.toLowerCase()];
  if (!type) throw new BadUserInputError(`Unsupported value type '${input.type}' for variable '${field}'`, field);
  const v = input.value;
  const bad = (what: string): never => {
    throw new BadUserInputError(`Cannot convert value '${String(v)}' of variable '${field}' to type ${type}: ${what}`, field);
  };
  let value: unknown = v;
  if (v === null || v === undefined) {
    value = null;
  } else {
    switch (type) {
      case 'String':
        value = typeof v === 'string' ? v : String(v);
        break;
      case 'Integer':
      case 'Long':
      case 'Short': {
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
        if (!Number.isInteger(n)) bad('not an integer');
        if (type === 'Integer' && (n < INT_MIN || n > INT_MAX)) bad('out of range for Integer');
        if (type === 'Short' && (n < -32768 || n > 32767)) bad('out of range for Short');
        value = n;
        break;
      }
      case 'Double': {
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
        if (Number.isNaN(n)) bad('not a number');
        value = n;
        break;
      }
      case 'Boolean':
        if (typeof v === 'boolean') value = v;
        else if (v === 'true' || v === 'false') value = v === 'true';
        else bad('not a boolean');
        break;
      case 'Date': {
        const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;
        if (!d || Number.isNaN(d.getTime())) bad('not a date (expected ISO 8601, e.g. 2026-01-31T10:00:00.000+0000)');
        value = d;
        break;
      }
      case 'Null':
        value = null;
        break;
      case 'Json':
      case 'Object':
        if (typeof v === 'string') {
          try {
            value = JSON.parse(v) as unknown;
          } catch (e) {
            bad(`not valid JSON (${(e as Error).message})`);
          }
        } else {
          value = JSON.parse(JSON.stringify(v)) as unknown;
        }
        break;
      case 'Bytes':
        value = typeof v === 'string' ? v : bad('expected base64 text');
        break;
    }
  }
  const tv: TypedValue = { type, value };
  if (input.valueInfo) tv.valueInfo = { ...input.valueInfo };
  if (type === 'Object' && !tv.valueInfo?.serializationDataFormat) tv.valueInfo = { ...tv.valueInfo, serializationDataFormat: 'application/json' };
  return mark(tv);
}

/** The plain JavaScript value scripts, expressions and handlers see. */
export function plainValue(tv: TypedValue): unknown {
  if (tv.type === 'Date' && tv.value !== null && !(tv.value instanceof Date)) return new Date(tv.value as string);
  return tv.value;
}

/** JSON-safe form for the instance document. */
export interface StoredValue {
  t: ValueType;
  v: unknown;
  i?: TypedValue['valueInfo'];
}

export function storeValue(tv: TypedValue): StoredValue {
  const v = tv.type === 'Date' && tv.value instanceof Date ? tv.value.toISOString() : tv.value;
  return tv.valueInfo ? { t: tv.type, v, i: tv.valueInfo } : { t: tv.type, v };
}

export function loadValue(s: StoredValue): TypedValue {
  const value = s.t === 'Date' && typeof s.v === 'string' ? new Date(s.v) : s.v;
  return s.i ? { type: s.t, value, valueInfo: s.i } : { type: s.t, value };
}
