import { describe, expect, it } from 'vitest';
import { BpmnError, ExpressionError } from '../../engine/errors.js';
import { DateTimeValue, ExpressionManager, compileExpression } from '../../engine/expressions/index.js';
import { contextOf, errorOf } from './evaluate.js';

/** Noon on 31 January 2024, local time: month arithmetic has to clamp from here. */
const NOW = new Date(2024, 0, 31, 12, 0, 0, 0);

function managerAt(now: Date, functions?: ConstructorParameters<typeof ExpressionManager>[0]): ExpressionManager {
  return new ExpressionManager(functions, { clock: () => now });
}

describe('now()', () => {
  it('returns a Date of the injected clock', () => {
    const result = managerAt(NOW).evaluate('${now()}', contextOf({}));
    expect(result).toBeInstanceOf(Date);
    expect((result as Date).getTime()).toBe(NOW.getTime());
  });

  it('exposes getTime() and compares with other dates', () => {
    const manager = managerAt(NOW);
    expect(manager.evaluate('${now().time}', contextOf({}))).toBe(NOW.getTime());
    expect(manager.evaluate('${due < now()}', contextOf({ due: new Date(2024, 0, 1) }))).toBe(true);
  });

  it('defaults to the system clock', () => {
    const before = Date.now();
    const result = new ExpressionManager().evaluate('${now()}', contextOf({})) as Date;
    expect(result.getTime()).toBeGreaterThanOrEqual(before);
    expect(result.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

describe('dateTime()', () => {
  const manager = managerAt(NOW);
  const evaluate = (text: string, variables: Record<string, unknown> = {}) => manager.evaluate(text, contextOf(variables));

  it('returns a DateTimeValue of the injected clock', () => {
    const result = evaluate('${dateTime()}');
    expect(result).toBeInstanceOf(DateTimeValue);
    expect((result as DateTimeValue).getMillis()).toBe(NOW.getTime());
    expect(evaluate('${dateTime().toDate()}')).toEqual(NOW);
  });

  it('adds and subtracts durations', () => {
    expect(evaluate('${dateTime().plusMillis(5).getMillis()}')).toBe(NOW.getTime() + 5);
    expect(evaluate('${dateTime().plusSeconds(30).millis}')).toBe(NOW.getTime() + 30_000);
    expect(evaluate('${dateTime().plusMinutes(2).getMillis()}')).toBe(NOW.getTime() + 120_000);
    expect(evaluate('${dateTime().plusHours(3).getMillis()}')).toBe(NOW.getTime() + 3 * 3_600_000);
    expect(evaluate('${dateTime().minusHours(1).getMillis()}')).toBe(NOW.getTime() - 3_600_000);
    expect(evaluate('${dateTime().minusSeconds(1).minusMillis(1).getMillis()}')).toBe(NOW.getTime() - 1001);
  });

  it('adds calendar days, weeks, months and years in local time', () => {
    expect(evaluate('${dateTime().plusDays(1).toDate()}')).toEqual(new Date(2024, 1, 1, 12));
    expect(evaluate('${dateTime().minusDays(31).toDate()}')).toEqual(new Date(2023, 11, 31, 12));
    expect(evaluate('${dateTime().plusWeeks(2).toDate()}')).toEqual(new Date(2024, 1, 14, 12));
    expect(evaluate('${dateTime().minusWeeks(1).toDate()}')).toEqual(new Date(2024, 0, 24, 12));
    expect(evaluate('${dateTime().plusYears(1).toDate()}')).toEqual(new Date(2025, 0, 31, 12));
    expect(evaluate('${dateTime().minusYears(4).toDate()}')).toEqual(new Date(2020, 0, 31, 12));
  });

  it('clamps to the last day of a shorter month, as Joda does', () => {
    expect(evaluate('${dateTime().plusMonths(1).toDate()}')).toEqual(new Date(2024, 1, 29, 12));
    expect(evaluate('${dateTime().plusMonths(1).dayOfMonth}')).toBe(29);
    expect(evaluate('${dateTime().minusMonths(2).toDate()}')).toEqual(new Date(2023, 10, 30, 12));
  });

  it('is immutable', () => {
    const value = evaluate('${dateTime()}') as DateTimeValue;
    value.plusDays(3);
    expect(value.getMillis()).toBe(NOW.getTime());
  });

  it('compares with other instants', () => {
    expect(evaluate('${dateTime().isBefore(dateTime().plusSeconds(1))}')).toBe(true);
    expect(evaluate('${dateTime().isAfter(now())}')).toBe(false);
    expect(evaluate('${dateTime().isEqual(now())}')).toBe(true);
    expect(evaluate('${dateTime() < dateTime().plusDays(1)}')).toBe(true);
    expect(evaluate('${dateTime().plusMinutes(5).toDate() > now()}')).toBe(true);
    expect(evaluate('${dateTime() == dateTime()}')).toBe(true);
  });

  it('prints ISO 8601 with the local offset', () => {
    const text = evaluate('${dateTime().toString()}') as string;
    expect(text).toMatch(/^2024-01-31T12:00:00\.000(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(text)).toBe(NOW.getTime());
    expect(evaluate('due ${dateTime()}')).toBe(`due ${text}`);
  });

  it('rejects amounts that are not integers', () => {
    expect(() => evaluate("${dateTime().plusDays('x')}")).toThrow(ExpressionError);
    expect(evaluate("${dateTime().plusDays('2').toDate()}")).toEqual(new Date(2024, 1, 2, 12));
  });
});

describe('registered functions', () => {
  it('are callable by name with evaluated arguments', () => {
    const manager = managerAt(NOW, { double: (x) => Number(x) * 2 });
    expect(manager.evaluate('${double(a + 1)}', contextOf({ a: 2 }))).toBe(6);
  });

  it('can carry a prefix', () => {
    const manager = managerAt(NOW);
    manager.registerFunction('math:max', (...args) => Math.max(...args.map(Number)));
    expect(manager.evaluate('${math:max(1, 5, 3)}', contextOf({}))).toBe(5);
    expect(manager.get('math:max')).toBeTypeOf('function');
  });

  it('may replace a built-in', () => {
    const manager = managerAt(NOW, { now: () => 'frozen' });
    expect(manager.evaluate('${now()}', contextOf({}))).toBe('frozen');
  });

  it('an unknown function is an evaluation error', () => {
    const manager = managerAt(NOW);
    expect(() => manager.evaluate('${nope()}', contextOf({}))).toThrow(
      "Error while evaluating expression: ${nope()}. Cause: Could not resolve function 'nope'",
    );
  });

  it('a compiled expression sees only the functions passed to evaluate', () => {
    const compiled = compileExpression('${now()}');
    expect(() => compiled.evaluate(contextOf({}))).toThrow("Could not resolve function 'now'");
    expect(compiled.evaluate(contextOf({}), managerAt(NOW))).toEqual(NOW);
  });

  it('a BpmnError thrown by a function passes through unchanged', () => {
    const failure = new BpmnError('REJECTED', 'no credit');
    const manager = managerAt(NOW, {
      check: () => {
        throw failure;
      },
    });
    expect(errorOf(() => manager.evaluate('${check()}', contextOf({})))).toBe(failure);
  });

  it('rejects names that could never be called', () => {
    expect(() => managerAt(NOW).registerFunction('a b', () => 1)).toThrow(TypeError);
  });
});
