import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { TaskRow } from '../engine/index.js';
import { Connection } from './connection.js';

/** `variables` is resolved on demand. */
@ObjectType({ description: 'An open user task.' })
export class Task {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  assignee!: string | null;

  @Field(() => [String])
  candidateGroups!: string[];

  @Field(() => [String])
  candidateUsers!: string[];

  @Field(() => String, { nullable: true })
  formKey!: string | null;

  @Field(() => Date)
  created!: Date;

  @Field(() => Date, { nullable: true })
  due!: Date | null;

  @Field(() => Int)
  priority!: number;

  @Field(() => String, { description: 'The id of the BPMN user task.' })
  taskDefinitionKey!: string;

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => ID)
  processDefinitionId!: string;
}

@ObjectType()
export class TaskConnection extends Connection(Task, 'Task') {}

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    assignee: row.assignee,
    candidateGroups: [...row.candidateGroups],
    candidateUsers: [...row.candidateUsers],
    formKey: row.formKey,
    created: row.createTime,
    due: row.dueDate,
    priority: row.priority,
    taskDefinitionKey: row.taskDefinitionKey,
    processInstanceId: row.instanceId,
    processDefinitionId: row.definitionId,
  };
}
