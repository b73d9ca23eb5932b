/**
 * The HTTP side of /graphql as a client sees it on the wire: answers carry
 * their length and `cache-control: no-store`, request bodies arrive whole
 * however they are split, and the body cap holds for declared and chunked
 * bodies alike.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { expect, it } from 'vitest';
import { securedSuite } from './secured-harness.js';

const CAP = 4096;

interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A POST whose body goes out in the given pieces; with `length`, that content-length is declared, else the body is chunked. */
function post(url: string, pieces: string[], length?: number): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (length !== undefined) headers['content-length'] = length;
    const req = request(`${url}/graphql`, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is out.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    for (const p of pieces) req.write(p);
    req.end();
  });
}

securedSuite(
  'GraphQL over HTTP on the wire',
  () => ({ graphql: { maxBodyBytes: CAP } }),
  (h) => {
    it('an answer carries its content-length instead of chunked encoding, and says no-store', async () => {
      const body = JSON.stringify({ query: '{ __typename }' });
      const r = await post(h.url(), [body], Buffer.byteLength(body));
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ data: { __typename: 'Query' } });
      expect(r.headers['transfer-encoding']).toBeUndefined();
      expect(r.headers['content-length']).toBe(String(Buffer.byteLength(r.body)));
      expect(r.headers['cache-control']).toBe('no-store');
    });

    it('a refused operation is answered no-store too', async () => {
      const body = JSON.stringify({ query: '{ noSuchField }' });
      const r = await post(h.url(), [body], Buffer.byteLength(body));
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(r.headers['cache-control']).toBe('no-store');
    });

    it('a body sent chunked in several pieces is read whole', async () => {
      const body = JSON.stringify({ query: 'mutation($key: String!) { startProcessInstance(input: { processDefinitionKey: $key }) { id } }', variables: { key: 'nowhere' } });
      const r = await post(h.url(), [body.slice(0, 10), body.slice(10, 50), body.slice(50)]);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body).errors[0]).toMatchObject({ message: "No processes deployed with key 'nowhere'", extensions: { code: 'NOT_FOUND' } });
    });

    it('a body that declares more than the cap is refused with 413', async () => {
      const padding = 'x'.repeat(CAP + 1);
      const body = JSON.stringify({ query: '{ __typename }', extensions: { padding } });
      const r = await post(h.url(), [body], Buffer.byteLength(body));
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).errors[0]).toEqual({ message: `The request body of ${Buffer.byteLength(body)} bytes exceeds the limit of ${CAP} bytes`, extensions: { code: 'BAD_REQUEST' } });
    });

    it('a chunked body that grows past the cap is refused with 413', async () => {
      const piece = 'x'.repeat(CAP / 2);
      const r = await post(h.url(), ['{"query":"{ __typename }","extensions":{"padding":"', piece, piece, piece, '"}}']);
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).errors[0]).toEqual({ message: `The request body exceeds the limit of ${CAP} bytes`, extensions: { code: 'BAD_REQUEST' } });
    });
  },
);
