/**
 * Compensation, as Camunda 7 performs it (CompensationUtil,
 * CompensationEventHandler, AbstractBpmnActivityBehavior).
 *
 * Recording: when an activity with a compensation handler completes, a
 * `compensate` subscription naming the handler is added to the scope
 * execution it completed in. When a subprocess (or a multi-instance body)
 * completes and its scope holds such subscriptions, it becomes an event scope
 * execution: it keeps a snapshot of its local variables and those
 * subscriptions, and one subscription in the enclosing scope names the
 * subprocess (or its compensation event subprocess). All of it is part of the
 * instance document; the subscriptions' order there is the order the
 * activities completed in.
 *
 * Throwing: a compensation throw event (a scope activity, as in Camunda)
 * takes the subscriptions of its scope — from inside an event subprocess,
 * those of the scope it sits in too — or only those of its `activityRef`, and
 * starts one compensating execution below itself per subscription, the most
 * recently completed activity first. A compensated event scope throws
 * compensation for what it keeps in turn, or runs its compensation event
 * subprocess, which consumes the event. The thrower waits until every
 * compensating execution below it ended (Camunda ignores
 * `waitForCompletion="false"`), then leaves; a cancel end event leaves its
 * transaction through the cancel boundary event.
 */
import { EngineError } from '../errors.js';
import type { FlowNode, StartEventNode } from '../model/graph.js';
import { triggerBoundary } from './boundary.js';
import type { CommandContext } from './command-context.js';
import { startEventSubprocess } from './event-subprocess.js';
import { BODY_SUFFIX, innerBody } from './multi-instance.js';
import { cancelExecutionTree, completeScope, createExecution, flowScope, removeExecution, startActivity, type Token } from './operations.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc, SubscriptionDoc } from './state.js';

/** The persisted event subscription type. */
const COMPENSATE = 'compensate';

/** Intermediate throw and end events with a compensateEventDefinition, and cancel end events (which compensate their transaction). */
export function throwsCompensation(node: FlowNode): boolean {
  if (node.type === 'intermediateThrowEvent') return node.eventDefinition.kind === 'compensate';
  if (node.type === 'endEvent') return node.eventDefinition.kind === 'compensate' || node.eventDefinition.kind === 'cancel';
  return false;
}

function isEventSubprocess(node: FlowNode): boolean {
  return node.type === 'subProcess' && node.triggeredByEvent;
}

/** The activity instance of a scope execution (the process instance's id for the root). */
function activityInstanceOf(inst: ProcessInstance, scope: ExecutionDoc): string {
  return scope.scopeAi ?? inst.id;
}

function heldBy(inst: ProcessInstance, scope: ExecutionDoc): SubscriptionDoc[] {
  return [...inst.subscriptions.values()].filter((s) => s.type === COMPENSATE && s.executionId === scope.id);
}

function subscribe(ctx: CommandContext, inst: ProcessInstance, holder: ExecutionDoc, activityId: string, eventScope?: ExecutionDoc): void {
  const sub: SubscriptionDoc = { id: ctx.newId(), type: COMPENSATE, eventName: null, executionId: holder.id, activityId, createTime: ctx.time().getTime() };
  if (eventScope) sub.configuration = eventScope.id;
  inst.subscriptions.set(sub.id, sub);
}

// ---------------------------------------------------------------- recording

/**
 * An activity completed (it was not cancelled): remember how to compensate
 * it. `exec` is the activity's own scope execution, or its token when it has
 * none. Runs before the scope execution goes away.
 */
export function keepForCompensation(ctx: CommandContext, inst: ProcessInstance, node: FlowNode, exec: ExecutionDoc): void {
  const own = exec.scope && exec.scopeActivityId === node.id && exec.parentId !== null ? exec : null;
  const isScope = node.type === 'subProcess' || node.type === 'transaction';
  if (node.compensationHandler === undefined && !(own && isScope)) return;
  const holder = flowScope(inst, own ? inst.execution(own.parentId!) : exec);
  const handler = node.compensationHandler === undefined ? undefined : inst.graph.nodes.get(node.compensationHandler);
  const consumer = handler && isEventSubprocess(handler) ? handler : undefined;
  if (handler && !consumer) subscribe(ctx, inst, holder, handler.id);
  if (own && isScope) keepScope(ctx, inst, own, holder, node.id, `${node.id}:${ctx.newId()}`, consumer?.id ?? node.id, consumer !== undefined);
}

/** A multi-instance body completed: what its inner instances left to compensate is kept with it. */
export function keepBodyForCompensation(ctx: CommandContext, inst: ProcessInstance, node: FlowNode, body: ExecutionDoc): void {
  const holder = flowScope(inst, inst.execution(body.parentId!));
  keepScope(ctx, inst, body, holder, node.id, `${node.id}${BODY_SUFFIX}:${ctx.newId()}`, `${node.id}${BODY_SUFFIX}`, false);
}

