/**
 * The subset of the bpmn-moddle tree (BPMN 2.0 plus the camunda-bpmn-moddle
 * extension) that compile.ts reads. moddle merges the `camunda:` attributes
 * into the BPMN elements, so e.g. a user task carries `assignee` directly.
 * Every property is optional: the XML may omit anything.
 */

export interface ModdleElement {
  readonly $type: string;
  readonly $parent?: ModdleElement;
  /** Attributes moddle did not recognise, by qualified name. */
  readonly $attrs?: Readonly<Record<string, string>>;
  readonly id?: string;
  readonly name?: string;
  readonly extensionElements?: ExtensionElements;
  $instanceOf(type: string): boolean;
}

export interface ExtensionElements extends ModdleElement {
  readonly values?: readonly ModdleElement[];
}

export interface Definitions extends ModdleElement {
  readonly targetNamespace?: string;
  readonly rootElements?: readonly ModdleElement[];
}

export interface Process extends ModdleElement {
  readonly isExecutable?: boolean;
  readonly flowElements?: readonly FlowElement[];
  /** Associations (and text annotations) of the process level. */
  readonly artifacts?: readonly ModdleElement[];
  readonly versionTag?: string;
  readonly historyTimeToLive?: string;
  readonly candidateStarterGroups?: string;
  readonly candidateStarterUsers?: string;
  readonly isStartableInTasklist?: boolean;
}

export interface Collaboration extends ModdleElement {
  readonly participants?: readonly Participant[];
}

export interface Participant extends ModdleElement {
  readonly processRef?: Process;
}

export interface MessageElement extends ModdleElement {}

