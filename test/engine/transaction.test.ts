import { expect, it } from 'vitest';
import { ModelError, type ActivityInstance, type Engine } from '../../engine/index.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';

/** The activity instance tree as `id(type)` strings, children sorted, e.g. `tx(transaction)[failure(cancelEndEvent)]`. */
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

function lineOf(text: string, snippet: string): number {
  return text.split(/\r?\n/).findIndex((line) => line.includes(snippet)) + 1;
}

async function rejectionOf(promise: Promise<unknown>): Promise<ModelError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(ModelError);
  return outcome as ModelError;
}

engineSuite('transaction subprocesses', (h) => {
  it('a cancel end event cancels the rest of the transaction, compensates what completed in it and leaves through the cancel boundary event', async () => {
    await h.deploy('Transaction.cancel.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'transactionCancel' });
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['confirm', 'sideWork']);
    expect((await h.engine().findEventSubscriptions({ instanceId: pi.id, type: 'compensate' })).map((s) => s.activityId).sort()).toEqual(['undoFlight', 'undoHotel']);

    await h.restart();
    await complete(h.engine(), pi.id, 'confirm', { confirmed: false });
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['undoFlight', 'undoHotel']);
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['tx(transaction)[failure(cancelEndEvent), undoFlight(userTask), undoHotel(userTask)]']);
    expect(await h.engine().findEventSubscriptions({ instanceId: pi.id, type: 'compensate' })).toEqual([]);
    const [side] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'sideWork' });
    expect(side!.canceled).toBe(true);
    // the most recently completed activity is compensated first
    const order = (await h.engine().findHistoricActivityInstances({ instanceId: pi.id }, {}, [{ by: 'sequenceCounter' }])).map((a) => a.activityId);
    expect(order.filter((id) => id.startsWith('undo'))).toEqual(['undoFlight', 'undoHotel']);
    // the handlers see the transaction's variables
    const [undoHotel] = (await h.engine().findTasks({ instanceId: pi.id })).filter((t) => t.taskDefinitionKey === 'undoHotel');
    expect((await h.engine().getTaskVariables(undoHotel!.id))['hotel']?.value).toBe('Rupert');

    await h.restart();
    await complete(h.engine(), pi.id, 'undoHotel');
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['undoFlight']);
    await h.restart();
    await complete(h.engine(), pi.id, 'undoFlight');
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['afterCancellation']);

    const history = async (activityId: string) => (await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId }))[0]!;
    expect(await history('tx')).toMatchObject({ activityType: 'transaction', canceled: true });
    expect(await history('failure')).toMatchObject({ activityType: 'cancelEndEvent' });
    expect(await history('catchCancel')).toMatchObject({ activityType: 'cancelBoundaryCatch', canceled: false });
    expect((await history('catchCancel')).endTime).not.toBeNull();
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['afterCancellation(userTask)']);
  });

  it('a transaction that completes leaves through its outgoing flow and stays compensable', async () => {
    await h.deploy('Transaction.cancel.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'transactionCancel' });
    await complete(h.engine(), pi.id, 'sideWork');
    await complete(h.engine(), pi.id, 'confirm', { confirmed: true });
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['afterSuccess']);
    const subscriptions = await h.engine().findEventSubscriptions({ instanceId: pi.id, type: 'compensate' });
    expect(subscriptions.filter((s) => s.executionId === pi.id).map((s) => s.activityId)).toEqual(['tx']);
    expect(subscriptions.map((s) => s.activityId).sort()).toEqual(['tx', 'undoFlight', 'undoHotel']);
    const [tx] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'tx' });
    expect(tx).toMatchObject({ activityType: 'transaction', canceled: false });

    await h.restart();
    await complete(h.engine(), pi.id, 'afterSuccess');
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['undoFlight', 'undoHotel']);
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual([
      'compensateTx(intermediateCompensationThrowEvent)',
      'tx(transaction)[undoFlight(userTask), undoHotel(userTask)]',
    ]);
    await complete(h.engine(), pi.id, 'undoFlight');
    await complete(h.engine(), pi.id, 'undoHotel');
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['afterCompensation']);
    expect(await h.engine().findEventSubscriptions({ instanceId: pi.id, type: 'compensate' })).toEqual([]);
  });

  it('a cancel end event with nothing to compensate leaves through the cancel boundary event at once', async () => {
    await h.deploy('Transaction.cancelWithoutHandlers.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'transactionCancelAtOnce' });
    expect(await taskKeys(h.engine(), pi.id)).toEqual(['afterCancellation']);
    const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id }, {}, [{ by: 'sequenceCounter' }]);
    expect(acts.map((a) => [a.activityId, a.activityType])).toEqual([
      ['start', 'startEvent'],
      ['tx', 'transaction'],
      ['txStart', 'startEvent'],
      ['failure', 'cancelEndEvent'],
      ['catchCancel', 'cancelBoundaryCatch'],
      ['afterCancellation', 'userTask'],
    ]);
  });

  it('cancel events are refused outside transactions, as Camunda refuses them, with element and line', async () => {
    const file = 'invalid/cancel-outside-transaction.bpmn';
    const text = fixture(file);
    const error = await rejectionOf(h.deploy(file));
    const at = (elementId: string, message: string) =>
      expect.objectContaining({ severity: 'error', elementId, resource: file, line: lineOf(text, `id="${elementId}"`), message: expect.stringContaining(message) });
    expect(error.problems.filter((p) => p.severity === 'error')).toEqual([
      at('cancelNotInTransaction', 'end event with cancelEventDefinition only supported inside transaction subprocess'),
      at('cancelOnTask', 'boundary event with cancelEventDefinition only supported on transaction subprocesses'),
      at('secondCancel', 'multiple boundary events with cancelEventDefinition not supported on same transaction subprocess'),
    ]);
  });
});
