/**
 * `npm run bench`: process instances per second of Camunda's engine
 * performance shapes on CadenzaFlow (embedded store and PostgreSQL, history
 * 'full') and on bpmn-engine in memory.
 *
 * Every cell (engine × shape) runs in a child process of its own, so a cell's
 * memory figures and JIT state belong to it alone and no store carries rows
 * over from another shape. Progress goes to stderr; the Markdown goes to
 * stdout and to bench/results.md.
 *
 * Environment: BENCH_CONCURRENCY (16), BENCH_SECONDS (3), BENCH_WARMUP (300),
 * BENCH_WARMUP_SECONDS (1, caps the warm-up),
 * BENCH_ONLY=embedded,postgres,bpmn-engine, BENCH_SHAPES=manual-1,xor-2,... (only these cells,
 * e.g. BENCH_SHAPES=message-catch,external-10 BENCH_MICRO=0 BENCH_GATEWAY=0 BENCH_CONNECTORS=0
 * BENCH_RESULTS=0; BENCH_RESULTS=0 leaves bench/results.md as it is),
 * BENCH_MICRO=0 to skip the micro-benchmarks, BENCH_DATABASE_URL,
 * BENCH_JOB_CONCURRENCY and BENCH_JOB_ACQUISITION for the job executor of the
 * async shapes, BENCH_JOBS_TIMERS_SECONDS (2) for the window of the second table,
 * BENCH_GATEWAY=0 to skip the GraphQL gateway benchmark (bench/gateway.ts, its
 * own BENCH_GATEWAY_* settings).
 *
 * The second table holds jobs and timers: Camunda's async sequences in jobs
 * per second of one node's job executor (CadenzaFlow only: the peer has no
 * job executor), and user tasks with timer boundary events in instances per second.
 */
