/**
 * What the runtime executes today, as data. A model using anything outside
 * `SUPPORTED` is rejected at deployment with a message naming the element
 * and the feature; to switch a feature on, add its key here once its
 * behaviour exists.
 *
 * Keys:
 * - a flow node type: `userTask`, `boundaryEvent`, ...
 * - an event definition on an event type: `<eventType>:<kind>`, e.g. `startEvent:none`, `boundaryEvent:timer`
 * - a service implementation on a task type: `<taskType>:<kind>`, e.g. `serviceTask:class`, `sendTask:external`
 * - a feature: `asyncBefore`, `multiInstance`, `eventSubProcess`, ...
 */
import type { EventDefinition, FlowNodeType, ServiceImplementation } from './graph.js';

export type Feature =
  | 'asyncBefore'
  | 'asyncAfter'
  | 'multiInstance'
  | 'isForCompensation'
  | 'eventSubProcess'
  | 'inputOutput'
  | 'executionListener'
  | 'taskListener'
  | 'timeoutTaskListener'
  | 'fieldInjection';

export type SupportKey =
  | FlowNodeType
  | `${FlowNodeType}:${EventDefinition['kind']}`
  | `${'serviceTask' | 'sendTask' | 'businessRuleTask'}:${ServiceImplementation['kind']}`
  /** The implementation of a message throw or end event (on its messageEventDefinition). */
  | `messageEventDefinition:${ServiceImplementation['kind']}`
  | Feature;

export const SUPPORTED: readonly SupportKey[] = [
  'startEvent',
  'startEvent:none',
  'endEvent',
  'endEvent:none',
  'endEvent:terminate',
  'intermediateThrowEvent',
  'intermediateThrowEvent:none',
  'task',
  'manualTask',
  'userTask',
  'serviceTask',
  'serviceTask:class',
  'serviceTask:expression',
  'serviceTask:delegateExpression',
  'sendTask',
  'sendTask:class',
  'sendTask:expression',
  'sendTask:delegateExpression',
  'serviceTask:external',
  'sendTask:external',
  'serviceTask:connector',
  'sendTask:connector',
  'businessRuleTask:connector',
  'businessRuleTask:external',
  'scriptTask',
  'receiveTask',
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'subProcess',
  'callActivity',
  'inputOutput',
  'executionListener',
  'taskListener',
  'timeoutTaskListener',
  'fieldInjection',
  'asyncBefore',
  'asyncAfter',
  'startEvent:timer',
  'intermediateCatchEvent',
  'intermediateCatchEvent:timer',
  'boundaryEvent',
  'boundaryEvent:timer',
  'boundaryEvent:error',
  'endEvent:error',
  'startEvent:message',
  'startEvent:signal',
  'intermediateCatchEvent:message',
  'intermediateCatchEvent:signal',
  'intermediateThrowEvent:signal',
  'endEvent:signal',
  'boundaryEvent:message',
  'boundaryEvent:signal',
  'eventBasedGateway',
  'multiInstance',
  'eventSubProcess',
  'startEvent:error',
  'intermediateThrowEvent:link',
  'intermediateCatchEvent:link',
  'intermediateThrowEvent:escalation',
  'endEvent:escalation',
  'boundaryEvent:escalation',
  'startEvent:escalation',
  'intermediateCatchEvent:conditional',
  'boundaryEvent:conditional',
  'transaction',
  'isForCompensation',
  'boundaryEvent:compensate',
  'boundaryEvent:cancel',
  'intermediateThrowEvent:compensate',
  'endEvent:compensate',
  'endEvent:cancel',
  'startEvent:compensate',
  'startEvent:conditional',
  'intermediateThrowEvent:message',
  'endEvent:message',
  'messageEventDefinition:class',
  'messageEventDefinition:expression',
  'messageEventDefinition:delegateExpression',
  'messageEventDefinition:external',
  'messageEventDefinition:connector',
];

/**
 * Script languages the runtime evaluates. Scripts in other languages deploy
 * with a warning and fail when reached, as they would on an engine without
 * that script engine.
 */
export const EXECUTED_SCRIPT_LANGUAGES: readonly string[] = ['javascript', 'ecmascript', 'js', 'juel'];

