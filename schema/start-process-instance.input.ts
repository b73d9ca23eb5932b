import { Field, ID, InputType } from 'type-graphql';
import { VariableInput } from './variable.input.js';

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

  @Field(() => [String], { nullable: true, description: "Start at these activities instead of the none start event (Camunda's startBeforeActivity)." })
  startBeforeActivityIds?: string[] | null;
}
