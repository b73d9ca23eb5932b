/**
 * Structural rules on a compiled process, plus what the runtime executes
 * (support.ts). Every rule reports into the sink and goes on: a deployment
 * learns all its problems at once.
 */
import { compileExpression, isExpressionText } from '../expressions/index.js';
import type {
  EventDefinition,
  ExecutionListener,
  FieldInjection,
  FlowNode,
  IoMapping,
  IoValue,
  ListenerHandler,
  ProcessGraph,
  Script,
  ServiceBody,
  ServiceImplementation,
  StartEventNode,
  TaskListener,
} from './graph.js';
import { validateEventRules } from './event-rules.js';
import type { ProblemSink } from './problems.js';
import { serviceBodyOf } from './service-body.js';
import { EXECUTED_SCRIPT_LANGUAGES, isSupported, unsupportedReason, type SupportKey } from './support.js';

export interface ValidateOptions {
  /** See ParseOptions.isHandlerKnown. */
  readonly isHandlerKnown?: (name: string) => boolean;
  /** See ParseOptions.checkConnector. */
  readonly checkConnector?: ConnectorCheck;
}

/**
 * Deploy-time check of a `camunda:connector`: is the connector registered, and
 * do its static input values (text, lists and maps of text) fit its input
 * schema? `dynamic` names the inputs computed at run time. Returns problems.
 */
export type ConnectorCheck = (connectorId: string, input: Record<string, unknown>, dynamic: ReadonlySet<string>) => string[];

export function validateProcess(graph: ProcessGraph, problems: ProblemSink, options: ValidateOptions = {}): void {
  validateStartEvents(graph, problems);
  validateCompensationAndCancel(graph, problems);
  validateEventRules(graph, problems);
  for (const node of graph.nodes.values()) {
    validateSupport(node, problems);
    validateGateway(graph, node, problems);
    validateDefaultFlow(graph, node, problems);
    validateScriptTask(node, problems);
    validateIoPlacement(node, problems);
    validateJobPriority(node, problems);
  }
  for (const flow of graph.flows.values()) {
    if (flow.listeners.length > 0) requireSupport('executionListener', `sequenceFlow '${flow.id}'`, flow.id, problems);
  }
  if (graph.listeners.length > 0) requireSupport('executionListener', `process '${graph.id}'`, graph.id, problems);

  visitExpressions(graph, expressionChecker(problems));
  const isHandlerKnown = options.isHandlerKnown;
  if (isHandlerKnown) {
    visitHandlers(graph, (elementId, where, name) => {
      if (!isHandlerKnown(name)) problems.warning(`no handler is registered under '${name}' (${where}); the element fails when reached`, elementId);
    });
  }
  if (options.checkConnector) validateConnectors(graph, problems, options.checkConnector);
  visitScripts(graph, (elementId, where, script) => {
    if (script.format !== '' && !EXECUTED_SCRIPT_LANGUAGES.includes(script.format)) {
      problems.warning(`${script.format} scripts are not executed by CadenzaFlow; the element fails when reached (${where})`, elementId);
    }
  });
}

// ---------------------------------------------------------------- connectors

const DYNAMIC = Symbol('dynamic');

function staticValue(v: IoValue): unknown {
  switch (v.kind) {
    case 'null':
      return null;
    case 'text':
      return v.text;
    case 'expression':
    case 'script':
      return DYNAMIC;
    case 'list': {
      const items = v.items.map(staticValue);
      return items.includes(DYNAMIC) ? DYNAMIC : items;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const e of v.entries) {
        const x = staticValue(e.value);
        if (x === DYNAMIC) return DYNAMIC;
        out[e.key] = x;
      }
      return out;
    }
  }
}

function validateConnectors(graph: ProcessGraph, problems: ProblemSink, check: ConnectorCheck): void {
  for (const node of graph.nodes.values()) {
    const impl = serviceBodyOf(node)?.implementation;
    if (impl?.kind !== 'connector' || !impl.connectorId) continue;
    const input: Record<string, unknown> = {};
    const dynamic = new Set<string>();
    for (const p of impl.ioMapping?.inputs ?? []) {
      const v = staticValue(p.value);
      if (v === DYNAMIC) dynamic.add(p.name);
      else input[p.name] = v;
    }
    for (const message of check(impl.connectorId, input, dynamic)) problems.error(`camunda:connector '${impl.connectorId}': ${message}`, node.id);
  }
}

