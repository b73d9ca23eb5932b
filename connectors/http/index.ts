/**
 * The `http-connector` (Camunda Connect's HTTP connector) and the transport
 * it shares with the SOAP connector.
 */
export { httpConnector, httpInput, httpOutput, parseJsonBody, HTTP_CONNECTOR_ID, type HttpInput, type HttpOutput } from './http.connector.js';
export {
  sendHttp,
  statusError,
  retryAfterMs,
  headerMap,
  RETRYABLE_STATUSES,
  HTTP_METHODS,
  type HttpAnswer,
  type HttpMethod,
  type HttpRequestSpec,
  type TransportOptions,
} from './http-client.js';
