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
// Seed-corpus questions whose answers are lists: one the composer writes as a lead-in with
// "- " lines, one as list items of a passage said one after another. (Which question gets
// which form follows the models: "What are the responsibilities of a product owner?", asked
// here before, got the first form too until passages held whole paragraphs, and is now
// answered in prose.)
const kListQuestions = ['What skills does a product manager need?',
                        'What does a product owner do at the end of each sprint?'];
const kStorageKey = 'citeqa.conversations.v2';
// At most this many characters of a card's preview come before its first quoted sentence
// ("… " and a line of context).
const kMaxPreviewLead = 110;
const kDesktop = { width: 1280, height: 800 };
const kPhone = { width: 390, height: 844 };

const squash = (s) => s.replace(/\s+/g, ' ').trim();
// The answer's text as the page reads it: list lines lose their "- ".
const answerWords = (answer) => squash(answer.replace(/^\s*- /gm, ''));
// The text of a UTF-8 byte range of `text`.
const byteSlice = (text, [b, e]) => Buffer.from(text, 'utf8').subarray(b, e).toString('utf8');
// The timing as the page must write it: one decimal under 10 ms, whole milliseconds above.
// (Tenths rounded half up first: 1.45 is "1.5 ms", where (1.45).toFixed(1) says "1.4".)
const expectedTiming = (ms) => {
  const tenths = Math.round(ms * 10) / 10;
  return tenths < 10 ? `${tenths.toFixed(1)} ms` : `${Math.round(ms)} ms`;
};

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
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
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

  // 'ok' when the first line of the first quoted sentence in `selector` (inside `box`, a
  // scrolling or clamped element) is inside the box's visible area; else what is wrong.
  function quoteInView(root, { box, scope }) {
    return root.evaluate((node, { box: boxSelector, scope: scopeSelector }) => {
      const container = node.matches(boxSelector) ? node : node.querySelector(boxSelector);
      const scopeNode = scopeSelector ? node.querySelector(scopeSelector) : container;
      const mark = scopeNode && scopeNode.querySelector('mark.quote');
      if (!container || !mark) return 'no mark.quote';
      const area = container.getBoundingClientRect();
      const line = mark.getClientRects()[0];
      if (!line || line.width === 0) return 'the quote is not rendered (hidden)';
      if (line.top < area.top - 1 || line.bottom > area.bottom + 1) {
        return `the quote's first line (${line.top}..${line.bottom}) is outside ${boxSelector} ` +
               `(${area.top}..${area.bottom})`;
      }
      return 'ok';
    }, { box, scope });
  }

  // Checks the cards of `turn` against the response `body`: cited ones first, numbered 1..k
  // as in the answer, each with its quoted sentences marked and the first visible without
  // expanding; related ones folded under "n related passages".
  async function checkCards(turn, body) {
    const cited = body.citations.filter((c) => c.cited);
    const related = body.citations.filter((c) => !c.cited);
    assert.ok(cited.length >= 1, 'no cited passage');
    assert.deepEqual(cited.map((c) => c.n), cited.map((_, i) => i + 1), 'server numbering');
    const firstUse = [...new Set([...body.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))];
    const shownMarkers = await turn.locator('.answer-text a.cite-ref')
        .evaluateAll((as) => [...new Set(as.map((a) => Number(a.textContent.replace(/\D/g, ''))))]);
    assert.deepEqual(shownMarkers, firstUse);
    assert.deepEqual(firstUse, cited.map((c) => c.n), 'markers first used in the order 1..k');

    const citedList = turn.locator('ol.source-cards[aria-label="Cited passages"]');
    assert.deepEqual(await citedList.locator(':scope > li .source-num').allTextContents(),
                     cited.map((c) => String(c.n)), 'cited cards are numbered 1..k in order');
    for (const c of cited) {
      const card = citedList.locator(`:scope > li[id$="-source-${c.n}"]`);
      assert.equal(squash(await card.locator('.source-card-title').textContent()), squash(c.title));
      assert.equal(await card.locator('.source-card-doc').textContent(), c.doc);
      assert.equal(await card.evaluate((e) => e.classList.contains('expanded')), false);
      assert.ok(c.quotes.length > 0, `cited passage ${c.n} has no quotes`);
      const marks = (await card.locator('.source-card-text mark.quote').allTextContents()).map(squash);
      for (const q of c.quotes) {
        const quoted = squash(byteSlice(c.passage, q));
        assert.ok(marks.some((m) => m.includes(quoted)), `[${c.n}] "${quoted}" is not marked`);
      }
      assert.equal(await quoteInView(card, { box: '.source-card-text' }), 'ok', `card [${c.n}]`);
      // The preview leads with a little context, not with the passage's start.
      const before = await card.locator('.source-card-text').evaluate(
          (t) => t.innerText.indexOf(t.querySelector('mark.quote').innerText));
      assert.ok(before >= 0 && before <= kMaxPreviewLead,
                `card [${c.n}] shows ${before} characters before its quoted sentence`);
    }

    const folded = turn.locator('details.more-sources');
    if (related.length === 0) {
      assert.equal(await folded.count(), 0);
      return;
    }
    assert.equal(await folded.evaluate((d) => d.open), false, 'related passages are not folded');
    assert.equal(squash(await folded.locator('summary').textContent()),
                 `${related.length} related ${related.length === 1 ? 'passage' : 'passages'}`);
    assert.equal(await folded.locator('.source-card').count(), related.length);
    assert.equal(await folded.locator('mark.quote').count(), 0);
    assert.equal(await folded.locator('.source-card').first().isVisible(), false);
  }

  // The example buttons: GET /api/suggestions' questions (at most six), nothing else.
  async function checkExamples() {
    const res = await fetch(`${server.url}/api/suggestions`);
    assert.equal(res.status, 200);
    const { suggestions } = await res.json();
    assert.ok(Array.isArray(suggestions) && suggestions.length >= 1, JSON.stringify(suggestions));
    await page.locator('button.example').first().waitFor();
    assert.deepEqual((await page.locator('button.example').allTextContents()).map(squash),
                     suggestions.slice(0, 6).map(squash));
    assert.equal(await page.locator('#examples-none').isVisible(), false);
    return suggestions;
  }

  it('shows the empty state with clickable example questions', async () => {
    const response = await page.goto(server.url);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'] || '', /default-src 'self'/);
    assert.match(response.headers()['content-security-policy'] || '', /frame-ancestors 'none'/);
    assert.equal(response.headers()['x-frame-options'], 'DENY');
    await page.locator('#empty-state').waitFor();
    await checkExamples();
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

    // The answer is shown word for word (the links keep their [n] text for copy and paste;
    // list lines are list items).
    assert.equal(squash(await turn.locator('.answer-text').textContent()), answerWords(body.answer));
    const markers = turn.locator('a.cite-ref');
    assert.ok(await markers.count() >= 1, 'the answer has no [n] links');
    for (const href of await markers.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      assert.equal(await turn.locator(href).count(), 1, `marker ${href} has no card`);
    }

    await checkCards(turn, body);
    assert.equal(squash(await turn.locator('.answer-meta').textContent()),
                 `${body.citations.filter((c) => c.cited).length} cited passage` +
                 `${body.citations.filter((c) => c.cited).length === 1 ? '' : 's'} · ${expectedTiming(body.took_ms)}`);

    // Cards hold the passage text exactly, with highlights on whole words: a wrong
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
    // The quoted sentences are marked in the article too, and scrolled into view.
    const cited = askResponses[0].citations[0];
    const marks = (await viewer.locator('.cited-passage mark.quote').allTextContents()).map(squash);
    for (const q of cited.quotes) {
      const quoted = squash(byteSlice(cited.passage, q));
      assert.ok(marks.some((m) => m.includes(quoted)), `"${quoted}" is not marked in the viewer`);
    }
    await screenshot('desktop-source-viewer');  // waits for the scrolling to end
    assert.equal(await quoteInView(viewer, { box: '#source-body', scope: '.cited-passage' }), 'ok');

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
    assert.equal(squash(await turn.locator('.answer-text').textContent()), answerWords(body.answer));
    await checkCards(turn, body);
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
    const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), kStorageKey);
    assert.equal(stored.conversations.length, 1);
    assert.equal(stored.current, stored.conversations[0].key);
    assert.equal(stored.conversations[0].conversation_id, conversationId);
    assert.equal(stored.conversations[0].turns.length, 3);
  });

  it('renders list answers as lists, each item with its [n] link', async () => {
    for (const question of kListQuestions) {
      const turn = await ask(question);
      const body = askResponses.at(-1);
      assert.equal(body.found, true, `${question}: not answered`);
      await checkCards(turn, body);
      const lines = body.answer.split('\n').filter((l) => /^- /.test(l));
      const items = turn.locator('.answer-text ul.answer-list > li');
      if (lines.length > 0) {
        // A lead-in and "- " lines: one item a line, the marker after the last.
        assert.deepEqual((await items.allTextContents()).map(squash),
                         lines.map((l) => squash(l.slice(2))), question);
        assert.equal(await items.last().locator('a.cite-ref').count(), 1);
      } else {
        // List items of a passage said one after another: each its own item with its link.
        const sentences = body.answer.split(/(?<=\[\d+\])\s+/);
        assert.ok(sentences.length >= 2, `${question}: expected a list answer, got ${body.answer}`);
        assert.deepEqual((await items.allTextContents()).map(squash), sentences.map(squash), question);
        for (let i = 0; i < sentences.length; i++) {
          assert.equal(await items.nth(i).locator('a.cite-ref').count(), 1, `item ${i}`);
        }
        // Each item is a list item of the cited passage.
        const cited = body.citations.find((c) => c.n === 1);
        for (const q of cited.quotes) {
          const b = Buffer.from(cited.passage, 'utf8');
          assert.equal(b.subarray(q[0] - 3, q[0]).toString('utf8'), '\n- ', 'quote is not a list item');
        }
      }
    }
    await screenshot('desktop-list-answer');
  });

  it('writes every timing as "0.6 ms" under 10 ms and in whole milliseconds above', async () => {
    const metas = await page.locator('.answer-meta').allTextContents();
    const found = askResponses.filter((r) => r.found);
    assert.equal(metas.length, found.length);
    for (const meta of metas) assert.match(meta, /· (\d\.\d|[1-9]\d+) ms$/);
    assert.deepEqual(metas.map((m) => m.split(' · ')[1]), found.map((r) => expectedTiming(r.took_ms)));
  });

  it('reads well on a phone and in dark mode', async () => {
    await page.setViewportSize(kPhone);
    await page.locator('#scroller').evaluate((s) => { s.scrollTop = s.scrollHeight; });
    await screenshot('phone-conversation');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'the page scrolls sideways at 390px');
    // On a phone too, each cited card shows its quoted sentence without expanding.
    const first = page.locator('#turns > li').first();
    for (const card of await first.locator('ol[aria-label="Cited passages"] > li').all()) {
      assert.equal(await quoteInView(card, { box: '.source-card-text' }), 'ok', 'phone card');
    }
    await first.locator('.source-card').first().scrollIntoViewIfNeeded();
    await screenshot('phone-answer');
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

  it('copies an answer with its sources, and a link that asks the question again', async () => {
    const first = page.locator('#turns > li').first();
    const body = askResponses[0];
    const copyAnswer = first.locator('button.copy-answer');
    await copyAnswer.click();
    await waitUntil('"Copy answer" did not say "Copied"',
                    (b) => b.textContent.trim() === 'Copied', await copyAnswer.elementHandle());
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const [text, sources] = copied.split('\n\nSources:\n');
    assert.equal(squash(text.replace(/^- /gm, '')), answerWords(body.answer));
    assert.deepEqual(sources.split('\n'), body.citations.filter((c) => c.cited).map(
        (c) => `[${c.n}] ${c.title}: ${server.url}/#passage-${c.passage_id}`));

    // The follow-up's link carries the question before it, so it gets the same answer.
    const copyLink = page.locator('#turns > li').nth(1).locator('button.copy-link');
    await copyLink.click();
    await waitUntil('"Copy link" did not say "Copied"',
                    (b) => b.textContent.trim() === 'Copied', await copyLink.elementHandle());
    const link = new URL(await page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(`${link.origin}${link.pathname}`, `${server.url}/`);
    const params = new URLSearchParams(link.hash.slice(1));
    assert.equal(params.get('q'), kFollowUp);
    assert.deepEqual(params.getAll('h'), [kFirstQuestion]);

    const answered = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/ask');
    await page.goto(link.href);
    const reply = await (await answered).json();
    await page.locator('#turns > li .answer[aria-busy="false"]').first().waitFor();
    assert.deepEqual(await page.locator('.question-bubble').allTextContents(), [`You asked: ${kFollowUp}`]);
    assert.equal(askBodies.at(-1).question, kFollowUp);
    assert.deepEqual(askBodies.at(-1).history, [kFirstQuestion]);
    assert.equal(askBodies.at(-1).conversation_id, undefined);
    assert.equal(reply.answer, askResponses[1].answer);
    await waitUntil('the #q= link stayed in the address', () => window.location.hash === '');
  });

  it('lists the conversations kept in the browser, reopens and deletes them', async () => {
    const panel = page.locator('#conversations');
    await page.locator('#show-conversations').click();
    await panel.waitFor();
    const items = panel.locator('.conversation-item');
    // Newest first: the one opened from the link, then the first conversation.
    assert.deepEqual(await items.locator('.conversation-title').allTextContents(),
                     [kFollowUp, kFirstQuestion]);
    assert.equal(await items.nth(0).locator('[aria-current="true"]').count(), 1);
    assert.match(await items.nth(1).locator('.conversation-meta').textContent(),
                 new RegExp(`^${3 + kListQuestions.length} questions · `));
    await screenshot('desktop-conversation-list');
    await page.setViewportSize(kPhone);
    await screenshot('phone-conversation-list');
    await page.setViewportSize(kDesktop);

    // Reopening shows it as it was; a question then continues that conversation.
    await items.nth(1).locator('.conversation-open').click();
    await page.waitForFunction(() => !document.getElementById('conversations').open);
    const asked = [kFirstQuestion, kFollowUp, kUnanswerable, ...kListQuestions];
    assert.deepEqual(await page.locator('.question-bubble').allTextContents(),
                     asked.map((q) => `You asked: ${q}`));
    assert.ok(await page.locator('#turns > li').first().locator('mark.quote').count() >= 1);
    const reopened = await ask(kFollowUp);
    assert.equal(askBodies.at(-1).conversation_id, askResponses[0].conversation_id);
    assert.deepEqual(askBodies.at(-1).history, asked);
    assert.equal(askResponses.at(-1).found, true);
    assert.ok(await reopened.locator('.source-card').count() >= 1);

    // Deleting another conversation leaves the one shown alone.
    await page.locator('#show-conversations').click();
    await panel.waitFor();
    assert.equal(await items.nth(0).locator('.conversation-title').textContent(), kFirstQuestion,
                 'the conversation used last comes first');
    await items.nth(1).locator('button.conversation-delete').click();
    assert.deepEqual(await items.locator('.conversation-title').allTextContents(), [kFirstQuestion]);
    const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), kStorageKey);
    assert.deepEqual(stored.conversations.map((c) => c.turns[0].question), [kFirstQuestion]);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('conversations').open);
    assert.equal(await page.locator('#turns > li').count(), asked.length + 1);
  });

  it('starts a new conversation back at the empty state', async () => {
    await page.locator('#new-conversation').click();
    await page.locator('#empty-state').waitFor();
    assert.equal(await page.locator('#turns > li').count(), 0);
    await checkExamples();
    // The conversation before stays in the list; none is current.
    const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), kStorageKey);
    assert.equal(stored.current, null);
    assert.equal(stored.conversations.length, 1);
    await page.setViewportSize(kPhone);
    await screenshot('phone-empty');
    await page.setViewportSize(kDesktop);

    // An example question asks at once, in a fresh conversation, and is answered.
    const example = page.locator('button.example').first();
    const question = await example.textContent();
    const answered = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/ask');
    await example.click();
    const body = await (await answered).json();
    assert.equal(body.found, true, `example "${question}" was not answered: ${body.answer}`);
    await page.locator('#turns > li .answer[aria-busy="false"]').first().waitFor();
    assert.equal(askBodies.at(-1).question, question);
    assert.equal(askBodies.at(-1).conversation_id, undefined);
    assert.equal(askBodies.at(-1).history, undefined);
  });

  it('deletes the conversation shown, back to the empty state', async () => {
    const panel = page.locator('#conversations');
    await page.locator('#show-conversations').click();
    await panel.waitFor();
    const items = panel.locator('.conversation-item');
    assert.equal(await items.count(), 2);
    assert.equal(await items.nth(0).locator('[aria-current="true"]').count(), 1);
    await items.nth(0).locator('button.conversation-delete').click();
    assert.equal(await items.count(), 1);
    await items.nth(0).locator('button.conversation-delete').click();
    assert.equal(await items.count(), 0);
    assert.ok(await panel.locator('#conversations-empty').isVisible());
    await panel.locator('#conversations-close').click();
    await page.locator('#empty-state').waitFor();
    assert.equal(await page.locator('#turns > li').count(), 0);
    const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), kStorageKey);
    assert.deepEqual(stored, { current: null, conversations: [] });
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