// ---------------------------------------------------------------- start events

/**
 * A process may have one none (or timer) start event; an embedded
 * subprocess needs exactly one start event, a none one.
 */
function validateStartEvents(graph: ProcessGraph, problems: ProblemSink): void {
  const processStarts = startEventsIn(graph, graph.children);
  if (processStarts.length === 0) {
    problems.error('process must define a startEvent element', graph.id);
  } else {
    const initial = processStarts.filter((start) => start.eventDefinition.kind === 'none' || start.eventDefinition.kind === 'timer');
    for (const extra of initial.slice(1)) {
      problems.error('multiple none start events or timer start events not supported on process definition', extra.id);
    }
    if (!processStarts.some((start) => start.eventDefinition.kind === 'none')) {
      problems.warning(`process '${graph.id}' has no none start event; it can only be started through its other start events`, graph.id);
    }
    validateConditionalStarts(processStarts, problems);
  }

  for (const node of graph.nodes.values()) {
    if ((node.type !== 'subProcess' && node.type !== 'transaction') || node.triggeredByEvent) continue;
    const starts = startEventsIn(graph, node.children);
    if (starts.length === 0) {
      problems.error(`${node.type} must define a startEvent element (subprocess '${node.id}')`, node.id);
      continue;
    }
    for (const start of starts) {
      if (start.eventDefinition.kind !== 'none') {
        problems.error(`${start.eventDefinition.kind}EventDefinition is not allowed on start event within a subprocess`, start.id);
      }
    }
    for (const extra of starts.filter((start) => start.eventDefinition.kind === 'none').slice(1)) {
      problems.error(`multiple none start events not supported for subprocess '${node.id}'`, extra.id);
    }
  }
}

/**
 * Conditional start events of a process are evaluated only on request
 * (Camunda's RuntimeService.createConditionEvaluation), each one starting an
 * instance when its condition holds: two with the same condition would always
 * start twice, which Camunda refuses. `camunda:variableName` still applies
 * (the variable must be among the given ones); there are no variable events.
 */
function validateConditionalStarts(starts: readonly StartEventNode[], problems: ProblemSink): void {
  const seen = new Set<string>();
  for (const start of starts) {
    const definition = start.eventDefinition;
    if (definition.kind !== 'conditional') continue;
    const text = definition.condition.kind === 'expression' ? definition.condition.expression : (definition.condition.script.source ?? definition.condition.script.resource ?? '');
    if (seen.has(text)) problems.error(`Cannot have more than one conditional event subscription with the same condition '${text}'`, start.id);
    seen.add(text);
    if (definition.variableEvents.length > 0) {
      problems.warning(
        `camunda:variableEvents has no effect on conditional start event '${start.id}': a process's conditional start events are evaluated only on request, not on variable changes`,
        start.id,
      );
    }
  }
}

function startEventsIn(graph: ProcessGraph, children: readonly string[]): StartEventNode[] {
  const starts: StartEventNode[] = [];
  for (const id of children) {
    const node = graph.nodes.get(id);
    if (node?.type === 'startEvent') starts.push(node);
  }
  return starts;
}

// ---------------------------------------------------------------- gateways and flows

const GATEWAY_LABELS: Partial<Record<FlowNode['type'], string>> = {
  exclusiveGateway: 'Exclusive Gateway',
  inclusiveGateway: 'Inclusive Gateway',
  parallelGateway: 'Parallel Gateway',
};

function validateGateway(graph: ProcessGraph, node: FlowNode, problems: ProblemSink): void {
  const label = GATEWAY_LABELS[node.type];
  if (label && node.outgoing.length === 0) {
    problems.error(`${label} '${node.id}' has no outgoing sequence flows.`, node.id);
  }
  if (node.type === 'parallelGateway' || node.type === 'eventBasedGateway') {
    for (const flowId of node.outgoing) {
      if (graph.flows.get(flowId)?.condition) {
        problems.error(`sequence flow '${flowId}' leaves ${node.type === 'parallelGateway' ? 'parallel' : 'event-based'} gateway '${node.id}' and has a condition, which is never evaluated`, flowId);
      }
    }
  }
  if (node.type === 'exclusiveGateway') validateExclusiveGateway(graph, node, problems);
}

