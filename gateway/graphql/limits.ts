/**
 * Request limits of the GraphQL gateway, the same over HTTP and graphql-ws:
 * nesting depth, aliases and lexical tokens as validation rules
 * (GRAPHQL_VALIDATION_FAILED), and a cost limit that needs the request's
 * variables (`first: $n`), checked once the operation is known (BAD_USER_INPUT).
 * Every error names the limit and the value the request reached.
 *
 * Cost: every field costs 1; a field with `first`/`last` arguments (a
 * connection) multiplies the cost of what it selects by that page size, or by
 * the default page size when neither is given. Introspection fields
 * (`__schema`, `__type`, `__typename`) are neither deep nor costly here: the
 * introspection switch governs them.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type {
  ASTNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  OperationDefinitionNode,
  ParseOptions,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../../schema/connection.js';
import { graphqlJs } from './graphql-js.js';

// The graphql-js that built the schema (graphql-js.ts), so its type checks accept the schema's types.
const { GraphQLError: GraphQLErrorClass, GraphQLInt, Kind, TokenKind, getNamedType, isInterfaceType, isObjectType, parse, specifiedRules, validate, valueFromAST, visit } = graphqlJs;

export interface GraphqlLimits {
  /** Deepest field nesting of an operation, fragments expanded. Default 12. */
  maxDepth: number;
  /** Aliased fields in a document. Default 20. */
  maxAliases: number;
  /** Lexical tokens of a document, comments not counted. Default 3000. */
  maxTokens: number;
  /** Cost of the operation (see above). Default 5000. */
  maxCost: number;
}

export const DEFAULT_LIMITS: Readonly<GraphqlLimits> = { maxDepth: 12, maxAliases: 20, maxTokens: 3000, maxCost: 5000 };

/**
 * Parsing stops at this many tokens (GRAPHQL_PARSE_FAILED): the token rule
 * reports the exact count of documents up to here, and nothing larger is
 * ever turned into an AST.
 */
const PARSE_CEILING_FACTOR = 4;

export function resolveLimits(limits: Partial<GraphqlLimits> = {}): GraphqlLimits {
  const out = { ...DEFAULT_LIMITS, ...limits };
  for (const [name, value] of Object.entries(out)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`GraphQL limit ${name} must be a positive integer, got ${value}`);
  }
  return out;
}

export function parseOptions(limits: GraphqlLimits): ParseOptions {
  const ceiling = limits.maxTokens * PARSE_CEILING_FACTOR;
  return { maxLexicalTokens: ceiling, maxComments: ceiling };
}

function limitError(message: string, limit: keyof GraphqlLimits, max: number, actual: number, nodes?: readonly ASTNode[]): GraphQLError {
  return new GraphQLErrorClass(message, { ...(nodes ? { nodes } : {}), extensions: { limit, max, actual } });
}

type FragmentLookup = (name: string) => FragmentDefinitionNode | null | undefined;

function isIntrospection(field: FieldNode): boolean {
  return field.name.value.startsWith('__');
}

/** Memoized per fragment (a fragment's depth does not depend on where it is spread), so nested spreads cannot make this exponential. */
function depthOf(set: SelectionSetNode, fragment: FragmentLookup, memo: Map<string, number>): number {
  let max = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (!isIntrospection(s)) max = Math.max(max, 1 + (s.selectionSet ? depthOf(s.selectionSet, fragment, memo) : 0));
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(s.selectionSet, fragment, memo));
    } else {
      const name = s.name.value;
      if (!memo.has(name)) {
        // A cycle (refused by NoFragmentCycles anyway) counts as nothing while it is being measured.
        memo.set(name, 0);
        const def = fragment(name);
        memo.set(name, def ? depthOf(def.selectionSet, fragment, memo) : 0);
      }
      max = Math.max(max, memo.get(name)!);
    }
  }
  return max;
}

function depthRule(max: number): ValidationRule {
  return (context: ValidationContext) => {
    const memo = new Map<string, number>();
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, (n) => context.getFragment(n), memo);
        if (depth > max) {
          context.reportError(limitError(`Query depth is ${depth}, more than the limit of ${max}${node.name ? ` (operation ${node.name.value})` : ''}`, 'maxDepth', max, depth, [node]));
        }
      },
    };
  };
}

function aliasRule(max: number): ValidationRule {
  return (context: ValidationContext) => {
    const aliased: FieldNode[] = [];
    return {
      Field(node) {
        if (node.alias) aliased.push(node);
      },
      Document: {
        leave() {
          if (aliased.length > max) {
            context.reportError(limitError(`Query has ${aliased.length} aliases, more than the limit of ${max}`, 'maxAliases', max, aliased.length, aliased.slice(max, max + 1)));
          }
        },
      },
    };
  };
}

/** Counts as graphql-js's parser does: every token but comments and the start and end of the document. */
export function tokenCount(document: DocumentNode): number {
  let count = 0;
  for (let t = document.loc?.startToken.next ?? null; t && t.kind !== TokenKind.EOF; t = t.next) if (t.kind !== TokenKind.COMMENT) count++;
  return count;
}

function tokenRule(max: number): ValidationRule {
  return (context: ValidationContext) => ({
    Document(node) {
      const count = tokenCount(node);
      if (count > max) context.reportError(limitError(`Query has ${count} tokens, more than the limit of ${max}`, 'maxTokens', max, count));
    },
  });
}

/**
 * Refuses `__schema` and `__type` (`__typename` stays). One rule for both
 * transports, instead of Apollo's own, so HTTP and graphql-ws answer alike.
 */
