/**
 * BPMN XML → moddle tree. Checks what must be refused before parsing (size,
 * DOCTYPE), reads the alias namespaces as Camunda's, and turns moddle's
 * warnings into problems with positions.
 */
import { createRequire } from 'node:module';
import { BpmnModdle, type ModdleReadWarning } from 'bpmn-moddle';
import type { SourceLocation } from './graph.js';
import { positionAt, type LocationIndex } from './locations.js';
import type { Definitions, ModdleElement, Process } from './moddle.js';
import type { ProblemList } from './problems.js';

export const CAMUNDA_NAMESPACE = 'http://camunda.org/schema/1.0/bpmn';

/** Namespaces read as `camunda:`: engines that forked Camunda 7 (or it forked) kept the same extension. */
export const CAMUNDA_NAMESPACE_ALIASES: readonly string[] = [
  'http://activiti.org/bpmn',
  'http://operaton.org/schema/1.0/bpmn',
  'http://cadenzaflow.org/schema/1.0/bpmn',
  // Camunda's predecessor (camunda fox) namespace, still read by Camunda 7 for fox:failedJobRetryTimeCycle
  'http://www.camunda.com/fox',
];

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Camunda attributes the camunda-bpmn-moddle descriptor lacks but Camunda 7
 * reads, by the moddle types that may carry them.
 */
const UNDESCRIBED_CAMUNDA_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  'camunda:exclusive': ['bpmn:TimerEventDefinition'],
  'camunda:decisionRefVersionTag': ['bpmn:BusinessRuleTask'],
  'camunda:resultVariableName': ['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask', 'bpmn:ScriptTask', 'bpmn:MessageEventDefinition'],
};

let moddle: BpmnModdle | undefined;

function bpmnModdle(): BpmnModdle {
  if (!moddle) {
    const require = createRequire(import.meta.url);
    const camunda: unknown = require('camunda-bpmn-moddle/resources/camunda.json');
    // The aliases are bound to the camunda package while reading, so the
    // text keeps its positions and any prefix (activiti:, operaton:) works.
    const nsMap = Object.fromEntries(CAMUNDA_NAMESPACE_ALIASES.map((uri) => [uri, 'camunda']));
    moddle = new BpmnModdle({ camunda }, { nsMap });
  }
  return moddle;
}

/** Byte size and DOCTYPE: refused before the XML is read. */
export function checkBeforeReading(xml: string, maxBytes: number, problems: ProblemList): boolean {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > maxBytes) {
    problems.error(`resource is ${bytes} bytes, more than the ${maxBytes} bytes allowed`);
    return false;
  }
  // DTDs enable entity expansion attacks and are never needed in BPMN
  const doctype = /<!DOCTYPE/i.exec(xml);
  if (doctype) {
    problems.error('DOCTYPE declarations are not allowed in BPMN resources', undefined, positionAt(xml, doctype.index));
    return false;
  }
  return true;
}

/** References moddle could not resolve, kept so compile can report them in context (or use the raw id, as for errorRef). */
export class UnresolvedReferences {
  private readonly byElement = new Map<ModdleElement, Map<string, string>>();

  add(element: ModdleElement, property: string, id: string): void {
    let properties = this.byElement.get(element);
    if (!properties) this.byElement.set(element, (properties = new Map()));
    if (!properties.has(property)) properties.set(property, id);
  }

  /** Whether `property` of `element` was written but named no element (not yet taken). */
  has(element: ModdleElement, property: string): boolean {
    return this.byElement.get(element)?.has(property) === true;
  }

  /** The id written in `property` of `element` that named no element; the caller now owns reporting it. */
  take(element: ModdleElement, property: string): string | undefined {
    const properties = this.byElement.get(element);
    const id = properties?.get(property);
    properties?.delete(property);
    return id;
  }

  *remaining(): Generator<{ element: ModdleElement; property: string; id: string }> {
    for (const [element, properties] of this.byElement) {
      for (const [property, id] of properties) yield { element, property, id };
    }
  }
}

export interface ReadResult {
  readonly definitions: Definitions;
  readonly unresolved: UnresolvedReferences;
}

/** Reads the XML; returns undefined when moddle could not produce definitions (problems say why). */
export async function readDefinitions(xml: string, locations: LocationIndex, problems: ProblemList): Promise<ReadResult | undefined> {
  const unresolved = new UnresolvedReferences();
  let result;
  try {
    result = await bpmnModdle().fromXML(normalizeStartTags(xml));
  } catch (error) {
    const failure = error as Error & { warnings?: ModdleReadWarning[] };
    const warnings = failure.warnings ?? [];
    if (failure.message === NOT_DEFINITIONS) {
      // moddle explains the wrong root in a warning; one problem says it better
      const root = warnings.map((warning) => UNPARSABLE.exec(warning.message)).find((match) => match?.[4]?.startsWith('unexpected element'));
      const at = root ? { line: Number(root[2]) + 1, column: Number(root[3]) + 1 } : undefined;
      problems.error(`the document is not BPMN 2.0: its root ${root?.[1] ?? 'element'} is not <definitions> of the BPMN 2.0 model namespace`, undefined, at);
      return undefined;
    }
    for (const warning of warnings) reportWarning(warning, locations, problems, unresolved);
    reportUnreadable(failure.message, locations, problems);
    return undefined;
  }
  const definitions = result.rootElement as Definitions;
  for (const warning of result.warnings) {
    if (resolveQualifiedReference(warning, definitions, result.elementsById)) continue;
    reportWarning(warning, locations, problems, unresolved);
  }
  return { definitions, unresolved };
}

