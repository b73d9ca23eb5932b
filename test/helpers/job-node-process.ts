/**
 * The parent's side of test/helpers/job-node.ts: spawns a node, collects its
 * stdout lines, waits for conditions on them (failing at once if the node
 * died), and ends it — with SIGKILL or by asking it to stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './clock.js';
import type { JobNodeRequest } from './job-node.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'test', 'helpers', 'job-node.ts');

export class JobNodeProcess {
  readonly lines: string[] = [];
  stderr = '';
  private partial = '';
  private readonly child: ChildProcess;
  private readonly exit: Promise<void>;
  private closed = false;

  constructor(readonly request: JobNodeRequest) {
    this.child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(request)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    // A line cut short by SIGKILL stays in `partial`: only complete lines are events.
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop()!;
      for (const p of parts) if (p) this.lines.push(p);
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    // 'close' comes after the process ended and its stdout was read to the end.
    this.exit = new Promise((resolve) =>
      this.child.once('close', () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  get alive(): boolean {
    return !this.closed;
  }

  /** Lines starting with `word` (the first word of the line). */
  linesOf(word: string): string[][] {
    return this.lines.filter((l) => l.startsWith(`${word} `) || l === word).map((l) => l.split(' ').slice(1));
  }

  count(word: string): number {
    return this.linesOf(word).length;
  }

  /** Polls until `check` holds; throws with the node's stderr as soon as the node is gone. */
  async until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    await eventually(
      async () => {
        if (check()) return true;
        if (!this.alive) throw new Error(`node ${this.request.node} exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}: ${this.stderr}`);
        return false;
      },
      timeoutMs,
      `${what} on node ${this.request.node}`,
    );
  }

  /** SIGKILL, as a crash: no shutdown code runs. Also ends a node a failed test left behind. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exit;
  }

  /** Asks the node to stop its executor and close its engine; resolves once it exited. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.child.stdin!.write('STOP\n');
    await this.until(() => this.count('STOPPED') === 1, 'it stopped', timeoutMs);
    await this.exit;
  }
}
