/**
 * Buffered messages: the store contract of opt-in message buffering (see
 * ../messages/buffer.ts). Merged into `Store` (and the `Tables` map) like
 * job-store.ts. A row is written when a correlation matched nothing and is
 * deleted by the command that hands it to a subscription, or once it expired.
 */
import type { Page, Sorting } from './store.js';

export interface BufferedMessageRow {
  id: string;
  /**
   * Always 0. The consuming command deletes the row at this revision (an
   * optimistic lock, as on process instances), so when two commands take the
   * same message, one of them conflicts and the message is consumed once.
   */
  rev: number;
  messageName: string;
  businessKey: string | null;
  processInstanceId: string | null;
  /** JSON: process variables a receiving instance must have, `{ name: StoredValue }`; null when none. */
  correlationKeys: string | null;
  /** JSON: local variables the receiving execution must have; null when none. */
  localCorrelationKeys: string | null;
  /** JSON: variables set on the receiving instance (`processVariables` of the correlation); null when none. */
  variables: string | null;
  /** JSON: variables set locally on the receiving execution; null when none. */
  variablesLocal: string | null;
  /** Only instances of this tenant receive it. */
  tenantId: string | null;
  /** Only instances without a tenant receive it. */
  withoutTenantId: boolean;
  /** JSON array: only instances of these tenants receive it (those a tenant-bound caller may reach); null: any. */
  tenantIdIn: string | null;
  createTime: Date;
  /** Not delivered from this instant on. */
  expiresAt: Date;
}

export interface BufferedMessageFilter {
  id?: string;
  messageName?: string;
  messageNameIn?: string[];
  businessKey?: string;
  processInstanceId?: string;
  /** Not expired at this instant. */
  liveAt?: Date;
  /** Expired at this instant. */
  expiredAt?: Date;
  tenantIdIn?: string[];
}

export type BufferedMessageSortField = 'id' | 'createTime' | 'expiresAt';

export interface BufferedMessageTables {
  bufferedMessage: BufferedMessageRow;
}

export interface BufferedMessageStore {
  /** Oldest first unless sorted otherwise: buffered messages are handed out first in, first out. */
  findBufferedMessages(filter: BufferedMessageFilter, page?: Page, sort?: Sorting<BufferedMessageSortField>[]): Promise<BufferedMessageRow[]>;
  countBufferedMessages(filter: BufferedMessageFilter): Promise<number>;
}
