/**
 * API keys and Basic passwords. Only SHA-256 digests are kept in memory, and
 * a presented secret is compared with every candidate's digest in constant
 * time, so neither timing nor an early exit tells how close a guess was.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../../schema/index.js';
import { identityOf, permissionsNamed } from './identity.js';
import type { ApiKey, BasicUser, Grant } from './options.js';

const digest = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

function storedDigest(plain: string | undefined, sha256: string | undefined, where: string): Buffer {
  if (plain !== undefined && sha256 !== undefined) throw new Error(`${where}: give the secret or its sha256, not both`);
  if (plain !== undefined) {
    if (plain.length < 16) throw new Error(`${where}: the secret is shorter than 16 characters`);
    return digest(plain);
  }
  if (sha256 !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(sha256)) throw new Error(`${where}: sha256 must be 64 hex digits`);
    return Buffer.from(sha256, 'hex');
  }
  throw new Error(`${where}: no secret (give the secret or its sha256)`);
}

function checkedGrant(grant: Grant, where: string): Grant {
  return { ...grant, permissions: permissionsNamed(grant.permissions as readonly string[], where) };
}

interface Entry {
  id: string;
  kind: Identity['kind'];
  grant: Grant;
  digest: Buffer;
}

export class SecretBook {
  private readonly keys: Entry[] = [];
  private readonly users: Entry[] = [];

  constructor(apiKeys: readonly ApiKey[] = [], basicUsers: readonly BasicUser[] = []) {
    const names = new Set<string>();
    apiKeys.forEach((k, i) => {
      const where = `API key #${i + 1}${k.name ? ` ('${k.name}')` : ''}`;
      if (!k.name) throw new Error(`${where}: name is required`);
      if (names.has(k.name)) throw new Error(`${where}: the name is used twice`);
      names.add(k.name);
      this.keys.push({ id: k.name, kind: 'api-key', grant: checkedGrant(k, where), digest: storedDigest(k.key, k.sha256, where) });
    });
    const ids = new Set<string>();
    basicUsers.forEach((u, i) => {
      const where = `Basic user #${i + 1}${u.id ? ` ('${u.id}')` : ''}`;
      if (!u.id) throw new Error(`${where}: id is required`);
      if (ids.has(u.id)) throw new Error(`${where}: the id is used twice`);
      ids.add(u.id);
      this.users.push({ id: u.id, kind: 'basic', grant: checkedGrant(u, where), digest: storedDigest(u.password, u.passwordSha256, where) });
    });
  }

  get apiKeyCount(): number {
    return this.keys.length;
  }
  get basicUserCount(): number {
    return this.users.length;
  }

  /** The identity of an API key, or null. */
  apiKey(secret: string): Identity | null {
    const hit = matching(this.keys, digest(secret));
    return hit ? identityOf(hit.id, hit.kind, hit.grant) : null;
  }

  /** HTTP Basic: a user with its password, or an API key's name with the key. */
  basic(user: string, password: string): Identity | null {
    const d = digest(password);
    const hit = matching(this.users.filter((u) => u.id === user), d) ?? matching(this.keys.filter((k) => k.id === user), d);
    return hit ? identityOf(hit.id, hit.kind, hit.grant) : null;
  }
}

function matching(entries: readonly Entry[], presented: Buffer): Entry | null {
  let hit: Entry | null = null;
  for (const e of entries) if (timingSafeEqual(e.digest, presented) && !hit) hit = e;
  return hit;
}
