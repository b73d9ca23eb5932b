/**
 * Where a BPMN error thrown inside an activity goes. Catching by error
 * boundary events and error event subprocesses arrives with the events work;
 * until then every BPMN error is uncaught, and Camunda 7 (with its default
 * `enableExceptionsAfterUnhandledBpmnError=false`) then simply ends the
 * execution as if it had reached a none end event.
 */
import type { BpmnError } from '../errors.js';
import type { FlowNode } from '../model/graph.js';
import { endActivity, type Token } from './operations.js';

export async function propagateBpmnError(t: Token, node: FlowNode, _error: BpmnError): Promise<void> {
  await endActivity(t, node, []);
}