export interface ErrorElement extends ModdleElement {
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface EscalationElement extends ModdleElement {
  readonly escalationCode?: string;
}

export interface Expression extends ModdleElement {
  readonly body?: string;
  /** `bpmn:FormalExpression` only. */
  readonly language?: string;
  /** `camunda:resource` on a formal expression. */
  readonly resource?: string;
}

export type FlowElement = SequenceFlowElement | FlowNodeElement;

export interface SequenceFlowElement extends ModdleElement {
  readonly sourceRef?: ModdleElement;
  readonly targetRef?: ModdleElement;
  readonly conditionExpression?: Expression;
}

/** Everything a flow node of any kind may carry. */
export interface FlowNodeElement extends ModdleElement {
  readonly asyncBefore?: boolean;
  readonly asyncAfter?: boolean;
  /** Legacy `camunda:async`, read as asyncBefore. */
  readonly async?: boolean;
  readonly exclusive?: boolean;
  readonly jobPriority?: string;
  readonly default?: ModdleElement;
  readonly isForCompensation?: boolean;
  readonly loopCharacteristics?: LoopCharacteristics;
  readonly eventDefinitions?: readonly EventDefinitionElement[];
  readonly flowElements?: readonly FlowElement[];
  /** Subprocesses: their associations (and text annotations). */
  readonly artifacts?: readonly ModdleElement[];
  readonly triggeredByEvent?: boolean;
  // events
  readonly isInterrupting?: boolean;
  readonly attachedToRef?: ModdleElement;
  readonly cancelActivity?: boolean;
  readonly initiator?: string;
  // forms (start events and user tasks)
  readonly formKey?: string;
  readonly formRef?: string;
  // user task
  readonly assignee?: string;
  readonly candidateUsers?: string;
  readonly candidateGroups?: string;
  readonly dueDate?: string;
  readonly followUpDate?: string;
  readonly priority?: string;
  readonly resources?: readonly ResourceRole[];
  // service task, send task, business rule task
  readonly class?: string;
  readonly expression?: string;
  readonly delegateExpression?: string;
  readonly resultVariable?: string;
  readonly type?: string;
  readonly topic?: string;
  readonly taskPriority?: string;
  readonly decisionRef?: string;
  // script task
  readonly scriptFormat?: string;
  readonly script?: string;
  readonly resource?: string;
  // receive task
  readonly messageRef?: ModdleElement;
  // call activity
  readonly calledElement?: string;
  readonly calledElementBinding?: string;
  readonly calledElementVersion?: string;
  readonly calledElementVersionTag?: string;
  readonly calledElementTenantId?: string;
  readonly caseRef?: string;
  readonly variableMappingClass?: string;
  readonly variableMappingDelegateExpression?: string;
}

/** `bpmn:association`: links a compensation boundary event to its handler. */
export interface AssociationElement extends ModdleElement {
  readonly sourceRef?: ModdleElement;
  readonly targetRef?: ModdleElement;
}

export interface ResourceRole extends ModdleElement {
  readonly resourceAssignmentExpression?: ModdleElement & { readonly expression?: Expression };
}

export interface LoopCharacteristics extends ModdleElement {
  readonly isSequential?: boolean;
  readonly loopCardinality?: Expression;
  readonly completionCondition?: Expression;
  readonly collection?: string;
  readonly elementVariable?: string;
  readonly asyncBefore?: boolean;
  readonly asyncAfter?: boolean;
  readonly exclusive?: boolean;
}

export interface EventDefinitionElement extends ModdleElement {
  readonly messageRef?: ModdleElement;
  readonly signalRef?: ModdleElement;
  readonly errorRef?: ModdleElement;
  readonly escalationRef?: ModdleElement;
  readonly errorCodeVariable?: string;
  readonly errorMessageVariable?: string;
  readonly escalationCodeVariable?: string;
  readonly async?: boolean;
  readonly timeDate?: Expression;
  readonly timeDuration?: Expression;
  readonly timeCycle?: Expression;
  readonly condition?: Expression;
  readonly variableName?: string;
  readonly variableEvents?: string;
  readonly activityRef?: ModdleElement;
  readonly waitForCompletion?: boolean;
}

// camunda:* extension elements

export interface CamundaField extends ModdleElement {
  readonly stringValue?: string;
  readonly string?: string;
  readonly expression?: string;
}

export interface CamundaScript extends ModdleElement {
  readonly scriptFormat?: string;
  readonly resource?: string;
  readonly value?: string;
}

export interface CamundaListener extends ModdleElement {
  readonly event?: string;
  readonly class?: string;
  readonly expression?: string;
  readonly delegateExpression?: string;
  readonly script?: CamundaScript;
  readonly fields?: readonly CamundaField[];
  readonly eventDefinitions?: readonly ModdleElement[];
}

export interface CamundaInputOutput extends ModdleElement {
  readonly inputParameters?: readonly CamundaParameter[];
  readonly outputParameters?: readonly CamundaParameter[];
}

export interface CamundaParameter extends ModdleElement {
  readonly value?: string;
  readonly definition?: CamundaValueDefinition;
}

/** `camunda:list`, `camunda:map`, `camunda:script` or `camunda:value`. */
export interface CamundaValueDefinition extends ModdleElement {
  readonly items?: readonly CamundaValueDefinition[];
  readonly entries?: readonly (ModdleElement & { readonly key?: string; readonly value?: string; readonly definition?: CamundaValueDefinition })[];
  readonly scriptFormat?: string;
  readonly resource?: string;
  readonly value?: string;
}

export interface CamundaConnector extends ModdleElement {
  readonly connectorId?: string;
  readonly inputOutput?: CamundaInputOutput;
}

export interface CamundaInOut extends ModdleElement {
  readonly source?: string;
  readonly sourceExpression?: string;
  readonly target?: string;
  readonly businessKey?: string;
  readonly local?: boolean;
  readonly variables?: string;
}

export interface CamundaProperties extends ModdleElement {
  readonly values?: readonly (ModdleElement & { readonly value?: string })[];
}

export interface CamundaFormData extends ModdleElement {
  readonly fields?: readonly (ModdleElement & { readonly label?: string; readonly type?: string; readonly defaultValue?: string })[];
}

export interface CamundaFormProperty extends ModdleElement {
  readonly type?: string;
  readonly default?: string;
}

export interface CamundaBody extends ModdleElement {
  readonly body?: string;
}
