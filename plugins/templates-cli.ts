/**
 * `cadenzaflow templates [folder]`: one Camunda Modeler element-template file
 * per connector — the built-in ones and those of the configured plugins.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInConnectorDefinitions } from '../connectors/index.js';
import type { ConnectorDefinition } from './define-connector.js';
import { loadPlugins, type PluginSpec } from './loader.js';
import { elementTemplate } from './templates.js';

export async function writeElementTemplates(folder: string, plugins: readonly PluginSpec[]): Promise<string[]> {
  const { loaded } = await loadPlugins(plugins);
  const defs: ConnectorDefinition[] = [...builtInConnectorDefinitions(), ...loaded.flatMap((p) => p.definition.connectors ?? [])];
  mkdirSync(folder, { recursive: true });
  const files: string[] = [];
  for (const def of defs) {
    const file = `${def.id}.json`;
    // The Modeler reads arrays of templates from each file.
    writeFileSync(join(folder, file), `${JSON.stringify([elementTemplate(def)], null, 2)}\n`);
    files.push(file);
  }
  return files;
}
