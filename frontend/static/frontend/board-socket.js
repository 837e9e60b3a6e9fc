// The board page's socket: from the snapshot's seq (and epoch), every frame handed to the
// page, and what a close means (4401: refresh the token or log in again; 4403: no access).

import * as auth from './auth.js';
import { showNotification } from './notify.js';
import { CLOSE_AUTH, CLOSE_FORBIDDEN, LiveSocket, socketUrl } from './socket.js';
import { toast } from './ui.js';

// page: the BoardPage of board.js (hello, ingest, heartbeat, resync, presence, status)
export function boardSocket(page, navigate) {
  return new LiveSocket({
    url: () => {
      const token = auth.accessToken();
      const query = { token, since: page.state.seq, epoch: page.epoch };
      return token ? socketUrl(`/ws/boards/${page.boardId}/`, query) : null;
    },
    onStatus: (status, info) => page.statusChanged(status, info),
    onFrame: (frame) => onFrame(page, frame),
    onClose: (code) => onClose(code, navigate),
  });
}

function onFrame(page, frame) {
  switch (frame.type) {
    case 'hello':
      page.hello(frame);
      break;
    case 'event':
      page.ingest(frame);
      break;
    case 'heartbeat':
      page.heartbeat(frame.seq);
      break;
    case 'resync_required':
      page.resync();
      break;
    case 'presence':
      page.presenceChanged(frame.users || []);
      break;
    case 'notification':
      showNotification(frame);
      break;
    case 'error':
      console.warn('socket error frame', frame.code, frame.detail);
      break;
    default:
  }
}

async function onClose(code, navigate) {
  if (code === CLOSE_AUTH) {
    if (await auth.refresh()) return 'retry';
    navigate('/');
    return 'stop';
  }
  if (code === CLOSE_FORBIDDEN) {
    toast({ title: 'You no longer have access to this board', kind: 'error' });
    navigate('/');
    return 'stop';
  }
  return 'retry';
}
