import type { FlowNode } from '../../model/graph.js';
import { JOB_TYPES } from '../jobs.js';
import { leave, scheduleTimer, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/** Intermediate timer catch event: waits for its timer job, then leaves. */
export class TimerCatchBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    scheduleTimer(t.ctx, t.inst, t.exec, node, JOB_TYPES.timerTransition, {});
  }

  signal(t: Token, node: FlowNode): void {
    leave(t, node);
  }
}
