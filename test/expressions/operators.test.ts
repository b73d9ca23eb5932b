import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../engine/errors.js';
import { DateTimeValue } from '../../engine/expressions/index.js';
import { errorOf, evaluate } from './evaluate.js';

describe('literals', () => {
  it('integers, floats and exponents evaluate to numbers', () => {
    expect(evaluate('${42}')).toBe(42);
    expect(evaluate('${1.5}')).toBe(1.5);
    expect(evaluate('${1e3}')).toBe(1000);
    expect(evaluate('${2.5E-1}')).toBe(0.25);
    expect(evaluate('${.5}')).toBe(0.5);
    expect(evaluate('${3.}')).toBe(3);
  });

  it('integers beyond 2^53 stay exact as bigint', () => {
    expect(evaluate('${9007199254740993}')).toBe(9007199254740993n);
    expect(evaluate('${9223372036854775807}')).toBe(9223372036854775807n);
  });

  it('an integer literal beyond the Long range is a syntax error', () => {
    expect(() => evaluate('${9223372036854775808}')).toThrow(/syntax error at position 2, encountered '9223372036854775808', expected <INTEGER>/);
  });

  it('strings take single or double quotes and escape only the quote and the backslash', () => {
    expect(evaluate("${'single'}")).toBe('single');
    expect(evaluate('${"double"}')).toBe('double');
    expect(evaluate("${'it\\'s'}")).toBe("it's");
    expect(evaluate('${"say \\"hi\\""}')).toBe('say "hi"');
    expect(evaluate("${'back\\\\slash'}")).toBe('back\\slash');
    expect(evaluate('${"it\'s"}')).toBe("it's");
    expect(evaluate("${'}'}")).toBe('}');
  });

  it('an unknown escape sequence in a string is a lexical error', () => {
    expect(() => evaluate("${'a\\nb'}")).toThrow("Error parsing '${'a\\nb'}': lexical error at position 2, encountered invalid escape sequence \\n, expected \\' or \\\\");
  });

  it('true, false and null are keywords', () => {
    expect(evaluate('${true}')).toBe(true);
    expect(evaluate('${false}')).toBe(false);
    expect(evaluate('${null}')).toBeNull();
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and multiplies longs', () => {
    expect(evaluate('${1 + 2}')).toBe(3);
    expect(evaluate('${3 - 5}')).toBe(-2);
    expect(evaluate('${3 * 4}')).toBe(12);
  });

  it('coerces numeric strings, and strings with a dot or exponent become doubles', () => {
    expect(evaluate("${'1' + 2}")).toBe(3);
    expect(evaluate("${'1.5' + 1}")).toBe(2.5);
    expect(evaluate("${'1e2' * 2}")).toBe(200);
    expect(evaluate('${x * 2}', { x: '21' })).toBe(42);
  });

  it('treats null as zero, and null with null as 0', () => {
    expect(evaluate('${null + 1}')).toBe(1);
    expect(evaluate('${null + null}')).toBe(0);
    expect(evaluate('${n * 3}', { n: null })).toBe(0);
  });

  it('+ is never string concatenation', () => {
    const error = errorOf(() => evaluate("${'a' + 1}"));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toBe("Error while evaluating expression: ${'a' + 1}. Cause: Cannot coerce 'a' of class java.lang.String to class java.lang.Long");
  });

  it('names the double target when the other operand is a double', () => {
    expect(() => evaluate("${1.5 + 'abc'}")).toThrow("Cannot coerce 'abc' of class java.lang.String to class java.lang.Double");
  });

  it('refuses booleans in arithmetic', () => {
    expect(() => evaluate('${true + 1}')).toThrow("Cannot coerce 'true' of class java.lang.Boolean to class java.lang.Long");
  });

  it('/ and div always divide as doubles', () => {
    expect(evaluate('${7 / 2}')).toBe(3.5);
    expect(evaluate('${7 div 2}')).toBe(3.5);
    expect(evaluate('${4 / 2}')).toBe(2);
    expect(evaluate('${1 / 0}')).toBe(Infinity);
  });

  it('% and mod give the integer remainder with the sign of the dividend', () => {
    expect(evaluate('${7 % 3}')).toBe(1);
    expect(evaluate('${7 mod 3}')).toBe(1);
    expect(evaluate('${-7 % 3}')).toBe(-1);
    expect(evaluate('${7.5 % 2}')).toBe(1.5);
  });

  it('an integer remainder by zero fails like Java', () => {
    expect(() => evaluate('${1 % 0}')).toThrow('Error while evaluating expression: ${1 % 0}. Cause: / by zero');
  });

  it('long arithmetic leaves the safe range exactly and wraps on overflow', () => {
    expect(evaluate('${9007199254740992 + 1}')).toBe(9007199254740993n);
    expect(evaluate('${9223372036854775807 + 1}')).toBe(-9223372036854775808n);
    expect(evaluate('${big - 2}', { big: 9007199254740993n })).toBe(9007199254740991);
  });

  it('unary minus negates numbers and numeric strings', () => {
    expect(evaluate('${-x}', { x: 5 })).toBe(-5);
    expect(evaluate("${-'3'}")).toBe(-3);
    expect(evaluate("${-'1.5'}")).toBe(-1.5);
    expect(evaluate('${-null}')).toBe(0);
    expect(evaluate('${- -4}')).toBe(4);
  });

  it('unary minus refuses booleans', () => {
    expect(() => evaluate('${-true}')).toThrow("Cannot negate 'class java.lang.Boolean'");
  });
});

