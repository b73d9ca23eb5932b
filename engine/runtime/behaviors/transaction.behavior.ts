import { SubProcessBehavior } from './sub-process.behavior.js';

/**
 * Transaction subprocess: runs as an embedded subprocess. What sets it apart
 * lives elsewhere: a cancel end event inside it compensates it and leaves
 * through its cancel boundary event (cancel-end-event.behavior.ts); completed,
 * it stays compensable like any subprocess.
 */
export class TransactionBehavior extends SubProcessBehavior {}
