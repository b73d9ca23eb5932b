/** The contract between the engine and whatever runs BPMN scripts. */

/** Resource limits for one script run. */
export interface ScriptLimits {
  /** Wall-clock budget for the run, host calls included. Default 1000 ms. */
  timeoutMs?: number;
  /**
   * Heap the script may use, its QuickJS runtime included (about 0.3 MiB).
   * Enforced on the WebAssembly heap, which grows in steps of up to 20 %, so
   * a script may be stopped somewhat before reaching it. Minimum 1 MiB.
   * Default 32 MiB.
   */
  memoryBytes?: number;
  /**
   * Interpreter stack. Default 128 KiB, about 680 nested JavaScript calls;
   * at most 1 MiB. The interpreter's frames also use Node's own stack (about
   * 1.9 bytes per byte of this limit, plus ~250 KB for any run), so a large
   * value called from deep host code can exhaust Node's stack first: that run
   * fails with a ScriptError and the next run gets a fresh sandbox.
   */
  stackBytes?: number;
}

/** Console levels a script can log at (`print(...)` logs at `log`). */
export type ScriptLogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';

/** Receives `console.*` output of scripts; arguments are already formatted into one line. */
export type ScriptLogger = (level: ScriptLogLevel, message: string) => void;

export interface ScriptRunnerOptions extends ScriptLimits {
  /** Where `console.log` and friends go. Default: discarded. */
  log?: ScriptLogger;
}

/**
 * A host object exposed in the sandbox: each method callable from the script
 * synchronously. Arguments/results cross as JSON-compatible values (plus
 * Date → Date). Methods on the prototype chain (class instances) count too;
 * `this` is the host object. A method must not return a Promise.
 */
export type HostObject = Record<string, (...args: unknown[]) => unknown>;

export interface ScriptBindings {
  /**
   * Globals: plain values (JSON-compatible + Date), e.g. the process
   * variables visible at the execution. They are copies: assigning to such a
   * global in the script changes nothing outside it. As in Camunda, only
   * `execution.setVariable(...)` persists a variable.
   */
  values: Record<string, unknown>;
  /**
   * Globals that are objects with methods, e.g. `execution` with
   * getVariable/setVariable/getProcessInstanceId..., `task`. They win over a
   * value of the same name.
   */
  objects: Record<string, HostObject>;
}

export interface ScriptRunner {
  /**
   * Runs source as global code in a fresh sandbox; resolves to the value of
   * the last expression statement (Camunda's script result) converted to a
   * host value: JSON-compatible data and Date, `undefined` as null.
   *
   * Rejects with BpmnError for `throw new BpmnError(code, message?)`, with
   * the host's own error when a host method threw one whose code is
   * BPMN_ERROR or CONFLICT and the script let it escape, and with ScriptError
   * for everything else (syntax, runtime, time, memory and stack failures).
   */
  run(source: string, bindings: ScriptBindings, limits?: ScriptLimits): Promise<unknown>;
  close(): void;
}
