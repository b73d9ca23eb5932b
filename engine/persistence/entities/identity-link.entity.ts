import { EntitySchema } from 'typeorm';

/** A task's candidate user or group (Camunda's IdentityLink of type 'candidate'). */
export interface IdentityLinkRecord {
  id: number;
  taskId: string;
  type: 'candidate';
  userId: string | null;
  groupId: string | null;
}

export const IdentityLinkEntity = new EntitySchema<IdentityLinkRecord>({
  name: 'IdentityLink',
  tableName: 'cf_identity_link',
  columns: {
    id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
    taskId: { name: 'task_id', type: 'text' },
    type: { name: 'link_type', type: 'text' },
    userId: { name: 'user_id', type: 'text', nullable: true },
    groupId: { name: 'group_id', type: 'text', nullable: true },
  },
  indices: [
    { name: 'cf_idx_identity_link_task', columns: ['taskId'] },
    { name: 'cf_idx_identity_link_group', columns: ['groupId'], where: 'group_id IS NOT NULL' },
    { name: 'cf_idx_identity_link_user', columns: ['userId'], where: 'user_id IS NOT NULL' },
  ],
});
