/**
 * Camunda Modeler element templates (Camunda 7 flavour), generated from each
 * connector's input schema so a modeller picks the connector from the
 * Modeler's template list and gets one field per input parameter. Never
 * written by hand: `cadenzaflow templates` regenerates them.
 */
import { z } from 'zod';
import type { ConnectorDefinition } from './define-connector.js';

const SCHEMA_URL = 'https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface TemplateProperty {
  label: string;
  description?: string;
  type: 'String' | 'Text' | 'Boolean' | 'Dropdown' | 'Hidden';
  value?: string | boolean;
  choices?: { name: string; value: string }[];
  editable?: boolean;
  binding: { type: 'property'; name: string } | { type: 'camunda:inputParameter'; name: string } | { type: 'camunda:outputParameter'; source: string };
  constraints?: { notEmpty?: boolean };
}

export interface ElementTemplate {
  $schema: string;
  name: string;
  id: string;
  version: number;
  description?: string;
  appliesTo: string[];
  properties: TemplateProperty[];
  scopes: { type: 'camunda:Connector'; properties: TemplateProperty[] }[];
  entriesVisible?: Record<string, boolean>;
}

function label(name: string): string {
  return name.replace(/[-_]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.type) return s.type;
  const alt = (s.anyOf ?? s.oneOf)?.find((x) => x.type !== 'null');
  return alt ? typeOf(alt) : undefined;
}

function inputProperty(name: string, s: JsonSchema, required: boolean): TemplateProperty {
  const binding = { type: 'camunda:inputParameter' as const, name };
  const base = { label: s.title ?? label(name), ...(s.description ? { description: s.description } : {}), binding };
  const values = s.enum ?? (s.anyOf ?? s.oneOf)?.flatMap((x) => x.enum ?? (x.const !== undefined ? [x.const] : []));
  if (values && values.length > 0 && values.every((v) => typeof v === 'string')) {
    return { ...base, type: 'Dropdown', choices: (values as string[]).map((v) => ({ name: v, value: v })), value: String(s.default ?? values[0]) };
  }
  const t = typeOf(s);
  if (t === 'boolean') return { ...base, type: 'Boolean', value: s.default === true };
  // Objects and lists are written as expressions (or JSON text the connector parses), so they get a text area.
  const type = t === 'object' || t === 'array' ? 'Text' : 'String';
  const prop: TemplateProperty = { ...base, type };
  if (s.default !== undefined) prop.value = typeof s.default === 'string' ? s.default : JSON.stringify(s.default);
  if (required) prop.constraints = { notEmpty: true };
  return prop;
}

/** One template per connector, for service and send tasks. */
export function elementTemplate(def: ConnectorDefinition): ElementTemplate {
  const schema = z.toJSONSchema(def.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(schema.required ?? []);
  const inputs = Object.entries(schema.properties ?? {}).map(([name, s]) => inputProperty(name, s, required.has(name)));
  const outputs: TemplateProperty[] = [];
  if (def.output) {
    const out = z.toJSONSchema(def.output, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
    for (const [name, s] of Object.entries(out.properties ?? {})) {
      outputs.push({
        label: `Result variable for '${name}'`,
        ...(s.description ? { description: s.description } : {}),
        type: 'String',
        binding: { type: 'camunda:outputParameter', source: `\${${name}}` },
      });
    }
  }
  const major = Number(/^(\d+)/.exec(def.version)?.[1] ?? '1');
  return {
    $schema: SCHEMA_URL,
    name: def.name ?? label(def.id),
    id: `cadenzaflow.connector.${def.id}`,
    version: Math.max(1, major),
    ...(def.description ? { description: def.description } : {}),
    appliesTo: ['bpmn:ServiceTask', 'bpmn:SendTask'],
    properties: [],
    scopes: [
      {
        type: 'camunda:Connector',
        properties: [{ label: 'Connector', type: 'Hidden', value: def.id, binding: { type: 'property', name: 'connectorId' } }, ...inputs, ...outputs],
      },
    ],
  };
}

export function elementTemplates(defs: readonly ConnectorDefinition[]): ElementTemplate[] {
  return defs.map(elementTemplate);
}