/**
 * Camunda's createEventScopeExecution: the completed scope becomes an event
 * scope below `holder`, with a copy of its local variables, its compensation
 * subscriptions and the event scopes of what completed inside it.
 */
function keepScope(
  ctx: CommandContext,
  inst: ProcessInstance,
  scope: ExecutionDoc,
  holder: ExecutionDoc,
  activityId: string,
  activityInstanceId: string,
  subscriptionActivityId: string,
  hasEventSubprocess: boolean,
): void {
  const held = heldBy(inst, scope);
  if (held.length === 0 && !hasEventSubprocess) return;
  const kept = createExecution(ctx, inst, {
    parentId: holder.id,
    scope: true,
    active: false,
    activityId,
    scopeActivityId: activityId,
    scopeAi: activityInstanceId,
    parentActivityInstanceId: activityInstanceOf(inst, holder),
  });
  kept.eventScope = true;
  kept.vars = scope.vars.map((v) => ({ ...v, id: ctx.newId() }));
  for (const s of held) s.executionId = kept.id;
  for (const c of inst.children(scope, true)) {
    if (c.eventScope !== true) continue;
    c.parentId = kept.id;
    c.parentActivityInstanceId = activityInstanceId;
  }
  subscribe(ctx, inst, holder, subscriptionActivityId, kept);
}

// ---------------------------------------------------------------- throwing

/**
 * The subscriptions a throw event compensates: those of its scope — an event
 * subprocess does not consume compensation, so from inside one they are the
 * subscriptions of the scope it sits in too — or only those for `activityRef`.
 * `thrower` is the throw event's scope execution.
 */
export function compensationSubscriptions(inst: ProcessInstance, thrower: ExecutionDoc, activityRef?: string): SubscriptionDoc[] {
  const scopes = new Set<string>();
  let cur = flowScope(inst, inst.execution(thrower.parentId!));
  for (;;) {
    scopes.add(cur.id);
    const node = cur.scopeActivityId === null ? undefined : inst.graph.nodes.get(cur.scopeActivityId);
    if (!node || !isEventSubprocess(node) || cur.parentId === null || cur.eventScope !== undefined) break;
    cur = flowScope(inst, inst.execution(cur.parentId));
  }
  const wanted = activityRef === undefined ? undefined : subscriptionActivityId(inst, activityRef);
  return [...inst.subscriptions.values()].filter((s) => s.type === COMPENSATE && scopes.has(s.executionId) && (wanted === undefined || s.activityId === wanted));
}

/** Which subscriptions compensate `activityRef` (Camunda's getSubscriptionActivityId). */
function subscriptionActivityId(inst: ProcessInstance, activityRef: string): string {
  const node = inst.graph.nodes.get(activityRef);
  if (!node) return activityRef;
  if (node.multiInstance) return `${activityRef}${BODY_SUFFIX}`;
  return node.compensationHandler ?? activityRef;
}

/**
 * Starts compensating each subscription on an execution of its own below
 * `thrower`: a kept event scope moves there, any other handler gets a new
 * concurrent execution. The agenda is a stack, so scheduling them in the
 * order the activities completed starts the most recent one first.
 */
export function throwCompensation(ctx: CommandContext, inst: ProcessInstance, thrower: ExecutionDoc, subscriptions: readonly SubscriptionDoc[]): void {
  const compensating: [ExecutionDoc, string][] = [];
  for (const sub of subscriptions) {
    inst.subscriptions.delete(sub.id);
    if (sub.configuration !== undefined) {
      const kept = inst.executions.get(sub.configuration);
      if (!kept) continue;
      kept.parentId = thrower.id;
      kept.eventScope = false;
      compensating.push([kept, sub.activityId]);
      continue;
    }
    const holder = inst.executions.get(sub.executionId);
    const exec = createExecution(ctx, inst, { parentId: thrower.id, concurrent: true });
    exec.flowScopeAi = activityInstanceOf(inst, holder ?? thrower);
    compensating.push([exec, sub.activityId]);
  }
  thrower.active = false;
  for (const [exec, activityId] of compensating) ctx.push('compensation-start', () => startCompensating(ctx, inst, exec, activityId));
}

/** Camunda's CompensationEventHandler for one subscription. */
async function startCompensating(ctx: CommandContext, inst: ProcessInstance, exec: ExecutionDoc, activityId: string): Promise<void> {
  if (inst.ended || !inst.executions.has(exec.id)) return;
  const handler = inst.graph.nodes.get(activityId);
  if (exec.eventScope === false) {
    if (handler && isEventSubprocess(handler)) {
      const token = createExecution(ctx, inst, { parentId: exec.id, concurrent: true });
      token.flowScopeAi = activityInstanceOf(inst, exec);
      startEventSubprocess(ctx, inst, token, compensationStartOf(inst, handler));
      return;
    }
    // A completed subprocess or multi-instance body: compensate what completed inside it.
    const inner = heldBy(inst, exec);
    if (inner.length === 0) await compensationDone(ctx, inst, exec);
    else throwCompensation(ctx, inst, exec, inner);
    return;
  }
  if (!handler) throw new EngineError('INTERNAL', `compensation handler '${activityId}' does not exist in process '${inst.graph.id}'`);
  await startActivity({ ctx, inst, exec }, handler);
}

