import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import { BpmnError, ScriptError } from '../errors.js';
import { BPMN_ERROR_SOURCE, CODEC_SOURCE, DESCRIBE_SOURCE } from './sandbox-sources.js';
import type { ScriptLimits } from './script-runner.js';
import { decodeValue, encodeValue } from './value-codec.js';

/** The file name QuickJS reports for user code, e.g. `at <eval> (script:3:5)`. */
const SCRIPT_FILE = 'script';
const SCRIPT_POSITION = /\bscript:(\d+):(\d+)/;
/** `BpmnError`, `org.camunda...BpmnError` and `Java.type(...)` are compiled only for scripts that name them. */
const MENTIONS_BPMN_ERROR = /BpmnError|Java/;
/** Extra heap granted after a failure so that the error itself can still be read. */
const DESCRIBE_HEADROOM_BYTES = 1024 * 1024;

export type Settings = Required<ScriptLimits>;

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A host function callable from the sandbox. */
export interface HostMethod {
  name: string;
  /** For messages, e.g. `execution.setVariable`. */
  label: string;
  call(args: unknown[]): unknown;
  /** Skip converting the arguments (the no-op console). */
  ignoresArguments?: boolean;
}

/**
 * The values a run starts with: JSON text, with top-level Dates apart so that
 * the common case (a date variable) needs no codec compiled in the sandbox.
 */
export interface EncodedValues {
  text: string;
  dates: Array<[name: string, epochMs: number]>;
}

/** What a run exposes besides the plain values. */
export interface HostPlan {
  objects: Array<{ name: string; methods: HostMethod[] }>;
  functions: HostMethod[];
}

/** A sandbox exception met while the host was converting values; it unwinds to the script or the run. */
class SandboxThrow {
  constructor(readonly handle: QuickJSHandle) {}
}

/**
 * One script run inside a fresh QuickJS context. Every handle it creates is
 * kept and disposed at the end of `run`; a leaked handle would keep the
 * runtime from being freed.
 */
export class SandboxRun {
  private readonly handles: QuickJSHandle[] = [];
  /** Errors thrown by host methods, each with a handle to the sandbox error that stood for it. */
  private readonly hostErrors: Array<{ handle: QuickJSHandle; error: unknown }> = [];
  private codec: { encode: QuickJSHandle; decode: QuickJSHandle } | undefined;
  /** Marks BpmnError instances; exists when the script mentions BpmnError. */
  private bpmnErrorBrand: QuickJSHandle | undefined;
  // Builtins captured before user code runs, so the script cannot swap them under the host.
  private jsonParse!: QuickJSHandle;
  private errorConstructor!: QuickJSHandle;
  private dateConstructor!: QuickJSHandle;
  private dateGetTime!: QuickJSHandle;
  private reflectConstruct!: QuickJSHandle;

  constructor(
    private readonly runtime: QuickJSRuntime,
    private readonly context: QuickJSContext,
    private readonly settings: Settings,
    private readonly isTimedOut: () => boolean,
  ) {}

  /** Throws only if the sandbox itself broke; handles are then left to the dropped module. */
  run(source: string, values: EncodedValues, host: HostPlan): Outcome {
    const outcome = this.evaluate(source, values, host);
    for (const handle of this.handles) if (handle.alive) handle.dispose();
    return outcome;
  }

  private evaluate(source: string, values: EncodedValues, host: HostPlan): Outcome {
    try {
      this.setup(source, values, host);
      const evaluated = this.context.evalCode(source, SCRIPT_FILE, { type: 'global' });
      if (evaluated.error) return this.failure(this.keep(evaluated.error));
      return { ok: true, value: this.fromSandbox(this.keep(evaluated.value)) ?? null };
    } catch (thrown) {
      if (thrown instanceof SandboxThrow) return this.failure(thrown.handle);
      throw thrown;
    }
  }

  private keep<T extends QuickJSHandle>(handle: T): T {
    this.handles.push(handle);
    return handle;
  }

  private unwrap(result: { error?: QuickJSHandle; value?: QuickJSHandle }): QuickJSHandle {
    if (result.error) throw new SandboxThrow(this.keep(result.error));
    return this.keep(result.value!);
  }

  private global(path: string[]): QuickJSHandle {
    let handle = this.context.global;
    for (const key of path) handle = this.keep(this.context.getProp(handle, key));
    return handle;
  }

