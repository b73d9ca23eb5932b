/**
 * One error shape for HTTP and websocket: `extensions.code` is the engine
 * error's stable code (BAD_USER_INPUT with `field`, NOT_FOUND, CONFLICT,
 * MODEL_INVALID with every `problem`, FORBIDDEN, …). Anything that is not an
 * engine error or one of GraphQL's own request errors is INTERNAL, with its
 * message and stack trace shown only when NODE_ENV=development.
 */
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { BadUserInputError, EngineError, ModelError } from '../../engine/index.js';

export const isDevelopment = (): boolean => process.env['NODE_ENV'] === 'development';

/** Codes Apollo and graphql-js give errors in the request itself (parse, validation, variable coercion). */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/**
 * The thrown value behind GraphQL's wrapping. Not Apollo's `unwrapResolverError`:
 * it tests `instanceof GraphQLError`, which fails when graphql is loaded twice
 * (its CommonJS and ESM builds).
 */
function unwrap(error: unknown): unknown {
  let e = error;
  while (e instanceof Error && 'originalError' in e && (e as { originalError?: unknown }).originalError instanceof Error) e = (e as { originalError: unknown }).originalError;
  return e;
}

function base(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
}

function stack(formatted: GraphQLFormattedError, error: unknown): Record<string, unknown> {
  if (!isDevelopment()) return {};
  const fromApollo = formatted.extensions?.['stacktrace'];
  if (fromApollo) return { stacktrace: fromApollo };
  return error instanceof Error && error.stack ? { stacktrace: error.stack.split('\n') } : {};
}

/** Apollo's `formatError`; `error` is the thrown value, possibly wrapped in a GraphQLError. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrap(error);
  if (original instanceof EngineError) {
    if (original.code === 'INTERNAL' && !isDevelopment()) return { ...base(formatted), message: 'Internal server error', extensions: { code: 'INTERNAL' } };
    const extensions: Record<string, unknown> = { code: original.code };
    if (original instanceof BadUserInputError && original.field !== undefined) extensions['field'] = original.field;
    if (original instanceof ModelError) {
      extensions['problems'] = original.problems.map((p) => ({
        severity: p.severity,
        message: p.message,
        elementId: p.elementId ?? null,
        resource: p.resource ?? original.resource ?? null,
        line: p.line ?? null,
        column: p.column ?? null,
      }));
    }
    return { ...base(formatted), message: original.message, extensions: { ...extensions, ...stack(formatted, original) } };
  }
  const code = formatted.extensions?.['code'];
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    return { ...base(formatted), extensions: { code, ...stack(formatted, original) } };
  }
  if (isDevelopment()) return { ...base(formatted), extensions: { code: 'INTERNAL', ...stack(formatted, original) } };
  return { ...base(formatted), message: 'Internal server error', extensions: { code: 'INTERNAL' } };
}

/** The same formatting for errors that did not pass through Apollo (graphql-ws). */
export function formatGraphQLError(error: GraphQLError): GraphQLFormattedError {
  return formatError(error.toJSON(), error);
}
