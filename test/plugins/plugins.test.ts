import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.js';
import { loadPlugins, PluginRuntime, sdk, type LoadedPlugin } from '../../plugins/index.js';
import { scaffoldPlugin } from '../../plugins/scaffold.js';
import { elementTemplates } from '../../plugins/templates.js';
import { writeElementTemplates } from '../../plugins/templates-cli.js';
import { readFileSync } from 'node:fs';
import { tempDir } from '../helpers/stores.js';

const ROOT = join(import.meta.dirname, '..', '..');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const TEXT_MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://cadenzaflow.org/test">
  <bpmn:error id="missing" errorCode="MISSING_VALUE" />
  <bpmn:process id="renderMail" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="render" />
    <bpmn:serviceTask id="render">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>text-template</camunda:connectorId>
          <camunda:inputOutput>
            <camunda:inputParameter name="template">Dear {{name}}, see {{link}}</camunda:inputParameter>
            <camunda:inputParameter name="values">
              <camunda:map>
                <camunda:entry key="name">\${customer}</camunda:entry>
                <camunda:entry key="link">https://shop/\${slugify(customer)}</camunda:entry>
              </camunda:map>
            </camunda:inputParameter>
            <camunda:outputParameter name="mailText">\${text}</camunda:outputParameter>
          </camunda:inputOutput>
        </camunda:connector>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="onMissing" attachedToRef="render">
      <bpmn:errorEventDefinition errorRef="missing" />
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="render" targetRef="send" />
    <bpmn:userTask id="send" />
    <bpmn:sequenceFlow id="f3" sourceRef="onMissing" targetRef="fix" />
    <bpmn:userTask id="fix" />
  </bpmn:process>
