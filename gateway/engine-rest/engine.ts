/**
 * `GET /engine` and `GET /version`: what clients probe first. One engine,
 * named `default` as in Camunda's distributions.
 */
import { ok, type Router } from './router.js';

/** The Camunda 7 REST API version this API emulates (reported by `GET /version`). */
export const CAMUNDA_VERSION = '7.24.0';

/** The one engine name; `/engine/default/…` paths address it explicitly. */
export const ENGINE_NAME = 'default';

export function registerEngineRoutes(router: Router): void {
  router.get('/engine', 'AUTHENTICATED', async () => ok([{ name: ENGINE_NAME }]));
  router.get('/version', 'AUTHENTICATED', async () => ok({ version: CAMUNDA_VERSION }));
}
