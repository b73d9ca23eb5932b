/**
 * Variable values with Camunda 7 type names. `value` holds the JavaScript
 * representation: string for String, number for Integer/Long/Double/Short,
 * boolean for Boolean, Date for Date, null for Null, and for Json/Object the
 * parsed JSON value (Object keeps `objectTypeName` and `serializationDataFormat`).
 */
export type ValueType = 'String' | 'Integer' | 'Long' | 'Short' | 'Double' | 'Boolean' | 'Date' | 'Null' | 'Json' | 'Object' | 'Bytes';

export interface ValueInfo {
  objectTypeName?: string;
  serializationDataFormat?: string;
  transient?: boolean;
}

export interface TypedValue {
  type: ValueType;
  value: unknown;
  valueInfo?: ValueInfo;
}

export type VariableMap = Record<string, TypedValue>;
