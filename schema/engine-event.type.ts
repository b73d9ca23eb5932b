/**
 * Payloads of the activity, incident and variable subscriptions: one per
 * committed domain event, sent only after the command committed.
 */
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { ActivityEventKind, IncidentEventKind, VariableEventKind } from './topics.js';

export enum ActivityEventType {
  STARTED = 'STARTED',
  COMPLETED = 'COMPLETED',
  CANCELED = 'CANCELED',
}
registerEnumType(ActivityEventType, { name: 'ActivityEventType', description: 'CANCELED: the activity ended without completing (boundary event, instance cancelled).' });

@ObjectType({ description: 'An activity started or ended.' })
export class ActivityEvent {
  @Field(() => ActivityEventType)
  kind!: ActivityEventKind;

  @Field(() => String)
  activityId!: string;

  @Field(() => ID)
  activityInstanceId!: string;

  @Field(() => String)
  activityType!: string;

  @Field(() => ID)
  executionId!: string;

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => String)
  definitionKey!: string;

  @Field(() => String, { nullable: true })
  businessKey!: string | null;

  @Field(() => Date)
  time!: Date;
}

export enum IncidentEventType {
  CREATED = 'CREATED',
  RESOLVED = 'RESOLVED',
  DELETED = 'DELETED',
}
registerEnumType(IncidentEventType, {
  name: 'IncidentEventType',
  description: 'RESOLVED: it went away while its execution goes on (retries given back, its job run, an operator resolved it); DELETED: it went away with its execution or instance.',
});

@ObjectType({ description: 'An incident opened or closed.' })
export class IncidentEvent {
  @Field(() => IncidentEventType)
  kind!: IncidentEventKind;

  @Field(() => ID)
  incidentId!: string;

  @Field(() => String, { description: "'failedJob' or 'failedExternalTask'." })
  incidentType!: string;

  @Field(() => String, { nullable: true })
  activityId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The failed job or external task.' })
  configuration!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => String)
  definitionKey!: string;

  @Field(() => Date)
  time!: Date;
}

export enum VariableEventType {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
}
registerEnumType(VariableEventType, { name: 'VariableEventType' });

@ObjectType({ description: "A variable of the instance changed; `type`, `value` and `valueInfo` as in Variable (null once deleted)." })
export class VariableEvent {
  @Field(() => VariableEventType)
  kind!: VariableEventKind;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  type!: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  value!: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  valueInfo!: Record<string, unknown> | null;

  @Field(() => ID, { description: 'The scope (execution) holding the variable.' })
  executionId!: string;

  @Field(() => ID, { nullable: true, description: 'Set for task-local variables.' })
  taskId!: string | null;

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => Date)
  time!: Date;
}
