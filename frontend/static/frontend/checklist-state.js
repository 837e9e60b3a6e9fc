// A card's checklist as plain data: the items by id, folded from the list the API returns and
// from checklist_item.* events; the progress a card and the dialog show; the move body for
// "move up" and "move down". No DOM: `node --test` covers it.

// items: { id: item }; rows: the API's list (any order).
export function itemsFrom(rows) {
  const items = {};
  for (const row of rows || []) items[row.id] = row;
  return items;
}

export function sortedItems(items) {
  return Object.values(items).sort((a, b) => a.order - b.order || a.id - b.id);
}

// An item never goes back in time: our own REST answer may land after an event that already
// carried a newer version of it.
function put(items, row) {
  const old = items[row.id];
  if (old && old.version > row.version) return items;
  const { counts, reordered, ...item } = row;
  void counts;
  void reordered;
  return { ...items, [row.id]: item };
}

// One board event applied to the checklist of task `taskId` (events of other cards: as is).
export function applyItemEvent(items, event, taskId) {
  const data = event.data || {};
  if (data.task !== taskId) return items;
  if (event.name === 'checklist_item.deleted') {
    if (!(data.id in items)) return items;
    const next = { ...items };
    delete next[data.id];
    return next;
  }
  if (event.name !== 'checklist_item.created' && event.name !== 'checklist_item.updated') {
    return items;
  }
  let next = put(items, data);
  // Siblings renumbered by a move keep their version (as tasks do): only the order changes.
  for (const { id, order } of data.reordered || []) {
    if (next[id] && id !== data.id) next = { ...next, [id]: { ...next[id], order } };
  }
  return next;
}

// { done, total, text: "3/5", percent } from the items, or from a task's counters.
export function progressOf(source) {
  let done;
  let total;
  // A task (its counters; an unsaved card has none yet) or the dialog's items by id.
  if (source && ('checklist_total' in source || 'id' in source)) {
    done = source.checklist_done || 0;
    total = source.checklist_total || 0;
  } else {
    const list = Object.values(source || {});
    total = list.length;
    done = list.filter((item) => item.done).length;
  }
  done = Math.min(Math.max(done, 0), total);
  const percent = total ? Math.round((done / total) * 100) : 0;
  return { done, total, text: `${done}/${total}`, percent };
}

export function progressSpoken({ done, total }) {
  return `${done} of ${total} checklist ${total === 1 ? 'item' : 'items'} done`;
}

// The PATCH anchor that moves item `id` one place up or down, or null at either end.
export function moveBody(items, id, direction) {
  const ids = sortedItems(items).map((item) => item.id);
  const at = ids.indexOf(id);
  if (at < 0) return null;
  if (direction === 'up') return at > 0 ? { before: ids[at - 1] } : null;
  if (direction === 'down') return at < ids.length - 1 ? { after: ids[at + 1] } : null;
  return null;
}
