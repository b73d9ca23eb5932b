/**
 * JUEL, the expression language of Camunda 7 (`${amount > 100}`,
 * `${customer.name}`, `#{approver.isAllowed(execution)}`): our own lexer,
 * parser and tree interpreter, with Java-flavoured coercion and a sandboxed
 * view of JavaScript objects. No code generation, no `eval`.
 */
export { UNRESOLVED, type ResolutionContext, type ExpressionFunction, type FunctionRegistry } from './context.js';
export { compileExpression, isExpressionText, type CompiledExpression } from './compiled-expression.js';
export { ExpressionManager, type ExpressionManagerOptions } from './expression-manager.js';
export { DateTimeValue } from './date-time.js';
