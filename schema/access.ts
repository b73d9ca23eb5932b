/**
 * Who is asking and what they may do: the contract between the gateway's
 * authentication (which builds an `Access` per request or websocket
 * connection) and the resolvers (which ask it before every read or change).
 * Resolvers never decide permissions themselves; they name the permission an
 * operation needs and pass the tenant filter on to the engine's queries.
 */
import { BadUserInputError, ForbiddenError, NotFoundError, type Engine, type ProcessDefinitionRow } from '../engine/index.js';

/**
 * Permissions, coarse on purpose:
 * - `READ`: query definitions, instances, tasks, jobs, incidents, history; subscribe.
 * - `DEPLOY`: deploy and delete deployments (deploying a model is running code).
 * - `START`: start instances, correlate messages, broadcast signals.
 * - `OPERATE`: cancel/suspend/activate instances, set variables, jobs, incidents,
 *   and work any task regardless of assignment.
 * - `WORK_TASKS`: claim/complete tasks the identity is assignee or candidate of;
 *   fetch-and-lock/complete external tasks.
 */
export type Permission = 'READ' | 'DEPLOY' | 'START' | 'OPERATE' | 'WORK_TASKS';

export const ALL_PERMISSIONS: readonly Permission[] = ['READ', 'DEPLOY', 'START', 'OPERATE', 'WORK_TASKS'];

export interface Identity {
  /** User id, API key name or JWT subject; `anonymous` when unauthenticated access is allowed. */
  readonly id: string;
  readonly kind: 'anonymous' | 'api-key' | 'jwt' | 'basic';
  readonly groups: readonly string[];
  readonly permissions: ReadonlySet<Permission>;
  /** The tenants this identity is bound to; `null` means every tenant (and no tenant). */
  readonly tenantIds: readonly string[] | null;
  /** When the credential stops being valid (a JWT's `exp`); websocket connections are closed then. */
  readonly expiresAt?: Date | null;
}

export interface Access {
  readonly identity: Identity;
  /** Throws `ForbiddenError` (code FORBIDDEN) unless the identity holds the permission. */
  require(permission: Permission, what?: string): void;
  has(permission: Permission): boolean;
  /** Tenant filter for engine queries: `null` = unrestricted. */
  tenantIds(): readonly string[] | null;
  /** Whether an object of this tenant (null = no tenant) is visible and changeable. */
  canSeeTenant(tenantId: string | null | undefined): boolean;
}

export class IdentityAccess implements Access {
  constructor(readonly identity: Identity) {}

  has(permission: Permission): boolean {
    return this.identity.permissions.has(permission);
  }

  require(permission: Permission, what?: string): void {
    if (!this.has(permission)) {
      throw new ForbiddenError(
        `'${this.identity.id}' lacks the ${permission} permission${what ? ` needed to ${what}` : ''}`,
      );
    }
  }

  tenantIds(): readonly string[] | null {
    return this.identity.tenantIds;
  }

  canSeeTenant(tenantId: string | null | undefined): boolean {
    const bound = this.identity.tenantIds;
    if (bound === null) return true;
    return tenantId != null && bound.includes(tenantId);
  }
}

/** Anonymous access with every permission: the embedded demo's default, logged loudly at start-up. */
export const ANONYMOUS_FULL_ACCESS: Access = new IdentityAccess({
  id: 'anonymous',
  kind: 'anonymous',
  groups: [],
  permissions: new Set(ALL_PERMISSIONS),
  tenantIds: null,
});

/** The identity's user id for the engine's records (startUserId, …): null for anonymous callers. */
export function userIdOf(access: Access): string | null {
  return access.identity.kind === 'anonymous' ? null : access.identity.id;
}

/** Throws FORBIDDEN unless the identity holds at least one of the permissions. */
export function requireAny(access: Access, permissions: readonly Permission[], what?: string): void {
  if (permissions.some((p) => access.has(p))) return;
  if (permissions.length === 1) return access.require(permissions[0]!, what);
  throw new ForbiddenError(
    `'${access.identity.id}' lacks the ${permissions.slice(0, -1).join(', ')} or ${permissions[permissions.length - 1]} permission${what ? ` needed to ${what}` : ''}`,
  );
}

/** The row when the identity may see its tenant, else null: a hidden object answers as a missing one. */
export function visible<T extends { tenantId: string | null }>(access: Access, row: T | null | undefined): T | null {
  return row && access.canSeeTenant(row.tenantId) ? row : null;
}

