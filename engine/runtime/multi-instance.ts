/**
 * Multi-instance activities (Camunda's multi-instance body): the body is a
 * scope holding nrOfInstances, nrOfActiveInstances and nrOfCompletedInstances;
 * each inner instance has its loopCounter and element variable. Parallel
 * bodies run all inner instances concurrently, sequential ones one after the
 * other; a completion condition that holds ends the body early.
 */
import { BadUserInputError } from '../errors.js';
import { isExpressionText } from '../expressions/index.js';
import type { FlowNode } from '../model/graph.js';
import type { CommandContext } from './command-context.js';
import { evaluate, evaluateCondition } from './evaluation.js';
import { createJob, JOB_TYPES } from './jobs.js';
import {
  cancelExecutionTree,
  createExecution,
  describe,
  parentActivityInstance,
  recordActivityStart,
  removeExecution,
  scheduleTimer,
  selectOutgoingAsync,
  startActivity,
  takeFlows,
  type Token,
} from './operations.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc } from './state.js';
import { subscribe } from './subscriptions.js';
import { keepBodyForCompensation } from './compensation.js';

export const BODY_SUFFIX = '#multiInstanceBody';

/** The body execution when `exec` runs an inner instance of `node` (directly, or as its inner scope). */
export function innerBody(inst: ProcessInstance, exec: ExecutionDoc, node: FlowNode): ExecutionDoc | null {
  if (!node.multiInstance) return null;
  let cur: ExecutionDoc | undefined = exec;
  for (let i = 0; i < 3 && cur; i++) {
    const parent: ExecutionDoc | undefined = cur.parentId === null ? undefined : inst.executions.get(cur.parentId);
    if (parent?.miBody && parent.scopeActivityId === node.id) return parent;
    if (cur.miBody) return null;
    cur = parent;
  }
  return null;
}

function count(ctx: CommandContext, inst: ProcessInstance, exec: ExecutionDoc, node: FlowNode): { n: number; items: unknown[] | null } {
  const mi = node.multiInstance!;
  const scope = { ctx, inst, exec };
  if (mi.collection !== undefined) {
    const value = isExpressionText(mi.collection) ? evaluate(scope, mi.collection) : ctx.getVariable(inst, exec, mi.collection);
    if (value === null || value === undefined) throw new BadUserInputError(`The collection '${mi.collection}' of ${describe(node)} is null`, mi.collection);
    const items = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value as object) : null;
    if (!items) throw new BadUserInputError(`The collection '${mi.collection}' of ${describe(node)} is not a collection: ${String(value)}`, mi.collection);
    return { n: items.length, items };
  }
  if (mi.loopCardinality !== undefined) {
    const n = Number(evaluate(scope, mi.loopCardinality));
    if (!Number.isInteger(n) || n < 0) throw new BadUserInputError(`The loopCardinality of ${describe(node)} must be a non-negative integer`, 'loopCardinality');
    return { n, items: null };
  }
  throw new BadUserInputError(`${describe(node)} needs a loopCardinality or a camunda:collection`, 'multiInstanceLoopCharacteristics');
}

function setNumbers(ctx: CommandContext, inst: ProcessInstance, body: ExecutionDoc, n: number, active: number, completed: number): void {
  ctx.setVariableLocal(inst, body, 'nrOfInstances', n);
  ctx.setVariableLocal(inst, body, 'nrOfActiveInstances', active);
  ctx.setVariableLocal(inst, body, 'nrOfCompletedInstances', completed);
}

function num(ctx: CommandContext, inst: ProcessInstance, body: ExecutionDoc, name: string): number {
  return Number(ctx.getVariable(inst, body, name) ?? 0);
}

function startInner(ctx: CommandContext, inst: ProcessInstance, body: ExecutionDoc, node: FlowNode, index: number, items: unknown[] | null, concurrent: boolean): ExecutionDoc {
  const inner = createExecution(ctx, inst, { parentId: body.id, concurrent });
  ctx.setVariableLocal(inst, inner, 'loopCounter', index);
  const el = node.multiInstance!.elementVariable;
  if (el && items) ctx.setVariableLocal(inst, inner, el, items[index] ?? null);
  return inner;
}

