// The board's connection indicator: live, reconnecting, or offline with a countdown to the
// next attempt and a "Retry now". The state word sits in a polite live region; the countdown
// ticks beside it, outside that region, so a screen reader is not read a number a second.

import { h } from './ui.js';

const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

const ticking = new WeakMap();

// onRetry(): connect now instead of waiting for the countdown.
export function connectionIndicator(onRetry) {
  return h(
    'span',
    { class: 'conn' },
    h('span', { class: 'conn-label', role: 'status', 'aria-live': 'polite' }),
    h('span', { class: 'conn-detail' }),
    h(
      'button',
      { type: 'button', class: 'btn btn-small conn-retry', hidden: true, onclick: onRetry },
      'Retry now',
    ),
  );
}

// connection: { status, retryAt (ms timestamp of the next attempt, or null), network (the
// browser thinks it is online) }
export function renderConnection(el, { status, retryAt = null, network = true }) {
  el.className = `conn conn-${status}`;
  el.dataset.status = status;
  const [label, detail, retry] = el.children;
  if (label.textContent !== STATUS_TEXT[status]) label.textContent = STATUS_TEXT[status];
  retry.hidden = status !== 'offline';
  clearInterval(ticking.get(el));
  const show = () => {
    detail.textContent = status === 'offline' ? ` · ${offlineDetail(retryAt, network)}` : '';
    detail.hidden = !detail.textContent;
  };
  show();
  if (status === 'offline' && retryAt) ticking.set(el, setInterval(show, 1000));
}

function offlineDetail(retryAt, network) {
  if (!network) return 'no network';
  if (!retryAt) return 'connecting…';
  const seconds = Math.ceil((retryAt - Date.now()) / 1000);
  return seconds > 0 ? `retrying in ${seconds} s` : 'connecting…';
}
