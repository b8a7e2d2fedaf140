import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { engineDatabaseUrl, openWorkflowEngine } from '../../port/open-workflow-engine.js';
import { startCamundaSim } from '../support/camunda-sim/sim-server.js';
import { fixtures } from './support/targets.js';

describe('openWorkflowEngine: the engine the configuration names', () => {
  it('given an SQLite DATABASE_URL, when the embedded engine database is chosen, then it is a file of its own in DATA_DIR; MySQL shares the database', () => {
    expect(engineDatabaseUrl({ DATABASE_URL: 'sqlite:./data/ywtg.sqlite', DATA_DIR: './data' })).to.equal(`sqlite:${join('./data', 'engine.sqlite')}`);
    expect(engineDatabaseUrl({ DATABASE_URL: 'mysql://u:p@db:3306/ywtg', DATA_DIR: './data' })).to.equal('mysql://u:p@db:3306/ywtg');
  });

  it('given ENGINE=embedded, when opened, then the embedded adapter keeps its tables in DATA_DIR/engine.sqlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ywtg-open-'));
    try {
      const engine = await openWorkflowEngine(loadConfig({ DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'ywtg.sqlite')}` }));
      expect(engine.kind).to.equal('embedded');
      expect((await engine.deploy(fixtures().filter((f) => f.name === 'port-flaky.bpmn'))).processes).to.have.length(1);
      await engine.close();
      expect(existsSync(join(dir, 'engine.sqlite'))).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('given ENGINE=camunda and a cluster address, when opened, then the camunda adapter has connected', async () => {
    const sim = await startCamundaSim({ onError: () => undefined });
    try {
      const engine = await openWorkflowEngine(loadConfig({ ENGINE: 'camunda', CAMUNDA_REST_ADDRESS: sim.url }));
      expect(engine.kind).to.equal('camunda');
      await engine.close();
      expect(sim.calls.map((c) => `${c.method} ${c.path}`)).to.include('GET /v2/topology');
    } finally {
      await sim.close();
    }
  });
});
