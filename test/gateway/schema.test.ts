import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildGatewaySchema, SCHEMA_FILE } from '../../schema/index.js';

it('the committed schema/schema.graphql is what the type-graphql classes build (run `npm run schema` after changing them)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cadenzaflow-schema-'));
  try {
    const fresh = join(dir, 'schema.graphql');
    await buildGatewaySchema({ emitTo: fresh });
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(readFileSync(fresh, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
