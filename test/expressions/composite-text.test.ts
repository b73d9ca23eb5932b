import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../engine/errors.js';
import { compileExpression } from '../../engine/expressions/index.js';
import { errorOf, evaluate } from './evaluate.js';

describe('composite texts', () => {
  it('concatenates text and expressions as strings', () => {
    expect(evaluate('Hello ${name}!', { name: 'World' })).toBe('Hello World!');
    expect(evaluate('${a}${b}', { a: 1, b: 2 })).toBe('12');
    expect(evaluate('total: ${1.5 + 1}', {})).toBe('total: 2.5');
  });

  it('a text that is exactly one expression returns the raw value', () => {
    const list = [1, 2];
    expect(evaluate('${list}', { list })).toBe(list);
    expect(evaluate('${n}', { n: 5 })).toBe(5);
    expect(evaluate('${true}')).toBe(true);
    expect(evaluate('${x}', { x: null })).toBeNull();
  });

  it('coerces null to the empty string inside text', () => {
    expect(evaluate('x${n}y', { n: null })).toBe('xy');
    expect(evaluate('x${n}y', { n: undefined })).toBe('xy');
  });

  it('prints lists and maps the way Java does', () => {
    expect(evaluate('items: ${list}', { list: [1, 'a', null] })).toBe('items: [1, a, null]');
    expect(evaluate('map: ${m}', { m: { a: 1, b: [true] } })).toBe('map: {a=1, b=[true]}');
    expect(evaluate('map: ${m}', { m: new Map([['k', 'v']]) })).toBe('map: {k=v}');
  });

  it('prints non-integral doubles the way Java does', () => {
    expect(evaluate('${a} ${b} ${c}', { a: 0.5, b: 1e-5, c: 1.5e10 + 0.5 })).toBe('0.5 1.0E-5 1.50000000005E10');
  });

  it('#{...} works the same as ${...}', () => {
    expect(evaluate('#{a + 1}', { a: 1 })).toBe(2);
    expect(evaluate('Hi #{name}, #{name}', { name: 'Ann' })).toBe('Hi Ann, Ann');
  });

  it('${...} and #{...} cannot be mixed in one text, as in JUEL', () => {
    expect(() => evaluate('${a}#{b}', { a: 1, b: 2 })).toThrow("Error parsing '${a}#{b}': syntax error at position 4, encountered '#{', expected '${'");
  });

  it('a text without expressions is the constant string', () => {
    expect(evaluate('plain text')).toBe('plain text');
    expect(evaluate('')).toBe('');
    expect(evaluate('costs $5 or #3 {braces}')).toBe('costs $5 or #3 {braces}');
    expect(compileExpression('plain').isLiteralText).toBe(true);
    expect(compileExpression('a ${b}').isLiteralText).toBe(false);
  });

  it('a backslash before ${ or #{ produces the characters literally', () => {
    expect(evaluate('\\${a}')).toBe('${a}');
    expect(evaluate('cost: \\#{x} and ${y}', { y: 2 })).toBe('cost: #{x} and 2');
    expect(compileExpression('\\${a}').isLiteralText).toBe(true);
  });

  it('other backslashes are kept as they are', () => {
    expect(evaluate('C:\\temp\\${dir}', { dir: 'x' })).toBe('C:\\temp${dir}');
    expect(evaluate('a\\b')).toBe('a\\b');
  });

  it('an unterminated expression is a syntax error at the end of the text', () => {
    const error = errorOf(() => evaluate('Hi ${a'));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toBe("Error parsing 'Hi ${a': syntax error at position 6, encountered <EOF>, expected '}'");
  });
});
