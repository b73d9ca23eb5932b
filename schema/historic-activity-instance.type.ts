import { Field, ID, ObjectType } from 'type-graphql';
import type { HistoricActivityInstanceRow } from '../engine/index.js';
import { Connection } from './connection.js';

@ObjectType({ description: 'One activity an instance entered: when, for how long, and how it ended.' })
export class HistoricActivityInstance {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  parentActivityInstanceId!: string | null;

  @Field(() => String)
  activityId!: string;

  @Field(() => String, { nullable: true })
  activityName!: string | null;

  @Field(() => String, { description: "Camunda's activity type: startEvent, userTask, exclusiveGateway, noneEndEvent, …" })
  activityType!: string;

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => ID)
  executionId!: string;

  @Field(() => ID)
  processDefinitionId!: string;

  @Field(() => String)
  processDefinitionKey!: string;

  @Field(() => ID, { nullable: true })
  taskId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The instance a call activity started.' })
  calledProcessInstanceId!: string | null;

  @Field(() => String, { nullable: true })
  assignee!: string | null;

  @Field(() => Date)
  startTime!: Date;

  @Field(() => Date, { nullable: true })
  endTime!: Date | null;

  @Field(() => Number, { nullable: true })
  durationInMillis!: number | null;

  @Field(() => Boolean, { description: 'Ended by cancellation (boundary event, instance cancelled) rather than completion.' })
  canceled!: boolean;

  @Field(() => Boolean)
  completeScope!: boolean;

  @Field(() => String, { nullable: true })
  tenantId!: string | null;
}

@ObjectType()
export class HistoricActivityInstanceConnection extends Connection(HistoricActivityInstance, 'HistoricActivityInstance') {}

export function toHistoricActivityInstance(row: HistoricActivityInstanceRow): HistoricActivityInstance {
  return {
    id: row.id,
    parentActivityInstanceId: row.parentActivityInstanceId,
    activityId: row.activityId,
    activityName: row.activityName,
    activityType: row.activityType,
    processInstanceId: row.instanceId,
    executionId: row.executionId,
    processDefinitionId: row.definitionId,
    processDefinitionKey: row.definitionKey,
    taskId: row.taskId,
    calledProcessInstanceId: row.calledProcessInstanceId,
    assignee: row.assignee,
    startTime: row.startTime,
    endTime: row.endTime,
    durationInMillis: row.durationMs,
    canceled: row.canceled,
    completeScope: row.completeScope,
    tenantId: row.tenantId,
  };
}
