import { describe, expect, it } from 'vitest';
import { inspectBpmn, type ProcessGraph } from '../../engine/model/index.js';
import { compileFixture, fixtureText, lineOf, node, processOf } from './model-fixtures.js';

describe('compiling supported BPMN', () => {
  it('a start event, a task and an end event become nodes connected by their sequence flows', async () => {
    const graph = await processOf('Model.minimal.bpmn');
    const text = fixtureText('Model.minimal.bpmn');

    expect(graph).toMatchObject({ id: 'minimal', name: 'Minimal', isExecutable: true, isStartableInTasklist: true });
    expect(graph.children).toEqual(['start', 'work', 'unused', 'end']);
    expect([...graph.nodes.keys()]).toEqual(['start', 'work', 'unused', 'end']);
    expect(node(graph, 'start', 'startEvent')).toEqual({
      id: 'start',
      name: 'Start',
      type: 'startEvent',
      parentId: null,
      incoming: [],
      outgoing: ['toTask'],
      asyncBefore: false,
      asyncAfter: false,
      exclusive: true,
      listeners: [],
      properties: {},
      boundaryEvents: [],
      isForCompensation: false,
      eventDefinition: { kind: 'none' },
      isInterrupting: true,
      formFields: [],
      loc: { line: lineOf(text, '<bpmn:startEvent id="start"'), column: 5 },
    });
    expect(node(graph, 'work', 'task')).toMatchObject({ incoming: ['toTask'], outgoing: ['toEnd'] });
    expect(node(graph, 'unused', 'manualTask')).toMatchObject({ name: 'Never reached', incoming: [], outgoing: [] });
    expect(node(graph, 'end', 'endEvent')).toMatchObject({ incoming: ['toEnd'], outgoing: [], eventDefinition: { kind: 'none' } });
    expect(graph.flows.get('toTask')).toEqual({
      id: 'toTask',
      name: 'go',
      sourceRef: 'start',
      targetRef: 'work',
      listeners: [],
      loc: { line: lineOf(text, 'id="toTask"'), column: 5 },
    });
    expect(graph.loc).toEqual({ line: lineOf(text, '<bpmn:process'), column: 3 });
  });

  it('a user task carries its assignment attributes, form key, form fields and task listeners', async () => {
    const graph = await processOf('Model.user-task.bpmn');
    const review = node(graph, 'review', 'userTask');

    expect(review).toMatchObject({
      name: 'Review ${order.id}',
      assignee: '${initiator}',
      candidateUsers: 'anna, ${manager.of(initiator)}',
      candidateGroups: 'sales,management',
      dueDate: '${dateTime().plusDays(2).toDate()}',
      followUpDate: '2030-01-01T12:00:00',
      priority: '70',
      formKey: 'embedded:app:forms/review.html',
    });
    expect(review.formFields).toEqual([
      { id: 'approved', label: 'Approve?', type: 'boolean', defaultValue: 'false' },
      { id: 'comment', type: 'string' },
    ]);
    expect(review.taskListeners).toEqual([
      {
        event: 'create',
        handler: { kind: 'class', className: 'com.example.NotifyListener' },
        fields: [
          { name: 'channel', value: { kind: 'string', text: 'mail' } },
          { name: 'recipient', value: { kind: 'expression', expression: '${initiator}' } },
        ],
      },
      { event: 'assignment', handler: { kind: 'expression', expression: '${audit.assigned(task)}' }, fields: [] },
      { event: 'complete', handler: { kind: 'delegateExpression', expression: '${completionListener}' }, fields: [] },
      { event: 'delete', handler: { kind: 'script', script: { format: 'javascript', source: "task.setVariable('deleted', true);" } }, fields: [] },
    ]);
  });

  it('potentialOwner assignments become candidate users and groups, plain entries being groups', async () => {
    const graph = await processOf('Model.user-task.bpmn');

    expect(node(graph, 'plain', 'userTask')).toMatchObject({ candidateUsers: 'kermit', candidateGroups: 'accounting,support' });
    expect(node(graph, 'plain', 'userTask').assignee).toBeUndefined();
  });

  it('a start event keeps its form key and initiator variable', async () => {
    const graph = await processOf('Model.user-task.bpmn');

    expect(node(graph, 'start', 'startEvent')).toMatchObject({ formKey: 'embedded:app:forms/start.html', initiator: 'starter' });
  });

  it('service and send tasks compile class, expression and delegate expression implementations with their fields', async () => {
    const graph = await processOf('Model.service-tasks.bpmn');

    expect(node(graph, 'byClass', 'serviceTask')).toMatchObject({
      name: 'By class',
      implementation: { kind: 'class', className: 'com.example.ChargeCard' },
      fields: [
        { name: 'currency', value: { kind: 'string', text: 'EUR' } },
        { name: 'note', value: { kind: 'string', text: 'paid in full' } },
        { name: 'amount', value: { kind: 'expression', expression: '${order.total}' } },
        { name: 'customer', value: { kind: 'expression', expression: '${order.customer}' } },
      ],
    });
    expect(node(graph, 'byExpression', 'serviceTask')).toMatchObject({
      implementation: { kind: 'expression', expression: '${calculator.total(order)}' },
      resultVariable: 'total',
      fields: [],
    });
    expect(node(graph, 'byDelegate', 'serviceTask').implementation).toEqual({ kind: 'delegateExpression', expression: '${invoiceSender}' });
    expect(node(graph, 'notify', 'sendTask').implementation).toEqual({ kind: 'class', className: 'com.example.SendConfirmation' });
  });

  it('script tasks keep an inline script or a resource, with the format lower-cased', async () => {
    const graph = await processOf('Model.script-task.bpmn');

    expect(node(graph, 'inline', 'scriptTask')).toMatchObject({
      script: { format: 'javascript', source: 'var a = 1; a < 2 ? a + 1 : 0;' },
      resultVariable: 'sum',
    });
    expect(node(graph, 'external', 'scriptTask').script).toEqual({ format: 'javascript', resource: 'deployment://scripts/compute.js' });
    expect(node(graph, 'end', 'endEvent').eventDefinition).toEqual({ kind: 'terminate' });
  });

  it('a receive task resolves its messageRef to the message name; without one it waits for a trigger', async () => {
    const graph = await processOf('Model.receive-task.bpmn');

    expect(node(graph, 'awaitPayment', 'receiveTask')).toMatchObject({ messageRef: 'paymentReceived', messageName: 'PaymentReceived' });
    expect(node(graph, 'awaitSignalFromApi', 'receiveTask').messageRef).toBeUndefined();
    expect(node(graph, 'announce', 'intermediateThrowEvent')).toMatchObject({ name: 'Paid', eventDefinition: { kind: 'none' } });
    expect(graph.messages.get('paymentReceived')).toEqual({ id: 'paymentReceived', name: 'PaymentReceived' });
  });

  it('gateways keep their default flow, and flows their trimmed condition or script condition', async () => {
    const graph = await processOf('Model.gateways.bpmn');

    expect(node(graph, 'decide', 'exclusiveGateway')).toMatchObject({ name: 'Amount?', defaultFlow: 'small', outgoing: ['large', 'small'] });
    expect(node(graph, 'decide', 'exclusiveGateway').listeners).toEqual([
      { event: 'start', handler: { kind: 'expression', expression: '${audit.log(execution)}' }, fields: [] },
    ]);
    expect(graph.flows.get('large')!.condition).toEqual({ kind: 'expression', expression: '${amount > 1000}' });
    expect(graph.flows.get('small')!.condition).toBeUndefined();
    expect(node(graph, 'fork', 'parallelGateway').outgoing).toEqual(['toA', 'toB']);
    expect(node(graph, 'join', 'parallelGateway').incoming).toEqual(['fromA', 'fromB']);
    expect(node(graph, 'choose', 'inclusiveGateway')).toMatchObject({ defaultFlow: 'always', outgoing: ['byScript', 'byResource', 'always'] });
    expect(graph.flows.get('byScript')!.condition).toEqual({ kind: 'script', script: { format: 'javascript', source: 'amount % 2 === 0' } });
    expect(graph.flows.get('byResource')!.condition).toEqual({
      kind: 'script',
      script: { format: 'javascript', resource: 'deployment://conditions/vip.js' },
    });
  });

  it('embedded subprocesses list their children, which point back to them as parent', async () => {
    const graph = await processOf('Model.subprocess.bpmn');

    expect(graph.children).toEqual(['start', 'outer', 'end']);
    expect(node(graph, 'outer', 'subProcess')).toMatchObject({
      name: 'Outer',
      parentId: null,
      triggeredByEvent: false,
      children: ['outerStart', 'inner', 'outerEnd'],
      incoming: ['toOuter'],
      outgoing: ['toEnd'],
    });
    expect(node(graph, 'inner', 'subProcess')).toMatchObject({ parentId: 'outer', children: ['innerStart', 'deep', 'innerEnd'] });
    expect(node(graph, 'deep', 'task')).toMatchObject({ parentId: 'inner', incoming: ['toDeep'], outgoing: ['toInnerEnd'] });
    expect([...graph.nodes.keys()]).toEqual(['start', 'outer', 'outerStart', 'inner', 'innerStart', 'deep', 'innerEnd', 'outerEnd', 'end']);
    expect([...graph.flows.keys()]).toEqual(['toOuter', 'toInner', 'toDeep', 'toInnerEnd', 'toOuterEnd', 'toEnd']);
  });

  it('call activities keep their binding, version, tenant, business key and variable mappings', async () => {
    const graph = await processOf('Model.call-activity.bpmn');

    expect(node(graph, 'callLatest', 'callActivity')).toMatchObject({
      calledElement: 'shipping',
      binding: 'latest',
      businessKey: '#{execution.processBusinessKey}',
      inputs: [
        { kind: 'all', local: false },
        { kind: 'source', source: 'orderId', target: 'id', local: false },
        { kind: 'sourceExpression', expression: '${order.total * 2}', target: 'doubled', local: true },
      ],
      outputs: [
        { kind: 'all', local: true },
        { kind: 'source', source: 'trackingNumber', target: 'tracking', local: false },
      ],
    });
    expect(node(graph, 'callVersion', 'callActivity')).toMatchObject({ calledElement: '${subprocessKey}', binding: 'version', version: '3', tenantId: 'tenant-a' });
    expect(node(graph, 'callTag', 'callActivity')).toMatchObject({ binding: 'versionTag', versionTag: 'v2.1' });
    expect(node(graph, 'callDeployment', 'callActivity')).toMatchObject({ binding: 'deployment', inputs: [], outputs: [] });
  });

  it('input/output mappings tell constants, expressions, null, lists, maps and scripts apart', async () => {
    const graph = await processOf('Model.input-output.bpmn');

    expect(node(graph, 'mapped', 'task').ioMapping).toEqual({
      inputs: [
        { name: 'constant', value: { kind: 'text', text: 'plain text' } },
        { name: 'computed', value: { kind: 'expression', expression: '${order.total * 1.19}' } },
        { name: 'nothing', value: { kind: 'null' } },
        {
          name: 'items',
          value: {
            kind: 'list',
            items: [
              { kind: 'text', text: 'first' },
              { kind: 'expression', expression: '${second}' },
              { kind: 'list', items: [{ kind: 'text', text: 'nested' }] },
            ],
          },
        },
        {
          name: 'headers',
          value: {
            kind: 'map',
            entries: [
              { key: 'Accept', value: { kind: 'text', text: 'application/json' } },
              { key: 'X-Id', value: { kind: 'expression', expression: '#{execution.id}' } },
              { key: 'empty', value: { kind: 'null' } },
            ],
          },
        },
        { name: 'scripted', value: { kind: 'script', script: { format: 'javascript', source: "execution.getVariable('a') + 1" } } },
      ],
      outputs: [
        { name: 'result', value: { kind: 'expression', expression: '${response}' } },
        { name: 'fromFile', value: { kind: 'script', script: { format: 'javascript', resource: 'deployment://map-result.js' } } },
      ],
    });
  });

  it("execution listeners attach to the process, to flow nodes and, as 'take', to sequence flows", async () => {
    const graph = await processOf('Model.listeners.bpmn');

    expect(graph.listeners).toEqual([
      { event: 'start', handler: { kind: 'class', className: 'com.example.ProcessStarted' }, fields: [] },
      {
        event: 'end',
        handler: { kind: 'delegateExpression', expression: '${processEndListener}' },
        fields: [{ name: 'level', value: { kind: 'string', text: 'info' } }],
      },
    ]);
    expect(node(graph, 'start', 'startEvent').listeners).toEqual([
      { event: 'end', handler: { kind: 'expression', expression: '${counter.increment()}' }, fields: [] },
    ]);
    expect(graph.flows.get('taken')!.listeners).toEqual([
      {
        event: 'take',
        handler: { kind: 'class', className: 'com.example.FlowTaken' },
        fields: [{ name: 'flow', value: { kind: 'expression', expression: '${execution.currentTransitionId}' } }],
      },
      { event: 'take', handler: { kind: 'script', script: { format: 'javascript', resource: 'deployment://on-take.js' } }, fields: [] },
    ]);
    expect(node(graph, 'end', 'endEvent').listeners).toEqual([
      { event: 'start', handler: { kind: 'script', script: { format: 'javascript', source: "execution.setVariable('done', true)" } }, fields: [] },
    ]);
  });

  it('process attributes and properties, and job settings of nodes, are kept', async () => {
    const graph = await processOf('Model.process-attributes.bpmn');

    expect(graph).toMatchObject({
      id: 'attributed',
      name: 'Attributed',
      versionTag: '1.4.0',
      historyTimeToLive: 30,
      candidateStarterGroups: ['sales', '${starterGroup}'],
      candidateStarterUsers: ['anna'],
      isStartableInTasklist: false,
      properties: { owner: 'team-billing', sla: 'P1D' },
    });
    expect(node(graph, 'work', 'task')).toMatchObject({
      jobPriority: '${priority}',
      exclusive: false,
      failedJobRetryTimeCycle: 'R5/PT1M',
      properties: { category: 'manual' },
    });
    expect(node(graph, 'end', 'endEvent').jobPriority).toBe('10');
  });

  it('a collaboration compiles every process, an unnamed process takes its participant name, and non-executing content is accepted', async () => {
    const { processes, warnings } = await compileFixture('Model.collaboration.bpmn');

    expect(warnings).toEqual([]);
    expect(processes.map((process) => [process.id, process.name, process.isExecutable])).toEqual([
      ['shop', 'Shop', true],
      ['customer', 'Customer', false],
    ]);
    const shop = processes[0]!;
    expect([...shop.nodes.keys()]).toEqual(['start', 'pack', 'end']);
    expect(node(shop, 'pack', 'userTask').name).toBe('Pack');
    // not parsed by Camunda either: content of a non-executable process cannot fail the deployment
    expect(node(processes[1]!, 'customerDecides', 'businessRuleTask').decisionRef).toBe('buy');
  });

  it('several processes in one file each become a graph of their own', async () => {
    const { processes } = await compileFixture('Model.several-processes.bpmn');

    expect(processes.map((process) => process.id)).toEqual(['first', 'second']);
    expect([...processes[0]!.nodes.keys()]).toEqual(['firstStart', 'firstEnd']);
    expect([...processes[1]!.nodes.keys()]).toEqual(['secondStart', 'secondTask', 'secondEnd']);
    expect(processes[1]!.flows.has('firstFlow')).toBe(false);
  });
});

