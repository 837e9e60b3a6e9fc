// The reports panel: the selected sprint's burndown and the board's velocity, fetched from
// the server (which computes both from the event log) and redrawn whenever board events
// arrive while the panel is open: one refetch per burst of events (debounced), so a busy
// board costs two requests every ~300 ms at most, never one per event.

import * as api from './api.js';
import { burndownChart, velocityChart } from './charts.js';
import { debounce, sprintLabel } from './planning-math.js';
import { errorLines, h } from './ui.js';

const REPORTED = /^(task|sprint)\./;

// ctx: { boardId } (board.js)
export function reportsPanelWidget(ctx) {
  return new ReportsPanel(ctx).widget();
}

class ReportsPanel {
  constructor(ctx) {
    this.ctx = ctx;
    this.state = null;
    this.sprintId = null;
    this.loadedFor = null; // "sprint id:state" the burndown was fetched for
    this.ticket = 0; // only the newest fetch may draw
    this.refetch = debounce(() => this.load(), 300);
    this.button = h(
      'button',
      {
        type: 'button',
        class: 'btn',
        id: 'reports-toggle',
        'aria-expanded': 'false',
        'aria-controls': 'reports-panel',
        onclick: () => this.toggle(),
      },
      'Reports',
    );
    this.burndown = h('div', { class: 'report-body', 'aria-live': 'off' });
    this.velocity = h('div', { class: 'report-body' });
    this.burndownTitle = h('h3', { id: 'burndown-heading' }, 'Burndown');
    this.panel = this.build();
  }

  build() {
    return h(
      'section',
      {
        class: 'reports-panel panel',
        id: 'reports-panel',
        hidden: true,
        'aria-labelledby': 'reports-heading',
      },
      h(
        'div',
        { class: 'reports-head' },
        h('h2', { id: 'reports-heading' }, 'Reports'),
        h(
          'button',
          { type: 'button', class: 'btn btn-small', onclick: () => this.toggle(false) },
          'Close reports',
        ),
      ),
      h(
        'div',
        { class: 'reports-grid' },
        h(
          'section',
          { class: 'report report-burndown', 'aria-labelledby': 'burndown-heading' },
          this.burndownTitle,
          this.burndown,
        ),
        h(
          'section',
          { class: 'report report-velocity', 'aria-labelledby': 'velocity-heading' },
          h('h3', { id: 'velocity-heading' }, 'Velocity'),
          this.velocity,
        ),
      ),
    );
  }

  widget() {
    return {
      root: this.button,
      render: (state, sprintId) => this.render(state, sprintId),
      events: (applied) => this.events(applied),
    };
  }

  get open() {
    return !this.panel.hidden;
  }

  // The panel sits in the page's flow above the columns (pushing them down rather than
  // covering the Done column a user drags cards into); the toolbar holds only its button.
  place() {
    if (this.panel.isConnected) return;
    const page = this.button.closest('.board-page');
    const bar = page && page.querySelector('.board-bar');
    if (bar) bar.before(this.panel);
    else this.button.after(this.panel);
  }

  toggle(force) {
    const open = force === undefined ? !this.open : force;
    this.place();
    this.panel.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (open) {
      this.loadedFor = null;
      this.load();
    } else {
      this.refetch.cancel();
      this.button.focus();
    }
  }

  render(state, sprintId) {
    this.state = state;
    this.sprintId = sprintId;
    if (this.open && this.key() !== this.loadedFor) this.refetch();
  }

  events(applied) {
    if (this.open && applied.some((e) => REPORTED.test(e.name))) this.refetch();
  }

  key() {
    const sprint = this.state && this.state.sprints[this.sprintId];
    return sprint ? `${sprint.id}:${sprint.state}` : 'none';
  }

  async load() {
    if (!this.open || !this.state) return;
    const ticket = ++this.ticket;
    const sprint = this.state.sprints[this.sprintId] || null;
    this.loadedFor = this.key();
    this.burndownTitle.textContent = sprint ? `Burndown: ${sprintLabel(sprint)}` : 'Burndown';
    this.panel.setAttribute('aria-busy', 'true');
    const [burndown, velocity] = await Promise.all([
      this.fetchBurndown(sprint),
      settle(api.get(`/api/boards/${this.ctx.boardId}/velocity/?last=6`)),
    ]);
    if (ticket !== this.ticket) return;
    this.panel.removeAttribute('aria-busy');
    this.draw(this.burndown, burndown, (report) => burndownChart(report, sprintLabel(sprint)));
    this.draw(this.velocity, noneClosed(velocity), (rows) => velocityChart(rows));
  }

  // A sprint without a start date has no burndown yet: no request (its 400 would be noise).
  fetchBurndown(sprint) {
    if (!sprint) return { note: 'Pick a sprint to see its burndown.' };
    if (!sprint.start) {
      return { note: 'The burndown starts when the sprint starts.' };
    }
    return settle(api.get(`/api/sprints/${sprint.id}/burndown/`));
  }

  draw(box, result, chart) {
    if (result.note) box.replaceChildren(h('p', { class: 'muted' }, result.note));
    else if (result.error) {
      box.replaceChildren(h('p', { class: 'form-error' }, errorLines(result.error.body).join(' ')));
    } else box.replaceChildren(chart(result.value));
  }
}

async function settle(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

// An empty velocity is a sentence, not an empty chart.
function noneClosed(result) {
  const empty = Array.isArray(result.value) && !result.value.length;
  return empty
    ? { note: 'No closed sprint yet: velocity shows each sprint once it closes.' }
    : result;
}
