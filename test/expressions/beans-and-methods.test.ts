import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../engine/errors.js';
import { errorOf, evaluate } from './evaluate.js';

class Customer {
  readonly tags = ['gold'];
  constructor(readonly name: string) {}
  getAge(): number {
    return 42;
  }
  isVip(): boolean {
    return true;
  }
  get shout(): string {
    return this.name.toUpperCase();
  }
  greet(greeting: string, punctuation = '!'): string {
    return `${greeting}, ${this.name}${punctuation}`;
  }
  makeFunction(): () => number {
    return () => 1;
  }
}

class Premium extends Customer {
  discount(): number {
    return 10;
  }
}

const customer = new Customer('Ann');

describe('property access', () => {
  it('reads own and inherited properties and accessors of a bean', () => {
    expect(evaluate('${c.name}', { c: customer })).toBe('Ann');
    expect(evaluate('${c.shout}', { c: customer })).toBe('ANN');
    expect(evaluate("${c['name']}", { c: customer })).toBe('Ann');
    expect(evaluate('${c.tags[0]}', { c: customer })).toBe('gold');
  });

  it('calls getX() or isX() for a property x the bean does not have', () => {
    expect(evaluate('${c.age}', { c: customer })).toBe(42);
    expect(evaluate('${c.vip}', { c: customer })).toBe(true);
    expect(evaluate('${c.age}', { c: new Premium('Bob') })).toBe(42);
  });

  it('honours getters on plain objects too', () => {
    expect(evaluate('${order.total}', { order: { getTotal: () => 10 } })).toBe(10);
  });

  it('reads plain objects and Maps as Java maps: a missing key is null', () => {
    expect(evaluate('${o.a}', { o: { a: 1 } })).toBe(1);
    expect(evaluate("${o['a']}", { o: { a: 1 } })).toBe(1);
    expect(evaluate('${o.missing}', { o: { a: 1 } })).toBeNull();
    expect(evaluate('${m.k}', { m: new Map([['k', 'v']]) })).toBe('v');
    expect(evaluate('${m[1]}', { m: new Map([[1, 'one']]) })).toBe('one');
    expect(evaluate('${m.missing}', { m: new Map() })).toBeNull();
  });

  it('indexes lists by number or numeric string, and out of range is null', () => {
    const list = ['a', 'b'];
    expect(evaluate('${list[1]}', { list })).toBe('b');
    expect(evaluate("${list['0']}", { list })).toBe('a');
    expect(evaluate('${list[5]}', { list })).toBeNull();
    expect(evaluate('${list[-1]}', { list })).toBeNull();
  });

  it('walks nested structures', () => {
    const order = { items: [{ price: 5, sku: { code: 'X1' } }] };
    expect(evaluate('${order.items[0].price * 2}', { order })).toBe(10);
    expect(evaluate("${order['items'][0]['sku'].code}", { order })).toBe('X1');
  });

  it('a null base or a null index yields null', () => {
    expect(evaluate('${n.y}', { n: null })).toBeNull();
    expect(evaluate('${n.y.z}', { n: null })).toBeNull();
    expect(evaluate("${n['y']}", { n: null })).toBeNull();
    expect(evaluate('${o[n]}', { o: { a: 1 }, n: null })).toBeNull();
  });

  it('a missing bean property is an error naming the class', () => {
    const error = errorOf(() => evaluate('${c.missing}', { c: customer }));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toBe('Unknown property used in expression: ${c.missing}. Cause: Could not find property missing in class Customer');
  });

  it('a method is not a property', () => {
    expect(() => evaluate('${c.greet}', { c: customer })).toThrow('Could not find property greet in class Customer');
  });

  it('a list has no named properties', () => {
    expect(() => evaluate('${list.size}', { list: [] })).toThrow('Cannot parse list index: size');
  });

  it('strings expose Java bean getters only', () => {
    expect(evaluate("${'abc'.empty}")).toBe(false);
    expect(() => evaluate("${'abc'.length}")).toThrow('Could not find property length in class java.lang.String');
  });
});

