// Browser test of the empty page's example questions on a corpus other than the seed
// (tests/testdata/suggestions_corpus, or $CITEQA_SUGGESTIONS_CORPUS, e.g. the SQuAD
// articles): the buttons are GET /api/suggestions' questions, drawn from that corpus, each
// answered when clicked; the page holds no seed-specific text.
// Run: CITEQA_BIN=build/citeqa node --test tests/e2e/suggestions.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { indexCorpus, startServer } from './citeqa_process.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.resolve(process.env.CITEQA_BIN || path.join(repoRoot, 'build', 'citeqa'));
const corpus = path.resolve(process.env.CITEQA_SUGGESTIONS_CORPUS ||
                            path.join(repoRoot, 'tests', 'testdata', 'suggestions_corpus'));
const screenshotDir = path.resolve(process.env.CITEQA_SCREENSHOT_DIR ||
                                   path.join(repoRoot, 'build', 'screenshots'));
// Words of the seed articles that no example on another corpus may carry.
const kSeedWords = /product owner|product manager|backlog|notice period/i;

const squash = (s) => s.replace(/\s+/g, ' ').trim();

describe('example questions on another corpus', { timeout: 90000 }, () => {
  let tmp;
  let server;
  let browser;
  let page;

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'citeqa-e2e-suggestions-'));
    await fs.mkdir(screenshotDir, { recursive: true });
    // The test's own copy: indexing never touches the fixture.
    const copy = path.join(tmp, 'corpus');
    await fs.cp(corpus, copy, { recursive: true });
    const db = path.join(tmp, 'index.db');
    await indexCorpus(bin, copy, db);
    server = await startServer(bin, db);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15000);
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('offers the corpus\'s own questions, each answered', async () => {
    const res = await fetch(`${server.url}/api/suggestions`);
    assert.equal(res.status, 200);
    const { suggestions } = await res.json();
    assert.ok(suggestions.length >= 3, JSON.stringify(suggestions));

    await page.goto(server.url);
    await page.locator('button.example').first().waitFor();
    const shown = (await page.locator('button.example').allTextContents()).map(squash);
    assert.deepEqual(shown, suggestions.slice(0, 6).map(squash));
    assert.equal(await page.locator('#examples-none').isVisible(), false);
    assert.doesNotMatch(await page.locator('body').innerText(), kSeedWords);
    await page.screenshot({ path: path.join(screenshotDir, 'suggestions-other-corpus.png') });

    for (let i = 0; i < shown.length; i += 1) {
      if (i > 0) {
        await page.locator('#new-conversation').click();
        await page.locator('button.example').first().waitFor();
      }
      const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/ask');
      await page.locator('button.example').nth(i).click();
      const body = await (await answered).json();
      assert.equal(body.found, true, `"${shown[i]}" was not answered: ${body.answer}`);
      assert.ok(body.citations.some((c) => c.cited), shown[i]);
      await page.locator('#turns > li .answer[aria-busy="false"]').first().waitFor();
    }
  });
});
