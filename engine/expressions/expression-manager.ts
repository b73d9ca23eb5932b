/**
 * The engine's one entry point for expressions: compiles each distinct text
 * once (kept in a bounded LRU cache) and evaluates it with the registered
 * functions, which always include Camunda's `now()` and `dateTime()`.
 */
import { compileExpression, type CompiledExpression } from './compiled-expression.js';
import type { ExpressionFunction, FunctionRegistry, ResolutionContext } from './context.js';
import { DateTimeValue } from './date-time.js';

export interface ExpressionManagerOptions {
  /** The current time for `now()` and `dateTime()`. Default: `() => new Date()`. */
  clock?: () => Date;
  /** How many compiled texts to keep. Default: 5000. */
  cacheSize?: number;
}

export class ExpressionManager implements FunctionRegistry {
  private readonly functions = new Map<string, ExpressionFunction>();
  private readonly cache = new Map<string, CompiledExpression>();
  private readonly cacheSize: number;

  constructor(functions?: Record<string, ExpressionFunction>, options: ExpressionManagerOptions = {}) {
    const clock = options.clock ?? (() => new Date());
    this.cacheSize = Math.max(1, options.cacheSize ?? 5000);
    this.functions.set('now', () => clock());
    this.functions.set('dateTime', () => new DateTimeValue(clock()));
    for (const [name, fn] of Object.entries(functions ?? {})) this.registerFunction(name, fn);
  }

  /** Makes `name(...)` (or `prefix:name(...)` when the name has a prefix) callable from expressions. */
  registerFunction(name: string, fn: ExpressionFunction): void {
    if (!/^[\p{L}$_][\p{L}\p{N}$_]*(:[\p{L}$_][\p{L}\p{N}$_]*)?$/u.test(name)) {
      throw new TypeError(`Invalid expression function name '${name}'`);
    }
    this.functions.set(name, fn);
  }

  get(name: string): ExpressionFunction | undefined {
    return this.functions.get(name);
  }

  /** The compiled form of `text`, from the cache when seen before. Throws `ExpressionError` on syntax errors. */
  compile(text: string): CompiledExpression {
    let compiled = this.cache.get(text);
    if (compiled !== undefined) {
      // Re-insert to mark as most recently used.
      this.cache.delete(text);
      this.cache.set(text, compiled);
      return compiled;
    }
    compiled = compileExpression(text);
    if (this.cache.size >= this.cacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(text, compiled);
    return compiled;
  }

  evaluate(text: string, ctx: ResolutionContext): unknown {
    return this.compile(text).evaluate(ctx, this);
  }
}