describe('compiling jobs, timers and errors', () => {
  it('asynchronous continuations, timer start, catch and boundary events, error boundary and end events compile without errors', async () => {
    const file = 'Model.jobs-timers-errors.bpmn';
    const text = fixtureText(file);
    const { processes, problems } = await inspectBpmn(text, { resourceName: file });

    // the only remark: a process started by its timer alone has no none start event
    expect(problems).toEqual([
      {
        severity: 'warning',
        resource: file,
        elementId: 'nightly',
        line: lineOf(text, '<bpmn:process id="nightly"'),
        column: 3,
        message: "process 'nightly' has no none start event; it can only be started through its other start events",
      },
    ]);
    // and it deploys: parseBpmn resolves
    await expect(compileFixture(file)).resolves.toMatchObject({ processes: [{ id: 'payment' }, { id: 'nightly' }] });

    expect(processes.map((process) => process.id)).toEqual(['payment', 'nightly']);
    const [payment, nightly] = processes as [ProcessGraph, ProcessGraph];
    expect(node(payment, 'start', 'startEvent')).toMatchObject({ asyncBefore: false, asyncAfter: true, eventDefinition: { kind: 'none' } });
    expect(node(payment, 'pay', 'userTask')).toMatchObject({ asyncBefore: true, asyncAfter: true, exclusive: false, boundaryEvents: ['payTimeout', 'payDeclined'] });
    // the legacy camunda:async is asyncBefore
    expect(node(payment, 'legacy', 'task')).toMatchObject({ asyncBefore: true, asyncAfter: false });
    expect(node(payment, 'payTimeout', 'boundaryEvent')).toMatchObject({
      attachedToRef: 'pay',
      cancelActivity: false,
      eventDefinition: { kind: 'timer', timer: { type: 'timeDuration', expression: 'PT1H' } },
    });
    expect(node(payment, 'payDeclined', 'boundaryEvent')).toMatchObject({
      attachedToRef: 'pay',
      cancelActivity: true,
      eventDefinition: { kind: 'error', errorRef: 'errCard', errorCode: 'CARD_DECLINED', errorCodeVariable: 'code' },
    });
    expect(node(payment, 'cooldown', 'intermediateCatchEvent').eventDefinition).toEqual({
      kind: 'timer',
      timer: { type: 'timeDate', expression: '2030-01-01T00:00:00Z' },
    });
    expect(node(payment, 'declined', 'endEvent').eventDefinition).toEqual({ kind: 'error', errorRef: 'errCard', errorCode: 'CARD_DECLINED' });
    expect(node(nightly, 'everyNight', 'startEvent').eventDefinition).toEqual({ kind: 'timer', timer: { type: 'timeCycle', expression: 'R/P1D' } });
  });

  it('conditional intermediate catch events and conditional boundary events, interrupting or not, compile without problems', async () => {
    const file = 'Model.conditional-events.bpmn';
    const text = fixtureText(file);
    const { processes, problems } = await inspectBpmn(text, { resourceName: file });

    expect(problems).toEqual([]);
    // and it deploys: parseBpmn resolves
    await expect(compileFixture(file)).resolves.toMatchObject({ warnings: [], processes: [{ id: 'restock' }] });

    const graph = processes[0]!;
    expect(node(graph, 'waitForStock', 'intermediateCatchEvent')).toMatchObject({
      incoming: ['f1'],
      outgoing: ['f2'],
      asyncAfter: true,
      loc: { line: lineOf(text, 'id="waitForStock"'), column: 5 },
    });
    expect(node(graph, 'waitForStock', 'intermediateCatchEvent').eventDefinition).toEqual({
      kind: 'conditional',
      condition: { kind: 'expression', expression: '${stock > 0}' },
      variableName: 'stock',
      variableEvents: ['create', 'update'],
    });
    expect(node(graph, 'pick', 'userTask').boundaryEvents).toEqual(['whenCancelled', 'whenUrgent']);
    expect(node(graph, 'whenCancelled', 'boundaryEvent')).toMatchObject({ attachedToRef: 'pick', cancelActivity: true, outgoing: ['f4'] });
    expect(node(graph, 'whenCancelled', 'boundaryEvent').eventDefinition).toEqual({
      kind: 'conditional',
      condition: { kind: 'expression', expression: '${cancelled}' },
      variableName: undefined,
      variableEvents: [],
    });
    expect(node(graph, 'whenUrgent', 'boundaryEvent')).toMatchObject({ attachedToRef: 'pick', cancelActivity: false, outgoing: ['f5'] });
    expect(node(graph, 'whenUrgent', 'boundaryEvent').eventDefinition).toEqual({
      kind: 'conditional',
      condition: { kind: 'script', script: { format: 'javascript', source: "priority === 'high'" } },
      variableName: 'priority',
      variableEvents: [],
    });
  });
});

