/**
 * The AMQP plugin services built from the plugin configuration's `amqp`
 * block: the reply consumer of request/reply calls, one consumer per inbound
 * binding, and the external-task push bridge with its report consumer. The
 * first service applies the configuration to the shared runtime and, being
 * stopped last, closes the connections.
 */
import type { PluginHost, PluginService } from '../../plugins/index.js';
import { parseAmqpConfig, resolveConfigSecrets, type AmqpConfig } from './config.js';
import { ExternalTaskPushBridge, ExternalTaskReplyConsumer } from './external-task-bridge.service.js';
import { AmqpInboundConsumer } from './inbound.service.js';
import { AmqpReplyConsumer } from './reply-consumer.service.js';
import type { AmqpRuntime } from './runtime.js';

/** Applies the configuration to the runtime on start; closes every connection on stop. */
class AmqpConnectionsService implements PluginService {
  readonly name = 'amqp-connections';

  constructor(
    private readonly runtime: AmqpRuntime,
    private readonly url: string | null,
    private readonly config: AmqpConfig | null,
  ) {}

  async start(host: PluginHost): Promise<void> {
    this.runtime.logger = host.logger;
    if (this.url) this.runtime.defaultUrl = this.url;
    if (this.config) this.runtime.replyQueue = this.config.replyQueue;
  }

  async stop(): Promise<void> {
    await this.runtime.close();
  }
}

export interface AmqpServicesOptions {
  /** The `amqp` configuration block; default `host.config.amqp`. Absent: only the connection bookkeeping runs. */
  config?: unknown;
}

export function amqpServices(host: PluginHost, runtime: AmqpRuntime, options: AmqpServicesOptions = {}): PluginService[] {
  const raw = options.config ?? host.config['amqp'];
  if (raw === undefined) return [new AmqpConnectionsService(runtime, null, null)];
  const cfg = parseAmqpConfig(raw);
  const url = resolveConfigSecrets(cfg.url, host.engine.connectors.secrets, 'amqp.url');
  const common = { prefetch: cfg.prefetch, retryDelayMs: cfg.retryDelayMs };
  const services: PluginService[] = [new AmqpConnectionsService(runtime, url, cfg), new AmqpReplyConsumer(runtime, url, cfg.replyQueue, common)];
  for (const b of cfg.inbound) services.push(new AmqpInboundConsumer(runtime, url, b, common));
  if (cfg.externalTasks) {
    services.push(new ExternalTaskReplyConsumer(runtime, url, cfg.externalTasks, common));
    services.push(new ExternalTaskPushBridge(runtime, url, cfg.externalTasks, cfg.retryDelayMs));
  }
  return services;
}
