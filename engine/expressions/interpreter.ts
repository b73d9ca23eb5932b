/**
 * Evaluates a parsed expression tree. Identifiers are resolved through the
 * caller's context on every evaluation; nothing is cached between calls.
 */
import type { ExpressionNode, RootNode } from './ast.js';
import { coerceToBoolean, coerceToString } from './coercion.js';
import { UNRESOLVED, type FunctionRegistry, type ResolutionContext } from './context.js';
import { ElFailure, PropertyNotFound } from './failures.js';
import { invokeMethod, readProperty } from './java-interop.js';
import {
  add,
  divide,
  equals,
  greaterOrEqual,
  greaterThan,
  isEmpty,
  lessOrEqual,
  lessThan,
  modulo,
  multiply,
  negate,
  subtract,
} from './operators.js';

interface Scope {
  readonly ctx: ResolutionContext;
  readonly functions: FunctionRegistry | undefined;
}

export function evaluateRoot(root: RootNode, ctx: ResolutionContext, functions: FunctionRegistry | undefined): unknown {
  const scope: Scope = { ctx, functions };
  switch (root.kind) {
    case 'text':
      return root.value;
    case 'composite': {
      let out = '';
      for (const part of root.parts) out += part.kind === 'text' ? part.value : coerceToString(evaluate(part, scope));
      return out;
    }
    default:
      return evaluate(root, scope);
  }
}

function evaluate(node: ExpressionNode, scope: Scope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'identifier': {
      const value = scope.ctx.resolve(node.name);
      if (value === UNRESOLVED) throw new PropertyNotFound(`Cannot resolve identifier '${node.name}'`);
      return value ?? null;
    }
    case 'dot': {
      const base = evaluate(node.base, scope);
      return base == null ? null : readProperty(base, node.name);
    }
    case 'bracket': {
      const base = evaluate(node.base, scope);
      if (base == null) return null;
      const property = evaluate(node.property, scope);
      return property == null ? null : readProperty(base, property);
    }
    case 'method': {
      const base = evaluate(node.base, scope);
      if (base == null) throw new PropertyNotFound(`Target unreachable, base expression '${node.baseText}' resolved to null`);
      const name = typeof node.name === 'string' ? node.name : coerceToString(evaluate(node.name, scope));
      const args = node.args.map((arg) => evaluate(arg, scope));
      return invokeMethod(base, name, args) ?? null;
    }
    case 'function': {
      const fn = scope.functions?.get(node.name);
      if (fn === undefined) throw new ElFailure(`Could not resolve function '${node.name}'`);
      const args = node.args.map((arg) => evaluate(arg, scope));
      return fn(...args) ?? null;
    }
    case 'unary': {
      const value = evaluate(node.operand, scope);
      switch (node.operator) {
        case 'not':
          return !coerceToBoolean(value);
        case 'neg':
          return negate(value);
        case 'empty':
          return isEmpty(value);
      }
      break;
    }
    case 'binary': {
      const left = evaluate(node.left, scope);
      switch (node.operator) {
        case '&&':
          return coerceToBoolean(left) && coerceToBoolean(evaluate(node.right, scope));
        case '||':
          return coerceToBoolean(left) || coerceToBoolean(evaluate(node.right, scope));
        default:
          return binary(node.operator, left, evaluate(node.right, scope));
      }
    }
    case 'choice':
      return evaluate(coerceToBoolean(evaluate(node.test, scope)) ? node.yes : node.no, scope);
  }
}

function binary(operator: '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '>' | '<=' | '>=', left: unknown, right: unknown): unknown {
  switch (operator) {
    case '+':
      return add(left, right);
    case '-':
      return subtract(left, right);
    case '*':
      return multiply(left, right);
    case '/':
      return divide(left, right);
    case '%':
      return modulo(left, right);
    case '==':
      return equals(left, right);
    case '!=':
      return !equals(left, right);
    case '<':
      return lessThan(left, right);
    case '>':
      return greaterThan(left, right);
    case '<=':
      return lessOrEqual(left, right);
    case '>=':
      return greaterOrEqual(left, right);
  }
}
