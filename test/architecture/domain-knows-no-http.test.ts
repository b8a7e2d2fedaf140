import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { domainStatus } from '../../api/http/errors.js';
import { DomainError } from '../../domain/shared/errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('domain/ knows no HTTP (docs/architecture.md, "Dependency rules")', () => {
  it("given the domain's sources, when read, then no refusal carries an HTTP status: the API maps its code to one", () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'domain/*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).to.be.greaterThan(50);
    // `status: 404` or a status handed on with the API code (`{ apiCode, status }`)
    const withStatus = files.filter((f) => /\bstatus:\s*[1-5]\d\d\b|\bapiCode, status\b|\brefuse\(\s*[1-5]\d\d\b/.test(readFileSync(join(root, f), 'utf8')));
    expect(withStatus).to.deep.equal([]);
  });

  it('given domain refusals, when mapped, then the API code decides where the kind alone would say otherwise', () => {
    const status = (code: DomainError['code'], apiCode?: string) => domainStatus(new DomainError(code, 'x', apiCode ? { apiCode } : undefined));
    expect(status('INVALID_ARGUMENT', 'bad_credentials')).to.equal(401);
    expect(status('INVALID_ARGUMENT', 'forbidden')).to.equal(403);
    expect(status('INVALID_ARGUMENT', 'unsupported_file_type')).to.equal(415);
    expect(status('INVALID_ARGUMENT', 'batch_empty')).to.equal(422);
    expect(status('CONFLICT', 'engine_unavailable')).to.equal(503);
    expect(status('INVALID_ARGUMENT', 'invalid_input')).to.equal(400);
    expect(status('NOT_FOUND', 'not_found')).to.equal(404);
    expect(status('CONFLICT')).to.equal(409);
  });
});
