/**
 * The typed, immutable process graph the runtime executes. Compiled from the
 * bpmn-moddle tree by `compile.ts`; nothing downstream ever reads moddle objects.
 *
 * Expressions and texts stay as strings (e.g. "${amount > 100}"); the runtime
 * evaluates them through the expression cache. Everything is readonly: a graph
 * is shared by all instances of one process definition version.
 */

export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

/** A process definition as deployed: one `<process>` element. */
export interface ProcessGraph {
  /** The process key (`<process id>`). */
  readonly id: string;
  readonly name?: string;
  readonly isExecutable: boolean;
  /** `camunda:versionTag`. */
  readonly versionTag?: string;
  /** `camunda:historyTimeToLive` in days. */
  readonly historyTimeToLive?: number;
  /** `camunda:candidateStarterGroups` / `camunda:candidateStarterUsers`, split on commas. */
  readonly candidateStarterGroups: readonly string[];
  readonly candidateStarterUsers: readonly string[];
  /** `camunda:isStartableInTasklist`, default true. */
  readonly isStartableInTasklist: boolean;
  /** Every flow node of the process and its subprocesses, by id. */
  readonly nodes: ReadonlyMap<string, FlowNode>;
  /** Every sequence flow by id. */
  readonly flows: ReadonlyMap<string, SequenceFlow>;
  /** Ids of the process-level flow nodes (not inside subprocesses). */
  readonly children: readonly string[];
  /** Process-level execution listeners (`start`/`end` on the process element). */
  readonly listeners: readonly ExecutionListener[];
  /** Properties from `camunda:properties` on the process. */
  readonly properties: Readonly<Record<string, string>>;
  /** Messages, signals, errors and escalations declared in the definitions, by id. */
  readonly messages: ReadonlyMap<string, { readonly id: string; readonly name: string }>;
  readonly signals: ReadonlyMap<string, { readonly id: string; readonly name: string }>;
  readonly errors: ReadonlyMap<string, { readonly id: string; readonly name?: string; readonly errorCode?: string; readonly errorMessage?: string }>;
  readonly escalations: ReadonlyMap<string, { readonly id: string; readonly name?: string; readonly escalationCode?: string }>;
  readonly loc?: SourceLocation;
}

export interface SequenceFlow {
  readonly id: string;
  readonly name?: string;
  readonly sourceRef: string;
  readonly targetRef: string;
  /** `conditionExpression` text (a JUEL expression), or a script condition. */
  readonly condition?: Condition;
  /** `take` listeners on the flow. */
  readonly listeners: readonly ExecutionListener[];
  readonly loc?: SourceLocation;
}

export type Condition =
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'script'; readonly script: Script };

export interface Script {
  /** Lower-cased `scriptFormat` / `camunda:scriptFormat`, e.g. "javascript", "groovy", "juel". */
  readonly format: string;
  /** Inline source; absent when `resource` is used. */
  readonly source?: string;
  /** `camunda:resource` (e.g. "deployment://x.js" or "classpath://..."). */
  readonly resource?: string;
}

/** `camunda:executionListener` */
export interface ExecutionListener {
  readonly event: 'start' | 'end' | 'take';
  readonly handler: ListenerHandler;
  readonly fields: readonly FieldInjection[];
}

/** `camunda:taskListener` */
export interface TaskListener {
  readonly event: 'create' | 'assignment' | 'complete' | 'delete' | 'update' | 'timeout';
  readonly handler: ListenerHandler;
  readonly fields: readonly FieldInjection[];
  /** `id` attribute of the listener (needed for timeout listeners). */
  readonly id?: string;
  /** Timeout listeners: when they fire, counted from the task's creation (a cycle repeats while the task lives). */
  readonly timer?: { readonly type: 'timeDate' | 'timeDuration' | 'timeCycle'; readonly expression: string };
}

export type ListenerHandler =
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'delegateExpression'; readonly expression: string }
  | { readonly kind: 'class'; readonly className: string }
  | { readonly kind: 'script'; readonly script: Script };

/** `camunda:field` */
export interface FieldInjection {
  readonly name: string;
  readonly value: { readonly kind: 'string'; readonly text: string } | { readonly kind: 'expression'; readonly expression: string };
}

/** `camunda:inputOutput` */
export interface IoMapping {
  readonly inputs: readonly IoParameter[];
  readonly outputs: readonly IoParameter[];
}

export interface IoParameter {
  readonly name: string;
  readonly value: IoValue;
}

/**
 * Text content containing `${` or `#{` is an expression; other text is a
 * constant string; an empty parameter is null.
 */
