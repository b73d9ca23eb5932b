/**
 * Camunda's process instance modification (RuntimeService.createProcessInstanceModification,
 * REST `POST /process-instance/{id}/modification`): start before or after an
 * activity, start a transition, cancel activity or transition instances. The
 * instructions run in order in one command; each runs to its wait states
 * before the next. Starting inside a scope that has no instance creates the
 * missing scope instances; an instance left without any token ends.
 *
 * A new instance started at chosen activities (Camunda's ProcessInstantiationBuilder)
 * runs its start instructions through the same machinery (`runStartInstructions`).
 */
import { BadUserInputError } from '../errors.js';
import type { FlowNode, SequenceFlow } from '../model/graph.js';
import { activityInstanceTree, type ActivityInstance } from './activity-instance-tree.js';
import type { CommandContext } from './command-context.js';
import { registerEventSubprocesses } from './event-subprocess.js';
import { activityType, cancelExecutionTree, cancelInstance, createExecution, pruneConcurrency, startActivity, takeFlows, type Token } from './operations.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc } from './state.js';

export type ModificationInstructionType = 'startBeforeActivity' | 'startAfterActivity' | 'startTransition' | 'cancel';

/** One instruction, in the shape of Camunda's REST API. */
export interface ModificationInstruction {
  type: ModificationInstructionType;
  activityId?: string | null;
  transitionId?: string | null;
  activityInstanceId?: string | null;
  transitionInstanceId?: string | null;
  /** Start instructions: the scope instance to start in, when the activity's scope has several instances. */
  ancestorActivityInstanceId?: string | null;
  /** Start instructions: variables set locally on the new execution before the activity starts. */
  variables?: Record<string, unknown>;
  /** Start instructions: variables set as Camunda's `setVariable` does (where they exist, else on the instance). */
  variablesGlobal?: Record<string, unknown>;
}

export type StartInstructionType = Exclude<ModificationInstructionType, 'cancel'>;

/**
 * One start instruction of a new process instance (Camunda's ProcessInstantiationBuilder
 * and the REST `startInstructions`): a modification instruction that starts
 * something. A new instance has no activity instance yet to name as ancestor.
 */
export interface StartInstruction extends Pick<ModificationInstruction, 'activityId' | 'transitionId' | 'variables' | 'variablesGlobal'> {
  type: StartInstructionType;
}

const START_TYPES: readonly StartInstructionType[] = ['startBeforeActivity', 'startAfterActivity', 'startTransition'];

export interface ModificationOptions {
  instructions: ModificationInstruction[];
  /** Execution and task listeners of the model do not run for the rest of the command. Default false. */
  skipCustomListeners?: boolean;
  /** Input and output mappings are not evaluated for the rest of the command. Default false. */
  skipIoMappings?: boolean;
  /** Annotation of the operation (Camunda's user operation log, which CadenzaFlow does not keep: accepted and dropped). */
  annotation?: string | null;
  /**
   * An instance the modification leaves without tokens ends EXTERNALLY_TERMINATED when true,
   * INTERNALLY_TERMINATED when false (Camunda's cancellationSourceExternal). Default false.
   */
  cancellationSourceExternal?: boolean;
}

const CANCEL_REASON = 'Cancellation due to process instance modification';

export async function modifyInstance(ctx: CommandContext, inst: ProcessInstance, opts: ModificationOptions): Promise<void> {
  if (!Array.isArray(opts.instructions) || opts.instructions.length === 0) {
    throw new BadUserInputError('Modification instructions cannot be empty', 'instructions');
  }
  ctx.skipCustomListeners = opts.skipCustomListeners === true;
  ctx.skipIoMappings = opts.skipIoMappings === true;
  for (const ins of opts.instructions) {
    if (inst.ended) throw new BadUserInputError(`Cannot perform instruction: ${what(ins)}: process instance '${inst.id}' has already ended`, 'instructions');
    if (ins.type === 'cancel') await cancel(ctx, inst, ins, opts);
    else await start(ctx, inst, ins);
    await ctx.runAgenda();
  }
  if (!inst.ended && tokenless(inst)) await cancelInstance(ctx, inst, CANCEL_REASON, terminated(opts));
}

