/**
 * Identities from configured grants and token claims. Permission names are
 * read case-insensitively, `-` as `_` (`work-tasks` is WORK_TASKS).
 */
import { ALL_PERMISSIONS, type Identity, type Permission } from '../../schema/index.js';
import type { Grant } from './options.js';

/** The permission a name stands for, or null. */
export function permissionNamed(name: string): Permission | null {
  const normalized = name.trim().toUpperCase().replace(/-/g, '_');
  return (ALL_PERMISSIONS as readonly string[]).includes(normalized) ? (normalized as Permission) : null;
}

/** Permission names from configuration: an unknown name is a configuration error naming `where`. */
export function permissionsNamed(names: readonly string[], where: string): Permission[] {
  return names.map((n) => {
    const p = permissionNamed(n);
    if (!p) throw new Error(`${where}: unknown permission '${n}' (known: ${ALL_PERMISSIONS.join(', ')})`);
    return p;
  });
}

export function identityOf(id: string, kind: Identity['kind'], grant: Grant, expiresAt: Date | null = null): Identity {
  return {
    id,
    kind,
    groups: [...(grant.groups ?? [])],
    permissions: new Set(grant.permissions),
    tenantIds: grant.tenantIds == null ? null : [...grant.tenantIds],
    expiresAt,
  };
}
