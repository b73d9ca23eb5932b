/**
 * Kafka for CadenzaFlow: the `kafka` connector (produce, request/reply) and
 * the plugin services behind it — the reply consumer, inbound bindings of
 * topics to BPMN messages, and the bridge that pushes external tasks to
 * Kafka. One integration belongs to one node: its connector sends through
 * the connection its services open from the plugin configuration.
 */
import type { ConnectorLogger } from '../../engine/index.js';
import { definePlugin, PLUGIN_API_VERSION, type ConnectorDefinition, type PluginDefinition, type PluginHost, type PluginService } from '../../plugins/index.js';
import { createKafkaClient, type KafkaClient, type KafkaClientConfig } from './client.js';
import { parseKafkaConfig, type KafkaConfig } from './config.js';
import { InboundService } from './inbound.service.js';
import { createKafkaConnector, type KafkaLink } from './kafka.connector.js';
import { PushBridgeService } from './push-bridge.service.js';
import { ReplyConsumerService } from './reply-consumer.service.js';

export { createKafkaClient, type KafkaClient, type KafkaClientConfig, type IncomingRecord, type OutgoingRecord, type RecordPosition, type ConsumeOptions, type RunningConsumer, type TopicSpec } from './client.js';
export { KafkaConfig, parseKafkaConfig, type KafkaConfigInput, type InboundBinding, type PushTopic, type ValueSource } from './config.js';
export { CONNECTOR_ID, createKafkaConnector, durationMs, KafkaInput, KafkaOutput, type KafkaLink } from './kafka.connector.js';
export { HEADERS, JSON_CONTENT_TYPE, ReplyBody, TaskAnswerBody, type PushedTask } from './protocol.js';
export { InboundService } from './inbound.service.js';
export { PushBridgeService } from './push-bridge.service.js';
export { ReplyConsumerService } from './reply-consumer.service.js';

export interface KafkaIntegration {
  /** The `kafka` connector; it sends through the connection the services open. */
  readonly connector: ConnectorDefinition;
  /**
   * The plugin services for a Kafka configuration block (README.md): the
   * connection, the reply consumer, inbound bindings (when configured) and
   * the push bridge (when configured). No block: no services, and the
   * connector fails its calls naming the missing configuration.
   */
  services(host: PluginHost, config?: unknown): PluginService[];
}

export interface KafkaIntegrationOptions {
  /** Builds the client (tests hand in their own); default kafkajs through `createKafkaClient`. */
  clientFactory?: (config: KafkaClientConfig, logger: ConnectorLogger) => KafkaClient;
}

function clientConfig(c: KafkaConfig): KafkaClientConfig {
  return {
    brokers: c.brokers,
    clientId: c.clientId,
    ...(c.ssl !== undefined ? { ssl: c.ssl } : {}),
    ...(c.sasl ? { sasl: c.sasl } : {}),
    ...(c.connectionTimeoutMs ? { connectionTimeoutMs: c.connectionTimeoutMs } : {}),
    ...(c.requestTimeoutMs ? { requestTimeoutMs: c.requestTimeoutMs } : {}),
    ...(c.retry ? { retry: c.retry } : {}),
    ...(c.logLevel ? { logLevel: c.logLevel } : {}),
  };
}

/** A Kafka integration for one node. */
export function createKafkaIntegration(opts: KafkaIntegrationOptions = {}): KafkaIntegration {
  const link: KafkaLink = { client: null, replyTopics: [] };
  const factory = opts.clientFactory ?? createKafkaClient;
  return {
    connector: createKafkaConnector(link),
    services(host, raw = host.config) {
      if (raw === undefined || raw === null) return [];
      const config = parseKafkaConfig(raw);
      let client: KafkaClient | null = null;
      const current = (): KafkaClient => {
        if (!client) throw new Error('The Kafka connection is not open (service kafka-connection not started)');
        return client;
      };
      const connection: PluginService = {
        name: 'kafka-connection',
        async start(h) {
          const c = factory(clientConfig(config), h.logger);
          if (config.createTopics) {
            const ours = [...config.replyTopics, ...(config.push ? [config.push.replyTopic, ...config.push.topics.map((t) => t.kafkaTopic)] : [])];
            try {
              await c.ensureTopics([...new Set(ours)].map((topic) => ({ topic })));
            } catch (e) {
              await c.close();
              throw e;
            }
          }
          client = c;
          link.client = c;
          link.replyTopics = config.replyTopics;
        },
        async stop() {
          link.client = null;
          link.replyTopics = [];
          const c = client;
          client = null;
          await c?.close();
        },
      };
      const services: PluginService[] = [connection, new ReplyConsumerService(config, current)];
      if (config.inbound.length) services.push(new InboundService(config, current));
      if (config.push) services.push(new PushBridgeService(config.push, config, current));
      return services;
    },
  };
}

/**
 * The integration as a plugin of its own (`plugins: [{ name, config: { …kafka block… } }]`),
 * for nodes that load Kafka separately from the built-in connectors.
 */
export function createKafkaPlugin(opts: KafkaIntegrationOptions & { name?: string } = {}): PluginDefinition {
  const integration = createKafkaIntegration(opts);
  return definePlugin({
    name: opts.name ?? 'cadenzaflow-kafka',
    apiVersion: PLUGIN_API_VERSION,
    connectors: [integration.connector],
    services: (host) => integration.services(host),
  });
}

/** The process-wide integration the built-in plugin wires: `kafka.connector` and `kafka.services(host, config.kafka)`. */
export const kafka: KafkaIntegration = createKafkaIntegration();
