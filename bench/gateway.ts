/**
 * The GraphQL gateway's cost, next to the engine API it wraps:
 *
 * 1. Start-instance throughput at 1, 16 and 64 concurrent clients, in the
 *    same run: through the direct engine API, as `startProcessInstance`
 *    mutations (POST /graphql) and as Camunda's
 *    `POST /engine-rest/process-definition/key/{key}/start`, for two kinds of
 *    start (STARTS): a whole instance in one commit, and an instance that
 *    runs to a user task and waits. The rate is counted as bench/load.ts
 *    counts it. Next to each rate, the server's CPU time per start.
 * 2. Subscription fan-out: 1,000 graphql-ws clients (one websocket each)
 *    subscribed to `instanceChanged(definitionKey)`; for each of several
 *    instances, the time from the commit (the engine publishing its events)
 *    to the first and to the last of the 1,000 deliveries.
 *
 * The HTTP clients run in a child process (one kept-alive connection per
 * client, see Connection), so the CPU time of this process is the server's
 * alone; the websocket subscribers run in a worker thread. Both
 * share the machine's cores with the server. Prints Markdown.
 *
 *   npx tsx bench/gateway.ts          (or through `npm run bench`)
 *
 * Environment: BENCH_GATEWAY_STARTS (whole,wait: see STARTS), BENCH_GATEWAY_SECONDS (2) window per
 * measurement, BENCH_GATEWAY_ROUNDS (3) measurements per API and cell (interleaved, medians),
 * BENCH_GATEWAY_OPERATION_CACHE (on), BENCH_GATEWAY_CLIENTS (1,16,64), BENCH_GATEWAY_SUBSCRIBERS (1000), BENCH_GATEWAY_EVENTS (30),
 * BENCH_GATEWAY_STORES (embedded,postgres), BENCH_DATABASE_URL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { Engine, type StoreConfig } from '../engine/index.js';
import { startServer, type RunningServer } from '../gateway/server.js';
import { drive, type LoadResult } from './load.js';
import { shapeById, type Shape } from './shapes.js';

/**
 * What one start does. `whole`: the smallest whole instance (start, manual
 * task, end) in one command, where the engine's share of a request is least.
 * `wait`: the instance runs to a user task and waits there, as most business
 * processes start.
 */
type StartKind = 'whole' | 'wait';
const STARTS: Record<StartKind, { shape: Shape; label: string; state: 'COMPLETED' | 'ACTIVE' }> = {
  whole: { shape: shapeById('manual-1'), label: 'whole instance (start → manual task → end)', state: 'COMPLETED' },
  wait: { shape: shapeById('user-task'), label: 'to a user task (the instance waits)', state: 'ACTIVE' },
};
/** The fan-out events are whole instances. */
const SHAPE = STARTS.whole.shape;
const START = `mutation($key: String!) { startProcessInstance(input: { processDefinitionKey: $key }) { id state } }`;
/** Marks the child process that runs the HTTP clients; its task is in BENCH_GATEWAY_TASK. */
const CLIENTS_ROLE = 'http-clients';
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const now = (): number => performance.timeOrigin + performance.now();
/** Progress on a terminal only: bench/run.ts captures stderr together with the Markdown. */
const progress = (text: string): void => {
  if (process.stderr.isTTY) process.stderr.write(text);
};

function numbers(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const out = raw.split(',').map((s) => Number(s.trim()));
  if (out.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`${name} must be positive integers, got '${raw}'`);
  return out;
}

// ---------------------------------------------------------------------------------------------- client side

type Api = 'graphql' | 'rest';
interface HttpTask {
  api: Api;
  start: StartKind;
  url: string;
  concurrency: number;
  seconds: number;
}
type WorkerTask = { kind: 'subscribers'; url: string; count: number };

/**
 * One kept-alive HTTP/1.1 connection that sends the same POST again and
 * again, the way load generators (wrk, autocannon) do: the request bytes are
 * built once, and an answer is read by its content-length (the gateway always
 * sends one). node:http's client spends more CPU per request than the server
 * under test, on the cores the server needs.
 */