/** Camunda's rules for exclusive gateways, with its messages. */
function validateExclusiveGateway(graph: ProcessGraph, node: FlowNode, problems: ProblemSink): void {
  const outgoing = node.outgoing.map((id) => graph.flows.get(id)!);
  if (outgoing.length === 1) {
    if (outgoing[0]!.condition) {
      problems.error(
        `Exclusive Gateway '${node.id}' has only one outgoing sequence flow ('${outgoing[0]!.id}'). This is not allowed to have a condition.`,
        node.id,
      );
    }
    return;
  }
  const unconditional = outgoing.filter((flow) => !flow.condition && flow.id !== node.defaultFlow);
  if (node.defaultFlow !== undefined || unconditional.length > 1) {
    for (const flow of unconditional) {
      problems.error(`Exclusive Gateway '${node.id}' has outgoing sequence flow '${flow.id}' without condition which is not the default flow.`, node.id);
    }
  } else if (unconditional.length === 1) {
    problems.warning(
      `Exclusive Gateway '${node.id}' has outgoing sequence flow '${unconditional[0]!.id}' without condition which is not the default flow. ` +
        'It is taken as the default flow, but better set the default flow on the gateway.',
      node.id,
    );
  }
}

function validateDefaultFlow(graph: ProcessGraph, node: FlowNode, problems: ProblemSink): void {
  if (node.defaultFlow === undefined || !graph.flows.has(node.defaultFlow)) return;
  if (!node.outgoing.includes(node.defaultFlow)) {
    problems.error(`default flow '${node.defaultFlow}' is not an outgoing sequence flow of '${node.id}'`, node.id);
  } else if (graph.flows.get(node.defaultFlow)!.condition) {
    problems.error(`default flow '${node.defaultFlow}' of '${node.id}' has a condition; a default flow is taken when no condition holds and must not have one`, node.id);
  }
}

// ---------------------------------------------------------------- elements

function validateScriptTask(node: FlowNode, problems: ProblemSink): void {
  if (node.type === 'scriptTask') {
    if (node.script.format === '') problems.error(`scriptTask '${node.id}' has no scriptFormat`, node.id);
    if (node.script.resource === undefined && (node.script.source === undefined || node.script.source.trim() === '')) {
      problems.error(`scriptTask '${node.id}' has no script: give an inline <script> or camunda:resource`, node.id);
    }
  }
}

/** Where Camunda accepts camunda:inputOutput (BpmnParse.checkActivityInputOutputSupported). */
function validateIoPlacement(node: FlowNode, problems: ProblemSink): void {
  if (!node.ioMapping) return;
  if (node.type === 'startEvent' || node.type === 'boundaryEvent' || node.type.endsWith('Gateway')) {
    problems.error(`camunda:inputOutput mapping unsupported for element type '${node.type}'.`, node.id);
  } else if (node.type === 'subProcess' && node.triggeredByEvent) {
    problems.error(`camunda:inputOutput mapping unsupported for element type 'subProcess' with attribute 'triggeredByEvent = true'.`, node.id);
  } else if (node.ioMapping.outputs.length > 0 && node.type === 'endEvent') {
    problems.error(`camunda:outputParameter not allowed for element type 'endEvent'.`, node.id);
  } else if (node.ioMapping.outputs.length > 0 && node.multiInstance) {
    problems.error('camunda:outputParameter not allowed for multi-instance constructs', node.id);
  }
}

function validateJobPriority(node: FlowNode, problems: ProblemSink): void {
  if (node.jobPriority !== undefined && !isExpressionText(node.jobPriority) && !/^[+-]?\d+$/.test(node.jobPriority.trim())) {
    problems.error(`Value '${node.jobPriority}' for attribute 'jobPriority' is not a valid number`, node.id);
  }
}

// ---------------------------------------------------------------- compensation and cancel

const NO_FLOWS_ON_HANDLERS = 'A compensation activity should not have an incoming or outgoing sequence flow.';