/** Throws `NotFoundError(missing)` when the object exists but its tenant is hidden, so existence does not leak. */
export function hideOtherTenants(access: Access, row: { tenantId: string | null } | null | undefined, missing: string): void {
  if (row && !access.canSeeTenant(row.tenantId)) throw new NotFoundError(missing);
}

/**
 * Narrows a query filter to the identity's tenants: a requested `tenantIdIn`
 * is intersected with them, objects without a tenant are excluded (a bound
 * identity sees only its tenants), an unrestricted identity keeps the filter.
 */
export function scopeToTenants<F extends { tenantIdIn?: string[] | undefined; withoutTenantId?: boolean | undefined }>(access: Access, filter: F): F {
  const bound = access.tenantIds();
  if (bound === null) return filter;
  // Asking only for objects without a tenant finds nothing a bound identity may see.
  const onlyWithout = filter.withoutTenantId === true && filter.tenantIdIn === undefined;
  const tenantIdIn = onlyWithout ? [] : filter.tenantIdIn === undefined ? [...bound] : filter.tenantIdIn.filter((t) => bound.includes(t));
  const scoped = { ...filter, tenantIdIn };
  delete scoped.withoutTenantId;
  return scoped;
}

/**
 * The tenant something new (a deployment) goes into: the requested one when
 * the identity may use it; without a request, the identity's only tenant, or
 * no tenant for an unrestricted identity.
 */
export function tenantForNew(access: Access, requested: string | null | undefined, what: string): string | null {
  const bound = access.tenantIds();
  if (requested != null) {
    if (bound !== null && !bound.includes(requested)) throw new ForbiddenError(`'${access.identity.id}' may not ${what} for tenant '${requested}'`);
    return requested;
  }
  if (bound === null) return null;
  if (bound.length === 1) return bound[0]!;
  throw new BadUserInputError(`'${access.identity.id}' belongs to several tenants (${bound.join(', ')}): name the tenant to ${what} for`, 'tenantId');
}

/**
 * The latest version of a key the identity may start or read: of the given
 * tenant, else (unrestricted) the version without tenant, else (bound) the
 * one version among the identity's tenants. Null when there is none to see.
 */
export async function latestVisibleDefinition(engine: Engine, access: Access, key: string, tenantId: string | null | undefined): Promise<ProcessDefinitionRow | null> {
  if (tenantId != null) return access.canSeeTenant(tenantId) ? engine.getLatestProcessDefinition(key, tenantId) : null;
  const bound = access.tenantIds();
  if (bound === null) return engine.getLatestProcessDefinition(key, null);
  const rows = await engine.findProcessDefinitions({ key, latestVersion: true, tenantIdIn: [...bound] });
  if (rows.length > 1) {
    throw new BadUserInputError(`Process definition key '${key}' is deployed for several tenants (${rows.map((r) => r.tenantId).sort().join(', ')}): name the tenant`, 'tenantId');
  }
  return rows[0] ?? null;
}

/** A user task as far as the work rules need it. */
export interface WorkableTask {
  readonly id: string;
  readonly assignee: string | null;
  readonly candidateUsers: readonly string[];
  readonly candidateGroups: readonly string[];
}

/**
 * Camunda's task work rules: OPERATE works any task; WORK_TASKS works a task
 * assigned to the identity, or — when nobody holds it — one it is a candidate
 * for (as user or through a group). `claim` also needs the task to be claimed
 * for the identity itself.
 */
export function requireTaskWork(access: Access, task: WorkableTask, action: 'claim' | 'unclaim' | 'complete' | 'change variables of', claimFor?: string | null): void {
  if (access.has('OPERATE')) return;
  requireAny(access, ['WORK_TASKS', 'OPERATE'], `${action} task ${task.id}`);
  const me = access.identity;
  if (action === 'claim' && claimFor != null && claimFor !== me.id) {
    throw new ForbiddenError(`'${me.id}' may not claim task ${task.id} for '${claimFor}': that takes the OPERATE permission`);
  }
  if (task.assignee === me.id) return;
  const candidate = task.candidateUsers.includes(me.id) || task.candidateGroups.some((g) => me.groups.includes(g));
  if (task.assignee === null && candidate && action !== 'unclaim') return;
  throw new ForbiddenError(
    task.assignee === null
      ? `'${me.id}' may not ${action} task ${task.id}: not a candidate user and in none of its candidate groups`
      : `'${me.id}' may not ${action} task ${task.id}: it is assigned to somebody else`,
  );
}
