// Webhook panel logic with no DOM (node tests: frontend/tests/webhooks.test.mjs): the events
// text a user types, and the one-line status of a webhook and of a delivery.

// "task.*, board.updated  comment.created" -> ['task.*', 'board.updated', 'comment.created'];
// empty text means every event (the API's []).
export function parseEvents(text) {
  return [
    ...new Set(
      String(text || '')
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ];
}

export function eventsText(events) {
  return events && events.length ? events.join(', ') : 'every event';
}

// What the list says about a webhook: off (and why), retrying (and the last error), the
// last answer, or nothing sent yet.
export function hookStatus(hook) {
  if (!hook.active) {
    return { kind: 'off', text: hook.disabled_reason ? `Off: ${hook.disabled_reason}` : 'Off' };
  }
  if (hook.retry_at) {
    return { kind: 'failing', text: `Retrying: ${hook.last_error || 'no answer'}` };
  }
  if (hook.last_status) return { kind: 'ok', text: `Last answer ${hook.last_status}` };
  return { kind: 'idle', text: 'Nothing sent yet' };
}

export function deliveryResult(row) {
  if (row.status_code && row.status_code >= 200 && row.status_code < 300) {
    return `${row.status_code}`;
  }
  const code = row.status_code ? `${row.status_code} ` : '';
  return `${code}${row.error || 'failed'}`.trim();
}
