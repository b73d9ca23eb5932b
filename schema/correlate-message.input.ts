import { Field, ID, InputType } from 'type-graphql';
import { VariableInput } from './variable.input.js';

@InputType({ description: 'Delivers a message to the one waiting execution (or message start event) it matches.' })
export class CorrelateMessageInput {
  @Field(() => String)
  messageName!: string;

  @Field(() => String, { nullable: true })
  businessKey?: string | null;

  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => [VariableInput], { nullable: true, description: 'Process variables that must equal these values.' })
  correlationKeys?: VariableInput[] | null;

  @Field(() => [VariableInput], { nullable: true, description: 'Set on the instance before it continues.' })
  processVariables?: VariableInput[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Correlate to every match instead of requiring exactly one.' })
  all?: boolean | null;
}
