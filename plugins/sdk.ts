/**
 * What a plugin package receives when it exports a factory
 * (`export default (sdk) => sdk.definePlugin({...})`): the SDK of the
 * CadenzaFlow that loads it. Plugins built this way need no dependency on
 * cadenzaflow or zod, and never meet a second copy of either.
 */
import { z } from 'zod';
import { BpmnError, ConnectorError } from '../engine/index.js';
import { defineConnector } from './define-connector.js';
import { definePlugin, PLUGIN_API_VERSION } from './plugin.js';

export const sdk = { z, defineConnector, definePlugin, BpmnError, ConnectorError, apiVersion: PLUGIN_API_VERSION } as const;

export type PluginSdk = typeof sdk;
