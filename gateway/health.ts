/**
 * Liveness and readiness for orchestrators: `/health/live` answers while the
 * process serves HTTP at all; `/health/ready` only once the store is reachable
 * and migrated, so a load balancer sends no traffic to a node that would fail
 * every command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../engine/index.js';

export const LIVE_PATH = '/health/live';
export const READY_PATH = '/health/ready';

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Serves the two health paths (returns true), leaves anything else to the caller. */
export function createHealthHandler(engine: Engine): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === LIVE_PATH) {
      json(res, 200, { status: 'UP' });
      return true;
    }
    if (path !== READY_PATH) return false;
    engine.store.isMigrated().then(
      (ok) => json(res, ok ? 200 : 503, { status: ok ? 'UP' : 'DOWN', database: ok ? 'migrated' : 'migrations pending' }),
      (e: unknown) => json(res, 503, { status: 'DOWN', database: (e as Error).message }),
    );
    return true;
  };
}
