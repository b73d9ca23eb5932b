import type { QuickJSContext, QuickJSRuntime } from 'quickjs-emscripten';
import { ScriptError } from '../errors.js';
import { SandboxModule } from './sandbox-module.js';
import { SandboxRun, memoryLimit, messageOf, type EncodedValues, type HostMethod, type HostPlan, type Outcome, type Settings } from './sandbox-run.js';
import type { HostObject, ScriptBindings, ScriptLimits, ScriptLogger, ScriptLogLevel, ScriptRunner, ScriptRunnerOptions } from './script-runner.js';
import { encodeValue } from './value-codec.js';

export const DEFAULT_LIMITS: Readonly<Settings> = Object.freeze({
  timeoutMs: 1000,
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 128 * 1024,
});
const MIN_MEMORY_BYTES = 1024 * 1024;
const MIN_STACK_BYTES = 16 * 1024;
/** QuickJS measures its stack inside WebAssembly's 5 MiB C stack; far beyond what Node's own stack lets it use anyway. */
const MAX_STACK_BYTES = 1024 * 1024;
const LOG_LEVELS: readonly ScriptLogLevel[] = ['log', 'info', 'warn', 'error', 'debug', 'trace'];
/** Instances kept for memory limits other than the default; each holds at least 20 MB. */
const MAX_OTHER_SANDBOXES = 3;
/** Global properties a value cannot replace (non-writable) or must not touch (the prototype). */
const RESERVED_GLOBALS = new Set(['undefined', 'NaN', 'Infinity', '__proto__']);

/**
 * Runs each script in its own QuickJS runtime and context inside a shared
 * WebAssembly instance (one per distinct memory limit, see SandboxModule).
 * A runtime per run costs about as much as a context per run in a shared
 * runtime (the garbage collection is paid either way) and keeps runs apart
 * completely; a nested run (a host method that runs another script) cannot
 * disturb the outer run's limits either. Making the runtime and context is
 * most of a tiny run's cost, so one is prepared ahead whenever the event
 * loop is idle.
 */
export class QuickJsScriptRunner implements ScriptRunner {
  /** Ready or loading instances by memory limit. */
  private readonly sandboxes = new Map<number, SandboxModule | Promise<SandboxModule>>();
  /**
   * A runtime and context made while the process was idle, for the next run
   * at the default memory limit: creating them is most of a tiny run's cost.
   * Used once, like any other.
   */
  private spare: Prepared | undefined;
  private spareTimer: ReturnType<typeof setImmediate> | undefined;
  private closed = false;
  private readonly defaults: Settings;
  private readonly log: ScriptLogger | undefined;

  constructor(sandbox: SandboxModule, options: ScriptRunnerOptions = {}) {
    this.defaults = resolveLimits(options, DEFAULT_LIMITS);
    this.sandboxes.set(this.defaults.memoryBytes, sandbox);
    this.log = options.log;
  }

  static async create(options: ScriptRunnerOptions = {}): Promise<QuickJsScriptRunner> {
    const { memoryBytes } = resolveLimits(options, DEFAULT_LIMITS);
    return new QuickJsScriptRunner(await loadSandbox(memoryBytes), options);
  }