describe('method calls on beans', () => {
  it('calls own and inherited methods with arguments', () => {
    expect(evaluate("${c.greet('Hello')}", { c: customer })).toBe('Hello, Ann!');
    expect(evaluate("${c.greet('Hi', '?')}", { c: customer })).toBe('Hi, Ann?');
    expect(evaluate('${c.discount() + c.getAge()}', { c: new Premium('Bob') })).toBe(52);
  });

  it('calls functions stored on plain objects with the object as this', () => {
    const counter = { n: 2, twice() { return this.n * 2; } };
    expect(evaluate('${counter.twice()}', { counter })).toBe(4);
  });

  it('calls a method named by a bracket expression', () => {
    expect(evaluate("${c['greet']('Yo')}", { c: customer })).toBe('Yo, Ann!');
  });

  it('a void method yields null', () => {
    expect(evaluate('${o.run()}', { o: { run: () => undefined } })).toBeNull();
  });

  it('emulates toString() and equals() on every object', () => {
    expect(evaluate('${o.toString()}', { o: { a: 1 } })).toBe('{a=1}');
    expect(evaluate('${c.equals(c)}', { c: customer })).toBe(true);
  });

  it('an unknown method is an error naming the parameter count and class', () => {
    const error = errorOf(() => evaluate('${c.foo()}', { c: customer }));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toBe("Unknown method used in expression: ${c.foo()}. Cause: Cannot find method 'foo' with 0 parameters in class Customer");
  });

  it('calling a method on null names the base expression', () => {
    expect(() => evaluate('${a.b.foo(1)}', { a: { b: null } })).toThrow(
      "Unknown property used in expression: ${a.b.foo(1)}. Cause: Target unreachable, base expression 'a.b' resolved to null",
    );
  });
});

describe('Java String methods', () => {
  it.each([
    ["${s.length()}", 11],
    ["${s.substring(6)}", 'World'],
    ["${s.substring(0, 5)}", 'Hello'],
    ["${s.indexOf('o')}", 4],
    ["${s.indexOf('o', 5)}", 7],
    ["${s.lastIndexOf('o')}", 7],
    ["${s.startsWith('Hell')}", true],
    ["${s.endsWith('World')}", true],
    ["${s.contains('lo W')}", true],
    ["${s.equals('Hello World')}", true],
    ["${s.equalsIgnoreCase('hello world')}", true],
    ["${s.toUpperCase()}", 'HELLO WORLD'],
    ["${s.toLowerCase()}", 'hello world'],
    ["${'  x  '.trim()}", 'x'],
    ["${s.isEmpty()}", false],
    ["${''.isEmpty()}", true],
    ["${s.charAt(1)}", 'e'],
    ["${s.concat('!')}", 'Hello World!'],
    ["${'a'.compareTo('c')}", -2],
    ["${'ab'.compareTo('a')}", 1],
    ["${'a.b.c'.replace('.', '-')}", 'a-b-c'],
    ["${'a1b22c'.replaceAll('[0-9]+', '#')}", 'a#b#c'],
    ["${'John Smith'.replaceAll('(\\\\w+) (\\\\w+)', '$2, $1')}", 'Smith, John'],
    ["${'cost: 5'.replaceAll('\\\\d', '\\\\$')}", 'cost: $'],
    ["${'aaa'.replaceFirst('a', 'b')}", 'baa'],
    ["${'abc123'.matches('[a-z]+[0-9]+')}", true],
    ["${'abc123x'.matches('[a-z]+[0-9]+')}", false],
    ["${'ABC'.matches('(?i)[a-z]+')}", true],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text, { s: 'Hello World' })).toBe(expected);
  });

  it('split takes a regex, never returns the groups and drops trailing empty strings', () => {
    expect(evaluate("${'a,b,,c,,'.split(',')}")).toEqual(['a', 'b', '', 'c']);
    expect(evaluate("${'a1b22c'.split('([0-9])+')}")).toEqual(['a', 'b', 'c']);
    expect(evaluate("${'a,b,c'.split(',', 2)}")).toEqual(['a', 'b,c']);
    expect(evaluate("${'abc'.split('')}")).toEqual(['a', 'b', 'c']);
    expect(evaluate("${''.split(',')}")).toEqual(['']);
  });

  it('coerces arguments to the parameter types', () => {
    expect(evaluate("${'abcdef'.substring('2', 4)}")).toBe('cd');
  });

  it('out-of-range indexes fail like Java', () => {
    expect(() => evaluate("${'abc'.substring(5)}")).toThrow('Error while evaluating expression: ${\'abc\'.substring(5)}. Cause: begin 5, end 3, length 3');
    expect(() => evaluate("${'abc'.charAt(3)}")).toThrow('Index 3 out of bounds for length 3');
  });

  it('an invalid regex is an evaluation error', () => {
    expect(() => evaluate("${'a'.matches('(')}")).toThrow(/Invalid regular expression '\('/);
  });

  it('unknown methods and wrong parameter counts are unknown methods', () => {
    expect(() => evaluate("${'x'.foo()}")).toThrow("Unknown method used in expression: ${'x'.foo()}. Cause: Cannot find method 'foo' with 0 parameters in class java.lang.String");
    expect(() => evaluate("${'x'.substring()}")).toThrow("Cannot find method 'substring' with 0 parameters in class java.lang.String");
    expect(() => evaluate("${'x'.padStart(3)}")).toThrow("Cannot find method 'padStart' with 1 parameters");
  });
});

