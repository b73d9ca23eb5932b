import { newQuickJSWASMModuleFromVariant, RELEASE_SYNC } from 'quickjs-emscripten';
import { PRELUDE_SOURCE } from '../engine/script/prelude.js';
const qjs = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
function time(label: string, f: () => void) {
  for (let i = 0; i < 100; i++) f();
  const n = 1000; const t = performance.now();
  for (let i = 0; i < n; i++) f();
  console.log(label, ((performance.now() - t) / n * 1000).toFixed(0), 'us');
}
time('rt+ctx plain', () => { const rt = qjs.newRuntime(); const c = rt.newContext(); c.dispose(); rt.dispose(); });
time('rt+ctx limits', () => { const rt = qjs.newRuntime({ memoryLimitBytes: 32 << 20, maxStackSizeBytes: 256 << 10 }); const c = rt.newContext(); c.dispose(); rt.dispose(); });
time('rt+ctx interrupt', () => { const rt = qjs.newRuntime({ interruptHandler: () => false }); const c = rt.newContext(); c.dispose(); rt.dispose(); });
time('rt+ctx+prelude', () => { const rt = qjs.newRuntime(); const c = rt.newContext(); c.evalCode(PRELUDE_SOURCE, 'p', { type: 'global', strict: true }).dispose(); c.dispose(); rt.dispose(); });
time('rt+ctx+1+1', () => { const rt = qjs.newRuntime(); const c = rt.newContext(); c.evalCode('1+1', 'p', { type: 'global' }).dispose(); c.dispose(); rt.dispose(); });
time('rt+ctx+fn', () => { const rt = qjs.newRuntime(); const c = rt.newContext(); c.newFunction('x', () => {}).dispose(); c.dispose(); rt.dispose(); });
