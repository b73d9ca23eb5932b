import { describe, expect, it } from 'vitest';
import { BpmnError, ConflictError, ExpressionError } from '../../engine/errors.js';
import { errorOf, evaluate } from './evaluate.js';

class Approver {
  constructor(private readonly failure: unknown) {}
  check(): boolean {
    throw this.failure;
  }
  getDecision(): string {
    throw this.failure;
  }
}

describe('error messages', () => {
  it('an unknown identifier names the identifier', () => {
    const error = errorOf(() => evaluate('${x}'));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toBe("Unknown property used in expression: ${x}. Cause: Cannot resolve identifier 'x'");
    expect(error.expression).toBe('${x}');
    expect(error.code).toBe('EXPRESSION');
  });

  it('an unknown identifier inside a composite text carries the whole text', () => {
    const error = errorOf(() => evaluate('Dear ${title} ${name}', { title: 'Ms' }));
    expect(error.message).toBe("Unknown property used in expression: Dear ${title} ${name}. Cause: Cannot resolve identifier 'name'");
    expect(error.expression).toBe('Dear ${title} ${name}');
  });

  it('a syntax error gives the position, what was found and what was expected', () => {
    const error = errorOf(() => evaluate('${a +}', { a: 1 }));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toBe(
      "Error parsing '${a +}': syntax error at position 5, encountered '}', expected <IDENTIFIER>|<STRING>|<FLOAT>|<INTEGER>|'true'|'false'|'null'|'-'|'!'|'not'|'empty'|'('",
    );
    expect(error.expression).toBe('${a +}');
  });

  it('syntax error positions count from the start of the whole text', () => {
    expect(() => evaluate('Hi ${a b}')).toThrow("Error parsing 'Hi ${a b}': syntax error at position 7, encountered 'b', expected '}'");
    expect(() => evaluate('${a.}')).toThrow("syntax error at position 4, encountered '}', expected <IDENTIFIER>");
    expect(() => evaluate('${f(1,)}')).toThrow("syntax error at position 6, encountered ')'");
    expect(() => evaluate('${a = 1}')).toThrow("Error parsing '${a = 1}': lexical error at position 4, encountered invalid character '=', expected expression token");
  });

  it('an empty expression is a syntax error', () => {
    expect(() => evaluate('${ }')).toThrow("Error parsing '${ }': syntax error at position 3, encountered '}', expected <IDENTIFIER>");
  });

  it('an unterminated string is a lexical error', () => {
    expect(() => evaluate("${'abc}")).toThrow("Error parsing '${'abc}': lexical error at position 2, encountered unterminated string, expected '");
  });

  it('instanceof is reserved but not supported', () => {
    expect(() => evaluate('${a instanceof b}')).toThrow("encountered 'instanceof', expected '}'");
  });

  it('absurdly deep nesting is a parse error, not a stack overflow', () => {
    const text = `\${${'('.repeat(5000)}1${')'.repeat(5000)}}`;
    expect(() => evaluate(text)).toThrow(/nested too deeply/);
  });

  it('a failing method is wrapped with the original error as cause', () => {
    const boom = new Error('boom');
    const error = errorOf(() => evaluate('${approver.check()}', { approver: new Approver(boom) }));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toBe('Error while evaluating expression: ${approver.check()}. Cause: boom');
    expect(error.cause).toBe(boom);
  });
});

describe('errors that pass through', () => {
  it('a BpmnError thrown by a bean method propagates unchanged', () => {
    const failure = new BpmnError('CREDIT_REJECTED');
    expect(errorOf(() => evaluate('${approver.check()}', { approver: new Approver(failure) }))).toBe(failure);
  });

  it('a BpmnError thrown by a bean getter propagates unchanged', () => {
    const failure = new BpmnError('NO_DECISION', 'undecided');
    expect(errorOf(() => evaluate('${approver.decision}', { approver: new Approver(failure) }))).toBe(failure);
  });

  it('a BpmnError propagates from inside a composite text and an operator', () => {
    const failure = new BpmnError('E');
    expect(errorOf(() => evaluate('x ${approver.check() && true}', { approver: new Approver(failure) }))).toBe(failure);
  });

  it('an optimistic-lock conflict propagates unchanged', () => {
    const failure = new ConflictError('stale');
    expect(errorOf(() => evaluate('${approver.check()}', { approver: new Approver(failure) }))).toBe(failure);
  });

  it('any error object with a pass-through code propagates unchanged', () => {
    const failure = Object.assign(new Error('business'), { code: 'BPMN_ERROR' });
    expect(errorOf(() => evaluate('${approver.check()}', { approver: new Approver(failure) }))).toBe(failure);
  });
});
