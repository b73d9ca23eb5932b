import { EngineError } from '../../errors.js';
import type { FlowNode } from '../../model/graph.js';
import { JOB_TYPES } from '../jobs.js';
import { describe, finishActivityInstance, scheduleStart, scheduleTimer, type Token } from '../operations.js';
import { subscribe } from '../subscriptions.js';
import type { ActivityBehavior } from './behavior.js';

/**
 * Event-based gateway: the token waits at the gateway, subscribed to every
 * event that follows it; the first one to happen wins, the other
 * subscriptions and timers go, and the token moves on to the winning event.
 */
export class EventBasedGatewayBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    const graph = t.inst.graph;
    for (const flowId of node.outgoing) {
      const target = graph.nodes.get(graph.flows.get(flowId)!.targetRef)!;
      if (target.type === 'receiveTask' || (target.type === 'intermediateCatchEvent' && (target.eventDefinition.kind === 'message' || target.eventDefinition.kind === 'signal'))) {
        subscribe(t.ctx, t.inst, t.exec, target);
      } else if (target.type === 'intermediateCatchEvent' && target.eventDefinition.kind === 'timer') {
        scheduleTimer(t.ctx, t.inst, t.exec, target, JOB_TYPES.timerTransition, { eventBasedGateway: node.id });
      } else {
        throw new EngineError('MODEL_INVALID', `${describe(node)} may only be followed by message, signal or timer catch events and receive tasks; '${target.id}' is a ${target.type}`);
      }
    }
  }

  /** One of the gateway's events happened. */
  static async fire(t: Token, gateway: FlowNode, event: FlowNode): Promise<void> {
    const { inst, exec, ctx } = t;
    for (const [id, s] of inst.subscriptions) if (s.executionId === exec.id) inst.subscriptions.delete(id);
    for (const [id, j] of inst.jobs) if (j.executionId === exec.id) inst.jobs.delete(id);
    finishActivityInstance(ctx, inst, exec, gateway, false, false);
    // The event itself starts and, already triggered, completes at once.
    scheduleStart(t, event, { triggered: true });
  }
}
