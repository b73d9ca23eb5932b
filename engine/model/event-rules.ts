/**
 * Camunda 7's deploy-time rules on catching events, with its messages: a
 * deployment Camunda refuses is refused here too, so a model that only works
 * on CadenzaFlow cannot be written by accident.
 *
 * - Event subscriptions of one event scope (the process for its start events,
 *   the flow scope of event subprocesses for their start events, the activity
 *   for its boundary events, an event-based gateway for the events after it)
 *   must differ by message name and by signal name (BpmnParse's
 *   addEventSubscriptionDeclaration).
 * - A catching message event needs a message name.
 * - The escalation catches of one scope (boundary events of an activity, or
 *   escalation event subprocesses of a scope) must differ by escalation code,
 *   and at most one may catch every escalation (addEscalationEventDefinition).
 * - An escalation boundary event sits on a subprocess, a call activity or a
 *   user task.
 * - An intermediate catch event after an event-based gateway has no other
 *   incoming flow.
 */
import type { BoundaryEventNode, EventDefinition, FlowNode, ProcessGraph } from './graph.js';
import type { ProblemSink } from './problems.js';

export function validateEventRules(graph: ProcessGraph, problems: ProblemSink): void {
  const subscriptions = new Map<string, { kind: 'message' | 'signal'; name: string }[]>();
  const escalations = new Map<string, { code: string | undefined }[]>();

  for (const node of graph.nodes.values()) {
    const definition = 'eventDefinition' in node ? node.eventDefinition : undefined;
    if (!definition) continue;
    const scope = eventScope(graph, node);
    if (definition.kind === 'message' && isCatching(node) && !definition.messageName) {
      problems.error('Cannot have a message event subscription with an empty or missing name', node.id);
    }
    if (scope !== undefined && (definition.kind === 'message' || definition.kind === 'signal')) {
      subscribe(subscriptions, scope, definition, node.id, problems);
    }
    if (definition.kind === 'escalation' && node.type === 'boundaryEvent') {
      const host = graph.nodes.get(node.attachedToRef);
      if (host && !ESCALATION_HOSTS.has(host.type)) {
        problems.error('An escalation boundary event should only be attached to a subprocess, a call activity or an user task', node.id);
      }
      catchEscalation(escalations, `boundary:${node.attachedToRef}`, definition.escalationCode, node.id, 'boundary event', problems);
    }
    if (definition.kind === 'escalation' && node.type === 'startEvent' && node.parentId !== null && isEventSubprocess(graph.nodes.get(node.parentId))) {
      catchEscalation(escalations, `subprocess:${scope ?? graph.id}`, definition.escalationCode, node.id, 'event subprocess', problems);
    }
  }
  validateEventBasedGatewayTargets(graph, problems);
  validateEventSubprocesses(graph, problems);
}

/** An event subprocess is entered by its trigger only: no flow in or out, and a start event that waits for something. */
function validateEventSubprocesses(graph: ProcessGraph, problems: ProblemSink): void {
  for (const node of graph.nodes.values()) {
    if (!isEventSubprocess(node)) continue;
    if (node.incoming.length > 0) problems.error('Invalid incoming sequence flow of event subprocess', node.id);
    if (node.outgoing.length > 0) problems.error('Invalid outgoing sequence flow of event subprocess', node.id);
    for (const childId of (node as { children?: readonly string[] }).children ?? []) {
      const child = graph.nodes.get(childId);
      // other triggers that cannot start one (cancel, link, terminate) are refused as unsupported elements
      if (child?.type === 'startEvent' && child.eventDefinition.kind === 'none') {
        problems.error("start event of event subprocess must be of type 'error', 'message', 'timer', 'signal', 'compensation' or 'escalation'", child.id);
      }
    }
  }
}

const ESCALATION_HOSTS: ReadonlySet<FlowNode['type']> = new Set(['subProcess', 'transaction', 'callActivity', 'userTask']);

