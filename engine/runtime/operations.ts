/**
 * The interpreter's steps — a closed list of small named operations, run from
 * the command's agenda: activity-start, activity-execute, activity-end,
 * transition-take, execution-end, scope-complete, instance-end. Behaviours
 * (./behaviors) decide *what* an element does; these operations decide how a
 * token moves, forks, joins and ends, following Camunda's execution tree.
 */
import { BadUserInputError, EngineError } from '../errors.js';
import type { FlowNode, SequenceFlow } from '../model/graph.js';
import type { InstanceState } from '../persistence/store.js';
import { loadValue, normalizeTypedValue } from '../variables/convert.js';
import { behaviorFor } from './behaviors/index.js';
import { firstDue } from '../jobs/timer.js';
import { createJob, JOB_TYPES } from './jobs.js';
import { subscribe } from './subscriptions.js';
import { innerBody, innerCompleted, startBody } from './multi-instance.js';
import { completeCompensation, keepForCompensation, throwsCompensation } from './compensation.js';
import type { CommandContext } from './command-context.js';
import { evaluate, evaluateCondition, evaluateIoValue, fireExecutionListeners, fireTaskListeners, runScript, type Scope } from './evaluation.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc } from './state.js';

export interface Token {
  ctx: CommandContext;
  inst: ProcessInstance;
  exec: ExecutionDoc;
}

/**
 * Activities that get their own scope execution (Camunda: subprocesses,
 * activities with IO mappings or boundary events, events that throw
 * compensation). Inside a multi-instance body the boundary events belong to
 * the body, so they do not make each inner instance a scope.
 */
export function isScopeActivity(node: FlowNode, innerInstance = false): boolean {
  return (
    node.type === 'subProcess' ||
    node.type === 'transaction' ||
    node.ioMapping !== undefined ||
    (!innerInstance && node.boundaryEvents.length > 0) ||
    throwsCompensation(node)
  );
}