/**
 * Runs the start instructions of a new instance (Camunda's
 * StartProcessInstanceAtActivitiesCmd): in order, each to its wait states,
 * creating the scope instances above its activity without running their start
 * events. A refused instruction is named by its index, e.g. `startInstructions[1].activityId`.
 */
export async function runStartInstructions(ctx: CommandContext, inst: ProcessInstance, instructions: readonly StartInstruction[]): Promise<void> {
  for (const [i, given] of instructions.entries()) {
    const at = `startInstructions[${i}]`;
    if (!START_TYPES.includes(given.type)) {
      throw new BadUserInputError(`Start instruction ${i} has the unknown type '${String(given.type)}'; expected ${START_TYPES.join(', ')}`, `${at}.type`);
    }
    const ins: ModificationInstruction = { type: given.type };
    if (given.activityId != null) ins.activityId = given.activityId;
    if (given.transitionId != null) ins.transitionId = given.transitionId;
    if (given.variables) ins.variables = given.variables;
    if (given.variablesGlobal) ins.variablesGlobal = given.variablesGlobal;
    // Camunda keeps the instance alive between instructions (preserveScope); here an earlier one that ran to the end refuses the rest.
    if (inst.ended) throw new BadUserInputError(`Cannot perform start instruction ${i}: ${what(ins)}; an earlier instruction already ended the process instance`, at);
    try {
      await start(ctx, inst, ins);
    } catch (e) {
      if (e instanceof InstructionError) throw new BadUserInputError(`Cannot perform start instruction ${i}: ${what(ins)}; ${e.reason}`, `${at}.${e.field}`);
      throw e;
    }
    await ctx.runAgenda();
  }
}

/** An instruction the engine refuses; modification reports it as is, instantiation adds the instruction's index. */
class InstructionError extends BadUserInputError {
  constructor(
    message: string,
    readonly reason: string,
    override readonly field: string,
  ) {
    super(message, field);
  }
}

function what(ins: ModificationInstruction): string {
  if (ins.type === 'startBeforeActivity') return `Start before activity '${ins.activityId}'`;
  if (ins.type === 'startAfterActivity') return `Start after activity '${ins.activityId}'`;
  if (ins.type === 'startTransition') return `Start transition '${ins.transitionId}'`;
  if (ins.activityInstanceId) return `Cancel activity instance '${ins.activityInstanceId}'`;
  if (ins.transitionInstanceId) return `Cancel transition instance '${ins.transitionInstanceId}'`;
  return `Cancel all of activity '${ins.activityId}'`;
}

function fail(ins: ModificationInstruction, reason: string, field: string): never {
  throw new InstructionError(`Cannot perform instruction: ${what(ins)}; ${reason}`, reason, field);
}

function terminated(opts: ModificationOptions): 'EXTERNALLY_TERMINATED' | 'INTERNALLY_TERMINATED' {
  return opts.cancellationSourceExternal === true ? 'EXTERNALLY_TERMINATED' : 'INTERNALLY_TERMINATED';
}

async function start(ctx: CommandContext, inst: ProcessInstance, ins: ModificationInstruction): Promise<void> {
  const graph = inst.graph;
  switch (ins.type) {
    case 'startBeforeActivity': {
      if (!ins.activityId) fail(ins, "'activityId' must be set", 'activityId');
      const node = graph.nodes.get(ins.activityId);
      if (!node) fail(ins, `Element '${ins.activityId}' does not exist in process '${inst.definition.id}'`, 'activityId');
      const token = await tokenIn(ctx, inst, ins, node.parentId);
      setVariables(ctx, inst, token.exec, ins);
      await startActivity(token, node);
      return;
    }
    case 'startAfterActivity': {
      if (!ins.activityId) fail(ins, "'activityId' must be set", 'activityId');
      const node = graph.nodes.get(ins.activityId);
      if (!node) fail(ins, `Element '${ins.activityId}' does not exist in process '${inst.definition.id}'`, 'activityId');
      if (node.outgoing.length === 0) fail(ins, `Element '${node.id}' has no outgoing sequence flow to take`, 'activityId');
      if (node.outgoing.length > 1) fail(ins, `Element '${node.id}' has more than one outgoing sequence flow`, 'activityId');
      await startFlow(ctx, inst, ins, node, graph.flows.get(node.outgoing[0]!)!);
      return;
    }
    case 'startTransition': {
      if (!ins.transitionId) fail(ins, "'transitionId' must be set", 'transitionId');
      const flow = graph.flows.get(ins.transitionId);
      if (!flow) fail(ins, `Element '${ins.transitionId}' does not exist in process '${inst.definition.id}'`, 'transitionId');
      await startFlow(ctx, inst, ins, graph.nodes.get(flow.sourceRef)!, flow);
      return;
    }
    default:
      throw new BadUserInputError(`Unknown modification instruction type '${String((ins as { type: unknown }).type)}'; expected startBeforeActivity, startAfterActivity, startTransition or cancel`, 'type');
  }
}

