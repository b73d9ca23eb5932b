/**
 * A queue bound to a BPMN message: every message is correlated with
 * `engine.correlateMessage` (to the waiting catch event or receive task, else
 * a message start event starts an instance), with the business key and
 * correlation keys read from headers, properties or the JSON body, and the
 * JSON body's fields as variables. Acknowledged after the engine committed;
 * a message that correlates to nothing is dead-lettered, requeued or
 * dropped, as configured. Delivery is at least once: a crash between commit
 * and acknowledgement correlates the message again.
 */
import { EngineError } from '../../engine/index.js';
import type { Delivery, QueueSpec } from './client.js';
import type { InboundBinding, ValueSource } from './config.js';
import { QueueConsumerService, sleep } from './consuming.js';
import type { AmqpRuntime } from './runtime.js';

class MalformedMessage extends Error {}

function jsonPath(body: unknown, path: string): unknown {
  let cur = body;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export class AmqpInboundConsumer extends QueueConsumerService {
  readonly name: string;

  constructor(
    runtime: AmqpRuntime,
    url: string,
    private readonly binding: InboundBinding,
    options: { prefetch: number; retryDelayMs: number },
  ) {
    super(() => runtime.client(url), options.retryDelayMs, binding.prefetch ?? options.prefetch);
    this.name = `amqp-inbound:${binding.queue}`;
  }

  protected queue(): QueueSpec {
    const b = this.binding;
    return {
      name: b.queue,
      assert: b.assertQueue,
      ...(b.deadLetterExchange !== undefined ? { deadLetterExchange: b.deadLetterExchange } : {}),
      ...(b.deadLetterRoutingKey !== undefined ? { deadLetterRoutingKey: b.deadLetterRoutingKey } : {}),
      ...(b.bindings ? { bindings: b.bindings } : {}),
    };
  }

  protected async handle(d: Delivery): Promise<void> {
    const b = this.binding;
    let input;
    try {
      input = this.read(d);
    } catch (e) {
      if (!(e instanceof MalformedMessage)) throw e;
      this.log.warn('AMQP message rejected: it cannot be read as the configured message', { queue: b.queue, messageName: b.messageName, messageId: d.properties.messageId, problem: e.message });
      d.nack(false);
      return;
    }
    try {
      await this.engine.correlateMessage({ messageName: b.messageName, ...input });
    } catch (e) {
      if (e instanceof EngineError && e.camundaType === 'MismatchingMessageCorrelationException') {
        this.noMatch(d, e.message);
        return;
      }
      throw e;
    }
    d.ack();
  }

  private noMatch(d: Delivery, why: string): void {
    const b = this.binding;
    this.log.warn('AMQP message correlates to nothing', { queue: b.queue, messageName: b.messageName, messageId: d.properties.messageId, action: b.onNoMatch, reason: why });
    if (b.onNoMatch === 'drop') d.ack();
    else if (b.onNoMatch === 'deadLetter') d.nack(false);
    // Requeued later, not at once: a message that arrives before its instance waits would otherwise spin.
    else void sleep(this.retryDelayMs, this.stopping.signal).then(() => d.nack(true));
  }

  private read(d: Delivery): { businessKey?: string; correlationKeys?: Record<string, unknown>; processVariables: Record<string, unknown> } {
    const b = this.binding;
    const text = d.body.toString('utf8');
    let json: unknown = undefined;
    let parsed = false;
    const body = (): unknown => {
      if (!parsed) {
        parsed = true;
        try {
          json = text.trim() === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
      }
      return json;
    };
    const value = (source: ValueSource, what: string): unknown => {
      let v: unknown;
      if ('header' in source) v = d.properties.headers[source.header];
      else if ('property' in source) v = d.properties[source.property];
      else v = jsonPath(body(), source.json);
      if (v === undefined || v === null) throw new MalformedMessage(`${what} is missing (${JSON.stringify(source)})`);
      return Buffer.isBuffer(v) ? v.toString('utf8') : v;
    };
    const out: { businessKey?: string; correlationKeys?: Record<string, unknown>; processVariables: Record<string, unknown> } = { processVariables: {} };
    if (b.businessKey) out.businessKey = String(value(b.businessKey, 'the business key'));
    if (b.correlationKeys) {
      out.correlationKeys = {};
      for (const [name, source] of Object.entries(b.correlationKeys)) out.correlationKeys[name] = value(source, `correlation key '${name}'`);
    }
    if (b.bodyVariable) {
      const j = body();
      out.processVariables[b.bodyVariable] = j === undefined ? text : j;
    } else if (text.trim() !== '') {
      const j = body();
      if (j === null || typeof j !== 'object' || Array.isArray(j)) throw new MalformedMessage('the body is not a JSON object, and no bodyVariable is configured to hold it');
      out.processVariables = j as Record<string, unknown>;
    }
    return out;
  }
}
