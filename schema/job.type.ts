import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { JobRow } from '../engine/index.js';
import { Connection } from './connection.js';

@ObjectType({ description: 'An async continuation or timer waiting for the job executor.' })
export class Job {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The handler type, e.g. 'async-continuation', 'timer-transition'." })
  type!: string;

  @Field(() => String, { nullable: true })
  activityId!: string | null;

  @Field(() => Date, { nullable: true, description: 'Null: due at once.' })
  dueDate!: Date | null;

  @Field(() => Int)
  retries!: number;

  @Field(() => String, { nullable: true })
  exceptionMessage!: string | null;

  @Field(() => Boolean, { description: 'Suspended jobs are left alone by the job executor until activated.' })
  suspended!: boolean;

  @Field(() => ID, { nullable: true, description: 'The job definition it was created from; null for jobs without one (timeout task listeners, connector calls).' })
  jobDefinitionId!: string | null;

  @Field(() => ID, { nullable: true })
  processInstanceId!: string | null;

  @Field(() => ID, { nullable: true })
  processDefinitionId!: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey!: string | null;

  @Field(() => Int)
  priority!: number;

  @Field(() => Date)
  createTime!: Date;

  @Field(() => String, { nullable: true })
  tenantId!: string | null;
}

@ObjectType()
export class JobConnection extends Connection(Job, 'Job') {}

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    type: row.type,
    activityId: row.activityId,
    dueDate: row.dueDate,
    retries: row.retries,
    exceptionMessage: row.exceptionMessage,
    suspended: row.suspended,
    jobDefinitionId: row.jobDefinitionId,
    processInstanceId: row.instanceId,
    processDefinitionId: row.definitionId,
    processDefinitionKey: row.definitionKey,
    priority: row.priority,
    createTime: row.createTime,
    tenantId: row.tenantId,
  };
}
