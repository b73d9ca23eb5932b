/**
 * The operation cache: a frontend or a worker sends the same few documents
 * over and over, each with new variables. Once Apollo has parsed, validated
 * (with the gateway's limits and the introspection switch) and resolved an
 * operation and is about to execute it, the cache keeps the document. The
 * next POST with the same query text and operation name is executed straight
 * away with graphql-js, without Apollo's per-request pipeline (content
 * negotiation, header maps, document hashing, plugin hooks), which costs more
 * CPU than the engine's own work for a start-instance mutation.
 *
 * Nothing a request could observe changes: the same schema, context and
 * resolvers, the cost limit checked with the request's variables, errors
 * formatted as Apollo formats them (formatError, codes, stack traces only in
 * development), the same body, status and content type, and the same
 * observers (metrics, error logs). Whatever the cache is not sure to answer
 * exactly as Apollo would goes through Apollo: GET requests, bodies with
 * `extensions`, Accept headers outside a known list, a federation router's
 * request for an inline trace, variables that do not coerce, operations over
 * the cost limit, and every request when extra Apollo plugins are installed
 * (their hooks would be skipped).
 */
import { createRequire } from 'node:module';
import type { ApolloServerPlugin } from '@apollo/server';
import type * as GraphqlJit from 'graphql-jit';
import type { DocumentNode, ExecutionResult, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { formatError, isDevelopment } from './format-error.js';
import { graphqlJs } from './graphql-js.js';
import { costError, costReadsVariables } from './limits.js';
import type { GraphqlObserver } from './observer.js';

const { execute } = graphqlJs;
// graphql-jit's CommonJS build, which requires the same graphql-js as the schema (graphql-js.ts explains why).
const { compileQuery, isCompiledQuery } = createRequire(import.meta.url)('graphql-jit') as typeof GraphqlJit;

export interface OperationCacheOptions {
  /** Documents kept; the oldest is dropped past this. Default 500. */
  maxEntries?: number;
  /** Longer query texts are never kept (they go through Apollo every time). Default 16,384 characters. */
  maxQueryLength?: number;
}

interface Entry {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  /** Whether the cost limit must be checked again with each request's variables; else Apollo's check holds for every request. */
  readonly costReadsVariables: boolean;
  /** Compiled on the first cached execution; null when graphql-jit cannot compile it (graphql-js executes it then). */
  compiled?: GraphqlJit.CompiledQuery | null;
}

/** What a cached execution answers; the caller writes it out. */
export interface CachedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * Accept headers whose answer type is certain, each with the type Apollo's
 * negotiation picks for it (a test compares every one with Apollo's answer).
 * Any other Accept header is negotiated by Apollo.
 */
const ACCEPTED = new Map<string | undefined, string>([
  [undefined, JSON_TYPE],
  ['', JSON_TYPE],
  ['*/*', JSON_TYPE],
  ['application/json', JSON_TYPE],
  ['application/json, text/plain, */*', JSON_TYPE],
  ['application/graphql-response+json', GRAPHQL_RESPONSE_TYPE],
  ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE_TYPE],
  ['application/graphql-response+json,application/json;q=0.9', GRAPHQL_RESPONSE_TYPE],
]);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class OperationCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxQueryLength: number;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxCost: number,
    private readonly observers: readonly GraphqlObserver[],
    opts: OperationCacheOptions = {},
  ) {
    this.maxEntries = opts.maxEntries ?? 500;
    this.maxQueryLength = opts.maxQueryLength ?? 16_384;
  }

  /** Remembers what Apollo is about to execute: by then every validation rule and the cost limit have passed. */
  readonly plugin: ApolloServerPlugin = {
    requestDidStart: async () => ({
      executionDidStart: async (rc) => {
        const { query, operationName } = rc.request;
        const operation = rc.operation;
        if (typeof query !== 'string' || query.length > this.maxQueryLength || !operation || operation.operation === 'subscription') return;
        const key = keyOf(query, operationName);
        if (this.entries.has(key)) return;
        if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        this.entries.set(key, { document: rc.document, operation, costReadsVariables: costReadsVariables(rc.document) });
      },
    }),
  };

  /** How many documents are kept. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Executes a parsed JSON POST body when its operation is cached and the
   * answer is certain to be Apollo's; null when Apollo must handle the
   * request. Null is only ever returned before any resolver ran.
   */
  async execute(body: unknown, accept: string | undefined, contextValue: () => unknown): Promise<CachedAnswer | null> {
    const contentType = ACCEPTED.get(accept);
    if (contentType === undefined || !isPlainObject(body) || body['extensions'] !== undefined) return null;
    const { query, variables, operationName } = body;
    if (typeof query !== 'string') return null;
    if (variables !== undefined && variables !== null && !isPlainObject(variables)) return null;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
    const entry = this.entries.get(keyOf(query, operationName));
    if (!entry) return null;
    const started = process.hrtime.bigint();
    const variableValues = (variables ?? {}) as Record<string, unknown>;
    if (entry.costReadsVariables && costError(this.schema, entry.document, entry.operation, variableValues, this.maxCost, true)) return null;
    const result: ExecutionResult = await this.run(entry, operationName ?? undefined, contextValue(), variableValues);
    // No data at all: the variables did not coerce, nothing was executed. Apollo answers that (400, BAD_USER_INPUT).
    if (!('data' in result)) return null;
    const answer = this.answer(result, contentType);
    const observed = {
      operationType: entry.operation.operation,
      operationName: entry.operation.name?.value ?? operationName ?? null,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      errors: result.errors ?? [],
      cached: true,
    };
    for (const observe of this.observers) observe(observed);
    return answer;
  }

  /**
   * graphql-jit compiles an operation into one function with its variable
   * coercion, argument values and result shape worked out once; graphql-js
   * would interpret the document on every request.
   */
  private run(entry: Entry, operationName: string | undefined, contextValue: unknown, variableValues: Record<string, unknown>): Promise<ExecutionResult> | ExecutionResult {
    if (entry.compiled === undefined) {
      const compiled = compileQuery(this.schema, entry.document, operationName);
      entry.compiled = isCompiledQuery(compiled) ? compiled : null;
    }
    if (entry.compiled) return entry.compiled.query(undefined, contextValue, variableValues);
    return execute({ schema: this.schema, document: entry.document, operationName, contextValue, variableValues });
  }

  /** The body, status and headers Apollo would give this result (its errorNormalize and runHttpQuery). */
  private answer(result: ExecutionResult, contentType: string): CachedAnswer {
    const headers: Record<string, string> = { 'content-type': contentType };
    let status = 200;
    let errors: GraphQLFormattedError[] | undefined;
    if (result.errors?.length) {
      errors = result.errors.map((error) => {
        // graphql-jit's errors may have no extensions at all.
        const own = (error.extensions ?? {}) as Record<string, unknown>;
        const extensions: Record<string, unknown> = { ...own, code: own['code'] ?? 'INTERNAL_SERVER_ERROR' };
        const http = extensions['http'] as { status?: unknown; headers?: unknown } | undefined;
        if (http && typeof http === 'object') {
          if (typeof http.status === 'number') status = http.status;
          if (http.headers instanceof Map) for (const [k, v] of http.headers as Map<string, string>) headers[k] = v;
          delete extensions['http'];
        }
        if (isDevelopment()) extensions['stacktrace'] = error.stack?.split('\n');
        return formatError({ ...error.toJSON(), extensions }, error);
      });
    }
    const out = errors ? { errors, data: result.data, ...(result.extensions ? { extensions: result.extensions } : {}) } : { data: result.data, ...(result.extensions ? { extensions: result.extensions } : {}) };
    return { status, headers, body: `${JSON.stringify(out)}\n` };
  }
}

function keyOf(query: string, operationName: unknown): string {
  return typeof operationName === 'string' ? `${operationName}\n${query}` : `\n${query}`;
}