import { fork, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { CellRequest, CellResult } from './cell.js';
import { BENCH_DATABASE_URL } from './cadenzaflow.js';
import { readConfig, type BenchConfig, type EngineId } from './config.js';
import { shapeById } from './shapes.js';
import { cellsOf, detailTable, failures, jobsAndTimersTable, machineLine, throughputTable, unitOf } from './table.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Micro-benchmarks owned elsewhere; run as they are when they exist. */
const MICRO_BENCHMARKS = ['store-commit', 'script-run'];

function packageRoot(): string {
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

function runCell(req: CellRequest, timeoutMs: number): Promise<CellResult> {
  return new Promise((resolve) => {
    const child = fork(join(here, 'cell.js'), [JSON.stringify(req)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout?.pipe(process.stderr);
    let result: CellResult | null = null;
    const failed = (error: string): CellResult => ({ ok: false, engine: req.engine, shape: req.shape, error, peakRssMb: 0, peakHeapMb: 0 });
    const timer = setTimeout(() => {
      result ??= failed(`timed out after ${timeoutMs / 1000} s`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (m) => {
      result ??= m as CellResult;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(result ?? failed(`child exited with ${signal ?? `code ${code}`} before reporting`));
    });
  });
}

function runMicro(file: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      out += `\n(killed after ${timeoutMs / 1000} s)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 || code === null ? out.trimEnd() : `${out.trimEnd()}\n(exit code ${code})`);
    });
  });
}

async function postgresVersion(): Promise<string | null> {
  const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let config: BenchConfig;
try {
  config = readConfig();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
const extra: string[] = [];
if (config.engines.includes('postgres')) {
  const v = await postgresVersion();
  extra.push(v ? `PostgreSQL ${v.split(' ')[0]} (same host, pool 10)` : `PostgreSQL unreachable at ${BENCH_DATABASE_URL}`);
}
const machine = machineLine(config, extra);

const plan = config.shapes.flatMap((shape) => (config.engines as EngineId[]).filter((e) => e !== 'bpmn-engine' || shapeById(shape).peer).map((engine) => ({ shape, engine })));
const total = plan.length;
const results: CellResult[] = [];
const started = performance.now();
for (const { shape, engine } of plan) {
  const req: CellRequest = {
    engine,
    shape,
    concurrency: config.concurrency,
    seconds: shapeById(shape).table === 'main' ? config.seconds : config.jobsAndTimersSeconds,
    warmupInstances: config.warmupInstances,
    warmupSeconds: config.warmupSeconds,
    jobExecutor: config.jobExecutor,
  };
  process.stderr.write(`[${results.length + 1}/${total}] ${shape} on ${engine} … `);
  const cellStart = performance.now();
  const r = await runCell(req, Math.max(120_000, config.seconds * 10_000));
  results.push(r);
  const took = `${((performance.now() - cellStart) / 1000).toFixed(1)} s`;
  const unit = unitOf(shapeById(shape));
  process.stderr.write(r.ok ? `${r.rate.toFixed(1)} ${unit} (${r.verified} verified, peak RSS ${r.peakRssMb.toFixed(0)} MB, ${took})\n` : `FAILED: ${r.error} (${took})\n`);
}

const cells = cellsOf(results);
const sections = [
  '# CadenzaFlow benchmark',
  machine,
  throughputTable(config, cells),
  [
    'Process instances per second with all clients busy: every instance started in the window, divided by the time until the last of them finished (the cells table also shows the count of only those that finished inside the window). The user-task shape counts start + find task + complete as one instance; the message shape counts start + `correlateMessage` by process instance id as one (bpmn-engine: start, then `execution.signal({ id })` with the message’s id once the catch event is postponed).',
    'CadenzaFlow runs with history level `full`, on a fresh embedded store (temp directory) or a fresh PostgreSQL schema per cell; bpmn-engine keeps nothing.',
    'Each cell runs in its own child process: peak RSS is that process’s kernel high-water mark (`process.resourceUsage().maxRSS`, Node’s baseline and loaded modules included; the PostgreSQL server is not counted).',
    'bpmn-engine starts every instance from a definition parsed once, with `manualTask` mapped to its pass-through `Task` (it would otherwise wait for a signal) and a no-op `Logger`.',
  ].join('\n'),
  '## Jobs and timers',
  jobsAndTimersTable(config, cells),
  [
    'Async sequences (service tasks with `camunda:asyncBefore` and `camunda:expression="${true}"`, one job each): jobs per second of one node’s job executor working off a backlog — the instances are started first with the executor stopped (not measured), then the executor runs until the last instance completed. The warm-up backlog’s rate sizes the measured backlog to about the window. bpmn-engine has no job executor: no cell.',
    'Timer boundary events: the task is completed at once, so the one-hour timer never fires; its job is created with the task and deleted with it. Instances per second as in the first table (the 2-task shapes complete both tasks of the parallel branches).',
    'External tasks (`camunda:type="external"`, topic `bench`): a backlog of instances is started first (not measured), then 10 in-process workers each loop `externalTasks.fetchAndLock` (maxTasks 10, BENCH_EXTERNAL_MAX_TASKS) and `complete` every task they locked, until a fetch comes back empty; tasks completed per second, sized like the async backlogs. bpmn-engine has no external tasks: no cell.',
  ].join('\n'),
  '## Cells',
  'Every instance the driver saw finish is checked against what the engine recorded: CadenzaFlow’s historic process instances in state COMPLETED (and finished end-event activity instances, with no instance left running); bpmn-engine’s `activity.end` events of the final end event.',
  detailTable(config, cells),
];
const failed = failures(results);
if (failed.length > 0) sections.push('## Failures', failed.join('\n'));

if (config.micro) {
  for (const name of MICRO_BENCHMARKS) {
    const file = join(here, `${name}.js`);
    if (!existsSync(file)) continue;
    process.stderr.write(`micro-benchmark ${name} … `);
    const out = await runMicro(file, 180_000);
    process.stderr.write('done\n');
    sections.push(`## Micro-benchmark: bench/${name}.ts`, `\`\`\`\n${out}\n\`\`\``);
  }
}

// The GraphQL gateway next to the engine API it wraps (bench/gateway.ts prints its own Markdown tables).
if (process.env['BENCH_GATEWAY'] !== '0') {
  const file = join(here, 'gateway.js');
  if (existsSync(file)) {
    process.stderr.write('gateway benchmark … ');
    // 108 measurements of a few seconds each (stores × starts × clients × rounds × APIs) and the fan-out.
    const out = await runMicro(file, 1_200_000);
    process.stderr.write('done\n');
    sections.push('## GraphQL gateway (bench/gateway.ts)', out);
  }
}

// http-connector calls per second, raw and inside a one-task process (bench/connectors-http.ts prints its own
// Markdown table; BENCH_CONNECTORS=0 skips it, BENCH_CONNECTOR_SECONDS and BENCH_CONNECTOR_CONCURRENCY tune it).
if (process.env['BENCH_CONNECTORS'] !== '0') {
  const file = join(here, 'connectors-http.js');
  if (existsSync(file)) {
    process.stderr.write('http-connector benchmark … ');
    const out = await runMicro(file, 180_000);
    process.stderr.write('done\n');
    sections.push('## http-connector (bench/connectors-http.ts)', out);
  }
}

// Kafka request/reply round trips per second against librdkafka's mock cluster (bench/connectors-kafka.ts prints its
// own Markdown table; needs gcc and librdkafka-dev; BENCH_CONNECTORS=0 skips it like the other connector benchmarks).
if (process.env['BENCH_CONNECTORS'] !== '0') {
  const file = join(here, 'connectors-kafka.js');
  if (existsSync(file)) {
    process.stderr.write('kafka-connector benchmark … ');
    const out = await runMicro(file, 180_000);
    process.stderr.write('done\n');
    sections.push('## kafka connector request/reply (bench/connectors-kafka.ts)', out);
  }
}

sections.push(`_Run took ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' / ')}._`);
const markdownText = `${sections.join('\n\n')}\n`;
process.stdout.write(markdownText);
// BENCH_RESULTS=0 keeps bench/results.md (the record of the last full run) when only some cells ran.
if (process.env['BENCH_RESULTS'] !== '0') {
  const outFile = join(packageRoot(), 'bench', 'results.md');
  writeFileSync(outFile, markdownText);
  process.stderr.write(`written to ${outFile}\n`);
}
