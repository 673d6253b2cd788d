// Browser test of the chat page against the real citeqa binary: indexes $CITEQA_CORPUS,
// serves it on a free port and walks through a conversation in Debian's Chromium.
// Run: CITEQA_BIN=build/citeqa CITEQA_CORPUS=corpus node --test tests/e2e/
// Screenshots go to $CITEQA_SCREENSHOT_DIR (default build/screenshots).

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
const corpus = path.resolve(process.env.CITEQA_CORPUS || path.join(repoRoot, 'corpus'));
const screenshotDir = path.resolve(process.env.CITEQA_SCREENSHOT_DIR ||
                                   path.join(repoRoot, 'build', 'screenshots'));

const kFirstQuestion = 'What does a product owner do?';
const kFollowUp = 'How much do they earn?';
const kUnanswerable = 'What is the capital of France?';
const kDesktop = { width: 1280, height: 800 };
const kPhone = { width: 390, height: 844 };

const squash = (s) => s.replace(/\s+/g, ' ').trim();

describe('chat page', { timeout: 90000 }, () => {
  let tmp;
  let server;
  let browser;
  let page;
  const consoleErrors = [];
  const askBodies = [];    // request bodies of POST /api/ask, in order
  const askResponses = []; // response bodies of the questions asked with ask(), in order

  before(async () => {
    await fs.access(bin).catch(() => {
      throw new Error(`citeqa binary not found at ${bin}: build it, or set CITEQA_BIN`);
    });
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'citeqa-e2e-'));
    await fs.mkdir(screenshotDir, { recursive: true });
    const db = path.join(tmp, 'index.db');
    await indexCorpus(bin, corpus, db);
    server = await startServer(bin, db);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: kDesktop, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(15000);
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/ask') {
        askBodies.push(req.postDataJSON());
      }
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  async function ask(question) {
    const before = await page.locator('#turns > li').count();
    await page.locator('#question').fill(question);
    const answered = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/ask');
    await page.locator('#question').press('Enter');
    // Read here, not in a 'response' listener: that one's body can arrive after the turn.
    askResponses.push(await (await answered).json());
    const turn = page.locator('#turns > li').nth(before);
    await turn.locator('.answer[aria-busy="false"]').waitFor();
    return turn;
  }

  // Waits until `fn(arg)` is true in the page; fails with `message` after the default timeout.
  async function waitUntil(message, fn, arg) {
    await page.waitForFunction(fn, arg).catch((err) => {
      throw new Error(`${message} (${err.message.split('\n')[0]})`);
    });
  }

  async function screenshot(name) {
    // Smooth scrolls (to a new turn, to a card, in the viewer) end before the picture is
    // taken; finite CSS animations are run to their end by the screenshot itself.
    await page.evaluate(() => new Promise((resolve) => {
      const positions = () => [...document.querySelectorAll('#scroller, #source-body')]
          .map((e) => `${e.scrollTop}`).join();
      // Ten still frames: a smooth scroll asked for may start a frame or two late. At most
      // five seconds' worth, so a page that never settles is pictured as it is.
      let last = positions();
      let still = 0;
      let frames = 0;
      const tick = () => {
        const now = positions();
        still = now === last ? still + 1 : 0;
        last = now;
        if (still >= 10 || ++frames >= 300) resolve(); else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }));
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled' });
  }

  it('shows the empty state with clickable example questions', async () => {
    const response = await page.goto(server.url);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'] || '', /default-src 'self'/);
    assert.match(response.headers()['content-security-policy'] || '', /frame-ancestors 'none'/);
    assert.equal(response.headers()['x-frame-options'], 'DENY');
    await page.locator('#empty-state').waitFor();
    assert.ok(await page.locator('button.example').count() >= 3);
    assert.equal(await page.locator('#turns > li').count(), 0);
    // Chromium focuses an autofocus element at a rendering update, possibly after 'load'.
    await waitUntil('the question box is not focused',
                    () => document.activeElement && document.activeElement.id === 'question');
    await screenshot('desktop-empty');
  });

  it('keeps Shift+Enter as a new line instead of sending', async () => {
    await page.locator('#question').fill('first line');
    await page.locator('#question').press('Shift+Enter');
    await page.keyboard.type('second line');
    assert.equal(await page.locator('#question').inputValue(), 'first line\nsecond line');
    assert.equal(await page.locator('#turns > li').count(), 0);
    await page.locator('#question').fill('');
  });

  it('answers a question with [n] markers linked to cards of the cited passages', async () => {
    const turn = await ask(kFirstQuestion);
    const body = askResponses.at(-1);
    assert.equal(askBodies.at(-1).question, kFirstQuestion);
    assert.equal(askBodies.at(-1).conversation_id, undefined);
    assert.equal(body.found, true, `expected an answer, got ${JSON.stringify(body)}`);
    assert.ok(body.citations.length > 0);
    assert.ok(await page.locator('#empty-state').isHidden());

    // The answer is shown verbatim (the links keep their [n] text for copy and paste).
    assert.equal(await turn.locator('.answer-text').textContent(), body.answer);
    const markers = turn.locator('a.cite-ref');
    assert.ok(await markers.count() >= 1, 'the answer has no [n] links');
    for (const href of await markers.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      assert.equal(await turn.locator(href).count(), 1, `marker ${href} has no card`);
    }

    // Cards show the passage text exactly, with highlights on whole words: a wrong
    // byte-offset conversion (the corpus has multi-byte quotes and dashes) cuts words.
    const cards = turn.locator('.source-card');
    assert.ok(await cards.count() >= 1);
    const first = body.citations[0];
    const firstCard = turn.locator(`[id$="-source-${first.n}"]`);
    assert.equal(await firstCard.locator('.source-card-text').textContent(), first.passage);
    assert.equal(squash(await firstCard.locator('.source-card-title').textContent()),
                 squash(first.title || first.doc));
    // Every byte range the server sent is highlighted, converted to the right characters.
    assert.ok(Array.isArray(first.highlights) && first.highlights.length > 0,
              'the first citation has no highlights');
    const firstMarks = await firstCard.locator('.source-card-text mark.hl').allTextContents();
    const bytes = Buffer.from(first.passage, 'utf8');
    for (const [b, e] of first.highlights) {
      const word = bytes.subarray(b, e).toString('utf8');
      assert.ok(firstMarks.some((m) => m.includes(word)), `"${word}" [${b}, ${e}) is not highlighted`);
    }
    const marks = await turn.locator('mark.hl').allTextContents();
    assert.ok(marks.length > 0, 'no highlighted words');
    for (const m of marks) {
      assert.match(m, /^[\p{L}\p{N}].*[\p{L}\p{N}]$|^[\p{L}\p{N}]$/u, `highlight "${m}" is not whole words`);
    }
    // The announcer is emptied, then filled by a timer.
    await waitUntil('the answer was not announced',
                    () => /^Answer: /.test(document.getElementById('announcer').textContent));
    await screenshot('desktop-answer');
  });

  it('moves focus to the card when a marker is clicked', async () => {
    const turn = page.locator('#turns > li').first();
    const marker = turn.locator('a.cite-ref').first();
    const target = (await marker.getAttribute('href')).slice(1);
    await marker.click();
    await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, target);
  });

  it('opens the source viewer with the passage in its context, and Escape closes it', async () => {
    const card = page.locator('#turns > li').first().locator('.source-card').first();
    const passage = await card.locator('.source-card-text').textContent();
    const open = card.locator('button.open-source');
    await open.click();
    const viewer = page.locator('#source-viewer');
    await viewer.waitFor();
    await viewer.locator('#source-body[aria-busy="false"]').waitFor();
    assert.equal(await viewer.evaluate((d) => d.open), true);
    assert.equal(squash(await viewer.locator('.cited-passage').textContent()),
                 squash(`Cited passage: ${passage}`));
    assert.ok(squash(await viewer.locator('#source-title').textContent()).length > 0);
    assert.equal(await viewer.locator('.context-error').count(), 0);
    // Neighbouring passages or the article's edges are shown around it.
    assert.ok(await viewer.locator('.context-passage, .context-edge').count() >= 1);
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('#source-viewer')), true);
    await screenshot('desktop-source-viewer');

    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('source-viewer').open);
    // The dialog's close event, which hands focus back, is a task of its own.
    await waitUntil('focus did not return to the button that opened the viewer',
                    (b) => b === document.activeElement, await open.elementHandle());
  });

  it('opens a passage from a #passage-N link, as Slack answers link to it', async () => {
    const cited = askResponses[0].citations[0];
    // The link is followed just as another viewer closes, so that viewer's close event
    // arrives after the link is set: it must not forget a link it was not opened from.
    await page.locator('#turns > li').first().locator('button.open-source').first().click();
    await page.locator('#source-body[aria-busy="false"]').waitFor();
    await page.evaluate((id) => {
      document.getElementById('source-viewer').close();
      window.location.hash = `passage-${id}`;
    }, cited.passage_id);
    const viewer = page.locator('#source-viewer');
    await page.waitForFunction((text) => {
      const shown = document.querySelector('#source-viewer[open] .cited-passage');
      return shown && shown.textContent.replace(/\s+/g, ' ').includes(text);
    }, squash(cited.passage).slice(0, 60));
    assert.equal(squash(await viewer.locator('.cited-passage').textContent()),
                 squash(`Cited passage: ${cited.passage}`));
    assert.equal(squash(await viewer.locator('#source-title').textContent()), squash(cited.title));
    await page.keyboard.press('Escape');
    // The dialog's close event (which forgets the link) follows the closing as a task.
    await page.waitForFunction(() => !document.getElementById('source-viewer').open &&
                                     window.location.hash === '');
  });

  it('answers a follow-up in the same conversation, sending the history', async () => {
    const conversationId = askResponses.at(-1).conversation_id;
    assert.ok(conversationId);
    const turn = await ask(kFollowUp);
    const sent = askBodies.at(-1);
    assert.equal(sent.conversation_id, conversationId);
    assert.deepEqual(sent.history, [kFirstQuestion]);
    const body = askResponses.at(-1);
    assert.equal(body.found, true, `follow-up not answered: ${JSON.stringify(body)}`);
    assert.equal(await turn.locator('.answer-text').textContent(), body.answer);
    assert.ok(await turn.locator('.source-card').count() >= 1);
  });

  it('says plainly when the articles do not answer', async () => {
    const turn = await ask(kUnanswerable);
    assert.equal(askResponses.at(-1).found, false);
    const state = turn.locator('.state-not-found');
    await state.waitFor();
    assert.match(await state.locator('.state-title').textContent(), /Not found in the articles/);
    assert.ok((await state.locator('.state-hint').textContent()).length > 0);
    assert.equal(await turn.locator('.source-card').count(), 0);
    await state.locator('.covers-list li').first().waitFor();
    await screenshot('desktop-conversation');
  });

  it('keeps the conversation across a reload', async () => {
    const conversationId = askResponses.at(-1).conversation_id;
    await page.reload();
    await page.locator('#turns > li').nth(2).waitFor();
    const questions = await page.locator('.question-bubble').allTextContents();
    assert.deepEqual(questions.map((q) => q.replace(/^You asked: /, '')),
                     [kFirstQuestion, kFollowUp, kUnanswerable]);
    assert.ok(await page.locator('#empty-state').isHidden());
    assert.ok(await page.locator('#turns > li').first().locator('.source-card').count() >= 1);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('citeqa.conversation.v1')));
    assert.equal(stored.conversation_id, conversationId);
  });

  it('reads well on a phone and in dark mode', async () => {
    await page.setViewportSize(kPhone);
    await page.locator('#scroller').evaluate((s) => { s.scrollTop = s.scrollHeight; });
    await screenshot('phone-conversation');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'the page scrolls sideways at 390px');
    await page.locator('.source-card button.open-source').first().click();
    await page.locator('#source-body[aria-busy="false"]').waitFor();
    await screenshot('phone-source-viewer');
    await page.locator('#source-close').click();

    await page.setViewportSize(kDesktop);
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `dark mode background is ${bg}`);
    await screenshot('dark-conversation');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('starts a new conversation back at the empty state', async () => {
    await page.locator('#new-conversation').click();
    await page.locator('#empty-state').waitFor();
    assert.equal(await page.locator('#turns > li').count(), 0);
    assert.ok(await page.locator('button.example').count() >= 3);
    assert.equal(await page.evaluate(() => localStorage.getItem('citeqa.conversation.v1')), null);
    await page.setViewportSize(kPhone);
    await screenshot('phone-empty');
    await page.setViewportSize(kDesktop);

    // An example question asks at once, in a fresh conversation.
    const example = page.locator('button.example').first();
    const question = await example.textContent();
    const answered = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/ask');
    await example.click();
    await answered;
    await page.locator('#turns > li .answer[aria-busy="false"]').first().waitFor();
    assert.equal(askBodies.at(-1).question, question);
    assert.equal(askBodies.at(-1).conversation_id, undefined);
    assert.equal(askBodies.at(-1).history, undefined);
  });

  it('logged no console errors (CSP violations show up there)', () => {
    assert.deepEqual(consoleErrors, []);
  });

  it('shows an error with a retry when the server is unreachable', async () => {
    const port = server.port;
    assert.equal(await server.stop(), 0, 'citeqa serve did not exit 0 on SIGTERM');
    const turn = await (async () => {
      await page.locator('#question').fill(kFirstQuestion);
      await page.locator('#question').press('Enter');
      const t = page.locator('#turns > li').last();
      await t.locator('.state-error').waitFor();
      return t;
    })();
    assert.match(await turn.locator('.state-title').textContent(), /reach the server/);
    await screenshot('desktop-server-unreachable');

    // Once the server is back on the same address, retrying answers the question.
    server = await startServer(bin, path.join(tmp, 'index.db'), port);
    await turn.locator('button.retry-button').click();
    await turn.locator('.answer[aria-busy="false"] .source-card').first().waitFor();
    assert.equal(await turn.locator('.state-error').count(), 0);
  });
});