/**
 * Camunda 7 resolves a reference written as a QName (`messageRef="tns:invoice"`)
 * through the prefix: when the prefix is bound to the definitions' target
 * namespace, it names the element with that local id (BpmnParse.resolveName).
 * moddle only knows plain ids, so such a reference is resolved here.
 */
function resolveQualifiedReference(warning: ModdleReadWarning, definitions: Definitions, byId: Record<string, unknown>): boolean {
  if (!warning.message.startsWith('unresolved reference') || !warning.element || !warning.property) return false;
  const written = String(warning.value);
  const colon = written.indexOf(':');
  if (colon <= 0) return false;
  const prefix = written.slice(0, colon);
  const target = byId[written.slice(colon + 1)];
  const namespace = definitions.$attrs?.[`xmlns:${prefix}`];
  if (target === undefined || namespace === undefined || namespace !== definitions.targetNamespace) return false;
  const element = warning.element as Record<string, unknown>;
  const property = localName(warning.property);
  const current = element[property];
  if (Array.isArray(current)) current.push(target);
  else element[property] = target;
  return true;
}

/**
 * Rewrites, inside start tags only and without moving anything (so positions
 * stay those of the original text), what XML allows but moddle's reader
 * refuses: white space around an attribute's `=` (`name = "x"`), and white
 * space around an `id` value, which the XML Schema ID type collapses
 * (`id="flow4 "` is the id `flow4` to Camunda's schema-validating parser).
 */
export function normalizeStartTags(xml: string): string {
  if (!/\s=|=\s|id\s*=\s*["']\s|\s["']/.test(xml)) return xml;
  let out = '';
  let copied = 0;
  let i = xml.indexOf('<');
  while (i !== -1 && i < xml.length) {
    let end: number;
    if (xml.startsWith('<!--', i)) end = after(xml, '-->', i + 4);
    else if (xml.startsWith('<![CDATA[', i)) end = after(xml, ']]>', i + 9);
    else if (xml.startsWith('<?', i) || xml.startsWith('<!', i) || xml.startsWith('</', i)) end = after(xml, '>', i + 2);
    else {
      end = startTagEnd(xml, i + 1);
      const tag = xml.slice(i, end);
      const fixed = normalizeAttributes(tag);
      if (fixed !== tag) {
        out += xml.slice(copied, i) + fixed;
        copied = end;
      }
    }
    i = xml.indexOf('<', end);
  }
  return copied === 0 ? xml : out + xml.slice(copied);
}

const SPACED_ATTRIBUTE = /(\s)([\w.:-]+)(\s*)=(\s*)("[^"]*"|'[^']*')/g;

function normalizeAttributes(tag: string): string {
  return tag.replace(SPACED_ATTRIBUTE, (whole, lead: string, name: string, before: string, afterEq: string, quoted: string) => {
    let value = quoted;
    if (name === 'id' || name.endsWith(':id')) {
      const quote = quoted.charAt(0);
      value = `${quote}${quoted.slice(1, -1).trim()}${quote}`;
    }
    const rebuilt = `${lead}${name}=${value}`;
    return rebuilt.length === whole.length ? whole : rebuilt + ' '.repeat(whole.length - rebuilt.length);
  });
}

function after(xml: string, terminator: string, from: number): number {
  const found = xml.indexOf(terminator, from);
  return found === -1 ? xml.length : found + terminator.length;
}

/** Offset just past the `>` closing a start tag, skipping `>` inside quoted attribute values. */
function startTagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return i + 1;
  }
  return xml.length;
}

/** Unresolved references compile did not report: errors in executing content, warnings elsewhere (diagram, lanes, artifacts). */
export function reportRemainingReferences(unresolved: UnresolvedReferences, problems: ProblemList): void {
  for (const { element, property, id } of unresolved.remaining()) {
    if (inIgnoredProcess(element)) continue;
    const owner = ownerId(element);
    const message = `${describe(element)} refers to '${id}' in '${property}', but no element has that id`;
    if (isExecutingContent(element) && property !== 'incoming' && property !== 'outgoing') problems.error(message, owner);
    else problems.warning(message, owner);
  }
}

const NOT_DEFINITIONS = 'failed to parse document as <bpmn:Definitions>';

