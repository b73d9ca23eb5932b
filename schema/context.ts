/**
 * What every resolver receives: the engine (the only thing resolvers talk to)
 * and the topics that turn the engine's domain events into subscriptions.
 */
import type { Engine } from '../engine/index.js';
import type { Access } from './access.js';
import type { Loaders } from './loaders.js';
import type { Topics } from './topics.js';

export interface GatewayContext {
  engine: Engine;
  topics: Topics;
  /** Who asks, what they may do; see access.ts. */
  access: Access;
  /** Batched reads of this request (or of this subscription event); see loaders.ts. */
  loaders: Loaders;
}
