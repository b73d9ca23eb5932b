import type { FlowNode } from '../../model/graph.js';
import { conditionHolds, conditionOf } from '../conditional.js';
import { leave, type Token } from '../operations.js';
import { subscribe } from '../subscriptions.js';
import type { ActivityBehavior } from './behavior.js';

/** Intermediate conditional catch event: passes at once when its condition already holds, else waits for it. */
export class ConditionalCatchBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const def = conditionOf(node);
    if (def && (await conditionHolds({ ctx: t.ctx, inst: t.inst, exec: t.exec }, def.condition, `the condition of '${node.id}'`))) {
      leave(t, node);
      return;
    }
    subscribe(t.ctx, t.inst, t.exec, node);
  }

  signal(t: Token, node: FlowNode): void {
    leave(t, node);
  }
}
