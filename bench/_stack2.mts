import { createScriptRunner } from '../engine/script/index.js';
const r = await createScriptRunner();
const src0 = 'var d=0; function f(n){d=n; return f(n+1)+1}; try { f(0) } catch(e) { d }';
const g = (k: number, run: boolean): Promise<unknown> | undefined => { if (k > 0) return g(k - 1, run); if (!run) return undefined; try { return r.run(src0, { values: {}, objects: {} }, { stackBytes: S }); } catch { return undefined; } };
let S = 0;
let Dg = 0; for (let k = 1000; ; k += 100) { try { g(k, false); Dg = k; } catch { break; } }
console.log('max depth of g', Dg);
for (const stackBytes of [32 << 10, 128 << 10, 256 << 10, 384 << 10]) {
  S = stackBytes;
  let lo = 0, hi = Dg;
  while (hi - lo > 50) {
    const mid = (lo + hi) >> 1; await r.run("1", { values: {}, objects: {} });
    let p: Promise<unknown> | undefined; try { p = g(mid, true); } catch { p = undefined; }
    const ok = p ? await p.then(() => true, (e) => !/host stack|sandbox/.test(e.message)) : false;
    if (ok) lo = mid; else hi = mid;
  }
  console.log('stackBytes', stackBytes >> 10, 'KiB: js depth', await r.run(src0, { values: {}, objects: {} }, { stackBytes }), `uses ${Math.round(100 * (Dg - lo) / Dg)}% of the host stack (~${Math.round((Dg - lo) / Dg * 984)} KB of 984)`);
}
