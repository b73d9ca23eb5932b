/**
 * Message and signal subscriptions of executions: created when a catching
 * element is reached, removed with their execution, triggered by correlation
 * or broadcast.
 */
import { EngineError } from '../errors.js';
import type { EventDefinition, FlowNode } from '../model/graph.js';
import { behaviorFor } from './behaviors/index.js';
import { triggerBoundary } from './boundary.js';
import { triggerEventSubprocess } from './event-subprocess.js';
import type { CommandContext } from './command-context.js';
import { evaluate } from './evaluation.js';
import { describe } from './operations.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc, SubscriptionDoc } from './state.js';

export function eventDefinitionOf(node: FlowNode): EventDefinition | null {
  if ('eventDefinition' in node) return node.eventDefinition;
  if (node.type === 'receiveTask' && node.messageName !== undefined) return { kind: 'message', messageName: node.messageName };
  return null;
}

/** Subscribes `exec` to the message or signal of `node`; the name may be an expression. */
export function subscribe(ctx: CommandContext, inst: ProcessInstance, exec: ExecutionDoc, node: FlowNode): SubscriptionDoc | null {
  const def = eventDefinitionOf(node);
  if (def && def.kind === 'conditional') {
    const c: SubscriptionDoc = { id: ctx.newId(), type: 'conditional', eventName: def.variableName ?? null, executionId: exec.id, activityId: node.id, createTime: ctx.time().getTime() };
    inst.subscriptions.set(c.id, c);
    return c;
  }
  if (!def || (def.kind !== 'message' && def.kind !== 'signal')) return null;
  const raw = def.kind === 'message' ? def.messageName : def.signalName;
  if (raw === undefined) throw new EngineError('BAD_USER_INPUT', `${describe(node)} has no ${def.kind} name to wait for`);
  const name = String(evaluate({ ctx, inst, exec }, raw));
  const sub: SubscriptionDoc = { id: ctx.newId(), type: def.kind, eventName: name, executionId: exec.id, activityId: node.id, createTime: ctx.time().getTime() };
  inst.subscriptions.set(sub.id, sub);
  if (def.kind === 'message' && ctx.services.messageBuffering) ctx.openedMessageSubscriptions.push({ instanceId: inst.id, subscriptionId: sub.id });
  return sub;
}

/**
 * Delivers a message or signal to one subscription: variables first, then the
 * waiting element continues (receive task, catch event, boundary event, or
 * the event after an event-based gateway).
 */
export async function deliver(ctx: CommandContext, inst: ProcessInstance, sub: SubscriptionDoc, variables: Record<string, unknown>, localVariables: Record<string, unknown> = {}): Promise<void> {
  const exec = inst.executions.get(sub.executionId);
  if (!exec) throw new EngineError('INTERNAL', `Subscription '${sub.id}' points to a missing execution '${sub.executionId}'`);
  const node = inst.graph.nodes.get(sub.activityId)!;
  // A non-interrupting boundary event or event subprocess stays subscribed as long as its scope runs.
  const stays = (node.type === 'boundaryEvent' && !node.cancelActivity) || (node.type === 'startEvent' && !node.isInterrupting);
  if (!stays) inst.subscriptions.delete(sub.id);
  for (const [k, v] of Object.entries(variables)) ctx.setVariable(inst, exec, k, v);
  for (const [k, v] of Object.entries(localVariables)) ctx.setVariableLocal(inst, exec, k, v);
  if (node.type === 'boundaryEvent') {
    await triggerBoundary(ctx, inst, exec, node);
    return;
  }
  if (node.type === 'startEvent') {
    await triggerEventSubprocess(ctx, inst, exec, node);
    return;
  }
  const at = exec.activityId ? inst.graph.nodes.get(exec.activityId) : undefined;
  if (at && at.type === 'eventBasedGateway' && at.id !== node.id) {
    const { EventBasedGatewayBehavior } = await import('./behaviors/event-based-gateway.behavior.js');
    await EventBasedGatewayBehavior.fire({ ctx, inst, exec }, at, node);
    return;
  }
  const b = behaviorFor(node);
  if (!b.signal) throw new EngineError('INTERNAL', `${describe(node)} cannot receive a ${sub.type}`);
  await b.signal({ ctx, inst, exec }, node, { kind: sub.type });
}
