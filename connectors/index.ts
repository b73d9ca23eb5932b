/**
 * The built-in connectors, wired as one built-in plugin (see builtInPlugin).
 * Filled in as each connector lands in its folder.
 */
import type { ConnectorDefinition } from '../plugins/define-connector.js';

export function builtInConnectorDefinitions(): ConnectorDefinition[] {
  return [];
}
