/**
 * The public SDK for integrators: connectors, plugins, hooks, the loader and
 * the Modeler element templates generated from connector schemas.
 */
export { defineConnector, toEngineConnector, BpmnError, ConnectorError, type ConnectorContext, type ConnectorDefinition, type PendingMarker } from './define-connector.js';
export {
  definePlugin,
  PLUGIN_API_VERSION,
  type ActivityEvent,
  type ActivityListener,
  type EngineListener,
  type PluginDefinition,
  type PluginHooks,
  type PluginHost,
  type PluginRoute,
  type PluginService,
  type SchemaContribution,
} from './plugin.js';
export { loadPlugins, PluginLoadError, PluginRuntime, routePrefix, type LoadedPlugin, type LoadResult, type PluginSpec } from './loader.js';
export { sdk, type PluginSdk } from './sdk.js';
export { PendingCallAnswers, type AnswerResult, type PendingCallAnswersOptions } from './pending-calls.js';
export { z } from 'zod';
export { sleep } from './sleep.js';
