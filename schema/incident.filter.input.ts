import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'All given conditions must hold. Incidents are the open ones; resolved ones leave (see the incidentEvents subscription).' })
export class IncidentFilterInput {
  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => String, { nullable: true })
  activityId?: string | null;

  @Field(() => String, { nullable: true, description: "'failedJob' or 'failedExternalTask'." })
  type?: string | null;
}