describe('Java List, Map and Set methods', () => {
  const list = [1, 2, 3];

  it.each([
    ['${list.size()}', 3],
    ['${list.get(1)}', 2],
    ['${list.contains(2)}', true],
    ["${list.contains('2')}", false],
    ['${list.isEmpty()}', false],
    ['${list.indexOf(3)}', 2],
    ['${list.indexOf(9)}', -1],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text, { list })).toBe(expected);
  });

  it('get out of range fails like Java', () => {
    expect(() => evaluate('${list.get(5)}', { list })).toThrow('Index 5 out of bounds for length 3');
  });

  it('contains uses Java equality for nested values', () => {
    expect(evaluate('${list.contains(item)}', { list: [[1, 2], new Date(5)], item: new Date(5) })).toBe(true);
  });

  it.each([
    ['a plain object', { a: 1, b: 2 }],
    ['a Map', new Map<string, number>([['a', 1], ['b', 2]])],
  ])('offers the Java Map methods on %s', (_name, map) => {
    expect(evaluate("${m.get('a')}", { m: map })).toBe(1);
    expect(evaluate("${m.get('z')}", { m: map })).toBeNull();
    expect(evaluate("${m.containsKey('b')}", { m: map })).toBe(true);
    expect(evaluate("${m.containsKey('z')}", { m: map })).toBe(false);
    expect(evaluate('${m.containsValue(2)}', { m: map })).toBe(true);
    expect(evaluate('${m.size()}', { m: map })).toBe(2);
    expect(evaluate('${m.isEmpty()}', { m: map })).toBe(false);
    expect(evaluate('${m.keySet()}', { m: map })).toEqual(['a', 'b']);
    expect(evaluate('${m.values()}', { m: map })).toEqual([1, 2]);
    expect(evaluate("${m.getOrDefault('z', 9)}", { m: map })).toBe(9);
  });

  it('a plain object does not expose Object.prototype methods', () => {
    expect(() => evaluate("${o.hasOwnProperty('a')}", { o: { a: 1 } })).toThrow(
      "Cannot find method 'hasOwnProperty' with 1 parameters in class java.util.LinkedHashMap",
    );
  });

  it('offers size, contains and isEmpty on a Set', () => {
    const set = new Set(['x']);
    expect(evaluate('${s.size()}', { s: set })).toBe(1);
    expect(evaluate("${s.contains('x')}", { s: set })).toBe(true);
    expect(evaluate('${s.empty}', { s: set })).toBe(false);
  });
});

