import { Field, InputType } from 'type-graphql';
import { ActivityScopeFilterInput } from './activity-scope.filter.input.js';

@InputType({ description: 'All given conditions must hold. Incidents are the open ones; resolved ones leave (see the incidentEvents subscription).' })
export class IncidentFilterInput extends ActivityScopeFilterInput {
  @Field(() => String, { nullable: true, description: "'failedJob' or 'failedExternalTask'." })
  type?: string | null;
}
