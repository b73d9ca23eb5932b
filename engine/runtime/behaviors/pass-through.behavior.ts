import type { FlowNode } from '../../model/graph.js';
import { leave, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/**
 * None start events, intermediate none throw events, abstract `task` and
 * `manualTask`: nothing to do but leave, as in Camunda.
 */
export class PassThroughBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    leave(t, node);
  }
}
