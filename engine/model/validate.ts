/**
 * Structural rules on a compiled process, plus what the runtime executes
 * (support.ts). Every rule reports into the sink and goes on: a deployment
 * learns all its problems at once.
 */
import { compileExpression, isExpressionText } from '../expressions/index.js';
import type {
  Condition,
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
    validateImplementation(node, problems);
    validateIoPlacement(node, problems);
    validateJobPriority(node, problems);
  }
  for (const flow of graph.flows.values()) {
    if (flow.listeners.length > 0) requireSupport('executionListener', `sequenceFlow '${flow.id}'`, flow.id, problems);
  }
  if (graph.listeners.length > 0) requireSupport('executionListener', `process '${graph.id}'`, graph.id, problems);

  for (const use of expressionsOf(graph)) validateExpression(use, problems);
  for (const use of handlersOf(graph)) {
    if (options.isHandlerKnown && !options.isHandlerKnown(use.name)) {
      problems.warning(`no handler is registered under '${use.name}' (${use.where}); the element fails when reached`, use.elementId);
    }
  }
  for (const use of scriptsOf(graph)) {
    if (use.script.format !== '' && !EXECUTED_SCRIPT_LANGUAGES.includes(use.script.format)) {
      problems.warning(`${use.script.format} scripts are not executed by CadenzaFlow; the element fails when reached (${use.where})`, use.elementId);
    }
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

function validateImplementation(node: FlowNode, problems: ProblemSink): void {
  if ((node.type === 'serviceTask' || node.type === 'sendTask') && node.implementation.kind === 'none') {
    problems.error(`One of the attributes 'class', 'delegateExpression', 'type', or 'expression' is mandatory on ${node.type}.`, node.id);
  }
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

  if (!isSupported(node.type)) {
    // "timer boundary events ..." says more than "boundary events ..."
    need(definitionKey && definition.kind !== 'none' ? definitionKey : node.type);
    return;
  }
  if (definitionKey) need(definitionKey);
  if ((node.type === 'serviceTask' || node.type === 'sendTask') && node.implementation.kind !== 'none') {
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
  const fields = [
    ...node.listeners.flatMap((listener) => listener.fields),
    ...(node.type === 'userTask' ? node.taskListeners.flatMap((listener) => listener.fields) : []),
    ...('fields' in node ? node.fields : []),
  ];
  if (fields.length > 0) need('fieldInjection');
}

function requireSupport(key: SupportKey, subject: string, elementId: string, problems: ProblemSink): void {
  if (!isSupported(key)) problems.error(`${subject}: ${unsupportedReason(key)}`, elementId);
}

// ---------------------------------------------------------------- expressions, handlers, scripts

interface ExpressionUse {
  readonly elementId: string;
  readonly where: string;
  readonly text: string;
}

function validateExpression(use: ExpressionUse, problems: ProblemSink): void {
  if (!isExpressionText(use.text)) return;
  try {
    compileExpression(use.text);
  } catch (error) {
    problems.error(`invalid expression '${use.text}' in ${use.where}: ${(error as Error).message}`, use.elementId);
  }
}

/** Every text of the process that the runtime evaluates as an expression. */
function* expressionsOf(graph: ProcessGraph): Generator<ExpressionUse> {
  yield* listenerExpressions(graph.id, graph.listeners);
  for (const flow of graph.flows.values()) {
    if (flow.condition) yield* conditionExpressions(flow.id, 'conditionExpression', flow.condition);
    yield* listenerExpressions(flow.id, flow.listeners);
  }
  for (const node of graph.nodes.values()) {
    const id = node.id;
    const use = function* (where: string, text: string | undefined): Generator<ExpressionUse> {
      if (text !== undefined) yield { elementId: id, where, text };
    };
    yield* listenerExpressions(id, node.listeners);
    if (node.ioMapping) yield* ioExpressions(id, node.ioMapping);
    yield* use('camunda:jobPriority', node.jobPriority);
    if (node.multiInstance) {
      yield* use('loopCardinality', node.multiInstance.loopCardinality);
      yield* use('camunda:collection', node.multiInstance.collection);
      yield* use('completionCondition', node.multiInstance.completionCondition);
    }
    if ('eventDefinition' in node) yield* eventDefinitionExpressions(id, node.eventDefinition);
    switch (node.type) {
      case 'startEvent':
        yield* use('camunda:formKey', node.formKey);
        break;
      case 'userTask':
        yield* use('camunda:assignee', node.assignee);
        yield* use('camunda:candidateUsers', node.candidateUsers);
        yield* use('camunda:candidateGroups', node.candidateGroups);
        yield* use('camunda:dueDate', node.dueDate);
        yield* use('camunda:followUpDate', node.followUpDate);
        yield* use('camunda:priority', node.priority);
        yield* use('camunda:formKey', node.formKey);
        yield* listenerExpressions(id, node.taskListeners);
        break;
      case 'serviceTask':
      case 'sendTask':
      case 'businessRuleTask': {
        const implementation = node.implementation;
        if (implementation.kind === 'expression') yield* use('camunda:expression', implementation.expression);
        if (implementation.kind === 'delegateExpression') yield* use('camunda:delegateExpression', implementation.expression);
        if (implementation.kind === 'external') {
          yield* use('camunda:topic', implementation.topic);
          yield* use('camunda:taskPriority', implementation.taskPriority);
        }
        if (implementation.kind === 'connector' && implementation.ioMapping) yield* ioExpressions(id, implementation.ioMapping);
        yield* fieldExpressions(id, node.fields);
        yield* use('camunda:decisionRef', node.decisionRef);
        break;
      }
      case 'receiveTask':
        yield* use('message name', node.messageName);
        break;
      case 'callActivity':
        yield* use('calledElement', node.calledElement);
        yield* use('camunda:calledElementVersion', node.version);
        yield* use('camunda:calledElementVersionTag', node.versionTag);
        yield* use('camunda:calledElementTenantId', node.tenantId);
        yield* use('camunda:in businessKey', node.businessKey);
        for (const mapping of [...node.inputs, ...node.outputs]) {
          if (mapping.kind === 'sourceExpression') yield* use(`sourceExpression of the mapping to '${mapping.target}'`, mapping.expression);
        }
        break;
      default:
        break;
    }
  }
}

function* conditionExpressions(elementId: string, where: string, condition: Condition): Generator<ExpressionUse> {
  if (condition.kind === 'expression') yield { elementId, where, text: condition.expression };
}

function* eventDefinitionExpressions(elementId: string, definition: EventDefinition): Generator<ExpressionUse> {
  switch (definition.kind) {
    case 'message':
      if (definition.messageName !== undefined) yield { elementId, where: `the name of message '${definition.messageRef}'`, text: definition.messageName };
      break;
    case 'signal':
      if (definition.signalName !== undefined) yield { elementId, where: `the name of signal '${definition.signalRef}'`, text: definition.signalName };
      break;
    case 'timer':
      yield { elementId, where: definition.timer.type, text: definition.timer.expression };
      break;
    case 'conditional':
      yield* conditionExpressions(elementId, 'condition', definition.condition);
      break;
    default:
      break;
  }
}

function* listenerExpressions(elementId: string, listeners: readonly (ExecutionListener | TaskListener)[]): Generator<ExpressionUse> {
  for (const listener of listeners) {
    const tag = listener.event === 'start' || listener.event === 'end' || listener.event === 'take' ? 'camunda:executionListener' : 'camunda:taskListener';
    const handler = listener.handler;
    if (handler.kind === 'expression') yield { elementId, where: `${tag} expression`, text: handler.expression };
    if (handler.kind === 'delegateExpression') yield { elementId, where: `${tag} delegateExpression`, text: handler.expression };
    yield* fieldExpressions(elementId, listener.fields);
  }
}

function* fieldExpressions(elementId: string, fields: readonly FieldInjection[]): Generator<ExpressionUse> {
  for (const field of fields) {
    if (field.value.kind === 'expression') yield { elementId, where: `camunda:field '${field.name}'`, text: field.value.expression };
  }
}

function* ioExpressions(elementId: string, mapping: IoMapping): Generator<ExpressionUse> {
  for (const [parameters, tag] of [
    [mapping.inputs, 'camunda:inputParameter'],
    [mapping.outputs, 'camunda:outputParameter'],
  ] as const) {
    for (const parameter of parameters) yield* ioValueExpressions(elementId, `${tag} '${parameter.name}'`, parameter.value);
  }
}

function* ioValueExpressions(elementId: string, where: string, value: IoValue): Generator<ExpressionUse> {
  if (value.kind === 'expression') yield { elementId, where, text: value.expression };
  if (value.kind === 'list') for (const item of value.items) yield* ioValueExpressions(elementId, where, item);
  if (value.kind === 'map') for (const entry of value.entries) yield* ioValueExpressions(elementId, where, entry.value);
}

interface HandlerUse {
  readonly elementId: string;
  readonly where: string;
  readonly name: string;
}

/** `${myBean}` / `#{myBean}`: a delegate expression that only names a bean. */
const BEAN_REFERENCE = /^\s*[$#]\{\s*([A-Za-z_$][\w$]*)\s*\}\s*$/;

/** Handler names the runtime looks up in its registry: camunda:class values and bare-bean delegate expressions. */
function* handlersOf(graph: ProcessGraph): Generator<HandlerUse> {
  const fromListeners = function* (elementId: string, listeners: readonly (ExecutionListener | TaskListener)[]): Generator<HandlerUse> {
    for (const listener of listeners) yield* fromHandler(elementId, listener.handler, 'listener');
  };
  yield* fromListeners(graph.id, graph.listeners);
  for (const flow of graph.flows.values()) yield* fromListeners(flow.id, flow.listeners);
  for (const node of graph.nodes.values()) {
    yield* fromListeners(node.id, node.listeners);
    if (node.type === 'userTask') yield* fromListeners(node.id, node.taskListeners);
    if (node.type === 'serviceTask' || node.type === 'sendTask' || node.type === 'businessRuleTask') {
      const implementation = node.implementation;
      if (implementation.kind === 'class' || implementation.kind === 'delegateExpression') yield* fromHandler(node.id, implementation, node.type);
    }
  }
}

function* fromHandler(elementId: string, handler: ListenerHandler, owner: string): Generator<HandlerUse> {
  if (handler.kind === 'class') yield { elementId, where: `camunda:class of ${owner} in element '${elementId}'`, name: handler.className };
  if (handler.kind === 'delegateExpression') {
    const bean = BEAN_REFERENCE.exec(handler.expression)?.[1];
    if (bean !== undefined) yield { elementId, where: `camunda:delegateExpression of ${owner} in element '${elementId}'`, name: bean };
  }
}

interface ScriptUse {
  readonly elementId: string;
  readonly where: string;
  readonly script: Script;
}

function* scriptsOf(graph: ProcessGraph): Generator<ScriptUse> {
  const fromListeners = function* (elementId: string, listeners: readonly (ExecutionListener | TaskListener)[]): Generator<ScriptUse> {
    for (const listener of listeners) {
      if (listener.handler.kind === 'script') yield { elementId, where: `listener of element '${elementId}'`, script: listener.handler.script };
    }
  };
  const fromIo = function* (elementId: string, value: IoValue): Generator<ScriptUse> {
    if (value.kind === 'script') yield { elementId, where: `input/output mapping of element '${elementId}'`, script: value.script };
    if (value.kind === 'list') for (const item of value.items) yield* fromIo(elementId, item);
    if (value.kind === 'map') for (const entry of value.entries) yield* fromIo(elementId, entry.value);
  };
  yield* fromListeners(graph.id, graph.listeners);
  for (const flow of graph.flows.values()) {
    if (flow.condition?.kind === 'script') yield { elementId: flow.id, where: `condition of sequence flow '${flow.id}'`, script: flow.condition.script };
    yield* fromListeners(flow.id, flow.listeners);
  }
  for (const node of graph.nodes.values()) {
    yield* fromListeners(node.id, node.listeners);
    if (node.type === 'userTask') yield* fromListeners(node.id, node.taskListeners);
    if (node.type === 'scriptTask') yield { elementId: node.id, where: `scriptTask '${node.id}'`, script: node.script };
    if ('eventDefinition' in node && node.eventDefinition.kind === 'conditional' && node.eventDefinition.condition.kind === 'script') {
      yield { elementId: node.id, where: `condition of element '${node.id}'`, script: node.eventDefinition.condition.script };
    }
    for (const parameter of [...(node.ioMapping?.inputs ?? []), ...(node.ioMapping?.outputs ?? [])]) yield* fromIo(node.id, parameter.value);
  }
}
