// Browser test of feedback and the editors' report against the real citeqa binary: a down
// vote with a comment under an answer and an up vote under "not found" go to POST
// /api/feedback; the admin view ("Reports", behind CITEQA_ADMIN_TOKEN) refuses a wrong token,
// then shows both questions grouped with their counts, opens a top passage in the viewer and
// forgets a group; a server that keeps no feedback (--question-log-days 0) is explained in
// place. Screenshots at desktop and phone width, light and dark, go to $CITEQA_SCREENSHOT_DIR.
// Run: CITEQA_BIN=build/citeqa CITEQA_CORPUS=corpus node --test tests/e2e/feedback_report.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { indexCorpus, startServer } from './citeqa_process.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.resolve(process.env.CITEQA_BIN || path.join(repoRoot, 'build', 'citeqa'));
const corpus = path.resolve(process.env.CITEQA_CORPUS || path.join(repoRoot, 'corpus'));
const screenshotDir = path.resolve(process.env.CITEQA_SCREENSHOT_DIR ||
                                   path.join(repoRoot, 'build', 'screenshots'));

const kAnswerable = 'What does a product owner do?';
const kUnanswerable = 'What is the capital of France?';
const kComment = 'It did not say who they report to';
const kToken = `e2e-${crypto.randomBytes(12).toString('hex')}`;
const kTokenKey = 'citeqa.adminToken';
const kDesktop = { width: 1280, height: 800 };
const kPhone = { width: 390, height: 844 };
// Chromium logs every 4xx/5xx response as a console error; these ones the test asks for.
const kExpectedConsole = /status of (401|503)/;

const kBrowserArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

const squash = (s) => s.replace(/\s+/g, ' ').trim();
const isPath = (pathname) => (r) => new URL(r.url()).pathname === pathname;

