// Unit tests (no browser) of the pure parts of feedback and the editors' report: the tally
// of a report group, the line shown when a vote was not kept, the "#reports" link and the
// report's dates.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { importWebModule } from './web_module.mjs';

const { groupTally } = await importWebModule('report_group.js');
const { feedbackErrorText } = await importWebModule('feedback.js');
const { ApiError } = await importWebModule('api.js');
const { parseLink } = await importWebModule('links.js');
const { formatDate, formatDateTime } = await importWebModule('format.js');

describe('groupTally', () => {
  const cases = [
    [{ abstained: 2, down_votes: 1, up_votes: 0 }, '2 not found · 1 not helpful'],
    [{ abstained: 0, down_votes: 3, up_votes: 1 }, '3 not helpful · 1 helpful'],
    [{ abstained: 1 }, '1 not found'],
    [{ abstained: -1, down_votes: 'x', up_votes: 2.5 }, ''],
  ];
  for (const [group, want] of cases) {
    it(`${JSON.stringify(group)} -> "${want}"`, () => assert.equal(groupTally(group), want));
  }
});

describe('feedbackErrorText', () => {
  const cases = [
    [new ApiError('server', 'feedback is off', 'unavailable', 503), 'Feedback is turned off on this server.'],
    [new ApiError('server', 'too many', 'unavailable', 503, '1'), 'The server is busy. Try again in a moment.'],
    [new ApiError('client', 'comment is too long', 'invalid_argument', 400),
     'Feedback wasn’t saved: comment is too long'],
    [new ApiError('client', 'HTTP 413', '', 413), 'That comment is too long. Shorten it and try again.'],
    [new ApiError('network', 'down'), 'Couldn’t reach the server. Try again.'],
    [new ApiError('timeout', 'slow'), 'The server took too long. Try again.'],
    [new ApiError('server', 'boom', 'internal', 500), 'Feedback wasn’t saved. Try again.'],
    [new Error('odd'), 'Feedback wasn’t saved. Try again.'],
  ];
  for (const [err, want] of cases) {
    it(`${err.kind || 'Error'} ${err.status || ''} -> "${want}"`, () => assert.equal(feedbackErrorText(err), want));
  }
});

describe('parseLink and the report', () => {
  const cases = [['#reports', { kind: 'reports' }], ['reports', { kind: 'reports' }],
                 ['#reportsx', null], ['#report', null]];
  for (const [hash, want] of cases) {
    it(`${hash} -> ${JSON.stringify(want)}`, () => assert.deepEqual(parseLink(hash), want));
  }
});

describe('report dates', () => {
  it('writes an RFC 3339 time in the reader\'s words, and keeps text that is none', () => {
    const t = '2026-12-04T11:02:13Z';
    const local = new Date(Date.parse(t));
    assert.match(formatDateTime(t), /2026/);
    assert.ok(formatDateTime(t).includes(String(local.getMinutes()).padStart(2, '0')), formatDateTime(t));
    assert.notEqual(formatDateTime(t), t);
    assert.match(formatDate(t), /2026/);
    assert.doesNotMatch(formatDate(t), /:/, 'a date without the time');
    assert.equal(formatDateTime('yesterday'), 'yesterday');
    assert.equal(formatDate(undefined), '');
  });
});
