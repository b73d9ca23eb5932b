import { beforeAll, expect, it } from 'vitest';
import { restSuite } from './rest-harness.js';

restSuite('/engine-rest condition evaluation', (h) => {
  let multipleId = '';

  beforeAll(async () => {
    const deployed = await h.deployFixtures('conditions', 'ConditionalStart.single.bpmn', 'ConditionalStart.multiple.bpmn');
    expect(deployed.status).toBe(200);
    multipleId = (await h.get('/process-definition/key/conditionalStartMultiple')).body.id;
  });

  it('POST /condition starts an instance for each conditional start event that holds and answers them as ProcessInstanceDto', async () => {
    const res = await h.post('/condition', {
      variables: { amount: { value: 250, type: 'Integer' } },
      businessKey: 'rest-order-1',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        links: [],
        id: expect.any(String),
        definitionId: expect.stringMatching(/^conditionalStartSingle:/),
        businessKey: 'rest-order-1',
        caseInstanceId: null,
        ended: false,
        suspended: false,
        tenantId: null,
      },
    ]);
    const vars = await h.get(`/process-instance/${res.body[0].id}/variables`);
    expect(vars.body).toMatchObject({ amount: { type: 'Integer', value: 250 } });
  });

  it('POST /condition with a process definition id evaluates only that definition', async () => {
    const res = await h.post('/condition', { variables: { foo: { value: 1, type: 'Integer' }, amount: { value: 999, type: 'Integer' } }, processDefinitionId: multipleId });
    expect(res.status).toBe(200);
    expect(res.body.map((pi: { definitionId: string }) => pi.definitionId)).toEqual([multipleId]);
  });

  it('POST /condition answers an empty list when no condition holds', async () => {
    const res = await h.post('/condition', { variables: { amount: { value: 1, type: 'Integer' } } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it("POST /condition refuses tenantId with withoutTenantId, and reports Camunda's engine errors", async () => {
    const both = await h.post('/condition', { tenantId: 'a', withoutTenantId: true });
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ type: 'InvalidRequestException', message: "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'." });
    const none = await h.post('/condition', { tenantId: 'nobody' });
    expect(none.status).toBe(500);
    expect(none.body).toMatchObject({ type: 'ProcessEngineException', message: expect.stringContaining('No subscriptions were found during evaluation of the conditional start events.') });
    const withoutConditions = await h.deployFixtures('plain', 'Rest.signalBroadcast.bpmn');
    const plainId = withoutConditions.body.deployedProcessDefinitions && Object.keys(withoutConditions.body.deployedProcessDefinitions)[0];
    const refused = await h.post('/condition', { processDefinitionId: plainId });
    expect(refused.status).toBe(500);
    expect(refused.body.message).toContain(`Process definition with id '${plainId}' does not declare conditional start event.`);
  });
});
