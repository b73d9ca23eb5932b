import type { FlowNode } from '../../model/graph.js';
import type { ActivityBehavior } from './behavior.js';
import { CallActivityBehavior } from './call-activity.behavior.js';
import { NoneEndEventBehavior, TerminateEndEventBehavior } from './end-event.behavior.js';
import { ExclusiveGatewayBehavior, InclusiveGatewayBehavior, ParallelGatewayBehavior } from './gateways.behavior.js';
import { PassThroughBehavior } from './pass-through.behavior.js';
import { ReceiveTaskBehavior } from './receive-task.behavior.js';
import { ScriptTaskBehavior } from './script-task.behavior.js';
import { ServiceTaskBehavior } from './service-task.behavior.js';
import { SubProcessBehavior } from './sub-process.behavior.js';
import { UserTaskBehavior } from './user-task.behavior.js';
import { TimerCatchBehavior } from './timer-catch.behavior.js';
import { MessageSignalCatchBehavior } from './catch-event.behavior.js';
import { SignalThrowBehavior } from './signal-throw.behavior.js';
import { LinkThrowBehavior } from './link.behavior.js';
import { ConditionalCatchBehavior } from './conditional-catch.behavior.js';
import { EscalationThrowBehavior } from './escalation-throw.behavior.js';
import { EventBasedGatewayBehavior } from './event-based-gateway.behavior.js';
import { ErrorEndEventBehavior } from './error-end-event.behavior.js';
import { ExternalTaskBehavior } from './external-task.behavior.js';
import { ConnectorTaskBehavior } from './connector-task.behavior.js';
import { CompensationThrowBehavior } from './compensation-throw.behavior.js';
import { CancelEndEventBehavior } from './cancel-end-event.behavior.js';
import { TransactionBehavior } from './transaction.behavior.js';
import { EngineError } from '../../errors.js';

export type { ActivityBehavior, SignalPayload } from './behavior.js';

// Built on first use: behaviour modules import the interpreter, which imports this table, so
// creating the instances while the modules are still loading would see half-initialised classes.
function build() {
  const passThrough = new PassThroughBehavior();
  const noneEnd = new NoneEndEventBehavior();
  const terminateEnd = new TerminateEndEventBehavior();
  const errorEnd = new ErrorEndEventBehavior();
  const timerCatch = new TimerCatchBehavior();
  const messageSignalCatch = new MessageSignalCatchBehavior();
  const signalThrow = new SignalThrowBehavior();
  const linkThrow = new LinkThrowBehavior();
  const conditionalCatch = new ConditionalCatchBehavior();
  const escalationThrow = new EscalationThrowBehavior();
  const externalTask = new ExternalTaskBehavior();
  const byType: Partial<Record<FlowNode['type'], ActivityBehavior>> = {
    task: passThrough,
    manualTask: passThrough,
    userTask: new UserTaskBehavior(),
    serviceTask: new ServiceTaskBehavior(),
    sendTask: new ServiceTaskBehavior(),
    scriptTask: new ScriptTaskBehavior(),
    receiveTask: new ReceiveTaskBehavior(),
    exclusiveGateway: new ExclusiveGatewayBehavior(),
    parallelGateway: new ParallelGatewayBehavior(),
    inclusiveGateway: new InclusiveGatewayBehavior(),
    eventBasedGateway: new EventBasedGatewayBehavior(),
    subProcess: new SubProcessBehavior(),
    transaction: new TransactionBehavior(),
    callActivity: new CallActivityBehavior(),
  };
  return { passThrough, noneEnd, terminateEnd, errorEnd, timerCatch, messageSignalCatch, signalThrow, externalTask, byType, linkThrow, escalationThrow, conditionalCatch };
}

let table: ReturnType<typeof build> | null = null;
let connector: ConnectorTaskBehavior | null = null;

/** Connector activities (service, send and business rule tasks, message throw events) share one behaviour. */
export function connectorTask(): ConnectorTaskBehavior {
  return (connector ??= new ConnectorTaskBehavior());
}

function behaviors(): ReturnType<typeof build> {
  return (table ??= build());
}

let compensation: { throwing: CompensationThrowBehavior; cancelEnd: CancelEndEventBehavior } | null = null;

/** Compensation throw and end events, and cancel end events (which compensate their transaction). */
function compensationBehaviorFor(node: FlowNode): ActivityBehavior | undefined {
  if (node.type !== 'intermediateThrowEvent' && node.type !== 'endEvent') return undefined;
  const kind = node.eventDefinition.kind;
  if (kind !== 'compensate' && kind !== 'cancel') return undefined;
  compensation ??= { throwing: new CompensationThrowBehavior(), cancelEnd: new CancelEndEventBehavior() };
  return kind === 'compensate' ? compensation.throwing : compensation.cancelEnd;
}

/** The behaviour of an element; the model validation guarantees only supported elements get here. */
export function behaviorFor(node: FlowNode): ActivityBehavior {
  const { passThrough, noneEnd, terminateEnd, errorEnd, timerCatch, messageSignalCatch, signalThrow, externalTask, byType, linkThrow, escalationThrow, conditionalCatch } = behaviors();
  // A message throw or end event with an implementation runs it as a service task does (Camunda's CAM-436).
  const messageService = (node.type === 'intermediateThrowEvent' || node.type === 'endEvent') && node.eventDefinition.kind === 'message' ? node.eventDefinition.service : undefined;
  if (messageService) {
    if (messageService.implementation.kind === 'connector') return connectorTask();
    return messageService.implementation.kind === 'external' ? externalTask : byType.serviceTask!;
  }
  const compensating = compensationBehaviorFor(node);
  if (compensating) return compensating;
  switch (node.type) {
    case 'intermediateThrowEvent':
      if (node.eventDefinition.kind === 'link') return linkThrow;
      if (node.eventDefinition.kind === 'escalation') return escalationThrow;
      return node.eventDefinition.kind === 'signal' ? signalThrow : passThrough;
    case 'startEvent':
    case 'boundaryEvent':
      return passThrough;
    case 'intermediateCatchEvent':
      if (node.eventDefinition.kind === 'timer') return timerCatch;
      if (node.eventDefinition.kind === 'message' || node.eventDefinition.kind === 'signal') return messageSignalCatch;
      if (node.eventDefinition.kind === 'conditional') return conditionalCatch;
      // A link catch event is only ever entered already triggered, from its throw event.
      if (node.eventDefinition.kind === 'link') return passThrough;
      throw new EngineError('INTERNAL', `CadenzaFlow does not execute intermediateCatchEvent '${node.id}' (${node.eventDefinition.kind}) yet`);
    case 'endEvent':
      if (node.eventDefinition.kind === 'error') return errorEnd;
      if (node.eventDefinition.kind === 'signal') return signalThrow;
      if (node.eventDefinition.kind === 'escalation') return escalationThrow;
      return node.eventDefinition.kind === 'terminate' ? terminateEnd : noneEnd;
    case 'serviceTask':
    case 'sendTask':
    case 'businessRuleTask':
      if (node.implementation.kind === 'external') return externalTask;
      if (node.implementation.kind === 'connector') return connectorTask();
      break;
    default:
      break;
  }
  const b = byType[node.type];
  if (!b) throw new EngineError('INTERNAL', `CadenzaFlow does not execute ${node.type} '${node.id}'`);
  return b;
}