async function startFlow(ctx: CommandContext, inst: ProcessInstance, ins: ModificationInstruction, source: FlowNode, flow: SequenceFlow): Promise<void> {
  const token = await tokenIn(ctx, inst, ins, source.parentId);
  token.exec.activityId = source.id;
  token.exec.activityInstanceId = null;
  setVariables(ctx, inst, token.exec, ins);
  takeFlows(token, source, [flow]);
}

function setVariables(ctx: CommandContext, inst: ProcessInstance, exec: ExecutionDoc, ins: ModificationInstruction): void {
  for (const [k, v] of Object.entries(ins.variablesGlobal ?? {})) ctx.setVariable(inst, exec, k, v);
  for (const [k, v] of Object.entries(ins.variables ?? {})) ctx.setVariableLocal(inst, exec, k, v);
}

// ------------------------------------------------------------ scopes

/** Flow scopes from the process down to `scopeId` (null: the process). */
function scopeChain(inst: ProcessInstance, scopeId: string | null): (string | null)[] {
  const chain: (string | null)[] = [];
  for (let id = scopeId; id !== null; id = inst.graph.nodes.get(id)!.parentId) chain.unshift(id);
  chain.unshift(null);
  return chain;
}

/** Running instances of a scope: the scope executions (the root for the process). */
function scopeExecutions(inst: ProcessInstance, scopeId: string | null): ExecutionDoc[] {
  if (scopeId === null) return [inst.root()];
  return [...inst.executions.values()].filter((e) => e.scope && e.eventScope === undefined && !e.miBody && e.scopeActivityId === scopeId && e.parentId !== null);
}

/**
 * A new token in the innermost existing instance of the activity's flow
 * scopes (the ancestor instance when named), after creating the missing scope
 * instances between it and the activity, as Camunda instantiates the scope hierarchy.
 */
async function tokenIn(ctx: CommandContext, inst: ProcessInstance, ins: ModificationInstruction, scopeId: string | null): Promise<Token> {
  const chain = scopeChain(inst, scopeId);
  for (const id of chain.slice(1)) {
    const n = inst.graph.nodes.get(id!)!;
    if (n.multiInstance) fail(ins, `starting inside multi-instance ${n.type} '${n.id}' is not supported by CadenzaFlow yet`, 'activityId');
    if (n.type === 'subProcess' && n.triggeredByEvent) fail(ins, `starting inside event subprocess '${n.id}' is not supported by CadenzaFlow yet`, 'activityId');
  }
  let level: number;
  let scope: ExecutionDoc;
  if (ins.ancestorActivityInstanceId) {
    const ancestor = ins.ancestorActivityInstanceId;
    const found = chain
      .map((id, i) => ({ i, e: scopeExecutions(inst, id).find((e) => (id === null ? inst.id : e.scopeAi) === ancestor) }))
      .find((x) => x.e !== undefined);
    if (!found) fail(ins, `Ancestor activity instance '${ancestor}' does not exist or is not an ancestor scope of the activity`, 'ancestorActivityInstanceId');
    level = found.i;
    scope = found.e!;
  } else {
    level = chain.length - 1;
    for (;;) {
      const candidates = scopeExecutions(inst, chain[level]!);
      if (candidates.length > 1) {
        fail(ins, `Ancestor activity instance id is required: scope '${chain[level]}' has ${candidates.length} instances`, 'ancestorActivityInstanceId');
      }
      if (candidates.length === 1) {
        scope = candidates[0]!;
        break;
      }
      level--;
    }
  }
  let token = newToken(ctx, inst, ins, scope);
  for (const id of chain.slice(level + 1)) {
    const node = inst.graph.nodes.get(id!)!;
    let entered = null as Token | null;
    await startActivity(token, node, false, false, async (t) => {
      registerEventSubprocesses(t.ctx, t.inst, t.exec);
      entered = t;
    });
    if (!entered) fail(ins, `scope '${node.id}' could not be instantiated`, 'activityId');
    token = entered;
  }
  return token;
}

