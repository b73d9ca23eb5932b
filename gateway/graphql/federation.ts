/**
 * The gateway's schema as an Apollo Federation v2 subgraph (`FEDERATION=on`):
 * the executable schema (type-graphql's, with plugin contributions merged) is
 * printed to SDL, the core entities get `@key(fields: "id")`, and
 * `buildSubgraphSchema` rebuilds it with the executable schema's own resolvers,
 * adding `_service` and `_entities`. Entities are keyed by their stable global
 * id, the one every query and mutation already answers with.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ConstDirectiveNode, DefinitionNode, DocumentNode, GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { createResolversMap } from 'type-graphql';
import type { GatewayContext } from '../../schema/index.js';
import { graphqlJs } from './graphql-js.js';

const { Kind, parse, printSchema } = graphqlJs;

/** Federation spec version the subgraph links; @apollo/subgraph 2.14 knows up to v2.14. */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.7';

type Reference = { __typename: string; id: string };

/**
 * The core entities and the by-id query each is loaded through, so a router's
 * `_entities` sees exactly what that query shows the same caller (permissions,
 * tenants): null for an id that does not exist or is hidden.
 */
const ENTITIES: Record<string, string> = {
  ProcessDefinition: 'processDefinition',
  ProcessInstance: 'processInstance',
  Task: 'task',
  Incident: 'incident',
  Job: 'job',
};

const keyDirective: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'key' },
  arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: 'id' } }],
};

/** The schema's SDL with the federation link and the entities' keys. */
export function subgraphTypeDefs(schema: GraphQLSchema): DocumentNode {
  const doc = parse(printSchema(schema));
  const definitions = doc.definitions.map((def): DefinitionNode =>
    def.kind === Kind.OBJECT_TYPE_DEFINITION && ENTITIES[def.name.value] ? { ...def, directives: [...(def.directives ?? []), keyDirective] } : def,
  );
  const link = parse(`extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ["@key"])`);
  return { kind: Kind.DOCUMENT, definitions: [...link.definitions, ...definitions] };
}

function referenceResolver(schema: GraphQLSchema, typeName: string, query: string) {
  const byId = schema.getQueryType()?.getFields()[query]?.resolve as GraphQLFieldResolver<unknown, GatewayContext> | undefined;
  if (!byId) throw new Error(`Federation: entity ${typeName} is loaded through Query.${query}, which the schema does not have`);
  return (ref: Reference, ctx: GatewayContext, info: GraphQLResolveInfo): unknown => {
    if (typeof ref.id !== 'string') throw new Error(`A ${typeName} reference needs its id`);
    return byId(undefined, { id: ref.id }, ctx, info);
  };
}

/**
 * Rebuilds `schema` (plugin contributions already merged in, so they are part
 * of the subgraph too) as a federation subgraph.
 */
export function buildFederatedSchema(schema: GraphQLSchema): GraphQLSchema {
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, query] of Object.entries(ENTITIES)) {
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: referenceResolver(schema, typeName, query) };
  }
  return buildSubgraphSchema({ typeDefs: subgraphTypeDefs(schema), resolvers: resolvers as never });
}
