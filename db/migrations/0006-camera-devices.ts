import type { MigrationFn } from '../migrator.js';

/**
 * AI cameras (issue 7):
 * - `camera_devices`: the registry — where a camera is (grid, coordinates, address), which event types its
 *   algorithms detect, whether it is enabled, and the SHA-256 of its API key (the key itself is shown once).
 * - `camera_events`: every accepted event, unique per device + eventId, so a re-sent event answers
 *   `duplicate` with the case it went to; the snapshot URL is kept here.
 * - `camera_cases`: device + event type → the case its events feed, with the repeat count; the repeat
 *   path looks the open case up here by (device_id, event_type_id) instead of searching `cases`.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `camera_devices` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `code` VARCHAR(32) NOT NULL, `name` VARCHAR(100) NOT NULL, `lat` DOUBLE PRECISION NOT NULL, `lng` DOUBLE PRECISION NOT NULL, `address` VARCHAR(255), `grid_id` INTEGER REFERENCES `grids` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE, `event_type_codes` TEXT NOT NULL, `enabled` TINYINT(1) NOT NULL DEFAULT 1, `api_key_hash` VARCHAR(64), `key_rotated_at` DATETIME, `last_seen_at` DATETIME, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `camera_devices_code_uq` ON `camera_devices` (`code`)',
      'CREATE TABLE IF NOT EXISTS `camera_cases` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `device_id` INTEGER NOT NULL REFERENCES `camera_devices` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, `event_type_id` INTEGER NOT NULL REFERENCES `event_types` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE, `case_id` BIGINT NOT NULL REFERENCES `cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, `repeat_count` INTEGER NOT NULL DEFAULT 0, `last_event_at` DATETIME NOT NULL, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL)',
      'CREATE INDEX `camera_cases_device_type_idx` ON `camera_cases` (`device_id`, `event_type_id`, `id`)',
      'CREATE INDEX `camera_cases_case_id_idx` ON `camera_cases` (`case_id`)',
      'CREATE TABLE IF NOT EXISTS `camera_events` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `device_id` INTEGER NOT NULL REFERENCES `camera_devices` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, `event_id` VARCHAR(64) NOT NULL, `event_type_id` INTEGER NOT NULL, `case_id` BIGINT NOT NULL REFERENCES `cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, `outcome` VARCHAR(16) NOT NULL, `confidence` DOUBLE PRECISION NOT NULL, `captured_at` DATETIME NOT NULL, `snapshot_url` VARCHAR(1024), `created_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `camera_events_device_event_uq` ON `camera_events` (`device_id`, `event_id`)',
      'CREATE INDEX `camera_events_case_id_idx` ON `camera_events` (`case_id`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `camera_devices` (`id` INTEGER NOT NULL auto_increment , `code` VARCHAR(32) NOT NULL, `name` VARCHAR(100) NOT NULL, `lat` DOUBLE PRECISION NOT NULL, `lng` DOUBLE PRECISION NOT NULL, `address` VARCHAR(255), `grid_id` INTEGER, `event_type_codes` TEXT NOT NULL, `enabled` TINYINT(1) NOT NULL DEFAULT true, `api_key_hash` VARCHAR(64), `key_rotated_at` DATETIME, `last_seen_at` DATETIME, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, PRIMARY KEY (`id`), FOREIGN KEY (`grid_id`) REFERENCES `grids` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE) ENGINE=InnoDB',
      'ALTER TABLE `camera_devices` ADD UNIQUE INDEX `camera_devices_code_uq` (`code`)',
      'CREATE TABLE IF NOT EXISTS `camera_cases` (`id` BIGINT NOT NULL auto_increment , `device_id` INTEGER NOT NULL, `event_type_id` INTEGER NOT NULL, `case_id` BIGINT NOT NULL, `repeat_count` INTEGER NOT NULL DEFAULT 0, `last_event_at` DATETIME NOT NULL, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, PRIMARY KEY (`id`), FOREIGN KEY (`device_id`) REFERENCES `camera_devices` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, FOREIGN KEY (`event_type_id`) REFERENCES `event_types` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE, FOREIGN KEY (`case_id`) REFERENCES `cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE) ENGINE=InnoDB',
      'ALTER TABLE `camera_cases` ADD INDEX `camera_cases_device_type_idx` (`device_id`, `event_type_id`, `id`)',
      'ALTER TABLE `camera_cases` ADD INDEX `camera_cases_case_id_idx` (`case_id`)',
      'CREATE TABLE IF NOT EXISTS `camera_events` (`id` BIGINT NOT NULL auto_increment , `device_id` INTEGER NOT NULL, `event_id` VARCHAR(64) NOT NULL, `event_type_id` INTEGER NOT NULL, `case_id` BIGINT NOT NULL, `outcome` VARCHAR(16) NOT NULL, `confidence` DOUBLE PRECISION NOT NULL, `captured_at` DATETIME NOT NULL, `snapshot_url` VARCHAR(1024), `created_at` DATETIME NOT NULL, PRIMARY KEY (`id`), FOREIGN KEY (`device_id`) REFERENCES `camera_devices` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, FOREIGN KEY (`case_id`) REFERENCES `cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE) ENGINE=InnoDB',
      'ALTER TABLE `camera_events` ADD UNIQUE INDEX `camera_events_device_event_uq` (`device_id`, `event_id`)',
      'ALTER TABLE `camera_events` ADD INDEX `camera_events_case_id_idx` (`case_id`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `camera_events`', 'DROP TABLE IF EXISTS `camera_cases`', 'DROP TABLE IF EXISTS `camera_devices`'],
    mysql: ['DROP TABLE IF EXISTS `camera_events`', 'DROP TABLE IF EXISTS `camera_cases`', 'DROP TABLE IF EXISTS `camera_devices`'],
  });
};
