import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'All given conditions must hold.' })
export class ExternalTaskFilterInput {
  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => String, { nullable: true })
  activityId?: string | null;

  @Field(() => String, { nullable: true })
  topicName?: string | null;

  @Field(() => String, { nullable: true })
  workerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: locked by a worker now; false: available (or waiting out a retry timeout).' })
  locked?: boolean | null;
}