  async run(source: string, bindings: ScriptBindings, limits?: ScriptLimits): Promise<unknown> {
    if (this.closed) throw new ScriptError('The script runner is closed');
    const settings = resolveLimits(limits ?? {}, this.defaults);
    // Host-side conversion first: a binding that cannot be converted is the caller's bug, not the sandbox's.
    const values = encodeBindingValues(bindings.values, settings);
    const host = planHost(source, bindings.objects, this.log);
    const ready = this.sandboxes.get(settings.memoryBytes);
    // Stays synchronous when the instance is ready: no await, no interleaving.
    const sandbox = ready instanceof SandboxModule && !ready.retired ? ready : await this.replaceSandbox(settings.memoryBytes);

    let outcome: Outcome;
    try {
      outcome = execute(sandbox, this.takeSpare(sandbox), source, values, host, settings);
    } catch (failure) {
      // Only a broken sandbox throws here, e.g. Node's stack ran out inside the
      // interpreter. Its WebAssembly state is undefined now, so drop it.
      sandbox.broken = true;
      outcome = { ok: false, error: sandboxFailure(failure, settings) };
    }
    // Start loading the replacement now rather than when the next run needs it.
    if (sandbox.retired && !this.closed) this.replaceSandbox(settings.memoryBytes).catch(() => undefined);
    this.scheduleSpare();
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  close(): void {
    this.closed = true;
    if (this.spareTimer) clearImmediate(this.spareTimer);
    this.takeSpare(undefined);
    this.sandboxes.clear();
  }

  private evictOtherSandbox(): void {
    const others = [...this.sandboxes.keys()].filter((memoryBytes) => memoryBytes !== this.defaults.memoryBytes);
    if (others.length >= MAX_OTHER_SANDBOXES) this.sandboxes.delete(others[0]!);
  }

  /** The spare if it belongs to `sandbox`; any other spare is disposed. */
  private takeSpare(sandbox: SandboxModule | undefined): Prepared | undefined {
    const spare = this.spare;
    this.spare = undefined;
    if (!spare || spare.sandbox.retired) return undefined;
    if (spare.sandbox === sandbox) return spare;
    spare.context.dispose();
    spare.runtime.dispose();
    return undefined;
  }

  private scheduleSpare(): void {
    if (this.closed || this.spare || this.spareTimer) return;
    this.spareTimer = setImmediate(() => {
      this.spareTimer = undefined;
      const sandbox = this.sandboxes.get(this.defaults.memoryBytes);
      if (this.closed || this.spare || !(sandbox instanceof SandboxModule) || sandbox.retired) return;
      this.spare = prepare(sandbox);
    });
    this.spareTimer.unref();
  }

  private replaceSandbox(memoryBytes: number): Promise<SandboxModule> {
    const current = this.sandboxes.get(memoryBytes);
    if (current instanceof Promise) return current;
    if (current && !current.retired) return Promise.resolve(current);
    if (!this.sandboxes.has(memoryBytes)) this.evictOtherSandbox();
    const loading = loadSandbox(memoryBytes).then((sandbox) => {
      if (this.sandboxes.get(memoryBytes) === loading) this.sandboxes.set(memoryBytes, sandbox);
      return sandbox;
    });
    this.sandboxes.set(memoryBytes, loading);
    loading.catch(() => {
      if (this.sandboxes.get(memoryBytes) === loading) this.sandboxes.delete(memoryBytes);
    });
    return loading;
  }
}

async function loadSandbox(memoryBytes: number): Promise<SandboxModule> {
  try {
    return await SandboxModule.load(memoryBytes);
  } catch (error) {
    throw new ScriptError('Could not load the script sandbox', { cause: error });
  }
}

export function resolveLimits(limits: ScriptLimits, defaults: Settings): Settings {
  const settings = {
    timeoutMs: limits.timeoutMs ?? defaults.timeoutMs,
    memoryBytes: limits.memoryBytes ?? defaults.memoryBytes,
    stackBytes: limits.stackBytes ?? defaults.stackBytes,
  };
  if (!(settings.timeoutMs > 0) || !Number.isFinite(settings.timeoutMs)) {
    throw new RangeError(`Script timeoutMs must be a positive number, got ${settings.timeoutMs}`);
  }
  if (!Number.isSafeInteger(settings.memoryBytes) || settings.memoryBytes < MIN_MEMORY_BYTES) {
    throw new RangeError(`Script memoryBytes must be an integer of at least ${MIN_MEMORY_BYTES}, got ${settings.memoryBytes}`);
  }
  if (!Number.isSafeInteger(settings.stackBytes) || settings.stackBytes < MIN_STACK_BYTES || settings.stackBytes > MAX_STACK_BYTES) {
    throw new RangeError(`Script stackBytes must be an integer from ${MIN_STACK_BYTES} to ${MAX_STACK_BYTES}, got ${settings.stackBytes}`);
  }
  return settings;
}

interface Prepared {
  sandbox: SandboxModule;
  runtime: QuickJSRuntime;
  context: QuickJSContext;
}

function prepare(sandbox: SandboxModule): Prepared {
  const runtime = sandbox.quickjs.newRuntime();
  return { sandbox, runtime, context: runtime.newContext() };
}

function execute(sandbox: SandboxModule, spare: Prepared | undefined, source: string, values: EncodedValues, host: HostPlan, settings: Settings): Outcome {
  const deadline = performance.now() + settings.timeoutMs;
  let timedOut = false;
  const { runtime, context } = spare ?? prepare(sandbox);
  // Not a byte limit in this build (see SandboxModule); it still stops single oversized allocations.
  runtime.setMemoryLimit(settings.memoryBytes);
  runtime.setMaxStackSize(settings.stackBytes);
  // Once interrupting, every later check interrupts too, so reading the
  // result of a stopped script cannot run on either.
  runtime.setInterruptHandler(() => {
    if (sandbox.exhausted) return true;
    if (performance.now() < deadline) return false;
    timedOut = true;
    return true;
  });
  const outcome = new SandboxRun(runtime, context, settings, () => timedOut).run(source, values, host);
  if (sandbox.exhausted) {
    // The instance is retired as a whole; freeing into it first would be wasted work.
    return memoryLimit(settings);
  }
  // Disposal only on the normal path: a throw above means the WebAssembly
  // state is suspect and the instance gets retired; freeing into it would
  // only trip QuickJS's own assertions.
  context.dispose();
  runtime.dispose();
  return outcome;
}

function encodeBindingValues(values: Record<string, unknown>, settings: Settings): EncodedValues {
  const plain: Record<string, unknown> = {};
  const dates: EncodedValues['dates'] = [];
  for (const [name, value] of Object.entries(values)) {
    if (RESERVED_GLOBALS.has(name)) continue;
    if (value instanceof Date) dates.push([name, value.getTime()]);
    else plain[name] = value;
  }
  let text: string;
  try {
    text = Object.keys(plain).length === 0 ? '' : encodeValue(plain);
  } catch (error) {
    throw new ScriptError(`Script variables could not be passed to the sandbox: ${messageOf(error)}`, { cause: error });
  }
  if (text.length > settings.memoryBytes / 4) {
    throw new ScriptError(`Script variables (${text.length} characters as JSON) do not fit the script memory limit of ${settings.memoryBytes} bytes`);
  }
  return { text, dates };
}

/**
 * The host functions of one run. `console` and `print` are only installed
 * when the source mentions them; without a logger they discard their
 * arguments unconverted.
 */
function planHost(source: string, objects: Record<string, HostObject>, log: ScriptLogger | undefined): HostPlan {
  const plan: HostPlan = { objects: [], functions: [] };
  const wantsConsole = source.includes('console') && !Object.hasOwn(objects, 'console');
  if (wantsConsole || source.includes('print')) {
    const logAt = (level: ScriptLogLevel, label: string): HostMethod =>
      log
        ? { name: level, label, call: (args) => log(level, formatLogArguments(args)) }
        : { name: level, label, call: () => undefined, ignoresArguments: true };
    if (wantsConsole) plan.objects.push({ name: 'console', methods: LOG_LEVELS.map((level) => logAt(level, `console.${level}`)) });
    if (source.includes('print')) plan.functions.push({ ...logAt('log', 'print'), name: 'print' });
  }
  for (const [objectName, target] of Object.entries(objects)) {
    if ((typeof target !== 'object' && typeof target !== 'function') || target === null) continue;
    const methods = methodNames(target).map((name): HostMethod => {
      const fn = (target as Record<string, (...args: unknown[]) => unknown>)[name]!;
      return { name, label: `${objectName}.${name}`, call: (args) => fn.apply(target, args) };
    });
    plan.objects.push({ name: objectName, methods });
  }
  return plan;
}

/** Own and inherited methods, so class instances work as host objects. */
function methodNames(target: object): string[] {
  const names = new Set<string>();
  for (let proto: object | null = target; proto && proto !== Object.prototype && proto !== Function.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key === '__proto__' || names.has(key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (descriptor && typeof descriptor.value === 'function') names.add(key);
    }
  }
  return [...names];
}

function formatLogArguments(args: unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg;
      if (arg instanceof Date) return arg.toISOString();
      return JSON.stringify(arg) ?? String(arg);
    })
    .join(' ');
}

function sandboxFailure(failure: unknown, settings: Settings): ScriptError {
  if (failure instanceof RangeError) {
    return new ScriptError(`Script exhausted the host stack (stack limit ${settings.stackBytes} bytes); the sandbox was reset`, { cause: failure });
  }
  return new ScriptError(`The script sandbox failed and was reset: ${messageOf(failure)}`, { cause: failure });
}
