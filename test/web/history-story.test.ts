import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { caseToEnd } from '../api/support/case-to-end.js';
import { RESULTS_DIR, openWebWorld, type WebWorld } from './support/web-world.js';

interface Step {
  kind: string;
  at: string;
  actor: string | null;
  unitName: string | null;
  onTime: boolean | null;
}
interface History {
  case: { unitCode: string | null };
  story: { steps: Step[]; totalMs: number | null };
  timeline: unknown[];
  names: { people: Record<string, { name: string }>; units: Record<string, string> };
}

/** `YYYY-MM-DD HH:mm` in the browser's zone (`offsetMinutes` east of UTC): how the page shows a time. */
const localText = (iso: string, offsetMinutes: number) => new Date(Date.parse(iso) + offsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');

describe('web: the case history tells the story first (issue 14 item 8)', function () {
  this.timeout(240_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  it('given a case taken from report to rating, when the auditor opens its history, then the story reads 上报 → 受理 → 派遣 → 处置 → 核查 → 结案 with names and local times, and the engine detail waits collapsed', async () => {
    // given: each step a second apart, the engine's clock (which the workers' records read) brought to just after the
    // person's action, so people's and workers' records (kept to the second) fall in the order they happened
    const beforeStep = async () => {
      await new Promise((r) => setTimeout(r, 1100));
      await web.api.world.clock.set(Date.now() + 500);
    };
    const { caseId } = await caseToEnd(web.api, '人行道井盖缺失，夜间有行人险些踩空', { timeoutMs: 120_000, beforeStep });
    const auditor = await web.api.login('auditor');
    const history = (await web.api.call<History>('GET', `/cases/${caseId}/history`, { token: auditor })).body;
    const kinds = history.story.steps.map((s) => s.kind);
    expect(kinds).to.include.ordered.members(['reported', 'accepted', 'dispatched', 'handled', 'verified', 'closed']);

    // when
    const page = await web.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await web.login(page, 'auditor');
    await page.goto(web.url(`/history/#case=${caseId}`));
    await page.waitForSelector('[data-testid=story] li');
    await page.waitForSelector('[data-testid=diagram][data-ready=true]');

    // then: the story's steps in order, each in words, local time, with who by name
    const shown = await page.$$eval('[data-testid=story] li', (lis) =>
      lis.map((li) => ({
        step: li.getAttribute('data-step'),
        text: li.textContent ?? '',
        at: li.querySelector('[data-testid=step-at]')?.textContent ?? '',
      })),
    );
    expect(shown.map((s) => s.step)).to.deep.equal(kinds);
    const offset = await page.evaluate(() => -new Date().getTimezoneOffset());
    history.story.steps.forEach((s, i) => expect(shown[i]!.at, s.kind).to.equal(localText(s.at, offset)));
    const text = (kind: string) => shown.find((s) => s.step === kind)!.text;
    expect(text('reported')).to.contain('上报').and.contain('热线');
    const dispatched = history.story.steps.find((s) => s.kind === 'dispatched')!;
    expect(text('dispatched')).to.contain(`派遣至 ${dispatched.unitName}`);
    const admin = history.names.people['admin']!.name;
    expect(text('handled')).to.contain('处置完毕').and.contain(admin).and.contain('系统管理员');
    expect(text('closed')).to.contain('结案').and.contain('距上一步');
    // deadlines: the stages that had one carry a badge saying met or missed, as the server read it
    const bounded = history.story.steps.filter((s) => s.onTime !== null);
    expect(bounded.length).to.be.at.least(1);
    expect(await page.$$eval('[data-testid=story] [data-testid=deadline]', (els) => els.map((e) => e.getAttribute('data-on-time')))).to.deep.equal(
      bounded.map((s) => String(s.onTime)),
    );
    expect(await page.textContent('[data-testid=story-summary]')).to.match(/^本案于 .+ 经热线上报，历时 .+ 结案，.+。$/);

    // the unit by name in the facts; no raw code, untranslated key or UTC instant in what is visible
    const visible = await page.locator('main').innerText();
    expect(visible).to.contain(history.names.units[history.case.unitCode!]!);
    for (const raw of ['task_completed', 'role.system', 'deadline-set', 'reporter-notified', 'hi.', 'worker:']) expect(visible, raw).not.to.contain(raw);
    expect(visible).not.to.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    // the actions read as words: 提交办理 · 受理 …
    expect(await page.locator('[data-testid=actions] li[data-action=task_completed]').first().innerText()).to.contain('提交办理');

    // the engine detail is collapsed: a short page, the full timeline drawn when opened
    expect(await page.getAttribute('[data-testid=engine-detail]', 'open')).to.equal(null);
    expect(await page.locator('[data-testid=timeline] li').count()).to.equal(0);
    await page.click('[data-testid=engine-detail] > summary');
    await page.locator('[data-testid=timeline] li').first().waitFor();
    expect(await page.locator('[data-testid=timeline] > li').count()).to.equal(history.timeline.length);
    // element rows by name (the diagram's), the id beside it
    expect(await page.locator('[data-testid=timeline] li[data-kind=element][data-element=accept]').first().innerText()).to.match(/受理/);

    // the diagram is big enough to read: full width, tall, never drawn below the readable scale
    const box = (await page.locator('[data-testid=diagram]').boundingBox())!;
    expect(box.width).to.be.at.least(1000);
    expect(box.height).to.be.at.least(560);
    expect(Number(await page.getAttribute('[data-testid=diagram]', 'data-scale'))).to.be.at.least(0.7);

    // the CSV states its offset and keeps local time
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-case]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).to.contain('时间 at (UTC+08:00)');
    expect(csv.split('\r\n')[1]).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \+08:00,/);
    await page.screenshot({ path: `${RESULTS_DIR}/history-story.png`, fullPage: true });
    web.expectNoErrors(page);
  });
});
