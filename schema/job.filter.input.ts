import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'All given conditions must hold.' })
export class JobFilterInput {
  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => String, { nullable: true })
  activityId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: retries left; false: out of retries (a failedJob incident).' })
  hasRetries?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the last run failed (with retries left or not); false: it has not failed.' })
  withException?: boolean | null;

  @Field(() => String, { nullable: true, description: "The handler type, e.g. 'async-continuation', 'timer-transition'." })
  type?: string | null;
}
