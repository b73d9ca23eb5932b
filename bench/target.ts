/**
 * What the load drivers need from an engine under test.
 */
export interface BenchTarget {
  /** Runs one process instance to its end; for the user-task shapes that is start, find the tasks, complete them. */
  runOne(): Promise<void>;
  /**
   * How many instances the engine itself recorded as completed, read back from
   * the engine (history, or end events it emitted) rather than counted by the driver.
   */
  completed(): Promise<number>;
  close(): Promise<void>;
}

/** An engine with a job executor, for the 'jobs' shapes (bench/jobs-load.ts). */
export interface JobsTarget extends BenchTarget {
  /** Starts `count` instances with the job executor stopped: each waits at its first asynchronous continuation. */
  fill(count: number, concurrency: number): Promise<void>;
  /** Starts the job executor, resolves once no instance is left running, stops the executor. */
  drain(): Promise<void>;
  /** The executor settings, for the table. */
  readonly settings: string;
}
