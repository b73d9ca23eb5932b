import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureText, lineOf, rejectionOf } from './model-fixtures.js';

/** Expected problem: its severity, element, the line of `at` in the fixture, and part of its message. */
function problem(fixture: string, severity: 'error' | 'warning', elementId: string | undefined, at: string, message: string) {
  return expect.objectContaining({
    severity,
    ...(elementId === undefined ? {} : { elementId }),
    resource: `invalid/${fixture}`,
    line: lineOf(fixtureText(`invalid/${fixture}`), at),
    message: expect.stringContaining(message),
  });
}

async function problemsOf(fixture: string) {
  return rejectionOf(`invalid/${fixture}`);
}

describe('reading the XML', () => {
  it('a DOCTYPE is refused before the XML is read', async () => {
    const file = 'doctype.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', undefined, '<!DOCTYPE', 'DOCTYPE declarations are not allowed')]);
  });

  it('XML that is not well-formed is reported where the parser stopped', async () => {
    const file = 'malformed-xml.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', undefined, '</bpmn:process>', 'closing tag mismatch')]);
  });

  it('a document whose root is not BPMN definitions is refused', async () => {
    const file = 'not-bpmn.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', undefined, '<project', 'the document is not BPMN 2.0: its root <project>')]);
  });

  it('flow nodes without id are reported at their own tag, sequence flows without id are accepted as Camunda does', async () => {
    const file = 'missing-id.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', undefined, '<bpmn:task name="Anonymous"', 'task has no id')]);
  });

  it('a duplicated id is reported at its second occurrence', async () => {
    const file = 'duplicate-id.bpmn';
    const text = fixtureText(`invalid/${file}`);
    const secondLine = text.split('\n').findLastIndex((line) => line.includes('<bpmn:task id="twin"')) + 1;
    expect(secondLine).toBeGreaterThan(lineOf(text, '<bpmn:task id="twin"'));
    expect(await problemsOf(file)).toEqual([expect.objectContaining({ severity: 'error', elementId: 'twin', line: secondLine, message: "duplicate id 'twin'" })]);
  });

  it('unknown elements in the BPMN and camunda namespaces are refused', async () => {
    const file = 'unknown-element.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'magic', '<bpmn:magicTask', 'unknown element <bpmn:magicTask>'),
      problem(file, 'error', undefined, '<camunda:executionListenr', 'unknown element <camunda:executionListenr>'),
    ]);
  });
});

