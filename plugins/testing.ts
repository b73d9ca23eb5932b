/**
 * The test harness for plugin authors (`cadenzaflow/testing`): run a connector
 * the way the engine calls it, or start an engine on a throw-away embedded
 * store with plugins installed, deploy models and drive instances.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type ConnectorCall, type ConnectorResult, type EngineOptions } from '../engine/index.js';
import { toEngineConnector, type ConnectorDefinition } from './define-connector.js';
import { PluginRuntime, type LoadedPlugin } from './loader.js';
import type { PluginDefinition } from './plugin.js';
import { sdk } from './sdk.js';

export { sdk };

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Calls a connector once as the engine would (input validated by its schema), without an engine. */
export async function testConnector(def: ConnectorDefinition, input: Record<string, unknown>, call: Partial<Omit<ConnectorCall, 'input'>> = {}): Promise<ConnectorResult> {
  const c = toEngineConnector(def);
  return c.invoke({
    connectorId: def.id,
    input,
    idempotencyKey: 'test-instance:test-execution:test-activity:1',
    attempt: 1,
    signal: new AbortController().signal,
    correlationToken: 'test-instance.test-nonce',
    heartbeat() {},
    secret: () => undefined,
    logger: quiet,
    properties: {},
    processInstanceId: 'test-instance',
    processDefinitionId: 'test-definition',
    processDefinitionKey: 'test',
    businessKey: null,
    tenantId: null,
    activityId: 'test-activity',
    activityInstanceId: 'test-activity:1',
    ...call,
  });
}

export interface TestEngine {
  engine: Engine;
  plugins: PluginRuntime;
  /** Deploys BPMN XML texts (name → content). */
  deploy(resources: Record<string, string>): ReturnType<Engine['deploy']>;
  close(): Promise<void>;
}

/** An engine on a temporary embedded store with the plugins installed and started. */
export async function startTestEngine(plugins: readonly PluginDefinition[], options: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'cadenzaflow-plugin-test-'));
  const engine = await Engine.create({ storeConfig: { dataDir: dir }, ...options });
  const loaded: LoadedPlugin[] = plugins.map((definition) => ({ definition, spec: { name: definition.name }, version: null }));
  const runtime = new PluginRuntime(engine, loaded, quiet);
  runtime.install();
  await runtime.start();
  return {
    engine,
    plugins: runtime,
    deploy: (resources) => engine.deploy({ name: 'test', resources: Object.entries(resources).map(([name, content]) => ({ name, content })) }),
    async close() {
      await runtime.stop();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
