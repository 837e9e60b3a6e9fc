// Webhooks, in board settings (owners only): the board's webhooks with their last status,
// an on/off switch, ping, delete and the delivery log with Redeliver; a form to add one,
// which shows the signing secret once with a copy button. API: docs/integrations.md.

import * as api from './api.js';
import { confirmDialog } from './confirm-dialog.js';
import { secretOnce } from './secret-once.js';
import { field, h, showErrors, toast } from './ui.js';
import { deliveryResult, eventsText, hookStatus, parseEvents } from './webhooks-state.js';

export function webhooksPanel(boardId) {
  const list = h('ul', { class: 'webhook-list', 'aria-live': 'polite' });
  const secretBox = h('div', { class: 'webhook-secret', hidden: true, role: 'status' });
  const root = h(
    'section',
    { class: 'webhooks-panel', 'aria-labelledby': 'webhooks-title' },
    h('h3', { id: 'webhooks-title' }, 'Webhooks'),
    h(
      'p',
      { class: 'muted' },
      'Each board event is POSTed to the URL, signed (Standard Webhooks), in order.',
    ),
    list,
    secretBox,
    createForm(boardId, (created) => {
      showSecret(secretBox, created.secret);
      load();
    }),
  );

  async function load() {
    try {
      const { results } = await api.get(`/api/boards/${boardId}/webhooks/`);
      list.replaceChildren(
        ...(results.length
          ? results.map((hook) => hookRow(hook, load))
          : [h('li', { class: 'muted' }, 'No webhooks yet.')]),
      );
    } catch (error) {
      list.replaceChildren(h('li', { class: 'form-error' }, error.body?.detail || 'Not loaded.'));
    }
  }
  load();
  return root;
}

function createForm(boardId, created) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const inputs = {
    url: h('input', {
      name: 'url', type: 'url', required: true, maxlength: 2000,
      placeholder: 'https://example.com/hooks/scrum', autocomplete: 'off',
    }), // prettier-ignore
    events: h('input', {
      name: 'events',
      autocomplete: 'off',
      placeholder: 'task.*, board.updated',
    }),
  };
  const add = h('button', { type: 'submit', class: 'btn' }, 'Add webhook');
  async function submit(event) {
    event.preventDefault();
    showErrors(errors, inputs, null);
    add.disabled = true;
    try {
      const body = { url: inputs.url.value.trim(), events: parseEvents(inputs.events.value) };
      const hook = await api.post(`/api/boards/${boardId}/webhooks/`, body);
      inputs.url.value = '';
      inputs.events.value = '';
      created(hook);
    } catch (error) {
      showErrors(errors, inputs, error.body);
    } finally {
      add.disabled = false;
    }
  }
  return h(
    'form',
    { class: 'webhook-form', onsubmit: submit, 'aria-label': 'Add a webhook' },
    errors,
    field('URL', inputs.url),
    field('Events', inputs.events, 'Names or patterns, comma separated; empty: every event.'),
    add,
  );
}

function showSecret(box, secret) {
  const done = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      onclick: () => {
        box.replaceChildren();
        box.hidden = true;
      },
    },
    'Done',
  );
  box.replaceChildren(
    secretOnce({
      label: 'Signing secret',
      value: secret,
      note: 'It is shown only now: keep it where your receiver can verify signatures.',
    }),
    done,
  );
  box.hidden = false;
  const input = box.querySelector('input');
  input.focus();
  input.select();
}