// Opens a page on `url` with the console watched; resolves with {page, context, errors}.
async function openPage(browser, url) {
  const context = await browser.newContext({ viewport: kDesktop, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !kExpectedConsole.test(msg.text())) {
      errors.push(`${msg.text()} (${msg.location().url})`);
    }
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  await page.goto(url);
  return { page, context, errors };
}

// Asks `question` on `page` and resolves with {turn, body}: the turn's <li> once answered
// and the /api/ask response.
async function ask(page, question) {
  const index = await page.locator('#turns > li').count();
  await page.locator('#question').fill(question);
  const answered = page.waitForResponse(isPath('/api/ask'));
  await page.locator('#question').press('Enter');
  const body = await (await answered).json();
  const turn = page.locator('#turns > li').nth(index);
  await turn.locator('.answer[aria-busy="false"]').waitFor();
  return { turn, body };
}

// Waits until `fn()` is true in `page`; fails with `message` after the default timeout.
async function waitUntil(page, message, fn) {
  await page.waitForFunction(fn).catch((err) => {
    throw new Error(`${message} (${err.message.split('\n')[0]})`);
  });
}

async function screenshot(page, name) {
  await page.evaluate(() => new Promise((resolve) => {
    requestAnimationFrame(() => requestAnimationFrame(resolve));
  }));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled' });
}

describe('feedback and the unanswered-questions report', { timeout: 120000 }, () => {
  let tmp;
  let server;
  let browser;
  let page;
  let errors;
  const feedbackBodies = [];  // request bodies of POST /api/feedback, in order
  const asked = {};           // question -> its /api/ask response

  before(async () => {
    await fs.access(bin).catch(() => {
      throw new Error(`citeqa binary not found at ${bin}: build it, or set CITEQA_BIN`);
    });
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'citeqa-e2e-feedback-'));
    await fs.mkdir(screenshotDir, { recursive: true });
    const db = path.join(tmp, 'index.db');
    await indexCorpus(bin, corpus, db);
    server = await startServer(bin, db, 0, { env: { CITEQA_ADMIN_TOKEN: kToken } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: kBrowserArgs });
    ({ page, errors } = await openPage(browser, server.url));
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/feedback') {
        feedbackBodies.push(req.postDataJSON());
      }
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  // GET /api/reports/unanswered from the test itself.
  async function apiReport(token = kToken) {
    const res = await fetch(`${server.url}/api/reports/unanswered`,
                            { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: await res.json() };
  }

  // The report once `ready(groups)` holds (rows are written by a background thread).
  async function reportWhen(ready) {
    let last;
    for (let i = 0; i < 100; i += 1) {
      last = await apiReport();
      assert.equal(last.status, 200, JSON.stringify(last.body));
      if (ready(last.body.groups)) return last.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`the report never got there: ${JSON.stringify(last.body)}`);
  }

  const groupAskedAs = (groups, question) => groups.find((g) => g.asked_as.includes(question));

  it('sends a down vote with a comment from under an answer', async () => {
    const { turn, body } = await ask(page, kAnswerable);
    asked[kAnswerable] = body;
    assert.equal(body.found, true, body.answer);
    const up = turn.locator('.feedback button[data-vote="up"]');
    const down = turn.locator('.feedback button[data-vote="down"]');
    assert.equal(await up.getAttribute('aria-label'), 'Helpful');
    assert.equal(await down.getAttribute('aria-label'), 'Not helpful');
    assert.equal(await up.getAttribute('aria-pressed'), 'false');
    assert.equal(await down.getAttribute('aria-pressed'), 'false');
    assert.equal(await turn.locator('.feedback-comment').isVisible(), false);

    // By keyboard: the down vote opens the comment box and moves focus into it.
    await down.focus();
    await page.keyboard.press('Enter');
    assert.equal(await down.getAttribute('aria-pressed'), 'true');
    await turn.locator('.feedback-comment').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.className), 'feedback-comment-text');
    assert.equal(feedbackBodies.length, 0, 'nothing is sent before Send or Skip');
    await page.keyboard.type(kComment);
    await screenshot(page, 'feedback-comment-desktop');

    const posted = page.waitForResponse(isPath('/api/feedback'));
    await turn.locator('.feedback-send').click();
    const res = await posted;
    assert.equal(res.status(), 201);
    assert.deepEqual(await res.json(), { recorded: true });
    assert.deepEqual(feedbackBodies.at(-1), {
      question: kAnswerable, answer: body.answer, vote: 'down',
      conversation_id: body.conversation_id, comment: kComment,
    });
    await turn.locator('.feedback-thanks').waitFor();
    assert.match(await turn.locator('.feedback-status').textContent(), /^Thanks/);
    assert.equal(await down.getAttribute('aria-pressed'), 'true');
    assert.equal(await down.isDisabled(), true);
    assert.equal(await up.isVisible(), false, 'only the vote given stays');
    assert.equal(await turn.locator('.feedback-comment').isVisible(), false);
    await screenshot(page, 'feedback-sent-desktop');
  });

  it('takes a vote under "not found" and keeps both votes across a reload', async () => {
    const { turn, body } = await ask(page, kUnanswerable);
    asked[kUnanswerable] = body;
    assert.equal(body.found, false, body.answer);
    const box = turn.locator('.state-not-found .feedback');
    assert.match(await box.locator('.feedback-prompt').textContent(), /Did this help\?/);
    const posted = page.waitForResponse(isPath('/api/feedback'));
    await box.locator('button[data-vote="up"]').click();
    assert.equal((await posted).status(), 201);
    assert.deepEqual(feedbackBodies.at(-1), {
      question: kUnanswerable, answer: body.answer, vote: 'up', conversation_id: body.conversation_id,
    });
    await box.locator('.feedback-thanks').waitFor();

    await page.reload();
    await page.locator('#turns > li').nth(1).locator('.feedback').waitFor();
    assert.equal(await page.locator('.feedback.feedback-sent').count(), 2);
    assert.deepEqual(await page.locator('.feedback button[aria-pressed="true"]').evaluateAll(
        (bs) => bs.map((b) => b.dataset.vote)), ['down', 'up']);
    assert.equal(feedbackBodies.length, 2, 'a reload sends nothing again');

    await page.setViewportSize(kPhone);
    await page.locator('#turns > li').first().locator('.feedback').scrollIntoViewIfNeeded();
    await screenshot(page, 'feedback-phone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'feedback-phone-dark');
    await page.setViewportSize(kDesktop);
    await page.locator('#turns > li').nth(1).locator('.feedback').scrollIntoViewIfNeeded();
    await screenshot(page, 'feedback-desktop-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('refuses the report without the admin token', async () => {
    assert.equal((await apiReport('')).status, 401);
    assert.equal((await apiReport(`${kToken}x`)).status, 401);
  });

  it('shows the report behind the admin token: both questions, grouped and counted', async () => {
    const report = await reportWhen((groups) => groupAskedAs(groups, kAnswerable) &&
                                                groupAskedAs(groups, kUnanswerable));
    const voted = groupAskedAs(report.groups, kAnswerable);
    const missed = groupAskedAs(report.groups, kUnanswerable);
    assert.equal(voted.down_votes, 1);
    assert.deepEqual(voted.comments, [kComment]);
    assert.ok(missed.abstained >= 1 && missed.up_votes === 1, JSON.stringify(missed));

    await page.locator('#show-reports').click();
    const dialog = page.locator('#reports');
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => window.location.hash), '#reports');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'admin-token');
    assert.equal(await page.locator('#admin-token').getAttribute('type'), 'password');

    // A wrong token is refused, said so, and asked for again.
    await page.locator('#admin-token').fill('not-the-token');
    const refused = page.waitForResponse(isPath('/api/reports/unanswered'));
    await page.locator('#admin-token').press('Enter');
    assert.equal((await refused).status(), 401);
    await page.locator('#reports-login-error').waitFor();
    assert.match(await page.locator('#reports-login-error').textContent(), /wrong token/i);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'admin-token');
    assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), kTokenKey), null);
    await screenshot(page, 'report-wrong-token-desktop');

    await page.locator('#admin-token').fill(kToken);
    const loaded = page.waitForResponse(isPath('/api/reports/unanswered'));
    await page.locator('#admin-token').press('Enter');
    const shownReport = await (await loaded).json();
    await page.locator('#report-groups > li').first().waitFor();
    assert.equal(await page.locator('#reports-login').isVisible(), false);
    assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), kTokenKey), kToken);
    assert.equal(await page.evaluate((t) => JSON.stringify({ ...localStorage }).includes(t), kToken),
                 false, 'the token is kept in sessionStorage only');

    // Every group as the server sent it, in its order.
    const items = page.locator('#report-groups > li');
    assert.equal(await items.count(), shownReport.groups.length);
    assert.deepEqual((await items.locator('.report-question').allTextContents()).map(squash),
                     shownReport.groups.map((g) => squash(g.question)));
    for (const [i, g] of shownReport.groups.entries()) {
      const item = items.nth(i);
      assert.equal(await item.locator('.report-count-n').textContent(), String(g.count));
      assert.deepEqual(await item.locator('.report-wording').allTextContents(), g.asked_as);
      assert.deepEqual(await item.locator('.report-comment').allTextContents(), g.comments);
      assert.equal(await item.locator('.report-when time').first().getAttribute('datetime'), g.last_seen);
      if (g.top_passage) {
        const link = item.locator('a.report-passage-link');
        assert.equal(squash(await link.textContent()), squash(g.top_passage.title || g.top_passage.doc));
        assert.match(await link.getAttribute('href'), new RegExp(`#passage-${g.top_passage.passage_id}$`));
      }
    }
    const votedItem = items.nth(shownReport.groups.findIndex((g) => g.asked_as.includes(kAnswerable)));
    assert.match(await votedItem.locator('.report-tally').textContent(), /1 not helpful/);
    assert.equal(await votedItem.locator('.report-comment').textContent(), kComment);
    const missedItem = items.nth(shownReport.groups.findIndex((g) => g.asked_as.includes(kUnanswerable)));
    assert.match(await missedItem.locator('.report-tally').textContent(), /\d+ not found · 1 helpful/);
    assert.match(await page.locator('#reports-summary').textContent(),
                 new RegExp(`^${shownReport.total_groups} questions? since `));
    await screenshot(page, 'report-desktop');

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'report-desktop-dark');
    await page.setViewportSize(kPhone);
    await screenshot(page, 'report-phone-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'report-phone');
    await page.setViewportSize(kDesktop);
  });

  it('opens a group\'s top passage in the source viewer', async () => {
    const { body } = await apiReport();
    const index = body.groups.findIndex((g) => g.top_passage);
    assert.ok(index >= 0, `no group has a top passage: ${JSON.stringify(body)}`);
    const top = body.groups[index].top_passage;
    const link = page.locator('#report-groups > li').nth(index).locator('a.report-passage-link');
    await link.click();
    const viewer = page.locator('#source-viewer');
    await viewer.waitFor();
    await page.locator('#source-body .cited-passage').waitFor();
    await page.waitForFunction(() => document.getElementById('source-body').getAttribute('aria-busy') === 'false');
    assert.equal(squash(await page.locator('#source-title').textContent()), squash(top.title || top.doc));
    const passage = await (await fetch(`${server.url}/api/passages/${top.passage_id}`)).json();
    assert.equal(squash(await page.locator('#source-body .cited-passage').innerText()),
                 squash(`Cited passage: ${passage.passage}`));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('source-viewer').open);
    assert.equal(await page.evaluate(() => document.getElementById('reports').open), true,
                 'the report stays open under the viewer');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'report-passage-link');
  });

  it('forgets a group after a confirmation', async () => {
    const items = page.locator('#report-groups > li');
    const before = await items.count();
    const missed = items.filter({ has: page.locator('.report-wording', { hasText: kUnanswerable }) });
    assert.equal(await missed.count(), 1);
    const question = await missed.getAttribute('data-question');

    await missed.locator('.report-forget').click();
    await missed.locator('.report-confirm').waitFor();
    await screenshot(page, 'report-forget-confirm-desktop');
    await missed.locator('.report-confirm-no').click();
    assert.equal(await missed.locator('.report-confirm').isVisible(), false);
    assert.equal(await items.count(), before, 'Cancel forgets nothing');

    await missed.locator('.report-forget').click();
    const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE' &&
                                                isPath('/api/reports/unanswered')(r));
    await missed.locator('.report-confirm-yes').click();
    const res = await deleted;
    assert.equal(res.status(), 200);
    assert.equal(new URL(res.url()).searchParams.get('question'), question);
    assert.ok((await res.json()).deleted >= 2, 'the abstention and the up vote');
    await page.waitForFunction((n) => document.querySelectorAll('#report-groups > li').length === n,
                               before - 1);
    assert.match(await page.locator('#reports-status').textContent(), /^Forgotten/);
    const { body } = await apiReport();
    assert.equal(groupAskedAs(body.groups, kUnanswerable), undefined);
    assert.ok(groupAskedAs(body.groups, kAnswerable), 'the other group stays');
  });

  it('forgets the token, and closes back to the conversation', async () => {
    await page.locator('#reports-forget-token').click();
    await page.locator('#reports-login').waitFor();
    assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), kTokenKey), null);
    assert.equal(await page.locator('#report-groups > li').count(), 0);
    await page.keyboard.press('Escape');
    // The dialog's close event, which forgets "#reports" and moves focus, comes as a task.
    await waitUntil(page, 'the report closes, "#reports" is forgotten and focus is back on the link',
                    () => !document.getElementById('reports').open && window.location.hash === '' &&
                          document.activeElement.id === 'show-reports');
    assert.deepEqual(errors, []);
  });
});

