/** Creating and starting process instances (also the ones call activities start). */
import { BadUserInputError, EngineError } from '../errors.js';
import type { FlowNode } from '../model/graph.js';
import type { CommandContext } from './command-context.js';
import { fireExecutionListeners } from './evaluation.js';
import { registerEventSubprocesses } from './event-subprocess.js';
import { createExecution, scheduleStart } from './operations.js';
import { ProcessInstance } from './process-instance.js';
import type { DeployedProcess } from './services.js';

export interface NewInstance {
  businessKey?: string | null;
  superInstanceId?: string | null;
  superExecutionId?: string | null;
  rootInstanceId?: string | null;
  /** Start at these activities instead of the none start event (Camunda's startBeforeActivity). */
  startBefore?: string[];
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

function initialActivities(inst: ProcessInstance, startBefore: string[] | undefined): FlowNode[] {
  const graph = inst.graph;
  if (startBefore && startBefore.length) {
    return startBefore.map((id) => {
      const node = graph.nodes.get(id);
      if (!node) throw new BadUserInputError(`Cannot start before activity '${id}': no such activity in process '${graph.id}'`, 'startInstructions');
      if (node.parentId !== null) throw new BadUserInputError(`Cannot start before activity '${id}': only activities at process level are supported`, 'startInstructions');
      return node;
    });
  }
  const starts = graph.children.map((id) => graph.nodes.get(id)!).filter((n) => n.type === 'startEvent' && n.eventDefinition.kind === 'none');
  if (starts.length === 0) {
    throw new BadUserInputError(`Process '${graph.id}' has no none start event and cannot be started this way`, 'processDefinitionKey');
  }
  return [starts[0]!];
}

/**
 * Sets the initial variables on the process instance, records the start, fires
 * the process start listeners and schedules the start event.
 */
export async function startInstance(ctx: CommandContext, inst: ProcessInstance, variables: Record<string, unknown>, opts: NewInstance = {}): Promise<void> {
  const root = inst.root();
  const starts = initialActivities(inst, opts.startBefore);
  const first = starts[0]!;
  const initiator = first.type === 'startEvent' ? first.initiator : undefined;
  // Camunda sets the initiator variable on every start, to null without an authenticated user.
  if (initiator) ctx.setVariableLocal(inst, root, initiator, ctx.userId ?? null);
  ctx.history.processStarted({
    id: inst.id,
    businessKey: inst.businessKey,
    definitionId: inst.definition.id,
    definitionKey: inst.definition.key,
    definitionName: inst.graph.name ?? null,
    definitionVersion: inst.definition.version,
    startTime: inst.startTime,
    endTime: null,
    durationMs: null,
    startUserId: inst.startUserId,
    startActivityId: first.id,
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
  if (inst.graph.listeners.length) await fireExecutionListeners({ ctx, inst, exec: root }, inst.graph.listeners, 'start', `process '${inst.graph.id}'`);
  registerEventSubprocesses(ctx, inst, root);
  if (starts.length === 1) {
    scheduleStart({ ctx, inst, exec: root }, first);
    return;
  }
  root.active = false;
  for (let i = starts.length - 1; i >= 0; i--) {
    const c = createExecution(ctx, inst, { parentId: root.id, concurrent: true });
    scheduleStart({ ctx, inst, exec: c }, starts[i]!);
  }
}
