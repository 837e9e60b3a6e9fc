"""The socket core, apart from any board: the protocol base every consumer shares (token
expiry and refresh, limits, heartbeats, caps), the process's one channel on the layer and
its health (hub.py), user and session groups with their pushes (groups.py)."""
