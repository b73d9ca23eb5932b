import { expect, it } from 'vitest';
import { restSuite } from './rest-harness.js';

restSuite('DELETE /deployment/{id}', (h) => {
  it('refuses to delete a deployment with running instances unless cascade, then removes definitions and instances', async () => {
    const dep = await h.deployFixtures('to-delete', 'Rest.twoTasks.bpmn');
    const [def] = Object.values(dep.body.deployedProcessDefinitions) as { id: string; key: string }[];
    const started = await h.post(`/process-definition/${def!.id}/start`, {});
    expect(started.status).toBe(200);
    const refused = await h.del(`/deployment/${dep.body.id}`);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.body.message).toContain('without cascading');
    expect((await h.get(`/process-instance/${started.body.id}`)).status).toBe(200);

    expect((await h.del(`/deployment/${dep.body.id}?cascade=true`)).status).toBe(204);
    expect((await h.get(`/deployment/${dep.body.id}`)).status).toBe(404);
    expect((await h.get(`/process-definition/${def!.id}`)).status).toBe(404);
    expect((await h.get(`/process-instance/${started.body.id}`)).status).toBe(404);
    const hist = await h.get(`/history/process-instance/${started.body.id}`);
    expect(hist.body.state).toBe('EXTERNALLY_TERMINATED');
    expect((await h.del(`/deployment/${dep.body.id}`)).status).toBe(404);
  });

  it('gives the previous version back its place as the latest', async () => {
    const v1 = await h.deployFixtures('versions', 'Rest.twoTasks.bpmn');
    const before = await h.get(`/deployment/${v1.body.id}/resources`);
    expect(before.status).toBe(200);
    const v2 = await h.call('POST', `/deployment/${v1.body.id}/redeploy`, {});
    expect(v2.status).toBe(200);
    const [def2] = Object.values(v2.body.deployedProcessDefinitions) as { id: string; key: string; version: number }[];
    expect((await h.del(`/deployment/${v2.body.id}`)).status).toBe(204);
    const latest = await h.get(`/process-definition/key/${def2!.key}`);
    expect(latest.status).toBe(200);
    expect(latest.body.version).toBe(def2!.version - 1);
  });
});
