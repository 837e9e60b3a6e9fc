// "Board as of…": pick an instant (the board's wall clock, in its time zone) or a change by
// number, and see the board as it stood then, read-only, in a full-size dialog over the live
// board, which keeps running underneath: "Back to live board" is just closing it. Earlier /
// later step one change at a time. A pruned part of the history (410) says so and offers
// the earliest change still kept.

import * as api from './api.js';
import * as H from './history-state.js';
import { openModal } from './modal.js';
import { pastColumns } from './past-board.js';
import { defaultSprintId, sprintList } from './state.js';
import { announce, field, h, showErrors } from './ui.js';

const HOUR = 3600 * 1000;

// ctx: board.js's widget context (boardId, state(), me()); sprintId: the live board's choice.
export function openAsOf(ctx, sprintId) {
  return new AsOfDialog(ctx, sprintId).dialog;
}

class AsOfDialog {
  constructor(ctx, sprintId) {
    this.ctx = ctx;
    this.sprintId = sprintId;
    this.past = null;
    this.historyFrom = 0;
    this.zone = ctx.state().board.timezone || 'UTC';
    this.build();
    openModal(this.dialog);
    this.inputs.at.focus();
  }

  build() {
    const live = this.ctx.state();
    this.inputs = {
      at: h('input', { name: 'at', type: 'datetime-local', step: 1, required: true }),
      seq: h('input', {
        name: 'seq',
        type: 'number',
        min: 0,
        max: live.seq,
        step: 1,
        required: true,
      }),
    };
    this.inputs.at.value = H.isoToZonedLocal(new Date(Date.now() - HOUR).toISOString(), this.zone);
    this.errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.pruned = h('div', { class: 'asof-pruned', role: 'alert', hidden: true });
    this.title = h('h2', { id: 'asof-title' }, 'Board as of…');
    this.status = h('p', { class: 'asof-status muted', role: 'status' });
    this.stepper = h('div', { class: 'asof-steps', hidden: true });
    this.sprintPick = h('select', { id: 'asof-sprint', onchange: () => this.pickSprint() });
    this.sprintRow = h(
      'div',
      { class: 'asof-sprint', hidden: true },
      h('label', { for: 'asof-sprint', class: 'inline-label' }, 'Sprint'),
      this.sprintPick,
    );
    this.board = h('div', { class: 'asof-board' });
    this.dialog = h(
      'dialog',
      { class: 'asof-dialog', 'aria-labelledby': 'asof-title' },
      this.head(),
      this.forms(),
      this.errors,
      this.pruned,
      this.status,
      h('div', { class: 'asof-bar' }, this.stepper, this.sprintRow),
      this.board,
    );
  }

  head() {
    const back = h(
      'button',
      { type: 'button', class: 'btn btn-primary', onclick: () => this.dialog.close() },
      'Back to live board',
    );
    return h('header', { class: 'asof-head' }, this.title, back);
  }

  forms() {
    const { at, seq } = this.inputs;
    const byTime = h(
      'form',
      { class: 'asof-form', onsubmit: (e) => this.submit(e, 'at') },
      field(`Date and time (${this.zone})`, at),
      h('button', { type: 'submit', class: 'btn' }, 'Show the board then'),
    );
    const bySeq = h(
      'form',
      { class: 'asof-form', onsubmit: (e) => this.submit(e, 'seq') },
      field('After change number', seq),
      h('button', { type: 'submit', class: 'btn' }, 'Show that change'),
    );
    return h('div', { class: 'asof-forms' }, byTime, bySeq);
  }

  submit(event, key) {
    event.preventDefault();
    if (key === 'seq') return this.load({ seq: this.inputs.seq.value.trim() });
    const at = H.zonedToIso(this.inputs.at.value, this.zone);
    if (!at) {
      showErrors(this.errors, this.inputs, { at: ['Enter a date and a time.'] });
      return null;
    }
    return this.load({ at });
  }

  async load(params) {
    showErrors(this.errors, this.inputs, null);
    this.pruned.hidden = true;
    this.status.textContent = 'Loading the board as it was…';
    const query = new URLSearchParams(params).toString();
    try {
      const snap = await api.get(`/api/boards/${this.ctx.boardId}/snapshot/?${query}`);
      this.show(snap);
    } catch (error) {
      this.status.textContent = '';
      this.failed(error);
    }
  }

  failed(error) {
    if (error.status === 410) return this.prunedAt(error.body || {});
    showErrors(
      this.errors,
      this.inputs,
      error.body && Object.keys(error.body).length ? error.body : { detail: error.message },
    );
    return null;
  }

  prunedAt(body) {
    const from = Number(body.history_from);
    this.historyFrom = Number.isFinite(from) ? from : this.historyFrom;
    const earliest = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-small',
        onclick: () => this.load({ seq: this.historyFrom }),
      },
      `Show the earliest (change #${this.historyFrom})`,
    );
    this.pruned.replaceChildren(
      h('strong', {}, 'That part of the history was pruned.'),
      ' ',
      `The earliest change still kept is #${this.historyFrom}.`,
      ' ',
      earliest,
    );
    this.pruned.hidden = false;
  }

  show(snap) {
    const me = this.ctx.me();
    this.past = H.pastState(snap, me ? me.id : null);
    const { seq, at } = this.past.asOf;
    this.inputs.seq.value = String(seq);
    if (at) this.inputs.at.value = H.isoToZonedLocal(at, this.zone);
    const title = H.asOfTitle(this.past, this.zone);
    this.title.textContent = title;
    this.dialog.classList.add('asof-showing');
    this.status.textContent = '';
    this.renderSteps();
    this.renderSprints(at);
    this.pickSprint();
    announce(title);
  }

  renderSteps() {
    const { seq } = this.past.asOf;
    const head = this.ctx.state().seq;
    this.inputs.seq.max = String(head);
    const { earlier, later } = H.steps(seq, { historyFrom: this.historyFrom, head });
    const step = (target, label) =>
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small',
          disabled: target == null,
          onclick: () => this.load({ seq: target }),
        },
        label,
      );
    this.stepper.replaceChildren(
      step(earlier, '← Earlier change'),
      h('span', { class: 'asof-where' }, `Change #${seq} of ${head}`),
      step(later, 'Later change →'),
    );
    this.stepper.hidden = false;
  }

  renderSprints(at) {
    const sprints = sprintList(this.past);
    const day = at ? H.isoToZonedLocal(at, this.zone).slice(0, 10) : '9999-12-31';
    const keep = this.past.sprints[this.sprintId] ? this.sprintId : defaultSprintId(sprints, day);
    this.sprintPick.replaceChildren(
      h('option', { value: '' }, 'Backlog only'),
      ...sprints.map((sp) =>
        h('option', { value: sp.id }, `${sp.name || 'Untitled sprint'} · ends ${sp.end}`),
      ),
    );
    this.sprintPick.value = keep == null ? '' : String(keep);
    this.sprintRow.hidden = false;
  }

  pickSprint() {
    const id = Number(this.sprintPick.value) || null;
    if (id != null) this.sprintId = id;
    this.board.replaceChildren(pastColumns(this.past, id));
  }
}
