/**
 * A parsed expression text, ready to evaluate any number of times. Failures
 * become `ExpressionError`s worded as Camunda 7 words them; BPMN errors and
 * optimistic-lock conflicts thrown by beans or functions pass through untouched.
 */
import { ExpressionError } from '../errors.js';
import type { RootNode } from './ast.js';
import type { FunctionRegistry, ResolutionContext } from './context.js';
import { MethodNotFound, PropertyNotFound, isPassThrough } from './failures.js';
import { evaluateRoot } from './interpreter.js';
import { parse } from './parser.js';

export interface CompiledExpression {
  readonly text: string;
  /** true when the text contains no ${...} / #{...} (a plain constant string) */
  readonly isLiteralText: boolean;
  /** Top-level identifiers referenced (for diagnostics) */
  readonly identifiers: readonly string[];
  evaluate(ctx: ResolutionContext, functions?: FunctionRegistry): unknown;
}

/** True when the text contains `${` or `#{`, i.e. is more than a constant. */
export function isExpressionText(text: string): boolean {
  return text.includes('${') || text.includes('#{');
}

/** Parses `text`; throws `ExpressionError` on a syntax error. */
export function compileExpression(text: string): CompiledExpression {
  const { root, identifiers } = parse(text);
  return new TreeExpression(text, root, identifiers);
}

class TreeExpression implements CompiledExpression {
  readonly isLiteralText: boolean;

  constructor(
    readonly text: string,
    private readonly root: RootNode,
    readonly identifiers: readonly string[],
  ) {
    this.isLiteralText = root.kind === 'text';
  }

  evaluate(ctx: ResolutionContext, functions?: FunctionRegistry): unknown {
    try {
      return evaluateRoot(this.root, ctx, functions);
    } catch (error) {
      throw evaluationError(error, this.text);
    }
  }

  toString(): string {
    return this.text;
  }
}

function evaluationError(error: unknown, text: string): unknown {
  if (isPassThrough(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof PropertyNotFound) {
    return new ExpressionError(`Unknown property used in expression: ${text}. Cause: ${reason}`, text, { cause: error });
  }
  if (error instanceof MethodNotFound) {
    return new ExpressionError(`Unknown method used in expression: ${text}. Cause: ${reason}`, text, { cause: error });
  }
  return new ExpressionError(`Error while evaluating expression: ${text}. Cause: ${reason}`, text, { cause: error });
}