/**
 * A token of a scope execution for a new activity: the scope execution itself
 * when it has none, else a new concurrent execution (the current token turns
 * concurrent first, as in Camunda's execution tree).
 */
function newToken(ctx: CommandContext, inst: ProcessInstance, ins: ModificationInstruction, scope: ExecutionDoc): Token {
  const children = inst.children(scope);
  const empty = children.length === 0 && (scope.parentId === null ? scope.activityId === null : scope.activityId === scope.scopeActivityId && scope.activityInstanceId === scope.scopeAi);
  if (empty) return { ctx, inst, exec: scope };
  if (!children.some((c) => c.concurrent)) {
    if (scope.calledInstanceId) fail(ins, `execution '${scope.id}' waits for a called process instance and cannot be made concurrent by CadenzaFlow yet`, 'activityId');
    const moved = createExecution(ctx, inst, {
      parentId: scope.id,
      concurrent: true,
      active: scope.active,
      activityId: scope.activityId,
      activityInstanceId: scope.activityInstanceId,
      parentActivityInstanceId: scope.parentActivityInstanceId,
    });
    if (scope.aiStart !== undefined) moved.aiStart = scope.aiStart;
    if (scope.joined) moved.joined = true;
    for (const c of children) c.parentId = moved.id;
    for (const task of inst.tasks.values()) if (task.executionId === scope.id) task.executionId = moved.id;
    // What waits at the token moves with it; event subprocess starts and compensation stay with the scope.
    for (const map of [inst.jobs, inst.externalTasks, inst.subscriptions, inst.incidents, inst.pendingCalls] as Map<string, { executionId: string; activityId: string; type?: string }>[]) {
      for (const [id, x] of map) {
        if (x.executionId !== scope.id || x.type === 'compensate' || isEventSubprocessStart(inst, x.activityId)) continue;
        x.executionId = moved.id;
        // Job and incident rows change only through explicit patches (see ProcessInstance.mutations).
        if (map === inst.jobs) inst.extraMutations.push({ table: 'job', op: 'patch', id, set: { executionId: moved.id } });
        else if (map === inst.incidents) inst.extraMutations.push({ table: 'incident', op: 'patch', id, set: { executionId: moved.id } });
      }
    }
    scope.activityId = null;
    scope.activityInstanceId = null;
    scope.parentActivityInstanceId = null;
    scope.active = false;
    delete scope.aiStart;
    if (scope.joined) scope.joined = false;
  }
  return { ctx, inst, exec: createExecution(ctx, inst, { parentId: scope.id, concurrent: true }) };
}

function isEventSubprocessStart(inst: ProcessInstance, activityId: string | null): boolean {
  const node = activityId ? inst.graph.nodes.get(activityId) : undefined;
  if (!node || node.type !== 'startEvent' || node.parentId === null) return false;
  const parent = inst.graph.nodes.get(node.parentId);
  return parent?.type === 'subProcess' && parent.triggeredByEvent;
}

/** No token left anywhere: the root waits at nothing and has no children. */
function tokenless(inst: ProcessInstance): boolean {
  const root = inst.root();
  return root.activityId === null && inst.children(root).length === 0;
}

// ------------------------------------------------------------ cancellation

function findInstance(tree: ActivityInstance, id: string): ActivityInstance | null {
  if (tree.id === id) return tree;
  for (const c of tree.childActivityInstances) {
    const f = findInstance(c, id);
    if (f) return f;
  }
  return null;
}

function collect(tree: ActivityInstance, activityId: string, ais: string[], tis: string[]): void {
  for (const c of tree.childActivityInstances) {
    if (c.activityId === activityId) ais.push(c.id);
    collect(c, activityId, ais, tis);
  }
  for (const t of tree.childTransitionInstances) if (t.activityId === activityId) tis.push(t.id);
}

