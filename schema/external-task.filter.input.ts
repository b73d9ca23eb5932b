import { Field, InputType } from 'type-graphql';
import { ActivityScopeFilterInput } from './activity-scope.filter.input.js';

@InputType({ description: 'All given conditions must hold.' })
export class ExternalTaskFilterInput extends ActivityScopeFilterInput {
  @Field(() => String, { nullable: true })
  topicName?: string | null;

  @Field(() => String, { nullable: true })
  workerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: locked by a worker now; false: available (or waiting out a retry timeout).' })
  locked?: boolean | null;
}
