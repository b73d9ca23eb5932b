/**
 * moddle tree → ProcessGraph. One small function per element kind; each
 * reports what it cannot represent (missing attributes, broken references)
 * and leaves the structural and support rules to validate.ts.
 */
import { isExpressionText } from '../expressions/index.js';
import type {
  BoundaryEventNode,
  CallActivityNode,
  CallMapping,
  Condition,
  EventDefinition,
  ExecutionListener,
  FieldInjection,
  FlowNode,
  FlowNodeType,
  IoMapping,
  IoParameter,
  IoValue,
  ListenerHandler,
  MultiInstance,
  NodeBase,
  ProcessGraph,
  Script,
  SequenceFlow,
  ServiceBody,
  ServiceImplementation,
  SourceLocation,
  TaskListener,
  UserTaskNode,
} from './graph.js';
import type { LocationIndex } from './locations.js';
import type {
  AssociationElement,
  CamundaBody,
  CamundaConnector,
  CamundaField,
  CamundaFormData,
  CamundaFormProperty,
  CamundaInOut,
  CamundaInputOutput,
  CamundaListener,
  CamundaParameter,
  CamundaProperties,
  CamundaScript,
  CamundaValueDefinition,
  Collaboration,
  Definitions,
  ErrorElement,
  EscalationElement,
  EventDefinitionElement,
  Expression,
  FlowElement,
  FlowNodeElement,
  LoopCharacteristics,
  ModdleElement,
  Process,
  SequenceFlowElement,
} from './moddle.js';
import { tagName, type UnresolvedReferences } from './parse.js';
import { IGNORED_PROBLEMS, type ProblemSink } from './problems.js';
import { unknownElementReason } from './support.js';

type Named = { readonly id: string; readonly name: string };
type ErrorDefinition = ProcessGraph['errors'] extends ReadonlyMap<string, infer V> ? V : never;
type EscalationDefinition = ProcessGraph['escalations'] extends ReadonlyMap<string, infer V> ? V : never;

/** What compiling one resource needs besides the tree. */
export interface CompileEnvironment {
  readonly problems: ProblemSink;
  readonly locations: LocationIndex;
  readonly unresolved: UnresolvedReferences;
}

/** A process as compiled, with the sink its validation must report into. */
export interface CompiledProcess {
  readonly graph: ProcessGraph;
  /** Drops everything for non-executable processes. */
  readonly problems: ProblemSink;
}

/** Definitions-level state shared by all processes of the resource. */
interface ResourceScope {
  readonly env: CompileEnvironment;
  readonly messages: ReadonlyMap<string, Named>;
  readonly signals: ReadonlyMap<string, Named>;
  readonly errors: ReadonlyMap<string, ErrorDefinition>;
  readonly escalations: ReadonlyMap<string, EscalationDefinition>;
  /** How many id-less start tags of each local name were met so far, for locating them. */
  readonly anonymousSeen: Map<string, number>;
}

/** Per-process state while its elements are compiled. */
interface ProcessScope {
  readonly resource: ResourceScope;
  readonly problems: ProblemSink;
  readonly nodes: Map<string, FlowNode>;
  readonly flows: Map<string, SequenceFlow>;
  readonly edges: Map<string, { incoming: string[]; outgoing: string[]; boundaryEvents: string[] }>;
  readonly pendingFlows: { element: SequenceFlowElement; id: string; parentId: string | null; loc: SourceLocation | undefined }[];
  readonly pendingBoundaries: { id: string; parentId: string | null; hostResolved: boolean }[];
  /** Ids of elements already reported as not compilable; flows touching them are not reported again. */
  readonly rejected: Set<string>;
}

export function compileDefinitions(definitions: Definitions, env: CompileEnvironment): CompiledProcess[] {
  const roots = definitions.rootElements ?? [];
  const resource: ResourceScope = {
    env,
    messages: collectNamed(roots, 'bpmn:Message'),
    signals: collectNamed(roots, 'bpmn:Signal'),
    errors: collectErrors(roots),
    escalations: collectEscalations(roots),
    anonymousSeen: new Map(),
  };
  const participantNames = collectParticipantNames(roots);
  reportDuplicateSignalNames(roots, env.problems);

  const compiled: CompiledProcess[] = [];
  for (const root of roots) {
    if (root.$type !== 'bpmn:Process') continue;
    const process = root as Process;
    const problems = process.isExecutable === true ? env.problems : IGNORED_PROBLEMS;
    if (!process.id) {
      problems.error('process has no id', undefined, locate(resource, process));
      skipAnonymous(resource, process.flowElements);
      continue;
    }
    if (process.isExecutable === undefined) {
      env.problems.warning(
        `process '${process.id}' has no isExecutable attribute; like Camunda 7, CadenzaFlow treats it as not executable`,
        process.id,
      );
    }
    compiled.push({ graph: compileProcess(process, resource, problems, participantNames.get(process)), problems });
  }
  return compiled;
}

/** Camunda's parseSignals: a signal name belongs to one <signal>, since signals are broadcast by name. */
function reportDuplicateSignalNames(roots: readonly ModdleElement[], problems: ProblemSink): void {
  const seen = new Set<string>();
  for (const root of roots) {
    if (root.$type !== 'bpmn:Signal' || root.name === undefined) continue;
    if (seen.has(root.name)) problems.error(`duplicate signal name '${root.name}'.`, root.id);
    seen.add(root.name);
  }
}

function compileProcess(el: Process, resource: ResourceScope, problems: ProblemSink, participantName: string | undefined): ProcessGraph {
  const id = el.id!;
  const scope: ProcessScope = {
    resource,
    problems,
    nodes: new Map(),
    flows: new Map(),
    edges: new Map(),
    pendingFlows: [],
    pendingBoundaries: [],
    rejected: new Set(),
  };
  const children = compileScope(scope, el.flowElements, null);
  connectFlows(scope);
  attachBoundaryEvents(scope);
  linkCompensationHandlers(scope, el);

  return {
    id,
    name: el.name ?? participantName,
    isExecutable: el.isExecutable === true,
    versionTag: el.versionTag,
    historyTimeToLive: historyTimeToLive(el, problems),
    candidateStarterGroups: commaSeparated(el.candidateStarterGroups),
    candidateStarterUsers: commaSeparated(el.candidateStarterUsers),
    isStartableInTasklist: el.isStartableInTasklist !== false,
    nodes: scope.nodes,
    flows: scope.flows,
    children,
    listeners: executionListeners(scope, el, id, ['start', 'end']),
    properties: properties(el),
    messages: resource.messages,
    signals: resource.signals,
    errors: resource.errors,
    escalations: resource.escalations,
    loc: resource.env.locations.byId(id),
  };
}

// ---------------------------------------------------------------- scopes

