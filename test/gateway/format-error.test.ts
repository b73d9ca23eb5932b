import { GraphQLError } from 'graphql';
import { afterEach, expect, it } from 'vitest';
import { BadUserInputError, ConflictError, ModelError } from '../../engine/index.js';
import { formatError } from '../../gateway/graphql/format-error.js';

const wrapped = (e: Error): GraphQLError => new GraphQLError(e.message, { path: ['x'], originalError: e });
const format = (e: Error) => formatError(wrapped(e).toJSON(), wrapped(e));
const env = process.env['NODE_ENV'];

afterEach(() => {
  if (env === undefined) delete process.env['NODE_ENV'];
  else process.env['NODE_ENV'] = env;
});

it('maps engine error codes to extensions.code, with the field of bad input', () => {
  expect(format(new BadUserInputError('first must be at most 100', 'first'))).toEqual({ message: 'first must be at most 100', path: ['x'], extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
  expect(format(new ConflictError('somebody was faster')).extensions).toEqual({ code: 'CONFLICT' });
});

it('carries every model problem with element, line and column', () => {
  const e = new ModelError([
    { severity: 'error', message: 'no implementation', elementId: 'charge', line: 6, column: 5 },
    { severity: 'warning', message: 'unknown attribute', elementId: 'review', line: 8, column: 5, resource: 'a.bpmn' },
  ], 'a.bpmn');
  expect(format(e).extensions).toEqual({
    code: 'MODEL_INVALID',
    problems: [
      { severity: 'error', message: 'no implementation', elementId: 'charge', resource: 'a.bpmn', line: 6, column: 5 },
      { severity: 'warning', message: 'unknown attribute', elementId: 'review', resource: 'a.bpmn', line: 8, column: 5 },
    ],
  });
});

it('reports anything else as INTERNAL without its message or stack trace', () => {
  delete process.env['NODE_ENV'];
  expect(format(new Error('password=hunter2 at db.internal'))).toEqual({ message: 'Internal server error', path: ['x'], extensions: { code: 'INTERNAL' } });
});

it('shows the message and stack trace of an internal error when NODE_ENV=development', () => {
  process.env['NODE_ENV'] = 'development';
  const out = format(new Error('boom'));
  expect(out.message).toBe('boom');
  expect(out.extensions).toMatchObject({ code: 'INTERNAL', stacktrace: expect.arrayContaining([expect.stringContaining('boom')]) });
});