export type IoValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'script'; readonly script: Script }
  | { readonly kind: 'list'; readonly items: readonly IoValue[] }
  | { readonly kind: 'map'; readonly entries: readonly { readonly key: string; readonly value: IoValue }[] };

export type EventDefinition =
  | { readonly kind: 'none' }
  | { readonly kind: 'terminate' }
  | {
      readonly kind: 'message';
      readonly messageRef?: string;
      /** resolved message name (may contain an expression) */
      readonly messageName?: string;
      /**
       * Throw and end events only: the `camunda:class`, `camunda:expression`,
       * `camunda:delegateExpression` or `camunda:type="external"` on the
       * messageEventDefinition, which make the event behave as a service task
       * (Camunda's CAM-436). Absent: the event just passes.
       */
      readonly service?: ServiceBody;
    }
  | { readonly kind: 'signal'; readonly signalRef?: string; readonly signalName?: string; readonly async?: boolean }
  | { readonly kind: 'error'; readonly errorRef?: string; readonly errorCode?: string; readonly errorMessage?: string; readonly errorCodeVariable?: string; readonly errorMessageVariable?: string }
  | { readonly kind: 'escalation'; readonly escalationRef?: string; readonly escalationCode?: string; readonly escalationCodeVariable?: string }
  | { readonly kind: 'timer'; readonly timer: { readonly type: 'timeDate' | 'timeDuration' | 'timeCycle'; readonly expression: string } }
  | { readonly kind: 'conditional'; readonly condition: Condition; readonly variableName?: string; readonly variableEvents: readonly string[] }
  | { readonly kind: 'link'; readonly name: string }
  | { readonly kind: 'compensate'; readonly activityRef?: string; readonly waitForCompletion: boolean }
  | { readonly kind: 'cancel' };

export interface MultiInstance {
  readonly isSequential: boolean;
  readonly loopCardinality?: string;
  /** `camunda:collection`: an expression or a variable name. */
  readonly collection?: string;
  readonly elementVariable?: string;
  readonly completionCondition?: string;
  readonly asyncBefore: boolean;
  readonly asyncAfter: boolean;
  readonly exclusive: boolean;
  readonly failedJobRetryTimeCycle?: string;
}

export interface NodeBase {
  readonly id: string;
  readonly name?: string;
  /** Id of the enclosing subprocess, or null for process-level nodes. */
  readonly parentId: string | null;
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  /** `default` attribute on gateways and activities. */
  readonly defaultFlow?: string;
  readonly asyncBefore: boolean;
  readonly asyncAfter: boolean;
  /** `camunda:exclusive`, default true. */
  readonly exclusive: boolean;
  /** `camunda:jobPriority` (may be an expression). */
  readonly jobPriority?: string;
  /** `camunda:failedJobRetryTimeCycle` from the extension elements. */
  readonly failedJobRetryTimeCycle?: string;
  readonly ioMapping?: IoMapping;
  readonly listeners: readonly ExecutionListener[];
  readonly properties: Readonly<Record<string, string>>;
  /** Ids of boundary events attached to this activity. */
  readonly boundaryEvents: readonly string[];
  readonly multiInstance?: MultiInstance;
  /** `isForCompensation="true"`. */
  readonly isForCompensation: boolean;
  /**
   * What compensates this activity once it completed: the handler its
   * compensation boundary event is associated with, or (for a subprocess)
   * its compensation event subprocess. Camunda's `compensationHandler`.
   */
  readonly compensationHandler?: string;
  readonly loc?: SourceLocation;
}

export interface StartEventNode extends NodeBase {
  readonly type: 'startEvent';
  readonly eventDefinition: EventDefinition;
  /** Only meaningful for event subprocess start events; default true. */
  readonly isInterrupting: boolean;
  readonly formKey?: string;
  /** `camunda:initiator`: variable receiving the authenticated user id. */
  readonly initiator?: string;
  /** `camunda:formData` / `camunda:formProperty` fields of the start form (for its form variables). */
  readonly formFields: UserTaskNode['formFields'];
}

export interface EndEventNode extends NodeBase {
  readonly type: 'endEvent';
  readonly eventDefinition: EventDefinition;
}

export interface IntermediateThrowEventNode extends NodeBase {
  readonly type: 'intermediateThrowEvent';
  readonly eventDefinition: EventDefinition;
}

export interface IntermediateCatchEventNode extends NodeBase {
  readonly type: 'intermediateCatchEvent';
  readonly eventDefinition: EventDefinition;
}

