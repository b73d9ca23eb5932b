/**
 * Schema contributions of plugins: SDL (new types, `extend type …` fields,
 * `extend type Query/Mutation/Subscription`) plus resolvers, merged into the
 * executable schema at start-up with graphql-js's `extendSchema`. A
 * contribution owns what its SDL defines and may resolve only that; two
 * contributions defining the same type or field, or one redefining a core
 * type or field, are refused before the node serves anything.
 */
import type { DefinitionNode, DocumentNode, GraphQLError, GraphQLFieldResolver, GraphQLSchema, GraphQLTypeResolver } from 'graphql';
import { graphqlJs } from './graphql-js.js';

const { GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLScalarType, GraphQLUnionType, Kind, extendSchema, parse, validateSchema } = graphqlJs;
type GraphQLObjectType = InstanceType<typeof GraphQLObjectType>;
type GraphQLInterfaceType = InstanceType<typeof GraphQLInterfaceType>;
type GraphQLInputObjectType = InstanceType<typeof GraphQLInputObjectType>;

export interface SchemaExtension {
  /** The contributor (plugin name); every error names it. */
  name: string;
  /** SDL: new types, `extend type X { … }`, `extend type Query { … }`, … */
  typeDefs: string;
  /**
   * By type, then field: a resolver function, or `{ resolve, subscribe }` for a
   * subscription field. `__resolveType` (interfaces and unions) and
   * `__isTypeOf` sit beside the fields of a type the contribution defines; a
   * `GraphQLScalarType` resolves a scalar it defines.
   */
  resolvers: Record<string, Record<string, unknown>>;
}

/** A contribution that cannot be merged; the message names the contribution and the type or field. */
export class SchemaExtensionError extends Error {
  constructor(
    readonly contribution: string,
    message: string,
  ) {
    super(`Schema contribution '${contribution}': ${message}`);
    this.name = 'SchemaExtensionError';
  }
}

type Fielded = GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType;

function coreMembers(schema: GraphQLSchema, typeName: string): Set<string> {
  const type = schema.getType(typeName);
  if (!type) return new Set();
  if (type instanceof GraphQLEnumType) return new Set(type.getValues().map((v) => v.name));
  if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType || type instanceof GraphQLInputObjectType) return new Set(Object.keys(type.getFields()));
  return new Set();
}

/** Names of the fields (or enum values) a definition or extension node carries. */
function membersOf(def: DefinitionNode): string[] {
  if ('fields' in def && def.fields) return def.fields.map((f) => f.name.value);
  if ('values' in def && def.values) return def.values.map((v) => v.name.value);
  return [];
}

const TYPE_DEFINITIONS = new Set<string>([Kind.OBJECT_TYPE_DEFINITION, Kind.INTERFACE_TYPE_DEFINITION, Kind.INPUT_OBJECT_TYPE_DEFINITION, Kind.ENUM_TYPE_DEFINITION, Kind.SCALAR_TYPE_DEFINITION, Kind.UNION_TYPE_DEFINITION]);
const TYPE_EXTENSIONS = new Set<string>([Kind.OBJECT_TYPE_EXTENSION, Kind.INTERFACE_TYPE_EXTENSION, Kind.INPUT_OBJECT_TYPE_EXTENSION, Kind.ENUM_TYPE_EXTENSION, Kind.SCALAR_TYPE_EXTENSION, Kind.UNION_TYPE_EXTENSION]);

/**
 * Who defined what: types and `Type.field` keys by contribution. Core types
 * and fields belong to nobody here and can be neither redefined nor resolved.
 */
class Ownership {
  readonly types = new Map<string, string>();
  readonly fields = new Map<string, string>();
  readonly directives = new Map<string, string>();

  constructor(private readonly core: GraphQLSchema) {}

  claim(contribution: string, doc: DocumentNode): void {
    for (const def of doc.definitions) {
      const fail = (message: string): never => {
        throw new SchemaExtensionError(contribution, message);
      };
      if (def.kind === Kind.SCHEMA_DEFINITION || def.kind === Kind.SCHEMA_EXTENSION) fail('may not define or extend the schema itself (root types, schema directives)');
      if (def.kind === Kind.DIRECTIVE_DEFINITION) {
        const name = def.name.value;
        if (this.core.getDirective(name)) fail(`redefines the core directive @${name}`);
        const other = this.directives.get(name);
        if (other) fail(`defines directive @${name}, already defined by contribution '${other}'`);
        this.directives.set(name, contribution);
        continue;
      }
      if (TYPE_DEFINITIONS.has(def.kind)) {
        const name = (def as { name: { value: string } }).name.value;
        if (this.core.getType(name)) fail(`defines type ${name}, which is a core type (add fields with 'extend type ${name}')`);
        const other = this.types.get(name);
        if (other) fail(`defines type ${name}, already defined by contribution '${other}'`);
        this.types.set(name, contribution);
        for (const m of membersOf(def)) this.fields.set(`${name}.${m}`, contribution);
        continue;
      }
      if (TYPE_EXTENSIONS.has(def.kind)) {
        const name = (def as { name: { value: string } }).name.value;
        const core = coreMembers(this.core, name);
        for (const m of membersOf(def)) {
          if (core.has(m)) fail(`redefines the core field ${name}.${m}`);
          const other = this.fields.get(`${name}.${m}`);
          if (other) fail(`defines field ${name}.${m}, already defined by contribution '${other}'`);
          this.fields.set(`${name}.${m}`, contribution);
        }
        continue;
      }
      fail(`typeDefs may hold type definitions and extensions only, found ${def.kind}`);
    }
  }
}

