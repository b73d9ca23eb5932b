/**
 * `http-connector` throughput against a local keep-alive HTTP server.
 *
 *   npx tsx bench/connectors-http.ts        (npm run bench runs it from dist/)
 *
 * Two figures separate the connector from the engine around it:
 * - raw `invoke` calls per second: the connector (zod input check, got,
 *   keep-alive agent) alone, as the engine calls it, without an engine;
 * - instances per second of a one-connector-task process (start → service
 *   task with `camunda:connector` → end, one output parameter, history
 *   'full'), each started and finished in one `startProcessInstance`, on the
 *   embedded store and on PostgreSQL when it is reachable.
 * The server runs in a worker thread, so its work is not on the event loop
 * being measured (the machine's cores are shared, though).
 *
 * Environment: BENCH_CONNECTOR_SECONDS (3), BENCH_CONNECTOR_CONCURRENCY (16),
 * BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { httpConnector } from '../connectors/http/index.js';
import { Engine, type ConnectorCall, type StoreConfig } from '../engine/index.js';
import { toEngineConnector } from '../plugins/index.js';

const seconds = Number(process.env['BENCH_CONNECTOR_SECONDS'] ?? 3);
const concurrency = Number(process.env['BENCH_CONNECTOR_CONCURRENCY'] ?? 16);
const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const SERVER = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const body = '{"ok":true}';
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length }).end(body));
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

const PROCESS = (url: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://cadenzaflow.org/bench">
  <bpmn:process id="httpOneTask" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:serviceTask id="call">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>http-connector</camunda:connectorId>
          <camunda:inputOutput>
            <camunda:inputParameter name="url">${url}?order=\${order}</camunda:inputParameter>
            <camunda:inputParameter name="method">GET</camunda:inputParameter>
            <camunda:outputParameter name="status">\${statusCode}</camunda:outputParameter>
          </camunda:inputOutput>
        </camunda:connector>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

interface Measure {
  label: string;
  ops: number;
  seconds: number;
  latencies: number[];
}

/** Runs `op` from `concurrency` loops: a short warm-up, then a window of `seconds`. */
async function measure(label: string, op: (i: number) => Promise<void>): Promise<Measure> {
  let i = 0;
  const warmEnd = performance.now() + Math.min(1000, seconds * 300);
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < warmEnd) await op(i++);
  }));
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await op(i++);
      latencies.push(performance.now() - t);
    }
  }));
  return { label, ops: latencies.length, seconds: (performance.now() - started) / 1000, latencies };
}

function row(m: Measure): string {
  const sorted = [...m.latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(1);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `| ${m.label} | ${(m.ops / m.seconds).toFixed(0)} | ${mean.toFixed(1)} | ${pct(0.5)} | ${pct(0.99)} | ${m.ops} |`;
}

async function engineMeasure(label: string, storeConfig: StoreConfig, url: string): Promise<Measure> {
  const engine = await Engine.create({ storeConfig, historyLevel: 'full', connectors: [toEngineConnector(httpConnector)] });
  try {
    await engine.deploy({ name: 'bench-http', resources: [{ name: 'httpOneTask.bpmn', content: PROCESS(url) }] });
    return await measure(label, async (i) => {
      const pi = await engine.startProcessInstance({ processDefinitionKey: 'httpOneTask', variables: { order: i } });
      if (!pi.ended) throw new Error(`instance ${pi.id} did not end in its start command`);
    });
  } finally {
    await engine.close();
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

const worker = new Worker(SERVER, { eval: true });
const port = await new Promise<number>((resolve) => worker.once('message', resolve));
const url = `http://127.0.0.1:${port}/orders`;
const results: Measure[] = [];

const connector = toEngineConnector(httpConnector);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
results.push(
  await measure('raw `invoke` (connector alone)', async (i) => {
    const call: ConnectorCall = {
      connectorId: 'http-connector',
      input: { url: `${url}?order=${i}`, method: 'GET' },
      idempotencyKey: `bench:${i}`,
      attempt: 1,
      // A signal per call, as the engine gives each attempt.
      signal: new AbortController().signal,
      correlationToken: `bench.${i}`,
      heartbeat() {},
      secret: () => undefined,
      logger: quiet,
      properties: {},
      processInstanceId: 'bench',
      processDefinitionId: 'bench:1',
      processDefinitionKey: 'bench',
      businessKey: null,
      tenantId: null,
      activityId: 'call',
      activityInstanceId: 'call:1',
    };
    const r = await connector.invoke(call);
    if (r.kind !== 'result' || r.output['statusCode'] !== 200) throw new Error('unexpected answer');
  }),
);

const dir = mkdtempSync(join(tmpdir(), 'cadenzaflow-bench-http-'));
try {
  results.push(await engineMeasure('one-connector-task process, embedded store', { dataDir: dir }, url));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

let postgresNote = '';
if (await postgresReachable()) {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  try {
    results.push(await engineMeasure('one-connector-task process, PostgreSQL', { databaseUrl, schema, poolSize: 10 }, url));
  } finally {
    await dropSchema(schema).catch(() => undefined);
  }
} else {
  postgresNote = `\nPostgreSQL unreachable at ${databaseUrl}: no PostgreSQL row.`;
}
await worker.terminate();

const out = [
  `http-connector against a local keep-alive server (worker thread): ${concurrency} concurrent callers, ${seconds} s window after a short warm-up; ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}.`,
  '',
  '| measure | per second | mean ms | p50 ms | p99 ms | count |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map(row),
  '',
  'Raw `invoke` is the connector as the engine calls it, without an engine; the process rows are instances per second, each started, called and finished in one command (history `full`). The gap between them is the engine’s cost per instance.' +
    postgresNote,
].join('\n');
process.stdout.write(`${out}\n`);
