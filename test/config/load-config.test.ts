import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../config/load.js';

describe('configuration from the environment', () => {
  it('given an empty environment, when loaded, then every setting takes its documented default', () => {
    const config = loadConfig({});
    expect(config).to.deep.equal({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_URL: 'sqlite:./data/ywtg.sqlite',
      DATA_DIR: './data',
      ENGINE: 'embedded',
      LOG_LEVEL: 'info',
      DEMO_DATA: true,
      DEMO_PASSWORD: 'Demo@2026',
      WORKING_HOURS: '08:30-12:00,14:30-18:00',
      CALENDAR_UTC_OFFSET_MINUTES: 480,
      HISTORY_RETENTION_DAYS: 30,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_HISTORY_LISTENERS: true,
      CLASSIFY_MIN_CONFIDENCE: 0.6,
      AI_MIN_CONFIDENCE: 0.6,
    });
  });

  it('given ENGINE=camunda with a cluster address, when loaded, then the camunda settings are there and listeners are on by default', () => {
    const config = loadConfig({
      ENGINE: 'camunda',
      CAMUNDA_REST_ADDRESS: 'http://camunda:8080',
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'demo',
      CAMUNDA_BASIC_AUTH_PASSWORD: 'demo',
    });
    expect(config).to.include({
      ENGINE: 'camunda',
      CAMUNDA_REST_ADDRESS: 'http://camunda:8080',
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_HISTORY_LISTENERS: true,
    });
    expect(
      loadConfig({ ENGINE: 'camunda', CAMUNDA_REST_ADDRESS: 'http://camunda:8080', CAMUNDA_HISTORY_LISTENERS: 'false' }).CAMUNDA_HISTORY_LISTENERS,
    ).to.equal(false);
  });

  it('given strings for numbers and booleans, when loaded, then they are coerced', () => {
    const config = loadConfig({ PORT: '8080', DEMO_DATA: 'false', DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' });
    expect(config.PORT).to.equal(8080);
    expect(config.DEMO_DATA).to.equal(false);
    expect(config.DATABASE_URL).to.equal('mysql://root@127.0.0.1:3306/test');
  });

  const bad: Array<[string, Record<string, string>, string]> = [
    ['a port that is not a number', { PORT: 'eighty' }, 'PORT="eighty"'],
    ['a port out of range', { PORT: '70000' }, 'PORT="70000"'],
    ['an unknown database scheme', { DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL="postgres://x/y"'],
    ['an unknown engine', { ENGINE: 'zeebe-broker' }, 'ENGINE="zeebe-broker"'],
    ['a malformed working-hours string', { WORKING_HOURS: '8:30-12' }, 'WORKING_HOURS="8:30-12"'],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"'],
    ['a retention that is not a whole number of days', { HISTORY_RETENTION_DAYS: '2.5' }, 'HISTORY_RETENTION_DAYS="2.5"'],
    ['a negative retention', { HISTORY_RETENTION_DAYS: '-1' }, 'HISTORY_RETENTION_DAYS="-1"'],
    ['ENGINE=camunda without a cluster address', { ENGINE: 'camunda' }, 'CAMUNDA_REST_ADDRESS is required with ENGINE=camunda'],
    ['a cluster address that is not a URL', { ENGINE: 'camunda', CAMUNDA_REST_ADDRESS: 'camunda:8080' }, 'CAMUNDA_REST_ADDRESS="camunda:8080"'],
    [
      'OAuth without a client id',
      { ENGINE: 'camunda', CAMUNDA_REST_ADDRESS: 'https://c.example', CAMUNDA_AUTH_STRATEGY: 'OAUTH', CAMUNDA_CLIENT_SECRET: 's' },
      'CAMUNDA_CLIENT_ID is required',
    ],
    [
      'basic auth without a password',
      { ENGINE: 'camunda', CAMUNDA_REST_ADDRESS: 'https://c.example', CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: 'u' },
      'CAMUNDA_BASIC_AUTH_PASSWORD is required',
    ],
    ['an unknown auth strategy', { CAMUNDA_AUTH_STRATEGY: 'KERBEROS' }, 'CAMUNDA_AUTH_STRATEGY="KERBEROS"'],
    ['a listener switch that is not a boolean', { CAMUNDA_HISTORY_LISTENERS: 'sometimes' }, 'CAMUNDA_HISTORY_LISTENERS="sometimes"'],
  ];
  for (const [what, env, named] of bad) {
    it(`given ${what}, when loaded, then it stops with a message naming the variable`, () => {
      let caught: unknown;
      try {
        loadConfig(env);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(ConfigError);
      expect((caught as ConfigError).message).to.contain(named);
    });
  }

  it('given several bad values, when loaded, then all of them are reported at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' }))
      .to.throw(ConfigError)
      .with.property('problems')
      .that.has.length(2);
  });
});
