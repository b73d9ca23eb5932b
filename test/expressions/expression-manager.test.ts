import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../engine/errors.js';
import { ExpressionManager, UNRESOLVED, compileExpression, isExpressionText } from '../../engine/expressions/index.js';
import { contextOf } from './evaluate.js';

describe('isExpressionText', () => {
  it.each([
    ['${a}', true],
    ['#{a}', true],
    ['text ${a} text', true],
    ['plain', false],
    ['costs $5 {x}', false],
    ['', false],
  ])('%s -> %s', (text, expected) => {
    expect(isExpressionText(text)).toBe(expected);
  });
});

describe('compileExpression', () => {
  it('keeps the text and lists the top-level identifiers once, in order', () => {
    const compiled = compileExpression('${a.b + c[d] > a.e ? fn(f) : ns:g(a)}');
    expect(compiled.text).toBe('${a.b + c[d] > a.e ? fn(f) : ns:g(a)}');
    expect(compiled.identifiers).toEqual(['a', 'c', 'd', 'f']);
    expect(compiled.isLiteralText).toBe(false);
  });

  it('throws an ExpressionError for a syntax error at compile time', () => {
    expect(() => compileExpression('${a +}')).toThrow(ExpressionError);
  });

  it('resolves identifiers anew on every evaluation', () => {
    const compiled = compileExpression('${count + 1}');
    let count = 1;
    const ctx = { resolve: (name: string) => (name === 'count' ? count : UNRESOLVED) };
    expect(compiled.evaluate(ctx)).toBe(2);
    count = 41;
    expect(compiled.evaluate(ctx)).toBe(42);
  });

  it('treats an undefined resolution as null', () => {
    expect(compileExpression('${x == null}').evaluate({ resolve: () => undefined })).toBe(true);
  });
});

describe('ExpressionManager', () => {
  it('compiles each text once', () => {
    const manager = new ExpressionManager();
    expect(manager.compile('${a}')).toBe(manager.compile('${a}'));
  });

  it('evicts the least recently used text when the cache is full', () => {
    const manager = new ExpressionManager(undefined, { cacheSize: 2 });
    const a = manager.compile('${a}');
    const b = manager.compile('${b}');
    manager.compile('${a}');
    manager.compile('${c}');
    expect(manager.compile('${a}')).toBe(a);
    expect(manager.compile('${b}')).not.toBe(b);
  });

  it('does not cache texts that fail to parse', () => {
    const manager = new ExpressionManager();
    expect(() => manager.compile('${a +}')).toThrow(ExpressionError);
    expect(() => manager.compile('${a +}')).toThrow(ExpressionError);
  });

  it('evaluates thousands of expressions quickly', () => {
    const manager = new ExpressionManager();
    const ctx = contextOf({ order: { amount: 120, customer: { vip: true } }, limit: 100 });
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) {
      manager.evaluate("${order.amount > limit && order.customer.vip ? 'manual' : 'auto'}", ctx);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