/** Compiles the flow elements of a process or subprocess; returns the ids of its flow nodes. */
function compileScope(scope: ProcessScope, elements: readonly FlowElement[] | undefined, parentId: string | null): string[] {
  const children: string[] = [];
  for (const element of elements ?? []) {
    const loc = locate(scope.resource, element);
    if (element.$type === 'bpmn:SequenceFlow') {
      // Camunda 7 runs sequence flows without an id (its test suite relies on it); the graph
      // needs a key, so such a flow gets one no XML id can take ('#' is not allowed in an ID).
      const id = element.id ?? `#sequenceFlow-${scope.pendingFlows.length + 1}`;
      scope.pendingFlows.push({ element: element as SequenceFlowElement, id, parentId, loc });
      continue;
    }
    if (IGNORED_FLOW_ELEMENTS.has(element.$type)) continue;
    const compileNode = NODE_COMPILERS[element.$type];
    if (!element.id) {
      scope.problems.error(`${tagName(element.$type)} has no id`, undefined, loc);
      skipAnonymous(scope.resource, (element as FlowNodeElement).flowElements);
      continue;
    }
    if (!compileNode) {
      scope.problems.error(unknownElementReason(tagName(element.$type)), element.id, loc);
      scope.rejected.add(element.id);
      skipAnonymous(scope.resource, (element as FlowNodeElement).flowElements);
      continue;
    }
    const node = compileNode(scope, element as FlowNodeElement, nodeBase(scope, element as FlowNodeElement, parentId, loc));
    scope.nodes.set(node.id, node);
    children.push(node.id);
    if (node.type === 'subProcess' || node.type === 'transaction') {
      // children land in the map after their subprocess, keeping document order
      (node.children as string[]).push(...compileScope(scope, (element as FlowNodeElement).flowElements, node.id));
    }
    if (node.type === 'boundaryEvent') {
      scope.pendingBoundaries.push({ id: node.id, parentId, hostResolved: (element as FlowNodeElement).attachedToRef !== undefined });
    }
  }
  return children;
}

/** Content that never executes: accepted and left out of the graph. */
const IGNORED_FLOW_ELEMENTS: ReadonlySet<string> = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

/**
 * Sequence flows may reference nodes declared after them, so they are
 * connected once the whole process is compiled. A flow must stay inside
 * its (sub)process, as Camunda's `findActivityAtLevelOfSubprocess` demands.
 */
function connectFlows(scope: ProcessScope): void {
  for (const { element, id, parentId, loc } of scope.pendingFlows) {
    const sourceId = endpoint(scope, element, 'sourceRef', id, parentId, 'source');
    const targetId = endpoint(scope, element, 'targetRef', id, parentId, 'destination');
    if (sourceId === undefined || targetId === undefined) continue;
    const flow: SequenceFlow = {
      id,
      name: element.name,
      sourceRef: sourceId,
      targetRef: targetId,
      condition: element.conditionExpression ? condition(element.conditionExpression) : undefined,
      listeners: executionListeners(scope, element, id, 'take'),
      loc,
    };
    scope.flows.set(id, flow);
    scope.edges.get(sourceId)!.outgoing.push(id);
    scope.edges.get(targetId)!.incoming.push(id);
  }
}

function endpoint(
  scope: ProcessScope,
  flow: SequenceFlowElement,
  property: 'sourceRef' | 'targetRef',
  flowId: string,
  parentId: string | null,
  role: 'source' | 'destination',
): string | undefined {
  const ref = flow[property];
  const written = ref?.id ?? scope.resource.env.unresolved.take(flow, property);
  if (written === undefined) {
    scope.problems.error(`sequence flow '${flowId}' has no ${property}`, flowId);
    return undefined;
  }
  const node = scope.nodes.get(written);
  if (!node) {
    if (scope.rejected.has(written)) return undefined;
    scope.problems.error(`Invalid ${role} '${written}' of sequence flow '${flowId}'`, flowId);
    return undefined;
  }
  if (node.parentId !== parentId) {
    scope.problems.error(
      `Invalid ${role} '${written}' of sequence flow '${flowId}': it lies in ${scopeName(node.parentId)}, ` +
        `the flow in ${scopeName(parentId)}; sequence flows cannot cross subprocess boundaries`,
      flowId,
    );
    return undefined;
  }
  return written;
}

function scopeName(parentId: string | null): string {
  return parentId === null ? 'the process' : `subprocess '${parentId}'`;
}

function attachBoundaryEvents(scope: ProcessScope): void {
  for (const { id, parentId, hostResolved } of scope.pendingBoundaries) {
    const attachedToRef = (scope.nodes.get(id) as BoundaryEventNode).attachedToRef;
    const host = scope.nodes.get(attachedToRef);
    if (!host) {
      // an unresolved attachedToRef was reported while compiling the boundary event
      if (hostResolved && !scope.rejected.has(attachedToRef)) {
        scope.problems.error(`Invalid reference in boundary event '${id}': '${attachedToRef}' is not an activity`, id);
      }
      continue;
    }
    if (host.parentId !== parentId || !isActivity(host.type)) {
      scope.problems.error(
        `Invalid reference in boundary event '${id}': attachedToRef '${host.id}' must be an activity in the same scope as the boundary event`,
        id,
      );
      continue;
    }
    scope.edges.get(host.id)!.boundaryEvents.push(id);
  }
}

/**
 * Who compensates an activity (Camunda's parseCompensationEventSubprocess and
 * parseAssociations, in that order): a compensation event subprocess is the
 * handler of the subprocess it sits in; an association from a compensation
 * boundary event names the handler of the activity the event is attached to.
 */
function linkCompensationHandlers(scope: ProcessScope, process: Process): void {
  const setHandler = (node: FlowNode, handlerId: string) => ((node as { compensationHandler?: string }).compensationHandler = handlerId);
  for (const node of scope.nodes.values()) {
    if (node.type !== 'subProcess' || !node.triggeredByEvent) continue;
    const start = node.children.map((id) => scope.nodes.get(id)).find((c) => c?.type === 'startEvent' && c.eventDefinition.kind === 'compensate');
    if (!start) continue;
    const compensated = node.parentId === null ? undefined : scope.nodes.get(node.parentId);
    if (!compensated) {
      scope.problems.error(
        'event subprocess with compensation start event is only supported for embedded subprocess (since throwing compensation through a call activity-induced process hierarchy is not supported)',
        start.id,
      );
    } else if (compensated.compensationHandler === undefined) {
      setHandler(compensated, node.id);
    } else {
      scope.problems.error('multiple event subprocesses with compensation start event are not supported on the same scope', start.id);
    }
  }
  for (const association of associationsOf(process)) {
    const source = association.sourceRef?.id === undefined ? undefined : scope.nodes.get(association.sourceRef.id);
    const target = association.targetRef?.id === undefined ? undefined : scope.nodes.get(association.targetRef.id);
    // associations also link text annotations and data; only compensation boundary events matter here
    if (source?.type !== 'boundaryEvent' || source.eventDefinition.kind !== 'compensate' || !target) continue;
    const compensated = scope.nodes.get(source.attachedToRef);
    if (!target.isForCompensation) {
      scope.problems.error(`compensation boundary catch must be connected to element with isForCompensation=true (association to '${target.id}')`, source.id);
    } else if (compensated && compensated.compensationHandler !== undefined && scope.nodes.get(compensated.compensationHandler)?.type === 'subProcess') {
      scope.problems.error(
        `compensation boundary event and event subprocess with compensation start event are not supported on the same scope (boundary event '${source.id}')`,
        compensated.id,
      );
    } else if (compensated) {
      setHandler(compensated, target.id);
    }
  }
}

