/**
 * WSDL-driven calls through the `soap` package, with the connectors' own
 * transport underneath: the WSDL, its imports and every operation go over
 * the same keep-alive got client, under the call's AbortSignal, with the
 * model's headers and the idempotency key, and the raw answer (status,
 * headers, body) is kept for the outputs and for reading faults.
 */
import soap from 'soap';
import type { Client, IExOptions, IHttpClient } from 'soap';
import { ConnectorError } from '../../plugins/index.js';
import { sendHttp, statusError, type HttpAnswer, type TransportOptions } from '../http/http-client.js';
import type { SoapVersion } from './envelope.js';

/** What one connector call hands to the transport through the soap client's per-call options. */
export interface SoapCallContext {
  readonly connectorId: string;
  readonly activityId: string;
  readonly signal: AbortSignal;
  readonly options: TransportOptions;
  /** Set by the transport: the operation's raw answer. */
  answer?: HttpAnswer;
  url?: string;
}

const CALL_OPTION = 'cadenzaflowCall';

/** Loading a WSDL (and its schema imports) is shared by calls, so it gets a deadline of its own. */
const WSDL_FETCH_TIMEOUT_MS = 30_000;
/** A changed WSDL is picked up after this long. */
const WSDL_CACHE_TTL_MS = 5 * 60_000;
const WSDL_CACHE_MAX = 100;

class ConnectorTransport implements IHttpClient {
  constructor(private readonly connectorId: string) {}

  request(rurl: string, data: unknown, callback: (error: unknown, res?: unknown, body?: unknown) => unknown, exheaders?: Record<string, unknown>, exoptions?: IExOptions): never {
    const call = exoptions?.[CALL_OPTION] as SoapCallContext | undefined;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(exheaders ?? {})) if (v !== undefined && v !== null) headers[k] = String(v);
    const fetchingWsdl = data === null || data === undefined;
    const spec = {
      connectorId: this.connectorId,
      activityId: call?.activityId ?? '(unknown)',
      method: fetchingWsdl ? ('GET' as const) : ('POST' as const),
      url: rurl,
      headers,
      body: fetchingWsdl ? undefined : String(data),
      signal: call?.signal ?? AbortSignal.timeout(WSDL_FETCH_TIMEOUT_MS),
      options: call?.options ?? {},
    };
    const done = sendHttp(spec).then(
      (answer) => {
        if (call) {
          call.answer = answer;
          call.url = rurl;
        }
        // The soap package reads a non-200 WSDL answer as "Invalid WSDL URL"; classify it here instead.
        if (fetchingWsdl && answer.statusCode !== 200) return callback(statusError({ ...spec, method: 'GET' }, answer));
        return callback(null, { status: answer.statusCode, headers: answer.headers, data: answer.body ?? '' }, answer.body ?? '');
      },
      (err: unknown) => callback(err),
    );
    // The soap client's callbacks do not throw; a bug there must not become an unhandled rejection.
    done.catch(() => undefined);
    return done as never;
  }
}

interface CachedClient {
  readonly client: Promise<Client>;
  readonly loadedAt: number;
}

/** soap clients by WSDL, version and endpoint: parsing a WSDL costs far more than a call. */
export class WsdlClients {
  private readonly cache = new Map<string, CachedClient>();
  private readonly transport: ConnectorTransport;

  constructor(private readonly connectorId: string) {
    this.transport = new ConnectorTransport(connectorId);
  }

  /** `activityId` names the first caller in a failure to load the WSDL. */
  get(wsdl: string, version: SoapVersion, endpoint: string | null, activityId: string, now = Date.now()): Promise<Client> {
    const key = JSON.stringify([wsdl, version, endpoint]);
    const hit = this.cache.get(key);
    if (hit && now - hit.loadedAt < WSDL_CACHE_TTL_MS) return hit.client;
    const client = soap
      .createClientAsync(wsdl, {
        httpClient: this.transport,
        forceSoap12Headers: version === '1.2',
        // The soap package's own cache never expires; this one does.
        disableCache: true,
        ...(endpoint ? { endpoint } : {}),
        // Shared by every call waiting for this client, so bounded by its own deadline rather than one caller's signal.
        wsdl_options: { [CALL_OPTION]: { connectorId: this.connectorId, activityId, signal: AbortSignal.timeout(WSDL_FETCH_TIMEOUT_MS), options: {} } satisfies SoapCallContext },
      })
      .catch((e: unknown) => {
        this.cache.delete(key);
        throw e instanceof ConnectorError ? e : new ConnectorError(this.connectorId, `Cannot read WSDL ${wsdl}: ${e instanceof Error ? e.message : String(e)}`, { cause: e, retryable: false });
      });
    if (this.cache.size >= WSDL_CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { client, loadedAt: now });
    return client;
  }
}

type SoapCallback = (err: unknown, result: unknown) => void;
type OperationFn = (args: unknown, callback: SoapCallback, options: IExOptions, extraHeaders: Record<string, string>) => void;

/** Every operation as `Service.Port.operation`, for messages. */
function operationNames(client: Client): string[] {
  const out: string[] = [];
  const description = client.describe() as Record<string, Record<string, Record<string, unknown>>>;
  for (const [service, ports] of Object.entries(description)) for (const [port, ops] of Object.entries(ports)) for (const op of Object.keys(ops)) out.push(`${service}.${port}.${op}`);
  return out;
}

/** `operation` names an operation of any port, or one port's as `Service.Port.operation`. */
function findOperation(client: Client, operation: string): OperationFn | null {
  const names = operationNames(client);
  const path = operation.includes('.') ? names.find((n) => n === operation) : names.find((n) => n.endsWith(`.${operation}`));
  if (!path) return null;
  const [service, port, op] = path.split('.') as [string, string, string];
  const fn = (client as unknown as Record<string, Record<string, Record<string, unknown>>>)[service]?.[port]?.[op];
  return typeof fn === 'function' ? (fn as OperationFn) : null;
}

/** Calls one operation; resolves with the soap package's parsed result, rejects with its error. */
export function invokeOperation(client: Client, connectorId: string, activityId: string, operation: string, args: unknown, call: SoapCallContext, headers: Record<string, string>): Promise<unknown> {
  const fn = findOperation(client, operation);
  if (!fn) {
    throw new ConnectorError(connectorId, `Connector '${connectorId}' of activity '${activityId}': the WSDL has no operation '${operation}' (operations: ${operationNames(client).join(', ')})`, {
      retryable: false,
    });
  }
  return new Promise((resolve, reject) => {
    fn(args, (err, result) => (err ? reject(err) : resolve(result)), { [CALL_OPTION]: call }, headers);
  });
}
