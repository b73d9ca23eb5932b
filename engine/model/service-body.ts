import type { FlowNode, ServiceBody } from './graph.js';

/**
 * What a service-like node runs: a service, send or business rule task is its
 * own body; a message throw or end event has one when its
 * messageEventDefinition names an implementation. Null for everything else,
 * including message events that just pass.
 */
export function serviceBodyOf(node: FlowNode): ServiceBody | null {
  if (node.type === 'serviceTask' || node.type === 'sendTask' || node.type === 'businessRuleTask') return node;
  if ((node.type === 'intermediateThrowEvent' || node.type === 'endEvent') && node.eventDefinition.kind === 'message') {
    return node.eventDefinition.service ?? null;
  }
  return null;
}