/** A token arrives at a multi-instance activity: start the body and its inner instances. */
export async function startBody(t: Token, node: FlowNode): Promise<void> {
  const { ctx, inst, exec } = t;
  const mi = node.multiInstance!;
  const parentAi = parentActivityInstance(inst, exec);
  const bodyAi = `${node.id}${BODY_SUFFIX}:${ctx.newId()}`;
  const now = ctx.time();
  exec.activityId = node.id;
  exec.activityInstanceId = bodyAi;
  exec.parentActivityInstanceId = parentAi;
  exec.active = false;
  exec.aiStart = now.getTime();
  const body = createExecution(ctx, inst, {
    parentId: exec.id,
    scope: true,
    activityId: node.id,
    activityInstanceId: bodyAi,
    parentActivityInstanceId: parentAi,
    scopeAi: bodyAi,
    scopeActivityId: node.id,
  });
  body.miBody = true;
  body.aiStart = exec.aiStart;
  body.active = false;
  recordActivityStart(ctx, inst, { id: bodyAi, parentAi, activityId: node.id + BODY_SUFFIX, name: node.name ?? null, type: 'multiInstanceBody', executionId: body.id, now });
  // Boundary events of a multi-instance activity belong to its body.
  for (const id of node.boundaryEvents) {
    const b = inst.graph.nodes.get(id)!;
    if (b.type !== 'boundaryEvent') continue;
    if (b.eventDefinition.kind === 'timer') scheduleTimer(ctx, inst, body, b, JOB_TYPES.timerBoundary, { boundaryId: b.id });
    else if (b.eventDefinition.kind === 'message' || b.eventDefinition.kind === 'signal' || b.eventDefinition.kind === 'conditional') subscribe(ctx, inst, body, b);
  }
  const { n, items } = count(ctx, inst, exec, node);
  if (n === 0) {
    setNumbers(ctx, inst, body, 0, 0, 0);
    await completeBody({ ctx, inst, exec: body }, node);
    return;
  }
  if (mi.isSequential) {
    setNumbers(ctx, inst, body, n, 1, 0);
    const inner = startInner(ctx, inst, body, node, 0, items, false);
    ctx.push('activity-start', () => startActivity({ ctx, inst, exec: inner }, node));
    return;
  }
  setNumbers(ctx, inst, body, n, n, 0);
  const inners: ExecutionDoc[] = [];
  for (let i = 0; i < n; i++) inners.push(startInner(ctx, inst, body, node, i, items, true));
  for (let i = n - 1; i >= 0; i--) {
    const inner = inners[i]!;
    ctx.push('activity-start', () => startActivity({ ctx, inst, exec: inner }, node));
  }
}

/** An inner instance finished. */
export async function innerCompleted(t: Token, node: FlowNode, body: ExecutionDoc): Promise<void> {
  const { ctx, inst, exec: inner } = t;
  const mi = node.multiInstance!;
  const n = num(ctx, inst, body, 'nrOfInstances');
  const completed = num(ctx, inst, body, 'nrOfCompletedInstances') + 1;
  const active = num(ctx, inst, body, 'nrOfActiveInstances') - 1;
  ctx.setVariableLocal(inst, body, 'nrOfCompletedInstances', completed);
  ctx.setVariableLocal(inst, body, 'nrOfActiveInstances', active);
  const done = mi.completionCondition !== undefined && evaluateCondition({ ctx, inst, exec: inner }, mi.completionCondition, `the completion condition of ${describe(node)}`);
  if (mi.isSequential) {
    const next = Number(ctx.getVariable(inst, inner, 'loopCounter')) + 1;
    if (!done && next < n) {
      ctx.setVariableLocal(inst, body, 'nrOfActiveInstances', 1);
      ctx.setVariableLocal(inst, inner, 'loopCounter', next);
      const el = mi.elementVariable;
      if (el && mi.collection !== undefined) {
        const { items } = count(ctx, inst, flowScopeOf(inst, body), node);
        ctx.setVariableLocal(inst, inner, el, items?.[next] ?? null);
      }
      inner.activityId = null;
      inner.activityInstanceId = null;
      ctx.push('activity-start', () => startActivity({ ctx, inst, exec: inner }, node));
      return;
    }
    removeExecution(inst, inner);
    await completeBody({ ctx, inst, exec: body }, node);
    return;
  }
  removeExecution(inst, inner);
  if (done) {
    for (const other of inst.children(body)) await cancelExecutionTree(ctx, inst, other, `completion condition of ${node.id}`, true);
  }
  if (done || inst.children(body).length === 0) await completeBody({ ctx, inst, exec: body }, node);
}

function flowScopeOf(inst: ProcessInstance, body: ExecutionDoc): ExecutionDoc {
  return inst.execution(body.parentId!);
}

/** All inner instances are done (or the condition held): the body ends and the activity is left. */
async function completeBody(t: Token, node: FlowNode): Promise<void> {
  const { ctx, inst, exec: body } = t;
  const token = inst.execution(body.parentId!);
  const flows = await selectOutgoingAsync({ ctx, inst, exec: token }, node);
  keepBodyForCompensation(ctx, inst, node, body);
  removeExecution(inst, body);
  token.active = true;
  const now = ctx.time();
  if (ctx.history.activityEnabled && token.activityInstanceId) {
    ctx.history.activityEnded(token.activityInstanceId, new Date(token.aiStart ?? now.getTime()), now, false, false);
  }
  if (node.multiInstance?.asyncAfter) {
    token.activityInstanceId = null;
    createJob(ctx, inst, token, node, JOB_TYPES.asyncContinuation, { op: 'take', flows: flows.map((f) => f.id) });
    return;
  }
  takeFlows({ ctx, inst, exec: token }, node, flows);
}
