import { createScriptRunner } from '../engine/script/index.js';
const r = await createScriptRunner();
function maxDepth(): number { let d = 0; const f = () => { d++; f(); }; try { f(); } catch {} return d; }
const D0 = maxDepth();
console.log('plain host max depth', D0);
const src0 = 'var d=0; function f(n){d=n; return f(n+1)+1}; try { f(0) } catch(e) { d }';
for (const [stackBytes, src] of [[16 << 10, '1+1'], [64 << 10, src0], [128 << 10, src0], [256 << 10, src0], [384 << 10, src0]] as const) {
  let lo = 0, hi = D0;
  while (hi - lo > 100) {
    const mid = (lo + hi) >> 1;
    const g = (k: number): Promise<unknown> | undefined => { if (k > 0) return g(k - 1); try { return r.run(src, { values: {}, objects: {} }, { stackBytes }); } catch { return undefined; } };
    let p: Promise<unknown> | undefined; try { p = g(mid); } catch { p = undefined; }
    const ok = p ? await p.then(() => true, (e) => !/host stack|sandbox/.test(e.message)) : false;
    if (ok) lo = mid; else hi = mid;
  }
  console.log('stackBytes', stackBytes, 'works with host recursion depth up to ~', lo, `(needs ${Math.round(100 * (D0 - lo) / D0)}% of the host stack)`);
}