/** The associations of a process and of all its subprocesses. */
function associationsOf(process: Process): AssociationElement[] {
  const out: AssociationElement[] = [];
  const visit = (artifacts: readonly ModdleElement[] | undefined, elements: readonly FlowElement[] | undefined) => {
    for (const artifact of artifacts ?? []) if (artifact.$type === 'bpmn:Association') out.push(artifact as AssociationElement);
    for (const element of elements ?? []) {
      const nested = element as FlowNodeElement;
      if (nested.flowElements || nested.artifacts) visit(nested.artifacts, nested.flowElements);
    }
  };
  visit(process.artifacts, process.flowElements);
  return out;
}

function isActivity(type: FlowNodeType): boolean {
  return !type.endsWith('Event') && !type.endsWith('Gateway');
}

// ---------------------------------------------------------------- nodes

type NodeCompiler = (scope: ProcessScope, el: FlowNodeElement, base: NodeBase) => FlowNode;

const NODE_COMPILERS: Readonly<Record<string, NodeCompiler>> = {
  'bpmn:StartEvent': startEvent,
  'bpmn:EndEvent': (scope, el, base) => ({ ...base, type: 'endEvent', eventDefinition: eventDefinition(scope, el) }),
  'bpmn:IntermediateThrowEvent': (scope, el, base) => ({ ...base, type: 'intermediateThrowEvent', eventDefinition: eventDefinition(scope, el) }),
  'bpmn:IntermediateCatchEvent': (scope, el, base) => ({ ...base, type: 'intermediateCatchEvent', eventDefinition: eventDefinition(scope, el) }),
  'bpmn:BoundaryEvent': boundaryEvent,
  'bpmn:Task': (_scope, _el, base) => ({ ...base, type: 'task' }),
  'bpmn:ManualTask': (_scope, _el, base) => ({ ...base, type: 'manualTask' }),
  'bpmn:UserTask': userTask,
  'bpmn:ServiceTask': (scope, el, base) => serviceTask(scope, el, base, 'serviceTask'),
  'bpmn:SendTask': (scope, el, base) => serviceTask(scope, el, base, 'sendTask'),
  'bpmn:BusinessRuleTask': (scope, el, base) => serviceTask(scope, el, base, 'businessRuleTask'),
  'bpmn:ScriptTask': scriptTask,
  'bpmn:ReceiveTask': receiveTask,
  'bpmn:SubProcess': (_scope, el, base) => ({ ...base, type: 'subProcess', triggeredByEvent: el.triggeredByEvent === true, children: [] }),
  'bpmn:Transaction': (_scope, _el, base) => ({ ...base, type: 'transaction', triggeredByEvent: false, children: [] }),
  'bpmn:CallActivity': callActivity,
  'bpmn:ExclusiveGateway': (_scope, _el, base) => ({ ...base, type: 'exclusiveGateway' }),
  'bpmn:ParallelGateway': (_scope, _el, base) => ({ ...base, type: 'parallelGateway' }),
  'bpmn:InclusiveGateway': (_scope, _el, base) => ({ ...base, type: 'inclusiveGateway' }),
  'bpmn:EventBasedGateway': (_scope, _el, base) => ({ ...base, type: 'eventBasedGateway' }),
  'bpmn:ComplexGateway': (_scope, _el, base) => ({ ...base, type: 'complexGateway' }),
};

/** What every flow node carries; the edge arrays are filled once flows are connected. */
function nodeBase(scope: ProcessScope, el: FlowNodeElement, parentId: string | null, loc: SourceLocation | undefined): NodeBase {
  const id = el.id!;
  const edges = { incoming: [] as string[], outgoing: [] as string[], boundaryEvents: [] as string[] };
  scope.edges.set(id, edges);
  return {
    id,
    name: el.name,
    parentId,
    incoming: edges.incoming,
    outgoing: edges.outgoing,
    defaultFlow: defaultFlow(scope, el),
    asyncBefore: el.asyncBefore === true || el.async === true,
    asyncAfter: el.asyncAfter === true,
    exclusive: el.exclusive !== false,
    jobPriority: el.jobPriority,
    failedJobRetryTimeCycle: failedJobRetryTimeCycle(el),
    ioMapping: inputOutput(scope, el, id),
    listeners: executionListeners(scope, el, id, ['start', 'end']),
    properties: properties(el),
    boundaryEvents: edges.boundaryEvents,
    multiInstance: multiInstance(scope, el, id),
    isForCompensation: el.isForCompensation === true,
    loc,
  };
}

function startEvent(scope: ProcessScope, el: FlowNodeElement, base: NodeBase): FlowNode {
  formRef(scope, el, base.id);
  return {
    ...base,
    type: 'startEvent',
    eventDefinition: eventDefinition(scope, el),
    isInterrupting: el.isInterrupting !== false,
    formKey: el.formKey,
    initiator: el.initiator,
    formFields: formFields(scope, el, base.id),
  };
}

function boundaryEvent(scope: ProcessScope, el: FlowNodeElement, base: NodeBase): FlowNode {
  const attachedToRef = el.attachedToRef?.id ?? scope.resource.env.unresolved.take(el, 'attachedToRef');
  if (attachedToRef === undefined) {
    scope.problems.error(`boundary event '${base.id}' has no attachedToRef`, base.id);
  } else if (!el.attachedToRef) {
    scope.problems.error(`Invalid reference in boundary event '${base.id}': no activity with id '${attachedToRef}'`, base.id);
  }
  return {
    ...base,
    type: 'boundaryEvent',
    eventDefinition: eventDefinition(scope, el),
    attachedToRef: attachedToRef ?? '',
    cancelActivity: el.cancelActivity !== false,
  };
}

