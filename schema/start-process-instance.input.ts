import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import type { StartInstruction } from '../engine/index.js';
import { VariableInput, toVariableMap } from './variable.input.js';

export enum StartInstructionType {
  START_BEFORE_ACTIVITY = 'startBeforeActivity',
  START_AFTER_ACTIVITY = 'startAfterActivity',
  START_TRANSITION = 'startTransition',
}
registerEnumType(StartInstructionType, {
  name: 'StartInstructionType',
  description: "Camunda's start instruction types: before an activity, after one (its single outgoing flow), or a sequence flow.",
});

@InputType({ description: "Where a new instance starts (Camunda's startInstructions); instructions run in order, each to its wait states." })
export class StartInstructionInput {
  @Field(() => StartInstructionType)
  type!: StartInstructionType;

  @Field(() => String, { nullable: true, description: 'START_BEFORE_ACTIVITY and START_AFTER_ACTIVITY: the activity.' })
  activityId?: string | null;

  @Field(() => String, { nullable: true, description: 'START_TRANSITION: the sequence flow.' })
  transitionId?: string | null;

  @Field(() => [VariableInput], { nullable: true, description: "Set as Camunda's setVariable does: where a variable of the name exists, else on the instance." })
  variables?: VariableInput[] | null;

  @Field(() => [VariableInput], { nullable: true, description: 'Set locally on the execution that starts the activity or flow.' })
  localVariables?: VariableInput[] | null;
}

/** The engine's start instructions; `field` prefixes the path reported in BAD_USER_INPUT. */
export function toStartInstructions(inputs: readonly StartInstructionInput[], field: string): StartInstruction[] {
  return inputs.map((i, index) => {
    const out: StartInstruction = { type: i.type };
    if (i.activityId != null) out.activityId = i.activityId;
    if (i.transitionId != null) out.transitionId = i.transitionId;
    if (i.variables?.length) out.variablesGlobal = toVariableMap(i.variables, `${field}[${index}].variables`);
    if (i.localVariables?.length) out.variables = toVariableMap(i.localVariables, `${field}[${index}].localVariables`);
    return out;
  });
}

@InputType({ description: 'Starts the latest version by key, or one version by id.' })
export class StartProcessInstanceInput {
  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => ID, { nullable: true })
  processDefinitionId?: string | null;

  @Field(() => String, { nullable: true })
  businessKey?: string | null;

  @Field(() => String, { nullable: true, description: "By key: the tenant whose latest version starts; default the caller's only tenant, or none for a caller not bound to tenants." })
  tenantId?: string | null;

  @Field(() => [VariableInput], { nullable: true })
  variables?: VariableInput[] | null;

  @Field(() => [String], { nullable: true, description: "Start at these activities instead of the none start event (Camunda's startBeforeActivity); shorthand for startInstructions." })
  startBeforeActivityIds?: string[] | null;

  @Field(() => [StartInstructionInput], { nullable: true, description: 'Start at any set of activities instead of the none start event; the start event does not run.' })
  startInstructions?: StartInstructionInput[] | null;

  @Field(() => Boolean, { nullable: true, description: "With startInstructions (or startBeforeActivityIds) only: the model's execution and task listeners do not run while the instance starts." })
  skipCustomListeners?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'With startInstructions (or startBeforeActivityIds) only: input and output mappings are not evaluated while the instance starts.' })
  skipIoMappings?: boolean | null;
}
