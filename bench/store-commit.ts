/**
 * Commits per second of typical commands on both stores.
 *
 *   npx tsx bench/store-commit.ts [seconds per scenario, default 3]
 *
 * "history" is the brief's typical command: 1 historic process instance and
 * 7 historic activity instance inserts. "start" adds what starting an
 * instance writes besides: the process instance, a task with a candidate
 * group and two variables. SQLite commits from one loop (it is embedded and
 * synchronous); PostgreSQL from 10 concurrent committers over a pool of 10.
 * PostgreSQL: CADENZAFLOW_BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test; a schema bench_<random> is created
 * and dropped.
 *
 * Each store also gets reference lines measured the same way on the same
 * machine at the same moment: for SQLite ("ceiling"), the same 8 rows
 * inserted by bare prepared statements in one transaction on the same file;
 * for PostgreSQL, `SELECT 1` round trips and single-row INSERT commits from
 * the same number of connections. Read the store figures against these when
 * the machine is shared or noisy. "history×10" commits 10 history commands at
 * once from 4 committers, as the engine's group commit does; it reports
 * commands/s. Every other figure is commits (or calls) per second.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresStore } from '../engine/persistence/postgres-store.js';
import { SqliteStore } from '../engine/persistence/sqlite-store.js';
import type { Mutation } from '../engine/persistence/store.js';

const seconds = Number(process.argv[2] ?? 3);
const url = process.env['CADENZAFLOW_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const committers = 10;

let sequence = 0;

function historyCommand(): Mutation[] {
  const id = `pi-${++sequence}`;
  const now = new Date();
  const base = { instanceId: id, executionId: id, definitionId: 'invoice:1:x', definitionKey: 'invoice', tenantId: null, removalTime: null };
  return [
    {
      table: 'historicProcessInstance',
      op: 'insert',
      row: {
        id,
        businessKey: `order-${sequence}`,
        definitionId: 'invoice:1:x',
        definitionKey: 'invoice',
        definitionName: 'Invoice',
        definitionVersion: 1,
        startTime: now,
        endTime: null,
        durationMs: null,
        startUserId: 'demo',
        startActivityId: 'start',
        endActivityId: null,
        superInstanceId: null,
        rootInstanceId: id,
        tenantId: null,
        state: 'ACTIVE',
        deleteReason: null,
        removalTime: null,
      },
    },
    ...Array.from(
      { length: 7 },
      (_, i): Mutation => ({
        table: 'historicActivityInstance',
        op: 'insert',
        row: {
          ...base,
          id: `${id}-act-${i}`,
          parentActivityInstanceId: id,
          activityId: `activity${i}`,
          activityName: `Activity ${i}`,
          activityType: i === 6 ? 'userTask' : 'serviceTask',
          taskId: null,
          calledProcessInstanceId: null,
          assignee: null,
          startTime: now,
          endTime: i === 6 ? null : now,
          durationMs: i === 6 ? null : 0,
          canceled: false,
          completeScope: false,
          sequenceCounter: i + 1,
        },
      }),
    ),
  ];
}

function startCommand(): Mutation[] {
  const history = historyCommand();
  const id = `pi-${sequence}`;
  const now = new Date();
  const common = { instanceId: id, executionId: id, activityInstanceId: id, definitionId: 'invoice:1:x', tenantId: null };
  return [
    {
      table: 'processInstance',
      op: 'insert',
      row: {
        id,
        rev: 1,
        definitionId: 'invoice:1:x',
        definitionKey: 'invoice',
        businessKey: `order-${sequence}`,
        tenantId: null,
        suspended: false,
        superInstanceId: null,
        superExecutionId: null,
        rootInstanceId: id,
        startTime: now,
        startUserId: 'demo',
        doc: JSON.stringify({ executions: [{ id, activityId: 'approve' }], variables: { amount: 100, customer: 'Acme' } }),
      },
    },
    ...history,
    {
      table: 'task',
      op: 'insert',
      row: {
        ...common,
        id: `${id}-task`,
        definitionKey: 'invoice',
        taskDefinitionKey: 'approve',
        name: 'Approve invoice',
        description: null,
        assignee: null,
        owner: null,
        priority: 50,
        dueDate: null,
        followUpDate: null,
        formKey: null,
        createTime: now,
        suspended: false,
        candidateUsers: [],
        candidateGroups: ['accounting'],
      },
    },
    { table: 'variable', op: 'insert', row: { ...common, id: `${id}-v1`, taskId: null, name: 'amount', value: { type: 'Integer', value: 100 } } },
    { table: 'variable', op: 'insert', row: { ...common, id: `${id}-v2`, taskId: null, name: 'customer', value: { type: 'String', value: 'Acme' } } },
  ];
}

/** Calls per second of `call` from `concurrency` loops over `ms`. */
async function rate(concurrency: number, ms: number, call: () => unknown): Promise<number> {
  let calls = 0;
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await call();
        calls++;
      }
    }),
  );
  return calls / ((performance.now() - started) / 1000);
}