function userTask(scope: ProcessScope, el: FlowNodeElement, base: NodeBase): UserTaskNode {
  formRef(scope, el, base.id);
  const assignment = resourceAssignments(scope, el, base.id);
  return {
    ...base,
    type: 'userTask',
    assignee: el.assignee ?? assignment.assignee,
    candidateUsers: joinCandidates(el.candidateUsers, assignment.candidateUsers),
    candidateGroups: joinCandidates(el.candidateGroups, assignment.candidateGroups),
    dueDate: el.dueDate,
    followUpDate: el.followUpDate,
    priority: el.priority,
    formKey: el.formKey,
    taskListeners: taskListeners(scope, el, base.id),
    formFields: formFields(scope, el, base.id),
  };
}

function serviceTask(scope: ProcessScope, el: FlowNodeElement, base: NodeBase, type: 'serviceTask' | 'sendTask' | 'businessRuleTask'): FlowNode {
  return {
    ...base,
    type,
    ...serviceBody(scope, el, base.id, type),
    decisionRef: type === 'businessRuleTask' ? el.decisionRef : undefined,
  };
}

/**
 * The implementation of a service-like element. `el` carries the camunda
 * attributes: the task itself, or the messageEventDefinition of a message
 * throw or end event; `label` names the element kind in messages, as Camunda's
 * parser does (`serviceTask`, `intermediateMessageThrowEvent`, ...).
 */
function serviceBody(scope: ProcessScope, el: FlowNodeElement, id: string, label: string): ServiceBody {
  const implementation = serviceImplementation(scope, el, id, label);
  const resultVariable = el.resultVariable ?? el.$attrs?.['camunda:resultVariableName'];
  if (resultVariable !== undefined && (implementation.kind === 'class' || implementation.kind === 'delegateExpression')) {
    scope.problems.error(`'resultVariableName' not supported for ${label} elements using '${implementation.kind}'`, id);
  }
  return { implementation, resultVariable, fields: fieldInjections(scope, extensions<CamundaField>(el, 'camunda:Field'), id) };
}

/** Camunda's order: `type`, `class`, `delegateExpression`, `expression`; a connector (read by the connect plugin afterwards) wins. */
function serviceImplementation(scope: ProcessScope, el: FlowNodeElement, id: string, type: string): ServiceImplementation {
  const connector = extensions<CamundaConnector>(el, 'camunda:Connector')[0];
  if (connector) {
    const connectorId = connector.connectorId?.trim();
    if (!connectorId) scope.problems.error('camunda:connector has no camunda:connectorId', id);
    return { kind: 'connector', connectorId: connectorId ?? '', ioMapping: connector.inputOutput ? ioMapping(scope, connector.inputOutput, id) : undefined };
  }
  if (el.type !== undefined) {
    if (el.type.toLowerCase() === 'external') {
      if (el.topic === undefined) scope.problems.error("External tasks must specify a 'topic' attribute in the camunda namespace", id);
      return { kind: 'external', topic: el.topic ?? '', taskPriority: el.taskPriority };
    }
    if (el.type.toLowerCase() === 'mail' || el.type.toLowerCase() === 'shell') {
      const elements = type === 'sendTask' ? 'send tasks' : type === 'serviceTask' ? 'service tasks' : `${type} elements`;
      scope.problems.error(`camunda:type="${el.type}" ${elements} are not executed by CadenzaFlow yet`, id);
    } else {
      scope.problems.error(`Invalid usage of type attribute on ${type}: '${el.type}'`, id);
    }
    return { kind: 'none' };
  }
  if (el.class !== undefined && el.class.trim() !== '') return { kind: 'class', className: el.class.trim() };
  if (el.delegateExpression !== undefined) return { kind: 'delegateExpression', expression: el.delegateExpression };
  if (el.expression !== undefined && el.expression.trim() !== '') return { kind: 'expression', expression: el.expression };
  // a business rule task is refused as a whole (it needs DMN); no need to say more
  if (type !== 'businessRuleTask') {
    scope.problems.error(`One of the attributes 'class', 'delegateExpression', 'type', or 'expression' is mandatory on ${type}.`, id);
  }
  return { kind: 'none' };
}

function scriptTask(_scope: ProcessScope, el: FlowNodeElement, base: NodeBase): FlowNode {
  return {
    ...base,
    type: 'scriptTask',
    script: script(el.scriptFormat, el.script, el.resource),
    resultVariable: el.resultVariable ?? el.$attrs?.['camunda:resultVariableName'],
  };
}

function receiveTask(scope: ProcessScope, el: FlowNodeElement, base: NodeBase): FlowNode {
  const message = reference(scope, el, 'messageRef', base.id, scope.resource.messages, (ref) => `Invalid 'messageRef': no message with id '${ref}' found.`);
  return { ...base, type: 'receiveTask', messageRef: message?.id, messageName: message?.name };
}

function callActivity(scope: ProcessScope, el: FlowNodeElement, base: NodeBase): CallActivityNode {
  const id = base.id;
  if (el.caseRef !== undefined) {
    scope.problems.error('call activities calling CMMN cases (camunda:caseRef) are not executed: CadenzaFlow does not run CMMN', id);
  } else if (el.calledElement === undefined || el.calledElement.trim() === '') {
    scope.problems.error("Missing attribute 'calledElement'", id);
  }
  if (el.variableMappingClass !== undefined || el.variableMappingDelegateExpression !== undefined) {
    scope.problems.error(
      'variable mapping delegates (camunda:variableMappingClass / camunda:variableMappingDelegateExpression) are not executed by CadenzaFlow yet',
      id,
    );
  }
  const binding = el.calledElementBinding ?? 'latest';
  if (!CALL_BINDINGS.includes(binding as CallActivityNode['binding'])) {
    scope.problems.warning(`camunda:calledElementBinding '${binding}' is not one of latest, deployment, version, versionTag; 'latest' is used, as in Camunda 7`, id);
  }
  if (binding === 'version' && el.calledElementVersion === undefined) {
    scope.problems.error("Missing attribute 'calledElementVersion' when 'calledElementBinding' has value 'version'", id);
  }
  if (binding === 'versionTag' && el.calledElementVersionTag === undefined) {
    scope.problems.error("Missing attribute 'calledElementVersionTag' when 'calledElementBinding' has value 'versionTag'", id);
  }

  let businessKey: string | undefined;
  const inputs: CallMapping[] = [];
  for (const mapping of extensions<CamundaInOut>(el, 'camunda:In')) {
    if (mapping.businessKey !== undefined && mapping.businessKey !== '') businessKey = mapping.businessKey;
    else pushCallMapping(scope, mapping, id, inputs);
  }
  const outputs: CallMapping[] = [];
  for (const mapping of extensions<CamundaInOut>(el, 'camunda:Out')) pushCallMapping(scope, mapping, id, outputs);

  return {
    ...base,
    type: 'callActivity',
    calledElement: el.calledElement ?? '',
    binding: CALL_BINDINGS.includes(binding as CallActivityNode['binding']) ? (binding as CallActivityNode['binding']) : 'latest',
    version: el.calledElementVersion,
    versionTag: el.calledElementVersionTag,
    tenantId: el.calledElementTenantId === '' ? undefined : el.calledElementTenantId,
    inputs,
    outputs,
    businessKey,
  };
}