describe('compiling what the runtime does not execute yet', () => {
  async function inspect() {
    const { processes, problems } = await inspectBpmn(fixtureText('Model.not-yet-executed.bpmn'), { resourceName: 'Model.not-yet-executed.bpmn' });
    const errors = problems.filter((problem) => problem.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((problem) => problem.message.includes('not executed by CadenzaFlow') || problem.message.includes('DMN'))).toBe(true);
    return processes[0]!;
  }

  it('event definitions resolve messages, signals, errors and escalations by reference', async () => {
    const graph = await inspect();

    expect(node(graph, 'startByMessage', 'startEvent').eventDefinition).toEqual({ kind: 'message', messageRef: 'msgPaid', messageName: 'Paid' });
    expect(node(graph, 'waitAlarm', 'intermediateCatchEvent').eventDefinition).toEqual({ kind: 'signal', signalRef: 'sigAlarm', signalName: 'Alarm', async: false });
    expect(node(graph, 'alarmStart', 'startEvent')).toMatchObject({
      isInterrupting: false,
      eventDefinition: { kind: 'signal', signalRef: 'sigAlarm', signalName: 'Alarm', async: true },
    });
    expect(node(graph, 'payDeclined', 'boundaryEvent').eventDefinition).toEqual({
      kind: 'error',
      errorRef: 'errCard',
      errorCode: 'CARD_DECLINED',
      errorMessage: 'Card was declined',
      errorCodeVariable: 'code',
      errorMessageVariable: 'reason',
    });
    // as in Camunda, an errorRef that names no <error> is the error code itself
    expect(node(graph, 'failed', 'endEvent').eventDefinition).toEqual({ kind: 'error', errorRef: 'SOME_CODE', errorCode: 'SOME_CODE' });
    expect(node(graph, 'escalate', 'intermediateThrowEvent').eventDefinition).toEqual({ kind: 'escalation', escalationRef: 'escLate', escalationCode: 'LATE' });
    expect(node(graph, 'compensate', 'intermediateThrowEvent').eventDefinition).toEqual({ kind: 'compensate', activityRef: 'pay', waitForCompletion: false });
    expect(node(graph, 'jump', 'intermediateThrowEvent').eventDefinition).toEqual({ kind: 'link', name: 'landing' });
    expect(node(graph, 'waitCondition', 'intermediateCatchEvent').eventDefinition).toEqual({
      kind: 'conditional',
      condition: { kind: 'expression', expression: "${status == 'ready'}" },
      variableName: 'status',
      variableEvents: ['create', 'update'],
    });
    expect(node(graph, 'bookingCancel', 'endEvent').eventDefinition).toEqual({ kind: 'cancel' });
    expect(graph.errors.get('errCard')).toEqual({ id: 'errCard', name: 'Card declined', errorCode: 'CARD_DECLINED', errorMessage: 'Card was declined' });
    expect(graph.escalations.get('escLate')).toEqual({ id: 'escLate', name: 'Late', escalationCode: 'LATE' });
  });

  it('boundary events name their host, which lists them', async () => {
    const graph = await inspect();

    expect(node(graph, 'pay', 'userTask').boundaryEvents).toEqual(['payTimeout', 'payDeclined', 'payCancelled']);
    expect(node(graph, 'payTimeout', 'boundaryEvent')).toMatchObject({
      attachedToRef: 'pay',
      cancelActivity: false,
      eventDefinition: { kind: 'timer', timer: { type: 'timeDuration', expression: 'PT1H' } },
    });
    expect(node(graph, 'payCancelled', 'boundaryEvent')).toMatchObject({ cancelActivity: true, eventDefinition: { messageName: 'cancel-${orderId}' } });
  });

  it('multi-instance, asynchronous continuations and compensation handlers are recorded', async () => {
    const graph = await inspect();

    expect(node(graph, 'pay', 'userTask')).toMatchObject({
      asyncBefore: true,
      asyncAfter: true,
      exclusive: false,
      multiInstance: {
        isSequential: true,
        collection: '${cards}',
        elementVariable: 'card',
        completionCondition: '${paid}',
        asyncBefore: true,
        asyncAfter: false,
        exclusive: true,
        failedJobRetryTimeCycle: 'R3/PT10S',
      },
    });
    expect(node(graph, 'decide', 'businessRuleTask')).toMatchObject({ asyncBefore: true, decisionRef: 'discount', implementation: { kind: 'none' } });
    expect(node(graph, 'refund', 'task').isForCompensation).toBe(true);
  });

  it('external tasks and connectors keep their topic, priority, connector id and mapping', async () => {
    const graph = await inspect();

    expect(node(graph, 'external', 'serviceTask').implementation).toEqual({ kind: 'external', topic: 'invoice', taskPriority: '${prio}' });
    expect(node(graph, 'viaConnector', 'serviceTask').implementation).toEqual({
      kind: 'connector',
      connectorId: 'http-connector',
      ioMapping: {
        inputs: [{ name: 'url', value: { kind: 'text', text: 'https://example.org/api' } }],
        outputs: [{ name: 'status', value: { kind: 'expression', expression: '${statusCode}' } }],
      },
    });
  });

  it('event subprocesses, transactions and other gateways keep their structure', async () => {
    const graph = await inspect();

    expect(node(graph, 'onAlarm', 'subProcess')).toMatchObject({ triggeredByEvent: true, children: ['alarmStart', 'alarmEnd'] });
    expect(node(graph, 'booking', 'transaction')).toMatchObject({ triggeredByEvent: false, children: ['bookingStart', 'bookingCancel'] });
    expect(node(graph, 'alarmEnd', 'endEvent').parentId).toBe('onAlarm');
    node(graph, 'race', 'eventBasedGateway');
    node(graph, 'complex', 'complexGateway');
  });
});
