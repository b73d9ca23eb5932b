/** Creating and starting process instances (also the ones call activities start). */
import { BadUserInputError, EngineError } from '../errors.js';
import type { FlowNode, ProcessGraph } from '../model/graph.js';
import type { CommandContext } from './command-context.js';
import { fireExecutionListeners } from './evaluation.js';
import { registerEventSubprocesses } from './event-subprocess.js';
import { runStartInstructions, type StartInstruction } from './modification.js';
import { createExecution, scheduleStart } from './operations.js';
import { ProcessInstance } from './process-instance.js';
import type { DeployedProcess } from './services.js';

export interface NewInstance {
  businessKey?: string | null;
  superInstanceId?: string | null;
  superExecutionId?: string | null;
  rootInstanceId?: string | null;
  /** Shorthand for `instructions` that start before each of these activities (how event-triggered start events start their instance). */
  startBefore?: string[];
  /**
   * Start at these activities instead of the none start event (Camunda's
   * ProcessInstantiationBuilder): the start event does not run, the scopes
   * above each activity are instantiated. Empty means the none start event.
   */
  instructions?: readonly StartInstruction[];
  /** With instructions only: the model's execution and task listeners (the process's too) do not run in the start command. Default false. */
  skipCustomListeners?: boolean;
  /** With instructions only: input and output mappings are not evaluated in the start command. Default false. */
  skipIoMappings?: boolean;
}

export function createInstance(ctx: CommandContext, deployed: DeployedProcess, opts: NewInstance): ProcessInstance {
  const { definition, graph } = deployed;
  if (!definition.executable) {
    throw new BadUserInputError(`Process definition '${definition.id}' is not executable (isExecutable="false") and cannot be started`, 'processDefinitionId');
  }
  if (definition.suspended) {
    throw new EngineError('BAD_USER_INPUT', `Cannot start process instance. Process definition ${graph.name ?? definition.key} (id = ${definition.id}) is suspended`, {
      camundaType: 'SuspendedEntityInteractionException',
    });
  }
  const id = ctx.newId();
  const inst = new ProcessInstance({
    id,
    definition,
    graph,
    businessKey: opts.businessKey ?? null,
    tenantId: definition.tenantId,
    suspended: false,
    superInstanceId: opts.superInstanceId ?? null,
    superExecutionId: opts.superExecutionId ?? null,
    rootInstanceId: opts.rootInstanceId ?? id,
    startTime: ctx.time(),
    startUserId: ctx.userId,
    rev: 0,
  });
  ctx.addInstance(inst);
  createExecution(ctx, inst, { id, parentId: null, scope: true, scopeAi: id, activityId: null });
  return inst;
}

/** The instructions the start follows, or null for a start at the none start event. */
function instructionsOf(opts: NewInstance): readonly StartInstruction[] | null {
  const shorthand = opts.startBefore?.length ? opts.startBefore.map((activityId): StartInstruction => ({ type: 'startBeforeActivity', activityId })) : null;
  const given = opts.instructions?.length ? opts.instructions : null;
  if (shorthand && given) throw new BadUserInputError('Give either start instructions or activities to start before, not both', 'startInstructions');
  const instructions = given ?? shorthand;
  // Camunda refuses to skip anything at the none start event (ProcessInstantiationBuilder.execute).
  if (!instructions && (opts.skipCustomListeners || opts.skipIoMappings)) {
    throw new BadUserInputError('Custom listeners and input/output mappings can only be skipped when the process instance starts with start instructions', opts.skipCustomListeners ? 'skipCustomListeners' : 'skipIoMappings');
  }
  return instructions;
}

function noneStartEvent(graph: ProcessGraph): FlowNode {
  const start = graph.children.map((id) => graph.nodes.get(id)!).find((n) => n.type === 'startEvent' && n.eventDefinition.kind === 'none');
  if (!start) throw new BadUserInputError(`Process '${graph.id}' has no none start event and cannot be started this way`, 'processDefinitionKey');
  return start;
}

/**
 * The activity the first instruction starts, which history records as the
 * start activity (Camunda's determineFirstActivity): a flow's target when it
 * starts a flow; null when it names nothing (the instruction is refused later).
 */
function firstActivity(graph: ProcessGraph, ins: StartInstruction): FlowNode | null {
  let flowId: string | null | undefined;
  switch (ins.type) {
    case 'startBeforeActivity':
      return graph.nodes.get(ins.activityId ?? '') ?? null;
    case 'startAfterActivity':
      flowId = graph.nodes.get(ins.activityId ?? '')?.outgoing[0];
      break;
    case 'startTransition':
      flowId = ins.transitionId;
  }
  const flow = flowId ? graph.flows.get(flowId) : undefined;
  return flow ? graph.nodes.get(flow.targetRef)! : null;
}

/**
 * Camunda keeps one initiator variable per process definition (a
 * `camunda:initiator` of a process-level start event) and sets it however the
 * instance starts; the start event the instance starts at decides first.
 */
function initiatorOf(graph: ProcessGraph, first: FlowNode | null): string | undefined {
  if (first?.type === 'startEvent' && first.parentId === null && first.initiator) return first.initiator;
  for (const id of graph.children) {
    const n = graph.nodes.get(id)!;
    if (n.type === 'startEvent' && n.initiator) return n.initiator;
  }
  return undefined;
}

/**
 * Sets the initial variables on the process instance, records the start, fires
 * the process start listeners and then either schedules the none start event
 * or runs the start instructions to their wait states.
 */
export async function startInstance(ctx: CommandContext, inst: ProcessInstance, variables: Record<string, unknown>, opts: NewInstance = {}): Promise<void> {
  const root = inst.root();
  const graph = inst.graph;
  const instructions = instructionsOf(opts);
  const first = instructions ? firstActivity(graph, instructions[0]!) : noneStartEvent(graph);
  if (instructions) {
    ctx.skipCustomListeners = opts.skipCustomListeners === true;
    ctx.skipIoMappings = opts.skipIoMappings === true;
  }
  const initiator = initiatorOf(graph, first);
  // Camunda sets the initiator variable on every start, to null without an authenticated user.
  if (initiator) ctx.setVariableLocal(inst, root, initiator, ctx.userId ?? null);
  ctx.history.processStarted({
    id: inst.id,
    businessKey: inst.businessKey,
    definitionId: inst.definition.id,
    definitionKey: inst.definition.key,
    definitionName: graph.name ?? null,
    definitionVersion: inst.definition.version,
    startTime: inst.startTime,
    endTime: null,
    durationMs: null,
    startUserId: inst.startUserId,
    startActivityId: first?.id ?? null,
    endActivityId: null,
    superInstanceId: inst.superInstanceId,
    rootInstanceId: inst.rootInstanceId,
    tenantId: inst.tenantId,
    state: 'ACTIVE',
    deleteReason: null,
    removalTime: null,
  });
  for (const [k, v] of Object.entries(variables)) ctx.setVariableLocal(inst, root, k, v);
  ctx.emit({ type: 'instance.started', ...ctx.instanceRef(inst) });
  if (graph.listeners.length) await fireExecutionListeners({ ctx, inst, exec: root }, graph.listeners, 'start', `process '${graph.id}'`);
  registerEventSubprocesses(ctx, inst, root);
  if (instructions) await runStartInstructions(ctx, inst, instructions);
  else scheduleStart({ ctx, inst, exec: root }, first!);
}
