// The boards page's export button (one per board) and import panel: a file picker that
// posts the JSON, polls the job (GET /api/imports/{id}/) and links the new board.

import * as api from './api.js';
import {
  POLL_MS,
  exportFileName,
  jobFinished,
  jobText,
  parseDocument,
  refusalMessages,
} from './transfer-state.js';
import { h } from './ui.js';

// The export needs the bearer token, so a plain link cannot fetch it: fetch, then save.
export function exportButton(board) {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small export-board',
      onclick: async () => {
        button.disabled = true;
        try {
          const document = await api.get(`/api/boards/${board.id}/export/`);
          const blob = new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
          const url = URL.createObjectURL(blob);
          const link = h('a', { href: url, download: exportFileName(board), hidden: true });
          window.document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 0);
        } finally {
          button.disabled = false;
        }
      },
    },
    'Export',
  );
  return button;
}

function list(messages) {
  return h('ul', { class: 'import-notes' }, ...messages.map((m) => h('li', {}, m)));
}

// The new board's link is a data-nav link: app.js routes it like every other.
export function importPanel() {
  const input = h('input', {
    type: 'file',
    accept: 'application/json,.json',
    id: 'import-file',
    'aria-describedby': 'import-hint',
  });
  const status = h('p', { class: 'import-status', role: 'status', 'aria-live': 'polite' });
  const progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Import' });
  const notes = h('div', { class: 'import-result' });

  async function poll(id) {
    let job = null;
    while (!jobFinished(job)) {
      if (job) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (!input.isConnected) return null; // the page was left
      job = await api.get(`/api/imports/${id}/`);
      status.textContent = jobText(job);
      progress.value = job.progress;
    }
    return job;
  }

  async function start() {
    const file = input.files && input.files[0];
    if (!file) return;
    notes.replaceChildren();
    const { document, error } = parseDocument(await file.text());
    if (error) {
      status.textContent = error;
      return;
    }
    input.disabled = true;
    progress.hidden = false;
    try {
      const { id } = await api.post('/api/boards/import/', document);
      const job = await poll(id);
      if (!job) return;
      const open = job.board
        ? h(
            'a',
            { href: `/boards/${job.board}/`, 'data-nav': true, class: 'btn btn-primary' },
            'Open the imported board',
          )
        : null;
      notes.replaceChildren(...[open, job.errors.length ? list(job.errors) : null].filter(Boolean));
    } catch (failure) {
      status.textContent = 'The import was refused:';
      notes.replaceChildren(list(refusalMessages(failure.status, failure.body)));
    } finally {
      input.disabled = false;
      input.value = '';
      progress.hidden = true;
    }
  }
  input.addEventListener('change', start);

  return h(
    'section',
    { class: 'panel import-board', 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title' }, 'Import a board'),
    h(
      'p',
      { id: 'import-hint', class: 'muted' },
      'A board exported from here, or a Trello board’s JSON export. It becomes a new board of yours.',
    ),
    h('label', { for: 'import-file', class: 'btn' }, 'Choose a file…'),
    input,
    progress,
    status,
    notes,
  );
}
