import { createScriptRunner } from '../engine/script/index.js';
const r = await createScriptRunner();
const vars: Record<string, unknown> = { x: 1 };
const execution = { getVariable: (n: unknown) => vars[n as string], setVariable(n: unknown, v: unknown) { vars[n as string] = v; }, fail() { throw Object.assign(new Error('bpmn!'), { code: 'BPMN_ERROR' }); } };
const b = { values: { a: 1, b: 2, d: new Date(0), s: '\u0000weird', nested: { arr: [1, new Date(5)] } }, objects: { execution } };
const tries = [
  'a + b', 'var x = 1; x * 2', 'd.getTime() + 1', 'new Date(10)', '[s, nested]', 'execution.setVariable("y", new Date(7)); execution.getVariable("x")',
  'throw new BpmnError("C1", "msg")', 'throw new org.camunda.bpm.engine.delegate.BpmnError("C2")', 'var E = Java.type("org.camunda.bpm.engine.delegate.BpmnError"); throw new E("C3")',
  'execution.fail()', 'try { execution.fail() } catch (e) { "caught " + e.name + e.message + e.code }', 'foo', 'var a = ;', 'while(true){}', 'var q=[]; while(true) q.push("x".repeat(100) + q.length)',
  'function f(n){return f(n+1)+1}; f(0)', 'typeof require + typeof process', 'throw "boom"', 'undefined', '({u: undefined, f(){}, n: null})', 'Promise.resolve(1)',
];
for (const t of tries) {
  const start = performance.now();
  try { console.log(t.slice(0, 50), '=>', await r.run(t, b, { timeoutMs: 200 }), (performance.now() - start).toFixed(1) + 'ms'); }
  catch (e: any) { console.log(t.slice(0, 50), '!!', e.constructor.name, e.code, e.errorCode ?? '', e.message, (performance.now() - start).toFixed(1) + 'ms'); }
}
console.log(vars);
