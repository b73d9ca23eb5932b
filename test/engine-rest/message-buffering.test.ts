import { beforeAll, expect, it } from 'vitest';
import { restSuite } from './rest-harness.js';

restSuite(
  '/engine-rest message buffering (CadenzaFlow extension)',
  (h) => {
    beforeAll(async () => {
      expect((await h.deployFixtures('buffering', 'MessageBuffer.catch.bpmn')).status).toBe(200);
    });

    it('POST /message with timeToLive keeps a message nobody waits for, and the instance that waits later receives it', async () => {
      const res = await h.post('/message', {
        messageName: 'bufPayment',
        businessKey: 'rest-buffered-1',
        processVariables: { paid: { value: true, type: 'Boolean' } },
        timeToLive: 'PT5M',
        resultEnabled: true,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
      const started = await h.post('/process-definition/key/bufferedDirectCatch/start', { businessKey: 'rest-buffered-1' });
      expect(started.status).toBe(200);
      const tasks = await h.get(`/task?processInstanceId=${started.body.id}`);
      expect(tasks.body.map((t: { taskDefinitionKey: string }) => t.taskDefinitionKey)).toEqual(['directShip']);
      const vars = await h.get(`/process-instance/${started.body.id}/variables`);
      expect(vars.body).toMatchObject({ paid: { type: 'Boolean', value: true } });
    });

    it("POST /message without timeToLive keeps Camunda's answer, and a malformed timeToLive is a 400", async () => {
      const unmatched = await h.post('/message', { messageName: 'bufPayment', businessKey: 'rest-nobody' });
      expect(unmatched.status).toBe(400);
      expect(unmatched.body.message).toContain('No process definition or execution matches the parameters');
      const malformed = await h.post('/message', { messageName: 'bufPayment', timeToLive: 'later' });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ type: 'InvalidRequestException', message: expect.stringContaining("timeToLive 'later'") });
      const wrongType = await h.post('/message', { messageName: 'bufPayment', timeToLive: { minutes: 5 } });
      expect(wrongType.status).toBe(400);
    });
  },
  () => ({}),
  () => ({ messageBuffering: {} }),
);