</bpmn:definitions>`;

/** A package folder written by the test, for plugins that must fail to load. */
function writePackage(root: string, name: string, pkg: Record<string, unknown>, code: string): void {
  const dir = join(root, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.1', type: 'module', main: 'index.js', ...pkg }));
  writeFileSync(join(dir, 'index.js'), code);
}

describe('plugins installed from npm packages', () => {
  const app = tempDir();
  const data = tempDir();
  let engine: Engine;
  let runtime: PluginRuntime;
  let loaded: LoadedPlugin[];

  beforeAll(async () => {
    // The way a user gets it: a packed tarball installed into an application with npm.
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', app.path, join(ROOT, 'plugins', 'example-text')], { encoding: 'utf8' }).trim().split('\n').pop()!;
    writeFileSync(join(app.path, 'package.json'), JSON.stringify({ name: 'my-app', version: '1.0.0', private: true }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(app.path, packed)], { cwd: app.path, stdio: 'pipe' });
    ({ loaded } = await loadPlugins([{ name: 'cadenzaflow-plugin-text' }], { from: app.path }));
    engine = await Engine.create({ storeConfig: { dataDir: data.path } });
    runtime = new PluginRuntime(engine, loaded, quiet);
    runtime.install();
    await runtime.start();
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
    await engine?.close();
    app.remove();
    data.remove();
  });

  it('the example plugin loads from its npm package with its version, and its connector and expression function run in a model', async () => {
    expect(loaded.map((p) => [p.definition.name, p.version])).toEqual([['cadenzaflow-plugin-text', '1.0.0']]);
    await engine.deploy({ name: 'mail', resources: [{ name: 'mail.bpmn', content: TEXT_MODEL }] });
    const pi = await engine.startProcessInstance({ processDefinitionKey: 'renderMail', variables: { customer: 'Zoë Smith' } });
    expect((await engine.getVariables(pi.id))['mailText']!.value).toBe('Dear Zoë Smith, see https://shop/zoe-smith');
  });

  it("the plugin's hooks see committed activities and may refuse a deployment", async () => {
    const before = (loaded[0]!.definition.schema!.resolvers['Query']!['textPluginStats'] as () => { activitiesEnded: number })().activitiesEnded;
    await engine.deploy({ name: 'mail', resources: [{ name: 'mail.bpmn', content: TEXT_MODEL }] });
    await engine.startProcessInstance({ processDefinitionKey: 'renderMail', variables: { customer: 'Al' } });
    await runtime.settled();
    const after = (loaded[0]!.definition.schema!.resolvers['Query']!['textPluginStats'] as () => { activitiesEnded: number })().activitiesEnded;
    // start event and the connector task ended; the user task waits.
    expect(after - before).toBe(2);
    await expect(engine.deploy({ name: 'forbidden things', resources: [{ name: 'mail.bpmn', content: TEXT_MODEL }] })).rejects.toThrow(
      "deployment name 'forbidden things' is not allowed by cadenzaflow-plugin-text",
    );
  });

  it("a connector's static inputs are checked against its schema at deployment", async () => {
    const bad = TEXT_MODEL.replace('<camunda:inputParameter name="template">Dear {{name}}, see {{link}}</camunda:inputParameter>', '<camunda:inputParameter name="templat">x</camunda:inputParameter>');
    await expect(engine.deploy({ resources: [{ name: 'bad.bpmn', content: bad }] })).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      problems: [
        expect.objectContaining({ elementId: 'render', message: expect.stringContaining("camunda:connector 'text-template': input 'template':") }),
        expect.objectContaining({ elementId: 'render', message: "camunda:connector 'text-template': unknown input parameter 'templat' (known: template, values, strict)" }),
      ],
    });
  });

  it('Modeler element templates are generated from the connector schema', () => {
    const [template] = elementTemplates(loaded[0]!.definition.connectors!);
    expect(template).toMatchObject({ id: 'cadenzaflow.connector.text-template', name: 'Text template', version: 1, appliesTo: ['bpmn:ServiceTask', 'bpmn:SendTask'], scopes: [{ type: 'camunda:Connector' }] });
    expect(template!.scopes[0]!.properties).toEqual([
      { label: 'Connector', type: 'Hidden', value: 'text-template', binding: { type: 'property', name: 'connectorId' } },
      { label: 'Template', description: 'Text with {{name}} placeholders', type: 'String', binding: { type: 'camunda:inputParameter', name: 'template' }, constraints: { notEmpty: true } },
      { label: 'Values', description: 'Values for the placeholders', type: 'Text', value: '{}', binding: { type: 'camunda:inputParameter', name: 'values' } },
      { label: 'Strict', description: 'A placeholder without a value is a BPMN error MISSING_VALUE', type: 'Boolean', value: true, binding: { type: 'camunda:inputParameter', name: 'strict' } },
      { label: "Result variable for 'text'", description: 'The rendered text', type: 'String', binding: { type: 'camunda:outputParameter', source: '${text}' } },
      { label: "Result variable for 'placeholders'", description: 'How many placeholders were filled', type: 'String', binding: { type: 'camunda:outputParameter', source: '${placeholders}' } },
    ]);
  });
});

describe('plugins that cannot be used are refused by name', () => {
  const app = tempDir();
  beforeAll(() => {
    writeFileSync(join(app.path, 'package.json'), '{"name":"app","private":true}');
    writePackage(app.path, 'plugin-future', { cadenzaflow: { apiVersion: 2 } }, 'export default {}');
    writePackage(app.path, 'plugin-broken', {}, "throw new Error('cannot find config.yml');");
    writePackage(app.path, 'plugin-old-api', {}, "export default (sdk) => sdk.definePlugin({ name: 'plugin-old-api', apiVersion: 0 });");
    writePackage(app.path, 'plugin-nothing', {}, 'export const x = 1;');
    writePackage(
      app.path,
      'plugin-clash',
      {},
      "export default (sdk) => sdk.definePlugin({ name: 'plugin-clash', apiVersion: 1, connectors: [sdk.defineConnector({ id: 'text-template', version: '1.0.0', input: sdk.z.object({}), execute: () => ({}) })] });",
    );
  });
  afterAll(() => app.remove());

  it.each([
    ['plugin-future', "Plugin 'plugin-future' was refused: its package.json declares plugin API 2; this CadenzaFlow implements plugin API 1"],
    ['plugin-broken', "Plugin 'plugin-broken' was refused: its code failed to load: cannot find config.yml"],
    ['plugin-old-api', "Plugin 'plugin-old-api' was refused: it was built for plugin API 0; this CadenzaFlow implements plugin API 1"],
    ['plugin-nothing', "Plugin 'plugin-nothing' was refused: it exports no plugin"],
    ['plugin-missing', "Plugin 'plugin-missing' was refused: package 'plugin-missing' is not installed"],
  ])('%s', async (name, message) => {
    await expect(loadPlugins([{ name }], { from: app.path })).rejects.toThrow(message);
  });

  it('an optional plugin that cannot load is left out with the reason, and the others load', async () => {
    const warnings: unknown[] = [];
    const result = await loadPlugins([{ name: 'plugin-broken', optional: true }, { name: 'plugin-clash' }], { from: app.path, logger: { ...quiet, warn: (...a: unknown[]) => warnings.push(a) } });
    expect(result.loaded.map((p) => p.definition.name)).toEqual(['plugin-clash']);
    expect(result.skipped).toEqual([{ name: 'plugin-broken', reason: expect.stringContaining('cannot find config.yml') }]);
    expect(warnings).toHaveLength(1);
  });

  it('two plugins providing the same connector id are refused, naming both', async () => {
    const data = tempDir();
    const engine = await Engine.create({ storeConfig: { dataDir: data.path } });
    try {
      const { loaded } = await loadPlugins([{ name: 'plugin-clash' }], { from: app.path });
      const first = { definition: sdk.definePlugin({ name: 'first', apiVersion: 1, connectors: [loaded[0]!.definition.connectors![0]!] }), spec: { name: 'first' }, version: null };
      const runtime = new PluginRuntime(engine, [first, ...loaded], quiet);
      expect(() => runtime.install()).toThrow("Plugin 'plugin-clash' was refused: its connector 'text-template' is already provided by plugin 'first'");
    } finally {
      await engine.close();
      data.remove();
    }
  });
});

describe('cadenzaflow plugin new', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('scaffolds a package with the manifest block, a connector, a README and a test that passes on our harness', async () => {
    const pkgDir = join(dir.path, 'acme');
    expect(scaffoldPlugin(pkgDir, 'cadenzaflow-plugin-acme').sort()).toEqual(['README.md', 'index.js', 'package.json', 'test/plugin.test.js']);
    const { loaded } = await loadPlugins([{ name: pkgDir }]);
    expect(loaded[0]!.definition.connectors!.map((c) => c.id)).toEqual(['acme-call']);
    // Its own test, run with node's test runner against this CadenzaFlow (the harness from source).
    const shim = join(pkgDir, 'node_modules', 'cadenzaflow');
    mkdirSync(shim, { recursive: true });
    writeFileSync(join(shim, 'package.json'), JSON.stringify({ name: 'cadenzaflow', type: 'module', exports: { './testing': './testing.js' } }));
    writeFileSync(join(shim, 'testing.js'), `export * from ${JSON.stringify(join(ROOT, 'plugins', 'testing.ts'))};`);
    symlinkSync(join(ROOT, 'node_modules'), join(shim, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules', 'tsx'), join(pkgDir, 'node_modules', 'tsx'));
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--test'], { cwd: pkgDir, encoding: 'utf8', stdio: 'pipe' });
    expect(out).toMatch(/# pass 2/);
    expect(out).toMatch(/# fail 0/);
  }, 60_000);
});

describe('cadenzaflow templates', () => {
  const out = tempDir();
  afterAll(() => out.remove());

  it('writes one Modeler template file per connector, built-in and from plugins, generated from their schemas', async () => {
    const files = await writeElementTemplates(out.path, [{ name: join(ROOT, 'plugins', 'example-text') }]);
    expect(files.sort()).toEqual(['amqp.json', 'http-connector.json', 'kafka.json', 'rpa-webhook.json', 'soap-http-connector.json', 'text-template.json']);
    const [http] = JSON.parse(readFileSync(join(out.path, 'http-connector.json'), 'utf8')) as { id: string; scopes: { properties: { binding: { name?: string } }[] }[] }[];
    expect(http!.id).toBe('cadenzaflow.connector.http-connector');
    const bound = http!.scopes[0]!.properties.map((p) => p.binding.name).filter(Boolean);
    expect(bound).toEqual(expect.arrayContaining(['connectorId', 'url', 'method', 'headers', 'payload']));
  });
});
