import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { HistoricTaskInstanceRow } from '../engine/index.js';
import { Connection } from './connection.js';

@ObjectType({ description: 'A user task as history records it (open or ended).' })
export class HistoricTaskInstance {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { description: 'The id of the BPMN user task.' })
  taskDefinitionKey!: string;

  @Field(() => String, { nullable: true })
  assignee!: string | null;

  @Field(() => String, { nullable: true })
  owner!: string | null;

  @Field(() => Int)
  priority!: number;

  @Field(() => Date, { nullable: true })
  due!: Date | null;

  @Field(() => Date)
  startTime!: Date;

  @Field(() => Date, { nullable: true })
  endTime!: Date | null;

  @Field(() => Number, { nullable: true })
  durationInMillis!: number | null;

  @Field(() => String, { nullable: true, description: "'completed' or 'deleted' once ended, as Camunda's delete reason." })
  deleteReason!: string | null;

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => ID)
  processDefinitionId!: string;

  @Field(() => String)
  processDefinitionKey!: string;

  @Field(() => String, { nullable: true })
  tenantId!: string | null;
}

@ObjectType()
export class HistoricTaskInstanceConnection extends Connection(HistoricTaskInstance, 'HistoricTaskInstance') {}

export function toHistoricTaskInstance(row: HistoricTaskInstanceRow): HistoricTaskInstance {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    taskDefinitionKey: row.taskDefinitionKey,
    assignee: row.assignee,
    owner: row.owner,
    priority: row.priority,
    due: row.dueDate,
    startTime: row.startTime,
    endTime: row.endTime,
    durationInMillis: row.durationMs,
    deleteReason: row.deleteReason,
    processInstanceId: row.instanceId,
    processDefinitionId: row.definitionId,
    processDefinitionKey: row.definitionKey,
    tenantId: row.tenantId,
  };
}
