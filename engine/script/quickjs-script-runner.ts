import { newQuickJSWASMModuleFromVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';
import { ScriptError } from '../errors.js';
import { SandboxRun, messageOf, type HostMethod, type HostPlan, type Outcome, type Settings } from './sandbox-run.js';
import type { HostObject, ScriptBindings, ScriptLimits, ScriptLogger, ScriptLogLevel, ScriptRunner, ScriptRunnerOptions } from './script-runner.js';
import { encodeValue } from './value-codec.js';

export const DEFAULT_LIMITS: Readonly<Settings> = Object.freeze({
  timeoutMs: 1000,
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 128 * 1024,
});
const MIN_MEMORY_BYTES = 1024 * 1024;
const MIN_STACK_BYTES = 16 * 1024;
const LOG_LEVELS: readonly ScriptLogLevel[] = ['log', 'info', 'warn', 'error', 'debug', 'trace'];
/** Global properties a value cannot replace (non-writable) or must not touch (the prototype). */
const RESERVED_GLOBALS = new Set(['undefined', 'NaN', 'Infinity', '__proto__']);

export function loadQuickJs(): Promise<QuickJSWASMModule> {
  return newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
}

/**
 * Runs each script in its own QuickJS runtime and context inside one shared
 * WebAssembly module. A runtime per run costs about as much as a context per
 * run in a shared runtime (the garbage collection is paid either way) and
 * keeps memory accounting exact: nothing a previous run left behind counts
 * against the next one, and a nested run (a host method that runs another
 * script) cannot disturb the outer run's limits.
 */
export class QuickJsScriptRunner implements ScriptRunner {
  private module: QuickJSWASMModule | undefined;
  private reloading: Promise<QuickJSWASMModule> | undefined;
  private closed = false;
  private readonly defaults: Settings;
  private readonly log: ScriptLogger | undefined;

  constructor(module: QuickJSWASMModule, options: ScriptRunnerOptions = {}) {
    this.module = module;
    this.defaults = resolveLimits(options, DEFAULT_LIMITS);
    this.log = options.log;
  }

  async run(source: string, bindings: ScriptBindings, limits?: ScriptLimits): Promise<unknown> {
    if (this.closed) throw new ScriptError('The script runner is closed');
    const settings = resolveLimits(limits ?? {}, this.defaults);
    // Host-side conversion first: a binding that cannot be converted is the caller's bug, not the sandbox's.
    const valuesText = encodeBindingValues(bindings.values);
    const host = planHost(source, bindings.objects, this.log);
    const module = this.module ?? (await this.reload());

    let outcome: Outcome;
    try {
      outcome = execute(module, source, valuesText, host, settings);
    } catch (failure) {
      // Only a broken sandbox throws here, e.g. Node's stack ran out inside the
      // interpreter. Its WebAssembly state is undefined now, so drop it.
      if (this.module === module) this.module = undefined;
      throw sandboxFailure(failure, settings);
    }
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  close(): void {
    this.closed = true;
    this.module = undefined;
  }

  private reload(): Promise<QuickJSWASMModule> {
    this.reloading ??= loadQuickJs().then(
      (module) => {
        this.reloading = undefined;
        if (!this.closed) this.module = module;
        return module;
      },
      (error: unknown) => {
        this.reloading = undefined;
        throw new ScriptError('Could not load the script sandbox', { cause: error });
      },
    );
    return this.reloading;
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
  if (!Number.isSafeInteger(settings.stackBytes) || settings.stackBytes < MIN_STACK_BYTES) {
    throw new RangeError(`Script stackBytes must be an integer of at least ${MIN_STACK_BYTES}, got ${settings.stackBytes}`);
  }
  return settings;
}

function execute(module: QuickJSWASMModule, source: string, valuesText: string, host: HostPlan, settings: Settings): Outcome {
  const deadline = performance.now() + settings.timeoutMs;
  let interrupted = false;
  const runtime = module.newRuntime({
    memoryLimitBytes: settings.memoryBytes,
    maxStackSizeBytes: settings.stackBytes,
    // Once past the deadline every later check interrupts too, so reading the
    // result of an interrupted script cannot run on either.
    interruptHandler: () => {
      if (performance.now() < deadline) return false;
      interrupted = true;
      return true;
    },
  });
  // Disposal only on the normal path: a throw from here means the WebAssembly
  // state is suspect and the module gets dropped; freeing into it would only
  // trip QuickJS's own assertions.
  const context = runtime.newContext();
  const outcome = new SandboxRun(runtime, context, settings, () => interrupted).run(source, valuesText, host);
  context.dispose();
  runtime.dispose();
  return outcome;
}

function encodeBindingValues(values: Record<string, unknown>): string {
  const names = Object.keys(values).filter((name) => !RESERVED_GLOBALS.has(name));
  if (names.length === 0) return '';
  try {
    return encodeValue(Object.fromEntries(names.map((name) => [name, values[name]])));
  } catch (error) {
    throw new ScriptError(`Script variables could not be passed to the sandbox: ${messageOf(error)}`, { cause: error });
  }
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
