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
    ENGINE: { type: 'string', enum: ['embedded', 'camunda'], default: 'embedded', description: 'workflow engine: embedded or camunda (a Camunda 8.8 cluster)' },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    DEMO_DATA: { type: 'boolean', default: true, description: 'load the demo district on first start' },
    DEMO_PASSWORD: { type: 'string', minLength: 8, default: 'Demo@2026', description: 'password of the demo accounts' },
    NOTIFY_WEBHOOK_URL: {
      type: 'string',
      pattern: '^https?://.+',
      description: 'SMS / WeChat gateway webhook for notifications; unset: notifications are written to the log',
    },
    OPEN311_JURISDICTION_ID: {
      type: 'string',
      pattern: '^[A-Za-z0-9._-]{1,64}$',
      description: 'Open311 jurisdiction_id of this server (e.g. zhanyi.qujing.gov.cn); set, a request naming another jurisdiction_id is refused',
    },
    MAP_TILE_URL: {
      type: 'string',
      pattern: '^https?://[^\\s]+\\{z\\}[^\\s]*$',
      description: 'map tile URL template with {z}/{x}/{y} for the command-centre map; unset: the map draws the grid polygons only (works offline)',
    },
    AI_MIN_CONFIDENCE: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.6,
      description: 'AI-camera events below this confidence are refused (low_confidence)',
    },
    CLASSIFY_MIN_CONFIDENCE: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.6,
      description: 'a report whose calibrated classification confidence is below this goes to a person in 受理; at or above it is filed by itself',
    },
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
    HISTORY_RETENTION_DAYS: {
      type: 'integer',
      minimum: 0,
      maximum: 3650,
      default: 30,
      description:
        "days the embedded engine keeps a finished case's instances before the nightly prune deletes them (the case history and audit log stay); 0: keep for ever",
    },
    // ── ENGINE=camunda: the names are the ones @camunda8/orchestration-cluster-api reads ──
    CAMUNDA_REST_ADDRESS: {
      type: 'string',
      pattern: '^https?://[^\\s]+$',
      description: 'Orchestration Cluster REST address, e.g. http://camunda:8080',
    },
    CAMUNDA_AUTH_STRATEGY: { type: 'string', enum: ['NONE', 'OAUTH', 'BASIC'], default: 'NONE', description: 'how the client authenticates to the cluster' },
    CAMUNDA_CLIENT_ID: { type: 'string', minLength: 1, description: 'OAuth client id (CAMUNDA_AUTH_STRATEGY=OAUTH)' },
    CAMUNDA_CLIENT_SECRET: { type: 'string', minLength: 1, description: 'OAuth client secret (CAMUNDA_AUTH_STRATEGY=OAUTH)' },
    CAMUNDA_OAUTH_URL: { type: 'string', pattern: '^https?://[^\\s]+$', description: 'OAuth token endpoint (the client defaults to Camunda SaaS)' },
    CAMUNDA_TOKEN_AUDIENCE: { type: 'string', minLength: 1, description: 'OAuth token audience (the client defaults to zeebe.camunda.io)' },
    CAMUNDA_BASIC_AUTH_USERNAME: { type: 'string', minLength: 1, description: 'basic-auth user (CAMUNDA_AUTH_STRATEGY=BASIC)' },
    CAMUNDA_BASIC_AUTH_PASSWORD: { type: 'string', minLength: 1, description: 'basic-auth password (CAMUNDA_AUTH_STRATEGY=BASIC)' },
    CAMUNDA_HISTORY_LISTENERS: {
      type: 'boolean',
      default: true,
      description: 'deploy with execution and user-task listeners that feed history and the task inbox (false: workers and polling only)',
    },
  },
  allOf: [
    { if: { properties: { ENGINE: { const: 'camunda' } }, required: ['ENGINE'] }, then: { required: ['CAMUNDA_REST_ADDRESS'] } },
    {
      if: { properties: { ENGINE: { const: 'camunda' }, CAMUNDA_AUTH_STRATEGY: { const: 'OAUTH' } }, required: ['ENGINE', 'CAMUNDA_AUTH_STRATEGY'] },
      then: { required: ['CAMUNDA_CLIENT_ID', 'CAMUNDA_CLIENT_SECRET'] },
    },
    {
      if: { properties: { ENGINE: { const: 'camunda' }, CAMUNDA_AUTH_STRATEGY: { const: 'BASIC' } }, required: ['ENGINE', 'CAMUNDA_AUTH_STRATEGY'] },
      then: { required: ['CAMUNDA_BASIC_AUTH_USERNAME', 'CAMUNDA_BASIC_AUTH_PASSWORD'] },
    },
  ],
} as const;

export interface AppConfig {
  PORT: number;
  HOST: string;
  DATABASE_URL: string;
  DATA_DIR: string;
  ENGINE: 'embedded' | 'camunda';
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  DEMO_DATA: boolean;
  DEMO_PASSWORD: string;
  NOTIFY_WEBHOOK_URL?: string;
  OPEN311_JURISDICTION_ID?: string;
  MAP_TILE_URL?: string;
  AI_MIN_CONFIDENCE: number;
  CLASSIFY_MIN_CONFIDENCE: number;
  WORKING_HOURS: string;
  CALENDAR_UTC_OFFSET_MINUTES: number;
  HISTORY_RETENTION_DAYS: number;
  CAMUNDA_REST_ADDRESS?: string;
  CAMUNDA_AUTH_STRATEGY: 'NONE' | 'OAUTH' | 'BASIC';
  CAMUNDA_CLIENT_ID?: string;
  CAMUNDA_CLIENT_SECRET?: string;
  CAMUNDA_OAUTH_URL?: string;
  CAMUNDA_TOKEN_AUDIENCE?: string;
  CAMUNDA_BASIC_AUTH_USERNAME?: string;
  CAMUNDA_BASIC_AUTH_PASSWORD?: string;
  CAMUNDA_HISTORY_LISTENERS: boolean;
}
