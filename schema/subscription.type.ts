import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { InstanceState } from '../engine/index.js';
import { ProcessInstanceState } from './process-instance.type.js';
import type { TaskEventKind } from './topics.js';

@ObjectType({ description: 'The state of an instance right after a command changed it.' })
export class InstanceChange {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  definitionKey!: string;

  @Field(() => String, { nullable: true })
  businessKey!: string | null;

  @Field(() => ProcessInstanceState)
  state!: InstanceState;

  @Field(() => [String], { description: 'Empty once the instance ended.' })
  activeActivityIds!: string[];
}

export enum TaskEventType {
  CREATED = 'CREATED',
  ASSIGNED = 'ASSIGNED',
  COMPLETED = 'COMPLETED',
  DELETED = 'DELETED',
}
registerEnumType(TaskEventType, { name: 'TaskEventType', description: 'DELETED: the task went away without completion (instance cancelled, boundary event).' });

@ObjectType({ description: 'A user task lifecycle event, sent after its command committed.' })
export class TaskEvent {
  @Field(() => TaskEventType)
  kind!: TaskEventKind;

  @Field(() => ID)
  taskId!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String)
  taskDefinitionKey!: string;

  @Field(() => String, { nullable: true })
  assignee!: string | null;

  @Field(() => [String])
  candidateUsers!: string[];

  @Field(() => [String])
  candidateGroups!: string[];

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => Date)
  time!: Date;
}
