/**
 * Just enough XML for reading SOAP envelopes: elements with resolved
 * namespaces, attributes, text and the source range of their content. No
 * DTDs and no entity expansion beyond the predefined and numeric ones, so a
 * hostile response cannot make the parser fetch or expand anything.
 */

export interface XmlElement {
  /** The qualified name as written (`soap:Fault`). */
  readonly name: string;
  readonly local: string;
  /** The namespace URI the prefix (or the default namespace) resolves to. */
  readonly ns: string | null;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** The element's own text nodes, concatenated, entities decoded. */
  text: string;
  /** Source offsets of the content between the start and the end tag. */
  innerStart: number;
  innerEnd: number;
}

export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${({ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' } as const)[c as '<']};`);
}

const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface Open {
  el: XmlElement;
  scope: Map<string, string>;
}

/** Parses a document and returns its root element; throws XmlSyntaxError on malformed input. */
export function parseXml(src: string): XmlElement {
  const stack: Open[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  const fail = (msg: string): never => {
    throw new XmlSyntaxError(`${msg} at offset ${i}`);
  };
  const addText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top) top.el.text += t;
    else if (t.trim() !== '') fail('text outside the root element');
  };
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      addText(decodeEntities(src.slice(i)));
      break;
    }
    if (lt > i) addText(decodeEntities(src.slice(i, lt)));
    i = lt;
    if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
    } else if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA section');
      addText(src.slice(i + 9, end));
      i = end + 3;
    } else if (src.startsWith('<!', i)) {
      fail('DTDs are not allowed in SOAP messages');
    } else if (src.startsWith('</', i)) {
      const end = src.indexOf('>', i);
      if (end < 0) fail('unterminated end tag');
      const name = src.slice(i + 2, end).trim();
      const top = stack.pop();
      if (!top || top.el.name !== name) fail(`end tag </${name}> does not match <${top?.el.name ?? '(none)'}>`);
      top!.el.innerEnd = i;
      i = end + 1;
    } else {
      const end = findTagEnd(src, i);
      if (end < 0) fail('unterminated start tag');
      const selfClosing = src[end - 1] === '/';
      const body = src.slice(i + 1, selfClosing ? end - 1 : end);
      const nameMatch = /^[^\s/>]+/.exec(body);
      if (!nameMatch) fail('start tag without a name');
      const name = nameMatch![0];
      const attrs: Record<string, string> = {};
      const parentScope = stack[stack.length - 1]?.scope ?? new Map<string, string>();
      let scope = parentScope;
      for (const m of body.slice(name.length).matchAll(ATTR)) {
        const value = decodeEntities(m[2] ?? m[3] ?? '');
        attrs[m[1]!] = value;
        if (m[1] === 'xmlns' || m[1]!.startsWith('xmlns:')) {
          if (scope === parentScope) scope = new Map(parentScope);
          scope.set(m[1] === 'xmlns' ? '' : m[1]!.slice(6), value);
        }
      }
      const colon = name.indexOf(':');
      const prefix = colon > 0 ? name.slice(0, colon) : '';
      const el: XmlElement = {
        name,
        local: colon > 0 ? name.slice(colon + 1) : name,
        ns: scope.get(prefix) ?? null,
        attrs,
        children: [],
        text: '',
        innerStart: end + 1,
        innerEnd: end + 1,
      };
      const parent = stack[stack.length - 1];
      if (parent) parent.el.children.push(el);
      else if (root) fail('a second root element');
      else root = el;
      if (!selfClosing) stack.push({ el, scope });
      i = end + 1;
    }
  }
  if (stack.length > 0) fail(`element <${stack[stack.length - 1]!.el.name}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}

/** The index of the `>` closing a start tag, skipping quoted attribute values. */
function findTagEnd(src: string, from: number): number {
  let quote: string | null = null;
  for (let j = from + 1; j < src.length; j++) {
    const c = src[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
  }
  return -1;
}

/** The first child with this local name (namespace-agnostic, as SOAP stacks read faults). */
export function child(el: XmlElement | undefined, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local);
}
