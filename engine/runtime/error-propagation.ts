/**
 * Where a BPMN error goes: from the throwing activity outwards through its
 * scopes — the activity itself, enclosing subprocesses, the process, and on
 * through a call activity into the calling process — to the first error
 * boundary event that catches it (one with the same error code before a
 * catch-all one on the same activity). Uncaught, Camunda 7 (with its default
 * `enableExceptionsAfterUnhandledBpmnError=false`) ends the execution as if it
 * had reached a none end event.
 */
import type { BpmnError } from '../errors.js';
import type { BoundaryEventNode, FlowNode, StartEventNode } from '../model/graph.js';
import { eventSubprocessStarts, scopeChildren, triggerEventSubprocess } from './event-subprocess.js';
import { triggerBoundary } from './boundary.js';
import { innerBody } from './multi-instance.js';
import type { CommandContext } from './command-context.js';
import { cancelInstance, endActivity, type Token } from './operations.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc } from './state.js';

function catcherOf(inst: ProcessInstance, host: FlowNode, code: string): BoundaryEventNode | null {
  let catchAll: BoundaryEventNode | null = null;
  for (const id of host.boundaryEvents) {
    const b = inst.graph.nodes.get(id);
    if (!b || b.type !== 'boundaryEvent' || b.eventDefinition.kind !== 'error') continue;
    const expected = b.eventDefinition.errorCode;
    if (expected === undefined || expected === '') catchAll ??= b;
    else if (expected === code) return b;
  }
  return catchAll;
}

type Catch = { scope: ExecutionDoc; boundary: BoundaryEventNode; start?: undefined } | { scope: ExecutionDoc; start: StartEventNode; boundary?: undefined };

function errorStartOf(inst: ProcessInstance, scope: ExecutionDoc, code: string): StartEventNode | null {
  let catchAll: StartEventNode | null = null;
  for (const s of eventSubprocessStarts(inst, scopeChildren(inst, scope))) {
    if (s.eventDefinition.kind !== 'error') continue;
    const expected = s.eventDefinition.errorCode;
    if (expected === undefined || expected === '') catchAll ??= s;
    else if (expected === code) return s;
  }
  return catchAll;
}

function findCatch(inst: ProcessInstance, from: ExecutionDoc, code: string): Catch | null {
  let cur: ExecutionDoc | null = from;
  while (cur) {
    // Error event subprocesses inside the scope catch before boundary events on it.
    if (cur.scope) {
      const start = errorStartOf(inst, cur, code);
      if (start) return { scope: cur, start };
    }
    if (cur.scope && cur.scopeActivityId) {
      const host = inst.graph.nodes.get(cur.scopeActivityId);
      // An inner instance of a multi-instance activity: its boundary events are on the body above.
      if (host && innerBody(inst, cur, host)) {
        cur = cur.parentId === null ? null : (inst.executions.get(cur.parentId) ?? null);
        continue;
      }
      const b = host ? catcherOf(inst, host, code) : null;
      if (b) return { scope: cur, boundary: b };
    }
    cur = cur.parentId === null ? null : (inst.executions.get(cur.parentId) ?? null);
  }
  return null;
}

async function catchIt(ctx: CommandContext, inst: ProcessInstance, found: Catch, error: BpmnError): Promise<void> {
  const def = found.boundary ? found.boundary.eventDefinition : found.start!.eventDefinition;
  const vars: Record<string, unknown> = {};
  if (def.kind === 'error') {
    if (def.errorCodeVariable) vars[def.errorCodeVariable] = error.errorCode;
    if (def.errorMessageVariable) vars[def.errorMessageVariable] = error.errorMessage ?? null;
  }
  if (found.boundary) await triggerBoundary(ctx, inst, found.scope, found.boundary, vars);
  else await triggerEventSubprocess(ctx, inst, found.scope, found.start!, vars);
}

export async function propagateBpmnError(t: Token, node: FlowNode, error: BpmnError): Promise<void> {
  const { ctx } = t;
  let inst = t.inst;
  let from = t.exec;
  for (;;) {
    const found = findCatch(inst, from, error.errorCode);
    if (found) {
      await catchIt(ctx, inst, found, error);
      return;
    }
    if (!inst.superInstanceId || !inst.superExecutionId) break;
    // Not caught in the called process: it ends, and the search goes on at the call activity.
    const parent = await ctx.loadInstance(inst.superInstanceId);
    const superExec = parent.executions.get(inst.superExecutionId);
    if (!superExec) break;
    const parentHasCatch = findCatch(parent, superExec, error.errorCode);
    if (!parentHasCatch) break;
    delete superExec.calledInstanceId;
    await cancelInstance(ctx, inst, `error ${error.errorCode} propagated to the calling process`, 'INTERNALLY_TERMINATED');
    inst = parent;
    from = superExec;
  }
  await endActivity(t, node, []);
}