function compensationStartOf(inst: ProcessInstance, eventSubprocess: FlowNode): StartEventNode {
  const children = eventSubprocess.type === 'subProcess' ? eventSubprocess.children : [];
  for (const id of children) {
    const node = inst.graph.nodes.get(id);
    if (node?.type === 'startEvent' && node.eventDefinition.kind === 'compensate') return node;
  }
  throw new EngineError('INTERNAL', `event subprocess '${eventSubprocess.id}' has no compensation start event`);
}

// ---------------------------------------------------------------- joining

/**
 * Called when every execution below a scope execution ended. True when the
 * scope belongs to compensation and was taken care of here: an event scope
 * finished compensating, or a cancel end event finished compensating its
 * transaction. Other throw events then simply leave, as any scope activity.
 */
export async function completeCompensation(t: Token): Promise<boolean> {
  const { ctx, inst, exec } = t;
  if (exec.eventScope === false) {
    await compensationDone(ctx, inst, exec);
    return true;
  }
  const node = exec.scopeActivityId === null ? undefined : inst.graph.nodes.get(exec.scopeActivityId);
  if (node?.type === 'endEvent' && node.eventDefinition.kind === 'cancel') {
    await leaveTransaction(ctx, inst, exec, node);
    return true;
  }
  return false;
}

/** An event scope is compensated: it goes, and the execution that compensated it may be done too. */
async function compensationDone(ctx: CommandContext, inst: ProcessInstance, eventScope: ExecutionDoc): Promise<void> {
  const parent = inst.execution(eventScope.parentId!);
  removeExecution(inst, eventScope);
  if (inst.children(parent).length > 0) return;
  parent.active = true;
  await completeScope({ ctx, inst, exec: parent });
}

// ---------------------------------------------------------------- cancel

/**
 * Camunda's INTERRUPT_FLOW_SCOPE start of a cancel end event: every other
 * token of its transaction is cancelled, and so are the transaction's event
 * subscriptions and jobs — except compensation, which the event is about to
 * throw. `token` is the execution the cancel end event runs on.
 */
export async function interruptTransaction(ctx: CommandContext, inst: ProcessInstance, token: ExecutionDoc, node: FlowNode): Promise<void> {
  const scope = flowScope(inst, token);
  if (token !== scope) {
    for (const c of inst.children(scope)) if (c !== token) await cancelExecutionTree(ctx, inst, c, `cancel end event (${node.id})`, true);
  }
  for (const [id, s] of inst.subscriptions) if (s.executionId === scope.id && s.type !== COMPENSATE) inst.subscriptions.delete(id);
  for (const [id, j] of inst.jobs) if (j.executionId === scope.id) inst.jobs.delete(id);
}

/**
 * Camunda's CancelEndEventActivityBehavior.leave: the transaction is left
 * through its cancel boundary event, which interrupts it — all its instances
 * when it is multi-instance. `thrower` is the cancel end event's scope execution.
 */
export async function leaveTransaction(ctx: CommandContext, inst: ProcessInstance, thrower: ExecutionDoc, node: FlowNode): Promise<void> {
  const transaction = node.parentId === null ? undefined : inst.graph.nodes.get(node.parentId);
  const boundary = transaction?.boundaryEvents.map((id) => inst.graph.nodes.get(id)).find((b) => b?.type === 'boundaryEvent' && b.eventDefinition.kind === 'cancel');
  if (!transaction || boundary?.type !== 'boundaryEvent') {
    throw new EngineError('INTERNAL', `Could not find cancel boundary event for cancel end event '${node.id}'`, { camundaType: 'ProcessEngineException' });
  }
  const scope = flowScope(inst, inst.execution(thrower.parentId!));
  await triggerBoundary(ctx, inst, innerBody(inst, scope, transaction) ?? scope, boundary);
}

// ---------------------------------------------------------------- housekeeping

/**
 * Event scopes whose scope went away (it was cancelled, so what completed in
 * it can no longer be compensated) go with it; their subscriptions follow
 * when execution references are reconciled.
 */
export function dropOrphanedEventScopes(inst: ProcessInstance): void {
  for (let again = true; again; ) {
    again = false;
    for (const e of inst.executions.values()) {
      if (e.eventScope === undefined || e.parentId === null || inst.executions.has(e.parentId)) continue;
      inst.executions.delete(e.id);
      again = true;
    }
  }
}
