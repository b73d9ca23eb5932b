import http from 'node:http';
import type { AddressInfo } from 'node:net';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpConnector } from '../../connectors/http/index.js';
import { extractFault, mapFault, soapHttpConnector } from '../../connectors/soap/index.js';
import { toEngineConnector } from '../../plugins/index.js';
import { testConnector } from '../../plugins/testing.js';
import { TestClock } from '../helpers/clock.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

interface Seen {
  readonly path: string;
  readonly method: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** Starts a server on loopback; `handle` answers, every request is recorded. */
async function listen(handle: (req: Seen, res: http.ServerResponse) => void): Promise<{ server: http.Server; origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = { path: req.url ?? '/', method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      handle(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * A hand-written payment service that speaks whichever version it is
 * asked in. The card number picks the answer: a receipt, or a fault.
 */
function paymentService(req: Seen, res: http.ServerResponse): void {
  const v12 = /application\/soap\+xml/.test(req.headers['content-type'] ?? '');
  const card = /<p:card>([^<]*)<\/p:card>/.exec(req.body)?.[1] ?? '';
  const reply = (status: number, body: string): void =>
    void res
      .writeHead(status, { 'Content-Type': v12 ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8' })
      .end(`<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="${v12 ? SOAP12 : SOAP11}" xmlns:p="urn:payments"><env:Body>${body}</env:Body></env:Envelope>`);
  const fault = (code11: string, code12: string, subcode: string | null, reason: string): void =>
    reply(
      500,
      v12
        ? `<env:Fault><env:Code><env:Value>env:${code12}</env:Value>${subcode ? `<env:Subcode><env:Value>${subcode}</env:Value></env:Subcode>` : ''}</env:Code><env:Reason><env:Text xml:lang="en">${reason}</env:Text></env:Reason><env:Detail><p:ref>77</p:ref></env:Detail></env:Fault>`
        : `<env:Fault><faultcode>${code11}</faultcode><faultstring>${reason}</faultstring><detail><p:ref>77</p:ref></detail></env:Fault>`,
    );
  if (card === 'declined') return fault('env:Client.CardDeclined', 'Sender', 'p:CardDeclined', 'Insufficient funds &amp; no overdraft');
  if (card === 'fraud') return fault('p:Fraud', 'Sender', 'p:Fraud', 'Card reported stolen');
  if (card === 'invalid') return fault('env:Client', 'Sender', null, 'Card number is malformed');
  if (card === 'outage') return fault('env:Server', 'Receiver', null, 'Card network unavailable');
  reply(200, `<p:ChargeResponse><p:receipt>R-${card}</p:receipt></p:ChargeResponse>`);
}

/** The credit service's WSDL (document/literal), for SOAP 1.1 or 1.2 bindings. */
function creditWsdl(location: string, version: '1.1' | '1.2'): string {
  const b = version === '1.2' ? 'soap12' : 'soap';
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions name="CreditService" targetNamespace="urn:credit" xmlns="http://schemas.xmlsoap.org/wsdl/"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
  xmlns:tns="urn:credit" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <types>
    <xsd:schema targetNamespace="urn:credit" elementFormDefault="qualified">
      <xsd:element name="CheckCreditRequest">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="customer" type="xsd:string"/>
          <xsd:element name="amount" type="xsd:int"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:element name="CheckCreditResponse">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="approved" type="xsd:boolean"/>
          <xsd:element name="limit" type="xsd:int"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
    </xsd:schema>
  </types>
  <message name="CheckCreditInput"><part name="body" element="tns:CheckCreditRequest"/></message>
  <message name="CheckCreditOutput"><part name="body" element="tns:CheckCreditResponse"/></message>
  <portType name="CreditPortType">
    <operation name="CheckCredit"><input message="tns:CheckCreditInput"/><output message="tns:CheckCreditOutput"/></operation>
  </portType>
  <binding name="CreditBinding" type="tns:CreditPortType">
    <${b}:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="CheckCredit">
      <${b}:operation soapAction="urn:credit#CheckCredit"/>
      <input><${b}:body use="literal"/></input>
      <output><${b}:body use="literal"/></output>
    </operation>
  </binding>
  <service name="CreditService">
    <port name="CreditPort" binding="tns:CreditBinding"><${b}:address location="${location}"/></port>
  </service>
</definitions>`;
}

interface CreditCall {
  readonly version: '1.1' | '1.2';
  readonly args: Record<string, unknown>;
  readonly headers: http.IncomingHttpHeaders;
}

const clock = new TestClock();
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
let payments: Awaited<ReturnType<typeof listen>>;
let credit: { server: http.Server; origin: string };
const creditCalls: CreditCall[] = [];

beforeAll(async () => {
  payments = await listen(paymentService);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  credit = { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  for (const version of ['1.1', '1.2'] as const) {
    const path = version === '1.1' ? '/credit11' : '/credit12';
    const services = {
      CreditService: {
        CreditPort: {
          CheckCredit(args: { customer: string; amount: number }, _cb: unknown, _headers: unknown, req: http.IncomingMessage) {
            creditCalls.push({ version, args, headers: req.headers });
            if (Number(args.amount) <= 1000) return { approved: true, limit: 1000 };
            throw {
              Fault:
                version === '1.1'
                  ? { faultcode: 'soap:Client.CreditRefused', faultstring: `Credit limit exceeded for ${args.customer}`, statusCode: 500 }
                  : { Code: { Value: 'soap:Sender', Subcode: { Value: 'tns:CreditRefused' } }, Reason: { Text: `Credit limit exceeded for ${args.customer}` }, statusCode: 500 },
            };
          },
        },
      },
    };
    soap.listen(server, { path, services, xml: creditWsdl(`${credit.origin}${path}`, version), ...(version === '1.2' ? { forceSoap12Headers: true } : {}) });
  }
});

afterAll(async () => {
  await close(payments.server);
  await close(credit.server);
});

const requestsTo = (path: string) => payments.seen.filter((s) => s.path === path);

engineSuite(
  'soap-http-connector',
  (h) => {
    const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId })).map((t) => t.taskDefinitionKey);
    const vars = async (instanceId: string) => Object.fromEntries(Object.entries(await h.engine().getVariables(instanceId)).map(([k, v]) => [k, v.value]));
    const start = (key: string, variables: Record<string, unknown>, businessKey = unique(key)) => h.engine().startProcessInstance({ processDefinitionKey: key, businessKey, variables });

    beforeAll(async () => {
      await h.deploy('Connector.soapEnvelope.bpmn', 'Connector.soapFault.bpmn', 'Connector.soapWsdl.bpmn');
    });

    it('a Camunda-style call posts the model’s envelope with its SOAPAction and Content-Type headers as they are, and returns statusCode and response', async () => {
      const path = `/${unique('quotes')}`;
      const pi = await start('soapEnvelope', { url: `${payments.origin}${path}`, symbol: 'ACME' });
      const [seen] = requestsTo(path);
      expect(seen).toMatchObject({ method: 'POST' });
      expect(seen!.headers).toMatchObject({ soapaction: '"urn:GetQuote"', 'content-type': 'text/xml; charset=utf-8' });
      expect(seen!.headers['idempotency-key']).toMatch(new RegExp(`^${pi.id}:`));
      expect(seen!.body).toMatch(/^<soap:Envelope xmlns:soap="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/">/);
      expect(seen!.body).toContain('<q:symbol>ACME</q:symbol>');
      expect(await taskKeys(pi.id)).toEqual(['after']);
      const v = await vars(pi.id);
      expect(v['status']).toBe(200);
      expect(v['envelope']).toContain('<p:receipt>R-</p:receipt>');
      expect(v['fault']).toBeNull();
    });

    it('as in Camunda, a fault answer to a call without fault handling is a result: statusCode 500, the envelope, and the fault read out', async () => {
      const pi = await start('soapEnvelope', { url: `${payments.origin}/${unique('quotes')}`, symbol: '<p:card>outage</p:card>' });
      const v = await vars(pi.id);
      expect(v['status']).toBe(500);
      expect(v['envelope']).toContain('<faultstring>Card network unavailable</faultstring>');
      expect(v['fault']).toEqual({ version: '1.1', code: 'env:Server', subcodes: [], message: 'Card network unavailable', actor: null, detail: '<p:ref>77</p:ref>' });
    });

    it('a SOAP 1.1 body is wrapped into a 1.1 envelope and its action goes into a quoted SOAPAction header', async () => {
      const path = `/${unique('charge')}`;
      const pi = await start('soapFault', { url: `${payments.origin}${path}`, soapVersion: '1.1', card: '4111', amount: 25 });
      expect(await taskKeys(pi.id)).toEqual(['charged']);
      expect(await vars(pi.id)).toMatchObject({ status: 200, receipt: 'R-4111' });
      const [seen] = requestsTo(path);
      expect(seen!.headers).toMatchObject({ soapaction: '"urn:payments:Charge"', 'content-type': 'text/xml; charset=utf-8' });
      expect(seen!.body).toContain(`<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body><p:Charge xmlns:p="urn:payments"><p:card>4111</p:card><p:amount>25</p:amount></p:Charge></soap:Body></soap:Envelope>`);
    });

    it('a SOAP 1.2 body is wrapped into a 1.2 envelope and its action goes into the action parameter of application/soap+xml', async () => {
      const path = `/${unique('charge')}`;
      const pi = await start('soapFault', { url: `${payments.origin}${path}`, soapVersion: '1.2', card: '5500', amount: 25 });
      expect(await vars(pi.id)).toMatchObject({ status: 200, receipt: 'R-5500' });
      const [seen] = requestsTo(path);
      expect(seen!.headers['content-type']).toBe('application/soap+xml; charset=utf-8; action="urn:payments:Charge"');
      expect(seen!.headers['soapaction']).toBeUndefined();
      expect(seen!.body).toContain(`<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body>`);
    });

    it.each(['1.1', '1.2'])('a SOAP %s fault mapped to a BPMN error is caught by the error boundary event, with the fault reason as the error message', async (soapVersion) => {
      const url = `${payments.origin}/${unique('charge')}`;
      const declined = await start('soapFault', { url, soapVersion, card: 'declined', amount: 25 });
      expect(await taskKeys(declined.id)).toEqual(['declined']);
      expect((await vars(declined.id))['declineReason']).toBe('Insufficient funds & no overdraft');
      const fraud = await start('soapFault', { url, soapVersion, card: 'fraud', amount: 25 });
      expect(await taskKeys(fraud.id)).toEqual(['fraudReview']);
      expect((await vars(fraud.id))['errorCode']).toBe('FRAUD_SUSPECTED');
    });

    it('an unmapped Sender fault fails the call without a retry; a Receiver fault is retried first', async () => {
      const rejectedPath = `/${unique('charge')}`;
      const businessKey = unique('invalid');
      await expect(start('soapFault', { url: `${payments.origin}${rejectedPath}`, soapVersion: '1.2', card: 'invalid', amount: 25 }, businessKey)).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining("Connector 'soap-http-connector' of activity 'charge': POST http://127.0.0.1"),
      });
      expect(requestsTo(rejectedPath)).toHaveLength(1);
      expect(await h.engine().findProcessInstances({ businessKey })).toEqual([]);
      const outagePath = `/${unique('charge')}`;
      await expect(start('soapFault', { url: `${payments.origin}${outagePath}`, soapVersion: '1.1', card: 'outage', amount: 25 })).rejects.toMatchObject({
        retryable: true,
        message: expect.stringContaining('SOAP 1.1 fault env:Server: Card network unavailable'),
      });
      expect(requestsTo(outagePath)).toHaveLength(2);
    });

    it.each(['1.1', '1.2'] as const)('a WSDL-driven SOAP %s call is built from the WSDL served on loopback and the args, runs as a job across a restart, and reads the parsed result', async (soapVersion) => {
      const wsdlUrl = `${credit.origin}/credit${soapVersion === '1.1' ? '11' : '12'}?wsdl`;
      const customer = unique('ada');
      const pi = await start('soapWsdl', { wsdlUrl, soapVersion, customer, amount: 400 });
      expect(await h.engine().getActiveActivityIds(pi.id)).toEqual(['checkCredit']);
      await h.restart();
      await h.engine().runDueJobs();
      expect(await taskKeys(pi.id)).toEqual(['approvedTask']);
      expect(await vars(pi.id)).toMatchObject({ approved: true, limit: 1000, status: 200 });
      const call = creditCalls.find((c) => c.args.customer === customer)!;
      expect(call.version).toBe(soapVersion);
      expect(Number(call.args.amount)).toBe(400);
      expect(call.headers['idempotency-key']).toMatch(new RegExp(`^${pi.id}:`));
      if (soapVersion === '1.1') expect(call.headers).toMatchObject({ soapaction: '"urn:credit#CheckCredit"', 'content-type': 'text/xml; charset=utf-8' });
      else expect(call.headers['content-type']).toBe('application/soap+xml; charset=utf-8; action="urn:credit#CheckCredit"');
    });

    it.each(['1.1', '1.2'] as const)('a SOAP %s fault of a WSDL-driven call maps to a BPMN error caught by the boundary event', async (soapVersion) => {
      const wsdlUrl = `${credit.origin}/credit${soapVersion === '1.1' ? '11' : '12'}?wsdl`;
      const pi = await start('soapWsdl', { wsdlUrl, soapVersion, customer: 'Bob', amount: 5000 });
      await h.engine().runDueJobs();
      expect(await taskKeys(pi.id)).toEqual(['refusedTask']);
      expect((await vars(pi.id))['refusal']).toBe('Credit limit exceeded for Bob');
    });

    it('deployment refuses a method other than POST and an unknown SOAP version, naming the element and the field', async () => {
      const rejected = h.engine().deploy({ resources: [{ name: 'Connector.soapInvalid.bpmn', content: fixture('Connector.soapInvalid.bpmn') }] });
      const error = (await rejected.catch((e: unknown) => e)) as { code: string; problems: { elementId: string; message: string }[] };
      expect(error.code).toBe('MODEL_INVALID');
      expect(error.problems.map((p) => [p.elementId, p.message])).toEqual([
        ['call', "camunda:connector 'soap-http-connector': input 'method': must be POST: the SOAP connector sends POST only, as Camunda does"],
        ['call', "camunda:connector 'soap-http-connector': input 'soapVersion': must be '1.1' or '1.2'"],
      ]);
    });
  },
  () => ({ clock, connectors: [toEngineConnector(httpConnector), toEngineConnector(soapHttpConnector)], connectorPolicy: { timeoutMs: 10_000, backoffMs: 1, breakerFailures: 100 } }),
);

describe('soap-http-connector invoked directly', () => {
  it('refuses a call without an envelope, as Camunda does, and a WSDL operation that does not exist', async () => {
    await expect(testConnector(soapHttpConnector, { url: `${payments.origin}/x`, payload: '  ' })).rejects.toThrow(
      "input 'payload': is required: the SOAP envelope, or its Body content with wrapEnvelope",
    );
    await expect(testConnector(soapHttpConnector, { wsdl: `${credit.origin}/credit11?wsdl`, operation: 'CheckDebit' })).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining("the WSDL has no operation 'CheckDebit' (operations: CreditService.CreditPort.CheckCredit)"),
    });
  });

  it('a WSDL that cannot be fetched is a retryable failure for a 5xx and a final one for a 404', async () => {
    const flaky = await listen((req, res) => (req.path.startsWith('/missing') ? res.writeHead(404).end('no such service') : res.writeHead(503).end('starting')));
    try {
      await expect(testConnector(soapHttpConnector, { wsdl: `${flaky.origin}/service?wsdl`, operation: 'Any' })).rejects.toMatchObject({ retryable: true, message: expect.stringContaining('status code 503') });
      await expect(testConnector(soapHttpConnector, { wsdl: `${flaky.origin}/missing?wsdl`, operation: 'Any' })).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('status code 404') });
    } finally {
      await close(flaky.server);
    }
  });
});

describe('reading SOAP faults', () => {
  const v11 = (fault: string) => `<s:Envelope xmlns:s="${SOAP11}"><s:Body><s:Fault>${fault}</s:Fault></s:Body></s:Envelope>`;

  it('reads a 1.1 fault and a 1.2 fault with nested subcodes, CDATA and entities', () => {
    expect(extractFault(v11('<faultcode>s:Server</faultcode><faultstring><![CDATA[a < b]]> &amp; c</faultstring><faultactor>urn:gw</faultactor>'))).toEqual({
      version: '1.1',
      code: 's:Server',
      subcodes: [],
      message: 'a < b & c',
      actor: 'urn:gw',
      detail: null,
    });
    const v12 = `<?xml version="1.0"?><!-- answer --><e:Envelope xmlns:e="${SOAP12}"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>m:Payment</e:Value><e:Subcode><e:Value>m:Expired</e:Value></e:Subcode></e:Subcode></e:Code><e:Reason><e:Text xml:lang="en">Card expired</e:Text></e:Reason><e:Detail><m:until xmlns:m="urn:m">2029-01</m:until></e:Detail></e:Fault></e:Body></e:Envelope>`;
    expect(extractFault(v12)).toEqual({ version: '1.2', code: 'e:Sender', subcodes: ['m:Payment', 'm:Expired'], message: 'Card expired', actor: null, detail: '<m:until xmlns:m="urn:m">2029-01</m:until>' });
  });

  it('finds no fault in a normal answer, in text that is not XML, or in a document with a DTD', () => {
    expect(extractFault(`<s:Envelope xmlns:s="${SOAP11}"><s:Body><m:FaultReport xmlns:m="urn:m"/></s:Body></s:Envelope>`)).toBeNull();
    expect(extractFault('Fault: <html>')).toBeNull();
    expect(extractFault(`<!DOCTYPE x [<!ENTITY e "x">]>${v11('<faultcode>s:Client</faultcode>')}`)).toBeNull();
  });

  it('maps the most specific fault code first: innermost subcode, then the code, its class, and the catch-all', () => {
    const fault = extractFault(
      `<e:Envelope xmlns:e="${SOAP12}"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>m:Payment</e:Value><e:Subcode><e:Value>m:Expired</e:Value></e:Subcode></e:Subcode></e:Code><e:Reason><e:Text>x</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>`,
    )!;
    expect(mapFault(fault, { Payment: 'PAYMENT', Expired: 'EXPIRED', '*': 'ANY' })).toBe('EXPIRED');
    expect(mapFault(fault, { 'm:Payment': 'PAYMENT', Sender: 'SENDER' })).toBe('PAYMENT');
    expect(mapFault(fault, { Receiver: 'RECEIVER', '*': 'ANY' })).toBe('ANY');
    expect(mapFault(fault, { Receiver: 'RECEIVER' })).toBeUndefined();
    const dotted = extractFault(v11('<faultcode>s:Client.Authentication</faultcode><faultstring>who?</faultstring>'))!;
    expect(mapFault(dotted, { Client: 'CLIENT', Authentication: 'AUTH' })).toBe('AUTH');
    expect(mapFault(dotted, { Client: 'CLIENT' })).toBe('CLIENT');
  });
});