const noIntrospection: ValidationRule = (context: ValidationContext) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(new GraphQLErrorClass(`Introspection is switched off on this server (GRAPHQL_INTROSPECTION), but the query asks for ${node.name.value}`, { nodes: [node] }));
    }
  },
});

/** Depth, aliases and tokens, and introspection when it is off: validation rules for Apollo's `validationRules` and the websocket's validation. */
export function limitRules(limits: GraphqlLimits, introspection: boolean): ValidationRule[] {
  return [tokenRule(limits.maxTokens), depthRule(limits.maxDepth), aliasRule(limits.maxAliases), ...(introspection ? [] : [noIntrospection])];
}

/** The page size a connection field asks for, or 1 for any other field. */
function factorOf(field: FieldNode, def: GraphQLField<unknown, unknown>, variables: Readonly<Record<string, unknown>>): number {
  if (!def.args.some((a) => a.name === 'first' || a.name === 'last')) return 1;
  let size: number | null = null;
  for (const arg of field.arguments ?? []) {
    if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
    const value: unknown = valueFromAST(arg.value, GraphQLInt, variables as Record<string, unknown>);
    if (typeof value === 'number') size = Math.max(size ?? 0, value, 0);
  }
  return size ?? DEFAULT_PAGE_SIZE;
}

function costOf(
  schema: GraphQLSchema,
  set: SelectionSetNode,
  type: GraphQLNamedType | null | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
  memo: Map<string, number>,
): number {
  let total = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (isIntrospection(s)) continue;
      const def = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[s.name.value] : undefined;
      // An unknown field is the validation's to refuse.
      if (!def) continue;
      const inner = s.selectionSet ? costOf(schema, s.selectionSet, getNamedType(def.type), fragments, variables, memo) : 0;
      total += 1 + factorOf(s, def, variables) * inner;
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      total += costOf(schema, s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value) : type, fragments, variables, memo);
    } else {
      const name = s.name.value;
      if (!memo.has(name)) {
        memo.set(name, 0);
        const def = fragments.get(name);
        memo.set(name, def ? costOf(schema, def.selectionSet, schema.getType(def.typeCondition.name.value), fragments, variables, memo) : 0);
      }
      total += memo.get(name)!;
    }
  }
  return total;
}

/** The cost of one operation of a validated document with its variables. */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> = {}): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return costOf(schema, operation.selectionSet, root, fragments, variables, new Map());
}

/** Whether a document's cost can change with its variables: a `first` or `last` argument given as a variable. */
export function costReadsVariables(document: DocumentNode): boolean {
  let reads = false;
  visit(document, {
    Argument(node) {
      if ((node.name.value === 'first' || node.name.value === 'last') && node.value.kind === Kind.VARIABLE) reads = true;
    },
  });
  return reads;
}

/** The cost limit's error for an operation, or null when it is within the limit. */
export function costError(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> | undefined, max: number, http: boolean): GraphQLError | null {
  const cost = operationCost(schema, document, operation, variables ?? {});
  if (cost <= max) return null;
  return new GraphQLErrorClass(`Query cost is ${cost}, more than the limit of ${max} (every field costs 1; first/last multiply what a connection selects)`, {
    nodes: [operation],
    extensions: { code: 'BAD_USER_INPUT', limit: 'maxCost', max, actual: cost, ...(http ? { http: { status: 400 } } : {}) },
  });
}

/** Checks the cost over HTTP, once Apollo knows the operation and has the variables. */
export function costLimitPlugin(limits: GraphqlLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          // Apollo refuses a document without a matching operation itself.
          if (!rc.operation) return;
          const error = costError(rc.schema, rc.document, rc.operation, rc.request.variables, limits.maxCost, true);
          if (error) throw error;
        },
      };
    },
  };
}

/**
 * Parses and validates a graphql-ws operation with the same rules as HTTP
 * (Apollo's own rules are not in play there): the errors, each with
 * `extensions.code` as Apollo would give it, or the document to execute.
 */
export function prepareWebsocketOperation(
  schema: GraphQLSchema,
  payload: { query: string; operationName?: string | null; variables?: Readonly<Record<string, unknown>> | null },
  limits: GraphqlLimits,
  introspection: boolean,
): { errors: GraphQLError[] } | { document: DocumentNode } {
  const withCode = (e: GraphQLError, code: string) =>
    new GraphQLErrorClass(e.message, { ...(e.nodes ? { nodes: e.nodes } : {}), ...(e.source ? { source: e.source } : {}), ...(e.positions ? { positions: e.positions } : {}), extensions: { ...e.extensions, code } });
  let document: DocumentNode;
  try {
    document = parse(payload.query, parseOptions(limits));
  } catch (e) {
    if (e instanceof GraphQLErrorClass) return { errors: [withCode(e, 'GRAPHQL_PARSE_FAILED')] };
    throw e;
  }
  const rules = [...specifiedRules, ...limitRules(limits, introspection)];
  const errors = validate(schema, document, rules);
  if (errors.length) return { errors: errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) };
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation: OperationDefinitionNode | undefined = payload.operationName ? operations.find((o) => o.name?.value === payload.operationName) : operations.length === 1 ? operations[0] : undefined;
  // graphql-ws reports a missing operation itself.
  if (!operation) return { document };
  const cost = costError(schema, document, operation, payload.variables ?? {}, limits.maxCost, false);
  return cost ? { errors: [cost] } : { document };
}
