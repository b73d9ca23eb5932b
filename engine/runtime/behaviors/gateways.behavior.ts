import { EngineError } from '../../errors.js';
import type { FlowNode, SequenceFlow } from '../../model/graph.js';
import {
  activateJoin,
  conditionHoldsAsync,
  inclusiveJoinBlocked,
  joinedAt,
  leaveVia,
  type Token,
} from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

function noFlow(node: FlowNode): EngineError {
  return new EngineError('INTERNAL', `ENGINE-02004 No outgoing sequence flow for the element with id '${node.id}' could be selected for continuing the process.`, {
    camundaType: 'ProcessEngineException',
  });
}

/** Exclusive gateway: the first outgoing flow (in document order) whose condition holds, else the default. */
export class ExclusiveGatewayBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const graph = t.inst.graph;
    let chosen: SequenceFlow | undefined;
    for (const id of node.outgoing) {
      if (id === node.defaultFlow) continue;
      const flow = graph.flows.get(id)!;
      if (await conditionHoldsAsync(t, flow)) {
        chosen = flow;
        break;
      }
    }
    if (!chosen && node.defaultFlow) chosen = graph.flows.get(node.defaultFlow)!;
    if (!chosen) throw noFlow(node);
    leaveVia(t, node, [chosen]);
  }
}

/** Parallel gateway: joins all incoming tokens, then forks on every outgoing flow. */
export class ParallelGatewayBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    const { inst, exec } = t;
    const n = node.incoming.length;
    if (n <= 1) {
      this.leaveJoin(t, node);
      return;
    }
    exec.joined = true;
    exec.active = false;
    // A lone token at a join of several flows waits for ever, exactly as in Camunda.
    if (!exec.concurrent) return;
    const joined = joinedAt(inst, inst.execution(exec.parentId!), node.id);
    if (joined.length < n) return;
    const take = [...joined.filter((j) => j !== exec).slice(0, n - 1), exec];
    this.leaveJoin(activateJoin(t, node, take), node);
  }

  leaveJoin(t: Token, node: FlowNode): void {
    leaveVia(t, node, node.outgoing.map((id) => t.inst.graph.flows.get(id)!));
  }
}

/**
 * Inclusive gateway: joins when no other token of the scope can still reach
 * it; forks on every flow whose condition holds, else the default.
 */
export class InclusiveGatewayBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const { inst, exec } = t;
    if (node.incoming.length > 1 && exec.concurrent) {
      exec.joined = true;
      exec.active = false;
      const scope = inst.execution(exec.parentId!);
      if (inclusiveJoinBlocked(inst, scope, node.id)) return;
      const cont = activateJoin(t, node, joinedAt(inst, scope, node.id));
      await this.fork(cont, node);
      return;
    }
    await this.fork(t, node);
  }

  leaveJoin(t: Token, node: FlowNode): void {
    t.ctx.push('inclusive-gateway-fork', () => this.fork(t, node));
  }

  private async fork(t: Token, node: FlowNode): Promise<void> {
    const graph = t.inst.graph;
    const chosen: SequenceFlow[] = [];
    for (const id of node.outgoing) {
      if (id === node.defaultFlow) continue;
      const flow = graph.flows.get(id)!;
      if (await conditionHoldsAsync(t, flow)) chosen.push(flow);
    }
    if (chosen.length === 0 && node.defaultFlow) chosen.push(graph.flows.get(node.defaultFlow)!);
    if (chosen.length === 0 && node.outgoing.length > 0) throw noFlow(node);
    leaveVia(t, node, chosen);
  }
}
