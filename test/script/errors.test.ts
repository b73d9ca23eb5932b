import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BpmnError, ConflictError, ScriptError } from '../../engine/errors.js';
import { createScriptRunner, type ScriptBindings, type ScriptRunner } from '../../engine/script/index.js';

const none: ScriptBindings = { values: {}, objects: {} };
let runner: ScriptRunner;

beforeAll(async () => {
  runner = await createScriptRunner();
});
afterAll(() => runner.close());

async function failure(source: string, bindings: ScriptBindings = none): Promise<unknown> {
  try {
    await runner.run(source, bindings);
  } catch (error) {
    return error;
  }
  throw new Error(`expected the script to fail: ${source}`);
}

describe('BPMN errors thrown by scripts', () => {
  it('throw new BpmnError(code, message) becomes the engine BpmnError with that code and message', async () => {
    const error = await failure('throw new BpmnError("OUT_OF_STOCK", "no laptops left")');
    expect(error).toBeInstanceOf(BpmnError);
    expect(error).toMatchObject({ code: 'BPMN_ERROR', errorCode: 'OUT_OF_STOCK', errorMessage: 'no laptops left' });
  });

  it('the Java spelling org.camunda.bpm.engine.delegate.BpmnError works too', async () => {
    const error = await failure('throw new org.camunda.bpm.engine.delegate.BpmnError("REJECTED")');
    expect(error).toBeInstanceOf(BpmnError);
    expect((error as BpmnError).errorCode).toBe('REJECTED');
    expect((error as BpmnError).errorMessage).toBeUndefined();
  });

  it('Java.type("org.camunda.bpm.engine.delegate.BpmnError") works too, other Java classes do not', async () => {
    const error = await failure('var BpmnError = Java.type("org.camunda.bpm.engine.delegate.BpmnError"); throw new BpmnError("VIA_JAVA_TYPE", "typed")');
    expect(error).toMatchObject({ errorCode: 'VIA_JAVA_TYPE', errorMessage: 'typed' });
    await expect(runner.run('Java.type("java.lang.System")', none)).rejects.toThrow(/java\.lang\.System is not available/);
  });

  it('is an Error inside the script and can be caught there', async () => {
    const result = await runner.run('try { throw new BpmnError("C", "m") } catch (e) { [e instanceof Error, e.name, e.errorCode, e.message, e.getErrorCode()] }', none);
    expect(result).toEqual([true, 'BpmnError', 'C', 'm', 'C']);
  });

  it('an object that merely looks like a BpmnError is a script failure', async () => {
    const error = await failure('throw { name: "BpmnError", errorCode: "FAKE", message: "looks alike" }');
    expect(error).toBeInstanceOf(ScriptError);
  });
});

describe('errors thrown by host methods', () => {
  it('can be caught by the script, with name, message and code', async () => {
    const execution = {
      setVariable: () => {
        throw Object.assign(new TypeError('variable type mismatch'), { code: 'BAD_USER_INPUT' });
      },
    };
    const result = await runner.run('try { execution.setVariable("x", 1) } catch (e) { [e instanceof Error, e.name, e.message, e.code] }', { values: {}, objects: { execution } });
    expect(result).toEqual([true, 'TypeError', 'variable type mismatch', 'BAD_USER_INPUT']);
  });

  it('escaping the script become a ScriptError with the host error as cause and the line of the call', async () => {
    const hostError = new Error('database unavailable');
    const execution = {
      getVariable: () => {
        throw hostError;
      },
    };
    const error = await failure('var a = 1;\nexecution.getVariable("x");', { values: {}, objects: { execution } });
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as ScriptError).message).toMatch(/^Error: database unavailable \(line 2, column \d+\)$/);
    expect((error as ScriptError).cause).toBe(hostError);
  });

  it('a BPMN_ERROR escaping the script is rethrown unchanged', async () => {
    const hostError = new BpmnError('HOST_CODE', 'from a delegate');
    const service = {
      call: () => {
        throw hostError;
      },
    };
    expect(await failure('service.call()', { values: {}, objects: { service } })).toBe(hostError);
    expect(await failure('try { service.call() } catch (e) { throw e }', { values: {}, objects: { service } })).toBe(hostError);
  });

  it('a CONFLICT escaping the script is rethrown unchanged', async () => {
    const conflict = new ConflictError('execution was updated by another transaction');
    const execution = {
      setVariable: () => {
        throw conflict;
      },
    };
    expect(await failure('execution.setVariable("a", 1)', { values: {}, objects: { execution } })).toBe(conflict);
  });

  it('a BPMN_ERROR the script catches stays caught', async () => {
    const service = {
      call: () => {
        throw new BpmnError('HOST_CODE');
      },
    };
    expect(await runner.run('var outcome; try { service.call(); outcome = "went through" } catch (e) { outcome = "handled " + e.code } outcome', { values: {}, objects: { service } })).toBe(
      'handled BPMN_ERROR',
    );
  });

  it('a new error the script throws instead is a script failure', async () => {
    const service = {
      call: () => {
        throw new BpmnError('HOST_CODE');
      },
    };
    const error = await failure('try { service.call() } catch (e) { throw new Error("wrapped: " + e.message) }', { values: {}, objects: { service } });
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as ScriptError).message).toMatch(/^Error: wrapped: HOST_CODE \(line 1/);
  });
});

describe('script failures', () => {
  it('a syntax error is a ScriptError with the QuickJS message and line', async () => {
    const error = await failure('var a = 1;\nvar b = ;\n');
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as ScriptError).message).toBe("SyntaxError: unexpected token in expression: ';' (line 2, column 9)");
  });

  it('an unknown variable is a ReferenceError with its line', async () => {
    const error = await failure('var total = 1;\n\ntotal + discount');
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as ScriptError).message).toBe("ReferenceError: 'discount' is not defined (line 3, column 9)");
    expect((error as ScriptError).code).toBe('SCRIPT');
    expect((error as ScriptError).camundaType).toBe('ScriptEvaluationException');
  });

  it('a TypeError names the line inside the function that failed', async () => {
    const error = await failure('function name(customer) {\n  return customer.name;\n}\nname(null)');
    expect((error as ScriptError).message).toMatch(/^TypeError: cannot read property 'name' of null \(line 2, column \d+\)$/);
  });

  it('throwing a non-Error value is a ScriptError that prints the value', async () => {
    expect(((await failure('throw "boom"')) as ScriptError).message).toBe('Script threw "boom"');
    expect(((await failure('throw 42')) as ScriptError).message).toBe('Script threw 42');
  });

  it('a result that cannot be converted is a ScriptError', async () => {
    const error = await failure('var o = {}; o.self = o; o');
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as ScriptError).message).toMatch(/circular/i);
  });

  it('a value that cannot be passed in is a ScriptError before anything runs', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(runner.run('1', { values: { circular }, objects: {} })).rejects.toThrow(/Script variables could not be passed/);
  });
});