describe('relational operators', () => {
  it.each([
    ['${1 < 2}', true],
    ['${1 lt 2}', true],
    ['${2 > 1}', true],
    ['${2 gt 1}', true],
    ['${2 <= 2}', true],
    ['${2 le 1}', false],
    ['${2 >= 3}', false],
    ['${3 ge 3}', true],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected);
  });

  it('compares strings lexicographically', () => {
    expect(evaluate("${'abc' < 'abd'}")).toBe(true);
    expect(evaluate("${'b' gt 'abc'}")).toBe(true);
    expect(evaluate("${'Z' < 'a'}")).toBe(true);
  });

  it('compares a number and a string numerically', () => {
    expect(evaluate("${'10' < 9}")).toBe(false);
    expect(evaluate("${amount > '99.5'}", { amount: 100 })).toBe(true);
  });

  it('mixes longs and doubles', () => {
    expect(evaluate('${2 > 1.5}')).toBe(true);
    expect(evaluate('${big > 1}', { big: 9007199254740993n })).toBe(true);
  });

  it('is false for null operands except null <= null', () => {
    expect(evaluate('${null < 1}')).toBe(false);
    expect(evaluate('${1 > null}')).toBe(false);
    expect(evaluate('${null <= null}')).toBe(true);
    expect(evaluate('${null >= 0}')).toBe(false);
  });

  it('compares Dates and DateTimeValues by their instant', () => {
    const earlier = new Date('2024-01-01T00:00:00Z');
    const later = new Date('2024-06-01T00:00:00Z');
    expect(evaluate('${a < b}', { a: earlier, b: later })).toBe(true);
    expect(evaluate('${a ge b}', { a: earlier, b: later })).toBe(false);
    expect(evaluate('${a < b}', { a: new DateTimeValue(earlier), b: new DateTimeValue(later) })).toBe(true);
    expect(evaluate('${a > b}', { a: new DateTimeValue(later), b: earlier })).toBe(true);
  });

  it('fails on a string that is not a number next to a number', () => {
    expect(() => evaluate("${'abc' lt 1}")).toThrow("Cannot coerce 'abc' of class java.lang.String to class java.lang.Long");
  });

  it('fails on values that have no order', () => {
    expect(() => evaluate('${a < b}', { a: {}, b: [] })).toThrow("Cannot compare '{}' and '[]'");
  });
});