/** Camunda's activity type names in history. */
export function activityType(node: FlowNode): string {
  switch (node.type) {
    case 'endEvent':
      if (node.eventDefinition.kind === 'compensate') return 'compensationEndEvent';
      return node.eventDefinition.kind === 'terminate' ? 'terminateEndEvent' : node.eventDefinition.kind === 'none' ? 'noneEndEvent' : `${node.eventDefinition.kind}EndEvent`;
    case 'intermediateThrowEvent':
      if (node.eventDefinition.kind === 'compensate') return 'intermediateCompensationThrowEvent';
      // Camunda records a message throw event without implementation as a none throw event, which is what it does.
      if (node.eventDefinition.kind === 'none' || (node.eventDefinition.kind === 'message' && !node.eventDefinition.service)) return 'intermediateNoneThrowEvent';
      return `intermediate${cap(node.eventDefinition.kind)}ThrowEvent`;
    case 'startEvent':
      if (node.eventDefinition.kind === 'timer') return 'startTimerEvent';
      if (node.eventDefinition.kind === 'compensate') return 'compensationStartEvent';
      return node.eventDefinition.kind === 'none' ? 'startEvent' : `${node.eventDefinition.kind}StartEvent`;
    case 'boundaryEvent':
      if (node.eventDefinition.kind === 'compensate') return 'compensationBoundaryCatch';
      if (node.eventDefinition.kind === 'cancel') return 'cancelBoundaryCatch';
      return `boundary${cap(node.eventDefinition.kind)}`;
    case 'intermediateCatchEvent':
      switch (node.eventDefinition.kind) {
        case 'timer':
          return 'intermediateTimer';
        case 'message':
          return 'intermediateMessageCatch';
        case 'signal':
          return 'intermediateSignal';
        case 'link':
          return 'intermediateLinkCatch';
        default:
          return `intermediate${cap(node.eventDefinition.kind)}`;
      }
    default:
      return node.type;
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function describe(node: FlowNode): string {
  return `${node.type} '${node.id}'`;
}

export function createExecution(ctx: CommandContext, inst: ProcessInstance, init: Partial<ExecutionDoc> & { parentId: string | null }): ExecutionDoc {
  const e: ExecutionDoc = {
    id: init.id ?? ctx.newId(),
    parentId: init.parentId,
    scope: init.scope ?? false,
    concurrent: init.concurrent ?? false,
    active: init.active ?? true,
    activityId: init.activityId ?? null,
    activityInstanceId: init.activityInstanceId ?? null,
    parentActivityInstanceId: init.parentActivityInstanceId ?? null,
    scopeAi: init.scopeAi ?? null,
    scopeActivityId: init.scopeActivityId ?? null,
    vars: [],
  };
  inst.executions.set(e.id, e);
  return e;
}

/** The scope execution a token belongs to. */
export function flowScope(inst: ProcessInstance, exec: ExecutionDoc): ExecutionDoc {
  return exec.scope ? exec : inst.execution(exec.parentId!);
}

/** The activity instance an activity started on this token belongs to: its flow scope's, or for a compensating execution the compensated activity's scope instance. */
export function parentActivityInstance(inst: ProcessInstance, exec: ExecutionDoc): string | null {
  return exec.flowScopeAi ?? flowScope(inst, exec).scopeAi;
}

/**
 * The token as it stands when its operation runs: null when its execution was
 * removed (cancelled, or the instance ended), or moved onto the execution that
 * replaced it when concurrency was pruned in the meantime.
 */
function live(t: Token): Token | null {
  const { inst } = t;
  if (inst.ended) return null;
  const exec = inst.currentExecution(t.exec.id);
  if (!exec) return null;
  return exec === t.exec ? t : { ...t, exec };
}

function scopeOf(t: Token): Scope {
  return { ctx: t.ctx, inst: t.inst, exec: t.exec };
}

// ------------------------------------------------------------ activity-start

export function scheduleStart(t: Token, node: FlowNode, opts: { triggered?: boolean } = {}): void {
  t.ctx.push('activity-start', () => startActivity(t, node, false, opts.triggered === true));
}

/**
 * `resumeAsync`: a job continues after asyncBefore. `triggered`: the element's
 * event already happened (the event after an event-based gateway), so it
 * completes instead of waiting.
 */
export async function startActivity(
  token: Token,
  node: FlowNode,
  resumeAsync = false,
  triggered = false,
  /** Process instance modification: enter a scope activity without executing it and continue inside its new scope execution. */
  inside?: (scope: Token) => Promise<void>,
): Promise<void> {
  const t = live(token);
  if (!t) return;
  const { ctx, inst, exec } = t;
  // A multi-instance activity is entered at its body; the body starts the inner instances.
  const body = node.multiInstance ? innerBody(inst, exec, node) : null;
  const atBody = node.multiInstance !== undefined && body === null;
  const asyncBefore = atBody ? node.multiInstance!.asyncBefore : node.asyncBefore;
  if (asyncBefore && !resumeAsync && !inside) {
    // Camunda's asyncBefore: the transaction ends here; a job starts the activity later.
    exec.activityId = node.id;
    exec.activityInstanceId = null;
    exec.active = true;
    if (exec.joined) exec.joined = false;
    createJob(ctx, inst, exec, node, JOB_TYPES.asyncContinuation, { op: 'start' });
    return;
  }
  if (atBody) {
    await startBody(t, node);
    return;
  }
  const parentAi = parentActivityInstance(inst, exec);
  const now = ctx.time();
  exec.activityId = node.id;
  exec.activityInstanceId = `${node.id}:${ctx.newId()}`;
  exec.parentActivityInstanceId = parentAi;
  exec.active = true;
  exec.aiStart = now.getTime();
  if (exec.joined) exec.joined = false;
  let target = exec;
  if (isScopeActivity(node, body !== null)) {
    exec.active = false;
    target = createExecution(ctx, inst, {
      parentId: exec.id,
      scope: true,
      activityId: node.id,
      activityInstanceId: exec.activityInstanceId,
      parentActivityInstanceId: parentAi,
      scopeAi: exec.activityInstanceId,
      scopeActivityId: node.id,
    });
    target.aiStart = exec.aiStart;
  }
  const type = activityType(node);
  recordActivityStart(ctx, inst, { id: exec.activityInstanceId, parentAi, activityId: node.id, name: node.name ?? null, type, executionId: target.id, now });
  if (ctx.eventsOn) ctx.emit({ type: 'activity.started', ...ctx.instanceRef(inst), activityId: node.id, activityInstanceId: exec.activityInstanceId, activityType: type, executionId: target.id });
  const tt: Token = { ctx, inst, exec: target };
  for (const id of body ? [] : node.boundaryEvents) {
    const b = inst.graph.nodes.get(id)!;
    if (b.type !== 'boundaryEvent') continue;
    if (b.eventDefinition.kind === 'timer') scheduleTimer(ctx, inst, target, b, JOB_TYPES.timerBoundary, { boundaryId: b.id });
    else if (b.eventDefinition.kind === 'message' || b.eventDefinition.kind === 'signal' || b.eventDefinition.kind === 'conditional') subscribe(ctx, inst, target, b);
  }
  if (node.ioMapping && node.ioMapping.inputs.length && !ctx.skipIoMappings) {
    // Inputs are evaluated in the enclosing scope and become local variables of the activity's scope.
    const outer: Scope = { ctx, inst, exec };
    for (const p of node.ioMapping.inputs) {
      const v = await evaluateIoValue(outer, p.value, `input parameter '${p.name}' of ${describe(node)}`);
      ctx.setVariableLocal(inst, target, p.name, v);
    }
  }
  if (node.listeners.length) await fireExecutionListeners(scopeOf(tt), node.listeners, 'start', describe(node));
  if (inside) {
    await inside(tt);
    return;
  }
  if (triggered) {
    leave(tt, node);
    return;
  }
  const r = behaviorFor(node).execute(tt, node);
  if (r !== undefined) await r;
}

// ------------------------------------------------------------ leaving

/**
 * Camunda's default outgoing behaviour for activities: every flow whose
 * condition holds (or has none), else the default flow; no outgoing flows ends
 * the token.
 */
export function selectOutgoing(t: Token, node: FlowNode): SequenceFlow[] {
  const graph = t.inst.graph;
  if (node.outgoing.length === 0) return [];
  const chosen: SequenceFlow[] = [];
  for (const id of node.outgoing) {
    if (id === node.defaultFlow) continue;
    const flow = graph.flows.get(id)!;
    if (!flow.condition || conditionHolds(t, flow)) chosen.push(flow);
  }
  if (chosen.length) return chosen;
  if (node.defaultFlow) return [graph.flows.get(node.defaultFlow)!];
  throw new EngineError('INTERNAL', `ENGINE-02004 No outgoing sequence flow for the element with id '${node.id}' could be selected for continuing the process.`, {
    camundaType: 'ProcessEngineException',
  });
}

export function conditionHolds(t: Token, flow: SequenceFlow): boolean {
  if (!flow.condition) return true;
  if (flow.condition.kind === 'expression') return evaluateCondition(scopeOf(t), flow.condition.expression, `sequence flow '${flow.id}'`);
  throw new EngineError('INTERNAL', `Script condition on sequence flow '${flow.id}' must be evaluated asynchronously`);
}

export async function conditionHoldsAsync(t: Token, flow: SequenceFlow): Promise<boolean> {
  if (flow.condition?.kind === 'script') {
    const r = await runScript(scopeOf(t), flow.condition.script, `condition of sequence flow '${flow.id}'`);
    return r === true || r === 'true';
  }
  return conditionHolds(t, flow);
}

export async function selectOutgoingAsync(t: Token, node: FlowNode): Promise<SequenceFlow[]> {
  const graph = t.inst.graph;
  if (!node.outgoing.some((id) => graph.flows.get(id)!.condition?.kind === 'script')) return selectOutgoing(t, node);
  const chosen: SequenceFlow[] = [];
  for (const id of node.outgoing) {
    if (id === node.defaultFlow) continue;
    const flow = graph.flows.get(id)!;
    if (await conditionHoldsAsync(t, flow)) chosen.push(flow);
  }
  if (chosen.length || node.outgoing.length === 0) return chosen;
  if (node.defaultFlow) return [graph.flows.get(node.defaultFlow)!];
  return selectOutgoing(t, node);
}

/** Leaves the activity through the default outgoing behaviour. */
export function leave(token: Token, node: FlowNode): void {
  token.ctx.push('activity-leave', async () => {
    const t = live(token);
    if (!t) return;
    // An inner multi-instance activity returns to its body; only the body takes the outgoing flows.
    const flows = innerBody(t.inst, t.exec, node) ? [] : await selectOutgoingAsync(t, node);
    await endActivity(t, node, flows);
  });
}

/** Leaves through the given flows (gateways select their own). */
export function leaveVia(t: Token, node: FlowNode, flows: SequenceFlow[]): void {
  t.ctx.push('activity-end', () => endActivity(t, node, flows));
}

export async function endActivity(token: Token, node: FlowNode, flows: SequenceFlow[]): Promise<void> {
  const t = live(token);
  if (!t) return;
  const { ctx, inst, exec } = t;
  if (node.listeners.length) await fireExecutionListeners(scopeOf(t), node.listeners, 'end', describe(node));
  // Completed, not cancelled: from now on the activity can be compensated.
  keepForCompensation(ctx, inst, node, exec);
  let cont = exec;
  if (exec.scope && exec.scopeActivityId === node.id && exec.parentId !== null) {
    if (node.ioMapping && node.ioMapping.outputs.length && !ctx.skipIoMappings) {
      const parent = inst.execution(exec.parentId);
      for (const p of node.ioMapping.outputs) {
        const v = await evaluateIoValue(scopeOf(t), p.value, `output parameter '${p.name}' of ${describe(node)}`);
        ctx.setVariable(inst, parent, p.name, v);
      }
    }
    cont = inst.execution(exec.parentId);
    removeExecution(inst, exec);
    cont.active = true;
  }
  // Leaving through no flow ends the scope's token (Camunda's end(true)): the activity instance completes its scope.
  const body = node.multiInstance ? innerBody(inst, cont, node) : null;
  finishActivityInstance(ctx, inst, cont, node, false, flows.length === 0 && body === null);
  if (body) {
    await innerCompleted({ ctx, inst, exec: cont }, node, body);
    return;
  }
  if (node.asyncAfter) {
    // Camunda's asyncAfter: the activity is done; a job takes the selected flows in a new transaction.
    cont.activityId = node.id;
    cont.activityInstanceId = null;
    createJob(ctx, inst, cont, node, JOB_TYPES.asyncContinuation, { op: 'take', flows: flows.map((f) => f.id) });
    return;
  }
  takeFlows({ ctx, inst, exec: cont }, node, flows);
}

/** History of a started activity instance (when the history level records activities). */
export function recordActivityStart(
  ctx: CommandContext,
  inst: ProcessInstance,
  a: { id: string; parentAi: string | null; activityId: string; name: string | null; type: string; executionId: string; now: Date },
): void {
  if (!ctx.history.activityEnabled) return;
  ctx.history.activityStarted({
    id: a.id,
    parentActivityInstanceId: a.parentAi,
    activityId: a.activityId,
    activityName: a.name,
    activityType: a.type,
    instanceId: inst.id,
    executionId: a.executionId,
    definitionId: inst.definition.id,
    definitionKey: inst.definition.key,
    taskId: null,
    calledProcessInstanceId: null,
    assignee: null,
    startTime: a.now,
    endTime: null,
    durationMs: null,
    canceled: false,
    completeScope: false,
    sequenceCounter: inst.nextSeq(),
    tenantId: inst.tenantId,
    removalTime: null,
  });
}

/**
 * Schedules a timer job for a timer event (catch, boundary) on an execution;
 * the timer definition may be an expression.
 */
export function scheduleTimer(ctx: CommandContext, inst: ProcessInstance, exec: ExecutionDoc, node: FlowNode, type: string, config: Record<string, unknown>): void {
  if (!('eventDefinition' in node) || node.eventDefinition.kind !== 'timer') return;
  const def = node.eventDefinition.timer;
  const value = evaluate({ ctx, inst, exec }, def.expression);
  let schedule: ReturnType<typeof firstDue>;
  try {
    schedule = firstDue(def.type, value, ctx.time());
  } catch (e) {
    throw new BadUserInputError(`Timer of ${describe(node)}: ${(e as Error).message}`, def.type);
  }
  createJob(ctx, inst, exec, node, type, config, schedule.due, schedule.repeat);
}

export function finishActivityInstance(ctx: CommandContext, inst: ProcessInstance, exec: ExecutionDoc, node: FlowNode, canceled: boolean, completeScope = !canceled && node.type === 'endEvent'): void {
  const ai = exec.activityInstanceId;
  if (!ai) return;
  const now = ctx.time();
  if (ctx.history.activityEnabled) {
    const start = exec.aiStart !== undefined ? new Date(exec.aiStart) : now;
    ctx.history.activityEnded(ai, start, now, canceled, !canceled && completeScope);
  }
  if (ctx.eventsOn) ctx.emit({ type: 'activity.ended', ...ctx.instanceRef(inst), activityId: node.id, activityInstanceId: ai, activityType: activityType(node), executionId: exec.id, canceled });
}

export function removeExecution(inst: ProcessInstance, exec: ExecutionDoc): void {
  for (const c of inst.children(exec, true)) removeExecution(inst, c);
  inst.executions.delete(exec.id);
}

export function takeFlows(t: Token, node: FlowNode, flows: SequenceFlow[]): void {
  const { ctx, inst, exec } = t;
  if (flows.length === 0) {
    ctx.push('execution-end', () => endExecution(t));
    return;
  }
  if (flows.length === 1) {
    scheduleTake(t, flows[0]!);
    return;
  }
  // Fork: a sole token turns its scope execution into the parent of concurrent executions.
  const tokens: ExecutionDoc[] = [];
  if (!exec.concurrent) {
    exec.active = false;
    exec.activityId = null;
    exec.activityInstanceId = null;
    exec.parentActivityInstanceId = null;
    for (let i = 0; i < flows.length; i++) tokens.push(createExecution(ctx, inst, { parentId: exec.id, concurrent: true, activityId: node.id }));
  } else {
    tokens.push(exec);
    for (let i = 1; i < flows.length; i++) tokens.push(createExecution(ctx, inst, { parentId: exec.parentId, concurrent: true, activityId: node.id }));
  }
  for (let i = flows.length - 1; i >= 0; i--) scheduleTake({ ctx, inst, exec: tokens[i]! }, flows[i]!);
}

function scheduleTake(token: Token, flow: SequenceFlow): void {
  token.ctx.push('transition-take', async () => {
    const t = live(token);
    if (!t) return;
    if (flow.listeners.length) await fireExecutionListeners({ ...scopeOf(t), transitionId: flow.id }, flow.listeners, 'take', `sequence flow '${flow.id}'`);
    await startActivity(t, t.inst.graph.nodes.get(flow.targetRef)!);
  });
}

// ------------------------------------------------------------ ending

/** A token reached its end (an end event, or an activity without outgoing flows). */
export async function endExecution(token: Token): Promise<void> {
  const t = live(token);
  if (!t) return;
  const { ctx, inst, exec } = t;
  if (!exec.concurrent) {
    await completeScope({ ctx, inst, exec });
    return;
  }
  const scope = inst.execution(exec.parentId!);
  removeExecution(inst, exec);
  const rest = inst.children(scope);
  if (rest.length === 0) {
    scope.active = true;
    await completeScope({ ctx, inst, exec: scope });
    return;
  }
  pruneConcurrency(ctx, inst, scope);
  await retryInclusiveJoins(ctx, inst, scope);
}

/**
 * When one concurrent execution is left, the scope execution takes its place
 * again (Camunda prunes the last concurrent child), so a joined or
 * single-branch process has the same execution tree as before the fork.
 */
export function pruneConcurrency(ctx: CommandContext, inst: ProcessInstance, scope: ExecutionDoc): void {
  const rest = inst.children(scope);
  if (rest.length !== 1) return;
  const last = rest[0]!;
  // A compensating execution keeps its place: it runs away from its flow scope, below the throwing event.
  if (!last.concurrent || last.joined || last.calledInstanceId || last.flowScopeAi !== undefined) return;
  scope.activityId = last.activityId;
  scope.activityInstanceId = last.activityInstanceId;
  scope.parentActivityInstanceId = last.parentActivityInstanceId;
  scope.active = last.active;
  if (last.aiStart) scope.aiStart = last.aiStart;
  moveVariables(ctx, inst, last, scope);
  for (const c of inst.children(last)) c.parentId = scope.id;
  for (const task of inst.tasks.values()) if (task.executionId === last.id) task.executionId = scope.id;
  inst.executions.delete(last.id);
  inst.replacedBy.set(last.id, scope.id);
}

/**
 * Compaction moves the replaced execution's variables to the scope execution,
 * overwriting variables of the same name there (Camunda's ExecutionEntity.replace).
 */
function moveVariables(ctx: CommandContext, inst: ProcessInstance, from: ExecutionDoc, to: ExecutionDoc): void {
  for (const v of from.vars) {
    if (to.vars.some((x) => x.name === v.name)) ctx.setVariableLocal(inst, to, v.name, normalizeTypedValue(loadValue(v.value), v.name));
    else to.vars.push(v);
  }
  from.vars = [];
}

/** All tokens of a scope are done: leave the scope activity, or end the process instance. */
export async function completeScope(t: Token): Promise<void> {
  const { ctx, inst, exec } = t;
  if (exec.parentId === null) {
    await endInstance(ctx, inst, 'COMPLETED', exec.activityId);
    return;
  }
  if (await completeCompensation(t)) return;
  const node = inst.graph.nodes.get(exec.scopeActivityId!)!;
  exec.activityId = node.id;
  exec.activityInstanceId = exec.scopeAi;
  exec.active = true;
  const flows = innerBody(inst, exec, node) ? [] : await selectOutgoingAsync(t, node);
  await endActivity(t, node, flows);
}

export async function endInstance(ctx: CommandContext, inst: ProcessInstance, state: InstanceState, endActivityId: string | null, deleteReason: string | null = null): Promise<void> {
  if (inst.ended) return;
  const root = inst.root();
  // Camunda notifies the process's end listeners however the instance ends; a deleted one sees isCanceled().
  if (inst.graph.listeners.length) {
    await fireExecutionListeners({ ctx, inst, exec: root, canceled: state !== 'COMPLETED' }, inst.graph.listeners, 'end', `process '${inst.graph.id}'`);
  }
  const now = ctx.time();
  const removal = inst.definition.historyTimeToLive !== null ? new Date(now.getTime() + inst.definition.historyTimeToLive * 86_400_000) : null;
  ctx.history.processEnded(inst.id, now, inst.startTime, state, endActivityId, deleteReason, removal);
  if (removal) ctx.markRemoval(inst, removal);
  inst.ended = true;
  inst.endState = state;
  ctx.emit({ type: 'instance.ended', ...ctx.instanceRef(inst), state });
  if (inst.superInstanceId && inst.superExecutionId && state === 'COMPLETED') {
    const parent = await ctx.loadInstance(inst.superInstanceId);
    const superExec = parent.executions.get(inst.superExecutionId);
    if (superExec) {
      const node = parent.graph.nodes.get(superExec.activityId!)!;
      const behavior = behaviorFor(node);
      if (behavior.subInstanceEnded) await behavior.subInstanceEnded({ ctx, inst: parent, exec: superExec }, node, inst);
    }
  }
}

// ------------------------------------------------------------ joins

/** Executions of a scope waiting at the given join. */
export function joinedAt(inst: ProcessInstance, scope: ExecutionDoc, nodeId: string): ExecutionDoc[] {
  return inst.children(scope).filter((c) => c.joined && c.activityId === nodeId);
}

/**
 * Activates a join with the waiting executions: the others end, one continues.
 * When no other token is left in the scope, the scope execution continues itself.
 */
export function activateJoin(t: Token, node: FlowNode, joined: ExecutionDoc[]): Token {
  const { ctx, inst, exec } = t;
  if (!exec.concurrent) return t;
  const scope = inst.execution(exec.parentId!);
  const others = inst.children(scope).filter((c) => !joined.includes(c));
  for (const j of joined) {
    if (j === exec) continue;
    finishActivityInstance(ctx, inst, j, node, false);
    removeExecution(inst, j);
  }
  if (exec.joined) exec.joined = false;
  exec.active = true;
  if (others.length === 0) {
    scope.activityId = node.id;
    scope.activityInstanceId = exec.activityInstanceId;
    scope.parentActivityInstanceId = exec.parentActivityInstanceId;
    if (exec.aiStart) scope.aiStart = exec.aiStart;
    scope.active = true;
    for (const v of exec.vars) if (!scope.vars.some((x) => x.name === v.name)) scope.vars.push(v);
    removeExecution(inst, exec);
    return { ctx, inst, exec: scope };
  }
  return t;
}

/** Graph reachability inside one scope, for inclusive gateway joins. */
export function canReach(inst: ProcessInstance, fromId: string, targetId: string): boolean {
  const seen = new Set<string>();
  const stack = [fromId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = inst.graph.nodes.get(id);
    if (!node) continue;
    for (const f of node.outgoing) {
      const target = inst.graph.flows.get(f)!.targetRef;
      if (target === targetId) return true;
      stack.push(target);
    }
  }
  return false;
}

/** Tokens of the scope that could still arrive at the inclusive join. */
export function inclusiveJoinBlocked(inst: ProcessInstance, scope: ExecutionDoc, nodeId: string): boolean {
  for (const c of inst.children(scope)) {
    if (c.joined && c.activityId === nodeId) continue;
    const at = c.activityId;
    if (at && (at === nodeId || canReach(inst, at, nodeId))) return true;
  }
  return false;
}

async function retryInclusiveJoins(ctx: CommandContext, inst: ProcessInstance, scope: ExecutionDoc): Promise<void> {
  const waiting = inst.children(scope).filter((c) => c.joined);
  const done = new Set<string>();
  for (const w of waiting) {
    const node = inst.graph.nodes.get(w.activityId!)!;
    if (node.type !== 'inclusiveGateway' || done.has(node.id)) continue;
    done.add(node.id);
    if (!inclusiveJoinBlocked(inst, scope, node.id)) {
      const joined = joinedAt(inst, scope, node.id);
      const last = joined[joined.length - 1]!;
      const cont = activateJoin({ ctx, inst, exec: last }, node, joined);
      const behavior = behaviorFor(node);
      if (behavior.leaveJoin) behavior.leaveJoin(cont, node);
    }
  }
}

// ------------------------------------------------------------ cancellation

/**
 * Cancels everything below (and including) an execution: open activity
 * instances end as canceled, tasks are deleted, called instances are cancelled.
 * As in Camunda (without skipCustomListeners), every cancelled activity's end
 * listeners run, innermost first, with `execution.isCanceled()` true, and then
 * the delete listeners of its task.
 */
export async function cancelExecutionTree(
  ctx: CommandContext,
  inst: ProcessInstance,
  exec: ExecutionDoc,
  reason: string,
  includeSelf: boolean,
  ended: Set<string> = new Set(),
  /** How called instances end: cancelled from outside (delete) or by the process itself (terminate end event), as Camunda's externallyTerminated flag. */
  calledState: InstanceState = 'EXTERNALLY_TERMINATED',
): Promise<void> {
  for (const c of inst.children(exec)) await cancelExecutionTree(ctx, inst, c, reason, true, ended, calledState);
  const node = exec.activityId ? inst.graph.nodes.get(exec.activityId) : undefined;
  const ai = exec.activityInstanceId;
  // A scope child shares its activity instance with its parent: its listeners run once, in the scope execution that holds the activity's local variables.
  if (node && ai && !exec.joined && !ended.has(ai)) {
    ended.add(ai);
    if (node.listeners.length) await fireExecutionListeners({ ctx, inst, exec, canceled: true }, node.listeners, 'end', describe(node));
  }
  const { deleteTask } = await import('./behaviors/user-task.behavior.js');
  for (const task of [...inst.tasks.values()]) {
    if (task.executionId !== exec.id) continue;
    const taskNode = inst.graph.nodes.get(task.taskDefinitionKey);
    if (taskNode?.type === 'userTask' && taskNode.taskListeners.length) {
      await fireTaskListeners({ ctx, inst, exec, task }, taskNode.taskListeners, 'delete', describe(taskNode));
    }
    deleteTask(ctx, inst, task, 'deleted');
  }
  if (exec.calledInstanceId) {
    const sub = await ctx.loadInstance(exec.calledInstanceId);
    await cancelInstance(ctx, sub, reason, calledState);
  }
  const parent = exec.parentId ? inst.executions.get(exec.parentId) : undefined;
  // A scope child shares its activity instance with its parent; end it once.
  const sharedWithParent = parent && parent.activityInstanceId === exec.activityInstanceId;
  if (node && exec.activityInstanceId && !sharedWithParent && !exec.joined) finishActivityInstance(ctx, inst, exec, node, true);
  if (includeSelf) inst.executions.delete(exec.id);
}

export async function cancelInstance(ctx: CommandContext, inst: ProcessInstance, reason: string, state: InstanceState): Promise<void> {
  if (inst.ended) return;
  const root = inst.root();
  await cancelExecutionTree(ctx, inst, root, reason, false, new Set(), state);
  await endInstance(ctx, inst, state, root.activityId, reason);
}
