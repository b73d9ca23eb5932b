import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { HistoricVariableInstanceRow } from '../engine/index.js';
import { Connection } from './connection.js';
import { toVariables } from './variable.type.js';

@ObjectType({ description: 'A variable as history records it: its last value, also after its instance ended.' })
export class HistoricVariableInstance {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Camunda type name, e.g. String, Integer, Date, Json.' })
  type!: string;

  @Field(() => GraphQLJSON, { nullable: true })
  value!: unknown;

  @Field(() => GraphQLJSON)
  valueInfo!: Record<string, unknown>;

  @Field(() => String, { description: "'CREATED', or 'DELETED' once removed." })
  state!: string;

  @Field(() => Date)
  createTime!: Date;

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => ID)
  executionId!: string;

  @Field(() => ID)
  activityInstanceId!: string;

  @Field(() => ID, { nullable: true })
  taskId!: string | null;

  @Field(() => String)
  processDefinitionKey!: string;

  @Field(() => String, { nullable: true })
  tenantId!: string | null;
}

@ObjectType()
export class HistoricVariableInstanceConnection extends Connection(HistoricVariableInstance, 'HistoricVariableInstance') {}

export function toHistoricVariableInstance(row: HistoricVariableInstanceRow): HistoricVariableInstance {
  const [v] = toVariables({ [row.name]: row.value });
  return {
    id: row.id,
    name: row.name,
    type: v!.type,
    value: v!.value,
    valueInfo: v!.valueInfo,
    state: row.state,
    createTime: row.createTime,
    processInstanceId: row.instanceId,
    executionId: row.executionId,
    activityInstanceId: row.activityInstanceId,
    taskId: row.taskId,
    processDefinitionKey: row.definitionKey,
    tenantId: row.tenantId,
  };
}
