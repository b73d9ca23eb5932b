/**
 * What the load driver needs from an engine under test.
 */
export interface BenchTarget {
  /** Runs one process instance to its end; for the user-task shape that is start, find the task, complete it. */
  runOne(): Promise<void>;
  /**
   * How many instances the engine itself recorded as completed, read back from
   * the engine (history, or end events it emitted) rather than counted by the driver.
   */
  completed(): Promise<number>;
  close(): Promise<void>;
}
