import type { MigrationInterface } from 'typeorm';
import { Initial0001 } from './0001-initial.js';
import { LeanIndexes0002 } from './0002-lean-indexes.js';
import { Jobs0003 } from './0003-jobs.js';
import { ExternalTasks0004 } from './0004-external-tasks.js';
import { ClusteredHistory0005 } from './0005-clustered-history.js';
import { MessageBuffer0006 } from './0006-message-buffer.js';
import { ActivityHistoryRowid0007 } from './0007-activity-history-rowid.js';
import { IncidentHistory0008 } from './0008-incident-history.js';
import { JobDefinitionSuspension0009 } from './0009-job-definition-suspension.js';
import { JobLog0010 } from './0010-job-log.js';

/** Every migration, oldest first. Append; never edit or reorder a released one. */
export const migrations: (new () => MigrationInterface)[] = [Initial0001, LeanIndexes0002, Jobs0003, ExternalTasks0004, ClusteredHistory0005, MessageBuffer0006, ActivityHistoryRowid0007, IncidentHistory0008, JobDefinitionSuspension0009, JobLog0010];
