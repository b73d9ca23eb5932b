import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { HistoricProcessInstanceRow, InstanceState } from '../engine/index.js';
import { Connection } from './connection.js';
import { ProcessInstanceState } from './process-instance.type.js';

@ObjectType({ description: 'A process instance as history records it (running or finished).' })
export class HistoricProcessInstance {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  businessKey!: string | null;

  @Field(() => ID)
  processDefinitionId!: string;

  @Field(() => String)
  processDefinitionKey!: string;

  @Field(() => Int)
  processDefinitionVersion!: number;

  @Field(() => ProcessInstanceState)
  state!: InstanceState;

  @Field(() => Date)
  startTime!: Date;

  @Field(() => Date, { nullable: true })
  endTime!: Date | null;

  @Field(() => Number, { nullable: true, description: 'Milliseconds from start to end.' })
  durationInMillis!: number | null;

  @Field(() => String, { nullable: true })
  startUserId!: string | null;

  @Field(() => String, { nullable: true })
  startActivityId!: string | null;

  @Field(() => String, { nullable: true })
  endActivityId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The instance whose call activity started this one.' })
  superProcessInstanceId!: string | null;

  @Field(() => ID)
  rootProcessInstanceId!: string;

  @Field(() => String, { nullable: true })
  deleteReason!: string | null;

  @Field(() => String, { nullable: true })
  tenantId!: string | null;
}

@ObjectType()
export class HistoricProcessInstanceConnection extends Connection(HistoricProcessInstance, 'HistoricProcessInstance') {}

export function toHistoricProcessInstance(row: HistoricProcessInstanceRow): HistoricProcessInstance {
  return {
    id: row.id,
    businessKey: row.businessKey,
    processDefinitionId: row.definitionId,
    processDefinitionKey: row.definitionKey,
    processDefinitionVersion: row.definitionVersion,
    state: row.state,
    startTime: row.startTime,
    endTime: row.endTime,
    durationInMillis: row.durationMs,
    startUserId: row.startUserId,
    startActivityId: row.startActivityId,
    endActivityId: row.endActivityId,
    superProcessInstanceId: row.superInstanceId,
    rootProcessInstanceId: row.rootInstanceId,
    deleteReason: row.deleteReason,
    tenantId: row.tenantId,
  };
}
