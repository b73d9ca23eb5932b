/**
 * How a `TypedValue` is spread over the variable columns: `value_type`,
 * `text_value` (String; Date as ISO-8601; Json/Object as JSON text),
 * `numeric_value` (Integer/Long/Short/Double; Boolean as 0/1; Date as epoch
 * ms) for comparisons in queries, and `json_value`, the whole TypedValue as
 * JSON, which is what rows are restored from.
 */
import type { TypedValue } from '../../variables/typed-value.js';

export interface EncodedTypedValue {
  valueType: string;
  textValue: string | null;
  numericValue: number | null;
  jsonValue: string;
}

export const numericTypes = ['Integer', 'Long', 'Short', 'Double'] as const;
/** Types whose text column takes part in string comparisons. */
export const textComparableTypes = ['String', 'Date'] as const;

/** Binary values survive JSON as `{ "$base64": "..." }` and come back as Buffer. */
const BYTES_KEY = '$base64';

export function encodeTypedValue(typed: TypedValue): EncodedTypedValue {
  const { type, value } = typed;
  let textValue: string | null = null;
  let numericValue: number | null = null;
  let stored: unknown = value;
  if (value !== null && value !== undefined) {
    switch (type) {
      case 'String':
        textValue = String(value);
        break;
      case 'Integer':
      case 'Long':
      case 'Short':
      case 'Double':
        numericValue = Number(value);
        break;
      case 'Boolean':
        numericValue = value ? 1 : 0;
        break;
      case 'Date': {
        const date = value instanceof Date ? value : new Date(value as string | number);
        if (!Number.isNaN(date.getTime())) {
          textValue = date.toISOString();
          numericValue = date.getTime();
        }
        break;
      }
      case 'Json':
      case 'Object':
        textValue = JSON.stringify(value) ?? null;
        break;
      case 'Bytes':
        if (value instanceof Uint8Array) stored = { [BYTES_KEY]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
        break;
      case 'Null':
        break;
    }
  }
  const jsonValue = JSON.stringify(stored === value ? typed : { ...typed, value: stored });
  return { valueType: type, textValue, numericValue, jsonValue };
}

export function decodeTypedValue(json: string): TypedValue {
  const typed = JSON.parse(json) as TypedValue;
  if (typed.type === 'Date' && (typeof typed.value === 'string' || typeof typed.value === 'number')) {
    typed.value = new Date(typed.value);
  } else if (typed.type === 'Bytes' && isBase64Holder(typed.value)) {
    typed.value = Buffer.from(typed.value[BYTES_KEY], 'base64');
  }
  return typed;
}

function isBase64Holder(value: unknown): value is { [BYTES_KEY]: string } {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[BYTES_KEY] === 'string';
}
