import { newQuickJSWASMModuleFromVariant, RELEASE_SYNC } from 'quickjs-emscripten';
import { PRELUDE_SOURCE } from '../engine/script/prelude.js';
const qjs = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
function time(label: string, src: string, opts: any = { type: 'global' }) {
  const rt = qjs.newRuntime();
  const f = () => { const c = rt.newContext(); const r = c.evalCode(src, 'p', opts); if (r.error) { console.log(c.dump(r.error)); } r.dispose(); c.dispose(); };
  for (let i = 0; i < 100; i++) f();
  const n = 1000; const t = performance.now();
  for (let i = 0; i < n; i++) f();
  console.log(label, ((performance.now() - t) / n * 1000).toFixed(0), 'us');
  rt.dispose();
}
time('empty', '1');
time('prelude', PRELUDE_SOURCE);
time('prelude nostrict', PRELUDE_SOURCE, { type: 'global' });
time('prelude compileOnly', PRELUDE_SOURCE, { type: 'global', compileOnly: true });
time('class', '(function(){ class A extends Error { constructor(a){ super(a); this.x = 1 } m() {} } return A })');
time('fn 100 lines', '(function(){' + Array.from({ length: 100 }, (_, i) => `var v${i} = function (a) { return a + ${i}; };`).join('\n') + '})');
time('string 4k', JSON.stringify('x'.repeat(4000)));
time('comment 4k', '/*' + 'x'.repeat(4000) + '*/ 1');
