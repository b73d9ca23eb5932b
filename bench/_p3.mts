import { newQuickJSWASMModuleFromVariant, RELEASE_SYNC } from 'quickjs-emscripten';
const qjs = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
const rt = qjs.newRuntime();
const c = rt.newContext();
function time(label: string, f: () => void) {
  for (let i = 0; i < 1000; i++) f();
  const n = 20000; const t = performance.now();
  for (let i = 0; i < n; i++) f();
  console.log(label, ((performance.now() - t) / n * 1000).toFixed(2), 'us');
}
time('newFunction+dispose', () => c.newFunction('x', () => {}).dispose());
time('newString+dispose', () => c.newString('hello').dispose());
const json = c.getProp(c.global, 'JSON'); const parse = c.getProp(json, 'parse');
time('getProp+dispose', () => c.getProp(json, 'parse').dispose());
const txt = c.newString('{"a":1,"b":"x"}');
time('callFunction JSON.parse', () => c.callFunction(parse, c.undefined, txt).dispose());
const obj = c.newObject();
time('typeof', () => c.typeof(obj));
time('eq', () => c.eq(obj, txt));
const f = c.newFunction('x', () => c.newNumber(1));
c.setProp(c.global, 'f', f);
time('eval 1 call', () => c.evalCode('f(1)').dispose());
time('eval empty', () => c.evalCode('1').dispose());
