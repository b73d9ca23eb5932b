/**
 * Variables in Camunda's wire form. The type is optional (then inferred from
 * the JSON value) and case-insensitive, as Camunda's REST API accepts it.
 */
import { Field, InputType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { normalizeTypedValue, BadUserInputError } from '../engine/index.js';

@InputType({ description: 'A variable to set: Camunda type name and a JSON value.' })
export class VariableInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'String, Integer, Long, Short, Double, Boolean, Date, Null, Json, Object; inferred when omitted.' })
  type?: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  value?: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  valueInfo?: Record<string, unknown> | null;
}

/** The engine's variable map; `field` prefixes the path reported in BAD_USER_INPUT. */
export function toVariableMap(inputs: readonly VariableInput[] | null | undefined, field = 'variables'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of inputs ?? []) {
    if (Object.prototype.hasOwnProperty.call(out, v.name)) throw new BadUserInputError(`Variable '${v.name}' is given twice`, `${field}.${v.name}`);
    out[v.name] = normalizeTypedValue({ type: v.type ?? null, value: v.value ?? null, valueInfo: v.valueInfo ?? null }, `${field}.${v.name}`);
  }
  return out;
}

@InputType({ description: 'A variable that must equal the given value.' })
export class VariableEqualsInput {
  @Field(() => String)
  name!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'A string, number, boolean or null.' })
  value?: unknown;
}

export function toEqualityConditions(inputs: readonly VariableEqualsInput[] | null | undefined, field: string) {
  return (inputs ?? []).map((v) => {
    const value = v.value ?? null;
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new BadUserInputError(`Variable filter '${v.name}' must compare with a string, number, boolean or null`, `${field}.${v.name}`);
    }
    return { name: v.name, operator: 'eq' as const, value };
  });
}
