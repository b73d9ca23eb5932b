import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptRunner, isJavaScriptFormat, JAVASCRIPT_FORMATS, type ScriptBindings, type ScriptRunner } from '../../engine/script/index.js';

const none: ScriptBindings = { values: {}, objects: {} };
let runner: ScriptRunner;

beforeAll(async () => {
  runner = await createScriptRunner();
});
afterAll(() => runner.close());

describe('the script result', () => {
  it('is the value of the last expression statement', async () => {
    expect(await runner.run('a + b', { values: { a: 1, b: 2 }, objects: {} })).toBe(3);
    expect(await runner.run('var x = 1; x * 2', none)).toBe(2);
    expect(await runner.run('if (true) { "yes" } else { "no" }', none)).toBe('yes');
    expect(await runner.run('"total: " + (2 > 1)', none)).toBe('total: true');
    expect(await runner.run('false', none)).toBe(false);
  });

  it('is null when the script ends in undefined or null', async () => {
    expect(await runner.run('var nothing;', none)).toBeNull();
    expect(await runner.run('undefined', none)).toBeNull();
    expect(await runner.run('null', none)).toBeNull();
  });

  it('converts arrays and plain objects deeply, dropping functions as JSON does', async () => {
    const result = await runner.run('({ list: [1, "two", { three: 3 }], nested: { flag: true, none: null }, skipped: undefined, method() {} })', none);
    expect(result).toEqual({ list: [1, 'two', { three: 3 }], nested: { flag: true, none: null } });
  });

  it('returns Dates as host Dates, also inside objects', async () => {
    const result = (await runner.run('({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), list: [new Date(0)] })', none)) as { at: Date; list: Date[] };
    expect(result.at).toBeInstanceOf(Date);
    expect(result.at.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(result.list[0]!.getTime()).toBe(0);
    const single = await runner.run('new Date(86400000)', none);
    expect(single).toBeInstanceOf(Date);
    expect((single as Date).getTime()).toBe(86_400_000);
  });

  it('keeps strings that start with a NUL character intact', async () => {
    const odd = '\u0000d123';
    expect(await runner.run('[value, value.length]', { values: { value: odd }, objects: {} })).toEqual([odd, odd.length]);
  });
});

describe('values', () => {
  it('arrive as globals, with Dates as sandbox Dates', async () => {
    const due = new Date('2030-06-07T08:09:10.000Z');
    const bindings: ScriptBindings = { values: { amount: 1200, customer: { name: 'Kermit', tags: ['vip'] }, due }, objects: {} };
    expect(await runner.run('amount > 1000 && customer.tags[0] === "vip" && customer.name', bindings)).toBe('Kermit');
    expect(await runner.run('due instanceof Date && due.toISOString()', bindings)).toBe('2030-06-07T08:09:10.000Z');
    const later = await runner.run('new Date(due.getTime() + 1000)', bindings);
    expect((later as Date).toISOString()).toBe('2030-06-07T08:09:11.000Z');
  });

  it('are copies: assigning to them changes nothing outside the script', async () => {
    const customer = { name: 'Kermit' };
    const bindings: ScriptBindings = { values: { amount: 1, customer }, objects: {} };
    expect(await runner.run('amount = 99; customer.name = "Gonzo"; amount', bindings)).toBe(99);
    expect(bindings.values).toEqual({ amount: 1, customer: { name: 'Kermit' } });
    expect(await runner.run('amount', bindings)).toBe(1);
  });

  it('cannot replace undefined, NaN or Infinity', async () => {
    expect(await runner.run('typeof undefined + " " + isNaN(NaN)', { values: { undefined: 1, NaN: 2, other: 3 }, objects: {} })).toBe('undefined true');
  });
});

describe('host objects', () => {
  it('are called synchronously with converted arguments and their results come back into the script', async () => {
    const variables = new Map<string, unknown>([['order', { id: 7, lines: [{ sku: 'A', qty: 2 }] }]]);
    const execution = {
      getVariable: (name: unknown) => variables.get(name as string),
      setVariable: (name: unknown, value: unknown) => {
        variables.set(name as string, value);
      },
      getProcessInstanceId: () => 'pi-1',
    };
    const result = await runner.run(
      `var order = execution.getVariable('order');
       execution.setVariable('total', order.lines[0].qty * 10);
       execution.setVariable('checkedAt', new Date(5000));
       execution.setVariable('summary', { id: order.id, when: new Date(6000), ok: true });
       execution.getProcessInstanceId() + ':' + typeof execution.getVariable('missing')`,
      { values: {}, objects: { execution } },
    );
    expect(result).toBe('pi-1:undefined');
    expect(variables.get('total')).toBe(20);
    expect(variables.get('checkedAt')).toEqual(new Date(5000));
    expect(variables.get('summary')).toEqual({ id: 7, when: new Date(6000), ok: true });
  });

  it('hand over Dates from the host as sandbox Dates', async () => {
    const execution = { getVariable: () => new Date('2031-01-01T00:00:00.000Z') };
    expect(await runner.run('var d = execution.getVariable("due"); d instanceof Date && d.getUTCFullYear()', { values: {}, objects: { execution } })).toBe(2031);
  });

  it('may be class instances; methods run with the instance as this', async () => {
    class TaskFacade {
      private assignee = 'nobody';
      setAssignee(name: unknown): void {
        this.assignee = String(name);
      }
      getAssignee(): string {
        return this.assignee;
      }
    }
    const task = new TaskFacade();
    expect(await runner.run('task.setAssignee("fozzie"); task.getAssignee()', { values: {}, objects: { task: task as never } })).toBe('fozzie');
    expect(task.getAssignee()).toBe('fozzie');
  });

  it('win over a value of the same name', async () => {
    const execution = { getId: () => 'exec-1' };
    expect(await runner.run('execution.getId()', { values: { execution: 'plain' }, objects: { execution } })).toBe('exec-1');
  });

  it('must not return a Promise', async () => {
    const service = { lookup: async () => 1 };
    await expect(runner.run('service.lookup()', { values: {}, objects: { service } })).rejects.toThrow(/service\.lookup returned a Promise/);
  });

  it('may start another script run without disturbing the running one', async () => {
    let nested: Promise<unknown> | undefined;
    const scripts = {
      start: (source: unknown) => {
        nested = runner.run(String(source), { values: { n: 20 }, objects: {} });
      },
    };
    expect(await runner.run('var before = 40; scripts.start("n + 1"); before + 2', { values: {}, objects: { scripts } })).toBe(42);
    expect(await nested).toBe(21);
  });
});

describe('console', () => {
  it('forwards console output and print to the configured logger', async () => {
    const lines: string[] = [];
    const logging = await createScriptRunner({ log: (level, message) => lines.push(`${level} ${message}`) });
    try {
      await logging.run('console.log("total", 3, { a: 1 }); console.warn(new Date(0)); print("done")', none);
      expect(lines).toEqual(['log total 3 {"a":1}', 'warn 1970-01-01T00:00:00.000Z', 'log done']);
    } finally {
      logging.close();
    }
  });

  it('is a silent no-op without a logger', async () => {
    expect(await runner.run('console.log("ignored", { a: 1 }); console.error("also ignored"); print("x"); 1', none)).toBe(1);
  });
});

describe('script formats', () => {
  it('names JavaScript as Camunda does, case-insensitively', () => {
    expect(JAVASCRIPT_FORMATS).toEqual(['javascript', 'ecmascript', 'js']);
    expect(isJavaScriptFormat('JavaScript')).toBe(true);
    expect(isJavaScriptFormat('ECMAScript')).toBe(true);
    expect(isJavaScriptFormat('groovy')).toBe(false);
  });
});
