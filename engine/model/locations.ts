/**
 * Positions of elements in the raw XML. moddle keeps no positions, so the
 * resource is scanned once for start tags: those carrying `id="..."` are
 * indexed by id, the others by local name in document order (for reporting
 * elements that lack an id).
 */
import type { SourceLocation } from './graph.js';

export interface LocationIndex {
  /** Start tag of the element with this id (the first one, if duplicated). */
  byId(id: string): SourceLocation | undefined;
  /** Where `attribute` (qualified or not) sits in the start tag of the element `id`; falls back to the tag. */
  attribute(id: string, attribute: string): SourceLocation | undefined;
  /** The `index`-th (0-based) start tag named `localName` that has no id. */
  anonymous(localName: string, index: number): SourceLocation | undefined;
  /** Line and column of a character offset. */
  at(offset: number): SourceLocation;
  /** Id of the element whose start tag begins exactly at `location`. */
  idAt(location: SourceLocation): string | undefined;
}

interface Tag {
  readonly start: number;
  readonly end: number;
}

const ID_ATTRIBUTE = /(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)')/;

export function indexLocations(xml: string): LocationIndex {
  const ids = new Map<string, Tag>();
  const idsByOffset = new Map<number, string>();
  const anonymous = new Map<string, number[]>();
  let lineStarts: number[] | undefined;

  let i = xml.indexOf('<');
  while (i !== -1 && i < xml.length) {
    const next = xml.charCodeAt(i + 1);
    let end: number;
    if (xml.startsWith('<!--', i)) {
      end = indexAfter(xml, '-->', i + 4);
    } else if (xml.startsWith('<![CDATA[', i)) {
      end = indexAfter(xml, ']]>', i + 9);
    } else if (next === 0x3f /* ? */) {
      end = indexAfter(xml, '?>', i + 2);
    } else if (next === 0x21 /* ! */ || next === 0x2f /* / */) {
      end = indexAfter(xml, '>', i + 2);
    } else {
      end = tagEnd(xml, i + 1);
      const text = xml.slice(i + 1, end);
      const nameEnd = text.search(/[\s/>]/);
      const name = nameEnd === -1 ? text : text.slice(0, nameEnd);
      const idMatch = ID_ATTRIBUTE.exec(text.slice(name.length));
      if (idMatch) {
        const id = decodeEntities(idMatch[1] ?? idMatch[2] ?? '');
        if (!ids.has(id)) ids.set(id, { start: i, end });
        idsByOffset.set(i, id);
      } else {
        const localName = name.slice(name.indexOf(':') + 1);
        let list = anonymous.get(localName);
        if (!list) anonymous.set(localName, (list = []));
        list.push(i);
      }
    }
    i = xml.indexOf('<', end);
  }

  function at(offset: number): SourceLocation {
    lineStarts ??= computeLineStarts(xml);
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low]! + 1 };
  }

  return {
    byId(id) {
      const tag = ids.get(id);
      return tag ? at(tag.start) : undefined;
    },
    attribute(id, attribute) {
      const tag = ids.get(id);
      if (!tag) return undefined;
      const text = xml.slice(tag.start, tag.end);
      const local = attribute.slice(attribute.indexOf(':') + 1);
      // the prefix in the file may be an alias (activiti:, operaton:) of the one moddle reports
      const prefix = attribute.includes(':') ? '[\\w.-]+:' : '';
      const match = new RegExp(`\\s${prefix}${escapeRegExp(local)}\\s*=`).exec(text);
      return at(match ? tag.start + match.index + 1 : tag.start);
    },
    anonymous(localName, index) {
      const offset = anonymous.get(localName)?.[index];
      return offset === undefined ? undefined : at(offset);
    },
    at,
    idAt({ line, column }) {
      lineStarts ??= computeLineStarts(xml);
      const lineStart = lineStarts[line - 1];
      return lineStart === undefined ? undefined : idsByOffset.get(lineStart + column - 1);
    },
  };
}

/** Line and column of one offset, without indexing the whole text. */
export function positionAt(xml: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = xml.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && xml.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function indexAfter(xml: string, terminator: string, from: number): number {
  const found = xml.indexOf(terminator, from);
  return found === -1 ? xml.length : found + terminator.length;
}

/** Offset just past the `>` closing a start tag, skipping `>` inside quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e) {
      return i + 1;
    }
  }
  return xml.length;
}

function computeLineStarts(xml: string): number[] {
  const starts = [0];
  for (let i = 0; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d && xml.charCodeAt(i + 1) !== 0x0a) starts.push(i + 1);
  }
  return starts;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
