/**
 * Runs the JavaScript of BPMN script tasks, execution and task listeners,
 * input/output mapping scripts and conditions in a QuickJS sandbox compiled to
 * WebAssembly: no `require`, `process`, `fetch` or file system; every run gets
 * a fresh context with its own time, memory and stack limits.
 *
 * Camunda 7 semantics kept here:
 * - the result is the completion value of the script (its last expression statement);
 * - process variables arrive as plain globals; assigning to one does not
 *   change the variable — only `execution.setVariable(...)` persists;
 * - `throw new BpmnError('CODE', 'message')` (also spelled
 *   `org.camunda.bpm.engine.delegate.BpmnError` or obtained through
 *   `Java.type('org.camunda.bpm.engine.delegate.BpmnError')`) becomes the
 *   engine's BpmnError.
 */
import { QuickJsScriptRunner } from './quickjs-script-runner.js';
import type { ScriptRunner, ScriptRunnerOptions } from './script-runner.js';

export type {
  HostObject,
  ScriptBindings,
  ScriptLimits,
  ScriptLogger,
  ScriptLogLevel,
  ScriptRunner,
  ScriptRunnerOptions,
} from './script-runner.js';

/** `scriptFormat` values (compared case-insensitively) that this module runs. */
export const JAVASCRIPT_FORMATS: readonly string[] = Object.freeze(['javascript', 'ecmascript', 'js']);

/** True if a BPMN `scriptFormat` (e.g. `JavaScript`) names JavaScript. */
export function isJavaScriptFormat(format: string): boolean {
  return JAVASCRIPT_FORMATS.includes(format.trim().toLowerCase());
}

/**
 * Loads the QuickJS WebAssembly module (about 70 ms) and returns a runner
 * that reuses it for every run. `defaults` apply to runs that do not pass
 * their own limits; invalid limits throw a RangeError. See README.md.
 */
export async function createScriptRunner(defaults?: ScriptRunnerOptions): Promise<ScriptRunner> {
  return QuickJsScriptRunner.create(defaults);
}