const CALL_BINDINGS: readonly CallActivityNode['binding'][] = ['latest', 'deployment', 'version', 'versionTag'];

/** Camunda's strict validation of `camunda:in` / `camunda:out`. */
function pushCallMapping(scope: ProcessScope, mapping: CamundaInOut, id: string, into: CallMapping[]): void {
  const local = mapping.local === true;
  if (mapping.variables === 'all') {
    into.push({ kind: 'all', local });
    return;
  }
  const tag = `camunda:${mapping.$type === 'camunda:In' ? 'in' : 'out'}`;
  if (mapping.source === '') scope.problems.error(`Empty attribute 'source' when passing variables (${tag})`, id);
  else if (mapping.source === undefined && mapping.sourceExpression === '') scope.problems.error(`Empty attribute 'sourceExpression' when passing variables (${tag})`, id);
  else if (mapping.source === undefined && mapping.sourceExpression === undefined) {
    scope.problems.error(`Missing parameter 'source' or 'sourceExpression' when passing variables (${tag})`, id);
  }
  if (mapping.target === undefined) scope.problems.error(`Missing attribute 'target' when attribute 'source' or 'sourceExpression' is set (${tag})`, id);
  else if (mapping.target === '') scope.problems.error(`Empty attribute 'target' when attribute 'source' or 'sourceExpression' is set (${tag})`, id);

  const target = mapping.target ?? '';
  if (mapping.source !== undefined && mapping.source !== '') into.push({ kind: 'source', source: mapping.source, target, local });
  else if (mapping.sourceExpression !== undefined && mapping.sourceExpression !== '') {
    into.push({ kind: 'sourceExpression', expression: mapping.sourceExpression, target, local });
  }
}

// ---------------------------------------------------------------- events

function eventDefinition(scope: ProcessScope, el: FlowNodeElement): EventDefinition {
  const definitions = el.eventDefinitions ?? [];
  if (definitions.length > 1) {
    scope.problems.error(`events with several event definitions (${definitions.map((definition) => tagName(definition.$type)).join(', ')}) are not executed by CadenzaFlow`, el.id);
  }
  const definition = definitions[0];
  if (!definition) return { kind: 'none' };
  const compileDefinition = EVENT_DEFINITION_COMPILERS[definition.$type];
  if (!compileDefinition) {
    scope.problems.error(`${tagName(definition.$type)} is not executed by CadenzaFlow`, el.id);
    return { kind: 'none' };
  }
  return compileDefinition(scope, definition, el.id!);
}

type ReferenceProperty = 'messageRef' | 'signalRef' | 'escalationRef';

type EventDefinitionCompiler = (scope: ProcessScope, def: EventDefinitionElement, id: string) => EventDefinition;

const EVENT_DEFINITION_COMPILERS: Readonly<Record<string, EventDefinitionCompiler>> = {
  'bpmn:MessageEventDefinition': (scope, def, id) => {
    const message = reference(scope, def, 'messageRef', id, scope.resource.messages, (ref) => `Invalid 'messageRef': no message with id '${ref}' found.`);
    const service = messageService(scope, def, id);
    return { kind: 'message', messageRef: message?.id, messageName: message?.name, ...(service ? { service } : {}) };
  },
  'bpmn:SignalEventDefinition': (scope, def, id) => {
    const signal = reference(scope, def, 'signalRef', id, scope.resource.signals, (ref) => `Could not find signal with id '${ref}'`);
    return { kind: 'signal', signalRef: signal?.id, signalName: signal?.name, async: def.async === true };
  },
  'bpmn:ErrorEventDefinition': (scope, def) => {
    // Camunda takes an errorRef naming no <error> as the error code itself
    const errorRef = def.errorRef?.id ?? scope.resource.env.unresolved.take(def, 'errorRef');
    const error = errorRef === undefined ? undefined : scope.resource.errors.get(errorRef);
    // Camunda's parseEndEvents: an error end event throws a code, so its <error> must have one
    if (def.$parent?.$type === 'bpmn:EndEvent' && error && !error.errorCode) {
      scope.problems.error("'errorCode' is required for an error event", def.$parent.id);
    }
    return {
      kind: 'error',
      errorRef,
      errorCode: error ? error.errorCode : errorRef,
      errorMessage: error?.errorMessage,
      errorCodeVariable: def.errorCodeVariable,
      errorMessageVariable: def.errorMessageVariable,
    };
  },
  'bpmn:EscalationEventDefinition': (scope, def, id) => {
    const written = def.escalationRef !== undefined || scope.resource.env.unresolved.has(def, 'escalationRef');
    const escalation = reference(scope, def, 'escalationRef', id, scope.resource.escalations, (ref) => `could not find escalation with id '${ref}'`);
    const owner = def.$parent?.$type;
    if (owner === 'bpmn:IntermediateThrowEvent' || owner === 'bpmn:EndEvent') {
      // Camunda's parseThrowEscalationEventDefinition: a throw must name an escalation that has a code
      if (!written) scope.problems.error("escalationEventDefinition does not have required attribute 'escalationRef'", id);
      else if (escalation && escalation.escalationCode === undefined) scope.problems.error("throwing escalation event must have an 'escalationCode'", id);
    }
    return { kind: 'escalation', escalationRef: escalation?.id, escalationCode: escalation?.escalationCode, escalationCodeVariable: def.escalationCodeVariable };
  },
  'bpmn:TimerEventDefinition': (scope, def, id) => {
    // Camunda's precedence when several are given: date, cycle, duration
    for (const type of ['timeDate', 'timeCycle', 'timeDuration'] as const) {
      const expression = def[type];
      if (expression) return { kind: 'timer', timer: { type, expression: (expression.body ?? '').trim() } };
    }
    scope.problems.error('Timer needs configuration (either timeDate, timeCycle or timeDuration is needed).', id);
    return { kind: 'timer', timer: { type: 'timeDuration', expression: '' } };
  },
  'bpmn:ConditionalEventDefinition': (scope, def, id) => {
    if (!def.condition) scope.problems.error('Conditional event must contain an expression for evaluation.', id);
    return {
      kind: 'conditional',
      condition: def.condition ? condition(def.condition) : { kind: 'expression', expression: '' },
      variableName: def.variableName,
      variableEvents: commaSeparated(def.variableEvents),
    };
  },
  'bpmn:LinkEventDefinition': (_scope, def) => ({ kind: 'link', name: def.name ?? '' }),
  'bpmn:CompensateEventDefinition': (scope, def, id) => {
    const activityRef = def.activityRef?.id ?? scope.resource.env.unresolved.take(def, 'activityRef');
    const waitForCompletion = def.waitForCompletion !== false;
    const owner = def.$parent?.$type;
    if (owner === 'bpmn:BoundaryEvent' || owner === 'bpmn:StartEvent') {
      // Camunda's validateCatchCompensateEventDefinition: both attributes belong to throwing events
      if (activityRef !== undefined) scope.problems.warning("attribute 'activityRef' is not supported on catching compensation event. attribute will be ignored", id);
      if (Object.prototype.hasOwnProperty.call(def, 'waitForCompletion')) {
        scope.problems.warning("attribute 'waitForCompletion' is not supported on catching compensation event. attribute will be ignored", id);
      }
    } else if (!waitForCompletion) {
      scope.problems.warning(
        "Unsupported attribute value for 'waitForCompletion': 'waitForCompletion=false' is not supported. Compensation event will wait for compensation to join.",
        id,
      );
    }
    return { kind: 'compensate', activityRef, waitForCompletion };
  },
  'bpmn:CancelEventDefinition': () => ({ kind: 'cancel' }),
  'bpmn:TerminateEventDefinition': () => ({ kind: 'terminate' }),
};

