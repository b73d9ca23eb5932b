import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptError } from '../../engine/errors.js';
import { createScriptRunner, type ScriptBindings, type ScriptRunner } from '../../engine/script/index.js';

const none: ScriptBindings = { values: {}, objects: {} };
let runner: ScriptRunner;

beforeAll(async () => {
  runner = await createScriptRunner();
});
afterAll(() => runner.close());

async function failure(promise: Promise<unknown>): Promise<ScriptError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptError);
    return error as ScriptError;
  }
  throw new Error('expected the script to fail');
}

describe('limits', () => {
  it('an infinite loop stops with the time-limit ScriptError soon after the limit', async () => {
    const started = performance.now();
    const error = await failure(runner.run('while (true) {}', none, { timeoutMs: 100 }));
    const elapsed = performance.now() - started;
    expect(error.message).toBe('Script exceeded its time limit of 100 ms');
    expect(elapsed).toBeGreaterThanOrEqual(99);
    expect(elapsed).toBeLessThan(2000);
  });

  it('the time limit cannot be caught by the script', async () => {
    const error = await failure(runner.run('for (;;) { try { while (true) {} } catch (e) {} }', none, { timeoutMs: 50 }));
    expect(error.message).toBe('Script exceeded its time limit of 50 ms');
  });

  it('time spent in host methods counts against the limit', async () => {
    const slow = {
      wait: () => {
        const until = performance.now() + 80;
        while (performance.now() < until);
      },
    };
    const error = await failure(runner.run('slow.wait(); while (true) {}', { values: {}, objects: { slow } }, { timeoutMs: 50 }));
    expect(error.message).toBe('Script exceeded its time limit of 50 ms');
  });

  it('a growing array of strings stops with the memory-limit ScriptError', async () => {
    const error = await failure(
      runner.run('var items = []; while (true) items.push("item-" + items.length + "-" + "x".repeat(64));', none, { memoryBytes: 4 * 1024 * 1024, timeoutMs: 20_000 }),
    );
    expect(error.message).toBe('Script exceeded its memory limit of 4194304 bytes');
  });

  it('the default memory limit is 32 MiB', async () => {
    const error = await failure(runner.run('var s = []; while (true) s.push(new Array(1024).fill(s.length));', none, { timeoutMs: 20_000 }));
    expect(error.message).toBe('Script exceeded its memory limit of 33554432 bytes');
  });

  it('deep recursion stops with the stack-limit ScriptError', async () => {
    const error = await failure(runner.run('function down(n) {\n  return down(n + 1) + 1;\n}\ndown(0)', none));
    expect(error.message).toMatch(/^Script exceeded its stack limit of 131072 bytes \(InternalError: stack overflow\) \(line 2, column \d+\)$/);
  });

  it('a stack limit beyond what the host stack holds fails the run, and the next run gets a fresh sandbox', async () => {
    const error = await failure(runner.run('function down(n) { return down(n + 1) + 1 } down(0)', none, { stackBytes: 1024 * 1024 }));
    expect(error.message).toMatch(/stack/);
    expect(await runner.run('6 * 7', none)).toBe(42);
  });

  it('the runner keeps working after every kind of failure', async () => {
    await failure(runner.run('while (true) {}', none, { timeoutMs: 20 }));
    await failure(runner.run('var a = []; while (true) a.push("xxxxxxxxxxxxxxxx" + a.length)', none, { memoryBytes: 2 * 1024 * 1024, timeoutMs: 20_000 }));
    await failure(runner.run('(function f() { f() })()', none));
    await failure(runner.run('}{', none));
    expect(await runner.run('1 + 1', none)).toBe(2);
  });

  it('runs with other memory limits get their own sandbox and share nothing', async () => {
    expect(await runner.run('var big = "x".repeat(1000); big.length', none, { memoryBytes: 8 * 1024 * 1024 })).toBe(1000);
    expect(await runner.run('typeof big', none, { memoryBytes: 8 * 1024 * 1024 })).toBe('undefined');
    expect(await runner.run('typeof big', none)).toBe('undefined');
  });

  it('invalid limits are rejected', async () => {
    await expect(runner.run('1', none, { timeoutMs: 0 })).rejects.toThrow(RangeError);
    await expect(runner.run('1', none, { memoryBytes: 1000 })).rejects.toThrow(RangeError);
    await expect(runner.run('1', none, { stackBytes: 8 * 1024 * 1024 })).rejects.toThrow(RangeError);
    await expect(createScriptRunner({ stackBytes: -1 })).rejects.toThrow(RangeError);
  });

  it('a closed runner refuses to run', async () => {
    const closing = await createScriptRunner();
    closing.close();
    await expect(closing.run('1', none)).rejects.toThrow(/closed/);
  });
});