function parseContribution(ext: SchemaExtension): DocumentNode {
  try {
    return parse(ext.typeDefs);
  } catch (e) {
    throw new SchemaExtensionError(ext.name, `typeDefs do not parse: ${(e as Error).message}`);
  }
}

function attachResolvers(schema: GraphQLSchema, ext: SchemaExtension, owners: Ownership): void {
  for (const [typeName, entries] of Object.entries(ext.resolvers)) {
    const type = schema.getType(typeName);
    if (!type) throw new SchemaExtensionError(ext.name, `has resolvers for type ${typeName}, which does not exist`);
    const ownsType = owners.types.get(typeName) === ext.name;
    if (type instanceof GraphQLScalarType) {
      if (!ownsType) throw new SchemaExtensionError(ext.name, `resolves scalar ${typeName}, which it does not define`);
      if (!(entries instanceof GraphQLScalarType)) throw new SchemaExtensionError(ext.name, `resolves scalar ${typeName} with something other than a GraphQLScalarType`);
      type.serialize = entries.serialize;
      type.parseValue = entries.parseValue;
      type.parseLiteral = entries.parseLiteral;
      continue;
    }
    if (!(type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType)) {
      throw new SchemaExtensionError(ext.name, `has resolvers for ${typeName}, which is neither an object, interface, union nor scalar type`);
    }
    for (const [fieldName, resolver] of Object.entries(entries)) {
      const at = `${typeName}.${fieldName}`;
      if (fieldName.startsWith('__')) {
        if (!ownsType) throw new SchemaExtensionError(ext.name, `sets ${at} on a type it does not define`);
        if (typeof resolver !== 'function') throw new SchemaExtensionError(ext.name, `${at} must be a function`);
        if (fieldName === '__resolveType' && 'resolveType' in type) (type as { resolveType?: GraphQLTypeResolver<unknown, unknown> }).resolveType = resolver as GraphQLTypeResolver<unknown, unknown>;
        else if (fieldName === '__isTypeOf' && type instanceof GraphQLObjectType) type.isTypeOf = resolver as GraphQLObjectType['isTypeOf'];
        else throw new SchemaExtensionError(ext.name, `${at} is not a resolver GraphQL knows for ${typeName}`);
        continue;
      }
      const owner = owners.fields.get(at);
      if (owner !== ext.name) {
        throw new SchemaExtensionError(ext.name, owner ? `resolves ${at}, which contribution '${owner}' defines` : `resolves ${at}, which its typeDefs do not define`);
      }
      const field = (type as Fielded).getFields()[fieldName] as { resolve?: unknown; subscribe?: unknown } | undefined;
      if (!field) throw new SchemaExtensionError(ext.name, `resolves ${at}, which does not exist`);
      if (typeof resolver === 'function') field.resolve = resolver as GraphQLFieldResolver<unknown, unknown>;
      else if (resolver && typeof resolver === 'object' && ('resolve' in resolver || 'subscribe' in resolver)) {
        const r = resolver as { resolve?: unknown; subscribe?: unknown };
        if (r.resolve !== undefined) field.resolve = r.resolve;
        if (r.subscribe !== undefined) field.subscribe = r.subscribe;
      } else throw new SchemaExtensionError(ext.name, `resolver of ${at} must be a function or { resolve, subscribe }`);
    }
  }
}

/**
 * The core schema with every contribution merged in, in order (a contribution
 * may extend a type an earlier one defines). Core resolvers are kept as they are.
 */
export function applySchemaExtensions(core: GraphQLSchema, extensions: readonly SchemaExtension[]): GraphQLSchema {
  if (extensions.length === 0) return core;
  const owners = new Ownership(core);
  let schema = core;
  for (const ext of extensions) {
    const doc = parseContribution(ext);
    owners.claim(ext.name, doc);
    try {
      schema = extendSchema(schema, doc);
    } catch (e) {
      throw new SchemaExtensionError(ext.name, (e as Error).message);
    }
  }
  const errors = validateSchema(schema);
  if (errors.length > 0) throw new SchemaExtensionError(extensions.map((x) => x.name).join("', '"), errors.map((e: GraphQLError) => e.message).join('; '));
  // Resolvers go on the final schema's types: each extendSchema made new type objects.
  for (const ext of extensions) attachResolvers(schema, ext, owners);
  return schema;
}
