import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ExternalTaskRow } from '../engine/index.js';
import { Connection } from './connection.js';
import { Variable } from './variable.type.js';

@ObjectType({ description: 'A unit of work for an external worker (camunda:type="external").' })
export class ExternalTask {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  topicName!: string;

  @Field(() => String, { nullable: true, description: 'The worker holding (or last holding) the lock.' })
  workerId!: string | null;

  @Field(() => Date, { nullable: true, description: 'Locked until then; after a failure, unavailable until then.' })
  lockExpiration!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Null until a failure is reported: unlimited, as in Camunda.' })
  retries!: number | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field(() => Boolean)
  suspended!: boolean;

  @Field(() => Int)
  priority!: number;

  @Field(() => String)
  activityId!: string;

  @Field(() => ID)
  activityInstanceId!: string;

  @Field(() => ID)
  executionId!: string;

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => ID)
  processDefinitionId!: string;

  @Field(() => String)
  processDefinitionKey!: string;

  @Field(() => String, { nullable: true })
  businessKey!: string | null;

  @Field(() => String, { nullable: true })
  tenantId!: string | null;

  @Field(() => Date)
  createTime!: Date;
}

@ObjectType()
export class ExternalTaskConnection extends Connection(ExternalTask, 'ExternalTask') {}

@ObjectType({ description: 'An external task locked for the fetching worker, with the variables it asked for.' })
export class LockedExternalTask extends ExternalTask {
  @Field(() => [Variable])
  variables!: Variable[];
}

export function toExternalTask(row: ExternalTaskRow): ExternalTask {
  return {
    id: row.id,
    topicName: row.topicName,
    workerId: row.workerId,
    lockExpiration: row.lockExpiration,
    retries: row.retries,
    errorMessage: row.errorMessage,
    suspended: row.suspended,
    priority: row.priority,
    activityId: row.activityId,
    activityInstanceId: row.activityInstanceId,
    executionId: row.executionId,
    processInstanceId: row.instanceId,
    processDefinitionId: row.definitionId,
    processDefinitionKey: row.definitionKey,
    businessKey: row.businessKey,
    tenantId: row.tenantId,
    createTime: row.createTime,
  };
}