  private setup(source: string, values: EncodedValues, host: HostPlan): void {
    const { context } = this;
    this.jsonParse = this.global(['JSON', 'parse']);
    this.errorConstructor = this.global(['Error']);
    this.dateConstructor = this.global(['Date']);
    this.dateGetTime = this.global(['Date', 'prototype', 'getTime']);
    this.reflectConstruct = this.global(['Reflect', 'construct']);

    // Precedence, lowest first: builtins, values, host objects.
    if (MENTIONS_BPMN_ERROR.test(source)) {
      this.bpmnErrorBrand = this.keep(context.newUniqueSymbol('BpmnError'));
      const install = this.unwrap(context.evalCode(BPMN_ERROR_SOURCE, 'cadenza-bpmn-error', { type: 'global', strict: true }));
      this.unwrap(context.callFunction(install, context.undefined, this.bpmnErrorBrand));
    }
    for (const fn of host.functions) context.setProp(context.global, fn.name, this.hostFunction(fn));
    if (values.text !== '') {
      const decoded = this.decode(values.text);
      this.unwrap(context.callFunction(this.global(['Object', 'assign']), context.undefined, context.global, decoded));
    }
    for (const [name, epochMs] of values.dates) context.setProp(context.global, name, this.newDate(epochMs));
    for (const object of host.objects) {
      const target = this.keep(context.newObject());
      for (const method of object.methods) context.setProp(target, method.name, this.hostFunction(method));
      context.setProp(context.global, object.name, target);
    }
  }

  private hostFunction(method: HostMethod): QuickJSHandle {
    return this.keep(
      this.context.newFunction(method.name, (...argHandles) => {
        let args: unknown[] = [];
        try {
          if (!method.ignoresArguments) args = argHandles.map((handle) => this.fromSandbox(handle));
        } catch (thrown) {
          if (thrown instanceof SandboxThrow) return { error: thrown.handle };
          throw thrown;
        }
        let result: unknown;
        try {
          result = method.call(args);
          if (isPromiseLike(result)) {
            // Nobody will await it; keep a later rejection from going unhandled.
            Promise.resolve(result).catch(() => undefined);
            throw new ScriptError(`${method.label} returned a Promise; methods called from scripts must return synchronously`);
          }
        } catch (error) {
          return { error: this.hostError(error) };
        }
        try {
          return this.toSandbox(result);
        } catch (thrown) {
          if (thrown instanceof SandboxThrow) return { error: thrown.handle };
          return { error: this.hostError(new ScriptError(`${method.label} returned a value scripts cannot receive: ${messageOf(thrown)}`, { cause: thrown })) };
        }
      }),
    );
  }

  /** A sandbox Error standing for a host error; remembered so that the host error itself can be rethrown if it escapes. */
  private hostError(error: unknown): QuickJSHandle {
    const { context } = this;
    const created = context.callFunction(this.errorConstructor, context.undefined, this.keep(context.newString(messageOf(error))));
    if (created.error) return this.keep(created.error);
    const handle = this.keep(created.value);
    context.defineProp(handle, 'name', { value: this.keep(context.newString(nameOf(error))), configurable: true });
    const code = codeOf(error);
    if (code !== undefined) {
      const codeHandle = typeof code === 'number' ? context.newNumber(code) : context.newString(code);
      context.defineProp(handle, 'code', { value: this.keep(codeHandle), configurable: true, enumerable: true });
    }
    this.hostErrors.push({ handle: this.keep(handle.dup()), error });
    return handle;
  }

  private ensureCodec(): { encode: QuickJSHandle; decode: QuickJSHandle } {
    if (!this.codec) {
      const pair = this.unwrap(this.context.evalCode(CODEC_SOURCE, 'cadenza-codec', { type: 'global', strict: true }));
      this.codec = { encode: this.keep(this.context.getProp(pair, 0)), decode: this.keep(this.context.getProp(pair, 1)) };
    }
    return this.codec;
  }

  /** Parses host-encoded text in the sandbox; the codec is compiled only when Dates or NUL-led strings are involved. */
  private decode(text: string): QuickJSHandle {
    const parse = text.includes('\\u0000') ? this.ensureCodec().decode : this.jsonParse;
    return this.unwrap(this.context.callFunction(parse, this.context.undefined, this.keep(this.context.newString(text))));
  }

  private newDate(epochMs: number): QuickJSHandle {
    const { context } = this;
    const args = this.keep(context.newArray());
    context.setProp(args, 0, this.keep(context.newNumber(epochMs)));
    return this.unwrap(context.callFunction(this.reflectConstruct, context.undefined, this.dateConstructor, args));
  }

  /** The time of a sandbox Date, or undefined for anything else. */
  private dateTime(handle: QuickJSHandle): number | undefined {
    const { context } = this;
    const time = context.callFunction(this.dateGetTime, handle);
    if (time.error) {
      time.error.dispose();
      return undefined;
    }
    const epochMs = context.getNumber(this.keep(time.value));
    return epochMs;
  }

  private toSandbox(value: unknown): QuickJSHandle {
    const { context } = this;
    switch (typeof value) {
      case 'undefined':
        return context.undefined;
      case 'boolean':
        return value ? context.true : context.false;
      case 'number':
        return this.keep(context.newNumber(value));
      case 'bigint':
        return this.keep(context.newNumber(Number(value)));
      case 'string':
        return this.keep(context.newString(value));
      case 'object': {
        if (value === null) return context.null;
        if (value instanceof Date) return this.newDate(value.getTime());
        const text = encodeValue(value);
        return text === '' ? context.undefined : this.decode(text);
      }
      default:
        // Functions and symbols do not survive JSON either.
        return context.undefined;
    }
  }

