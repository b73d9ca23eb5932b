/**
 * SOAP 1.1 and 1.2 as the wire sees them: the envelope namespace, where the
 * action goes (1.1: the `SOAPAction` header; 1.2: the `action` parameter of
 * `application/soap+xml`), wrapping a body into an envelope, and reading a
 * fault (1.1 `faultcode`/`faultstring`, 1.2 `Code`/`Reason`).
 */
import { headerValue, setDefaultHeader } from '../http/http-client.js';
import { child, parseXml, XmlSyntaxError, type XmlElement } from './xml.js';

export const SOAP_11_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP_12_ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';

export type SoapVersion = '1.1' | '1.2';

const CONTENT_TYPE: Record<SoapVersion, string> = {
  '1.1': 'text/xml; charset=utf-8',
  '1.2': 'application/soap+xml; charset=utf-8',
};

/**
 * The version a Camunda-style request speaks when the model does not say:
 * `application/soap+xml` or a SOAP 1.2 envelope mean 1.2; anything else 1.1.
 */
export function detectVersion(envelope: string, headers: Readonly<Record<string, string>>): SoapVersion {
  const ct = headerValue(headers, 'Content-Type');
  if (ct && /application\/soap\+xml/i.test(ct)) return '1.2';
  if (envelope.includes(SOAP_12_ENVELOPE_NS)) return '1.2';
  return '1.1';
}

/** An envelope around body content (and optional header blocks), in the version's namespace. */
export function wrapEnvelope(version: SoapVersion, body: string, header?: string | null): string {
  const ns = version === '1.2' ? SOAP_12_ENVELOPE_NS : SOAP_11_ENVELOPE_NS;
  const head = header ? `<soap:Header>${header}</soap:Header>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ns}">${head}<soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/**
 * Sets the content type and the action the way the version wants them,
 * leaving headers the model set itself as they are (Camunda sends them
 * unchanged).
 */
export function applySoapHeaders(headers: Record<string, string>, version: SoapVersion, action: string | null | undefined): void {
  if (version === '1.1') {
    setDefaultHeader(headers, 'Content-Type', CONTENT_TYPE['1.1']);
    // SOAP 1.1 §6.1.1: the header value is a quoted URI; an empty string is allowed.
    if (action != null) setDefaultHeader(headers, 'SOAPAction', `"${action}"`);
    return;
  }
  setDefaultHeader(headers, 'Content-Type', CONTENT_TYPE['1.2']);
  if (action == null) return;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'content-type')!;
  // SOAP 1.2 Part 2 §7.1.4 / RFC 3902: the action travels as a parameter of the media type.
  if (!/;\s*action\s*=/i.test(headers[key]!)) headers[key] = `${headers[key]!}; action="${action}"`;
}

export interface SoapFault {
  readonly version: SoapVersion;
  /** `faultcode` (1.1) or `Code/Value` (1.2) as written, e.g. `soap:Client`. */
  readonly code: string;
  /** 1.2 `Subcode/Value`s, outermost first. */
  readonly subcodes: readonly string[];
  /** `faultstring` (1.1) or the first `Reason/Text` (1.2). */
  readonly message: string;
  /** `faultactor` (1.1) or `Role` (1.2). */
  readonly actor: string | null;
  /** The content of `detail` / `Detail` as XML text. */
  readonly detail: string | null;
}

/** The fault in a response envelope, or null when the body holds none (or is not a SOAP envelope at all). */
export function extractFault(xml: string | null): SoapFault | null {
  if (!xml || !xml.includes('Fault')) return null;
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    if (e instanceof XmlSyntaxError) return null;
    throw e;
  }
  if (root.local !== 'Envelope') return null;
  const fault = child(child(root, 'Body'), 'Fault');
  if (!fault) return null;
  const inner = (el: XmlElement | undefined) => (el ? xml.slice(el.innerStart, el.innerEnd).trim() : null);
  const code = child(fault, 'Code');
  if (root.ns === SOAP_12_ENVELOPE_NS || code) {
    const subcodes: string[] = [];
    for (let sub = child(code, 'Subcode'); sub; sub = child(sub, 'Subcode')) {
      const v = child(sub, 'Value')?.text.trim();
      if (v) subcodes.push(v);
    }
    return {
      version: '1.2',
      code: child(code, 'Value')?.text.trim() ?? '',
      subcodes,
      message: child(child(fault, 'Reason'), 'Text')?.text.trim() ?? '',
      actor: child(fault, 'Role')?.text.trim() ?? null,
      detail: inner(child(fault, 'Detail')),
    };
  }
  return {
    version: '1.1',
    code: child(fault, 'faultcode')?.text.trim() ?? '',
    subcodes: [],
    message: child(fault, 'faultstring')?.text.trim() ?? '',
    actor: child(fault, 'faultactor')?.text.trim() ?? null,
    detail: inner(child(fault, 'detail')),
  };
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

/**
 * The BPMN error code a fault maps to. Keys match a code as written
 * (`tns:CardDeclined`), by local name (`CardDeclined`), or by the last part
 * of SOAP 1.1's dotted codes (`soap:Client.CardDeclined`). The most specific
 * code wins: 1.2 subcodes, innermost first, then the code, then its class
 * (`Client`, `Sender`, …); `*` catches the rest.
 */
export function mapFault(fault: SoapFault, map: Readonly<Record<string, string>> | null | undefined): string | undefined {
  if (!map) return undefined;
  const candidates: string[] = [];
  for (const code of [...fault.subcodes].reverse().concat(fault.code)) {
    const local = localName(code);
    candidates.push(code, local);
    if (local.includes('.')) candidates.push(local.slice(local.lastIndexOf('.') + 1));
  }
  const local = localName(fault.code);
  if (local.includes('.')) candidates.push(local.slice(0, local.indexOf('.')));
  candidates.push('*');
  for (const c of candidates) if (Object.hasOwn(map, c)) return map[c];
  return undefined;
}

/** Sender/Client faults say the request is wrong; Receiver/Server faults may pass when tried again. */
export function isReceiverFault(fault: SoapFault): boolean {
  const local = localName(fault.code).split('.')[0];
  return local === 'Server' || local === 'Receiver';
}

export function describeFault(fault: SoapFault): string {
  const codes = [fault.code, ...fault.subcodes].filter(Boolean).join(' / ');
  return `SOAP ${fault.version} fault ${codes || '(no code)'}: ${fault.message || '(no message)'}`;
}