/** Where Camunda's parser accepts compensation and cancel events, with its messages. */
function validateCompensationAndCancel(graph: ProcessGraph, problems: ProblemSink): void {
  const compensatedHosts = new Set<string>();
  const cancelledHosts = new Set<string>();
  for (const node of graph.nodes.values()) {
    if (node.isForCompensation) {
      if (node.incoming.length > 0) problems.error(`Invalid incoming sequence flow of compensation activity '${node.id}'. ${NO_FLOWS_ON_HANDLERS}`, node.id);
      if (node.outgoing.length > 0) problems.error(`Invalid outgoing sequence flow of compensation activity '${node.id}'. ${NO_FLOWS_ON_HANDLERS}`, node.id);
    }
    if (!('eventDefinition' in node)) continue;
    const definition = node.eventDefinition;
    if (node.type === 'boundaryEvent' && definition.kind === 'compensate') {
      if (compensatedHosts.has(node.attachedToRef)) problems.error('multiple boundary events with compensateEventDefinition not supported on same activity', node.id);
      compensatedHosts.add(node.attachedToRef);
    } else if (node.type === 'boundaryEvent' && definition.kind === 'cancel') {
      const host = graph.nodes.get(node.attachedToRef);
      if (!host) continue;
      if (host.type !== 'transaction') problems.error('boundary event with cancelEventDefinition only supported on transaction subprocesses', node.id);
      else if (cancelledHosts.has(host.id)) problems.error('multiple boundary events with cancelEventDefinition not supported on same transaction subprocess', node.id);
      cancelledHosts.add(host.id);
    } else if (node.type === 'endEvent' && definition.kind === 'cancel') {
      const parent = node.parentId === null ? undefined : graph.nodes.get(node.parentId);
      if (parent?.type !== 'transaction') {
        problems.error('end event with cancelEventDefinition only supported inside transaction subprocess', node.id);
      } else if (!parent.boundaryEvents.some((id) => eventKindOf(graph, id) === 'cancel')) {
        problems.warning(
          `cancel end event '${node.id}' has no cancel boundary event on transaction '${parent.id}' to leave through; it fails when reached, as in Camunda`,
          node.id,
        );
      }
    } else if ((node.type === 'intermediateThrowEvent' || node.type === 'endEvent') && definition.kind === 'compensate' && definition.activityRef !== undefined) {
      validateActivityRef(graph, node, definition.activityRef, problems);
    } else if (node.type === 'startEvent' && definition.kind === 'compensate' && node.parentId === null) {
      problems.error('compensateEventDefinition is only allowed on the start event of an event subprocess', node.id);
    }
  }
}

function eventKindOf(graph: ProcessGraph, id: string): EventDefinition['kind'] | undefined {
  const node = graph.nodes.get(id);
  return node && 'eventDefinition' in node ? node.eventDefinition.kind : undefined;
}

/**
 * A compensation throw names an activity of its own scope; inside an event
 * subprocess, one of the scope the event subprocess sits in (Camunda's
 * findActivityAtLevelOfSubprocess).
 */
function validateActivityRef(graph: ProcessGraph, thrower: FlowNode, activityRef: string, problems: ProblemSink): void {
  const target = graph.nodes.get(activityRef);
  let scopeId = thrower.parentId;
  if (target && target.parentId === scopeId) return;
  const scope = scopeId === null ? undefined : graph.nodes.get(scopeId);
  if (scope?.type === 'subProcess' && scope.triggeredByEvent) {
    scopeId = scope.parentId;
    if (target && target.parentId === scopeId) return;
  }
  problems.error(`Invalid attribute value for 'activityRef': no activity with id '${activityRef}' in scope '${scopeId ?? graph.id}'`, thrower.id);
}

// ---------------------------------------------------------------- support

