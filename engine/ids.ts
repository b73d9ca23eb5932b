/**
 * Time-ordered UUIDs (RFC 9562 version 7). Rows inserted in id order land at
 * the right edge of every B-tree instead of at random pages, which keeps each
 * commit's dirty pages few on SQLite and PostgreSQL alike.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 16 * 1024;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;
let lastMs = 0;
let seq = 0;
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

function random(n: number): number {
  if (offset + n > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += n;
  return at;
}

export function uuidv7(now: number = Date.now()): string {
  // A 12-bit counter in rand_a keeps ids monotonic within one millisecond.
  if (now <= lastMs) {
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
    now = lastMs;
  } else {
    lastMs = now;
    seq = 0;
  }
  const r = random(10);
  const t = now;
  const hi = Math.floor(t / 0x10000);
  const lo = t % 0x10000;
  const b0 = (hi >>> 24) & 0xff;
  const b1 = (hi >>> 16) & 0xff;
  const b2 = (hi >>> 8) & 0xff;
  const b3 = hi & 0xff;
  const b4 = (lo >>> 8) & 0xff;
  const b5 = lo & 0xff;
  const b6 = 0x70 | ((seq >>> 8) & 0x0f);
  const b7 = seq & 0xff;
  const b8 = 0x80 | (pool[r]! & 0x3f);
  return (
    HEX[b0]! + HEX[b1]! + HEX[b2]! + HEX[b3]! + '-' + HEX[b4]! + HEX[b5]! + '-' + HEX[b6]! + HEX[b7]! + '-' + HEX[b8]! + HEX[pool[r + 1]!]! + '-' +
    HEX[pool[r + 2]!]! + HEX[pool[r + 3]!]! + HEX[pool[r + 4]!]! + HEX[pool[r + 5]!]! + HEX[pool[r + 6]!]! + HEX[pool[r + 7]!]!
  );
}