export interface BoundaryEventNode extends NodeBase {
  readonly type: 'boundaryEvent';
  readonly eventDefinition: EventDefinition;
  readonly attachedToRef: string;
  /** `cancelActivity`, default true. */
  readonly cancelActivity: boolean;
}

export interface PassThroughTaskNode extends NodeBase {
  readonly type: 'task' | 'manualTask';
}

export interface UserTaskNode extends NodeBase {
  readonly type: 'userTask';
  /** All of these may be expressions. Candidate lists are raw comma-separated texts. */
  readonly assignee?: string;
  readonly candidateUsers?: string;
  readonly candidateGroups?: string;
  readonly dueDate?: string;
  readonly followUpDate?: string;
  readonly priority?: string;
  readonly formKey?: string;
  readonly taskListeners: readonly TaskListener[];
  /** `camunda:formData` field ids and types (for form-variables). */
  readonly formFields: readonly { readonly id: string; readonly type?: string; readonly label?: string; readonly defaultValue?: string }[];
}

export type ServiceImplementation =
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'delegateExpression'; readonly expression: string }
  | { readonly kind: 'class'; readonly className: string }
  | { readonly kind: 'external'; readonly topic: string; readonly taskPriority?: string }
  | { readonly kind: 'connector'; readonly connectorId: string; readonly ioMapping?: IoMapping }
  /** No implementation attribute at all. */
  | { readonly kind: 'none' };

export interface ServiceTaskNode extends NodeBase {
  readonly type: 'serviceTask' | 'sendTask' | 'businessRuleTask';
  readonly implementation: ServiceImplementation;
  readonly resultVariable?: string;
  readonly fields: readonly FieldInjection[];
  /** businessRuleTask only: `camunda:decisionRef`. */
  readonly decisionRef?: string;
}

/** What a service-like element runs: service, send and business rule tasks, message throw and end events. */
export type ServiceBody = Pick<ServiceTaskNode, 'implementation' | 'resultVariable' | 'fields'>;

export interface ScriptTaskNode extends NodeBase {
  readonly type: 'scriptTask';
  readonly script: Script;
  readonly resultVariable?: string;
}

export interface ReceiveTaskNode extends NodeBase {
  readonly type: 'receiveTask';
  readonly messageRef?: string;
  readonly messageName?: string;
}

export interface SubProcessNode extends NodeBase {
  readonly type: 'subProcess' | 'transaction';
  /** Event subprocess. */
  readonly triggeredByEvent: boolean;
  readonly children: readonly string[];
}

export interface CallActivityNode extends NodeBase {
  readonly type: 'callActivity';
  /** `calledElement` (may be an expression). */
  readonly calledElement: string;
  /** `camunda:calledElementBinding`: latest (default) | deployment | version | versionTag. */
  readonly binding: 'latest' | 'deployment' | 'version' | 'versionTag';
  readonly version?: string;
  readonly versionTag?: string;
  readonly tenantId?: string;
  /** `camunda:in` / `camunda:out` mappings. */
  readonly inputs: readonly CallMapping[];
  readonly outputs: readonly CallMapping[];
  /** `camunda:in businessKey="..."` expression. */
  readonly businessKey?: string;
  /** `camunda:caseRef` is rejected; present here only for validation messages. */
}

export type CallMapping =
  | { readonly kind: 'all'; readonly local: boolean }
  | { readonly kind: 'source'; readonly source: string; readonly target: string; readonly local: boolean }
  | { readonly kind: 'sourceExpression'; readonly expression: string; readonly target: string; readonly local: boolean };

export interface GatewayNode extends NodeBase {
  readonly type: 'exclusiveGateway' | 'parallelGateway' | 'inclusiveGateway' | 'eventBasedGateway' | 'complexGateway';
}

export type FlowNode =
  | StartEventNode
  | EndEventNode
  | IntermediateThrowEventNode
  | IntermediateCatchEventNode
  | BoundaryEventNode
  | PassThroughTaskNode
  | UserTaskNode
  | ServiceTaskNode
  | ScriptTaskNode
  | ReceiveTaskNode
  | SubProcessNode
  | CallActivityNode
  | GatewayNode;

export type FlowNodeType = FlowNode['type'];

/** What one BPMN resource compiled to. */
export interface CompiledResource {
  readonly resourceName: string;
  readonly processes: readonly ProcessGraph[];
  /** Warnings that did not block deployment (e.g. a handler name with no registration). */
  readonly warnings: readonly import('../errors.js').ModelProblem[];
}
