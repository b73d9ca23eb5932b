/**
 * Inbound bindings: every record of a bound topic is correlated as a BPMN
 * message (`engine.correlateMessage`), reaching the execution waiting for it
 * or starting an instance at a message start event. The business key and
 * correlation keys come from the record's key, a header or a field of its
 * JSON body; the body's fields become process variables. A record's offset
 * is committed only after the engine committed the correlation.
 */
import { EngineError, type CorrelateMessageInput, type Engine } from '../../engine/index.js';
import type { PluginHost, PluginService } from '../../plugins/index.js';
import type { IncomingRecord, KafkaClient, RunningConsumer } from './client.js';
import type { InboundBinding, KafkaConfig, ValueSource } from './config.js';
import { parseJson, recordWhere } from './protocol.js';

/** A record no binding can ever deliver: skipped (and logged) rather than retried forever. */
class PoisonRecord extends Error {}

const MISMATCH = 'MismatchingMessageCorrelationException';
const DETERMINISTIC = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'EXPRESSION', 'SCRIPT', 'MODEL_INVALID', 'FORBIDDEN']);

/** A field of a JSON value by dotted path (`order.items.0.sku`). */
export function atPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

class RecordView {
  private body: { value: unknown } | null = null;
  constructor(readonly record: IncomingRecord) {}

  json(): unknown {
    if (!this.body) {
      try {
        this.body = { value: parseJson(this.record.value, recordWhere(this.record)) };
      } catch (e) {
        throw new PoisonRecord((e as Error).message);
      }
    }
    return this.body.value;
  }

  read(source: ValueSource): unknown {
    switch (source.from) {
      case 'key':
        return this.record.key ?? undefined;
      case 'header':
        return this.record.headers[source.name];
      case 'json':
        return atPath(this.json(), source.path);
    }
  }
}

function describeSource(s: ValueSource): string {
  return s.from === 'key' ? 'the record key' : s.from === 'header' ? `header '${s.name}'` : `JSON field '${s.path}'`;
}

export class InboundService implements PluginService {
  readonly name = 'kafka-inbound';
  private consumer: RunningConsumer | null = null;
  private engine: Engine | null = null;
  private host: PluginHost | null = null;
  /** Bindings of a record already delivered while a later one is retried: they are not delivered twice. */
  private readonly delivered = new Map<string, Set<number>>();
  private readonly firstSeen = new Map<string, number>();
  readonly stats = { correlated: 0, skipped: 0 };

  constructor(
    private readonly config: KafkaConfig,
    private readonly client: () => KafkaClient,
  ) {}

  async start(host: PluginHost): Promise<void> {
    this.engine = host.engine;
    this.host = host;
    if (!this.config.inbound.length) return;
    this.consumer = await this.client().consume({
      groupId: `${this.config.groupId}.inbound`,
      topics: [...new Set(this.config.inbound.map((b) => b.topic))],
      fromBeginning: this.config.inboundFromBeginning,
      // Messages of one partition are correlated in the order they were sent.
      concurrency: 1,
      ...this.config.consumer,
      handle: (record) => this.handle(record),
    });
  }

  ready(): Promise<void> {
    return this.consumer?.ready ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    const c = this.consumer;
    this.consumer = null;
    await c?.stop();
  }

  private async handle(record: IncomingRecord): Promise<void> {
    const where = recordWhere(record);
    const done = this.delivered.get(where) ?? new Set<number>();
    this.delivered.set(where, done);
    if (!this.firstSeen.has(where)) this.firstSeen.set(where, Date.now());
    const view = new RecordView(record);
    for (const [i, binding] of this.config.inbound.entries()) {
      if (binding.topic !== record.topic || done.has(i)) continue;
      await this.deliver(binding, view);
      done.add(i);
    }
    this.delivered.delete(where);
    this.firstSeen.delete(where);
  }

  private async deliver(binding: InboundBinding, view: RecordView): Promise<void> {
    const engine = this.engine!;
    const log = this.host!.logger;
    const { record } = view;
    const where = recordWhere(record);
    const context = { record: where, messageName: binding.messageName };
    let input: CorrelateMessageInput;
    try {
      input = this.correlation(binding, view);
    } catch (e) {
      if (!(e instanceof PoisonRecord)) throw e;
      log.error('Kafka record skipped: it cannot be correlated', { ...context, error: e.message });
      this.stats.skipped++;
      return;
    }
    if (binding.recordIdVariable) {
      const id = input.processVariables![binding.recordIdVariable] as string;
      const seen = await engine.findProcessInstances({ variables: [{ name: binding.recordIdVariable, operator: 'eq', value: id }] }, { firstResult: 0, maxResults: 1 });
      if (seen.length) {
        log.info('Kafka record skipped: it was correlated before (redelivery)', { ...context, processInstanceId: seen[0]!.id });
        this.stats.skipped++;
        return;
      }
    }
    try {
      await engine.correlateMessage(input);
      this.stats.correlated++;
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      if (e.camundaType === MISMATCH) {
        const seen = this.firstSeen.get(where) ?? Date.now();
        // Thrown: the consumer tries the record again after a backoff, the waiting instance may still commit.
        if (Date.now() - seen < binding.noMatchRetryMs) throw e;
        log.warn('Kafka record skipped: nothing waits for its message', { ...context, error: e.message });
        this.stats.skipped++;
        return;
      }
      if (DETERMINISTIC.has(e.code)) {
        log.error('Kafka record skipped: the engine refused its message', { ...context, error: e.message });
        this.stats.skipped++;
        return;
      }
      throw e;
    }
  }

  /** The correlation a record stands for under a binding; PoisonRecord names what is missing. */
  private correlation(binding: InboundBinding, view: RecordView): CorrelateMessageInput {
    const where = recordWhere(view.record);
    const input: CorrelateMessageInput = { messageName: binding.messageName, all: binding.all, startMessagesOnly: binding.startOnly };
    if (binding.tenantId) input.tenantId = binding.tenantId;
    if (binding.businessKey) {
      const v = view.read(binding.businessKey);
      if (v === undefined || v === null || typeof v === 'object') throw new PoisonRecord(`${where} has no business key in ${describeSource(binding.businessKey)}`);
      input.businessKey = String(v);
    }
    if (binding.correlationKeys) {
      input.correlationKeys = {};
      for (const [name, source] of Object.entries(binding.correlationKeys)) {
        const v = view.read(source);
        if (v === undefined) throw new PoisonRecord(`${where} has no value for correlation key '${name}' in ${describeSource(source)}`);
        input.correlationKeys[name] = v;
      }
    }
    const variables: Record<string, unknown> = {};
    if (binding.variables === 'body') {
      const body = view.json();
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new PoisonRecord(`${where} has no JSON object body to take variables from`);
      Object.assign(variables, body);
    } else if (binding.variables !== 'none') {
      for (const [name, path] of Object.entries(binding.variables)) {
        const v = atPath(view.json(), path);
        if (v !== undefined) variables[name] = v;
      }
    }
    if (binding.recordIdVariable) variables[binding.recordIdVariable] = `${view.record.topic}/${view.record.partition}@${view.record.offset}`;
    input.processVariables = variables;
    return input;
  }
}
