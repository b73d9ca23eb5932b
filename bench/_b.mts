import { createScriptRunner } from '../engine/script/index.js';
const r = await createScriptRunner();
const execution = { getVariable: (n: unknown) => 1, setVariable(n: unknown, v: unknown) {} };
const b = { values: { a: 1, b: 2 }, objects: { execution } };
for (const [label, src, bind] of [['tiny', 'a + b', b], ['no bindings', '1+1', { values: {}, objects: {} }], ['host call', 'execution.setVariable("x", a + b)', b]] as const) {
  for (let i = 0; i < 200; i++) await r.run(src, bind as any);
  const n = 3000; const t = performance.now();
  for (let i = 0; i < n; i++) await r.run(src, bind as any);
  const dt = performance.now() - t;
  console.log(label, (dt / n * 1000).toFixed(0), 'us/run', Math.round(n / dt * 1000), 'runs/s');
}
