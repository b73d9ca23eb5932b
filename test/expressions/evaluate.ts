/** Shared helpers for the expression tests: a variables-backed context and error capture. */
import { ExpressionManager, UNRESOLVED, type ResolutionContext } from '../../engine/expressions/index.js';

export function contextOf(variables: Record<string, unknown>): ResolutionContext {
  return { resolve: (name) => (Object.hasOwn(variables, name) ? variables[name] : UNRESOLVED) };
}

const manager = new ExpressionManager();

export function evaluate(text: string, variables: Record<string, unknown> = {}): unknown {
  return manager.evaluate(text, contextOf(variables));
}

/** The error `fn` throws; fails the test when it throws nothing. */
export function errorOf(fn: () => unknown): Error & { expression?: string; code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, but none was thrown');
}
