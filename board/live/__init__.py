"""Board events to sockets in one process: a stream per board fed by the channel layer and
the log (stream.py), a Feed per socket that sends each event once and in order (cursor.py),
the watcher that repairs from the log and re-checks membership (watcher.py), and presence
(presence.py). Consumers (board/consumers/) only speak the protocol on top of these."""