function validateSupport(node: FlowNode, problems: ProblemSink): void {
  const subject = `${node.type} '${node.id}'`;
  const need = (key: SupportKey) => requireSupport(key, subject, node.id, problems);
  const definition = 'eventDefinition' in node ? node.eventDefinition : undefined;
  const definitionKey = definition && (`${node.type}:${definition.kind}` as SupportKey);

  // A business rule task needs DMN, unless a worker makes the decision (camunda:type="external").
  const externalDecision = node.type === 'businessRuleTask' && node.implementation.kind === 'external';
  if (!isSupported(node.type) && !externalDecision) {
    // "timer boundary events ..." says more than "boundary events ..."
    need(definitionKey && definition.kind !== 'none' ? definitionKey : node.type);
    return;
  }
  if (definitionKey) need(definitionKey);
  const messageService = definition?.kind === 'message' ? definition.service : undefined;
  if (messageService && messageService.implementation.kind !== 'none') need(`messageEventDefinition:${messageService.implementation.kind}`);
  if ((node.type === 'serviceTask' || node.type === 'sendTask' || externalDecision) && node.implementation.kind !== 'none') {
    need(`${node.type}:${node.implementation.kind}`);
  }
  if (node.type === 'subProcess' && node.triggeredByEvent) need('eventSubProcess');
  if (node.asyncBefore || node.multiInstance?.asyncBefore) need('asyncBefore');
  if (node.asyncAfter || node.multiInstance?.asyncAfter) need('asyncAfter');
  if (node.multiInstance) need('multiInstance');
  if (node.isForCompensation) need('isForCompensation');
  if (node.ioMapping) need('inputOutput');
  if (node.listeners.length > 0) need('executionListener');
  if (node.type === 'userTask' && node.taskListeners.length > 0) {
    need('taskListener');
    if (node.taskListeners.some((listener) => listener.event === 'timeout')) need('timeoutTaskListener');
  }
  const hasFields = (listeners: readonly { readonly fields: readonly unknown[] }[]) => listeners.some((listener) => listener.fields.length > 0);
  if (hasFields(node.listeners) || (node.type === 'userTask' && hasFields(node.taskListeners)) || ('fields' in node && node.fields.length > 0) || (messageService?.fields.length ?? 0) > 0) {
    need('fieldInjection');
  }
}

function requireSupport(key: SupportKey, subject: string, elementId: string, problems: ProblemSink): void {
  if (!isSupported(key)) problems.error(`${subject}: ${unsupportedReason(key)}`, elementId);
}

// ---------------------------------------------------------------- expressions, handlers, scripts

/** Receives one text the runtime evaluates as an expression, with where it sits. */
type ExpressionVisitor = (elementId: string, where: string, text: string | undefined) => void;

function expressionChecker(problems: ProblemSink): ExpressionVisitor {
  return (elementId, where, text) => {
    if (text === undefined || !isExpressionText(text)) return;
    try {
      compileExpression(text);
    } catch (error) {
      problems.error(`invalid expression '${text}' in ${where}: ${(error as Error).message}`, elementId);
    }
  };
}

/** Visits every text of the process that the runtime evaluates as an expression. */
function visitExpressions(graph: ProcessGraph, visit: ExpressionVisitor): void {
  visitListenerExpressions(graph.id, graph.listeners, visit);
  for (const flow of graph.flows.values()) {
    if (flow.condition?.kind === 'expression') visit(flow.id, 'conditionExpression', flow.condition.expression);
    visitListenerExpressions(flow.id, flow.listeners, visit);
  }
  for (const node of graph.nodes.values()) {
    const id = node.id;
    visitListenerExpressions(id, node.listeners, visit);
    if (node.ioMapping) visitIoExpressions(id, node.ioMapping, visit);
    visit(id, 'camunda:jobPriority', node.jobPriority);
    if (node.multiInstance) {
      visit(id, 'loopCardinality', node.multiInstance.loopCardinality);
      visit(id, 'camunda:collection', node.multiInstance.collection);
      visit(id, 'completionCondition', node.multiInstance.completionCondition);
    }
    if ('eventDefinition' in node) visitEventDefinitionExpressions(id, node.eventDefinition, visit);
    switch (node.type) {
      case 'startEvent':
        visit(id, 'camunda:formKey', node.formKey);
        break;
      case 'userTask':
        visit(id, 'camunda:assignee', node.assignee);
        visit(id, 'camunda:candidateUsers', node.candidateUsers);
        visit(id, 'camunda:candidateGroups', node.candidateGroups);
        visit(id, 'camunda:dueDate', node.dueDate);
        visit(id, 'camunda:followUpDate', node.followUpDate);
        visit(id, 'camunda:priority', node.priority);
        visit(id, 'camunda:formKey', node.formKey);
        visitListenerExpressions(id, node.taskListeners, visit);
        break;
      case 'serviceTask':
      case 'sendTask':
      case 'businessRuleTask':
        visitServiceExpressions(id, node, visit);
        visit(id, 'camunda:decisionRef', node.decisionRef);
        break;
      case 'receiveTask':
        visit(id, 'message name', node.messageName);
        break;
      case 'callActivity':
        visit(id, 'calledElement', node.calledElement);
        visit(id, 'camunda:calledElementVersion', node.version);
        visit(id, 'camunda:calledElementVersionTag', node.versionTag);
        visit(id, 'camunda:calledElementTenantId', node.tenantId);
        visit(id, 'camunda:in businessKey', node.businessKey);
        for (const mapping of [...node.inputs, ...node.outputs]) {
          if (mapping.kind === 'sourceExpression') visit(id, `sourceExpression of the mapping to '${mapping.target}'`, mapping.expression);
        }
        break;
      default:
        break;
    }
  }
}