  private fromSandbox(handle: QuickJSHandle): unknown {
    const { context } = this;
    switch (context.typeof(handle)) {
      case 'undefined':
        return undefined;
      case 'boolean':
        return context.sameValue(handle, context.true);
      case 'number':
        return context.getNumber(handle);
      case 'string':
        return context.getString(handle);
      case 'bigint':
        return Number(context.getBigInt(handle));
      case 'object': {
        if (context.sameValue(handle, context.null)) return null;
        const epochMs = this.dateTime(handle);
        if (epochMs !== undefined) return new Date(epochMs);
        const encoded = this.unwrap(context.callFunction(this.ensureCodec().encode, context.undefined, handle));
        if (context.typeof(encoded) !== 'string') throw new SandboxThrow(this.keep(context.newError('The value could not be encoded')));
        try {
          return decodeValue(context.getString(encoded));
        } catch (error) {
          throw new SandboxThrow(this.keep(context.newError(`The value could not be decoded: ${messageOf(error)}`)));
        }
      }
      default:
        return undefined;
    }
  }

  private failure(thrown: QuickJSHandle): Outcome {
    if (this.isTimedOut()) return this.timeLimit();
    this.runtime.setMemoryLimit(this.settings.memoryBytes + DESCRIBE_HEADROOM_BYTES);
    const fromHost = this.hostErrors.find((entry) => this.context.sameValue(entry.handle, thrown));
    // Business errors and optimistic-lock conflicts keep their identity: the
    // engine reacts to them (error events, command retry), not to a script failure.
    const code = fromHost ? codeOf(fromHost.error) : undefined;
    if (fromHost && (code === 'BPMN_ERROR' || code === 'CONFLICT')) return { ok: false, error: fromHost.error };

    const described = this.describe(thrown);
    if (!described) {
      if (this.isTimedOut()) return this.timeLimit();
      if (fromHost) return { ok: false, error: this.hostFailure(fromHost.error, '') };
      return { ok: false, error: new ScriptError('Script failed with an exception that could not be inspected') };
    }
    const [kind, first, second, stack = ''] = described;
    if (fromHost) return { ok: false, error: this.hostFailure(fromHost.error, stack) };
    if (kind === 'bpmn') return { ok: false, error: new BpmnError(first ?? '', second) };
    if (kind === 'value') return { ok: false, error: new ScriptError(`Script threw ${first}${position(stack)}`) };
    const { settings } = this;
    if (first === 'InternalError' && second === 'out of memory') return memoryLimit(settings);
    if (first === 'InternalError' && second === 'stack overflow') {
      return { ok: false, error: new ScriptError(`Script exceeded its stack limit of ${settings.stackBytes} bytes (InternalError: stack overflow)${position(stack)}`) };
    }
    return { ok: false, error: new ScriptError(`${first}: ${second}${position(stack)}`) };
  }

  private timeLimit(): Outcome {
    return { ok: false, error: new ScriptError(`Script exceeded its time limit of ${this.settings.timeoutMs} ms`) };
  }

  private hostFailure(error: unknown, stack: string): ScriptError {
    return new ScriptError(`${nameOf(error)}: ${messageOf(error)}${position(stack)}`, { cause: error });
  }

  /** `[kind, ...strings]` from DESCRIBE_SOURCE, or undefined if the sandbox could not say. */
  private describe(thrown: QuickJSHandle): Array<string | undefined> | undefined {
    const { context } = this;
    try {
      const describe = this.unwrap(context.evalCode(DESCRIBE_SOURCE, 'cadenza-describe', { type: 'global', strict: true }));
      const array = this.unwrap(context.callFunction(describe, context.undefined, thrown, this.bpmnErrorBrand ?? context.undefined));
      const parts: Array<string | undefined> = [];
      for (let index = 0; index < 4; index++) {
        const part = this.keep(context.getProp(array, index));
        parts.push(context.typeof(part) === 'string' ? context.getString(part) : undefined);
      }
      return parts;
    } catch (failure) {
      if (failure instanceof SandboxThrow) return undefined;
      throw failure;
    }
  }
}

export function memoryLimit(settings: Settings): Outcome {
  return { ok: false, error: new ScriptError(`Script exceeded its memory limit of ${settings.memoryBytes} bytes`) };
}

/** ` (line 3, column 5)` for the innermost frame in the user's script, if any. */
function position(stack: string): string {
  const match = SCRIPT_POSITION.exec(stack);
  return match ? ` (line ${match[1]}, column ${match[2]})` : '';
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string | number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}
