/**
 * The GraphQL schema, built from the type-graphql classes in this folder.
 * `schema.graphql` next to this file is the emitted SDL, committed so schema
 * changes show in review (a test fails when it is stale).
 */
import 'reflect-metadata';
import { join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { MessageResolver } from './message.resolver.js';
import { ProcessDefinitionResolver } from './process-definition.resolver.js';
import { ProcessInstanceResolver } from './process-instance.resolver.js';
import { SubscriptionResolver } from './subscription.resolver.js';
import { TaskResolver } from './task.resolver.js';
import { EngineEventResolver } from './engine-event.resolver.js';
import { EngineInfoResolver } from './engine-info.resolver.js';
import { ExternalTaskResolver } from './external-task.resolver.js';
import { HistoryResolver } from './history.resolver.js';
import { IncidentResolver } from './incident.resolver.js';
import { JobResolver } from './job.resolver.js';
import { ProcessInstanceRelationsResolver } from './process-instance-relations.resolver.js';
import { VariableResolver } from './variable.resolver.js';

export type { GatewayContext } from './context.js';
export { Topics } from './topics.js';
export { ANONYMOUS_FULL_ACCESS, ALL_PERMISSIONS, IdentityAccess, type Access, type Identity, type Permission } from './access.js';
export { MAX_PAGE_SIZE } from './connection.js';
export { createLoaders, type Loaders } from './loaders.js';

export const SCHEMA_FILE = join(import.meta.dirname, 'schema.graphql');

const RESOLVERS: NonEmptyArray<Function> = [
  ProcessDefinitionResolver,
  ProcessInstanceResolver,
  TaskResolver,
  MessageResolver,
  SubscriptionResolver,
  ProcessInstanceRelationsResolver,
  JobResolver,
  ExternalTaskResolver,
  IncidentResolver,
  HistoryResolver,
  VariableResolver,
  EngineInfoResolver,
  EngineEventResolver,
];

/**
 * Builds the executable schema. `emitTo` writes the SDL to that file
 * (`npm run schema` writes SCHEMA_FILE; the server never writes).
 */
export function buildGatewaySchema(opts: { emitTo?: string } = {}): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    // Every subscription brings its own `subscribe` (schema/topics.ts); type-graphql still insists on a PubSub.
    pubSub: {
      publish: () => {
        throw new Error('Subscriptions are fed by schema/topics.ts, not by a PubSub');
      },
      subscribe: () => {
        throw new Error('Subscriptions are fed by schema/topics.ts, not by a PubSub');
      },
    },
    emitSchemaFile: opts.emitTo ? { path: opts.emitTo, sortedSchema: true } : false,
  });
}