function visitEventDefinitionExpressions(elementId: string, definition: EventDefinition, visit: ExpressionVisitor): void {
  switch (definition.kind) {
    case 'message':
      visit(elementId, `the name of message '${definition.messageRef}'`, definition.messageName);
      if (definition.service) visitServiceExpressions(elementId, definition.service, visit);
      break;
    case 'signal':
      visit(elementId, `the name of signal '${definition.signalRef}'`, definition.signalName);
      break;
    case 'timer':
      visit(elementId, definition.timer.type, definition.timer.expression);
      break;
    case 'conditional':
      if (definition.condition.kind === 'expression') visit(elementId, 'condition', definition.condition.expression);
      break;
    default:
      break;
  }
}

function visitServiceExpressions(elementId: string, body: ServiceBody, visit: ExpressionVisitor): void {
  const implementation = body.implementation;
  if (implementation.kind === 'expression') visit(elementId, 'camunda:expression', implementation.expression);
  if (implementation.kind === 'delegateExpression') visit(elementId, 'camunda:delegateExpression', implementation.expression);
  if (implementation.kind === 'external') {
    visit(elementId, 'camunda:topic', implementation.topic);
    visit(elementId, 'camunda:taskPriority', implementation.taskPriority);
  }
  if (implementation.kind === 'connector' && implementation.ioMapping) visitIoExpressions(elementId, implementation.ioMapping, visit);
  visitFieldExpressions(elementId, body.fields, visit);
}

function visitListenerExpressions(elementId: string, listeners: readonly (ExecutionListener | TaskListener)[], visit: ExpressionVisitor): void {
  for (const listener of listeners) {
    const tag = listener.event === 'start' || listener.event === 'end' || listener.event === 'take' ? 'camunda:executionListener' : 'camunda:taskListener';
    const handler = listener.handler;
    if (handler.kind === 'expression') visit(elementId, `${tag} expression`, handler.expression);
    if (handler.kind === 'delegateExpression') visit(elementId, `${tag} delegateExpression`, handler.expression);
    visitFieldExpressions(elementId, listener.fields, visit);
  }
}

function visitFieldExpressions(elementId: string, fields: readonly FieldInjection[], visit: ExpressionVisitor): void {
  for (const field of fields) {
    if (field.value.kind === 'expression') visit(elementId, `camunda:field '${field.name}'`, field.value.expression);
  }
}

function visitIoExpressions(elementId: string, mapping: IoMapping, visit: ExpressionVisitor): void {
  for (const parameter of mapping.inputs) visitIoValueExpressions(elementId, `camunda:inputParameter '${parameter.name}'`, parameter.value, visit);
  for (const parameter of mapping.outputs) visitIoValueExpressions(elementId, `camunda:outputParameter '${parameter.name}'`, parameter.value, visit);
}

