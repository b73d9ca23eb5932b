/**
 * AMQP (RabbitMQ): the `amqp` connector (publish with confirms,
 * request/reply) and the plugin services that consume replies, correlate
 * inbound messages and push external tasks. `amqpConnector` and
 * `amqpPluginServices` share one process-wide runtime (connections, reply
 * queue); tests and embedders that want their own build both from an
 * `AmqpRuntime`.
 */
import type { PluginHost, PluginService } from '../../plugins/index.js';
import { createAmqpConnector } from './amqp.connector.js';
import { AmqpRuntime } from './runtime.js';
import { amqpServices, type AmqpServicesOptions } from './services.js';

/** The runtime `amqpConnector` and `amqpPluginServices` share. */
export const defaultAmqpRuntime = new AmqpRuntime();

export const amqpConnector = createAmqpConnector(defaultAmqpRuntime);

/** For `definePlugin({ services: (host) => amqpPluginServices(host) })`; reads `host.config.amqp`. */
export function amqpPluginServices(host: PluginHost, options: AmqpServicesOptions = {}): PluginService[] {
  return amqpServices(host, defaultAmqpRuntime, options);
}

export { createAmqpConnector, amqpInput, amqpOutput, AMQP_CONNECTOR_ID, type AmqpInput, type AmqpOutput } from './amqp.connector.js';
export { AmqpRuntime, DEFAULT_REPLY_QUEUE, type AmqpRuntimeOptions } from './runtime.js';
export { amqpServices, type AmqpServicesOptions } from './services.js';
export { amqpConfig, parseAmqpConfig, type AmqpConfig, type InboundBinding, type ExternalTaskPush, type PushedTopic } from './config.js';
export { AmqpReplyConsumer } from './reply-consumer.service.js';
export { AmqpInboundConsumer } from './inbound.service.js';
export { ExternalTaskPushBridge, ExternalTaskReplyConsumer, defaultTopicQueue, taskMessage } from './external-task-bridge.service.js';
export { callReply, workerReply, type WorkerReply } from './replies.js';
export { connectAmqp, AmqpPublishError, type AmqpClient, type AmqpClientOptions, type Delivery, type PublishOptions, type QueueSpec } from './client.js';