class Connection {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: ((status: number, body: string) => void) | null = null;
  private failed: Error | null = null;

  constructor(
    url: URL,
    private readonly request: Buffer,
  ) {
    this.socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', (e) => (this.failed = e));
  }

  private read(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) throw new Error(`an answer without content-length: ${head}`);
    const end = headEnd + 4 + Number(length[1]);
    if (this.buffered.length < end) return;
    const status = Number(head.slice(9, 12));
    const body = this.buffered.toString('utf8', headEnd + 4, end);
    this.buffered = this.buffered.subarray(end);
    const answer = this.waiting!;
    this.waiting = null;
    answer(status, body);
  }

  /** Sends the request and resolves with the status and the parsed JSON answer. */
  send(): Promise<{ status: number; json: unknown }> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting = (status, body) => {
        try {
          resolve({ status, json: JSON.parse(body) as unknown });
        } catch (e) {
          reject(e);
        }
      };
      this.socket.write(this.request);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function postRequest(url: URL, path: string, body: string): Buffer {
  return Buffer.from(`POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\naccept: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

async function httpClients(task: HttpTask): Promise<LoadResult> {
  const url = new URL(task.url);
  const { shape, state } = STARTS[task.start];
  const request =
    task.api === 'graphql'
      ? postRequest(url, '/graphql', JSON.stringify({ query: START, variables: { key: shape.id } }))
      : postRequest(url, `/engine-rest/process-definition/key/${encodeURIComponent(shape.id)}/start`, '{}');
  const idle: Connection[] = Array.from({ length: task.concurrency }, () => new Connection(url, request));
  const all = [...idle];
  try {
    return await drive(
      {
        async runOne() {
          // drive() runs at most `concurrency` at once, so a connection is always free.
          const connection = idle.pop()!;
          try {
            const { status, json } = await connection.send();
            if (task.api === 'graphql') {
              const answer = json as { data?: { startProcessInstance: { state: string } }; errors?: unknown };
              if (status !== 200 || answer.errors || answer.data?.startProcessInstance.state !== state) throw new Error(`GraphQL start failed (${status}): ${JSON.stringify(json)}`);
            } else if (status !== 200 || (json as { ended?: boolean }).ended !== (state === 'COMPLETED')) throw new Error(`REST start failed (${status}): ${JSON.stringify(json)}`);
          } finally {
            idle.push(connection);
          }
        },
        completed: async () => 0,
        close: async () => {},
      },
      { concurrency: task.concurrency, warmupInstances: 300, warmupSeconds: 1, seconds: task.seconds },
    );
  } finally {
    for (const c of all) c.close();
  }
}

if (process.env['BENCH_GATEWAY_ROLE'] === CLIENTS_ROLE) {
  const task = JSON.parse(process.env['BENCH_GATEWAY_TASK']!) as HttpTask;
  // The parent ends this process once it has the message; exiting here could overtake it.
  httpClients(task).then(
    (result) => process.send!({ kind: 'result', result }),
    (e: unknown) => process.send!({ kind: 'error', error: e instanceof Error ? e.message : String(e) }),
  );
}

async function subscribers(task: WorkerTask): Promise<void> {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  const port = parentPort!;
  const seen = new Map<string, { first: number; last: number; count: number }>();
  const query = `subscription($key: String!) { instanceChanged(definitionKey: $key) { id state } }`;
  const clients = Array.from({ length: task.count }, () => createClient({ url: task.url.replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, retryAttempts: 0, lazy: true }));
  await Promise.all(
    clients.map(async (client) => {
      client.subscribe<{ instanceChanged: { id: string } }>(
        { query, variables: { key: SHAPE.id } },
        {
          next: (r) => {
            const at = now();
            const id = r.data?.instanceChanged.id;
            if (!id) return;
            const s = seen.get(id) ?? { first: at, last: at, count: 0 };
            s.last = at;
            s.count++;
            seen.set(id, s);
            if (s.count === task.count) {
              seen.delete(id);
              port.postMessage({ kind: 'delivered', id, first: s.first, last: s.last });
            }
          },
          error: (e) => port.postMessage({ kind: 'error', error: String(e) }),
          complete: () => {},
        },
      );
      // Answered once the server has handled the subscription sent before it on the same socket.
      await new Promise<void>((resolve, reject) => client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve }));
    }),
  );
  port.postMessage({ kind: 'ready' });
  port.on('message', async (m: { kind: string }) => {
    if (m.kind !== 'stop') return;
    await Promise.all(clients.map((c) => c.dispose()));
    port.postMessage({ kind: 'stopped' });
  });
}

if (!isMainThread) {
  const task = workerData as WorkerTask;
  subscribers(task).catch((e: unknown) => parentPort!.postMessage({ kind: 'error', error: e instanceof Error ? e.message : String(e) }));
}

// ---------------------------------------------------------------------------------------------- main side

function worker(task: WorkerTask): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(import.meta.url), { workerData: task });
  // Run from the sources (npx tsx), the worker registers tsx's loader itself before loading this file.
  const api = import.meta.resolve('tsx/esm/api');
  const code = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(import.meta.url)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: task });
}

/** The next message of `kind` from a worker thread or a child process; an `error` message or event, or an exit before it, rejects. */
function once<T>(from: Worker | ChildProcess, kind: string): Promise<T> {
  const w: EventEmitter = from;
  return new Promise((resolve, reject) => {
    const done = (): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    const onError = (e: unknown): void => {
      done();
      reject(e);
    };
    const onExit = (code: number | null): void => onError(new Error(`the ${from instanceof Worker ? 'worker' : 'client process'} exited (code ${code}) before sending '${kind}'`));
    const onMessage = (m: { kind: string; error?: string } & T): void => {
      if (m.kind === 'error') onError(new Error(m.error));
      else if (m.kind === kind) {
        done();
        resolve(m);
      }
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
  });
}

interface Node {
  engine: Engine;
  server: RunningServer;
  close(): Promise<void>;
}

async function openNode(store: 'embedded' | 'postgres'): Promise<Node> {
  let storeConfig: StoreConfig;
  let dispose: () => Promise<void>;
  if (store === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'cadenzaflow-bench-gateway-'));
    storeConfig = { dataDir: dir };
    dispose = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `bench_gw_${randomBytes(6).toString('hex')}`;
    storeConfig = { databaseUrl: DATABASE_URL, schema, poolSize: 10 };
    dispose = async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    };
  }
  const engine = await Engine.create({ storeConfig, historyLevel: 'full' });
  for (const { shape } of Object.values(STARTS)) await engine.deploy({ name: shape.id, resources: [{ name: `${shape.id}.bpmn`, content: shape.xml('juel') }] });
  // BENCH_GATEWAY_OPERATION_CACHE=off measures Apollo's whole pipeline for every request.
  const operationCache = process.env['BENCH_GATEWAY_OPERATION_CACHE'] !== 'off';
  const server = await startServer({ engine, port: 0, host: '127.0.0.1', graphql: operationCache ? {} : { operationCache: false } });
  return {
    engine,
    server,
    async close() {
      await server.close();
      await engine.close();
      await dispose();
    },
  };
}

async function direct(engine: Engine, start: StartKind, concurrency: number, seconds: number): Promise<LoadResult> {
  const { shape, state } = STARTS[start];
  return drive(
    {
      async runOne() {
        const pi = await engine.startProcessInstance({ processDefinitionKey: shape.id });
        if (pi.ended !== (state === 'COMPLETED')) throw new Error(`instance ${pi.id} ${pi.ended ? 'ended' : 'did not end'}`);
      },
      completed: async () => 0,
      close: async () => {},
    },
    { concurrency, warmupInstances: 300, warmupSeconds: 1, seconds },
  );
}

async function overHttp(task: HttpTask): Promise<LoadResult> {
  // Inherits this process's execArgv, so under `npx tsx` the child loads the TypeScript source too.
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_GATEWAY_ROLE: CLIENTS_ROLE, BENCH_GATEWAY_TASK: JSON.stringify(task) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    return (await once<{ result: LoadResult }>(child, 'result')).result;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

/** Runs `fn` and returns its result with this process's CPU time (user + system) in ms per counted start. */
async function withCpu(fn: () => Promise<LoadResult>): Promise<{ r: LoadResult; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const r = await fn();
  const used = process.cpuUsage(cpu);
  return { r, cpuMs: (used.user + used.system) / 1000 / Math.max(1, r.total) };
}

interface Measured {
  rate: number;
  cpuMs: number;
}

/** The middle value (the lower of the two middle ones for an even count). */
const median = (values: number[]): number => percentile(values, 50);

/**
 * Rates of the three APIs, measured `rounds` times in turn (direct, GraphQL,
 * REST, direct, …) so that a slow spell of a shared machine hits all three
 * alike; each API's median rate and median CPU per start.
 */
async function interleaved(node: Node, start: StartKind, concurrency: number, seconds: number, rounds: number): Promise<Record<'direct' | Api, Measured>> {
  const runs: Record<'direct' | Api, Measured[]> = { direct: [], graphql: [], rest: [] };
  for (let i = 0; i < rounds; i++) {
    const d = await withCpu(() => direct(node.engine, start, concurrency, seconds));
    // The clients are another process: this process's CPU time is the server's.
    const g = await withCpu(() => overHttp({ api: 'graphql', start, url: node.server.url, concurrency, seconds }));
    const r = await withCpu(() => overHttp({ api: 'rest', start, url: node.server.url, concurrency, seconds }));
    runs.direct.push({ rate: d.r.rate, cpuMs: d.cpuMs });
    runs.graphql.push({ rate: g.r.rate, cpuMs: g.cpuMs });
    runs.rest.push({ rate: r.r.rate, cpuMs: r.cpuMs });
  }
  const summary = (xs: Measured[]): Measured => ({ rate: median(xs.map((x) => x.rate)), cpuMs: median(xs.map((x) => x.cpuMs)) });
  return { direct: summary(runs.direct), graphql: summary(runs.graphql), rest: summary(runs.rest) };
}

async function throughputTable(stores: ('embedded' | 'postgres')[], starts: StartKind[], clients: number[], seconds: number, rounds: number): Promise<string> {
  const rows: string[] = [
    '| store | start | clients | direct engine API (inst/s) | GraphQL mutation over HTTP (inst/s) | GraphQL ÷ direct | REST `POST …/key/{key}/start` (inst/s) | REST ÷ direct | server CPU per start: direct / GraphQL / REST (ms) |',
    '|:---|:---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const store of stores) {
    let node: Node;
    try {
      node = await openNode(store);
    } catch (e) {
      rows.push(`| ${store} | — | — | unavailable: ${(e as Error).message.split('\n')[0]} | | | | | |`);
      continue;
    }
    try {
      for (const start of starts) {
        for (const c of clients) {
          progress(`gateway: ${store}, ${start}, ${c} client(s) … `);
          const { direct: d, graphql: g, rest: r } = await interleaved(node, start, c, seconds, rounds);
          progress(`direct ${fmt(d.rate)}/s, GraphQL ${fmt(g.rate)}/s, REST ${fmt(r.rate)}/s\n`);
          rows.push(
            `| ${store} | ${start} | ${c} | ${fmt(d.rate)} | ${fmt(g.rate)} | ${(g.rate / d.rate).toFixed(2)} | ${fmt(r.rate)} | ${(r.rate / d.rate).toFixed(2)} | ${d.cpuMs.toFixed(3)} / ${g.cpuMs.toFixed(3)} / ${r.cpuMs.toFixed(3)} |`,
          );
        }
      }
    } finally {
      await node.close();
    }
  }
  return rows.join('\n');
}

async function fanOutTable(subscriberCount: number, events: number): Promise<string> {
  const node = await openNode('embedded');
  const w = worker({ kind: 'subscribers', url: node.server.url, count: subscriberCount });
  try {
    progress(`gateway: connecting ${subscriberCount} graphql-ws subscribers … `);
    await once(w, 'ready');
    progress('ready\n');
    const committed = new Map<string, number>();
    const stop = node.engine.subscribe((e) => {
      // The engine publishes right after the commit, synchronously: this is the commit time.
      if (e.type === 'instance.ended') committed.set(e.instanceId, now());
    });
    const firsts: number[] = [];
    const lasts: number[] = [];
    // The first instances warm up the server's and the clients' code paths; they are not counted.
    const warmup = 5;
    for (let i = 0; i < warmup + events; i++) {
      const delivered = once<{ id: string; first: number; last: number }>(w, 'delivered');
      const pi = await node.engine.startProcessInstance({ processDefinitionKey: SHAPE.id });
      const d = await delivered;
      if (d.id !== pi.id) throw new Error(`expected deliveries of ${pi.id}, got ${d.id}`);
      const t0 = committed.get(pi.id)!;
      if (i >= warmup) {
        firsts.push(d.first - t0);
        lasts.push(d.last - t0);
      }
    }
    stop();
    const rows = [
      '| subscribers | events | commit → first delivery p50 (ms) | commit → last delivery p50 (ms) | commit → last delivery p99 (ms) | max (ms) |',
      '|---:|---:|---:|---:|---:|---:|',
      `| ${subscriberCount} | ${events} | ${percentile(firsts, 50).toFixed(1)} | ${percentile(lasts, 50).toFixed(1)} | ${percentile(lasts, 99).toFixed(1)} | ${Math.max(...lasts).toFixed(1)} |`,
    ];
    w.postMessage({ kind: 'stop' });
    await once(w, 'stopped');
    return rows.join('\n');
  } finally {
    await w.terminate();
    await node.close();
  }
}

if (isMainThread && process.env['BENCH_GATEWAY_ROLE'] !== CLIENTS_ROLE) {
  const seconds = Number(process.env['BENCH_GATEWAY_SECONDS'] ?? 2);
  const rounds = numbers('BENCH_GATEWAY_ROUNDS', [3])[0]!;
  const clients = numbers('BENCH_GATEWAY_CLIENTS', [1, 16, 64]);
  const subscriberCount = numbers('BENCH_GATEWAY_SUBSCRIBERS', [1000])[0]!;
  const events = numbers('BENCH_GATEWAY_EVENTS', [30])[0]!;
  const stores = (process.env['BENCH_GATEWAY_STORES'] ?? 'embedded,postgres').split(',').map((s) => s.trim()) as ('embedded' | 'postgres')[];
  const starts = (process.env['BENCH_GATEWAY_STARTS'] ?? 'whole,wait').split(',').map((s) => s.trim()) as StartKind[];
  for (const s of starts) if (!(s in STARTS)) throw new Error(`BENCH_GATEWAY_STARTS: unknown start '${s}'; known: ${Object.keys(STARTS).join(', ')}`);
  const head = `${cpus().length} cores · Node ${process.version} · ${new Date().toISOString()} · load average at start ${loadavg().map((l) => l.toFixed(2)).join(' / ')} · ${rounds} rounds of a ${seconds} s window per API and cell (each after a warm-up of 300 starts or 1 s), the APIs taking turns; medians · history full · starts: ${starts.map((s) => `${s} = ${STARTS[s].label}`).join('; ')}`;
  const throughput = await throughputTable(stores, starts, clients, seconds, rounds);
  const fanOut = await fanOutTable(subscriberCount, events);
  process.stdout.write(
    [
      head,
      '',
      '### Start-instance throughput',
      '',
      throughput,
      '',
      'The HTTP clients run in a child process (one kept-alive connection per client, each sending prebuilt request bytes as wrk or autocannon do), the direct API on the server\'s thread; all share the machine\'s cores. Server CPU per start is this process\'s CPU time (user + system, the warm-up included) over the starts it served. Each figure is the median of the rounds; in a round the three APIs run one after the other, so a slow spell of the shared machine falls on all three.',
      '',
      '### Subscription fan-out (embedded store)',
      '',
      fanOut,
      '',
      `Every subscriber is a graphql-ws client with its own websocket (in a worker thread), subscribed to \`instanceChanged(definitionKey)\`; each event is one instance started and completed through the engine API, the next one starting after all ${subscriberCount} deliveries of the previous. The commit time is when the engine published the command's events.`,
    ].join('\n') + '\n',
  );
}