/**
 * A message throw or end event whose messageEventDefinition names an
 * implementation (or a connector) behaves as a service task; one without any
 * passes through (Camunda's isServiceTaskLike). Catching events ignore these
 * attributes, as Camunda does.
 */
function messageService(scope: ProcessScope, def: EventDefinitionElement, id: string): ServiceBody | undefined {
  const owner = def.$parent?.$type;
  if (owner !== 'bpmn:IntermediateThrowEvent' && owner !== 'bpmn:EndEvent') return undefined;
  // camunda-bpmn-moddle gives messageEventDefinition the service task attributes (camunda:ServiceTaskLike).
  const el = def as FlowNodeElement;
  const named = el.class !== undefined || el.expression !== undefined || el.delegateExpression !== undefined || el.type !== undefined;
  if (!named && extensions(el, 'camunda:Connector').length === 0) return undefined;
  return serviceBody(scope, el, id, owner === 'bpmn:EndEvent' ? 'messageEndEvent' : 'intermediateMessageThrowEvent');
}

/**
 * Resolves a reference to a definitions-level element (message, signal,
 * escalation); one that names nothing was recorded by the reader and is
 * reported here with Camunda's wording.
 */
function reference<T>(
  scope: ProcessScope,
  el: ModdleElement & Partial<Record<ReferenceProperty, ModdleElement>>,
  property: ReferenceProperty,
  elementId: string,
  declared: ReadonlyMap<string, T>,
  missing: (ref: string) => string,
): T | undefined {
  const ref = el[property]?.id ?? scope.resource.env.unresolved.take(el, property);
  if (ref === undefined) return undefined;
  const found = declared.get(ref);
  if (!found) scope.problems.error(missing(ref), elementId);
  return found;
}

// ---------------------------------------------------------------- shared parts

function defaultFlow(scope: ProcessScope, el: FlowNodeElement): string | undefined {
  if (el.default) {
    if (el.default.$type !== 'bpmn:SequenceFlow') {
      scope.problems.error(`default '${el.default.id}' of '${el.id}' is not a sequence flow`, el.id);
    }
    return el.default.id;
  }
  const written = scope.resource.env.unresolved.take(el, 'default');
  if (written !== undefined) scope.problems.error(`default flow '${written}' of '${el.id}' does not exist`, el.id);
  return written;
}

function failedJobRetryTimeCycle(el: ModdleElement): string | undefined {
  return extensions<CamundaBody>(el, 'camunda:FailedJobRetryTimeCycle')[0]?.body?.trim();
}

function multiInstance(scope: ProcessScope, el: FlowNodeElement, id: string): MultiInstance | undefined {
  const loop: LoopCharacteristics | undefined = el.loopCharacteristics;
  if (!loop) return undefined;
  if (loop.$type === 'bpmn:StandardLoopCharacteristics') {
    scope.problems.warning('standardLoopCharacteristics is ignored, as Camunda 7 ignores it', id);
    return undefined;
  }
  const loopCardinality = loop.loopCardinality?.body?.trim();
  if (loop.loopCardinality && !loopCardinality) {
    scope.problems.error('loopCardinality must be defined for a multiInstanceLoopCharacteristics definition', id);
  }
  if (loopCardinality === undefined && loop.collection === undefined) {
    scope.problems.error('Either loopCardinality or loopDataInputRef/camunda:collection must be set', id);
  }
  if (loop.collection === undefined && loop.elementVariable !== undefined) {
    scope.problems.error('LoopDataInputRef/camunda:collection must be set when using inputDataItem or camunda:elementVariable', id);
  }
  return {
    isSequential: loop.isSequential === true,
    loopCardinality: loopCardinality || undefined,
    collection: loop.collection,
    elementVariable: loop.elementVariable,
    completionCondition: loop.completionCondition?.body?.trim(),
    asyncBefore: loop.asyncBefore === true,
    asyncAfter: loop.asyncAfter === true,
    exclusive: loop.exclusive !== false,
    failedJobRetryTimeCycle: failedJobRetryTimeCycle(loop),
  };
}

function condition(expression: Expression): Condition {
  if (expression.language !== undefined) {
    return { kind: 'script', script: script(expression.language, expression.body, expression.resource) };
  }
  return { kind: 'expression', expression: (expression.body ?? '').trim() };
}

/** A resource, when given, replaces the inline source (Camunda's ScriptUtil). */
function script(format: string | undefined, source: string | undefined, resource: string | undefined): Script {
  const lowerFormat = (format ?? '').trim().toLowerCase();
  return resource !== undefined && resource !== '' ? { format: lowerFormat, resource } : { format: lowerFormat, source };
}

function executionListeners(scope: ProcessScope, el: ModdleElement, id: string, events: readonly ('start' | 'end')[] | 'take'): ExecutionListener[] {
  const listeners: ExecutionListener[] = [];
  for (const listener of extensions<CamundaListener>(el, 'camunda:ExecutionListener')) {
    let event: ExecutionListener['event'];
    if (events === 'take') {
      // a sequence flow only fires 'take'; Camunda ignores the event attribute there
      event = 'take';
    } else if (listener.event === undefined || listener.event.trim() === '') {
      scope.problems.error("Attribute 'event' is mandatory on listener", id);
      continue;
    } else if (!(events as readonly string[]).includes(listener.event)) {
      scope.problems.error(`Attribute 'event' must be one of {${events.join('|')}} (camunda:executionListener event="${listener.event}")`, id);
      continue;
    } else {
      event = listener.event as 'start' | 'end';
    }
    const handler = listenerHandler(scope, listener, id, 'executionListener');
    if (handler) listeners.push({ event, handler, fields: fieldInjections(scope, listener.fields, id) });
  }
  return listeners;
}

