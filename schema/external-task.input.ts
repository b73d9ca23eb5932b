import { Field, ID, InputType, Int } from 'type-graphql';
import { VariableInput } from './variable.input.js';

@InputType({ description: 'One topic a worker fetches, with its lock duration and filters (all must hold).' })
export class FetchTopicInput {
  @Field(() => String)
  topicName!: string;

  @Field(() => Int, { description: 'Milliseconds the tasks stay locked for the worker.' })
  lockDuration!: number;

  @Field(() => [String], { nullable: true, description: 'Variables to return; all visible ones when omitted.' })
  variables?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "Only the variables local to the task's execution." })
  localVariables?: boolean | null;

  @Field(() => String, { nullable: true })
  businessKey?: string | null;

  @Field(() => String, { nullable: true })
  processDefinitionKey?: string | null;

  @Field(() => ID, { nullable: true })
  processDefinitionId?: string | null;

  @Field(() => [String], { nullable: true })
  tenantIdIn?: string[] | null;
}

@InputType({ description: "Camunda's fetchAndLock for a GraphQL worker." })
export class FetchAndLockInput {
  @Field(() => String)
  workerId!: string;

  @Field(() => Int)
  maxTasks!: number;

  @Field(() => Boolean, { nullable: true, description: 'Highest priority first.' })
  usePriority?: boolean | null;

  @Field(() => [FetchTopicInput])
  topics!: FetchTopicInput[];

  @Field(() => Int, { nullable: true, description: 'Milliseconds to wait for a task when none is available (long polling); default 0.' })
  asyncResponseTimeout?: number | null;
}

@InputType({ description: "A worker's failure report." })
export class ExternalTaskFailureInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  workerId!: string;

  @Field(() => String, { nullable: true })
  errorMessage?: string | null;

  @Field(() => String, { nullable: true })
  errorDetails?: string | null;

  @Field(() => Int, { description: 'Retries left; 0 raises a failedExternalTask incident.' })
  retries!: number;

  @Field(() => Int, { nullable: true, description: 'Milliseconds before the task may be fetched again; default 0.' })
  retryTimeout?: number | null;
}

@InputType({ description: 'A BPMN error a worker throws from its task, caught by error boundary events.' })
export class ExternalTaskBpmnErrorInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  workerId!: string;

  @Field(() => String)
  errorCode!: string;

  @Field(() => String, { nullable: true })
  errorMessage?: string | null;

  @Field(() => [VariableInput], { nullable: true })
  variables?: VariableInput[] | null;
}
