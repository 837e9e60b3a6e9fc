// A peer of B1 (SPEC section 10): Socket.IO 4 fanning one event out to every socket in a room.
// `node socketio_server.mjs PORT` on 127.0.0.1. Subscribers connect over the WebSocket
// transport only (no long-polling: the bench's clients speak engine.io v4 framing directly)
// and join one room; `POST /publish` with a task's JSON builds the same kind of frame the app
// sends (`{"type":"event","seq":N,...}`) and emits it to the room once, answering the seq.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import process from 'node:process';
import { Server } from 'socket.io';

const ROOM = 'bench';
let seq = 0;

function publish(io, body) {
  seq += 1;
  const frame = {
    type: 'event',
    seq,
    name: 'task.updated',
    data: JSON.parse(body),
    actor: null,
    client_op_id: null,
    at: new Date().toISOString(),
  };
  io.to(ROOM).emit('event', frame);
  return seq;
}

function onRequest(req, res) {
  if (req.method !== 'POST' || req.url !== '/publish') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = String(publish(io, Buffer.concat(chunks).toString()));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
    res.end(body);
  });
}

// Given before socket.io attaches: it keeps /socket.io/ for itself and hands this the rest.
const http = createServer(onRequest);
// The publisher keeps one connection across rounds that are seconds apart.
http.keepAliveTimeout = 0;
const io = new Server(http, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => socket.join(ROOM));
http.listen(Number(process.argv[2]), '127.0.0.1');