describe('Java Number, Boolean and Date methods', () => {
  it('converts numbers', () => {
    expect(evaluate('${x.intValue()}', { x: 5.7 })).toBe(5);
    expect(evaluate('${x.longValue()}', { x: -5.7 })).toBe(-5);
    expect(evaluate('${x.doubleValue()}', { x: 5 })).toBe(5);
    expect(evaluate('${x.toString()}', { x: 5 })).toBe('5');
    expect(evaluate('${x.intValue()}', { x: 2 ** 31 })).toBe(-(2 ** 31));
  });

  it('hashes values the way Java does', () => {
    expect(evaluate("${'abc'.hashCode()}")).toBe(96354);
    expect(evaluate('${x.hashCode()}', { x: 5 })).toBe(5);
    expect(evaluate('${x.hashCode()}', { x: 1.5 })).toBe(1073217536);
    expect(evaluate('${x.hashCode()}', { x: true })).toBe(1231);
    expect(evaluate('${x.hashCode()}', { x: [1, 2] })).toBe(994);
  });

  it('unwraps booleans', () => {
    expect(evaluate('${b.booleanValue()}', { b: true })).toBe(true);
    expect(evaluate('${b.toString()}', { b: false })).toBe('false');
  });

  it('compares and reads dates', () => {
    const d1 = new Date('2024-01-01T00:00:00Z');
    const d2 = new Date('2024-02-01T00:00:00Z');
    expect(evaluate('${d1.getTime()}', { d1 })).toBe(d1.getTime());
    expect(evaluate('${d1.time}', { d1 })).toBe(d1.getTime());
    expect(evaluate('${d1.before(d2)}', { d1, d2 })).toBe(true);
    expect(evaluate('${d1.after(d2)}', { d1, d2 })).toBe(false);
    expect(evaluate('${d2.compareTo(d1)}', { d1, d2 })).toBe(1);
  });
});

describe('sandboxing', () => {
  const fn = () => 1;

  it.each([
    ["${''.constructor}"],
    ["${x.constructor.constructor('return 1')()}"],
    ["${x.constructor.constructor('return 1')}"],
    ["${x['constructor']}"],
    ['${x.__proto__}'],
    ["${x['__proto__']}"],
    ['${x.prototype}'],
    ['${c.constructor}'],
    ['${c.__proto__.constructor}'],
    ['${list.constructor}'],
    ['${list.map}'],
    ['${fn.name}'],
    ['${fn.call(null)}'],
    ["${fn['apply'](null)}"],
    ['${c.greet.constructor}'],
    ['${c.makeFunction().call()}'],
    ['${c.toString.call}'],
    ["${c.getClass()}"],
    ["${'x'.getClass()}"],
    ["${x.constructor('return process')}"],
    ["${o.valueOf()}"],
  ])('%s throws an ExpressionError', (text) => {
    const error = errorOf(() => evaluate(text, { x: {}, c: customer, list: [1], fn, o: { a: 1 } }));
    expect(error).toBeInstanceOf(ExpressionError);
  });

  it('inherited Object.prototype members are not keys of a map', () => {
    expect(evaluate('${x.__defineGetter__}', { x: {} })).toBeNull();
    expect(evaluate('${x.toString}', { x: {} })).toBeNull();
    expect(evaluate("${x['hasOwnProperty']}", { x: {} })).toBeNull();
  });

  it('own data keys named like built-ins are still plain data in a map', () => {
    expect(evaluate("${o.get('toString')}", { o: { toString: 'data' } })).toBe('data');
    expect(evaluate('${o.valueOf}', { o: { valueOf: 7 } })).toBe(7);
  });
});