describe('structure', () => {
  it('references to unknown elements are refused', async () => {
    const file = 'unknown-reference.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'wait', 'id="wait"', "Invalid 'messageRef': no message with id 'noSuchMessage' found."),
      problem(file, 'error', 'toNowhere', 'id="toNowhere"', "Invalid destination 'nowhere' of sequence flow 'toNowhere'"),
      problem(file, 'error', 'fromNowhere', 'id="fromNowhere"', "Invalid source 'ghost' of sequence flow 'fromNowhere'"),
    ]);
  });

  it('a sequence flow may not cross a subprocess boundary', async () => {
    const file = 'flow-crosses-scope.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'intoSub', 'id="intoSub"', "Invalid destination 'inside' of sequence flow 'intoSub': it lies in subprocess 'sub'"),
    ]);
  });

  it('exclusive, inclusive and parallel gateways need an outgoing flow', async () => {
    const file = 'gateway-without-outgoing.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'choice', 'id="choice"', "Exclusive Gateway 'choice' has no outgoing sequence flows."),
      problem(file, 'error', 'options', 'id="options"', "Inclusive Gateway 'options' has no outgoing sequence flows."),
    ]);
  });

  it('a default flow must be an outgoing flow of its element', async () => {
    const file = 'default-not-outgoing.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', 'decide', 'id="decide"', "default flow 'f1' is not an outgoing sequence flow of 'decide'")]);
  });

  it('a default flow may not have a condition', async () => {
    const file = 'default-with-condition.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', 'work', 'id="work"', "default flow 'otherwise' of 'work' has a condition")]);
  });

  it('flows leaving a parallel gateway may not have a condition', async () => {
    const file = 'condition-after-parallel-gateway.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'guarded', 'id="guarded"', "sequence flow 'guarded' leaves parallel gateway 'fork' and has a condition"),
    ]);
  });

  it("exclusive gateways follow Camunda's rules on conditions and default flows", async () => {
    const file = 'exclusive-gateway-flows.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'single', 'id="single"', "Exclusive Gateway 'single' has only one outgoing sequence flow ('onlyOne'). This is not allowed to have a condition."),
      problem(file, 'error', 'ambiguous', 'id="ambiguous"', "has outgoing sequence flow 'first' without condition which is not the default flow."),
      problem(file, 'error', 'ambiguous', 'id="ambiguous"', "has outgoing sequence flow 'second' without condition which is not the default flow."),
    ]);
  });

  it('a process may have only one none or timer start event', async () => {
    const file = 'multiple-none-start-events.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'secondStart', 'id="secondStart"', 'multiple none start events or timer start events not supported on process definition'),
      problem(file, 'error', 'timerStart', 'id="timerStart"', 'multiple none start events or timer start events not supported on process definition'),
    ]);
  });

  it('a process needs a start event', async () => {
    const file = 'process-without-start-event.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', 'broken', '<bpmn:process', 'process must define a startEvent element')]);
  });

  it('an embedded subprocess needs a none start event', async () => {
    const file = 'subprocess-without-start-event.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', 'sub', 'id="sub"', 'subProcess must define a startEvent element')]);
  });

  it('a process whose only start event has a trigger is reported as startable only by that trigger', async () => {
    const file = 'no-none-start-event.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'warning', 'broken', '<bpmn:process', "process 'broken' has no none start event; it can only be started through its other start events"),
      problem(file, 'error', 'merge', 'id="merge"', "complexGateway 'merge': complex gateways are not executed by CadenzaFlow yet"),
    ]);
  });
});