const TASK_LISTENER_EVENTS: readonly TaskListener['event'][] = ['create', 'assignment', 'complete', 'update', 'delete', 'timeout'];

function taskListeners(scope: ProcessScope, el: ModdleElement, id: string): TaskListener[] {
  const listeners: TaskListener[] = [];
  for (const listener of extensions<CamundaListener>(el, 'camunda:TaskListener')) {
    if (listener.event === undefined) {
      scope.problems.error("Attribute 'event' is mandatory on taskListener", id);
      continue;
    }
    if (!TASK_LISTENER_EVENTS.includes(listener.event as TaskListener['event'])) {
      scope.problems.error(`Attribute 'event' must be one of {create|assignment|complete|update|delete|timeout} (camunda:taskListener event="${listener.event}")`, id);
      continue;
    }
    let timer: TaskListener['timer'];
    if (listener.event === 'timeout') {
      if (listener.id === undefined) scope.problems.error("Element 'id' is mandatory on taskListener of type 'timeout'", id);
      const definition = listener.eventDefinitions?.[0];
      const compiled = definition ? EVENT_DEFINITION_COMPILERS['bpmn:TimerEventDefinition']!(scope, definition as EventDefinitionElement, id) : undefined;
      if (compiled?.kind === 'timer') timer = compiled.timer;
      else scope.problems.error("Element 'timerEventDefinition' is mandatory on taskListener of type 'timeout'", id);
    }
    const handler = listenerHandler(scope, listener, id, 'taskListener');
    if (handler) {
      listeners.push({ event: listener.event as TaskListener['event'], handler, fields: fieldInjections(scope, listener.fields, id), id: listener.id, ...(timer ? { timer } : {}) });
    }
  }
  return listeners;
}

/** Camunda's precedence: class, expression, delegateExpression, script. */
function listenerHandler(scope: ProcessScope, listener: CamundaListener, id: string, tag: string): ListenerHandler | undefined {
  if (listener.class !== undefined) {
    if (listener.class.trim() === '') scope.problems.error(`Attribute 'class' cannot be empty (camunda:${tag})`, id);
    else return { kind: 'class', className: listener.class.trim() };
  } else if (listener.expression !== undefined) {
    return { kind: 'expression', expression: listener.expression };
  } else if (listener.delegateExpression !== undefined) {
    if (listener.delegateExpression === '') scope.problems.error(`Attribute 'delegateExpression' cannot be empty (camunda:${tag})`, id);
    else return { kind: 'delegateExpression', expression: listener.delegateExpression };
  } else if (listener.script) {
    const compiled = camundaScript(scope, listener.script, id);
    if (compiled) return { kind: 'script', script: compiled };
  } else {
    scope.problems.error(`Element 'class', 'expression', 'delegateExpression' or 'script' is mandatory on ${tag}`, id);
  }
  return undefined;
}

function camundaScript(scope: ProcessScope, el: CamundaScript, id: string): Script | undefined {
  if (el.scriptFormat === undefined || el.scriptFormat.trim() === '') {
    scope.problems.error("Missing attribute 'scriptFormat' for 'camunda:script' element", id);
    return undefined;
  }
  return script(el.scriptFormat, el.value, el.resource);
}

/** Activities carry `camunda:field` in extensionElements, listeners as direct children. */
function fieldInjections(scope: ProcessScope, declared: readonly CamundaField[] | undefined, id: string): FieldInjection[] {
  const fields: FieldInjection[] = [];
  for (const field of declared ?? []) {
    if (!field.name) {
      scope.problems.error("Attribute 'name' is mandatory on camunda:field", id);
      continue;
    }
    const text = field.stringValue || field.string;
    if (text) fields.push({ name: field.name, value: { kind: 'string', text } });
    else if (field.expression && field.expression.trim() !== '') fields.push({ name: field.name, value: { kind: 'expression', expression: field.expression } });
    else {
      scope.problems.error(
        `One of the following is mandatory on a field declaration: one of attributes stringValue|expression or one of child elements string|expression (camunda:field '${field.name}')`,
        id,
      );
    }
  }
  return fields;
}

function inputOutput(scope: ProcessScope, el: ModdleElement, id: string): IoMapping | undefined {
  const io = extensions<CamundaInputOutput>(el, 'camunda:InputOutput')[0];
  return io ? ioMapping(scope, io, id) : undefined;
}

function ioMapping(scope: ProcessScope, io: CamundaInputOutput, id: string): IoMapping {
  return {
    inputs: ioParameters(scope, io.inputParameters, id, 'inputParameter'),
    outputs: ioParameters(scope, io.outputParameters, id, 'outputParameter'),
  };
}

function ioParameters(scope: ProcessScope, parameters: readonly CamundaParameter[] | undefined, id: string, tag: string): IoParameter[] {
  const compiled: IoParameter[] = [];
  for (const parameter of parameters ?? []) {
    if (!parameter.name) {
      scope.problems.error(`Missing attribute 'name' for ${tag}`, id);
      continue;
    }
    compiled.push({ name: parameter.name, value: parameter.definition ? ioDefinition(scope, parameter.definition, id) : ioText(parameter.value) });
  }
  return compiled;
}

/** Text containing `${`/`#{` is an expression, other text a constant; blank is null. Camunda trims it. */
function ioText(text: string | undefined): IoValue {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { kind: 'null' };
  return isExpressionText(trimmed) ? { kind: 'expression', expression: trimmed } : { kind: 'text', text: trimmed };
}

function ioDefinition(scope: ProcessScope, definition: CamundaValueDefinition, id: string): IoValue {
  switch (definition.$type) {
    case 'camunda:List':
      return { kind: 'list', items: (definition.items ?? []).map((item) => ioDefinition(scope, item, id)) };
    case 'camunda:Map': {
      const entries: { key: string; value: IoValue }[] = [];
      for (const entry of definition.entries ?? []) {
        if (!entry.key) scope.problems.error("Missing attribute 'key' for 'entry' element", id);
        else entries.push({ key: entry.key, value: entry.definition ? ioDefinition(scope, entry.definition, id) : ioText(entry.value) });
      }
      return { kind: 'map', entries };
    }
    case 'camunda:Script': {
      const compiled = camundaScript(scope, definition, id);
      return compiled ? { kind: 'script', script: compiled } : { kind: 'null' };
    }
    default:
      return ioText(definition.value);
  }
}

function properties(el: ModdleElement): Record<string, string> {
  const result: Record<string, string> = {};
  for (const group of extensions<CamundaProperties>(el, 'camunda:Properties')) {
    for (const property of group.values ?? []) {
      if (property.name !== undefined) result[property.name] = property.value ?? '';
    }
  }
  return result;
}

