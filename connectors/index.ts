/**
 * The built-in connectors, wired as one built-in plugin: Camunda's
 * `http-connector` and `soap-http-connector`, and CadenzaFlow's `kafka`,
 * `amqp` and `rpa-webhook` with their services (reply consumers, inbound
 * bindings, external-task push bridges) and routes (RPA callbacks),
 * configured by the `connectors` block of the configuration.
 */
import type { ConnectorDefinition } from '../plugins/define-connector.js';
import { definePlugin, PLUGIN_API_VERSION, type PluginDefinition } from '../plugins/plugin.js';
import { amqpConnector, amqpPluginServices } from './amqp/index.js';
import { httpConnector } from './http/index.js';
import { kafka } from './kafka/index.js';
import { rpaWebhook } from './rpa-webhook/index.js';
import { soapHttpConnector } from './soap/index.js';

export const BUILT_IN_PLUGIN = 'cadenzaflow-connectors';

export function builtInConnectorDefinitions(): ConnectorDefinition[] {
  return [httpConnector, soapHttpConnector, kafka.connector, amqpConnector, rpaWebhook.connector] as ConnectorDefinition[];
}

/** The built-in plugin; its services and routes read the configuration's `connectors` block from their host. */
export function builtInPlugin(): PluginDefinition {
  return definePlugin({
    name: BUILT_IN_PLUGIN,
    apiVersion: PLUGIN_API_VERSION,
    connectors: builtInConnectorDefinitions(),
    // Each integration's services read their own block of the config (`amqp`, …) and start only when it is there.
    services: (host) => [...(host.config['kafka'] ? kafka.services(host, host.config['kafka']) : []), ...(host.config['amqp'] ? amqpPluginServices(host) : [])],
    routes: (host) => rpaWebhook.routes(host),
    hooks: { engineWillStart: (host) => rpaWebhook.attach(host) },
  });
}
