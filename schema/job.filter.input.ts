import { Field, InputType } from 'type-graphql';
import { ActivityScopeFilterInput } from './activity-scope.filter.input.js';

@InputType({ description: 'All given conditions must hold.' })
export class JobFilterInput extends ActivityScopeFilterInput {
  @Field(() => Boolean, { nullable: true, description: 'true: retries left; false: out of retries (a failedJob incident).' })
  hasRetries?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the last run failed (with retries left or not); false: it has not failed.' })
  withException?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only suspended jobs; false: only active ones.' })
  suspended?: boolean | null;

  @Field(() => String, { nullable: true, description: "The handler type, e.g. 'async-continuation', 'timer-transition'." })
  type?: string | null;
}
