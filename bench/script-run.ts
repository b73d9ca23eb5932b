/**
 * How many tiny BPMN-style scripts the sandbox runs per second.
 *   npx tsx bench/script-run.ts
 * "back to back" awaits each run directly; "with idle gaps" yields to the
 * event loop between runs, as an engine doing I/O would, which lets the runner
 * prepare the next context ahead of time. CPU time is reported too because
 * wall time is noisy on shared machines.
 */
import { createScriptRunner, type ScriptBindings } from '../engine/script/index.js';

const runner = await createScriptRunner();
const variables = new Map<string, unknown>();
const execution = {
  getVariable: (name: unknown) => variables.get(String(name)),
  setVariable: (name: unknown, value: unknown) => void variables.set(String(name), value),
};
const scripts: Array<[string, string, ScriptBindings]> = [
  ['expression', 'a + b', { values: { a: 1, b: 2 }, objects: {} }],
  ['setVariable', 'execution.setVariable("sum", a + b)', { values: { a: 1, b: 2 }, objects: { execution } }],
  ['condition', 'amount > 1000 && customer.tier === "gold"', { values: { amount: 1200, customer: { tier: 'gold', since: new Date() } }, objects: {} }],
];
const idle = () => new Promise<void>((resolve) => setImmediate(resolve));

for (const [name, source, bindings] of scripts) {
  for (const gaps of [false, true]) {
    for (let i = 0; i < 200; i++) await runner.run(source, bindings);
    const runs = 2000;
    const cpuBefore = process.cpuUsage();
    let busy = 0;
    for (let i = 0; i < runs; i++) {
      if (gaps) await idle();
      const started = performance.now();
      await runner.run(source, bindings);
      busy += performance.now() - started;
    }
    const cpu = process.cpuUsage(cpuBefore);
    const perRunUs = (busy / runs) * 1000;
    const cpuPerRunUs = (cpu.user + cpu.system) / runs;
    console.log(
      `${name.padEnd(12)} ${gaps ? 'with idle gaps' : 'back to back  '}  ${perRunUs.toFixed(0).padStart(5)} µs/run (${Math.round(1e6 / perRunUs)} runs/s)  cpu ${cpuPerRunUs.toFixed(0)} µs/run incl. idle-time preparation`,
    );
  }
}
runner.close();
