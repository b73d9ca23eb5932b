/**
 * Who is asking and what they may do: the contract between the gateway's
 * authentication (which builds an `Access` per request or websocket
 * connection) and the resolvers (which ask it before every read or change).
 * Resolvers never decide permissions themselves; they name the permission an
 * operation needs and pass the tenant filter on to the engine's queries.
 */
import { ForbiddenError } from '../engine/index.js';

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
