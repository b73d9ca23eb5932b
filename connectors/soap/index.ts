/**
 * The `soap-http-connector` (Camunda Connect's SOAP connector with
 * CadenzaFlow's SOAP 1.2, envelope wrapping, fault mapping and WSDL calls).
 */
export { soapHttpConnector, soapInput, soapOutput, SOAP_CONNECTOR_ID, type SoapInput, type SoapOutput } from './soap.connector.js';
export { extractFault, mapFault, wrapEnvelope, SOAP_11_ENVELOPE_NS, SOAP_12_ENVELOPE_NS, type SoapFault, type SoapVersion } from './envelope.js';