function formFields(scope: ProcessScope, el: ModdleElement, id: string): UserTaskNode['formFields'] {
  const fields: { id: string; type?: string; label?: string; defaultValue?: string }[] = [];
  for (const formData of extensions<CamundaFormData>(el, 'camunda:FormData')) {
    for (const field of formData.fields ?? []) {
      if (!field.id) scope.problems.error('camunda:formField has no id', id);
      else fields.push({ id: field.id, type: field.type, label: field.label, defaultValue: field.defaultValue });
    }
  }
  // legacy generated forms
  for (const property of extensions<CamundaFormProperty>(el, 'camunda:FormProperty')) {
    if (!property.id) scope.problems.error('camunda:formProperty has no id', id);
    else fields.push({ id: property.id, type: property.type, label: property.name, defaultValue: property.default });
  }
  return fields;
}

function formRef(scope: ProcessScope, el: FlowNodeElement, id: string): void {
  if (el.formRef !== undefined) {
    if (el.formKey !== undefined) scope.problems.error('Invalid element definition: only one of the attributes formKey and formRef is allowed.', id);
    scope.problems.warning('camunda:formRef is ignored: CadenzaFlow does not serve Camunda Forms yet', id);
  }
}

/**
 * BPMN's own `humanPerformer` / `potentialOwner` assignments, which Camunda
 * reads besides its attributes: `user(x)` and `group(x)` prefixes, plain
 * entries are groups.
 */
function resourceAssignments(scope: ProcessScope, el: FlowNodeElement, id: string): { assignee?: string; candidateUsers: string[]; candidateGroups: string[] } {
  const result: { assignee?: string; candidateUsers: string[]; candidateGroups: string[] } = { candidateUsers: [], candidateGroups: [] };
  for (const role of el.resources ?? []) {
    const text = role.resourceAssignmentExpression?.expression?.body;
    if (text === undefined) continue;
    if (role.$type === 'bpmn:HumanPerformer') {
      if (result.assignee !== undefined || el.assignee !== undefined) {
        scope.problems.error(`Invalid usage: duplicate assignee declaration for task '${id}'`, id);
      }
      result.assignee = text.trim();
    } else if (role.$type === 'bpmn:PotentialOwner') {
      for (const entry of commaSeparated(text)) {
        if (entry.startsWith('user(') && entry.endsWith(')')) result.candidateUsers.push(entry.slice(5, -1).trim());
        else if (entry.startsWith('group(') && entry.endsWith(')')) result.candidateGroups.push(entry.slice(6, -1).trim());
        else result.candidateGroups.push(entry);
      }
    }
  }
  return result;
}

function joinCandidates(attribute: string | undefined, assigned: readonly string[]): string | undefined {
  const all = [...(attribute === undefined ? [] : [attribute]), ...assigned];
  return all.length === 0 ? undefined : all.join(',');
}

/** `camunda:historyTimeToLive`: whole days, written `5` or `P5D`. */
function historyTimeToLive(el: Process, problems: ProblemSink): number | undefined {
  const text = el.historyTimeToLive?.trim();
  if (text === undefined || text === '') return undefined;
  const days = /^P(\d+)D$/.exec(text)?.[1] ?? text;
  if (!/^\d+$/.test(days)) {
    problems.error(`Cannot parse historyTimeToLive '${text}': expected a number of days such as 5 or P5D`, el.id);
    return undefined;
  }
  return Number(days);
}

// ---------------------------------------------------------------- definitions level

function collectNamed(roots: readonly ModdleElement[], type: string): ReadonlyMap<string, Named> {
  const named = new Map<string, Named>();
  for (const root of roots) {
    if (root.$type === type && root.id) named.set(root.id, { id: root.id, name: root.name ?? '' });
  }
  return named;
}

function collectErrors(roots: readonly ModdleElement[]): ReadonlyMap<string, ErrorDefinition> {
  const errors = new Map<string, ErrorDefinition>();
  for (const root of roots) {
    if (root.$type !== 'bpmn:Error' || !root.id) continue;
    const error = root as ErrorElement;
    errors.set(root.id, { id: root.id, name: error.name, errorCode: error.errorCode, errorMessage: error.errorMessage });
  }
  return errors;
}

function collectEscalations(roots: readonly ModdleElement[]): ReadonlyMap<string, EscalationDefinition> {
  const escalations = new Map<string, EscalationDefinition>();
  for (const root of roots) {
    if (root.$type !== 'bpmn:Escalation' || !root.id) continue;
    const escalation = root as EscalationElement;
    escalations.set(root.id, {
      id: root.id,
      name: escalation.name,
      escalationCode: escalation.escalationCode === '' ? undefined : escalation.escalationCode,
    });
  }
  return escalations;
}

/** A process without a name takes its participant's, as in Camunda. */
function collectParticipantNames(roots: readonly ModdleElement[]): Map<Process, string> {
  const names = new Map<Process, string>();
  for (const root of roots) {
    if (root.$type !== 'bpmn:Collaboration') continue;
    for (const participant of (root as Collaboration).participants ?? []) {
      if (participant.processRef && participant.name !== undefined && !names.has(participant.processRef)) {
        names.set(participant.processRef, participant.name);
      }
    }
  }
  return names;
}

// ---------------------------------------------------------------- helpers

function extensions<T extends ModdleElement>(el: ModdleElement, type: string): T[] {
  const values = el.extensionElements?.values;
  return values ? (values.filter((value) => value.$type === type) as T[]) : [];
}

/**
 * Splits a comma-separated list where an entry may be an expression
 * containing commas (Camunda's `parseCommaSeparatedList`).
 */
export function commaSeparated(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const entries: string[] = [];
  let current = '';
  let insideExpression = false;
  for (const c of text) {
    if (c === '{' || c === '$') insideExpression = true;
    else if (c === '}') insideExpression = false;
    else if (c === ',' && !insideExpression) {
      entries.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.length > 0) entries.push(current.trim());
  return entries;
}

/** Position of an element; one without id is found by counting id-less tags of its name in document order. */
function locate(resource: ResourceScope, el: ModdleElement): SourceLocation | undefined {
  if (el.id) return resource.env.locations.byId(el.id);
  const local = tagName(el.$type).replace(/^.*:/, '');
  const seen = resource.anonymousSeen.get(local) ?? 0;
  resource.anonymousSeen.set(local, seen + 1);
  return resource.env.locations.anonymous(local, seen);
}

/** Keeps the id-less tag count right for the content of an element that is not compiled. */
function skipAnonymous(resource: ResourceScope, elements: readonly FlowElement[] | undefined): void {
  for (const element of elements ?? []) {
    locate(resource, element);
    skipAnonymous(resource, (element as FlowNodeElement).flowElements);
  }
}
