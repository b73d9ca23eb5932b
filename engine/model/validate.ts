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
  StartEventNode,
  TaskListener,
} from './graph.js';
import type { ProblemSink } from './problems.js';
import { EXECUTED_SCRIPT_LANGUAGES, isSupported, unsupportedReason, type SupportKey } from './support.js';

export interface ValidateOptions {
  /** See ParseOptions.isHandlerKnown. */
  readonly isHandlerKnown?: (name: string) => boolean;
}

export function validateProcess(graph: ProcessGraph, problems: ProblemSink, options: ValidateOptions = {}): void {
  validateStartEvents(graph, problems);
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
  visitScripts(graph, (elementId, where, script) => {
    if (script.format !== '' && !EXECUTED_SCRIPT_LANGUAGES.includes(script.format)) {
      problems.warning(`${script.format} scripts are not executed by CadenzaFlow; the element fails when reached (${where})`, elementId);
    }
  });
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
  }

  for (const node of graph.nodes.values()) {
    if (node.type !== 'subProcess' || node.triggeredByEvent) continue;
    const starts = startEventsIn(graph, node.children);
    if (starts.length === 0) {
      problems.error(`subProcess must define a startEvent element (subprocess '${node.id}')`, node.id);
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
  if (hasFields(node.listeners) || (node.type === 'userTask' && hasFields(node.taskListeners)) || ('fields' in node && node.fields.length > 0)) {
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
      case 'businessRuleTask': {
        const implementation = node.implementation;
        if (implementation.kind === 'expression') visit(id, 'camunda:expression', implementation.expression);
        if (implementation.kind === 'delegateExpression') visit(id, 'camunda:delegateExpression', implementation.expression);
        if (implementation.kind === 'external') {
          visit(id, 'camunda:topic', implementation.topic);
          visit(id, 'camunda:taskPriority', implementation.taskPriority);
        }
        if (implementation.kind === 'connector' && implementation.ioMapping) visitIoExpressions(id, implementation.ioMapping, visit);
        visitFieldExpressions(id, node.fields, visit);
        visit(id, 'camunda:decisionRef', node.decisionRef);
        break;
      }
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
    if (node.type === 'serviceTask' || node.type === 'sendTask' || node.type === 'businessRuleTask') {
      const implementation = node.implementation;
      if (implementation.kind === 'class' || implementation.kind === 'delegateExpression') visitHandler(node.id, implementation, node.type, visit);
    }
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
