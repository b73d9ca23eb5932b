import { Field, ID, InputType } from 'type-graphql';
import type { JobSuspensionSelector } from '../engine/index.js';

/**
 * What jobs and job definitions share in a suspension (Camunda's
 * SuspensionStateDto variants). The engine demands exactly one selecting
 * field and names the offending ones, so these stay plain optional fields.
 */
@InputType()
abstract class SuspensionSelectionInput {
  @Field(() => ID, { nullable: true })
  jobDefinitionId?: string | null;

  @Field(() => ID, { nullable: true })
  processDefinitionId?: string | null;

  @Field(() => String, { nullable: true, description: 'Every version of the key.' })
  processDefinitionKey?: string | null;

  @Field(() => String, { nullable: true, description: "With processDefinitionKey: only this tenant's versions." })
  processDefinitionTenantId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'With processDefinitionKey: only the versions without a tenant.' })
  processDefinitionWithoutTenantId?: boolean | null;
}

@InputType({ description: 'Exactly one of jobId, jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey selects the jobs.' })
export class JobSuspensionInput extends SuspensionSelectionInput {
  @Field(() => ID, { nullable: true })
  jobId?: string | null;

  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;
}

@InputType({ description: 'Exactly one of jobDefinitionId, processDefinitionId or processDefinitionKey selects the job definitions.' })
export class JobDefinitionSuspensionInput extends SuspensionSelectionInput {
  @Field(() => Boolean, { nullable: true, description: 'Also their existing jobs; default false (only jobs created from now on take the state).' })
  includeJobs?: boolean | null;
}

/** The engine's selector: the selecting fields given, and the key's tenant choice (null: only versions without a tenant). */
export function toSuspensionSelector(input: JobSuspensionInput | JobDefinitionSuspensionInput): JobSuspensionSelector {
  const out: JobSuspensionSelector = {};
  if ('jobId' in input && input.jobId != null) out.jobId = input.jobId;
  if (input.jobDefinitionId != null) out.jobDefinitionId = input.jobDefinitionId;
  if ('processInstanceId' in input && input.processInstanceId != null) out.processInstanceId = input.processInstanceId;
  if (input.processDefinitionId != null) out.processDefinitionId = input.processDefinitionId;
  if (input.processDefinitionKey != null) out.processDefinitionKey = input.processDefinitionKey;
  if (input.processDefinitionTenantId != null) out.processDefinitionTenantId = input.processDefinitionTenantId;
  else if (input.processDefinitionWithoutTenantId === true) out.processDefinitionTenantId = null;
  return out;
}
