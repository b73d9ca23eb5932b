/**
 * Reads the reply queue of request/reply calls and completes each waiting
 * activity with `engine.completeConnectorCall(correlationId, outcome)`. A
 * reply is acknowledged only after the engine committed, so a crash in
 * between redelivers it; a reply whose call was already completed (a
 * redelivery, a duplicate) is acknowledged and skipped.
 */
import type { PendingOutcome } from '../../engine/index.js';
import type { Delivery, QueueSpec } from './client.js';
import { QueueConsumerService } from './consuming.js';
import { callReply, parseJson, toOutcome } from './replies.js';
import type { AmqpRuntime } from './runtime.js';

export class AmqpReplyConsumer extends QueueConsumerService {
  readonly name = 'amqp-replies';

  constructor(
    private readonly runtime: AmqpRuntime,
    url: string,
    private readonly replyQueue: string,
    options: { prefetch: number; retryDelayMs: number },
  ) {
    super(() => runtime.client(url), options.retryDelayMs, options.prefetch);
  }

  protected queue(): QueueSpec {
    return { name: this.replyQueue };
  }

  protected async handle(d: Delivery): Promise<void> {
    const token = d.properties.correlationId;
    if (!token) {
      this.log.warn('AMQP reply without correlationId rejected', { queue: this.replyQueue, messageId: d.properties.messageId });
      d.nack(false);
      return;
    }
    const parsed = parseJson(callReply, d.body);
    // A reply the call cannot use is still its answer: the call fails and is made again, then raises an incident.
    const outcome: PendingOutcome = parsed.ok ? toOutcome(parsed.value) : { kind: 'failure', message: `The reply on '${this.replyQueue}' is not a valid reply: ${parsed.problem}` };
    const result = await this.runtime.answers.deliver(this.engine, token, outcome, this.stopping.signal);
    if (result === 'unknown' && this.stopping.signal.aborted) {
      d.nack(true);
      return;
    }
    if (result !== 'completed') this.log.info('AMQP reply for a call that is not waiting acknowledged and skipped', { queue: this.replyQueue, correlationId: token, reason: result, redelivered: d.redelivered });
    d.ack();
  }
}
