/**
 * Which jobs and job definitions a suspension command changes: Camunda's
 * UpdateJobSuspensionStateSelectBuilder and
 * UpdateJobDefinitionSuspensionStateSelectBuilder, as store filters.
 */
import { BadUserInputError } from '../errors.js';
import type { JobFilter } from '../persistence/store.js';
import type { JobDefinitionFilter } from '../repository/job-definitions.js';
import { JOB_TYPES } from '../runtime/jobs.js';

interface ByProcessDefinition {
  processDefinitionId?: string;
  /** Every version of the key. */
  processDefinitionKey?: string;
  /** With `processDefinitionKey`: only the definitions of this tenant, or (null) only those without one. Default: every tenant's. */
  processDefinitionTenantId?: string | null;
  /** Changes nothing outside these tenants: a caller bound to tenants changes only theirs. */
  tenantIdIn?: string[];
}

/** Exactly one of the ids or the key. */
export interface JobSuspensionSelector extends ByProcessDefinition {
  jobId?: string;
  jobDefinitionId?: string;
  processInstanceId?: string;
}

/** Exactly one of the ids or the key. */
export interface JobDefinitionSuspensionSelector extends ByProcessDefinition {
  jobDefinitionId?: string;
}

export type JobDefinitionQuery = JobDefinitionFilter & { definitionId?: string; definitionKey?: string; tenantIdIn?: string[]; withoutTenantId?: boolean };

function exactlyOne(selector: object, names: readonly string[]): void {
  const given = names.filter((n) => (selector as Record<string, unknown>)[n] != null);
  if (given.length !== 1) throw new BadUserInputError(`Exactly one of ${names.join(', ')} selects what to suspend or activate; got ${given.length ? given.join(', ') : 'none'}`, names[0]!);
}

/** The tenant part of a filter: the key's tenant choice, narrowed to the caller's tenants. */
function tenants(s: ByProcessDefinition): { tenantIdIn?: string[]; withoutTenantId?: boolean } {
  const tenant = s.processDefinitionKey != null ? s.processDefinitionTenantId : undefined;
  // A caller bound to tenants sees no objects without one.
  if (tenant === null) return s.tenantIdIn ? { tenantIdIn: [] } : { withoutTenantId: true };
  if (tenant === undefined) return s.tenantIdIn ? { tenantIdIn: s.tenantIdIn } : {};
  return { tenantIdIn: s.tenantIdIn ? s.tenantIdIn.filter((t) => t === tenant) : [tenant] };
}

export function selectedJobs(s: JobSuspensionSelector): JobFilter {
  exactlyOne(s, ['jobId', 'jobDefinitionId', 'processInstanceId', 'processDefinitionId', 'processDefinitionKey']);
  if (s.jobId != null) return { id: s.jobId, ...tenants(s) };
  if (s.jobDefinitionId != null) return { jobDefinitionId: s.jobDefinitionId, ...tenants(s) };
  if (s.processInstanceId != null) return { instanceId: s.processInstanceId, ...tenants(s) };
  if (s.processDefinitionId != null) return { definitionId: s.processDefinitionId, ...tenants(s) };
  return { definitionKey: s.processDefinitionKey!, ...tenants(s) };
}

export function selectedJobDefinitions(s: JobDefinitionSuspensionSelector): JobDefinitionQuery {
  exactlyOne(s, ['jobDefinitionId', 'processDefinitionId', 'processDefinitionKey']);
  if (s.jobDefinitionId != null) return { id: s.jobDefinitionId, ...tenants(s) };
  if (s.processDefinitionId != null) return { definitionId: s.processDefinitionId, ...tenants(s) };
  return { definitionKey: s.processDefinitionKey!, ...tenants(s) };
}

/**
 * The jobs that change with the job definitions: with `includeJobs` all of
 * theirs (by process definition: all of its jobs), else none — but by process
 * definition its timer start jobs always follow, as in Camunda.
 */
export function jobsOfSelectedJobDefinitions(s: JobDefinitionSuspensionSelector, includeJobs: boolean): JobFilter | null {
  const only = includeJobs ? {} : { type: JOB_TYPES.timerStartEvent };
  if (s.jobDefinitionId != null) return includeJobs ? { jobDefinitionId: s.jobDefinitionId, ...tenants(s) } : null;
  if (s.processDefinitionId != null) return { definitionId: s.processDefinitionId, ...only, ...tenants(s) };
  return { definitionKey: s.processDefinitionKey!, ...only, ...tenants(s) };
}
