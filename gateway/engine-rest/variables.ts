/**
 * Camunda's variable JSON (`VariableValueDto`: `{ value, type, valueInfo }`)
 * ⇄ the engine's TypedValue.
 *
 * Out: Date as `2026-01-31T10:00:00.000+0000`; Json as its serialized text;
 * Object as its JSON value when values are deserialized (Camunda's default)
 * and as the serialized text with `serializationDataFormat:
 * "application/json"` when not; Bytes as base64; `valueInfo` always present.
 *
 * In: type names case-insensitive; Date in Camunda's format or ISO 8601;
 * Object only in the application/json data format (Java serialization has no
 * meaning here); an unknown type is a 400.
 */
import { EngineError, normalizeTypedValue, type TypedValue, type ValueInfo } from '../../engine/index.js';
import { invalidRequest } from './errors.js';
import { formatDate, parseDate } from './json.js';

export interface VariableValueDto {
  type: string;
  value: unknown;
  valueInfo: ValueInfo | Record<string, never>;
}

function base64(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return null;
}

/** One typed value as Camunda renders it; `deserialize=false` keeps Object values serialized. */
export function toVariableValueDto(tv: TypedValue, deserialize = true): VariableValueDto {
  const valueInfo = tv.valueInfo ? { ...tv.valueInfo } : {};
  let value: unknown = tv.value ?? null;
  if (value !== null) {
    switch (tv.type) {
      case 'Date':
        value = formatDate(value instanceof Date ? value : new Date(value as string));
        break;
      case 'Json':
        value = JSON.stringify(value);
        break;
      case 'Object':
        if (!deserialize) value = JSON.stringify(value);
        break;
      case 'Bytes':
        value = base64(value);
        break;
      default:
        break;
    }
  }
  return { type: tv.type, value, valueInfo };
}

export function toVariableMapDto(vars: Record<string, TypedValue>, deserialize = true): Record<string, VariableValueDto> {
  const out: Record<string, VariableValueDto> = {};
  for (const [name, tv] of Object.entries(vars)) out[name] = toVariableValueDto(tv, deserialize);
  return out;
}

/** Reads `?deserializeValues=` / `?deserializeValue=` (default true). */
export function deserializeParam(query: URLSearchParams, name = 'deserializeValues'): boolean {
  return query.get(name) !== 'false';
}

/** Converts one `VariableValueDto` into a TypedValue the engine stores with exactly that type. */
export function fromVariableValueDto(name: string, dto: unknown): TypedValue {
  if (typeof dto !== 'object' || dto === null || Array.isArray(dto)) {
    throw invalidRequest(400, `Variable '${name}' must be an object like { "value": ..., "type": ... }`);
  }
  const { type, value, valueInfo } = dto as Record<string, unknown>;
  if (type !== undefined && type !== null && typeof type !== 'string') throw invalidRequest(400, `The type of variable '${name}' must be a string`);
  if (valueInfo !== undefined && valueInfo !== null && (typeof valueInfo !== 'object' || Array.isArray(valueInfo))) {
    throw invalidRequest(400, `The valueInfo of variable '${name}' must be an object`);
  }
  const info = (valueInfo ?? undefined) as ValueInfo | undefined;
  const typeName = typeof type === 'string' ? type.toLowerCase() : '';
  let input = value;
  if (typeName === 'date' && typeof value === 'string') {
    const d = parseDate(value);
    if (!d) throw invalidRequest(400, `Cannot convert value '${value}' of variable '${name}' to type Date: expected a date like 2026-01-31T10:00:00.000+0000`);
    input = d;
  }
  if (typeName === 'object') {
    const format = info?.serializationDataFormat;
    if (format !== undefined && format !== 'application/json') {
      throw invalidRequest(400, `Cannot deserialize variable '${name}': the serialization data format '${format}' is not supported, only application/json`);
    }
  }
  if (typeName === 'file') throw invalidRequest(400, `Unsupported value type 'File' for variable '${name}'`);
  try {
    return normalizeTypedValue({ type: typeof type === 'string' ? type : null, value: input, valueInfo: info ?? null }, name);
  } catch (e) {
    if (e instanceof EngineError) throw invalidRequest(400, e.message, e);
    throw e;
  }
}

/** A `{ name: VariableValueDto }` map (absent or null: no variables). */
export function fromVariableMapDto(map: unknown, what = 'variables'): Record<string, TypedValue> {
  if (map === undefined || map === null) return {};
  if (typeof map !== 'object' || Array.isArray(map)) throw invalidRequest(400, `'${what}' must be an object of variable names to values`);
  const out: Record<string, TypedValue> = {};
  for (const [name, dto] of Object.entries(map as Record<string, unknown>)) out[name] = fromVariableValueDto(name, dto);
  return out;
}

/** Camunda's PatchVariablesDto: `{ modifications: {...}, deletions: [...] }`. */
export function patchOf(body: Record<string, unknown>): { modifications: Record<string, TypedValue>; deletions: string[] } {
  const modifications = fromVariableMapDto(body['modifications'], 'modifications');
  const raw = body['deletions'];
  if (raw !== undefined && raw !== null && !(Array.isArray(raw) && raw.every((d) => typeof d === 'string'))) {
    throw invalidRequest(400, `'deletions' must be an array of variable names`);
  }
  return { modifications, deletions: (raw as string[] | null | undefined) ?? [] };
}
