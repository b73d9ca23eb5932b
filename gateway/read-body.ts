/**
 * Reads a request body whole, refusing more than a limit: at once when the
 * declared length says so, otherwise as soon as the bytes pass it. Stream
 * events rather than `for await`: the async iterator costs more than the rest
 * of the read on a small body.
 */
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(
    readonly limit: number,
    /** The declared content length, when that is what gave it away. */
    readonly declared: number | null,
  ) {
    super(declared !== null ? `The request body of ${declared} bytes exceeds the limit of ${limit} bytes` : `The request body exceeds the limit of ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit, declared));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(limit, null));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}