const supported = new Set<string>(SUPPORTED);

export function isSupported(key: SupportKey): boolean {
  return supported.has(key);
}

/** Messages for keys whose generic wording would say too little. */
const REASONS: Partial<Record<SupportKey, string>> = {
  businessRuleTask: 'business rule tasks need DMN, which CadenzaFlow does not execute yet',
};

const FEATURE_NAMES: Record<Feature, string> = {
  asyncBefore: 'asynchronous continuations (camunda:asyncBefore)',
  asyncAfter: 'asynchronous continuations (camunda:asyncAfter)',
  multiInstance: 'multi-instance activities (multiInstanceLoopCharacteristics)',
  isForCompensation: 'compensation handlers (isForCompensation)',
  eventSubProcess: 'event subprocesses',
  inputOutput: 'input/output mappings (camunda:inputOutput)',
  executionListener: 'execution listeners',
  taskListener: 'task listeners',
  timeoutTaskListener: 'timeout task listeners',
  fieldInjection: 'field injections (camunda:field)',
};

const ELEMENT_NAMES: Record<FlowNodeType, string> = {
  startEvent: 'start events',
  endEvent: 'end events',
  intermediateThrowEvent: 'intermediate throw events',
  intermediateCatchEvent: 'intermediate catch events',
  boundaryEvent: 'boundary events',
  task: 'tasks',
  manualTask: 'manual tasks',
  userTask: 'user tasks',
  serviceTask: 'service tasks',
  sendTask: 'send tasks',
  businessRuleTask: 'business rule tasks',
  scriptTask: 'script tasks',
  receiveTask: 'receive tasks',
  subProcess: 'subprocesses',
  transaction: 'transactions',
  callActivity: 'call activities',
  exclusiveGateway: 'exclusive gateways',
  parallelGateway: 'parallel gateways',
  inclusiveGateway: 'inclusive gateways',
  eventBasedGateway: 'event-based gateways',
  complexGateway: 'complex gateways',
};

const EVENT_DEFINITION_NAMES: Record<EventDefinition['kind'], string> = {
  none: 'none',
  terminate: 'terminate',
  message: 'message',
  signal: 'signal',
  error: 'error',
  escalation: 'escalation',
  timer: 'timer',
  conditional: 'conditional',
  link: 'link',
  compensate: 'compensation',
  cancel: 'cancel',
};

const IMPLEMENTATION_NAMES: Record<ServiceImplementation['kind'], string> = {
  class: 'camunda:class',
  expression: 'camunda:expression',
  delegateExpression: 'camunda:delegateExpression',
  external: 'camunda:type="external"',
  connector: 'camunda:connector',
  none: 'tasks without implementation',
};

/** Why `key` is rejected, in a sentence that names the feature. */
export function unsupportedReason(key: SupportKey): string {
  const reason = REASONS[key];
  if (reason) return reason;
  return `${describe(key)} are not executed by CadenzaFlow yet`;
}

/** For elements moddle knows but the graph has no type for, by tag (e.g. `adHocSubProcess`). */
export function unknownElementReason(tag: string): string {
  return `<${tag}> elements are not executed by CadenzaFlow yet`;
}

function describe(key: SupportKey): string {
  if (isFeature(key)) return FEATURE_NAMES[key];
  const [type, kind] = key.split(':') as [FlowNodeType | 'messageEventDefinition', string | undefined];
  if (type === 'messageEventDefinition') return `message throw and end events using ${IMPLEMENTATION_NAMES[kind as ServiceImplementation['kind']]}`;
  if (kind === undefined) return ELEMENT_NAMES[type];
  if (type === 'serviceTask' || type === 'sendTask' || type === 'businessRuleTask') {
    return `${ELEMENT_NAMES[type]} using ${IMPLEMENTATION_NAMES[kind as ServiceImplementation['kind']]}`;
  }
  return `${EVENT_DEFINITION_NAMES[kind as EventDefinition['kind']]} ${ELEMENT_NAMES[type]}`;
}

function isFeature(key: string): key is Feature {
  return key in FEATURE_NAMES;
}
