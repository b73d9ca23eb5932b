import { Field, ID, ObjectType } from 'type-graphql';
import type { IncidentRow } from '../engine/index.js';
import { Connection } from './connection.js';

@ObjectType({ description: 'A failure that needs an operator (a job out of retries, …).' })
export class Incident {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "'failedJob' or 'failedExternalTask'." })
  type!: string;

  @Field(() => String, { nullable: true })
  activityId!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => String, { nullable: true })
  annotation!: string | null;

  @Field(() => Date)
  created!: Date;

  @Field(() => ID, { nullable: true, description: 'The failed job or external task.' })
  configuration!: string | null;

  @Field(() => ID, { nullable: true })
  processInstanceId!: string | null;

  @Field(() => ID, { nullable: true })
  executionId!: string | null;

  @Field(() => ID, { nullable: true })
  processDefinitionId!: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey!: string | null;

  @Field(() => String, { nullable: true })
  tenantId!: string | null;
}

@ObjectType()
export class IncidentConnection extends Connection(Incident, 'Incident') {}

export function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    type: row.type,
    activityId: row.activityId,
    message: row.message,
    annotation: row.annotation,
    created: row.createTime,
    configuration: row.configuration,
    processInstanceId: row.instanceId,
    executionId: row.executionId,
    processDefinitionId: row.definitionId,
    processDefinitionKey: row.definitionKey,
    tenantId: row.tenantId,
  };
}
