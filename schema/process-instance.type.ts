import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { InstanceState } from '../engine/index.js';
import { Connection } from './connection.js';

export enum ProcessInstanceState {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  COMPLETED = 'COMPLETED',
  EXTERNALLY_TERMINATED = 'EXTERNALLY_TERMINATED',
  INTERNALLY_TERMINATED = 'INTERNALLY_TERMINATED',
}
registerEnumType(ProcessInstanceState, { name: 'ProcessInstanceState', description: "Camunda's historic process instance states." });

/** `definition`, `activeActivityIds`, `variables` and `tasks` are resolved on demand. */
@ObjectType({ description: 'A running or finished process instance.' })
export class ProcessInstance {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  businessKey!: string | null;

  @Field(() => ID)
  definitionId!: string;

  @Field(() => String)
  definitionKey!: string;

  @Field(() => ProcessInstanceState)
  state!: InstanceState;
}

@ObjectType()
export class ProcessInstanceConnection extends Connection(ProcessInstance, 'ProcessInstance') {}

export function isRunning(state: InstanceState): boolean {
  return state === 'ACTIVE' || state === 'SUSPENDED';
}