describe('isolation', () => {
  it('the sandbox has no require, process, module, fetch, timers or file system', async () => {
    const probe = ['require', 'process', 'module', 'exports', 'fetch', 'setTimeout', 'setInterval', 'Buffer', 'std', 'os', 'XMLHttpRequest', 'WebAssembly']
      .map((name) => `typeof ${name}`)
      .join(' + "," + ');
    expect(await runner.run(probe, none)).toBe(Array(12).fill('undefined').join(','));
  });

  it('Date, Math and JSON work normally', async () => {
    const result = await runner.run('[typeof Date.now(), Math.max(1, 5, 3), JSON.stringify(JSON.parse("{\\"a\\":[1]}")), new Date(0).toISOString()]', none);
    expect(result).toEqual(['number', 5, '{"a":[1]}', '1970-01-01T00:00:00.000Z']);
  });

  it('the Function constructor only reaches the sandbox global', async () => {
    const error = await failure(runner.run('this.constructor.constructor("return process")().exit(1)', none));
    expect(error.message).toMatch(/^ReferenceError: 'process' is not defined/);
    expect(await runner.run('Function("return globalThis")() === globalThis', none)).toBe(true);
  });

  it('nothing leaks from one run into the next', async () => {
    await runner.run('var leaked = 1; globalThis.alsoLeaked = 2; Object.prototype.polluted = true; Array.prototype.push = null; JSON.parse = null;', none);
    expect(await runner.run('[typeof leaked, typeof alsoLeaked, typeof ({}).polluted, typeof [].push, typeof JSON.parse]', none)).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'function',
      'function',
    ]);
  });

  it('runs after an idle moment also start from a fresh context', async () => {
    await runner.run('var leaked = 1; Object.prototype.polluted = true', none);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(await runner.run('typeof leaked + " " + typeof ({}).polluted', none)).toBe('undefined undefined');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(await runner.run('while (true) {}', none, { timeoutMs: 30 }).catch((error: Error) => error.message)).toBe('Script exceeded its time limit of 30 ms');
  });

  it('a script that replaces builtins only spoils its own run', async () => {
    await expect(runner.run('JSON.stringify = function () { return "{" }; ({ still: "fine" })', none)).rejects.toThrow(ScriptError);
    expect(await runner.run('({ a: 1 })', none)).toEqual({ a: 1 });
  });

  it('a host error thrown into one run cannot be rethrown by another', async () => {
    const service = {
      call: () => {
        throw Object.assign(new Error('boom'), { code: 'BPMN_ERROR' });
      },
    };
    await runner.run('try { service.call() } catch (e) { globalThis.kept = e }', { values: {}, objects: { service } });
    const error = await failure(runner.run('throw kept', none));
    expect(error.message).toMatch(/^ReferenceError: 'kept' is not defined/);
  });
});

describe('throughput', () => {
  it('runs tiny scripts in well under a millisecond each', async () => {
    const execution = { setVariable: () => undefined };
    const bindings: ScriptBindings = { values: { a: 1, b: 2 }, objects: { execution } };
    for (let i = 0; i < 50; i++) await runner.run('a + b', bindings);
    const runs = 500;
    const started = performance.now();
    for (let i = 0; i < runs; i++) await runner.run('execution.setVariable("sum", a + b); a + b', bindings);
    const elapsed = performance.now() - started;
    const perSecond = Math.round((runs / elapsed) * 1000);
    console.log(`script runner: ${perSecond} tiny script runs/s (${((elapsed / runs) * 1000).toFixed(0)} µs per run)`);
    // Generous bound: CI machines are slow and shared; this guards against order-of-magnitude regressions.
    expect(elapsed / runs).toBeLessThan(20);
  });
});
