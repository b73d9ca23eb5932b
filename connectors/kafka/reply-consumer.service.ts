/**
 * Reads the reply topics and completes the connector calls waiting for
 * them: header `cadenzaflow-correlation-token` names the call, the JSON body
 * its outcome (protocol.ts). A reply's offset is committed only after the
 * engine committed its outcome, so a crash replays replies rather than
 * losing them; the replay of a reply already applied finds no call waiting
 * for its single-use token and is skipped.
 */
import { EngineError, type Engine, type PendingOutcome } from '../../engine/index.js';
import { PendingCallAnswers, type PluginHost, type PluginService } from '../../plugins/index.js';
import type { IncomingRecord, KafkaClient, RunningConsumer } from './client.js';
import type { KafkaConfig } from './config.js';
import { describeIssues, HEADERS, parseJson, recordWhere, ReplyBody } from './protocol.js';

/** Errors applying an outcome that no retry can fix: the outcome becomes a technical failure of the call instead. */
const DETERMINISTIC = new Set(['EXPRESSION', 'SCRIPT', 'BAD_USER_INPUT']);

/** The outcome a reply body stands for; a body that is no reply fails the call, naming the record. */
export function outcomeOf(record: IncomingRecord): PendingOutcome {
  const where = recordWhere(record);
  let body: unknown;
  try {
    body = parseJson(record.value, where);
  } catch (e) {
    return { kind: 'failure', message: `Invalid reply: ${(e as Error).message}` };
  }
  const r = ReplyBody.safeParse(body);
  if (!r.success) return { kind: 'failure', message: `Invalid reply: ${where} is not a CadenzaFlow reply: ${describeIssues(r.error)}` };
  const b = r.data;
  switch (b.outcome) {
    case 'result':
      return { kind: 'result', output: b.output };
    case 'bpmnError':
      return { kind: 'bpmnError', errorCode: b.errorCode, ...(b.errorMessage !== undefined ? { errorMessage: b.errorMessage } : {}), ...(b.variables ? { variables: b.variables } : {}) };
    case 'failure':
      return { kind: 'failure', message: b.errorMessage, ...(b.retries !== undefined ? { retries: b.retries } : {}), ...(b.retryDelayMs !== undefined ? { retryDelayMs: b.retryDelayMs } : {}) };
  }
}

export class ReplyConsumerService implements PluginService {
  readonly name = 'kafka-replies';
  private consumer: RunningConsumer | null = null;
  private engine: Engine | null = null;
  private host: PluginHost | null = null;
  /**
   * Since start (tools, tests): replies applied; attempts that found no call waiting while still in the grace;
   * replies applied after such an attempt (they overtook their call's commit); replies skipped.
   */
  readonly stats = { applied: 0, notWaitingYet: 0, waited: 0, skipped: 0 };

  private readonly answers: PendingCallAnswers;

  constructor(
    private readonly config: KafkaConfig,
    private readonly client: () => KafkaClient,
  ) {
    this.answers = new PendingCallAnswers({ graceMs: config.replyGraceMs });
  }

  async start(host: PluginHost): Promise<void> {
    this.engine = host.engine;
    this.host = host;
    if (!this.config.replyTopics.length) return;
    this.consumer = await this.client().consume({
      groupId: `${this.config.groupId}.replies`,
      topics: this.config.replyTopics,
      // A new group must not miss replies sent before it first joined; older ones are replays and skipped.
      fromBeginning: true,
      concurrency: this.config.replyConcurrency,
      ...this.config.consumer,
      handle: (record, signal) => this.handle(record, signal),
    });
  }

  /** Resolves once the consumer has its partitions. */
  ready(): Promise<void> {
    return this.consumer?.ready ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    const c = this.consumer;
    this.consumer = null;
    await c?.stop();
  }

  private async handle(record: IncomingRecord, signal: AbortSignal): Promise<void> {
    const engine = this.engine!;
    const log = this.host!.logger;
    const where = recordWhere(record);
    const token = record.headers[HEADERS.correlationToken];
    if (!token) {
      log.warn('Kafka reply skipped: it has no correlation token header', { record: where, header: HEADERS.correlationToken });
      this.stats.skipped++;
      return;
    }
    let outcome = outcomeOf(record);
    let waited = false;
    for (;;) {
      let result;
      try {
        // The responder may answer before the activity's transaction committed: the grace runs from when it replied.
        result = await this.answers.deliver(engine, token, outcome, signal, {
          since: record.timestamp || Date.now(),
          onNotYet: () => {
            waited = true;
            this.stats.notWaitingYet++;
          },
        });
      } catch (e) {
        if (e instanceof EngineError && DETERMINISTIC.has(e.code) && outcome.kind !== 'failure') {
          log.warn('Kafka reply could not be applied; the call fails instead', { record: where, error: e.message });
          outcome = { kind: 'failure', message: `The reply ${where} could not be applied: ${e.message}` };
          continue;
        }
        throw e;
      }
      if (result === 'completed') {
        this.stats.applied++;
        if (waited) this.stats.waited++;
        return;
      }
      // Stopping inside the grace: leave the reply uncommitted for whoever consumes the partition next.
      if (result === 'unknown' && signal.aborted) throw new Error(`Stopped while the reply ${where} waited for its call`);
      log.info('Kafka reply skipped: no call waits for its token (answered before, or the call ended)', { record: where });
      this.stats.skipped++;
      return;
    }
  }
}
