import { Ajv } from 'ajv';
import { configSchema, type AppConfig } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true });
const validate = ajv.compile(configSchema);

/**
 * Reads the known variables from `env`, coerces and validates them.
 * Unknown variables are ignored (the environment holds far more than ours);
 * a known one with a bad value throws a ConfigError naming it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(configSchema.properties)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  if (!validate(raw)) {
    const props = configSchema.properties as Record<string, { description?: string }>;
    // `if` reports a failed `then` once more without naming a variable; the `required` error below names it
    const problems = (validate.errors ?? [])
      .filter((e) => e.keyword !== 'if')
      .map((e) => {
        if (e.keyword === 'required') {
          const name = String(e.params['missingProperty']);
          const about = props[name]?.description ? ` (${props[name]!.description})` : '';
          const auth = /^CAMUNDA_(CLIENT|BASIC_AUTH)_/.test(name) ? ` and CAMUNDA_AUTH_STRATEGY=${String(raw['CAMUNDA_AUTH_STRATEGY'])}` : '';
          return `${name} is required with ENGINE=${String(raw['ENGINE'])}${auth}${about}`;
        }
        const name = e.instancePath.replace(/^\//, '') || String(e.params['additionalProperty'] ?? '');
        const about = props[name]?.description ? ` (${props[name]!.description})` : '';
        return `${name}=${JSON.stringify(env[name])}: ${e.message ?? 'invalid'}${about}`;
      });
    throw new ConfigError(problems);
  }
  return raw as unknown as AppConfig;
}
