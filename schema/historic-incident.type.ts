import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { HistoricIncidentRow, HistoricIncidentState as IncidentState } from '../engine/index.js';
import { Connection } from './connection.js';

export enum HistoricIncidentState {
  OPEN = 'open',
  RESOLVED = 'resolved',
  DELETED = 'deleted',
}
registerEnumType(HistoricIncidentState, {
  name: 'HistoricIncidentState',
  description: "Camunda's incident states. RESOLVED: fixed while its execution went on (retries given back, its job run, an operator); DELETED: it went away with its execution or instance.",
});

@ObjectType({ description: 'An incident as history records it (open, resolved or deleted); recorded at history level full.' })
export class HistoricIncident {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "'failedJob', 'failedExternalTask' or 'connectorTimeout'." })
  type!: string;

  @Field(() => HistoricIncidentState)
  state!: IncidentState;

  @Field(() => String, { nullable: true })
  activityId!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => String, { nullable: true })
  annotation!: string | null;

  @Field(() => ID, { nullable: true, description: 'The failed job or external task.' })
  configuration!: string | null;

  @Field(() => Date)
  createTime!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was resolved or deleted.' })
  endTime!: Date | null;

  @Field(() => ID, { nullable: true })
  processInstanceId!: string | null;

  @Field(() => ID, { nullable: true })
  rootProcessInstanceId!: string | null;

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
export class HistoricIncidentConnection extends Connection(HistoricIncident, 'HistoricIncident') {}

export function toHistoricIncident(row: HistoricIncidentRow): HistoricIncident {
  return {
    id: row.id,
    type: row.type,
    state: row.state,
    activityId: row.activityId,
    message: row.message,
    annotation: row.annotation,
    configuration: row.configuration,
    createTime: row.createTime,
    endTime: row.endTime,
    processInstanceId: row.instanceId,
    rootProcessInstanceId: row.rootInstanceId,
    executionId: row.executionId,
    processDefinitionId: row.definitionId,
    processDefinitionKey: row.definitionKey,
    tenantId: row.tenantId,
  };
}
