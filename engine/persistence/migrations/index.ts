import type { MigrationInterface } from 'typeorm';
import { Initial0001 } from './0001-initial.js';

/** Every migration, oldest first. Append; never edit or reorder a released one. */
export const migrations: (new () => MigrationInterface)[] = [Initial0001];
