import { expect, it, describe } from 'vitest';
import { uuidv7 } from '../../engine/ids.js';

describe('time-ordered ids', () => {
  it('are RFC 9562 version 7 UUIDs', () => {
    for (let i = 0; i < 100; i++) expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sort in creation order, also many within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => uuidv7(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
