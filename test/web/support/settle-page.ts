import type { Page } from 'playwright-core';

/** A page drawn and done loading: its main part (or form) is there, no 加载中… is left, and the last data has landed. */
export async function settlePage(page: Page): Promise<void> {
  await page.waitForSelector('main#main, form');
  await page
    .locator('text=加载中…')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await page.waitForTimeout(800);
}
