import { Field, InputType } from 'type-graphql';
import { VariableEqualsInput } from './variable.input.js';

@InputType({ description: 'All given conditions must hold.' })
export class ProcessInstanceFilterInput {
  @Field(() => String, { nullable: true })
  definitionKey?: string | null;

  @Field(() => String, { nullable: true })
  businessKey?: string | null;

  @Field(() => [VariableEqualsInput], { nullable: true, description: 'Process variables that must equal these values.' })
  variables?: VariableEqualsInput[] | null;
}
