import { expect, it } from 'vitest';
import { ModelError, type ActivityInstance, type Engine } from '../../engine/index.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';

/** The activity instance tree as `id(type)` strings, children sorted, e.g. `booking(subProcess)[undoRoom(userTask)]`. */
function shape(node: ActivityInstance): string[] {
  return node.childActivityInstances
    .map((c) => `${c.activityId}(${c.activityType})${c.childActivityInstances.length ? `[${shape(c).join(', ')}]` : ''}`)
    .sort();
}

async function taskKeys(engine: Engine, instanceId: string): Promise<string[]> {
  return (await engine.findTasks({ instanceId })).map((t) => t.taskDefinitionKey).sort();
}

async function complete(engine: Engine, instanceId: string, key: string, variables: Record<string, unknown> = {}): Promise<void> {
  const task = (await engine.findTasks({ instanceId })).find((t) => t.taskDefinitionKey === key);
  expect(task, `task '${key}'`).toBeDefined();
  await engine.completeTask(task!.id, variables);
}

async function compensateSubscriptions(engine: Engine, instanceId: string) {
  return engine.findEventSubscriptions({ instanceId, type: 'compensate' });
}

/** Activity ids of the instance's history, in the order they started. */
async function started(engine: Engine, instanceId: string, ids: readonly string[]): Promise<string[]> {
  const acts = await engine.findHistoricActivityInstances({ instanceId }, {}, [{ by: 'sequenceCounter' }]);
  return acts.map((a) => a.activityId).filter((id) => ids.includes(id));
}

function lineOf(text: string, snippet: string): number {
  return text.split(/\r?\n/).findIndex((line) => line.includes(snippet)) + 1;
}

