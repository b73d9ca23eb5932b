import { createScriptRunner } from '../engine/script/index.js';
const r = await createScriptRunner();
const execution = { getVariable: (n: unknown) => 1, setVariable(n: unknown, v: unknown) {} };
const cases: Array<[string, string, any]> = [
  ['none', '1+1', { values: {}, objects: {} }],
  ['values', '1+1', { values: { a: 1, b: 2 }, objects: {} }],
  ['objects', '1+1', { values: {}, objects: { execution } }],
  ['none', '1+1', { values: {}, objects: {} }],
];
for (const [label, src, bind] of cases) {
  for (let i = 0; i < 300; i++) await r.run(src, bind);
  const n = 3000; const t = performance.now();
  for (let i = 0; i < n; i++) await r.run(src, bind);
  const dt = performance.now() - t;
  console.log(label, (dt / n * 1000).toFixed(0), 'us/run');
}
