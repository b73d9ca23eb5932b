/**
 * Kafka request/reply round trips per second: instances of a process whose
 * only activity is a `kafka` request are started, the command goes out over
 * Kafka, a responder answers each at once, the reply consumer completes the
 * activity and the instance ends. A round trip counts from the start call to
 * the committed end of its instance (the `instance.ended` event).
 *
 *   npx tsx bench/connectors-kafka.ts          (npm run bench runs it from dist/)
 *
 * The brokers are librdkafka's mock cluster (test/kafka-mock, needs gcc and
 * librdkafka-dev), in a process of its own on the same machine. Two traits of
 * the mock shape the figures (see its Fetch handler): a fetch with nothing to
 * return waits its whole wait time even when a record arrives meanwhile, so
 * a hop can wait up to the consumers' `maxWaitTimeMs`; and a fetch returns one
 * record batch per partition, so the topics get many partitions. A real
 * broker has neither limit.
 *
 * Environment: BENCH_CONNECTOR_SECONDS (3) measured window after a 1 s
 * warm-up and BENCH_CONNECTOR_CONCURRENCY (32) instances in flight (shared
 * with the other connector benchmarks); BENCH_KAFKA_STORES
 * (embedded,postgres), BENCH_KAFKA_MAX_WAIT_MS (10), BENCH_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createKafkaClient, createKafkaIntegration, HEADERS, type KafkaConfigInput } from '../connectors/kafka/index.js';
import { Engine, type ConnectorLogger, type StoreConfig } from '../engine/index.js';
import { definePlugin, PLUGIN_API_VERSION, PluginRuntime } from '../plugins/index.js';
import { startKafkaMock, type KafkaMock } from '../test/helpers/kafka-mock.js';

const seconds = Number(process.env['BENCH_CONNECTOR_SECONDS'] ?? 3);
const concurrency = Number(process.env['BENCH_CONNECTOR_CONCURRENCY'] ?? 32);
const maxWaitTimeMs = Number(process.env['BENCH_KAFKA_MAX_WAIT_MS'] ?? 10);
const stores = (process.env['BENCH_KAFKA_STORES'] ?? 'embedded,postgres').split(',') as ('embedded' | 'postgres')[];
const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const WARMUP_MS = 1000;
/**
 * The mock returns one record batch per partition and fetch (each send here is a batch of one record), so a
 * topic's throughput is capped at partitions × fetches per second: the bench topics get many partitions.
 */
const PARTITIONS = 32;

const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://cadenzaflow.org/bench">
  <bpmn:process id="kafkaRoundTrip" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:serviceTask id="ask">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>kafka</camunda:connectorId>
          <camunda:inputOutput>
            <camunda:inputParameter name="operation">request</camunda:inputParameter>
            <camunda:inputParameter name="topic">bench.commands</camunda:inputParameter>
            <camunda:inputParameter name="key">\${n}</camunda:inputParameter>
            <camunda:inputParameter name="value"><camunda:map><camunda:entry key="n">\${n}</camunda:entry></camunda:map></camunda:inputParameter>
            <camunda:outputParameter name="answer">\${answer}</camunda:outputParameter>
          </camunda:inputOutput>
        </camunda:connector>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const quiet: ConnectorLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m, f) => process.stderr.write(`${m} ${JSON.stringify(f ?? {})}\n`) };

