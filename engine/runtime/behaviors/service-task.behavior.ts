import { BpmnError, EngineError } from '../../errors.js';
import type { FlowNode } from '../../model/graph.js';
import { serviceBodyOf } from '../../model/service-body.js';
import { propagateBpmnError } from '../error-propagation.js';
import { evaluateAsync, invokeHandler, type Scope } from '../evaluation.js';
import { describe, leave, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/**
 * Service and send tasks, and message throw and end events with an
 * implementation: `camunda:expression` (result into `camunda:resultVariable`),
 * `camunda:delegateExpression` and `camunda:class` (handlers registered by
 * name), then leave. A BPMN error from the handler is propagated; any other
 * failure fails the command.
 */
export class ServiceTaskBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const n = serviceBodyOf(node);
    if (!n) throw new EngineError('INTERNAL', `${describe(node)} has no service implementation`);
    const scope: Scope = { ctx: t.ctx, inst: t.inst, exec: t.exec };
    const impl = n.implementation;
    try {
      switch (impl.kind) {
        case 'expression': {
          const result = await evaluateAsync(scope, impl.expression);
          if (n.resultVariable) t.ctx.setVariable(t.inst, t.exec, n.resultVariable, result);
          break;
        }
        case 'delegateExpression':
          await invokeHandler(scope, impl, n.fields, describe(node), 'execution');
          break;
        case 'class':
          await invokeHandler(scope, impl, n.fields, describe(node), 'execution');
          break;
        default:
          throw new EngineError('INTERNAL', `${describe(node)} has an implementation CadenzaFlow does not execute yet: ${impl.kind}`);
      }
    } catch (e) {
      if (e instanceof BpmnError) {
        await propagateBpmnError(t, node, e);
        return;
      }
      throw e;
    }
    leave(t, node);
  }
}