function isEventSubprocess(node: FlowNode | undefined): boolean {
  return (node?.type === 'subProcess' || node?.type === 'transaction') && node.triggeredByEvent === true;
}

function isCatching(node: FlowNode): boolean {
  return node.type === 'startEvent' || node.type === 'boundaryEvent' || node.type === 'intermediateCatchEvent';
}

/**
 * The scope whose subscriptions must be unique, or undefined for an event
 * that is its own scope (an intermediate catch event not after a gateway).
 */
function eventScope(graph: ProcessGraph, node: FlowNode): string | undefined {
  if (node.type === 'boundaryEvent') return (node as BoundaryEventNode).attachedToRef;
  if (node.type === 'startEvent') {
    if (node.parentId === null) return graph.id;
    const parent = graph.nodes.get(node.parentId);
    // an event subprocess's start event subscribes in the scope around the event subprocess
    if (isEventSubprocess(parent)) return parent!.parentId ?? graph.id;
    return undefined;
  }
  if (node.type === 'intermediateCatchEvent') {
    for (const flowId of node.incoming) {
      const source = graph.nodes.get(graph.flows.get(flowId)?.sourceRef ?? '');
      if (source?.type === 'eventBasedGateway') return source.id;
    }
  }
  return undefined;
}

function subscribe(
  byScope: Map<string, { kind: 'message' | 'signal'; name: string }[]>,
  scope: string,
  definition: Extract<EventDefinition, { kind: 'message' | 'signal' }>,
  elementId: string,
  problems: ProblemSink,
): void {
  const name = definition.kind === 'message' ? definition.messageName : definition.signalName;
  if (!name) return;
  let seen = byScope.get(scope);
  if (!seen) byScope.set(scope, (seen = []));
  if (seen.some((s) => s.kind === definition.kind && s.name === name)) {
    problems.error(`Cannot have more than one ${definition.kind} event subscription with name '${name}' for scope '${scope}'`, elementId);
  }
  seen.push({ kind: definition.kind, name });
}

function catchEscalation(
  byScope: Map<string, { code: string | undefined }[]>,
  scope: string,
  code: string | undefined,
  elementId: string,
  what: 'boundary event' | 'event subprocess',
  problems: ProblemSink,
): void {
  let seen = byScope.get(scope);
  if (!seen) byScope.set(scope, (seen = []));
  for (const other of seen) {
    if (other.code === undefined && code === undefined) {
      problems.error(
        `The same scope can not contains more than one escalation ${what} without escalation code. An escalation ${what} without escalation code catch all escalation events.`,
        elementId,
      );
    } else if (other.code === undefined || code === undefined) {
      problems.error(
        `The same scope can not contains an escalation ${what} without escalation code and another one with escalation code. The escalation ${what} without escalation code catch all escalation events.`,
        elementId,
      );
    } else if (other.code === code) {
      problems.error(`multiple escalation ${what === 'boundary event' ? 'boundary events' : 'event subprocesses'} with the same escalationCode '${code}' are not supported on same scope`, elementId);
    }
  }
  seen.push({ code });
}

/**
 * The events after an event-based gateway are entered only through it, and
 * the gateway is left by the event that happened, not by a continuation.
 */
function validateEventBasedGatewayTargets(graph: ProcessGraph, problems: ProblemSink): void {
  for (const node of graph.nodes.values()) {
    if (node.type === 'eventBasedGateway' && node.asyncAfter) problems.error("'asyncAfter' not supported for eventBasedGateway elements.", node.id);
    if (node.type !== 'intermediateCatchEvent' || node.incoming.length < 2) continue;
    const sources = node.incoming.map((flowId) => ({ source: graph.nodes.get(graph.flows.get(flowId)?.sourceRef ?? '') }));
    if (!sources.some((s) => s.source?.type === 'eventBasedGateway')) continue;
    for (const { source } of sources) {
      if (source?.type === 'eventBasedGateway') continue;
      problems.error(`Invalid incoming sequenceflow for intermediateCatchEvent with id '${node.id}' connected to an event-based gateway.`, node.id);
    }
  }
}