engineSuite('compensation', (h) => {
  it('a completed activity with a compensation boundary event leaves a compensate subscription on its scope execution that survives a restart', async () => {
    await h.deploy('Compensation.throwScope.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateScope' });
    await h.restart();
    expect((await compensateSubscriptions(h.engine(), pi.id)).map((s) => ({ activityId: s.activityId, executionId: s.executionId, eventName: s.eventName }))).toEqual([
      { activityId: 'undoHotel', executionId: pi.id, eventName: null },
    ]);
    await complete(h.engine(), pi.id, 'bookFlight');
    expect((await compensateSubscriptions(h.engine(), pi.id)).map((s) => s.activityId).sort()).toEqual(['undoFlight', 'undoHotel']);
    // the boundary events themselves never run
    expect(await h.engine().countHistoricActivityInstances({ instanceId: pi.id, activityType: 'compensationBoundaryCatch' })).toBe(0);
  });

  it('a compensation throw event runs the handlers of its scope, most recently completed first, and leaves once the last one completed', async () => {
    await h.deploy('Compensation.throwScope.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateScope' });
    await complete(h.engine(), pi.id, 'bookFlight');
    await complete(h.engine(), pi.id, 'decide');

    expect(await started(h.engine(), pi.id, ['undoFlight', 'undoHotel'])).toEqual(['undoFlight', 'undoHotel']);
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['undoFlight']);
    expect(await compensateSubscriptions(h.engine(), pi.id)).toEqual([]);
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['compensate(intermediateCompensationThrowEvent)', 'undoFlight(userTask)']);
    expect((await h.engine().getVariables(pi.id))['log']?.value).toBe('bookHotel,undoHotel');

    await h.restart();
    await complete(h.engine(), pi.id, 'undoFlight');
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['afterCompensation']);
    const [thrown] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'compensate' });
    expect(thrown).toMatchObject({ activityType: 'intermediateCompensationThrowEvent', canceled: false });
    expect(thrown!.endTime).not.toBeNull();
    const handlers = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'undoFlight' });
    expect(handlers).toEqual([expect.objectContaining({ parentActivityInstanceId: pi.id, activityType: 'userTask' })]);
  });

  it('a throw event with activityRef compensates that activity as often as it completed, and nothing else', async () => {
    await h.deploy('Compensation.activityRef.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateActivityRef' });
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['wait']);
    const vars = await h.engine().getVariables(pi.id);
    expect(vars['charges']?.value).toBe(2);
    expect(vars['refunds']?.value).toBe('charge;charge;');
    expect(await h.engine().countHistoricActivityInstances({ instanceId: pi.id, activityId: 'undoCharge' })).toBe(2);
    expect(await h.engine().countHistoricActivityInstances({ instanceId: pi.id, activityId: 'undoShip' })).toBe(0);
    expect((await compensateSubscriptions(h.engine(), pi.id)).map((s) => s.activityId)).toEqual(['undoShip']);
  });

  it('compensating a completed subprocess gives its handlers the subprocess variables as they were when it completed', async () => {
    await h.deploy('Compensation.subprocessSnapshot.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateSubprocess' });
    const subs = await compensateSubscriptions(h.engine(), pi.id);
    expect(subs.map((s) => s.activityId).sort()).toEqual(['booking', 'undoRoom']);
    // the handler's subscription is kept with the completed subprocess, not on the process instance
    expect(subs.find((s) => s.activityId === 'undoRoom')!.executionId).not.toBe(pi.id);
    expect(subs.find((s) => s.activityId === 'booking')!.executionId).toBe(pi.id);
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['review(userTask)']);
    expect((await h.engine().getVariables(pi.id))['hotel']).toBeUndefined();

    await h.restart();
    await complete(h.engine(), pi.id, 'review');
    const [undo] = await h.engine().findTasks({ instanceId: pi.id });
    expect(undo!.taskDefinitionKey).toBe('undoRoom');
    expect((await h.engine().getTaskVariables(undo!.id))['hotel']?.value).toBe('Rupert');
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['booking(subProcess)[undoRoom(userTask)]', 'undoAll(compensationEndEvent)']);

    await h.restart();
    await h.engine().completeTask(undo!.id);
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
    expect(hpi!.state).toBe('COMPLETED');
    const [end] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'undoAll' });
    expect(end).toMatchObject({ activityType: 'compensationEndEvent', canceled: false });
  });

  it('compensation thrown inside a subprocess stays inside it', async () => {
    await h.deploy('Compensation.insideSubprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateInsideSubprocess' });
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['waitInside']);
    expect(await h.engine().countHistoricActivityInstances({ instanceId: pi.id, activityId: 'undoInner' })).toBe(1);
    expect(await h.engine().countHistoricActivityInstances({ instanceId: pi.id, activityId: 'undoOuter' })).toBe(0);
    expect((await compensateSubscriptions(h.engine(), pi.id)).map((s) => s.activityId)).toEqual(['undoOuter']);
  });

  it('each completed instance of a multi-instance activity is compensated once the whole activity completed', async () => {
    await h.deploy('Compensation.multiInstance.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateMultiInstance', variables: { hotels: ['Rupert', 'Vogsphere', 'Milliways'] } });
    const books = await h.engine().findTasks({ instanceId: pi.id });
    await h.engine().completeTask(books[0]!.id);
    await h.engine().completeTask(books[1]!.id);
    const pending = await compensateSubscriptions(h.engine(), pi.id);
    expect(pending.map((s) => s.activityId)).toEqual(['undoBook', 'undoBook']);
    expect(pending.every((s) => s.executionId !== pi.id)).toBe(true);

    await h.restart();
    await h.engine().completeTask(books[2]!.id);
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['undoBook', 'undoBook', 'undoBook']);
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual([
      'book#multiInstanceBody(multiInstanceBody)[undoBook(userTask), undoBook(userTask), undoBook(userTask)]',
      'compensateAll(compensationEndEvent)',
    ]);

    await h.restart();
    for (const task of await h.engine().findTasks({ instanceId: pi.id })) {
      expect(await h.engine().getProcessInstance(pi.id)).not.toBeNull();
      await h.engine().completeTask(task.id);
    }
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    expect(await h.engine().countHistoricActivityInstances({ instanceId: pi.id, activityId: 'undoBook', finished: true })).toBe(3);
  });

  it('each completed instance of a multi-instance subprocess is compensated with its own variables, the last completed first', async () => {
    await h.deploy('Compensation.multiInstanceSubprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateMultiInstanceSubprocess', variables: { hotels: ['Rupert', 'Milliways'] } });
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['undoRoom', 'undoRoom']);
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual([
      'booking#multiInstanceBody(multiInstanceBody)[booking(subProcess)[undoRoom(userTask)], booking(subProcess)[undoRoom(userTask)]]',
      'compensateAll(compensationEndEvent)',
    ]);
    const handlers = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'undoRoom' }, {}, [{ by: 'sequenceCounter' }]);
    const booked = [];
    for (const handler of handlers) booked.push((await h.engine().getTaskVariables(handler.taskId!))['booked']?.value);
    expect(booked).toEqual(['Milliways', 'Rupert']);

    await h.restart();
    for (const handler of handlers) {
      expect(await h.engine().getProcessInstance(pi.id)).not.toBeNull();
      await h.engine().completeTask(handler.taskId!);
    }
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    expect(await h.engine().findExecutions({ instanceId: pi.id })).toEqual([]);
  });

  it('a compensation event subprocess is the handler of its subprocess and may compensate what completed inside it', async () => {
    await h.deploy('Compensation.eventSubprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateWithEventSubprocess' });
    await complete(h.engine(), pi.id, 'bookFlight');
    expect((await compensateSubscriptions(h.engine(), pi.id)).filter((s) => s.executionId === pi.id).map((s) => s.activityId)).toEqual(['onCompensation']);
    await complete(h.engine(), pi.id, 'validate');

    expect(await taskKeys(h.engine(), pi.id)).toEqual(['cancelFlight']);
    expect((await h.engine().getVariables(pi.id))['log']?.value).toBe('bookHotel,undoHotel');
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual([
      'booking(subProcess)[cancelFlight(userTask), onCompensation(subProcess)[compensateInner(intermediateCompensationThrowEvent)]]',
      'compensateBooking(compensationEndEvent)',
    ]);

    await h.restart();
    await complete(h.engine(), pi.id, 'cancelFlight');
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['updateRecord']);
    await h.restart();
    await complete(h.engine(), pi.id, 'updateRecord');
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    const [start] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'compensationStart' });
    expect(start!.activityType).toBe('compensationStartEvent');
  });

  it('an interrupting error event subprocess can compensate what completed in the scope it interrupted', async () => {
    await h.deploy('Compensation.errorEventSubprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateOnError' });
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['undoHotel']);
    await h.restart();
    await complete(h.engine(), pi.id, 'undoHotel');
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['afterUndo']);
  });

  it('deleting an instance in the middle of compensation removes the handlers and what was kept for compensation', async () => {
    await h.deploy('Compensation.subprocessSnapshot.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'compensateSubprocess' });
    await complete(h.engine(), pi.id, 'review');
    await h.engine().deleteProcessInstance(pi.id, 'no longer needed');
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    expect(await h.engine().findTasks({ instanceId: pi.id })).toEqual([]);
    expect(await compensateSubscriptions(h.engine(), pi.id)).toEqual([]);
    expect(await h.engine().findExecutions({ instanceId: pi.id })).toEqual([]);
    const [undo] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'undoRoom' });
    expect(undo!.canceled).toBe(true);
  });

  it('compensation events and handlers are refused where Camunda refuses them, each problem with its element and line', async () => {
    const file = 'invalid/compensation-placement.bpmn';
    const text = fixture(file);
    const outcome = await h.deploy(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(ModelError);
    const problems = (outcome as ModelError).problems;
    const at = (severity: 'error' | 'warning', elementId: string, message: string) =>
      expect.objectContaining({ severity, elementId, resource: file, line: lineOf(text, `id="${elementId}"`), message: expect.stringContaining(message) });
    expect(problems).toEqual(
      expect.arrayContaining([
        at('error', 'undoWorkAgain', 'multiple boundary events with compensateEventDefinition not supported on same activity'),
        at('error', 'undoOther', 'compensation boundary catch must be connected to element with isForCompensation=true'),
        at('error', 'compensateNested', "Invalid attribute value for 'activityRef': no activity with id 'nested' in scope 'broken'"),
        at('error', 'reachedHandler', "Invalid incoming sequence flow of compensation activity 'reachedHandler'"),
        at('error', 'compensationStart', 'event subprocess with compensation start event is only supported for embedded subprocess'),
        at('error', 'secondCompensationStart', 'multiple event subprocesses with compensation start event are not supported on the same scope'),
        at('error', 'twiceCompensated', 'compensation boundary event and event subprocess with compensation start event are not supported on the same scope'),
        at('warning', 'compensateNested', "Unsupported attribute value for 'waitForCompletion'"),
      ]),
    );
    expect(problems.filter((p) => p.severity === 'error')).toHaveLength(7);
  });
});
