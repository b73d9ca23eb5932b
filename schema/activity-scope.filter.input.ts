import { Field, ID, InputType } from 'type-graphql';

/** The conditions every activity-bound list (jobs, external tasks, incidents, historic activities) shares. */
@InputType()
export abstract class ActivityScopeFilterInput {
  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => String, { nullable: true })
  activityId?: string | null;
}
