/**
 * Event subprocesses: while their enclosing scope (the process, or a
 * subprocess) runs, their start events wait for a message, signal or timer,
 * or catch errors thrown inside the scope. An interrupting one cancels
 * everything else in the scope and the scope ends with it; a non-interrupting
 * one runs next to the rest.
 */
import type { FlowNode, StartEventNode, SubProcessNode } from '../model/graph.js';
import { concurrentSibling } from './boundary.js';
import type { CommandContext } from './command-context.js';
import { JOB_TYPES } from './jobs.js';
import { cancelExecutionTree, createExecution, scheduleTimer, startActivity } from './operations.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc } from './state.js';
import { subscribe } from './subscriptions.js';

/** The flow nodes directly inside the scope a scope execution represents. */
export function scopeChildren(inst: ProcessInstance, scope: ExecutionDoc): readonly string[] {
  if (scope.parentId === null) return inst.graph.children;
  const node = scope.scopeActivityId ? inst.graph.nodes.get(scope.scopeActivityId) : undefined;
  return node && (node.type === 'subProcess' || node.type === 'transaction') ? node.children : [];
}

export function eventSubprocessStarts(inst: ProcessInstance, children: readonly string[]): StartEventNode[] {
  const out: StartEventNode[] = [];
  for (const id of children) {
    const n = inst.graph.nodes.get(id);
    if (!n || n.type !== 'subProcess' || !n.triggeredByEvent) continue;
    for (const c of n.children) {
      const s = inst.graph.nodes.get(c);
      if (s && s.type === 'startEvent') out.push(s);
    }
  }
  return out;
}

/** A scope started: its event subprocesses begin to listen. */
export function registerEventSubprocesses(ctx: CommandContext, inst: ProcessInstance, scope: ExecutionDoc): void {
  const starts = eventSubprocessStarts(inst, scopeChildren(inst, scope));
  for (const s of starts) {
    const kind = s.eventDefinition.kind;
    if (kind === 'message' || kind === 'signal' || kind === 'conditional') subscribe(ctx, inst, scope, s);
    else if (kind === 'timer') scheduleTimer(ctx, inst, scope, s, JOB_TYPES.timerEventSubprocess, { startEventId: s.id });
  }
}

/** The start event's event subprocess node. */
export function eventSubprocessOf(inst: ProcessInstance, start: FlowNode): SubProcessNode | null {
  const parent = start.parentId ? inst.graph.nodes.get(start.parentId) : undefined;
  return parent && parent.type === 'subProcess' && parent.triggeredByEvent ? parent : null;
}

/** Start event ids the next start of an event subprocess on this token begins at (consumed by the subprocess behaviour). */
const startAt = new WeakMap<CommandContext, Map<string, string>>();

export function takeStartAt(ctx: CommandContext, tokenId: string): string | undefined {
  const m = startAt.get(ctx);
  const v = m?.get(tokenId);
  if (v !== undefined) m!.delete(tokenId);
  return v;
}

/** Fires the event subprocess of `start` in the scope represented by `scope`. */
export async function triggerEventSubprocess(ctx: CommandContext, inst: ProcessInstance, scope: ExecutionDoc, start: StartEventNode, variables: Record<string, unknown> = {}): Promise<void> {
  const sub = eventSubprocessOf(inst, start);
  if (!sub) return;
  let token: ExecutionDoc;
  if (start.isInterrupting) {
    await cancelExecutionTree(ctx, inst, scope, `event subprocess ${sub.id}`, false);
    for (const c of inst.children(scope)) inst.executions.delete(c.id);
    // What completed in the scope stays compensable: the event subprocess may throw compensation for it.
    for (const [id, s] of inst.subscriptions) if (s.executionId === scope.id && s.type !== 'compensate') inst.subscriptions.delete(id);
    for (const [id, j] of inst.jobs) if (j.executionId === scope.id) inst.jobs.delete(id);
    scope.active = true;
    scope.activityId = null;
    scope.activityInstanceId = null;
    token = scope;
  } else {
    token = inst.children(scope).some((c) => c.concurrent) ? createExecution(ctx, inst, { parentId: scope.id, concurrent: true }) : concurrentSibling(ctx, inst, scope);
  }
  for (const [k, v] of Object.entries(variables)) ctx.setVariable(inst, token, k, v);
  startEventSubprocess(ctx, inst, token, start);
}

/** Schedules the event subprocess of `start` on `token`, to begin at that start event. */
export function startEventSubprocess(ctx: CommandContext, inst: ProcessInstance, token: ExecutionDoc, start: StartEventNode): void {
  const sub = eventSubprocessOf(inst, start);
  if (!sub) return;
  let m = startAt.get(ctx);
  if (!m) startAt.set(ctx, (m = new Map()));
  m.set(token.id, start.id);
  ctx.push('activity-start', () => startActivity({ ctx, inst, exec: token }, sub));
}
