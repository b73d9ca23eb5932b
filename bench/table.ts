/**
 * The results as Markdown: a machine line, the throughput table, and the
 * per-cell detail that shows the work was verified.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { CellResult } from './cell.js';
import { ENGINE_LABELS, type BenchConfig, type EngineId } from './config.js';
import { shapeById, type Shape } from './shapes.js';

export function unitOf(shape: Shape): string {
  return shape.kind === 'jobs' ? 'jobs/s' : shape.kind === 'external-tasks' ? 'tasks/s' : 'inst/s';
}

const SHORT: Record<EngineId, string> = { embedded: 'emb', postgres: 'pg', 'bpmn-engine': 'bpmn-engine' };

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: fall through to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}

export function machineLine(config: BenchConfig, extra: string[] = []): string {
  const parts = [
    `CPU ${cpuModel()}`,
    `${cpus().length} cores`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Node ${process.version}`,
    new Date().toISOString(),
    `concurrency ${config.concurrency}`,
    `${config.seconds} s window per cell (${config.jobsAndTimersSeconds} s for jobs and timers) after a warm-up of ${config.warmupInstances} instances or ${config.warmupSeconds} s, whichever ends first`,
    `load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
    ...extra,
  ];
  return `**Machine:** ${parts.join(' · ')}`;
}

function rate(r: CellResult | undefined): string {
  if (!r) return '—';
  if (!r.ok) return 'FAILED';
  return r.rate >= 100 ? r.rate.toFixed(0) : r.rate.toFixed(1);
}

type Cells = Map<string, CellResult>;
const key = (engine: EngineId, shape: string): string => `${engine}/${shape}`;

export function cellsOf(results: CellResult[]): Cells {
  return new Map(results.map((r) => [key(r.engine, r.shape), r]));
}

function rssPerEngine(config: BenchConfig, cells: Cells, shape: string): string {
  const rss = config.engines
    .map((e) => {
      const r = cells.get(key(e, shape));
      return r ? `${SHORT[e]} ${r.peakRssMb.toFixed(0)}` : null;
    })
    .filter((s) => s !== null)
    .join(' · ');
  return rss || '—';
}

function ratio(emb: CellResult | undefined, peer: CellResult | undefined): string {
  return emb?.ok && peer?.ok && peer.rate > 0 ? `${(emb.rate / peer.rate).toFixed(2)}×` : '—';
}

export function throughputTable(config: BenchConfig, cells: Cells): string {
  const head = ['shape', ...(['embedded', 'postgres', 'bpmn-engine'] as const).map((e) => `${ENGINE_LABELS[e]} (inst/s)`), 'embedded ÷ bpmn-engine', 'peak RSS (MB) per engine'];
  const rows = config.shapes
    .filter((shape) => shapeById(shape).table === 'main')
    .map((shape) => {
      const get = (e: EngineId) => cells.get(key(e, shape));
      return [shapeById(shape).label, rate(get('embedded')), rate(get('postgres')), rate(get('bpmn-engine')), ratio(get('embedded'), get('bpmn-engine')), rssPerEngine(config, cells, shape)];
    });
  return markdown(head, rows, ['l', 'r', 'r', 'r', 'r', 'l']);
}

/** The second table: async sequences in jobs/s, timer boundary shapes in inst/s. */
export function jobsAndTimersTable(config: BenchConfig, cells: Cells): string {
  const head = ['shape', 'unit', ...(['embedded', 'postgres', 'bpmn-engine'] as const).map((e) => ENGINE_LABELS[e]), 'embedded ÷ bpmn-engine', 'job executor / workers', 'peak RSS (MB) per engine'];
  const rows = config.shapes
    .filter((shape) => shapeById(shape).table === 'jobs-and-timers')
    .map((shape) => {
      const s = shapeById(shape);
      const get = (e: EngineId) => cells.get(key(e, shape));
      const settings = (['embedded', 'postgres'] as const)
        .map((e) => {
          const r = get(e);
          return r?.ok && r.settings ? `${SHORT[e]}: ${r.settings}` : null;
        })
        .filter((x) => x !== null)
        .join(' · ');
      const peer = s.peer ? rate(get('bpmn-engine')) : 'n/a';
      return [s.label, unitOf(s), rate(get('embedded')), rate(get('postgres')), peer, ratio(get('embedded'), get('bpmn-engine')), settings || '—', rssPerEngine(config, cells, shape)];
    });
  return markdown(head, rows, ['l', 'l', 'r', 'r', 'r', 'r', 'l', 'l']);
}

export function detailTable(config: BenchConfig, cells: Cells): string {
  const head = ['shape', 'engine', 'rate (inst/s; jobs/s for async-*, tasks/s for external-*)', 'started in window', 'last finished after (s)', 'inst/s finished inside window', 'warm-up instances', 'engine recorded completed', 'CPU share', 'peak RSS (MB)', 'peak heap used (MB)'];
  const rows: string[][] = [];
  for (const shape of config.shapes) {
    for (const engine of config.engines) {
      const r = cells.get(key(engine, shape));
      if (!r) continue;
      if (r.ok) {
        rows.push([
          shape,
          engine,
          rate(r),
          String(r.measured + r.late),
          r.elapsed.toFixed(2),
          r.windowRate >= 100 ? r.windowRate.toFixed(0) : r.windowRate.toFixed(1),
          String(r.warmup),
          String(r.verified),
          `${(r.cpuShare * 100).toFixed(0)} %`,
          r.peakRssMb.toFixed(0),
          r.peakHeapMb.toFixed(0),
        ]);
      } else {
        rows.push([shape, engine, 'FAILED', '', '', '', '', '', '', r.peakRssMb.toFixed(0), r.peakHeapMb.toFixed(0)]);
      }
    }
  }
  return markdown(head, rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']);
}

export function failures(results: CellResult[]): string[] {
  return results.flatMap((r) => (r.ok ? [] : [`- ${r.engine} / ${r.shape}: ${r.error}`]));
}

function markdown(head: string[], rows: string[][], align: ('l' | 'r')[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const line = (cells: string[]) => `| ${cells.map(esc).join(' | ')} |`;
  const rule = `|${align.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}
