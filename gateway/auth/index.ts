/**
 * Authentication of the gateway: API keys, JWT bearer tokens (jose), HTTP
 * Basic; the same identities on /graphql (HTTP and graphql-ws) and
 * /engine-rest. Authorization is the resolvers' and routes' business,
 * through the `Access` each request carries (schema/access.ts).
 */
export type { ApiKey, AuthOptions, BasicUser, Grant, JwtClaims, JwtOptions } from './options.js';
export { createAuthenticator, credentialsFromConnectionParams, credentialsFromHeaders, describeAuth, type AuthOutcome, type Authenticator, type Credentials } from './authenticator.js';
export { DEFAULT_JWT_CLAIMS } from './jwt.js';
export { authenticateRequest, restAuthenticate, sendUnauthenticated, websocketAuthentication, CLOSE_UNAUTHORIZED, REALM } from './http.js';
export { loadAuthOptions, type AuthSettings } from './load.js';
