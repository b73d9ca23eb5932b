import { beforeAll, expect, it } from 'vitest';
import { restSuite } from './rest-harness.js';

restSuite('/engine-rest process instance modification', (h) => {
  beforeAll(async () => {
    expect((await h.deployFixtures('modification', 'Modification.parallelTasks.bpmn', 'Modification.subprocess.bpmn')).status).toBe(200);
  });

  const activityIds = async (id: string): Promise<string[]> => {
    const tree = (await h.get(`/process-instance/${id}/activity-instances`)).body;
    const out: string[] = [];
    const walk = (ai: any) => {
      for (const c of ai.childActivityInstances) {
        out.push(c.activityId);
        walk(c);
      }
      for (const t of ai.childTransitionInstances) out.push(`~${t.activityId}`);
    };
    walk(tree);
    return out.sort();
  };

  it('runs the instructions in order and answers 204, with typed variables local or not', async () => {
    const pi = (await h.post('/process-definition/key/modSubprocess/start', {})).body;
    const res = await h.post(`/process-instance/${pi.id}/modification`, {
      skipCustomListeners: false,
      skipIoMappings: false,
      annotation: 'moved by support',
      instructions: [
        { type: 'cancel', activityId: 'first' },
        {
          type: 'startBeforeActivity',
          activityId: 'inner',
          variables: { reason: { value: 'support', type: 'String', local: true }, ticket: { value: 42, type: 'Integer' } },
        },
        { type: 'startAfterActivity', activityId: 'sub' },
      ],
    });
    expect(res.status).toBe(204);
    expect(await activityIds(pi.id)).toEqual(['inner', 'last', 'sub']);
    expect((await h.get(`/process-instance/${pi.id}/variables/ticket`)).body).toEqual({ type: 'Integer', value: 42, valueInfo: {} });
    expect((await h.get(`/process-instance/${pi.id}/variables/reason`)).status).toBe(404);
    const inner = (await h.get(`/task?processInstanceId=${pi.id}&taskDefinitionKey=inner`)).body[0];
    expect((await h.get(`/execution/${inner.executionId}/localVariables`)).body).toEqual({ reason: { type: 'String', value: 'support', valueInfo: {} } });
  });

  it('cancels by activity instance id, and cancelling the last one ends the instance', async () => {
    const pi = (await h.post('/process-definition/key/modParallel/start', {})).body;
    const tree = (await h.get(`/process-instance/${pi.id}/activity-instances`)).body;
    const instructions = tree.childActivityInstances.map((c: any) => ({ type: 'cancel', activityInstanceId: c.id }));
    expect(instructions).toHaveLength(2);
    expect((await h.post(`/process-instance/${pi.id}/modification`, { instructions })).status).toBe(204);
    expect((await h.get(`/process-instance/${pi.id}`)).status).toBe(404);
    expect((await h.get(`/history/process-instance/${pi.id}`)).body).toMatchObject({ state: 'EXTERNALLY_TERMINATED' });
  });

  it('answers 400 with the engine message for an instruction it cannot perform, and changes nothing', async () => {
    const pi = (await h.post('/process-definition/key/modParallel/start', {})).body;
    const res = await h.post(`/process-instance/${pi.id}/modification`, {
      instructions: [{ type: 'cancel', activityId: 'taskA' }, { type: 'startTransition', transitionId: 'nope' }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'InvalidRequestException' });
    expect(res.body.message).toMatch(/^Cannot perform instruction: Start transition 'nope'; Element 'nope' does not exist in process 'modParallel:/);
    expect(await activityIds(pi.id)).toEqual(['taskA', 'taskB']);
  });

  it('answers 400 for malformed instructions and 404 for an unknown instance', async () => {
    const pi = (await h.post('/process-definition/key/modParallel/start', {})).body;
    // As in Camunda, no instructions is nothing to do.
    expect((await h.post(`/process-instance/${pi.id}/modification`, { instructions: [] })).status).toBe(204);
    const noActivity = await h.post(`/process-instance/${pi.id}/modification`, { instructions: [{ type: 'startBeforeActivity' }] });
    expect(noActivity).toMatchObject({ status: 400, body: { type: 'InvalidRequestException', message: "For instruction type 'startBeforeActivity': 'activityId' must be set" } });
    const badType = await h.post(`/process-instance/${pi.id}/modification`, { instructions: [{ type: 'jump', activityId: 'taskA' }] });
    expect(badType.status).toBe(400);
    expect(badType.body.message).toContain("'type' must be one of startBeforeActivity, startAfterActivity, startTransition, cancel");
    const twoTargets = await h.post(`/process-instance/${pi.id}/modification`, { instructions: [{ type: 'cancel', activityId: 'taskA', activityInstanceId: 'x' }] });
    expect(twoTargets).toMatchObject({ status: 400, body: { message: "For instruction type 'cancel': exactly one, 'activityId', 'activityInstanceId', or 'transitionInstanceId', is required" } });
    expect(await activityIds(pi.id)).toEqual(['taskA', 'taskB']);
    const missing = await h.post('/process-instance/nope/modification', { instructions: [{ type: 'cancel', activityId: 'taskA' }] });
    expect(missing).toMatchObject({ status: 404, body: { message: 'Process instance with id nope does not exist' } });
  });
});
