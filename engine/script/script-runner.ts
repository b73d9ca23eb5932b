/** The contract between the engine and whatever runs BPMN scripts. */

/** Resource limits for one script run. */
export interface ScriptLimits {
  /** Wall-clock budget for the run, host calls included. Default 1000 ms. */
  timeoutMs?: number;
  /**
   * Heap of the sandbox, builtins included (a fresh context takes about
   * 0.3 MiB of it). Minimum 1 MiB. Default 32 MiB.
   */
  memoryBytes?: number;
  /**
   * Interpreter stack. Default 256 KiB, about 1,300 nested JavaScript calls.
   * The interpreter's native frames live on the host's stack too, so values
   * far above 512 KiB can exhaust Node's stack first; that run then fails with
   * a ScriptError and the sandbox is reloaded for the next run.
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
