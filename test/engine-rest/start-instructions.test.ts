import { beforeAll, expect, it } from 'vitest';
import { restSuite } from './rest-harness.js';

restSuite('/engine-rest process instantiation with start instructions', (h) => {
  beforeAll(async () => {
    expect((await h.deployFixtures('start-instructions', 'StartInstructions.nestedSubprocess.bpmn', 'StartInstructions.parallel.bpmn')).status).toBe(200);
  });

  const activityIds = async (id: string): Promise<string[]> => {
    const tree = (await h.get(`/process-instance/${id}/activity-instances`)).body;
    const out: string[] = [];
    const walk = (ai: any) => {
      for (const c of ai.childActivityInstances) {
        out.push(c.activityId);
        walk(c);
      }
    };
    walk(tree);
    return out.sort();
  };

  it('starts inside nested subprocesses by key, with typed instruction variables local or not, and returns the variables when asked', async () => {
    const res = await h.post('/process-definition/key/siNested/start', {
      businessKey: 'nested-1',
      variables: { customer: { value: 'acme', type: 'String' } },
      startInstructions: [
        {
          type: 'startBeforeActivity',
          activityId: 'work',
          variables: { note: { value: 'here', type: 'String', local: true }, orderId: { value: 7, type: 'Integer' } },
        },
      ],
      withVariablesInReturn: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ businessKey: 'nested-1', ended: false, suspended: false });
    expect(res.body.variables).toMatchObject({
      customer: { type: 'String', value: 'acme', valueInfo: {} },
      orderId: { type: 'Integer', value: 7, valueInfo: {} },
      processListenerRan: { type: 'Boolean', value: true, valueInfo: {} },
    });
    const id = res.body.id;
    expect(await activityIds(id)).toEqual(['inner', 'outer', 'work']);
    expect((await h.get(`/process-instance/${id}/variables/orderId`)).body).toEqual({ type: 'Integer', value: 7, valueInfo: {} });
    expect((await h.get(`/process-instance/${id}/variables/note`)).status).toBe(404);
    const work = (await h.get(`/task?processInstanceId=${id}`)).body[0];
    expect((await h.get(`/execution/${work.executionId}/localVariables`)).body).toEqual({ note: { type: 'String', value: 'here', valueInfo: {} } });
  });

  it('starts by id with several instructions, start after and start transition, skipping listeners and mappings', async () => {
    const definition = (await h.get('/process-definition/key/siParallel')).body;
    const res = await h.post(`/process-definition/${definition.id}/start`, {
      skipCustomListeners: true,
      skipIoMappings: true,
      startInstructions: [
        { type: 'startBeforeActivity', activityId: 'taskA' },
        { type: 'startAfterActivity', activityId: 'join' },
        { type: 'startTransition', transitionId: 'f4' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('variables');
    expect(await activityIds(res.body.id)).toEqual(['review', 'taskA', 'taskB']);

    const skipped = await h.post('/process-definition/key/siNested/start', { skipIoMappings: true, skipCustomListeners: true, startInstructions: [{ type: 'startBeforeActivity', activityId: 'work' }] });
    expect(skipped.status).toBe(200);
    const variables = (await h.get(`/process-instance/${skipped.body.id}/variables`)).body;
    expect(variables).not.toHaveProperty('processListenerRan');
  });

  it('answers 400 naming the instruction for an unknown activity, and leaves nothing behind', async () => {
    const res = await h.post('/process-definition/key/siParallel/start', {
      businessKey: 'refused-rest',
      startInstructions: [
        { type: 'startBeforeActivity', activityId: 'taskA' },
        { type: 'startBeforeActivity', activityId: 'nope' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Cannot instantiate process definition siParallel:1:.*: Cannot perform start instruction 1: Start before activity 'nope'; Element 'nope' does not exist/);
    expect((await h.get('/process-instance?businessKey=refused-rest')).body).toEqual([]);
    expect((await h.get('/history/process-instance?processInstanceBusinessKey=refused-rest')).body).toEqual([]);
  });

  it('refuses instructions that cannot apply to a new instance, and skipping without instructions', async () => {
    const cancel = await h.post('/process-definition/key/siParallel/start', { startInstructions: [{ type: 'cancel', activityId: 'taskA' }] });
    expect(cancel.status).toBe(400);
    expect(cancel.body.message).toContain("Start instruction 0: instruction type 'cancel' cannot be applied to process instantiation");
    const ancestor = await h.post('/process-definition/key/siParallel/start', { startInstructions: [{ type: 'startBeforeActivity', activityId: 'taskA', ancestorActivityInstanceId: 'x' }] });
    expect(ancestor.status).toBe(400);
    expect(ancestor.body.message).toContain("'ancestorActivityInstanceId' is not applicable");
    const missingId = await h.post('/process-definition/key/siParallel/start', { startInstructions: [{ type: 'startAfterActivity' }] });
    expect(missingId.status).toBe(400);
    expect(missingId.body.message).toContain("For instruction type 'startAfterActivity': 'activityId' must be set");
    const skipAtStartEvent = await h.post('/process-definition/key/siParallel/start', { skipCustomListeners: true });
    expect(skipAtStartEvent.status).toBe(400);
    expect(skipAtStartEvent.body.message).toContain('can only be skipped when the process instance starts with start instructions');
  });
});
