/**
 * Every setting the system reads, as a JSON Schema over the environment variables.
 * One place so the README, the config loader and docker-compose can agree on names.
 */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000, description: 'HTTP port (0: any free port)' },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0', description: 'interface to listen on' },
    DATABASE_URL: {
      type: 'string',
      pattern: '^(sqlite:.+|(mysql|mariadb)://.+)$',
      default: 'sqlite:./data/ywtg.sqlite',
      description: 'sqlite:<file> (default) or mysql://user:pass@host:3306/db',
    },
    DATA_DIR: { type: 'string', minLength: 1, default: './data', description: 'uploads and the SQLite file' },
    ENGINE: { type: 'string', enum: ['embedded'], default: 'embedded', description: 'workflow engine' },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    DEMO_DATA: { type: 'boolean', default: true, description: 'load the demo district on first start' },
    DEMO_PASSWORD: { type: 'string', minLength: 8, default: 'Demo@2026', description: 'password of the demo accounts' },
    WORKING_HOURS: {
      type: 'string',
      pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}(,\\d{2}:\\d{2}-\\d{2}:\\d{2})*$',
      default: '08:30-12:00,14:30-18:00',
      description: 'working periods of a working day, local time',
    },
    CALENDAR_UTC_OFFSET_MINUTES: {
      type: 'integer',
      minimum: -720,
      maximum: 840,
      default: 480,
      description: 'UTC offset of the local calendar (China: 480)',
    },
  },
} as const;

export interface AppConfig {
  PORT: number;
  HOST: string;
  DATABASE_URL: string;
  DATA_DIR: string;
  ENGINE: 'embedded';
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  DEMO_DATA: boolean;
  DEMO_PASSWORD: string;
  WORKING_HOURS: string;
  CALENDAR_UTC_OFFSET_MINUTES: number;
}
