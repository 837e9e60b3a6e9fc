// One live socket that keeps itself connected: backoff on failure, a ping every heartbeat,
// a fresh URL (token, since) on every attempt, and a status for the indicator:
//   connecting -> live -> reconnecting -> live ...;  offline while the browser says so, or
//   once OFFLINE_AFTER attempts in a row failed (the server is away), with the time of the
//   next attempt for a countdown.

// Exponential, capped, with jitter so a restarted server is not hit by every tab at once.
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(5000, 250 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.5));
}

// Failed attempts before the indicator stops saying "Reconnecting…": a restart of the
// server costs one or two, a server that is down keeps failing.
export const OFFLINE_AFTER = 3;

// The status after `failures` attempts in a row came to nothing.
export function statusAfter(failures, online = true) {
  return !online || failures >= OFFLINE_AFTER ? 'offline' : 'reconnecting';
}

export const CLOSE_AUTH = 4401;
export const CLOSE_FORBIDDEN = 4403;

export class LiveSocket {
  // url(): the URL for the next attempt, or null to wait (no token yet)
  // onFrame(frame), onStatus(status, {retryAt, network}), onClose(code) -> 'stop' | 'retry' |
  // Promise of those. retryAt: when the next attempt starts (null while one is under way).
  constructor({ url, onFrame, onStatus, onClose }) {
    Object.assign(this, { url, onFrame, onStatus, onClose });
    this.ws = null;
    this.status = 'connecting';
    this.retryAt = null;
    this.attempt = 0;
    this.failures = 0; // attempts since the last hello that ended without one
    this.stopped = false;
    this.retryTimer = null;
    this.pingTimer = null;
    this.heardAt = 0;
    this.heartbeatMs = 25_000;
    this.onOnline = () => this.reconnectNow();
    this.onOffline = () => this.goOffline();
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
  }

  setStatus(status, retryAt = null) {
    if (status === this.status && retryAt === this.retryAt) return;
    this.status = status;
    this.retryAt = retryAt;
    this.onStatus(status, { retryAt, network: navigator.onLine });
  }

  start() {
    if (!navigator.onLine) return this.goOffline();
    this.open();
  }

  open() {
    clearTimeout(this.retryTimer);
    if (this.stopped) return;
    const url = this.url();
    if (!url) return this.retry();
    const ws = new WebSocket(url);
    this.ws = ws;
    let greeted = false;
    if (this.retryAt !== null) this.setStatus(this.status);
    ws.onmessage = (message) => {
      if (ws !== this.ws) return;
      this.heardAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (frame.type === 'hello') {
        greeted = true;
        this.attempt = 0;
        this.failures = 0;
        this.heartbeatMs = Math.max(1, frame.heartbeat_s || 25) * 1000;
        this.startPings();
        this.setStatus('live');
      }
      this.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (ws !== this.ws) return;
      this.ws = null;
      if (!greeted) this.failures += 1;
      this.stopPings();
      this.closed(event.code);
    };
  }

  async closed(code) {
    if (this.stopped) return;
    if (!navigator.onLine) return this.goOffline();
    const verdict = await this.onClose(code);
    if (verdict === 'stop') return this.stop();
    this.retry();
  }

  retry() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const delay = backoffDelay(this.attempt++);
    this.setStatus(statusAfter(this.failures, navigator.onLine), Date.now() + delay);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  // The browser is back online, a resync failed, or the user pressed "Retry now". An
  // offline board stays "Offline" while it tries: one more failure is no news.
  reconnectNow() {
    if (this.stopped) return;
    this.attempt = 0;
    if (this.ws) this.drop();
    this.setStatus(this.status === 'offline' ? 'offline' : 'reconnecting');
    this.open();
  }

  // The browser went offline: a socket may linger half-open for minutes, so drop it now
  // and resume (since = last seq) when the network is back.
  goOffline() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    if (this.ws) this.drop();
    this.setStatus('offline');
  }

  drop() {
    const ws = this.ws;
    this.ws = null;
    this.stopPings();
    try {
      ws.close(1000);
    } catch {
      // already closing
    }
  }

  startPings() {
    this.stopPings();
    this.pingTimer = setInterval(() => {
      // Silence for 2.5 heartbeats (server heartbeats and pongs both count) = a dead link.
      if (Date.now() - this.heardAt > this.heartbeatMs * 2.5) {
        this.drop();
        this.retry();
        return;
      }
      this.send({ type: 'ping' });
    }, this.heartbeatMs);
  }

  stopPings() {
    clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.ws) this.drop();
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
  }
}

export function socketUrl(path, params) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const known = Object.entries(params).filter(([, value]) => value !== null && value !== undefined);
  const query = new URLSearchParams(known).toString();
  return `${scheme}://${location.host}${path}?${query}`;
}
