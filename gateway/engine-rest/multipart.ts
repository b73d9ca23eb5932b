/**
 * `multipart/form-data` (RFC 7578 over RFC 2046) for deployment uploads.
 * Works on Buffers so file parts stay byte-exact; the size cap is applied
 * while the body is read (json.ts `readBody`), the part count here.
 */
import { invalidRequest } from './errors.js';

export interface FormPart {
  /** The form field name (`name=` of Content-Disposition). */
  name: string;
  /** `filename=` (or RFC 5987 `filename*=`), null for plain fields. */
  filename: string | null;
  /** The part's Content-Type, null when absent (plain fields). */
  contentType: string | null;
  headers: Readonly<Record<string, string>>;
  data: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` Content-Type; 415 for any other type. */
export function boundaryOf(contentType: string | undefined): string {
  const [type, ...rest] = splitParams(contentType ?? '');
  if (!type || type.trim().toLowerCase() !== 'multipart/form-data') {
    throw invalidRequest(415, `Expected a multipart/form-data request, got '${contentType ?? 'no content type'}'`);
  }
  for (const param of rest) {
    const [key, value] = keyValue(param);
    if (key === 'boundary' && value) {
      if (value.length > 70) throw invalidRequest(400, 'The multipart boundary is longer than 70 characters');
      return value;
    }
  }
  throw invalidRequest(400, 'The multipart/form-data Content-Type has no boundary');
}

/**
 * Splits a multipart body into its parts. Strict about the framing (every
 * delimiter starts a line, the close delimiter must be present) and lenient
 * where RFC 2046 allows: preamble, epilogue, transport padding after a
 * delimiter, parts without headers.
 */
export function parseMultipart(body: Buffer, contentType: string | undefined, opts: { maxParts?: number } = {}): FormPart[] {
  const boundary = boundaryOf(contentType);
  const maxParts = opts.maxParts ?? 1000;
  const delimiter = Buffer.from(`--${boundary}`);
  const lineDelimiter = Buffer.concat([CRLF, delimiter]);
  const incomplete = () => invalidRequest(400, 'The multipart body is incomplete: no closing boundary');

  // The first delimiter may open the body or follow a preamble line.
  let pos: number;
  if (body.subarray(0, delimiter.length).equals(delimiter)) pos = delimiter.length;
  else {
    const at = body.indexOf(lineDelimiter);
    if (at < 0) throw incomplete();
    pos = at + lineDelimiter.length;
  }

  const parts: FormPart[] = [];
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // "--": close delimiter
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++; // transport padding
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw invalidRequest(400, 'Malformed multipart body: a boundary line must end with CRLF');
    pos += 2;

    let headerText: string;
    let dataStart: number;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) {
      headerText = '';
      dataStart = pos + 2;
    } else {
      const end = body.indexOf(HEADER_END, pos);
      if (end < 0) throw incomplete();
      headerText = body.subarray(pos, end).toString('utf8');
      dataStart = end + HEADER_END.length;
    }
    const dataEnd = body.indexOf(lineDelimiter, dataStart);
    if (dataEnd < 0) throw incomplete();
    if (parts.length >= maxParts) throw invalidRequest(400, `The multipart body has more than ${maxParts} parts`);
    parts.push(toPart(headerText, body.subarray(dataStart, dataEnd)));
    pos = dataEnd + lineDelimiter.length;
  }
}

function toPart(headerText: string, data: Buffer): FormPart {
  const headers: Record<string, string> = {};
  for (const line of headerText.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw invalidRequest(400, `Malformed multipart part header '${line}'`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const disposition = headers['content-disposition'];
  if (!disposition) throw invalidRequest(400, 'A multipart part has no Content-Disposition header');
  const [kind, ...params] = splitParams(disposition);
  if (kind?.trim().toLowerCase() !== 'form-data') throw invalidRequest(400, `Unexpected Content-Disposition '${disposition}'`);
  let name: string | null = null;
  let filename: string | null = null;
  let extendedFilename: string | null = null;
  for (const param of params) {
    const [key, value] = keyValue(param);
    if (key === 'name') name = unescapeFormValue(value);
    else if (key === 'filename') filename = unescapeFormValue(value);
    else if (key === 'filename*') extendedFilename = decodeExtValue(value);
  }
  if (name === null) throw invalidRequest(400, `A multipart part has no name: '${disposition}'`);
  return { name, filename: extendedFilename ?? filename, contentType: headers['content-type'] ?? null, headers, data: Buffer.from(data) };
}

/** Splits `a; b="x;y"; c` at semicolons outside quoted strings. */
function splitParams(header: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    if (quoted && c === '\\' && i + 1 < header.length) {
      current += c + header[++i]!;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/** `key=value` or `key="quoted \" value"` → [lower-case key, value]. */
function keyValue(param: string): [string, string] {
  const eq = param.indexOf('=');
  if (eq < 0) return [param.trim().toLowerCase(), ''];
  const key = param.slice(0, eq).trim().toLowerCase();
  let value = param.slice(eq + 1).trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    value = value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return [key, value];
}

/** Browsers percent-encode `"`, CR and LF in field names and file names (HTML's form-data encoding). */
function unescapeFormValue(value: string): string {
  return value.replace(/%22/gi, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

/** RFC 5987 `UTF-8''%e2%82%ac%20rates.bpmn`. */
function decodeExtValue(value: string): string | null {
  const m = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!m) return null;
  try {
    const bytes = Buffer.from(m[2]!.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    return m[1]!.toLowerCase() === 'iso-8859-1' ? bytes.toString('latin1') : bytes.toString('utf8');
  } catch {
    return null;
  }
}
