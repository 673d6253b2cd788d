// Small text formats of the chat page. Pure (no DOM), so Node's test runner checks them.

// "0.6 ms" below 10 ms (one decimal), "42 ms" from there (whole milliseconds); '' for a
// value that is not a finite, non-negative number.
export function formatMs(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '';
  const tenths = Math.round(ms * 10) / 10;
  return tenths < 10 ? `${tenths.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

// "1 source", "3 sources".
export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// "just now", "5 min ago", "3 h ago", "yesterday", "12 Mar": when an earlier conversation was
// last used, relative to `now` (both in milliseconds since the epoch).
export function formatWhen(then, now) {
  const minutes = Math.floor((now - then) / 60000);
  if (!(minutes >= 1)) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  if (hours < 48) return 'yesterday';
  return new Date(then).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

// "4 Dec 2026, 11:02" in the reader's time zone and language, from an RFC 3339 time; the
// text as given when it is not one.
export function formatDateTime(iso) {
  const t = Date.parse(String(iso));
  if (!Number.isFinite(t)) return String(iso ?? '');
  return new Date(t).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric',
                                                 hour: '2-digit', minute: '2-digit' });
}

// "4 Dec 2026" in the reader's time zone, from an RFC 3339 time or a YYYY-MM-DD date.
export function formatDate(iso) {
  const t = Date.parse(String(iso));
  if (!Number.isFinite(t)) return String(iso ?? '');
  return new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}