function tree(inst: ProcessInstance): ActivityInstance {
  return activityInstanceTree(inst, (id) => activityType(inst.graph.nodes.get(id)!));
}

async function cancel(ctx: CommandContext, inst: ProcessInstance, ins: ModificationInstruction, opts: ModificationOptions): Promise<void> {
  if (ins.activityInstanceId) {
    if (ins.activityInstanceId === inst.id) {
      await cancelInstance(ctx, inst, CANCEL_REASON, terminated(opts));
      return;
    }
    if (!findInstance(tree(inst), ins.activityInstanceId)) fail(ins, `Activity instance '${ins.activityInstanceId}' does not exist`, 'activityInstanceId');
    await cancelActivityInstance(ctx, inst, ins.activityInstanceId);
    return;
  }
  if (ins.transitionInstanceId) {
    const exec = inst.executions.get(ins.transitionInstanceId);
    if (!exec || !hasTransition(inst, exec)) fail(ins, `Transition instance '${ins.transitionInstanceId}' does not exist`, 'transitionInstanceId');
    await cancelToken(ctx, inst, exec);
    return;
  }
  if (!ins.activityId) fail(ins, "one of 'activityId', 'activityInstanceId' or 'transitionInstanceId' must be set", 'activityId');
  if (!inst.graph.nodes.has(ins.activityId)) fail(ins, `Element '${ins.activityId}' does not exist in process '${inst.definition.id}'`, 'activityId');
  const ais: string[] = [];
  const tis: string[] = [];
  collect(tree(inst), ins.activityId, ais, tis);
  for (const ai of ais) {
    // An earlier cancellation may have taken this one with it (its scope ended).
    if (inst.ended || !findInstance(tree(inst), ai)) continue;
    await cancelActivityInstance(ctx, inst, ai);
  }
  for (const ti of tis) {
    const exec = inst.ended ? undefined : inst.executions.get(ti);
    if (exec && hasTransition(inst, exec)) await cancelToken(ctx, inst, exec);
  }
}

function hasTransition(inst: ProcessInstance, exec: ExecutionDoc): boolean {
  for (const j of inst.jobs.values()) if (j.executionId === exec.id && j.type === 'async-continuation') return true;
  return false;
}

/** The outermost execution holding the activity instance (a scope activity's token, not its scope execution). */
async function cancelActivityInstance(ctx: CommandContext, inst: ProcessInstance, ai: string): Promise<void> {
  const holders = [...inst.executions.values()].filter((e) => e.activityInstanceId === ai && !e.joined);
  const holder = holders.find((e) => e.parentId === null || inst.executions.get(e.parentId)?.activityInstanceId !== ai) ?? holders[0];
  if (holder) await cancelToken(ctx, inst, holder);
}

/**
 * Cancels what the token holds. A scope left without tokens is cancelled
 * with it, up to the process instance (Camunda's topmost cancellable
 * execution); the instance itself ends once all instructions ran.
 */
async function cancelToken(ctx: CommandContext, inst: ProcessInstance, token: ExecutionDoc): Promise<void> {
  if (token.parentId === null) {
    const activityId = token.activityId;
    await cancelExecutionTree(ctx, inst, token, CANCEL_REASON, false);
    for (const map of [inst.jobs, inst.externalTasks, inst.subscriptions, inst.pendingCalls] as Map<string, { executionId: string; activityId: string }>[]) {
      for (const [id, x] of map) if (x.executionId === token.id && x.activityId === activityId) map.delete(id);
    }
    token.activityId = null;
    token.activityInstanceId = null;
    token.parentActivityInstanceId = null;
    token.active = false;
    delete token.aiStart;
    return;
  }
  if (!token.concurrent) {
    // The sole token of its scope: the scope instance goes with it.
    await cancelToken(ctx, inst, inst.execution(token.parentId));
    return;
  }
  const scope = inst.execution(token.parentId);
  const rest = inst.children(scope).filter((c) => c !== token);
  if (rest.length === 0) {
    await cancelToken(ctx, inst, scope);
    return;
  }
  await cancelExecutionTree(ctx, inst, token, CANCEL_REASON, true);
  pruneConcurrency(ctx, inst, scope);
}
