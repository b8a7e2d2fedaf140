import type { MigrationFn } from '../migrator.js';

/**
 * A case's history lists its notifications (domain/history): without an index on `case_id` that read
 * scanned the whole outbox, which holds every reminder, digest and reply ever queued (issue 12).
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.addIndex('notification_outbox', ['case_id', 'id'], { name: 'notification_outbox_case_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  // MySQL dropped the index it had made for the case_id foreign key once this one could serve it, and will
  // not drop this one while the key needs it: give the key its own index back first
  if (qi.sequelize.getDialect() === 'mysql') await qi.addIndex('notification_outbox', ['case_id'], { name: 'notification_outbox_case_id_fk' });
  await qi.removeIndex('notification_outbox', 'notification_outbox_case_idx');
};