describe('equality', () => {
  it.each([
    ['${1 == 1}', true],
    ['${1 eq 1}', true],
    ['${1 != 2}', true],
    ['${1 ne 1}', false],
    ["${'a' == 'a'}", true],
    ["${'a' eq 'b'}", false],
    ['${null == null}', true],
    ['${null == 0}', false],
    ["${'' == null}", false],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected);
  });

  it('coerces a numeric string to the number on the other side', () => {
    expect(evaluate("${1 == '1'}")).toBe(true);
    expect(evaluate("${'2' == 2}")).toBe(true);
    expect(evaluate("${1.5 == '1.5'}")).toBe(true);
    expect(evaluate("${x == '100.0'}", { x: 100 })).toBe(true);
  });

  it('fails when the string next to a number is not numeric', () => {
    expect(() => evaluate("${1 == 'abc'}")).toThrow("Cannot coerce 'abc' of class java.lang.String to class java.lang.Long");
  });

  it('compares booleans with strings as booleans', () => {
    expect(evaluate("${true == 'TRUE'}")).toBe(true);
    expect(evaluate("${false == 'no'}")).toBe(true);
  });

  it('compares dates by time and collections by content', () => {
    expect(evaluate('${a == b}', { a: new Date(5), b: new Date(5) })).toBe(true);
    expect(evaluate('${a == b}', { a: [1, 'x'], b: [1, 'x'] })).toBe(true);
    expect(evaluate('${a == b}', { a: { k: [1] }, b: { k: [1] } })).toBe(true);
    expect(evaluate('${a == b}', { a: { k: 1 }, b: { k: 2 } })).toBe(false);
  });
});

describe('logical operators', () => {
  it.each([
    ['${true && true}', true],
    ['${true and false}', false],
    ['${false || true}', true],
    ['${false or false}', false],
    ['${!true}', false],
    ['${not false}', true],
    ["${'true' && true}", true],
    ['${null || false}', false],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected);
  });

  it('short-circuits, so the right side is not evaluated', () => {
    expect(evaluate('${false && unknown}')).toBe(false);
    expect(evaluate('${true or unknown}')).toBe(true);
  });

  it('refuses numbers as booleans', () => {
    expect(() => evaluate('${1 && true}')).toThrow("Cannot coerce '1' of class java.lang.Long to class java.lang.Boolean");
  });
});

describe('empty', () => {
  it.each([
    ['null', null, true],
    ['the empty string', '', true],
    ['an empty list', [], true],
    ['an empty object', {}, true],
    ['an empty Map', new Map(), true],
    ['an empty Set', new Set(), true],
    ['a string', 'a', false],
    ['a list with items', [0], false],
    ['an object with keys', { a: undefined }, false],
    ['zero', 0, false],
    ['false', false, false],
  ])('empty of %s is %s', (_name, value, expected) => {
    expect(evaluate('${empty x}', { x: value })).toBe(expected);
  });

  it('combines with not', () => {
    expect(evaluate('${not empty x}', { x: 'a' })).toBe(true);
    expect(evaluate('${!empty x}', { x: [] })).toBe(false);
  });
});

describe('the conditional operator', () => {
  it('chooses a branch by the coerced condition', () => {
    expect(evaluate("${a > 1 ? 'big' : 'small'}", { a: 2 })).toBe('big');
    expect(evaluate("${flag ? 'y' : 'n'}", { flag: 'false' })).toBe('n');
  });

  it('nests to the right', () => {
    const text = "${a == 1 ? 'one' : a == 2 ? 'two' : 'many'}";
    expect(evaluate(text, { a: 1 })).toBe('one');
    expect(evaluate(text, { a: 2 })).toBe('two');
    expect(evaluate(text, { a: 3 })).toBe('many');
  });

  it('evaluates only the chosen branch', () => {
    expect(evaluate('${true ? 1 : unknown}')).toBe(1);
  });

  it('reads identifiers around the colon as branches, not as a prefixed function', () => {
    expect(evaluate('${flag ? yes:no}', { flag: true, yes: 'Y', no: 'N' })).toBe('Y');
  });
});

describe('precedence', () => {
  it.each([
    ['${1 + 2 * 3}', 7],
    ['${(1 + 2) * 3}', 9],
    ['${10 - 2 - 3}', 5],
    ['${16 / 4 / 2}', 2],
    ['${-2 * 3}', -6],
    ['${2 + 6 mod 4}', 4],
    ['${1 + 2 == 3}', true],
    ['${1 < 2 == 2 < 3}', true],
    ['${!false && false}', false],
    ['${true || false && false}', true],
    ['${not true or true}', true],
    ["${empty '' and 1 > 0}", true],
    ['${1 > 0 ? 2 + 3 : 4}', 5],
    ['${x.y * 2}', 8],
    ['${-x.y}', -4],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text, { x: { y: 4 } })).toBe(expected);
  });
});