interface Result {
  store: string;
  completed: number;
  rate: number;
  p50: number;
  p99: number;
  /** Round trips the driver saw end, warm-up included, and the completed instances the engine's history holds. */
  total: number;
  verified: number;
  cpuShare: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function runOne(kind: 'embedded' | 'postgres', mock: KafkaMock): Promise<Result> {
  const brokers = mock.brokers;
  let storeConfig: StoreConfig;
  let dispose: () => Promise<void>;
  if (kind === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'cf-bench-kafka-'));
    storeConfig = { dataDir: dir };
    dispose = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    storeConfig = { databaseUrl, schema, poolSize: 10 };
    dispose = async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    };
  }
  const run = randomBytes(4).toString('hex');
  await mock.createTopic({ name: `bench.replies.${run}`, partitions: PARTITIONS });
  const engine = await Engine.create({ storeConfig });
  const integration = createKafkaIntegration();
  const config: KafkaConfigInput = {
    brokers,
    groupId: `bench-${run}`,
    replyTopics: [`bench.replies.${run}`],
    consumer: { maxWaitTimeMs, heartbeatIntervalMs: 500, sessionTimeoutMs: 6000, partitionsConsumedConcurrently: PARTITIONS },
  };
  const runtime = new PluginRuntime(
    engine,
    [{ definition: definePlugin({ name: 'kafka', apiVersion: PLUGIN_API_VERSION, connectors: [integration.connector], services: (host) => integration.services(host) }), spec: { name: 'kafka', config }, version: null }],
    quiet,
  );
  runtime.install();
  const responder = createKafkaClient({ brokers, clientId: 'bench-responder' }, quiet);
  try {
    await runtime.start();
    await engine.deploy({ name: 'bench', resources: [{ name: 'kafka-round-trip.bpmn', content: PROCESS }] });
    const answering = await responder.consume({
      groupId: `bench-responder-${run}`,
      topics: ['bench.commands'],
      fromBeginning: true,
      concurrency: 64,
      partitionsConsumedConcurrently: PARTITIONS,
      maxWaitTimeMs,
      handle: async (r) => {
        const n = (JSON.parse(r.value!.toString('utf8')) as { n: number }).n;
        await responder.send(r.headers[HEADERS.replyTo]!, [{ key: r.key, value: JSON.stringify({ outcome: 'result', output: { answer: n * 2 } }), headers: { [HEADERS.correlationToken]: r.headers[HEADERS.correlationToken]! } }]);
      },
    });
    await answering.ready;

    const waiting = new Map<string, () => void>();
    const early = new Set<string>();
    const unsubscribe = engine.subscribe((e) => {
      if (e.type !== 'instance.ended') return;
      const done = waiting.get(e.instanceId);
      if (done) done();
      else early.add(e.instanceId);
    });
    let n = 0;
    let total = 0;
    const latencies: number[] = [];
    let measuring = false;
    let stopAt = Number.POSITIVE_INFINITY;
    const roundTrip = async (): Promise<void> => {
      const began = performance.now();
      const pi = await engine.startProcessInstance({ processDefinitionKey: 'kafkaRoundTrip', variables: { n: ++n } });
      await new Promise<void>((resolve) => {
        if (early.delete(pi.id)) return resolve();
        waiting.set(pi.id, () => {
          waiting.delete(pi.id);
          resolve();
        });
      });
      total++;
      if (measuring) latencies.push(performance.now() - began);
    };
    const client = async () => {
      while (performance.now() < stopAt) await roundTrip();
    };
    // Warm-up, then the window; clients finish the round trip they are in.
    stopAt = performance.now() + WARMUP_MS;
    await Promise.all(Array.from({ length: concurrency }, client));
    const cpu = process.cpuUsage();
    measuring = true;
    const started = performance.now();
    stopAt = started + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, client));
    const elapsed = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    unsubscribe();
    const sorted = [...latencies].sort((a, b) => a - b);
    const verified = await engine.countHistoricProcessInstances({ definitionKey: 'kafkaRoundTrip', finished: true });
    return { store: kind, completed: latencies.length, rate: latencies.length / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), total, verified, cpuShare: (used.user + used.system) / 1e6 / elapsed };
  } finally {
    await runtime.stop();
    await responder.close();
    await engine.close();
    await dispose();
  }
}

const mock = await startKafkaMock({ brokers: 1, topics: [{ name: 'bench.commands', partitions: PARTITIONS }] });
const results: Result[] = [];
try {
  for (const kind of stores) {
    process.stderr.write(`kafka request/reply on ${kind} … `);
    try {
      const r = await runOne(kind, mock);
      results.push(r);
      process.stderr.write(`${r.rate.toFixed(1)} round trips/s\n`);
    } catch (e) {
      process.stderr.write(`FAILED: ${(e as Error).message}\n`);
    }
  }
} finally {
  await mock.stop();
}

const lines = [
  `Kafka request/reply: ${concurrency} instances in flight, ${seconds} s window after ${WARMUP_MS / 1000} s warm-up; librdkafka mock cluster (1 broker, same host, ${PARTITIONS} partitions per topic); consumers' maxWaitTimeMs ${maxWaitTimeMs}; load average ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
  '',
  '| store | round trips/s | completed in window | p50 (ms) | p99 (ms) | round trips with warm-up / completed instances in engine history | CPU share (node process) |',
  '|:---|---:|---:|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.store} | ${r.rate.toFixed(1)} | ${r.completed} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.total} / ${r.verified}${r.total === r.verified ? '' : ' (MISMATCH)'} | ${(r.cpuShare * 100).toFixed(0)} % |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
