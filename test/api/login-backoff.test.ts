import { expect } from 'chai';
import { FREE_FAILURES, LoginBackoff, MAX_WAIT_MS } from '../../domain/auth/login-backoff.js';
import { PASSWORD, openApiWorld, type ApiWorld } from './support/api-world.js';

/** Issue #16, item 5: wrong passwords are throttled per account, not only per address. */
describe('API: per-account login back-off', function () {
  this.timeout(60_000);

  describe('over HTTP', () => {
    let api: ApiWorld;
    before(async () => {
      api = await openApiWorld();
    });
    after(() => api?.close());

    const attempt = (username: string, password: string, address: string) =>
      api.call('POST', '/auth/login', { body: { username, password }, headers: { 'X-Forwarded-For': address } });

    it('given 85 wrong passwords for one account from 85 addresses, when the right one follows, then it is refused 429 login_throttled with Retry-After, and another account logs in', async () => {
      // given
      const answers: number[] = [];
      for (let i = 0; i < 85; i++) answers.push((await attempt('auditor', `guess-${i}`, `198.51.100.${i + 1}`)).status);
      expect(answers.slice(0, FREE_FAILURES)).to.deep.equal(Array(FREE_FAILURES).fill(401));
      expect(answers.filter((s) => s === 429).length, 'guesses refused unchecked').to.be.greaterThan(70);

      // when
      const right = await attempt('auditor', PASSWORD, '198.51.100.200');

      // then
      expect(right.status).to.equal(429);
      expect(right.body['code']).to.equal('login_throttled');
      expect(Number(right.headers.get('retry-after'))).to.be.within(1, MAX_WAIT_MS / 1000);
      expect((await attempt('leader', PASSWORD, '198.51.100.201')).status).to.equal(200);
    });

    it('given a few wrong passwords, when the right one comes, then it logs in and the count starts again', async () => {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < FREE_FAILURES - 1; i++) expect((await attempt('operator', 'wrong', '198.51.100.250')).status).to.equal(401);
        expect((await attempt('operator', PASSWORD, '198.51.100.250')).status).to.equal(200);
      }
    });
  });

  describe('the back-off itself (its clock given)', () => {
    it('given a thousand wrong passwords, when the attacker stops, then the account waits at most MAX_WAIT_MS and is open after it', () => {
      const b = new LoginBackoff();
      let now = 1_000_000;
      for (let i = 0; i < 1000; i++) {
        if (b.waitMs('clerk', now) === 0) b.failed('clerk', now);
        now += 250;
      }
      const wait = b.waitMs('clerk', now);
      expect(wait).to.be.within(1, MAX_WAIT_MS);
      expect(b.waitMs('clerk', now + wait)).to.equal(0);
      expect(b.waitMs('CLERK', now), 'names compared case-insensitively').to.equal(wait);
    });

    it('given waits grow 1 s, 2 s, 4 s …, when counted, then hammering while closed does not lengthen them', () => {
      const b = new LoginBackoff();
      const now = 5_000_000;
      for (let i = 0; i < FREE_FAILURES; i++) b.failed('x', now);
      expect(b.waitMs('x', now)).to.equal(0);
      b.failed('x', now);
      expect(b.waitMs('x', now)).to.equal(1000);
      b.failed('x', now + 1000);
      expect(b.waitMs('x', now + 1000)).to.equal(2000);
      b.succeeded('x');
      expect(b.waitMs('x', now + 1000)).to.equal(0);
    });
  });
});
