import type { MigrationFn } from '../migrator.js';

/**
 * A case's history lists its notifications (domain/history): without an index on `case_id` that read
 * scanned the whole outbox, which holds every reminder, digest and reply ever queued (issue 12).
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.addIndex('notification_outbox', ['case_id', 'id'], { name: 'notification_outbox_case_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  // MySQL may have dropped the index it made for the case_id foreign key once this one could serve it, and
  // then will not drop this one while the key needs it: give the key an index of its own back first
  if (qi.sequelize.getDialect() === 'mysql') {
    const indexes = (await qi.showIndex('notification_outbox')) as Array<{ name: string; fields: Array<{ attribute: string }> }>;
    const other = indexes.some((i) => i.name !== 'notification_outbox_case_idx' && i.fields[0]?.attribute === 'case_id');
    if (!other) await qi.addIndex('notification_outbox', ['case_id'], { name: 'notification_outbox_case_id_idx' });
  }
  await qi.removeIndex('notification_outbox', 'notification_outbox_case_idx');
};
