/**
 * Replays the requests the Camunda Modeler 5.x makes against a Camunda 7
 * engine (client/src/plugins/camunda-plugin/shared/CamundaAPI.js): the
 * connection check `GET /deployment?maxResults=0`, `GET /version`, the
 * multipart deployment its FormData produces in Chromium, the same
 * deployment again, starting an instance, and a model the engine rejects.
 */
import { expect, it } from 'vitest';
import { fixture } from '../helpers/engine-harness.js';
import { restSuite, send, CAMUNDA_DATE } from './rest-harness.js';

const BOUNDARY = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
// What the Modeler sends with "HTTP Basic" authentication configured (demo:demo).
const MODELER_HEADERS = { accept: 'application/json', authorization: 'Basic ZGVtbzpkZW1v' };

interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** The multipart body Chromium builds for a FormData, byte for byte. */
function chromiumFormData(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    head += '\r\n';
    chunks.push(Buffer.from(head, 'utf8'), typeof p.value === 'string' ? Buffer.from(p.value, 'utf8') : p.value, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** `deployDiagram` of CamundaAPI.js: name, source, duplicate filtering, the diagram as text/xml, attachments as octet-stream. */
function modelerDeployment(diagramName: string, contents: string, attachments: { name: string; contents: Buffer }[] = []): Buffer {
  return chromiumFormData([
    { name: 'deployment-name', value: 'invoice' },
    { name: 'deployment-source', value: 'Camunda Modeler' },
    { name: 'enable-duplicate-filtering', value: 'true' },
    { name: diagramName, value: contents, filename: diagramName, contentType: 'text/xml' },
    ...attachments.map((a) => ({ name: a.name, value: a.contents, filename: a.name, contentType: 'application/octet-stream' })),
  ]);
}

restSuite('the Camunda Modeler against /engine-rest', (h) => {
  const endpoint = () => `${h.url()}/engine-rest`;
  const deploy = (body: Buffer) =>
    send(`${endpoint()}/deployment/create`, {
      method: 'POST',
      headers: { ...MODELER_HEADERS, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body,
    });

  // A non-ASCII name proves the upload stays byte-exact.
  const diagram = fixture('Rest.modelerDiagram.bpmn').replace('Invoice (Modeler)', 'Rechnungsprüfung ✓');
  const form = Buffer.from(JSON.stringify({ components: [{ key: 'approved', type: 'checkbox' }], id: 'reviewInvoice', type: 'default' }), 'utf8');

  it('passes the connection check and reports a Camunda 7 version', async () => {
    const check = await send(`${endpoint()}/deployment?maxResults=0`, { headers: MODELER_HEADERS });
    expect(check.status).toBe(200);
    expect(check.body).toEqual([]);
    const version = await send(`${endpoint()}/version`, { headers: MODELER_HEADERS });
    expect(version.status).toBe(200);
    expect(version.body.version).toMatch(/^7\.\d+\.\d+$/);
  });

  it('deploys the diagram and its form as the Modeler uploads them, then filters the identical upload as a duplicate', async () => {
    const first = await deploy(modelerDeployment('diagram_1.bpmn', diagram, [{ name: 'reviewInvoice.form', contents: form }]));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      name: 'invoice',
      source: 'Camunda Modeler',
      tenantId: null,
      deployedCaseDefinitions: null,
      deployedDecisionDefinitions: null,
      deployedDecisionRequirementsDefinitions: null,
    });
    expect(first.body.deploymentTime).toMatch(CAMUNDA_DATE);
    expect(first.body.links).toEqual([{ method: 'GET', href: `${endpoint()}/deployment/${first.body.id}`, rel: 'self' }]);
    // What the Modeler reads: the first deployed process definition.
    const definitions = Object.values(first.body.deployedProcessDefinitions as Record<string, any>);
    expect(definitions).toHaveLength(1);
    expect(definitions[0]).toMatchObject({ key: 'modelerInvoice', name: 'Rechnungsprüfung ✓', version: 1, resource: 'diagram_1.bpmn', deploymentId: first.body.id, suspended: false });
    expect(Object.keys(first.body.deployedProcessDefinitions)).toEqual([definitions[0].id]);

    const resources = await h.get(`/deployment/${first.body.id}/resources`);
    expect(resources.body.map((r: any) => r.name).sort()).toEqual(['diagram_1.bpmn', 'reviewInvoice.form']);
    for (const [name, bytes] of [['diagram_1.bpmn', Buffer.from(diagram, 'utf8')], ['reviewInvoice.form', form]] as const) {
      const id = resources.body.find((r: any) => r.name === name).id;
      const data = await fetch(`${endpoint()}/deployment/${first.body.id}/resources/${id}/data`);
      expect(Buffer.from(await data.arrayBuffer()).equals(bytes)).toBe(true);
    }

    const again = await deploy(modelerDeployment('diagram_1.bpmn', diagram, [{ name: 'reviewInvoice.form', contents: form }]));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.deployedProcessDefinitions).toBeNull();
    expect((await h.get('/process-definition/count?key=modelerInvoice')).body).toEqual({ count: 1 });
  });

  it('starts an instance of the deployed definition with the variables typed into the start dialog', async () => {
    const deployed = await deploy(modelerDeployment('diagram_1.bpmn', diagram, [{ name: 'reviewInvoice.form', contents: form }]));
    const definition = Object.values((await h.get('/process-definition?key=modelerInvoice&latestVersion=true')).body as any[])[0];
    expect(definition.deploymentId).toBe(deployed.body.id);
    // `startInstance` of CamundaAPI.js: JSON.stringify({ businessKey, variables }) — an empty business key is left out.
    const started = await send(`${endpoint()}/process-definition/${definition.id}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...MODELER_HEADERS },
      body: JSON.stringify({ businessKey: undefined, variables: { amount: { value: 150, type: 'Integer' }, customer: { value: 'ACME', type: 'String' } } }),
    });
    expect(started.status).toBe(200);
    expect(started.body).toEqual({
      links: [{ method: 'GET', href: `${endpoint()}/process-instance/${started.body.id}`, rel: 'self' }],
      id: started.body.id,
      definitionId: definition.id,
      businessKey: null,
      caseInstanceId: null,
      ended: false,
      suspended: false,
      tenantId: null,
    });
    const tasks = await h.get(`/task?processInstanceId=${started.body.id}`);
    expect(tasks.body.map((t: any) => t.taskDefinitionKey)).toEqual(['Activity_review']);
    expect((await h.get(`/process-instance/${started.body.id}/variables/amount`)).body).toEqual({ type: 'Integer', value: 150, valueInfo: {} });
  });

  it('answers a model the engine cannot parse with 400 and the message the Modeler recognizes', async () => {
    const broken = await deploy(modelerDeployment('broken.bpmn', fixture('Rest.broken.bpmn')));
    expect(broken.status).toBe(400);
    expect(broken.body.type).toBe('ParseException');
    expect(broken.body.message.startsWith('ENGINE-09005 Could not parse BPMN process.')).toBe(true);
    expect(broken.body.details['broken.bpmn'].warnings).toEqual([]);
    expect(broken.body.details['broken.bpmn'].errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ mainElementId: 'lost', elementIds: ['lost'], line: 7, column: 5 }),
        expect.objectContaining({ mainElementId: 'review', elementIds: ['review'], line: 6 }),
      ]),
    );
    expect((await h.get('/process-definition/count?key=restBroken')).body).toEqual({ count: 0 });
  });
});
