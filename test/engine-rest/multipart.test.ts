import { describe, expect, it } from 'vitest';
import { boundaryOf, parseMultipart } from '../../gateway/engine-rest/multipart.js';

const CT = 'multipart/form-data; boundary=XyZ';

function body(...lines: (string | Buffer)[]): Buffer {
  return Buffer.concat(lines.map((l) => (typeof l === 'string' ? Buffer.from(l, 'utf8') : l)));
}

function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { status?: number }).status;
  }
  return undefined;
}

describe('multipart/form-data parsing', () => {
  it('splits fields and files, keeping file bytes exact, including CRLF and boundary-like bytes inside', () => {
    const binary = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0x58, 0x79, 0x0d, 0x0a, 0x0d, 0x0a, 0xc3, 0xa4]);
    const parts = parseMultipart(
      body(
        '--XyZ\r\nContent-Disposition: form-data; name="deployment-name"\r\n\r\nbilling\r\n',
        '--XyZ\r\nContent-Disposition: form-data; name="model.bpmn"; filename="model.bpmn"\r\nContent-Type: application/octet-stream\r\n\r\n',
        binary,
        '\r\n--XyZ--\r\n',
      ),
      CT,
    );
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['deployment-name', null, null],
      ['model.bpmn', 'model.bpmn', 'application/octet-stream'],
    ]);
    expect(parts[0]!.data.toString()).toBe('billing');
    expect(parts[1]!.data.equals(binary)).toBe(true);
  });

  it('accepts a preamble, an epilogue, transport padding, a quoted boundary and an empty value', () => {
    const parts = parseMultipart(
      body('this is a preamble\r\n--a b\t \r\nContent-Disposition: form-data; name="empty"\r\n\r\n\r\n--a b--\r\nepilogue'),
      'multipart/form-data; charset=utf-8; boundary="a b"',
    );
    expect(parts).toHaveLength(1);
    expect(parts[0]!.data.length).toBe(0);
  });

  it('reads quoted names with semicolons and escapes, browser percent-escapes and RFC 5987 file names', () => {
    const parts = parseMultipart(
      body(
        '--XyZ\r\nContent-Disposition: form-data; name="a;b"; filename="say \\"hi\\".bpmn"\r\n\r\nx\r\n',
        '--XyZ\r\nContent-Disposition: form-data; name="q%22uote"; filename="f%22.bpmn"\r\n\r\ny\r\n',
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fallback.bpmn\"; filename*=UTF-8''Pr%C3%BCfung.bpmn\r\n\r\nz\r\n",
        '--XyZ--',
      ),
      CT,
    );
    expect(parts.map((p) => [p.name, p.filename])).toEqual([
      ['a;b', 'say "hi".bpmn'],
      ['q"uote', 'f".bpmn'],
      ['file', 'Prüfung.bpmn'],
    ]);
  });

  it('rejects other content types, a missing boundary, a missing close delimiter, bad part headers and too many parts', () => {
    expect(statusOf(() => boundaryOf('application/json'))).toBe(415);
    expect(statusOf(() => boundaryOf(undefined))).toBe(415);
    expect(statusOf(() => boundaryOf('multipart/form-data'))).toBe(400);
    expect(statusOf(() => parseMultipart(body('--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'), CT))).toBe(400);
    expect(statusOf(() => parseMultipart(body('--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--'), CT))).toBe(400);
    expect(statusOf(() => parseMultipart(body('--XyZ\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--XyZ--'), CT))).toBe(400);
    expect(statusOf(() => parseMultipart(body('--XyZ\nContent-Disposition: form-data; name="a"\n\nx\n--XyZ--'), CT))).toBe(400);
    const many = body(...Array.from({ length: 3 }, (_, i) => `--XyZ\r\nContent-Disposition: form-data; name="p${i}"\r\n\r\nv\r\n`), '--XyZ--');
    expect(parseMultipart(many, CT)).toHaveLength(3);
    expect(statusOf(() => parseMultipart(many, CT, { maxParts: 2 }))).toBe(400);
  });
});
