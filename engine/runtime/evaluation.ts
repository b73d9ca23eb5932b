/**
 * Evaluating expressions, scripts, listeners and IO mappings in the context
 * of an execution or task, with Camunda's name resolution order: execution /
 * task / authenticatedUserId, then variables, then registered beans.
 */
import { EngineError, ExpressionError, ScriptError } from '../errors.js';
import { UNRESOLVED, type ResolutionContext } from '../expressions/index.js';
import type { ExecutionListener, FieldInjection, IoValue, ListenerHandler, Script, TaskListener } from '../model/graph.js';
import { JAVASCRIPT_FORMATS } from '../script/index.js';
import { plainValue } from '../variables/convert.js';
import type { CommandContext } from './command-context.js';
import { DelegateExecution, DelegateTask } from './delegate.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc, TaskDoc } from './state.js';

export interface Scope {
  ctx: CommandContext;
  inst: ProcessInstance;
  exec: ExecutionDoc;
  task?: TaskDoc;
  eventName?: string;
  transitionId?: string;
  /** Variables that shadow everything else (e.g. loop variables, script bindings). */
  extra?: Record<string, unknown>;
  /** The activity is being cancelled (Camunda's `DelegateExecution.isCanceled()` in end listeners). */
  canceled?: boolean;
}

function delegateOf(scope: Scope): DelegateExecution {
  return new DelegateExecution(scope.ctx, scope.inst, scope.exec, scope.eventName ?? null, scope.transitionId ?? null, scope.canceled ?? false);
}

export function resolutionContext(scope: Scope): ResolutionContext {
  return {
    resolve(name: string): unknown {
      if (scope.extra && name in scope.extra) return scope.extra[name];
      if (name === 'execution') return delegateOf(scope);
      if (name === 'task' && scope.task) return new DelegateTask(scope.ctx, scope.inst, scope.task, scope.eventName ?? null);
      if (name === 'authenticatedUserId') return scope.ctx.userId;
      if (scope.task) {
        const tv = scope.task.vars.find((v) => v.name === name);
        if (tv) return new DelegateTask(scope.ctx, scope.inst, scope.task).getVariableLocal(name);
      }
      const f = scope.ctx.findVariable(scope.inst, scope.exec, name);
      if (f) return scope.ctx.getVariable(scope.inst, f.owner, name);
      if (scope.ctx.services.handlers.hasBean(name)) return scope.ctx.services.handlers.bean(name);
      return UNRESOLVED;
    },
  };
}

export function evaluate(scope: Scope, expression: string): unknown {
  return scope.ctx.services.expressions.evaluate(expression, resolutionContext(scope));
}

/** Evaluates and, when the result is a promise (an async bean method), awaits it. */
export async function evaluateAsync(scope: Scope, expression: string): Promise<unknown> {
  const r = evaluate(scope, expression);
  return isThenable(r) ? await r : r;
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

export function evaluateCondition(scope: Scope, expression: string, where: string): boolean {
  const r = evaluate(scope, expression);
  if (typeof r === 'boolean') return r;
  if (r === 'true' || r === 'false') return r === 'true';
  throw new ExpressionError(`Condition expression '${expression}' of ${where} returned a non-Boolean value: ${String(r)}`, expression);
}

export async function runScript(scope: Scope, script: Script, where: string): Promise<unknown> {
  const format = script.format.toLowerCase();
  let source = script.source;
  if (source === undefined && script.resource) {
    const name = script.resource.replace(/^deployment:\/\//, '');
    const text = await scope.ctx.services.resource(scope.inst.definition.deploymentId, name);
    if (text === null) throw new ScriptError(`Script resource '${script.resource}' of ${where} is not part of the deployment`);
    source = text;
  }
  if (source === undefined) throw new ScriptError(`${where} has no script`);
  if (format === 'juel') return evaluateAsync(scope, source);
  if (!JAVASCRIPT_FORMATS.includes(format)) {
    throw new ScriptError(`Cannot run ${where}: script language '${script.format}' is not supported by CadenzaFlow (supported: javascript, juel)`);
  }
  const runner = await scope.ctx.services.scripts();
  const values: Record<string, unknown> = {};
  for (const [k, v] of scope.ctx.getVariables(scope.inst, scope.exec)) values[k] = plainValue(v);
  if (scope.task) Object.assign(values, new DelegateTask(scope.ctx, scope.inst, scope.task).getVariables());
  const objects: Record<string, Record<string, (...args: unknown[]) => unknown>> = { execution: hostObject(delegateOf(scope)) };
  for (const [k, v] of Object.entries(scope.extra ?? {})) {
    // Objects of methods (a connector's variable scope) cross into the sandbox as host objects, data as values.
    if (isMethodObject(v)) objects[k] = v;
    else values[k] = v;
  }
  if (scope.task) objects['task'] = hostObject(new DelegateTask(scope.ctx, scope.inst, scope.task, scope.eventName ?? null));
  try {
    return await runner.run(source, { values, objects });
  } catch (e) {
    if (e instanceof EngineError && e.code !== 'SCRIPT') throw e;
    if (e instanceof ScriptError) throw new ScriptError(`Script of ${where} failed: ${e.message}`, { cause: e });
    throw e;
  }
}

function isMethodObject(v: unknown): v is Record<string, (...args: unknown[]) => unknown> {
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const entries = Object.values(v);
  return entries.length > 0 && entries.every((x) => typeof x === 'function');
}

function hostObject(target: object): Record<string, (...args: unknown[]) => unknown> {
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  let proto = Object.getPrototypeOf(target) as object | null;
  while (proto && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name in out) continue;
      const fn = (target as Record<string, unknown>)[name];
      if (typeof fn === 'function') out[name] = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown).apply(target, args);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return out;
}

export async function evaluateIoValue(scope: Scope, value: IoValue, where: string): Promise<unknown> {
  switch (value.kind) {
    case 'null':
      return null;
    case 'text':
      return value.text;
    case 'expression':
      return evaluateAsync(scope, value.expression);
    case 'script':
      return runScript(scope, value.script, where);
    case 'list': {
      const out: unknown[] = [];
      for (const item of value.items) out.push(await evaluateIoValue(scope, item, where));
      return out;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const e of value.entries) out[e.key] = await evaluateIoValue(scope, e.value, where);
      return out;
    }
  }
}