interface Scenario {
  name: string;
  concurrency: number;
  call: () => unknown;
  /** Commands per call (group commit), default 1: the figure is commands/s. */
  commands?: number;
}

/**
 * Runs the scenarios round-robin in short slices and reports each one's
 * median, so a load spike on a shared machine hits all of them alike.
 */
async function compare(store: string, scenarios: Scenario[]): Promise<void> {
  const slices = 6;
  const sliceMs = (seconds * 1000) / slices;
  const rates = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
  for (const s of scenarios) await rate(s.concurrency, 100, s.call); // warm-up
  for (let i = 0; i < slices; i++) {
    for (const s of scenarios) rates.get(s.name)!.push((s.commands ?? 1) * (await rate(s.concurrency, sliceMs, s.call)));
  }
  for (const s of scenarios) {
    const sorted = rates.get(s.name)!.sort((a, b) => a - b);
    const median = (sorted[(slices - 1) >> 1]! + sorted[slices >> 1]!) / 2;
    console.log(
      `${store.padEnd(9)} ${s.name.padEnd(10)} ${String(s.concurrency).padStart(2)} committer(s)  ${Math.round(median).toLocaleString('en-US').padStart(7)}/s` +
        `  (min ${Math.round(sorted[0]!).toLocaleString('en-US')}, max ${Math.round(sorted[slices - 1]!).toLocaleString('en-US')})`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cadenzaflow-bench-'));
try {
  const sqlite = await SqliteStore.open({ dataDir: dir });
  const raw = new Database(join(dir, 'cadenzaflow.db'));
  raw.pragma('synchronous = NORMAL');
  const insertProcess = raw.prepare(
    "INSERT INTO cf_hi_procinst (id, definition_id, definition_key, definition_version, start_time, root_instance_id, state) VALUES (?, 'd', 'k', 1, ?, ?, 'ACTIVE')",
  );
  const insertActivity = raw.prepare(
    "INSERT INTO cf_hi_actinst (id, activity_id, activity_type, instance_id, execution_id, definition_id, definition_key, start_time, canceled, complete_scope, sequence_counter) VALUES (?, 'a', 'serviceTask', ?, ?, 'd', 'k', ?, 0, 0, ?)",
  );
  const rawCommand = raw.transaction(() => {
    const id = `raw-${++sequence}`;
    const now = Date.now();
    insertProcess.run(id, now, id);
    for (let i = 0; i < 7; i++) insertActivity.run(`${id}-${i}`, id, id, now, i);
  });
  try {
    await compare('sqlite', [
      { name: 'history', concurrency: 1, call: () => sqlite.commit(historyCommand()) },
      { name: 'start', concurrency: 1, call: () => sqlite.commit(startCommand()) },
      { name: 'ceiling', concurrency: 1, call: rawCommand },
    ]);
  } finally {
    raw.close();
    await sqlite.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const schema = `bench_${randomBytes(4).toString('hex')}`;
const postgres = await PostgresStore.open({ url, schema, poolSize: committers });
const pool = new pg.Pool({ connectionString: url, max: committers });
const insertOne = `INSERT INTO "${schema}".cf_deployment (id, deploy_time) VALUES ($1, 0)`;
try {
  await compare('postgres', [
    { name: 'history', concurrency: committers, call: () => postgres.commit(historyCommand()) },
    { name: 'start', concurrency: committers, call: () => postgres.commit(startCommand()) },
    // What the engine's group commit does: 10 history commands share one commit.
    { name: 'history×10', concurrency: 4, commands: 10, call: () => postgres.commit(Array.from({ length: 10 }, historyCommand).flat()) },
    { name: 'select 1', concurrency: committers, call: () => pool.query('SELECT 1') },
    { name: 'one row', concurrency: committers, call: () => pool.query({ name: 'bench_one_row', text: insertOne, values: [`raw-${++sequence}`] }) },
  ]);
} finally {
  await pool.end();
  await postgres.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
