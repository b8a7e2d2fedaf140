import type { AppConfig } from '../../config/schema.js';

/** What the camunda adapter needs, from the validated application configuration (config/schema.ts). */
export interface CamundaSettings {
  restAddress: string;
  authStrategy: 'NONE' | 'OAUTH' | 'BASIC';
  clientId?: string;
  clientSecret?: string;
  oauthUrl?: string;
  tokenAudience?: string;
  basicUsername?: string;
  basicPassword?: string;
  /** add execution and user task listeners at deploy (default true); false: worker records and polling only */
  historyListeners: boolean;
  /** long-poll timeout of job activation in ms (default 10 s, the gateway's own default) */
  longPollMs?: number;
  /** listeners off: how often the task inbox fallback polls the user-task search (default 2 s) */
  taskPollIntervalMs?: number;
  /** how long reads from secondary storage (incident, definition XML) wait to become visible (default 10 s) */
  eventualWaitMs?: number;
  /** background failures (workers, listeners); default: written to stderr */
  onError?: (err: unknown) => void;
}

export function settingsFrom(config: AppConfig): CamundaSettings {
  if (!config.CAMUNDA_REST_ADDRESS) throw new Error('CAMUNDA_REST_ADDRESS is required with ENGINE=camunda');
  const s: CamundaSettings = {
    restAddress: config.CAMUNDA_REST_ADDRESS,
    authStrategy: config.CAMUNDA_AUTH_STRATEGY,
    historyListeners: config.CAMUNDA_HISTORY_LISTENERS,
  };
  if (config.CAMUNDA_CLIENT_ID) s.clientId = config.CAMUNDA_CLIENT_ID;
  if (config.CAMUNDA_CLIENT_SECRET) s.clientSecret = config.CAMUNDA_CLIENT_SECRET;
  if (config.CAMUNDA_OAUTH_URL) s.oauthUrl = config.CAMUNDA_OAUTH_URL;
  if (config.CAMUNDA_TOKEN_AUDIENCE) s.tokenAudience = config.CAMUNDA_TOKEN_AUDIENCE;
  if (config.CAMUNDA_BASIC_AUTH_USERNAME) s.basicUsername = config.CAMUNDA_BASIC_AUTH_USERNAME;
  if (config.CAMUNDA_BASIC_AUTH_PASSWORD) s.basicPassword = config.CAMUNDA_BASIC_AUTH_PASSWORD;
  return s;
}

/**
 * The client's own configuration keys. It reads the same CAMUNDA_* names from the environment; passing
 * them explicitly makes the validated values win. Its tuning variables (CAMUNDA_SDK_*, mTLS, token cache)
 * are still read by the client from the environment.
 */
export function clientConfig(s: CamundaSettings): Record<string, string | number> {
  const c: Record<string, string | number> = {
    CAMUNDA_REST_ADDRESS: s.restAddress,
    CAMUNDA_AUTH_STRATEGY: s.authStrategy,
  };
  if (s.clientId) c['CAMUNDA_CLIENT_ID'] = s.clientId;
  if (s.clientSecret) c['CAMUNDA_CLIENT_SECRET'] = s.clientSecret;
  if (s.oauthUrl) c['CAMUNDA_OAUTH_URL'] = s.oauthUrl;
  if (s.tokenAudience) c['CAMUNDA_TOKEN_AUDIENCE'] = s.tokenAudience;
  if (s.basicUsername) c['CAMUNDA_BASIC_AUTH_USERNAME'] = s.basicUsername;
  if (s.basicPassword) c['CAMUNDA_BASIC_AUTH_PASSWORD'] = s.basicPassword;
  return c;
}