function visitIoValueExpressions(elementId: string, where: string, value: IoValue, visit: ExpressionVisitor): void {
  if (value.kind === 'expression') visit(elementId, where, value.expression);
  if (value.kind === 'list') for (const item of value.items) visitIoValueExpressions(elementId, where, item, visit);
  if (value.kind === 'map') for (const entry of value.entries) visitIoValueExpressions(elementId, where, entry.value, visit);
}

/** Receives one handler name the runtime looks up in its registry. */
type HandlerVisitor = (elementId: string, where: string, name: string) => void;

/** `${myBean}` / `#{myBean}`: a delegate expression that only names a bean. */
const BEAN_REFERENCE = /^\s*[$#]\{\s*([A-Za-z_$][\w$]*)\s*\}\s*$/;

/** camunda:class values and bare-bean delegate expressions, of listeners and service-like tasks. */
function visitHandlers(graph: ProcessGraph, visit: HandlerVisitor): void {
  visitListenerHandlers(graph.id, graph.listeners, visit);
  for (const flow of graph.flows.values()) visitListenerHandlers(flow.id, flow.listeners, visit);
  for (const node of graph.nodes.values()) {
    visitListenerHandlers(node.id, node.listeners, visit);
    if (node.type === 'userTask') visitListenerHandlers(node.id, node.taskListeners, visit);
    const implementation = serviceBodyOf(node)?.implementation;
    if (implementation?.kind === 'class' || implementation?.kind === 'delegateExpression') visitHandler(node.id, implementation, node.type, visit);
  }
}

function visitListenerHandlers(elementId: string, listeners: readonly (ExecutionListener | TaskListener)[], visit: HandlerVisitor): void {
  for (const listener of listeners) visitHandler(elementId, listener.handler, 'listener', visit);
}

function visitHandler(elementId: string, handler: ListenerHandler, owner: string, visit: HandlerVisitor): void {
  if (handler.kind === 'class') visit(elementId, `camunda:class of ${owner} in element '${elementId}'`, handler.className);
  if (handler.kind === 'delegateExpression') {
    const bean = BEAN_REFERENCE.exec(handler.expression)?.[1];
    if (bean !== undefined) visit(elementId, `camunda:delegateExpression of ${owner} in element '${elementId}'`, bean);
  }
}

/** Receives one script of the process. */
type ScriptVisitor = (elementId: string, where: string, script: Script) => void;

function visitScripts(graph: ProcessGraph, visit: ScriptVisitor): void {
  visitListenerScripts(graph.id, graph.listeners, visit);
  for (const flow of graph.flows.values()) {
    if (flow.condition?.kind === 'script') visit(flow.id, `condition of sequence flow '${flow.id}'`, flow.condition.script);
    visitListenerScripts(flow.id, flow.listeners, visit);
  }
  for (const node of graph.nodes.values()) {
    visitListenerScripts(node.id, node.listeners, visit);
    if (node.type === 'userTask') visitListenerScripts(node.id, node.taskListeners, visit);
    if (node.type === 'scriptTask') visit(node.id, `scriptTask '${node.id}'`, node.script);
    if ('eventDefinition' in node && node.eventDefinition.kind === 'conditional' && node.eventDefinition.condition.kind === 'script') {
      visit(node.id, `condition of element '${node.id}'`, node.eventDefinition.condition.script);
    }
    if (node.ioMapping) {
      for (const parameter of node.ioMapping.inputs) visitIoScripts(node.id, parameter.value, visit);
      for (const parameter of node.ioMapping.outputs) visitIoScripts(node.id, parameter.value, visit);
    }
  }
}

function visitListenerScripts(elementId: string, listeners: readonly (ExecutionListener | TaskListener)[], visit: ScriptVisitor): void {
  for (const listener of listeners) {
    if (listener.handler.kind === 'script') visit(elementId, `listener of element '${elementId}'`, listener.handler.script);
  }
}

function visitIoScripts(elementId: string, value: IoValue, visit: ScriptVisitor): void {
  if (value.kind === 'script') visit(elementId, `input/output mapping of element '${elementId}'`, value.script);
  if (value.kind === 'list') for (const item of value.items) visitIoScripts(elementId, item, visit);
  if (value.kind === 'map') for (const entry of value.entries) visitIoScripts(elementId, entry.value, visit);
}
