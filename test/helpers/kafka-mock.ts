/**
 * Real Kafka brokers for tests: librdkafka's mock cluster, hosted by
 * test/kafka-mock/mock-broker.c. The host is compiled with gcc against
 * librdkafka-dev into node_modules/.cache (again only when its source
 * changed) and runs as a child process; closing its stdin ends it.
 *
 * What the mock cluster of librdkafka 2.0.2 serves kafkajs 2.2.4: Produce v7,
 * Fetch v11, ListOffsets v3, Metadata v2 (topics are created automatically on
 * a metadata request), OffsetCommit v5, OffsetFetch v3, FindCoordinator v2,
 * JoinGroup v5, Heartbeat v3, LeaveGroup v1, SyncGroup v3, ApiVersions v2,
 * InitProducerId v1 and the transaction APIs. Not served: CreateTopics,
 * DeleteTopics, DescribeGroups, ListGroups, DescribeConfigs and the rest of
 * the admin APIs; its Metadata names controller 0, which is no broker. A
 * fetch returns one record batch per partition, and one with nothing to
 * return waits its whole MaxWait even if a record arrives meanwhile. A
 * group's first join waits 3 s; a rejoin up to the session timeout less 1 s.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

export interface MockTopic {
  name: string;
  /** Default 1. */
  partitions?: number;
  /** Default 1 (at most the number of brokers). */
  replication?: number;
}

export interface KafkaMock {
  /** `host:port,host:port,…` */
  readonly bootstrap: string;
  readonly brokers: string[];
  /** Disconnects the broker (1-based id, -1 for all) and refuses connections until `up`. */
  down(brokerId: number): Promise<void>;
  up(brokerId: number): Promise<void>;
  /** Delays every response of the broker. */
  rtt(brokerId: number, ms: number): Promise<void>;
  createTopic(topic: MockTopic): Promise<void>;
  /** Moves a partition's leadership. */
  setLeader(topic: string, partition: number, brokerId: number): Promise<void>;
  /** Makes a broker the coordinator of a consumer group. */
  setGroupCoordinator(groupId: string, brokerId: number): Promise<void>;
  /** The next `count` requests of a Kafka API (e.g. 8 = OffsetCommit), on any broker, fail with `errorCode`. */
  failRequests(apiKey: number, count: number, errorCode: number): Promise<void>;
  stop(): Promise<void>;
}

function packageRoot(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'kafka-mock'))) return dir;
    if (dirname(dir) === dir) throw new Error(`test/kafka-mock not found above ${import.meta.dirname}`);
  }
}

const FLAGS = ['-O2', '-Wall', '-Wextra'];

/** The compiled mock-broker host, built when missing or when its source changed. */
export function mockBrokerBinary(): string {
  const root = packageRoot();
  const source = join(root, 'test', 'kafka-mock', 'mock-broker.c');
  const hash = createHash('sha256').update(readFileSync(source)).update(FLAGS.join(' ')).digest('hex').slice(0, 16);
  const dir = join(root, 'node_modules', '.cache', 'cadenzaflow-kafka-mock');
  const binary = join(dir, `mock-broker-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  // Built under a private name and renamed: test workers compiling at the same time never run a half-written file.
  const partial = `${binary}.${process.pid}.tmp`;
  const r = spawnSync('gcc', [...FLAGS, '-o', partial, source, '-lrdkafka'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(partial, { force: true });
    const why = r.error ? r.error.message : r.stderr.trim();
    throw new Error(`Cannot build the Kafka mock broker from ${source} (needs gcc and librdkafka-dev: apt-get install -y gcc librdkafka-dev): ${why}`);
  }
  renameSync(partial, binary);
  return binary;
}

/** Starts a mock cluster; `stop()` ends it (so does the test process ending, which closes its stdin). */
export async function startKafkaMock(opts: { brokers?: number; topics?: MockTopic[] } = {}): Promise<KafkaMock> {
  const args = ['--brokers', String(opts.brokers ?? 1)];
  for (const t of opts.topics ?? []) args.push('--topic', `${t.name}:${t.partitions ?? 1}:${t.replication ?? 1}`);
  const child: ChildProcessWithoutNullStreams = spawn(mockBrokerBinary(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  const waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  let exited: Error | null = null;
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  child.on('exit', (code, signal) => {
    exited = new Error(`Kafka mock broker exited (${signal ?? `code ${code}`}): ${stderr.trim()}`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      if (exited) return reject(exited);
      waiting.push({ resolve, reject });
    });

  const first = await nextLine();
  const m = /^bootstrap (\S+)$/.exec(first);
  if (!m) throw new Error(`Kafka mock broker printed '${first}' instead of its bootstrap servers`);
  const bootstrap = m[1]!;

  let chain: Promise<unknown> = Promise.resolve();
  const command = (line: string): Promise<void> => {
    const run = chain.then(async () => {
      const answer = nextLine();
      child.stdin.write(`${line}\n`);
      const reply = await answer;
      if (reply !== `ok ${line}`) throw new Error(`Kafka mock broker refused '${line}': ${reply}`);
    });
    chain = run.catch(() => undefined);
    return run;
  };

  return {
    bootstrap,
    brokers: bootstrap.split(','),
    down: (id) => command(`down ${id}`),
    up: (id) => command(`up ${id}`),
    rtt: (id, ms) => command(`rtt ${id} ${ms}`),
    createTopic: (t) => command(`topic ${t.name} ${t.partitions ?? 1} ${t.replication ?? 1}`),
    setLeader: (topic, partition, id) => command(`leader ${topic} ${partition} ${id}`),
    setGroupCoordinator: (groupId, id) => command(`coordinator group ${groupId} ${id}`),
    failRequests: (apiKey, count, errorCode) => command(`fail ${apiKey} ${count} ${errorCode}`),
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
