// Every dialog opens through here: showModal() plus a focus trap. Chromium's modal dialog
// lets Tab leave the last control for the browser's own UI and then <body> once per cycle;
// a keyboard user then loses the dialog. Tab from the last control goes to the first,
// Shift+Tab from the first to the last. Focus returns where it was when the dialog closes.

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
  'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export function focusables(root) {
  return [...root.querySelectorAll(FOCUSABLE)].filter(
    (el) => !el.closest('[hidden]') && el.getClientRects().length > 0,
  );
}

// dialog: a <dialog> not yet in the document; returnFocus(): where focus goes on close
// (default: the element focused before). Removed from the document when it closes.
export function openModal(dialog, { returnFocus } = {}) {
  const before = document.activeElement;
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const items = focusables(dialog);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const inside = dialog.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    const target = returnFocus ? returnFocus() : before;
    if (target && target.isConnected && target.focus) target.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