async function evaluateFields(scope: Scope, fields: readonly FieldInjection[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.name] = f.value.kind === 'string' ? f.value.text : await evaluateAsync(scope, f.value.expression);
  return out;
}

/**
 * Invokes a handler reference (listener or service implementation): an
 * expression, a delegate expression resolving to a function or an object with
 * `execute`/`notify`, a registered class name, or a script.
 */
export async function invokeHandler(scope: Scope, handler: ListenerHandler, fields: readonly FieldInjection[], where: string, target: 'execution' | 'task'): Promise<unknown> {
  const arg = target === 'task' && scope.task ? new DelegateTask(scope.ctx, scope.inst, scope.task, scope.eventName ?? null) : delegateOf(scope);
  switch (handler.kind) {
    case 'expression':
      return evaluateAsync(scope, handler.expression);
    case 'script':
      return runScript(scope, handler.script, where);
    case 'class': {
      const fn = scope.ctx.services.handlers.handler(handler.className);
      if (!fn) {
        throw new EngineError('INTERNAL', `ENGINE-09008 Exception while instantiating class '${handler.className}' of ${where}: no handler is registered under this name`, {
          camundaType: 'ClassLoadingException',
        });
      }
      const r = fn(arg as DelegateExecution, await evaluateFields(scope, fields));
      return isThenable(r) ? await r : r;
    }
    case 'delegateExpression': {
      const bean = evaluate(scope, handler.expression);
      const injected = await evaluateFields(scope, fields);
      let r: unknown;
      if (typeof bean === 'function') r = (bean as (a: unknown, f: unknown) => unknown)(arg, injected);
      else if (bean && typeof bean === 'object' && typeof (bean as { execute?: unknown }).execute === 'function' && target === 'execution' && where.indexOf('listener') < 0)
        r = (bean as { execute: (a: unknown, f: unknown) => unknown }).execute(arg, injected);
      else if (bean && typeof bean === 'object' && typeof (bean as { notify?: unknown }).notify === 'function')
        r = (bean as { notify: (a: unknown, f: unknown) => unknown }).notify(arg, injected);
      else if (bean && typeof bean === 'object' && typeof (bean as { execute?: unknown }).execute === 'function')
        r = (bean as { execute: (a: unknown, f: unknown) => unknown }).execute(arg, injected);
      else
        throw new EngineError('INTERNAL', `Delegate expression ${handler.expression} of ${where} did neither resolve to a function nor to an object with execute/notify`, {
          camundaType: 'ProcessEngineException',
        });
      return isThenable(r) ? await r : r;
    }
  }
}

export async function fireExecutionListeners(scope: Scope, listeners: readonly ExecutionListener[], event: 'start' | 'end' | 'take', where: string): Promise<void> {
  if (scope.ctx.skipCustomListeners) return;
  for (const l of listeners) {
    if (l.event !== event) continue;
    await invokeHandler({ ...scope, eventName: event }, l.handler, l.fields, `${event} listener of ${where}`, 'execution');
  }
}

export async function fireTaskListeners(scope: Scope, listeners: readonly TaskListener[], event: TaskListener['event'], where: string): Promise<void> {
  if (scope.ctx.skipCustomListeners) return;
  for (const l of listeners) {
    if (l.event !== event) continue;
    await invokeHandler({ ...scope, eventName: event }, l.handler, l.fields, `${event} task listener of ${where}`, 'task');
  }
}
