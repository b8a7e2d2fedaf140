import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadConfig } from '../../config/load.js';
import { configSchema } from '../../config/schema.js';

/**
 * docker-compose.yml is read, never run (no Docker engine in the tests): these checks keep its wiring in step
 * with config/schema.ts, the service names, the MySQL credentials and the scale-out rules for `workers`.
 */

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | number | { target: number; published?: string | number }>;
  expose?: Array<string | number>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  container_name?: string;
  profiles?: string[];
}

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts?: Record<string, string> };
const services = compose.services;
const names = Object.keys(services);

/** Services built from this repository's Dockerfile: they read config/schema.ts and nothing else. */
const projectServices = names.filter((n) => services[n]!.build !== undefined);

/** The service running someone else's image, found by image name (so a rename of the service is caught). */
function serviceByImage(prefix: string): string {
  const found = names.filter((n) => services[n]!.image?.startsWith(prefix));
  expect(found, `one service with image ${prefix}*`).to.have.length(1);
  return found[0]!;
}

/** Compose variable substitution: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, all: string, braced?: string, colon?: string, fallback?: string, bare?: string) => {
      if (all === '$') return '$';
      const name = (braced ?? bare)!;
      const v = vars[name];
      if (fallback !== undefined && (v === undefined || (colon === ':' && v === ''))) return fallback;
      return v ?? '';
    },
  );
}

/** A service's environment as a map (long or short syntax), interpolated with the given compose variables. */
function environmentOf(name: string, vars: Record<string, string> = {}): Record<string, string> {
  const env = services[name]!.environment ?? {};
  const entries: Array<[string, string]> = Array.isArray(env)
    ? env.map((e) => {
        const i = e.indexOf('=');
        return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
      })
    : Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v, vars)]));
}

function containerPorts(name: string, vars: Record<string, string> = {}): number[] {
  return (services[name]!.ports ?? []).map((p) => {
    if (typeof p === 'object') return p.target;
    const spec = interpolate(String(p), vars).replace(/\/(tcp|udp)$/, '');
    return Number(spec.split(':').at(-1));
  });
}

function dependencies(name: string): Record<string, { condition?: string }> {
  const deps = services[name]!.depends_on ?? {};
  return Array.isArray(deps) ? Object.fromEntries(deps.map((d) => [d, {}])) : deps;
}

function commandOf(name: string): string {
  const c = services[name]!.command;
  return Array.isArray(c) ? c.join(' ') : (c ?? '');
}

const settings = new Set(Object.keys(configSchema.properties));
const camunda = serviceByImage('camunda/camunda:');
const mysql = serviceByImage('mysql:');
/** The orchestration cluster's REST API and web apps listen on 8080 unless SERVER_PORT says otherwise (docs.camunda.io 8.8). */
const camundaRestPort = Number(environmentOf(camunda)['SERVER_PORT'] ?? 8080);

/** Compose variables as they may come from a .env file: none (the file's defaults) and some of one's own. */
const composeVariables: Array<[string, Record<string, string>]> = [
  ['no .env (the defaults in the file)', {}],
  ['a .env with its own passwords', { MYSQL_PASSWORD: 'Zy-2026-secret', MYSQL_ROOT_PASSWORD: 'root-2026', LOG_LEVEL: 'debug', DEMO_PASSWORD: 'Another@2026' }],
];

