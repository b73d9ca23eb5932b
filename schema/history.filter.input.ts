/**
 * Filters of the history queries. `finished`: true keeps what ended, false
 * what is still running; absent keeps both.
 */
import { Field, ID, InputType } from 'type-graphql';
import { ActivityScopeFilterInput } from './activity-scope.filter.input.js';
import { HistoricIncidentState } from './historic-incident.type.js';

@InputType({ description: 'All given conditions must hold.' })
export class HistoricProcessInstanceFilterInput {
  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => String, { nullable: true })
  businessKey?: string | null;

  @Field(() => ID, { nullable: true, description: 'Instances started by this instance’s call activities.' })
  superProcessInstanceId?: string | null;

  @Field(() => Boolean, { nullable: true })
  finished?: boolean | null;
}

@InputType({ description: 'All given conditions must hold.' })
export class HistoricActivityInstanceFilterInput {
  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => String, { nullable: true })
  activityId?: string | null;

  @Field(() => String, { nullable: true })
  activityType?: string | null;

  @Field(() => Boolean, { nullable: true })
  finished?: boolean | null;
}

@InputType({ description: 'All given conditions must hold.' })
export class HistoricTaskInstanceFilterInput {
  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => String, { nullable: true })
  taskDefinitionKey?: string | null;

  @Field(() => String, { nullable: true })
  assignee?: string | null;

  @Field(() => Boolean, { nullable: true })
  finished?: boolean | null;
}

@InputType({ description: 'All given conditions must hold.' })
export class HistoricVariableInstanceFilterInput {
  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Also variables removed while the instance ran.' })
  includeDeleted?: boolean | null;
}

@InputType({ description: 'All given conditions must hold.' })
export class HistoricIncidentFilterInput extends ActivityScopeFilterInput {
  @Field(() => String, { nullable: true, description: "'failedJob', 'failedExternalTask' or 'connectorTimeout'." })
  type?: string | null;

  @Field(() => HistoricIncidentState, { nullable: true })
  state?: HistoricIncidentState | null;
}
