import { sql } from 'kysely';
import type { MigrationFn } from '../migrator.js';

/**
 * A case's history lists its notifications (domain/history): without an index on `case_id` that read
 * scanned the whole outbox, which holds every reminder, digest and reply ever queued (issue 12).
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['CREATE INDEX `notification_outbox_case_idx` ON `notification_outbox` (`case_id`, `id`)'],
    mysql: ['ALTER TABLE `notification_outbox` ADD INDEX `notification_outbox_case_idx` (`case_id`, `id`)'],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  // MySQL may have dropped the index it made for the case_id foreign key once this one could serve it, and
  // then will not drop this one while the key needs it: give the key an index of its own back first
  if (db.dialect === 'mysql') {
    const { rows } = await sql<{ name: string }>`SELECT index_name AS name FROM information_schema.statistics
      WHERE table_schema = DATABASE() AND table_name = 'notification_outbox' AND seq_in_index = 1 AND column_name = 'case_id'
        AND index_name <> 'notification_outbox_case_idx'`.execute(db.sql);
    if (!rows.length) await db.run({ sqlite: [], mysql: ['ALTER TABLE `notification_outbox` ADD INDEX `notification_outbox_case_id_idx` (`case_id`)'] });
  }
  await db.run({
    sqlite: ['DROP INDEX IF EXISTS `notification_outbox_case_idx`'],
    mysql: ['DROP INDEX `notification_outbox_case_idx` ON `notification_outbox`'],
  });
};