describe('elements', () => {
  it('a service or send task needs an implementation', async () => {
    const file = 'service-task-without-implementation.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'service', 'id="service"', "One of the attributes 'class', 'delegateExpression', 'type', or 'expression' is mandatory on serviceTask."),
      problem(file, 'error', 'send', 'id="send"', "One of the attributes 'class', 'delegateExpression', 'type', or 'expression' is mandatory on sendTask."),
    ]);
  });

  it('a script task needs a scriptFormat and a script', async () => {
    const file = 'script-task-incomplete.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'noFormat', 'id="noFormat"', "scriptTask 'noFormat' has no scriptFormat"),
      problem(file, 'error', 'noScript', 'id="noScript"', "scriptTask 'noScript' has no script"),
    ]);
  });

  it('a call activity needs a calledElement, and the version its binding asks for', async () => {
    const file = 'call-activity-incomplete.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'callNothing', 'id="callNothing"', "Missing attribute 'calledElement'"),
      problem(file, 'error', 'callVersion', 'id="callVersion"', "Missing attribute 'calledElementVersion' when 'calledElementBinding' has value 'version'"),
      problem(file, 'error', 'callTag', 'id="callTag"', "Missing attribute 'calledElementVersionTag' when 'calledElementBinding' has value 'versionTag'"),
    ]);
  });

  it('every expression that does not parse is reported with its text and the parser message', async () => {
    const file = 'invalid-expression.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'f2', 'id="f2"', "invalid expression '${amount >}' in conditionExpression: Error parsing '${amount >}': syntax error"),
      problem(file, 'error', 'review', 'id="review"', "invalid expression '${log(}' in camunda:executionListener expression: "),
      problem(file, 'error', 'review', 'id="review"', "invalid expression '${limit * }' in camunda:inputParameter 'limit': "),
      problem(file, 'error', 'review', 'id="review"', "invalid expression '${user.' in camunda:assignee: "),
      problem(file, 'error', 'charge', 'id="charge"', "invalid expression '#{billing.charge(}' in camunda:expression: "),
      problem(file, 'error', 'call', 'id="call"', "invalid expression '${key' in calledElement: "),
    ]);
  });
  it("listeners need a valid event and a handler, and fields a value (Camunda's messages)", async () => {
    const file = 'listener-incomplete.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'listened', 'id="listened"', "Attribute 'event' is mandatory on listener"),
      problem(file, 'error', 'listened', 'id="listened"', 'Attribute \'event\' must be one of {start|end} (camunda:executionListener event="take")'),
      problem(file, 'error', 'listened', 'id="listened"', "Element 'class', 'expression', 'delegateExpression' or 'script' is mandatory on executionListener"),
      problem(file, 'error', 'listened', 'id="listened"', "One of the following is mandatory on a field declaration: one of attributes stringValue|expression or one of child elements string|expression (camunda:field 'empty')"),
      problem(file, 'error', 'review', 'id="review"', "Attribute 'event' must be one of {create|assignment|complete|update|delete|timeout}"),
      problem(file, 'error', 'review', 'id="review"', "Attribute 'event' is mandatory on taskListener"),
    ]);
  });

  it('input/output mappings are refused where Camunda refuses them, and parameters need a name', async () => {
    const file = 'input-output-placement.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'end', 'id="end"', "Missing attribute 'name' for inputParameter"),
      problem(file, 'error', 'start', 'id="start"', "camunda:inputOutput mapping unsupported for element type 'startEvent'."),
      problem(file, 'error', 'split', 'id="split"', "camunda:inputOutput mapping unsupported for element type 'exclusiveGateway'."),
      problem(file, 'error', 'end', 'id="end"', "camunda:outputParameter not allowed for element type 'endEvent'."),
    ]);
  });

  it('a history time to live and a constant job priority must be numbers', async () => {
    const file = 'invalid-numbers.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'broken', '<bpmn:process', "Cannot parse historyTimeToLive 'forever'"),
      problem(file, 'error', 'urgent', 'id="urgent"', "Value 'high' for attribute 'jobPriority' is not a valid number"),
    ]);
  });

  it('service task attributes Camunda refuses are refused: a result variable with a class, unknown types', async () => {
    const file = 'service-task-attributes.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'withResult', 'id="withResult"', "'resultVariableName' not supported for serviceTask elements using 'class'"),
      problem(file, 'error', 'mail', 'id="mail"', 'camunda:type="mail" service tasks are not executed by CadenzaFlow yet'),
      problem(file, 'error', 'soap', 'id="soap"', "Invalid usage of type attribute on serviceTask: 'soap'"),
    ]);
  });

  it('a boundary event must be attached to an existing activity of its own scope', async () => {
    // timer boundary events are executed: what is left is the structural rule
    const file = 'boundary-event-host.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'onGhost', 'id="onGhost"', "Invalid reference in boundary event 'onGhost': no activity with id 'ghost'"),
      problem(file, 'error', 'onInner', 'id="onInner"', "Invalid reference in boundary event 'onInner': attachedToRef 'inner' must be an activity in the same scope as the boundary event"),
    ]);
  });
});

describe('external tasks', () => {
  it('an external task without a topic is refused', async () => {
    const file = 'external-task-without-topic.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'remote', 'id="remote"', "External tasks must specify a 'topic' attribute in the camunda namespace"),
    ]);
  });
});

describe('multi-instance', () => {
  it('a multi-instance activity needs a loop cardinality or a collection, and a collection for its element variable', async () => {
    const file = 'multi-instance-incomplete.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'each', 'id="each"', 'Either loopCardinality or loopDataInputRef/camunda:collection must be set'),
      problem(file, 'error', 'perReviewer', 'id="perReviewer"', 'LoopDataInputRef/camunda:collection must be set when using inputDataItem or camunda:elementVariable'),
    ]);
  });
});