const UNPARSABLE = /^unparsable content (?:([\s\S]*?) )?detected\s+line: (\d+)\s+column: (\d+)\s+nested error: ([\s\S]*)$/;

function reportWarning(warning: ModdleReadWarning, locations: LocationIndex, problems: ProblemList, unresolved: UnresolvedReferences): void {
  const message = warning.message;
  const element = warning.element as ModdleElement | undefined;
  if (message.startsWith('unparsable content')) {
    reportUnreadable(message, locations, problems);
  } else if (message.startsWith('unknown attribute') && element && warning.property) {
    reportUnknownAttribute(element, warning.property, locations, problems);
  } else if (message.startsWith('unresolved reference') && element && warning.property) {
    unresolved.add(element, localName(warning.property), String(warning.value));
  } else {
    problems.warning(message);
  }
}

/** moddle reports 0-based lines and columns inside its message. */
function reportUnreadable(message: string, locations: LocationIndex, problems: ProblemList): void {
  const match = UNPARSABLE.exec(message);
  if (!match) {
    problems.error(message);
    return;
  }
  const [, content = '', line, column, nested = ''] = match;
  const at: SourceLocation = { line: Number(line) + 1, column: Number(column) + 1 };
  const tag = content.startsWith('<') ? content.replace(/\s*\/?>$/, '>') : content;
  const id = locations.idAt(at);
  const unknownType = /^unknown type <(.*)>$/.exec(nested);
  const duplicateId = /^duplicate ID <(.*)>$/.exec(nested);
  if (unknownType) problems.error(`unknown element ${tag}: CadenzaFlow does not execute it`, id, at);
  else if (duplicateId) problems.error(`duplicate id '${duplicateId[1]}'`, duplicateId[1], at);
  else if (/^unrecognized element|^unexpected element/.test(nested)) problems.error(`element ${tag} is not allowed here`, id, at);
  else problems.error(`XML could not be read${tag ? ` at ${tag}` : ''}: ${nested}`, id, at);
}

/**
 * moddle warns about attributes of a known namespace it has no property
 * for. Camunda 7 deploys such models and ignores the attribute (its schema
 * allows any foreign attribute), and old models carry obsolete ones; so do
 * we, with a warning that names it — in the camunda namespace it is most
 * likely a typo (`camunda:asignee`) that changes what the model does.
 */
function reportUnknownAttribute(element: ModdleElement, attribute: string, locations: LocationIndex, problems: ProblemList): void {
  if (inIgnoredProcess(element)) return;
  if (UNDESCRIBED_CAMUNDA_ATTRIBUTES[attribute]?.includes(element.$type)) return;
  const owner = ownerId(element);
  const at = element.id !== undefined ? locations.attribute(element.id, attribute) : undefined;
  const where = element.id !== undefined ? `element '${element.id}'` : `${describe(element)}`;
  if (attribute.startsWith('camunda:') || element.$type.startsWith('camunda:')) {
    problems.warning(`unknown attribute '${attribute}' on ${where} is ignored, as Camunda 7 ignores it; a typo?`, owner, at);
  } else {
    problems.warning(`unknown attribute '${attribute}' on ${where} is ignored`, owner, at);
  }
}

function describe(element: ModdleElement): string {
  const owner = ownerId(element);
  const tag = `<${tagName(element.$type)}>`;
  if (element.id !== undefined) return `${tag} '${element.id}'`;
  return owner === undefined ? tag : `${tag} of element '${owner}'`;
}

/** The nearest element with an id, the element itself included. */
function ownerId(element: ModdleElement): string | undefined {
  for (let current: ModdleElement | undefined = element; current; current = current.$parent) {
    if (current.id !== undefined) return current.id;
  }
  return undefined;
}

/** Camunda 7 does not parse `isExecutable="false"` processes: nothing inside them can fail a deployment. */
export function inIgnoredProcess(element: ModdleElement): boolean {
  for (let current: ModdleElement | undefined = element; current; current = current.$parent) {
    if (current.$type === 'bpmn:Process') return (current as Process).isExecutable !== true;
  }
  return false;
}

function isExecutingContent(element: ModdleElement): boolean {
  if (element.$instanceOf('bpmn:DataObject') || element.$instanceOf('bpmn:DataObjectReference') || element.$instanceOf('bpmn:DataStoreReference')) {
    return false;
  }
  return (
    element.$instanceOf('bpmn:FlowElement') ||
    element.$instanceOf('bpmn:EventDefinition') ||
    element.$instanceOf('bpmn:LoopCharacteristics') ||
    element.$type.startsWith('camunda:')
  );
}

/** The XML tag of a moddle type: BPMN and camunda tags are the type names with a lower-case first letter. */
export function tagName(type: string): string {
  const [prefix = '', local = ''] = type.split(':');
  if (prefix !== 'bpmn' && prefix !== 'camunda') return type;
  const name = local.charAt(0).toLowerCase() + local.slice(1);
  return prefix === 'bpmn' ? name : `${prefix}:${name}`;
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}
