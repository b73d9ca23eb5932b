/**
 * A variable as Camunda 7 shows it: `{ name, type, value, valueInfo }` with
 * Camunda's type names (String, Integer, Long, Double, Boolean, Date, Json, Object, …).
 */
import { Field, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { TypedValue } from '../engine/index.js';

@ObjectType({ description: 'A process or task variable with its Camunda type name.' })
export class Variable {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Camunda type name, e.g. String, Integer, Date, Json.' })
  type!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Dates are ISO 8601 strings; Json and Object values are JSON.' })
  value!: unknown;

  @Field(() => GraphQLJSON, { description: 'objectTypeName, serializationDataFormat, … ({} when none).' })
  valueInfo!: Record<string, unknown>;
}

export function toVariables(map: Record<string, TypedValue>): Variable[] {
  return Object.entries(map).map(([name, tv]) => ({
    name,
    type: tv.type,
    value: tv.value instanceof Date ? tv.value.toISOString() : tv.value,
    valueInfo: { ...(tv.valueInfo ?? {}) },
  }));
}