function hookRow(hook, reload) {
  const status = hookStatus(hook);
  const log = h('div', { class: 'webhook-log', hidden: true });
  const toggle = h('input', { type: 'checkbox', checked: hook.active });
  toggle.addEventListener('change', async () => {
    toggle.disabled = true;
    try {
      await api.patch(`/api/webhooks/${hook.id}/`, { active: toggle.checked });
      reload();
    } catch (error) {
      toggle.checked = !toggle.checked;
      toggle.disabled = false;
      toast({ title: 'Not changed', body: error.body?.detail, kind: 'error' });
    }
  });
  const logButton = h('button', { type: 'button', class: 'btn btn-small' }, 'Deliveries');
  logButton.setAttribute('aria-expanded', 'false');
  logButton.addEventListener('click', () => {
    const open = log.hidden;
    log.hidden = !open;
    logButton.setAttribute('aria-expanded', String(open));
    if (open) showLog(log, hook);
  });
  const button = (label, onclick, cls = 'btn btn-small') =>
    h('button', { type: 'button', class: cls, onclick }, label);
  return h(
    'li',
    { class: 'webhook-row' },
    h('code', { class: 'webhook-url' }, hook.url),
    h('span', { class: 'muted webhook-events' }, eventsText(hook.events)),
    h('span', { class: `webhook-status webhook-${status.kind}` }, status.text),
    h(
      'div',
      { class: 'webhook-actions' },
      h('label', { class: 'webhook-toggle' }, toggle, ' Active'),
      button('Ping', () => ping(hook, log, reload)),
      logButton,
      button('Delete…', () => askDelete(hook, reload), 'btn btn-small btn-danger'),
    ),
    log,
  );
}

async function ping(hook, log, reload) {
  try {
    const row = await api.post(`/api/webhooks/${hook.id}/ping/`);
    const ok = row.status_code >= 200 && row.status_code < 300;
    toast({
      title: ok ? 'Ping answered' : 'Ping failed',
      body: deliveryResult(row),
      kind: ok ? 'success' : 'error',
    });
    if (!log.hidden) showLog(log, hook);
    reload();
  } catch (error) {
    toast({ title: 'Ping not sent', body: error.body?.detail, kind: 'error' });
  }
}

async function showLog(box, hook) {
  box.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let rows;
  try {
    rows = (await api.get(`/api/webhooks/${hook.id}/deliveries/`)).results;
  } catch (error) {
    box.replaceChildren(h('p', { class: 'form-error' }, error.body?.detail || 'Not loaded.'));
    return;
  }
  if (!rows.length) {
    box.replaceChildren(h('p', { class: 'muted' }, 'No deliveries yet.'));
    return;
  }
  const redeliver = async (seq) => {
    try {
      const row = await api.post(`/api/webhooks/${hook.id}/redeliver/`, { seq });
      toast({ title: `Event ${seq} sent again`, body: deliveryResult(row) });
      showLog(box, hook);
    } catch (error) {
      toast({ title: 'Not sent', body: error.body?.detail || error.body?.seq, kind: 'error' });
    }
  };
  const head = ['Seq', 'Attempt', 'Result', 'Time', 'When', ''];
  box.replaceChildren(
    h(
      'div',
      { class: 'webhook-log-scroll' },
      h(
        'table',
        { class: 'webhook-table' },
        h('caption', { class: 'sr-only' }, `Last deliveries to ${hook.url}`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            head.map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((row) =>
            h(
              'tr',
              {},
              h('td', {}, row.seq ?? 'ping'),
              h('td', {}, row.attempt),
              h('td', { class: 'webhook-result' }, deliveryResult(row)),
              h('td', {}, `${row.duration_ms} ms`),
              h('td', {}, new Date(row.at).toLocaleString()),
              h(
                'td',
                {},
                row.seq
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn btn-small',
                        'aria-label': `Redeliver event ${row.seq}`,
                        onclick: () => redeliver(row.seq),
                      },
                      'Redeliver',
                    )
                  : null,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function askDelete(hook, reload) {
  confirmDialog({
    title: 'Delete this webhook?',
    text: `Nothing more is sent to ${hook.url}; its delivery log goes with it.`,
    confirm: 'Delete webhook',
    run: () => api.del(`/api/webhooks/${hook.id}/`),
    done: () => {
      toast({ title: 'Webhook deleted', kind: 'success' });
      reload();
    },
  });
}
