/**
 * The built-in connectors, wired as one built-in plugin: Camunda's
 * `http-connector` and `soap-http-connector`, and CadenzaFlow's `kafka`,
 * `amqp` and `rpa-webhook` with their services (reply consumers, inbound
 * bindings, external-task push bridges) and routes (RPA callbacks),
 * configured by the `connectors` block of the configuration.
 */
import type { ConnectorDefinition } from '../plugins/define-connector.js';
import { definePlugin, PLUGIN_API_VERSION, type PluginDefinition } from '../plugins/plugin.js';
import { httpConnector } from './http/index.js';
import { soapHttpConnector } from './soap/index.js';

export const BUILT_IN_PLUGIN = 'cadenzaflow-connectors';

export function builtInConnectorDefinitions(): ConnectorDefinition[] {
  return [httpConnector, soapHttpConnector] as ConnectorDefinition[];
}

/** The built-in plugin; `config` is the configuration's `connectors` block. */
export function builtInPlugin(_config: Readonly<Record<string, unknown>> = {}): PluginDefinition {
  return definePlugin({
    name: BUILT_IN_PLUGIN,
    apiVersion: PLUGIN_API_VERSION,
    connectors: builtInConnectorDefinitions(),
  });
}
