/**
 * What the gateway's own features (metrics, error logs) learn of every
 * GraphQL request over HTTP, however it was executed: through Apollo's
 * pipeline or from the operation cache (operation-cache.ts), which skips
 * Apollo's per-request hooks. Observers are plain functions so both paths call
 * the same code; for Apollo's path one plugin feeds them.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';

export interface ObservedRequest {
  /** `query`, `mutation`, `subscription`, or null when the request never got as far as an operation (parse, validation). */
  readonly operationType: string | null;
  /** The operation's name, or the name the request asked for. */
  readonly operationName: string | null;
  /** From the start of GraphQL processing to the answer, in seconds. */
  readonly seconds: number;
  /** Every error of the request, as thrown (before formatting). */
  readonly errors: readonly GraphQLError[];
  /** True when the operation cache executed it without Apollo's pipeline. */
  readonly cached: boolean;
}

export type GraphqlObserver = (request: ObservedRequest) => void;

/** Feeds the observers from Apollo's hooks, for requests that go through its pipeline. */
export function observerPlugin(observers: readonly GraphqlObserver[]): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(ctx) {
          const request: ObservedRequest = {
            operationType: ctx.operation?.operation ?? null,
            operationName: ctx.operationName ?? ctx.request.operationName ?? null,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
            errors: ctx.errors ?? [],
            cached: false,
          };
          for (const observe of observers) observe(request);
        },
      };
    },
  };
}
