/**
 * Collects every problem of one resource (validation never stops at the
 * first), locating each by element id when no position is given.
 */
import type { ModelProblem } from '../errors.js';
import type { SourceLocation } from './graph.js';
import type { LocationIndex } from './locations.js';

export interface ProblemSink {
  error(message: string, elementId?: string, at?: SourceLocation): void;
  warning(message: string, elementId?: string, at?: SourceLocation): void;
}

export class ProblemList implements ProblemSink {
  readonly problems: ModelProblem[] = [];

  constructor(
    private readonly resource: string,
    private readonly locations?: LocationIndex,
  ) {}

  error(message: string, elementId?: string, at?: SourceLocation): void {
    this.add('error', message, elementId, at);
  }

  warning(message: string, elementId?: string, at?: SourceLocation): void {
    this.add('warning', message, elementId, at);
  }

  private add(severity: ModelProblem['severity'], message: string, elementId?: string, at?: SourceLocation): void {
    const problem: ModelProblem = { severity, message, resource: this.resource };
    if (elementId !== undefined) problem.elementId = elementId;
    const where = at ?? (elementId === undefined ? undefined : this.locations?.byId(elementId));
    if (where) {
      problem.line = where.line;
      problem.column = where.column;
    }
    this.problems.push(problem);
  }
}

/**
 * A sink that drops everything: Camunda 7 does not parse processes marked
 * `isExecutable="false"`, so their content cannot fail a deployment.
 */
export const IGNORED_PROBLEMS: ProblemSink = {
  error() {},
  warning() {},
};
