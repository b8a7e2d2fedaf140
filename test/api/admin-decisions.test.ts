import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { AuditRecords, DecisionVersions } from '../support/tables.js';
import { deployProduct } from '../../domain/processes/product-resources.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

const SHIPPED = readFileSync(new URL('../../processes/revisit-window.dmn', import.meta.url), 'utf8');

describe('api / admin: decisions (DMN files: versions, lint, deploy)', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let admin: string;
  let auditor: string;

  before(async () => {
    api = await openApiWorld();
    admin = await api.login('admin');
    auditor = await api.login('auditor');
  });
  after(() => api.close());

  it('given the system started, when the decisions are listed, then the shipped revisit-window table is version 1, deployed by system, and its XML reads back', async () => {
    const res = await api.call<Array<Record<string, unknown>>>('GET', '/admin/decisions', { token: auditor });
    expect(res.status).to.equal(200);
    expect(res.body).to.have.length(1);
    expect(res.body[0]).to.deep.include({ drgId: 'revisit-window-drg', name: '回访评价等待时限', decisionIds: ['revisit-window'], latestVersion: 1 });
    const versions = await api.call<Array<Record<string, unknown>>>('GET', '/admin/decisions/revisit-window-drg/versions', { token: auditor });
    expect(versions.body[0]).to.deep.include({ version: 1, deployedBy: 'system' });
    const xml = await api.call<string>('GET', '/admin/decisions/revisit-window-drg/versions/latest', { token: auditor });
    expect(xml.status).to.equal(200);
    expect(xml.body).to.equal(SHIPPED);
  });

  it('given an edited table, when the admin deploys it, then it is version 2, audited; the same XML again is 200 with version 2', async () => {
    const edited = SHIPPED.replace('<text>"P7D"</text>', '<text>"P5D"</text>');
    const res = await api.call<{ version: number; isNew: boolean }>('POST', '/admin/decisions/revisit-window-drg/deploy', {
      token: admin,
      body: { xml: edited },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.deep.include({ drgId: 'revisit-window-drg', version: 2, isNew: true });
    expect(await AuditRecords.count({ where: { action: 'decision.deployed', actor: 'admin' } })).to.equal(1);
    const again = await api.call<{ version: number; isNew: boolean }>('POST', '/admin/decisions/revisit-window-drg/deploy', {
      token: admin,
      body: { xml: edited },
    });
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.include({ version: 2, isNew: false });
    expect(await DecisionVersions.count({ where: { drgId: 'revisit-window-drg' } })).to.equal(2);
  });

  it("given the admin's version 2, when the product deploys at the next start, then the shipped table is not deployed over it: version 2 stays the latest", async () => {
    await deployProduct(api.world.port);
    const res = await api.call<Array<Record<string, unknown>>>('GET', '/admin/decisions', { token: auditor });
    expect(res.body[0]).to.deep.include({ drgId: 'revisit-window-drg', latestVersion: 2 });
    expect(await api.world.engine.listDecisions()).to.have.length(2);
  });

  it('given a table with a broken FEEL entry, when linted, then the engine names the rule; deploying it is 422 decision_definition_invalid and changes nothing', async () => {
    const broken = SHIPPED.replace('<text>"photo","open311"</text>', '<text>"photo",,</text>');
    const lint = await api.call<{ problems: Array<{ severity: string; source: string; elementId: string | null }> }>('POST', '/admin/decisions/lint', {
      token: auditor,
      body: { xml: broken },
    });
    expect(lint.status).to.equal(200);
    expect(lint.body.problems.some((p) => p.severity === 'error' && p.source === 'engine')).to.equal(true);
    const before = await snapshot();
    const count = await DecisionVersions.count();
    const res = await api.call<{ code: string }>('POST', '/admin/decisions/revisit-window-drg/deploy', { token: admin, body: { xml: broken } });
    expect(res.status).to.equal(422);
    expect(res.body.code).to.equal('decision_definition_invalid');
    expect(await DecisionVersions.count()).to.equal(count);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('given a nameless decision, when linted, then it is a warning that does not block; another DRG id in the path is refused; an auditor may not deploy', async () => {
    const nameless = SHIPPED.replace('<decision id="revisit-window" name="回访评价等待时限">', '<decision id="revisit-window">');
    const lint = await api.call<{ problems: Array<{ severity: string; rule: string }> }>('POST', '/admin/decisions/lint', {
      token: admin,
      body: { xml: nameless },
    });
    expect(lint.body.problems).to.deep.include({
      elementId: 'revisit-window',
      message: 'Decision is missing a name',
      severity: 'warning',
      rule: 'label-required',
      source: 'recommended',
    });
    const other = await api.call<{ code: string }>('POST', '/admin/decisions/someone-else/deploy', { token: admin, body: { xml: SHIPPED } });
    expect(other.status).to.equal(422);
    expect((await api.call('POST', '/admin/decisions/revisit-window-drg/deploy', { token: auditor, body: { xml: SHIPPED } })).status).to.equal(403);
    expect((await api.call('POST', '/admin/decisions/lint', { token: admin, body: { xml: '<!DOCTYPE x><x/>' } })).status).to.equal(400);
  });
});