describe('features the runtime does not execute yet', () => {
  it('business rule tasks are refused: they need DMN', async () => {
    const file = 'unsupported-business-rule-task.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'decide', 'id="decide"', "businessRuleTask 'decide': business rule tasks need DMN, which CadenzaFlow does not execute yet"),
    ]);
  });

  it('boundary events with a trigger the runtime does not execute (terminate, link) are refused, naming it', async () => {
    const file = 'unsupported-boundary-event.bpmn';
    const refused = (id: string, trigger: string) =>
      problem(file, 'error', id, `id="${id}"`, `boundaryEvent '${id}': ${trigger} boundary events are not executed by CadenzaFlow yet`);
    expect(await problemsOf(file)).toEqual([refused('whenTerminated', 'terminate'), refused('whenLinked', 'link')]);
  });

  it('escalation intermediate catch events are refused (Camunda has none either)', async () => {
    const file = 'unsupported-event-definitions.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'catchEscalation', 'id="catchEscalation"', 'escalation intermediate catch events are not executed by CadenzaFlow yet'),
    ]);
  });

  it('event subprocesses started by cancel are refused, naming the trigger', async () => {
    const file = 'unsupported-event-subprocess.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'cancelStart', 'id="cancelStart"', "startEvent 'cancelStart': cancel start events are not executed by CadenzaFlow yet"),
    ]);
  });

  it('complex gateways are refused', async () => {
    const file = 'unsupported-gateways.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'complex', 'id="complex"', "complexGateway 'complex': complex gateways are not executed by CadenzaFlow yet"),
    ]);
  });

  it('asynchronous continuations do not make an element acceptable: it is refused for its own feature, and only for that', async () => {
    const file = 'async-on-unsupported-elements.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'adHoc', 'id="adHoc"', '<adHocSubProcess> elements are not executed by CadenzaFlow yet'),
      problem(file, 'error', 'merge', 'id="merge"', "complexGateway 'merge': complex gateways are not executed by CadenzaFlow yet"),
      problem(file, 'error', 'legacy', 'id="legacy"', "businessRuleTask 'legacy': business rule tasks need DMN, which CadenzaFlow does not execute yet"),
    ]);
  });

  it('ad-hoc subprocesses are refused without complaints about the flows that touch them', async () => {
    const file = 'unsupported-ad-hoc-subprocess.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', 'adHoc', 'id="adHoc"', '<adHocSubProcess> elements are not executed by CadenzaFlow yet')]);
  });

  it('calling CMMN cases and variable mapping delegates are refused', async () => {
    const file = 'unsupported-cmmn-case.bpmn';
    expect(await problemsOf(file)).toEqual([
      problem(file, 'error', 'callCase', 'id="callCase"', 'call activities calling CMMN cases (camunda:caseRef) are not executed: CadenzaFlow does not run CMMN'),
      problem(file, 'error', 'mapped', 'id="mapped"', 'variable mapping delegates (camunda:variableMappingClass / camunda:variableMappingDelegateExpression) are not executed by CadenzaFlow yet'),
    ]);
  });

  it('a timeout task listener without a timer is refused', async () => {
    const file = 'unsupported-timeout-task-listener.bpmn';
    expect(await problemsOf(file)).toEqual([problem(file, 'error', 'review', 'id="review"', "Element 'timerEventDefinition' is mandatory on taskListener of type 'timeout'")]);
  });
});

describe('the folder of broken models', () => {
  const files = readdirSync(join(import.meta.dirname, '..', 'fixtures', 'bpmn', 'invalid')).filter((file) => file.endsWith('.bpmn'));

  it.each(files)('%s is rejected', async (file) => {
    expect((await problemsOf(file)).some((found) => found.severity === 'error')).toBe(true);
  });
});
