// The socket's status for the indicator, with a fake WebSocket and fake timers: a restart
// reads "Reconnecting…", a server that stays away "Offline" with the time of the next try,
// and "Retry now" tries at once without going back to "Reconnecting…".
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';

class FakeSocket {
  static all = [];
  static OPEN = 1;
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
  }
  send(data) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  hello() {
    this.readyState = 1;
    this.onmessage({ data: JSON.stringify({ type: 'hello', heartbeat_s: 25 }) });
  }
  fail() {
    this.readyState = 3;
    this.onclose({ code: 1006 });
  }
}

globalThis.WebSocket = FakeSocket;
globalThis.navigator = { onLine: true };
globalThis.window = { addEventListener() {}, removeEventListener() {} };

const { LiveSocket, OFFLINE_AFTER, statusAfter } = await import('../static/frontend/socket.js');

function setup() {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 });
  FakeSocket.all = [];
  const seen = [];
  const socket = new LiveSocket({
    url: () => 'ws://test/ws/boards/1/',
    onFrame: () => {},
    onStatus: (status, info) => seen.push({ status, ...info }),
    onClose: async () => 'retry',
  });
  socket.start();
  const last = () => FakeSocket.all[FakeSocket.all.length - 1];
  return { socket, seen, last };
}

// One failed attempt: its close, then the timer of the next one (the close is async).
async function failAndWait(last) {
  last().fail();
  await Promise.resolve();
  await Promise.resolve();
  mock.timers.tick(10_000);
}

test('statusAfter: reconnecting for the first failures, then offline', () => {
  assert.equal(statusAfter(0), 'reconnecting');
  assert.equal(statusAfter(OFFLINE_AFTER - 1), 'reconnecting');
  assert.equal(statusAfter(OFFLINE_AFTER), 'offline');
  assert.equal(statusAfter(0, false), 'offline');
});

test('a server that stays away: Reconnecting…, then Offline with the next try’s time', async () => {
  const { socket, seen, last } = setup();
  try {
    last().hello();
    assert.equal(socket.status, 'live');
    await failAndWait(last); // the live socket closes: a restart, most likely
    assert.equal(seen.at(-1).status, 'reconnecting');
    for (let i = 0; i < OFFLINE_AFTER - 1; i++) {
      await failAndWait(last);
      assert.equal(socket.status, 'reconnecting', `after ${i + 1} failed attempts`);
    }
    last().fail();
    await Promise.resolve();
    await Promise.resolve();
    const now = Date.now();
    const offline = seen.at(-1);
    assert.equal(offline.status, 'offline');
    assert.ok(offline.retryAt > now && offline.retryAt <= now + 6250, 'a countdown to show');
    // "Retry now": a new socket at once, and the board stays "Offline" while it tries.
    const before = FakeSocket.all.length;
    socket.reconnectNow();
    assert.equal(FakeSocket.all.length, before + 1);
    assert.equal(socket.status, 'offline');
    assert.equal(seen.at(-1).retryAt, null, 'trying now: no countdown');
    last().hello();
    assert.equal(socket.status, 'live');
    // Back to square one: the next drop reads "Reconnecting…" again.
    await failAndWait(last);
    assert.equal(socket.status, 'reconnecting');
  } finally {
    socket.stop();
    mock.timers.reset();
  }
});
