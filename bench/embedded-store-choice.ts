/**
 * Why the embedded store is better-sqlite3 (WAL, synchronous=NORMAL) and not PGlite.
 *
 *   npx tsx bench/embedded-store-choice.ts [seconds per measurement, default 2]
 *
 * Not part of `npm test` or `npm run bench`; self-contained (no engine code).
 * Temp files go to os.tmpdir() (override with CADENZAFLOW_BENCH_TMPDIR); its
 * filesystem type is printed, because fsync on tmpfs costs nothing and would
 * make the synchronous=FULL figures meaningless.
 *
 * Each candidate gets one table shaped like a historic activity instance row
 * (TEXT primary key, instance_id index, BIGINT times) and, after a warm-up of
 * the same operation, three measurements of `seconds` of timed store calls
 * each (rows are built untimed, in chunks of 64, just before use):
 *   1-row tx/s  transactions that each insert 1 row,
 *   8-row tx/s  transactions that each insert 8 rows of one instance (a
 *               typical engine command): SQLite runs one prepared INSERT per
 *               row; PGlite gets one multi-row INSERT (its best case, since
 *               every query is a round trip into WASM),
 *   reads/s     point reads by primary key of random existing rows.
 * Ids are time-ordered (UUIDv7 layout), so inserts append to the primary key
 * B-tree as the engine's do. One connection, one caller at a time: this is
 * the embedded case, not a concurrency test.
 *
 * Durability as configured (checked in the PGlite 0.5 sources, not assumed):
 *   - better-sqlite3 WAL + synchronous=NORMAL: a commit survives a process
 *     crash; the last commits may be lost on OS crash or power loss (the WAL
 *     is fsynced at checkpoints, not per commit).
 *   - better-sqlite3 WAL + synchronous=FULL: the WAL is fsynced per commit.
 *   - PGlite on Node (NodeFS): started with `-F` (fsync off) and Emscripten's
 *     NODEFS has no fsync, so a commit reaches the OS page cache only — the
 *     same guarantee as SQLite synchronous=OFF, which is measured as a
 *     like-for-like reference row.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { PGlite } from '@electric-sql/pglite';

const seconds = Number(process.argv[2] ?? 2);
const warmupSeconds = Math.min(0.5, seconds / 4);
if (!(seconds > 0)) throw new Error(`seconds must be a positive number, got ${process.argv[2]}`);
const baseDir = process.env['CADENZAFLOW_BENCH_TMPDIR'] ?? tmpdir();

// ---------------------------------------------------------------- ids & rows

let lastMs = 0;
let seq = 0;
// One randomBytes call per id costs about as much as a SQLite insert: draw from a pool.
let pool = randomBytes(8 * 4096);
let poolOffset = 0;
/** UUIDv7 layout: 48-bit ms timestamp, 12-bit in-millisecond counter, random tail. Monotonic. */
function timeOrderedId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    if (++seq > 0xfff) {
      ms = ++lastMs;
      seq = 0;
    }
  } else {
    lastMs = ms;
    seq = 0;
  }
  const hex = ms.toString(16).padStart(12, '0') + '7' + seq.toString(16).padStart(3, '0');
  if (poolOffset + 8 > pool.length) {
    pool = randomBytes(8 * 4096);
    poolOffset = 0;
  }
  pool[poolOffset] = (pool[poolOffset]! & 0x3f) | 0x80;
  const t = pool.toString('hex', poolOffset, (poolOffset += 8));
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${t.slice(0, 4)}-${t.slice(4)}`;
}

type Row = [
  id: string,
  instanceId: string,
  executionId: string,
  activityId: string,
  activityName: string,
  activityType: string,
  definitionId: string,
  startTime: number,
  endTime: number,
  tenantId: string | null,
];

function activityRow(instanceId: string, i: number): Row {
  const now = Date.now();
  return [timeOrderedId(), instanceId, instanceId, `activity${i}`, `Activity ${i}`, i === 7 ? 'userTask' : 'serviceTask', 'invoice:1:5c2a', now, now + 3, null];
}

const COLUMNS = 'id, instance_id, execution_id, activity_id, activity_name, activity_type, definition_id, start_time, end_time, tenant_id';

function ddl(): string[] {
  return [
    `CREATE TABLE act_hi_actinst (
       id TEXT PRIMARY KEY,
       instance_id TEXT NOT NULL,
       execution_id TEXT NOT NULL,
       activity_id TEXT NOT NULL,
       activity_name TEXT,
       activity_type TEXT NOT NULL,
       definition_id TEXT NOT NULL,
       start_time BIGINT NOT NULL,
       end_time BIGINT,
       tenant_id TEXT
     )`,
    'CREATE INDEX act_hi_actinst_instance ON act_hi_actinst (instance_id)',
  ];
}

// ---------------------------------------------------------------- candidates

interface Candidate {
  name: string;
  notes: string;
  insertTx(rows: Row[]): void | Promise<void>;
  read(id: string): unknown;
  close(): Promise<void>;
}

function sqlite(synchronous: 'NORMAL' | 'FULL' | 'OFF', notes: string): Candidate {
  const dir = mkdtempSync(join(baseDir, 'cf-store-choice-sqlite-'));
  const db = new Database(join(dir, 'bench.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  for (const sql of ddl()) db.exec(sql);
  const insert = db.prepare(`INSERT INTO act_hi_actinst (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const select = db.prepare('SELECT * FROM act_hi_actinst WHERE id = ?');
  const tx = db.transaction((rows: Row[]) => {
    for (const row of rows) insert.run(...row);
  });
  return {
    name: `better-sqlite3 WAL, synchronous=${synchronous}`,
    notes,
    insertTx: (rows) => tx(rows),
    read: (id) => select.get(id),
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pglite(file: boolean): Promise<Candidate> {
  const dir = file ? mkdtempSync(join(baseDir, 'cf-store-choice-pglite-')) : undefined;
  const db = await PGlite.create(dir ?? 'memory://');
  for (const sql of ddl()) await db.exec(sql);
  // Every query is a round trip into the WASM Postgres, so give PGlite its best case: a command's rows
  // go in one multi-row INSERT (as the engine's PostgreSQL store writes them), inside BEGIN … COMMIT.
  const insertSqls = new Map<number, string>();
  const insertSql = (rows: number): string => {
    let sql = insertSqls.get(rows);
    if (!sql) {
      const values = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: 10 }, (_, c) => `$${r * 10 + c + 1}`).join(', ')})`);
      sql = `INSERT INTO act_hi_actinst (${COLUMNS}) VALUES ${values.join(', ')}`;
      insertSqls.set(rows, sql);
    }
    return sql;
  };
  return {
    name: file ? 'PGlite 0.5, file (NodeFS)' : 'PGlite 0.5, in-memory',
    notes: file
      ? 'starts with fsync off (`-F`) and NodeFS cannot fsync: survives a process crash, not an OS crash (like SQLite synchronous=OFF)'
      : 'nothing survives the process',
    insertTx: async (rows) => {
      await db.transaction(async (tx) => {
        await tx.query(insertSql(rows.length), rows.flat());
      });
    },
    read: (id) => db.query('SELECT * FROM act_hi_actinst WHERE id = $1', [id]),
    close: async () => {
      await db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- measuring

/**
 * Ops per second of `op` over `secs` of timed work. Inputs are made by `next` in untimed chunks just
 * before they are used (so ids stay time-ordered), and only the store calls are timed: on a loaded
 * machine building rows costs a noticeable share of a SQLite transaction. Promises are awaited one by one.
 */
async function rate<T>(secs: number, next: () => T, op: (input: T) => unknown): Promise<number> {
  const chunk = 64;
  let timedMs = 0;
  let n = 0;
  while (timedMs < secs * 1000) {
    const inputs = Array.from({ length: chunk }, next);
    const start = performance.now();
    for (const input of inputs) {
      const r = op(input);
      if (r instanceof Promise) await r;
    }
    timedMs += performance.now() - start;
    n += chunk;
  }
  return n / (timedMs / 1000);
}

interface Result {
  name: string;
  oneRow: number;
  eightRows: number;
  reads: number;
  notes: string;
}

/** The same loop with a store that does nothing: the ceiling the harness itself allows. */
function noStore(): Candidate {
  const rows = new Map<string, Row>();
  return {
    name: 'no store (harness only)',
    notes: 'reference only: rows kept in a Map; the ceiling of the timing loop itself',
    insertTx: (batch) => {
      for (const row of batch) rows.set(row[0], row);
    },
    read: (id) => rows.get(id),
    close: async () => rows.clear(),
  };
}

async function measure(c: Candidate): Promise<Result> {
  const ids: string[] = [];
  const command = (rows: number) => (): Row[] => {
    const instanceId = timeOrderedId();
    const batch = Array.from({ length: rows }, (_, i) => activityRow(instanceId, i));
    for (const row of batch) ids.push(row[0]);
    return batch;
  };
  const insert = (batch: Row[]) => c.insertTx(batch);
  const randomId = () => ids[Math.floor(Math.random() * ids.length)]!;
  const read = (id: string) => c.read(id);

  await rate(warmupSeconds, command(1), insert);
  const oneRow = await rate(seconds, command(1), insert);
  await rate(warmupSeconds, command(8), insert);
  const eightRows = await rate(seconds, command(8), insert);
  await rate(warmupSeconds, randomId, read);
  const reads = await rate(seconds, randomId, read);
  // A read that finds nothing would flatter the figure: check a sample.
  const probe = await c.read(ids[ids.length >> 1]!);
  const found = probe && (Array.isArray((probe as { rows?: unknown[] }).rows) ? (probe as { rows: unknown[] }).rows.length === 1 : true);
  if (!found) throw new Error(`${c.name}: point read returned no row`);
  return { name: c.name, oneRow, eightRows, reads, notes: `${c.notes}; ${ids.length.toLocaleString('en-US')} rows at the end` };
}

// ---------------------------------------------------------------- main

const FS_TYPES: Record<number, string> = { 0xef53: 'ext4', 0x01021994: 'tmpfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x794c7630: 'overlayfs', 0x65735546: 'fuse' };

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function main(): Promise<void> {
  const fsType = statfsSync(baseDir).type;
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  // Figures are only comparable within one run on one machine: print what they were measured on.
  const environment =
    `node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}; ` +
    `temp dir ${baseDir} on ${FS_TYPES[fsType] ?? `fs type 0x${fsType.toString(16)}`}; ${seconds} s per measurement after ${warmupSeconds} s warm-up`;
  const loadBefore = load();
  console.error(environment);
  const factories: Array<() => Candidate | Promise<Candidate>> = [
    () => sqlite('NORMAL', 'survives a process crash; the last commits can be lost on OS crash/power loss (WAL fsynced at checkpoint)'),
    () => sqlite('FULL', 'WAL fsynced on every commit: survives power loss'),
    () => pglite(true),
    () => pglite(false),
    () => sqlite('OFF', 'reference only, same guarantee as PGlite file: survives a process crash, not an OS crash'),
    noStore,
  ];
  const results: Result[] = [];
  for (const make of factories) {
    const c = await make();
    try {
      console.error(`measuring ${c.name} …`);
      results.push(await measure(c));
    } finally {
      await c.close();
    }
  }
  console.log(`${environment}; load average ${loadBefore} before, ${load()} after\n`);
  console.log('| candidate | 1-row tx/s | 8-row tx/s | reads/s | notes (durability setting) |');
  console.log('|---|---:|---:|---:|---|');
  for (const r of results) console.log(`| ${r.name} | ${fmt(r.oneRow)} | ${fmt(r.eightRows)} | ${fmt(r.reads)} | ${r.notes} |`);
}

await main();
