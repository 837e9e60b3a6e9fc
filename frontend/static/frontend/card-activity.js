// The card's activity (SPEC section 12): an "Activity" disclosure that loads the card's history
// from the event log (GET /api/tasks/{id}/activity/, newest first, "Load more" follows `next`)
// when first opened, and again when an event about this card arrives while it is open.
// Closed, it costs nothing: no request, no refresh.

import * as api from './api.js';
import { activityText, eventTouches } from './activity-text.js';
import { timeLabel } from './inbox-state.js';
import { h } from './ui.js';

// Several events of one action (a move and its renumbering) arrive together: one reload.
const REFRESH_MS = 250;

export function activitySection(ctx) {
  return new ActivitySection(ctx);
}

const pathOf = (url) => {
  const u = new URL(url, location.origin);
  return u.pathname + u.search;
};

class ActivitySection {
  constructor(ctx) {
    this.ctx = ctx;
    this.taskId = ctx.task.id;
    this.entries = [];
    this.next = null;
    this.asked = 0;
    this.timer = null;
    this.list = h('ol', { class: 'activity-list' });
    this.status = h('p', { class: 'muted activity-status', role: 'status' });
    this.more = h(
      'button',
      { type: 'button', class: 'btn btn-small', hidden: true, onclick: () => this.loadMore() },
      'Load more activity',
    );
    this.root = h(
      'details',
      { class: 'card-activity' },
      h('summary', {}, 'Activity'),
      h('div', { class: 'activity-body' }, this.status, this.list, this.more),
    );
    this.root.addEventListener('toggle', () => {
      if (this.root.open) this.reload();
    });
  }

  // The first page again: what was older stays reachable through "Load more".
  async reload() {
    const mine = ++this.asked;
    if (!this.entries.length) this.status.textContent = 'Loading…';
    try {
      const page = await api.get(`/api/tasks/${this.taskId}/activity/`);
      if (mine !== this.asked) return; // a newer reload took over
      this.entries = page.results || [];
      this.next = page.next ? pathOf(page.next) : null;
      this.status.textContent = this.entries.length ? '' : 'Nothing has happened here yet.';
    } catch (error) {
      if (mine !== this.asked) return;
      this.status.textContent = `Could not load the activity: ${error.message}`;
    }
    this.render();
  }

  async loadMore() {
    if (!this.next) return;
    const mine = ++this.asked;
    this.more.disabled = true;
    try {
      const page = await api.get(this.next);
      if (mine !== this.asked) return;
      const seen = new Set(this.entries.map((e) => e.seq));
      this.entries = [...this.entries, ...(page.results || []).filter((e) => !seen.has(e.seq))];
      this.next = page.next ? pathOf(page.next) : null;
    } catch (error) {
      this.status.textContent = `Could not load more: ${error.message}`;
    } finally {
      this.more.disabled = false;
    }
    this.render();
  }

  render() {
    const state = this.ctx.state();
    const now = Date.now();
    this.list.replaceChildren(
      ...this.entries.map((entry) =>
        h(
          'li',
          { class: 'activity-entry', dataset: { seq: entry.seq, name: entry.name } },
          h('span', { class: 'activity-text' }, activityText(entry, state)),
          ' · ',
          h(
            'time',
            { class: 'muted', datetime: entry.at, title: new Date(entry.at).toLocaleString() },
            timeLabel(entry.at, now),
          ),
        ),
      ),
    );
    this.more.hidden = !this.next;
  }

  // --- the section protocol (card-sections.js) -------------------------------------------

  events(applied) {
    if (!this.root.open || !applied.some((e) => eventTouches(e, this.taskId))) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload(), REFRESH_MS);
  }

  close() {
    clearTimeout(this.timer);
    this.asked += 1;
  }
}
