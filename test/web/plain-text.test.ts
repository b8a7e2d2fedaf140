import { expect } from 'chai';
import { Cases, Grids } from '../support/tables.js';
import { openTaskOf } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

/**
 * Citizen text is plain text in the operator's forms (issue #16, item 1): form-js renders its text components
 * as Markdown, and a report's description went in as Markdown/HTML: a live link, an image, text that vanished.
 */
describe("web: a report's text in the operator's 受理 form is plain text", function () {
  this.timeout(120_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  const hostile = [
    { name: 'a Markdown link and an HTML image', text: '[请重新登录](https://evil.example/login) <img src=x onerror=alert(1)>' },
    {
      name: 'a bare URL, an e-mail, emphasis, a heading and a list',
      text: '路灯不亮 https://evil.example/a_b www.evil.example x@evil.example\n# 标题 **粗** _斜_ `码`\n1. 一\n- 二',
    },
    { name: 'an HTML comment, an entity and a raw block', text: '井盖<!-- 藏起来 -->丢失 &amp; <div>块</div> <a href="javascript:alert(1)">点</a>' },
  ];

  for (const { name, text } of hostile) {
    it(`given a public report with ${name}, when the operator opens its 受理 task, then the form shows the text exactly, with no link or image from it`, async () => {
      // given
      const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
      const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
        body: { description: text, lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道龙华路 12 号' },
      });
      expect(filed.status).to.equal(201);
      const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
      await openTaskOf(web.api, 'operator', row.id, ['accept']);

      // when
      const page = await web.newPage();
      await web.login(page, 'operator');
      await page.goto(web.url('/tasks/'));
      await page.click(`tr[data-case="${row.caseNo}"]`);
      await page.waitForSelector('[data-testid=task-form] .fjs-form');

      // then: the context text holds the description character for character (lines as lines)
      const context = page.locator('[data-testid=task-form] .fjs-form-field-text').first();
      const shown = await context.evaluate((el) => (el as unknown as { innerText: string }).innerText);
      for (const line of text.split('\n')) expect(shown).to.contain(line);
      expect(await context.locator('a, img, h1, h2, h3, h5, h6, em, code, ol, ul, div div').count(), "elements made from the citizen's text").to.equal(0);
      expect(await context.locator('strong').allTextContents()).to.not.include('粗');
      await page.close();
    });
  }
});
