/** What an expression sees of the world: variables and beans by name, and functions. */

/** Returned by a resolver for an identifier it does not know. */
export const UNRESOLVED = Symbol('UNRESOLVED');

export interface ResolutionContext {
  /** The value of a top-level identifier, or `UNRESOLVED`. `undefined` counts as null. */
  resolve(name: string): unknown;
}

export type ExpressionFunction = (...args: unknown[]) => unknown;

export interface FunctionRegistry {
  /** A function by its name as written, e.g. `now` or `ns:name`. */
  get(name: string): ExpressionFunction | undefined;
}
