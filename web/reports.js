// The editors' view of the unanswered-questions report: a modal <dialog> (opened by the
// header's "Reports" link, "#reports") that asks for the admin token, kept in this tab's
// sessionStorage only, then shows GET /api/reports/unanswered as a list of groups, each
// forgettable (DELETE) after a confirmation. A wrong token (401) asks for it again.

import { ApiError, fetchUnansweredReport, forgetUnanswered } from './api.js';
import { formatDate, formatDateTime, plural } from './format.js';
import { renderReportGroup } from './report_group.js';

export const kTokenKey = 'citeqa.adminToken';

function storedToken() {
  try {
    return window.sessionStorage.getItem(kTokenKey) || '';
  } catch (_) {
    return '';
  }
}

function storeToken(token) {
  try {
    if (token) window.sessionStorage.setItem(kTokenKey, token);
    else window.sessionStorage.removeItem(kTokenKey);
  } catch (_) {
    // Storage is off: the token lives as long as the page does.
  }
}

// What the view says about a failed request, or '' for a wrong token (asked for again).
function reportErrorText(err) {
  if (!(err instanceof ApiError)) return 'The report could not be shown. Try again.';
  if (err.status === 401) return '';
  if (err.status === 403 || err.status === 404) {
    return `The report is not available on this server: ${err.message}`;
  }
  if (err.kind === 'network') return 'Can’t reach the citeqa server. Try again.';
  if (err.kind === 'timeout') return 'The server took too long to answer. Try again.';
  return `The report could not be shown: ${err.message}`;
}

export class ReportsView {
  // dialog: the #reports <dialog>. handlers: onOpenPassage(topPassage, opener) shows a
  // group's top passage in the source viewer; announce(text) tells screen readers.
  constructor(dialog, handlers) {
    this.dialog = dialog;
    this.handlers = handlers;
    const $ = (id) => dialog.querySelector(`#${id}`);
    this.login = $('reports-login');
    this.tokenInput = $('admin-token');
    this.loginError = $('reports-login-error');
    this.content = $('reports-content');
    this.summary = $('reports-summary');
    this.status = $('reports-status');
    this.groups = $('report-groups');
    this.empty = $('reports-empty');
    this.refreshButton = $('reports-refresh');
    this.token = storedToken();  // also kept here when sessionStorage is off
    this.report = null;
    this.opener = null;
    this.loading = 0;  // tells a late response for an earlier load to go away

    $('reports-close').addEventListener('click', () => this.close());
    this.refreshButton.addEventListener('click', () => this.load());
    $('reports-forget-token').addEventListener('click', () => this.forgetToken());
    this.login.addEventListener('submit', (event) => {
      event.preventDefault();
      const token = this.tokenInput.value.trim();
      if (!token) {
        this.showLogin('Enter the admin token.');
        return;
      }
      this.token = token;
      storeToken(token);
      this.load();
    });
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) this.close();  // the backdrop
    });
    dialog.addEventListener('close', () => this.onClosed());
  }

  open(opener) {
    this.opener = opener || null;
    if (!this.dialog.open) this.dialog.showModal();
    if (this.token) this.load();
    else this.showLogin('');
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  onClosed() {
    if (this.dialog.open) return;
    this.loading++;
    if (window.location.hash === '#reports') {
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    const opener = this.opener;
    this.opener = null;
    if (opener && opener.isConnected) opener.focus();
  }

  showLogin(error) {
    this.content.hidden = true;
    this.login.hidden = false;
    this.loginError.textContent = error;
    this.loginError.hidden = !error;
    this.tokenInput.setAttribute('aria-invalid', String(Boolean(error)));
    this.tokenInput.focus();
    this.tokenInput.select();
  }

  forgetToken() {
    this.token = '';
    storeToken('');
    this.tokenInput.value = '';
    this.report = null;
    this.groups.replaceChildren();
    this.showLogin('');
    this.handlers.announce('Admin token forgotten.');
  }

  // The request failed with `err`: a wrong token is asked for again, anything else is shown
  // where the reader is (the login form before a report was shown, else the report's status).
  onError(err) {
    const text = reportErrorText(err);
    if (!text) {
      this.token = '';
      storeToken('');
      this.showLogin('Wrong token. Enter the admin token again.');
      return;
    }
    if (this.report) this.setStatus(text, true);
    else this.showLogin(text);
  }

  setStatus(text, error = false) {
    this.status.textContent = text;
    this.status.classList.toggle('reports-error', error);
  }

  async load() {
    const token = ++this.loading;
    this.login.setAttribute('aria-busy', 'true');
    this.refreshButton.disabled = true;
    this.setStatus(this.report ? 'Refreshing…' : '');
    try {
      const report = await fetchUnansweredReport(this.token);
      if (token !== this.loading) return;
      const focusRefresh = !this.login.hidden || document.activeElement === this.refreshButton;
      this.render(report);
      this.setStatus('');
      if (focusRefresh) this.refreshButton.focus();
      this.handlers.announce(report.groups.length > 0 ? this.summary.textContent
                                                      : this.empty.textContent);
    } catch (err) {
      if (token === this.loading) this.onError(err);
    } finally {
      if (token === this.loading) {
        this.login.removeAttribute('aria-busy');
        this.refreshButton.disabled = false;
      }
    }
  }

  render(report) {
    this.report = report;
    this.login.hidden = true;
    this.content.hidden = false;
    this.tokenInput.value = '';
    const since = formatDate(report.since);
    const total = Number.isInteger(report.total_groups) ? report.total_groups : report.groups.length;
    const kept = Number.isInteger(report.retention_days) && report.retention_days > 0
        ? ` · kept for ${plural(report.retention_days, 'day', 'days')}` : '';
    this.summary.textContent = total === 0 ? ''
        : `${plural(total, 'question', 'questions')} since ${since}${kept}` +
          (report.groups.length < total ? ` · showing the first ${report.groups.length}` : '');
    this.summary.hidden = total === 0;
    this.empty.textContent = `Nothing unanswered since ${since}.`;
    this.empty.hidden = report.groups.length > 0;
    this.groups.replaceChildren(...report.groups.map((group) => renderReportGroup(group, {
      formatTime: formatDateTime,
      onOpenPassage: (passage, opener) => this.handlers.onOpenPassage(passage, opener),
      onForget: (g, li) => this.forget(g, li),
    })));
  }

  // DELETEs one group; resolves with whether it was forgotten.
  async forget(group, li) {
    try {
      const deleted = await forgetUnanswered(this.token, group.question);
      const next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      this.report.groups = this.report.groups.filter((g) => g !== group);
      if (Number.isInteger(this.report.total_groups)) this.report.total_groups -= 1;
      const text = `Forgotten: “${group.question}” (${plural(deleted, 'kept question', 'kept questions')} deleted).`;
      this.render(this.report);
      this.setStatus(text);
      this.handlers.announce(text);
      const target = next && [...this.groups.children].find((c) => c.dataset.question === next.dataset.question);
      (target ? target.querySelector('.report-forget') : this.refreshButton).focus();
      return true;
    } catch (err) {
      this.onError(err);
      return false;
    }
  }
}