describe('feedback on a server that keeps none', { timeout: 90000 }, () => {
  let tmp;
  let server;
  let browser;

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'citeqa-e2e-feedback-off-'));
    await fs.mkdir(screenshotDir, { recursive: true });
    const db = path.join(tmp, 'index.db');
    await indexCorpus(bin, corpus, db);
    server = await startServer(bin, db, 0, { args: ['--question-log-days', '0'] });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: kBrowserArgs });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('says so in place and lets the reader try again', async () => {
    const { page, errors } = await openPage(browser, server.url);
    const { turn } = await ask(page, kAnswerable);
    const up = turn.locator('.feedback button[data-vote="up"]');
    const refused = page.waitForResponse(isPath('/api/feedback'));
    await up.click();
    assert.equal((await refused).status(), 503);
    await turn.locator('.feedback-error').waitFor();
    assert.equal(await turn.locator('.feedback-status').textContent(),
                 'Feedback is turned off on this server.');
    assert.equal(await up.getAttribute('aria-pressed'), 'false');
    assert.equal(await up.isDisabled(), false);
    await turn.locator('.feedback').scrollIntoViewIfNeeded();
    await screenshot(page, 'feedback-off-desktop');
    // The reader's comment stays for another try.
    await turn.locator('.feedback button[data-vote="down"]').click();
    await turn.locator('.feedback-comment-text').fill(kComment);
    const again = page.waitForResponse(isPath('/api/feedback'));
    await turn.locator('.feedback-send').click();
    assert.equal((await again).status(), 503);
    await turn.locator('.feedback-error').waitFor();
    assert.equal(await turn.locator('.feedback-comment-text').inputValue(), kComment);
    assert.deepEqual(errors, []);
  });
});