describe('docker-compose.yml / the scale-out layout', () => {
  it('given the file, when its services are listed, then app and workers are built from this repository and mysql and camunda run their own images', () => {
    expect(projectServices).to.include.members(['app', 'workers']);
    expect(projectServices).to.not.include.members([camunda, mysql]);
  });

  const pinnedImages: Array<[string, () => string, RegExp]> = [
    ['the Camunda orchestration cluster', () => camunda, /^camunda\/camunda:8\.8\.\d+$/],
    ['MySQL', () => mysql, /^mysql:8(\.\d+){0,2}$/],
  ];
  for (const [what, service, tag] of pinnedImages) {
    it(`given ${what}, when its image is read, then it is pinned to a release of the supported line (${tag.source})`, () => {
      expect(services[service()]!.image).to.match(tag);
    });
  }

  for (const name of ['app', 'workers', 'app-embedded']) {
    if (!projectServices.includes(name)) continue;
    it(`given the ${name} service, when its environment is read, then every variable is a setting of config/schema.ts`, () => {
      const unknown = Object.keys(environmentOf(name)).filter((k) => !settings.has(k));
      expect(unknown, `variables config/schema.ts does not read`).to.deep.equal([]);
    });
  }

  const engines: Array<[string, 'camunda' | 'embedded']> = [
    ['app', 'camunda'],
    ['workers', 'camunda'],
    ['app-embedded', 'embedded'],
  ];
  for (const [name, engine] of engines) {
    if (!projectServices.includes(name)) continue;
    for (const [vars, values] of composeVariables) {
      it(`given the ${name} service and ${vars}, when its environment is loaded like at start, then the configuration is valid with ENGINE=${engine}`, () => {
        expect(loadConfig(environmentOf(name, values)).ENGINE).to.equal(engine);
      });
    }
  }

  const camundaClients = projectServices.filter((n) => environmentOf(n)['ENGINE'] === 'camunda');
  it('given the file, when ENGINE is read, then app and workers run on the Camunda cluster', () => {
    expect(camundaClients).to.include.members(['app', 'workers']);
  });
  for (const name of camundaClients) {
    it(`given the ${name} service with ENGINE=camunda, when CAMUNDA_REST_ADDRESS is read, then it names the ${camunda} service and its REST port`, () => {
      const url = new URL(environmentOf(name)['CAMUNDA_REST_ADDRESS'] ?? '');
      expect(url.hostname).to.equal(camunda);
      expect(Number(url.port || (url.protocol === 'https:' ? 443 : 80))).to.equal(camundaRestPort);
    });
  }

  for (const name of projectServices) {
    for (const [vars, values] of composeVariables) {
      it(`given the ${name} service and ${vars}, when DATABASE_URL is read, then it points at the ${mysql} service with that service's MYSQL_* credentials`, () => {
        const db = environmentOf(mysql, values);
        const url = new URL(environmentOf(name, values)['DATABASE_URL'] ?? '');
        expect(url.protocol).to.equal('mysql:');
        expect(url.hostname).to.equal(mysql);
        expect(Number(url.port || 3306)).to.equal(Number(db['MYSQL_TCP_PORT'] ?? 3306));
        expect(decodeURIComponent(url.username)).to.equal(db['MYSQL_USER']);
        expect(decodeURIComponent(url.password)).to.equal(db['MYSQL_PASSWORD']);
        expect(url.pathname).to.equal(`/${db['MYSQL_DATABASE']}`);
      });
    }
  }

  it(`given the ${camunda} service, when its ports are read, then the REST port (Operate, Tasklist, /v2) is published for the browser`, () => {
    expect(containerPorts(camunda)).to.include(camundaRestPort);
  });

  it('given the app service, when its port and health check are read, then it publishes PORT and checks /api/health on it', () => {
    const port = Number(environmentOf('app')['PORT'] ?? 3000);
    expect(port).to.equal(3000);
    expect(containerPorts('app')).to.deep.equal([port]);
    const test = services['app']!.healthcheck?.test;
    expect(Array.isArray(test) ? test.join(' ') : test).to.contain(`:${port}/api/health`);
  });

  const scalable: Array<[string, (s: Service) => unknown, unknown]> = [
    ['no published ports', (s) => s.ports ?? [], []],
    ['no container_name', (s) => s.container_name, undefined],
    ['the `npm run workers` command', () => commandOf('workers'), 'npm run workers'],
  ];
  for (const [what, read, expected] of scalable) {
    it(`given the workers service, when \`docker compose up --scale workers=N\` starts N of them, then it has ${what}`, () => {
      expect(read(services['workers']!)).to.deep.equal(expected);
    });
  }

  const waits: Array<[string, string[]]> = [
    ['app', [mysql, camunda]],
    ['workers', [mysql, camunda]],
  ];
  for (const [name, needs] of waits) {
    it(`given the ${name} service, when it starts, then it waits for ${needs.join(' and ')} to be healthy`, () => {
      const deps = dependencies(name);
      expect(Object.keys(deps)).to.include.members(needs);
      for (const [dep, { condition }] of Object.entries(deps)) expect(condition, `${name} → ${dep}`).to.equal('service_healthy');
    });
  }

  it('given every depends_on with service_healthy, when the service depended on is read, then it has a health check', () => {
    const awaited = new Set(
      names.flatMap((n) =>
        Object.entries(dependencies(n))
          .filter(([, d]) => d.condition === 'service_healthy')
          .map(([dep]) => dep),
      ),
    );
    expect([...awaited]).to.include.members([mysql, camunda, 'app']);
    for (const dep of awaited) {
      const check = services[dep]?.healthcheck;
      expect(check?.test, `health check of ${dep}`).to.not.equal(undefined);
      expect(check?.disable ?? false, `health check of ${dep} disabled`).to.equal(false);
      expect([check?.test].flat()[0], `health check of ${dep}`).to.not.equal('NONE');
    }
  });

  it('given package.json, when its scripts are read, then `npm run workers` starts the compiled workers process', () => {
    const script = pkg.scripts?.['workers'] ?? '';
    const entry = /dist\/server\/(\S+)\.js/.exec(script)?.[1];
    expect(entry, script).to.be.a('string');
    expect(existsSync(new URL(`../../${entry}.ts`, import.meta.url)), `${entry}.ts`).to.equal(true);
  });
});
