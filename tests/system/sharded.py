"""The stack scaled out: the channel layer sharded over two private redis-servers
(CHANNEL_LAYER_URLS), three daphnes behind nginx. The cache, sessions and Huey stay on
REDIS_URL, a database of its own on shard 0, so restarting shard 1 touches the layer only."""

from __future__ import annotations

from channels_redis.utils import _consistent_hash

from tests.support.ports import free_port
from tests.support.servers import start_redis

from .stack import Stack

SHARDS = 2
DAPHNES = 3


class ShardedStack(Stack):
    def __init__(self) -> None:
        super().__init__()
        self.daphne_ports = [free_port() for _ in range(DAPHNES)]
        self.shard_ports = [free_port() for _ in range(SHARDS)]
        self.redis_port = self.shard_ports[0]
        self.env.update(
            {
                "REDIS_URL": f"redis://127.0.0.1:{self.shard_ports[0]}/1",
                "CHANNEL_LAYER_URLS": ",".join(
                    f"redis://127.0.0.1:{port}/0" for port in self.shard_ports
                ),
                # The heartbeat's repair from the log would hide a group that stopped
                # delivering; past the tests' deadlines, only the fault handling can pass.
                "WS_HEARTBEAT_SECONDS": "120",
            }
        )

    def start_redis(self) -> None:
        for shard in range(SHARDS):
            self.start_shard(shard)

    def start_shard(self, shard: int) -> None:
        workdir = self.tmp / f"redis{shard}"
        workdir.mkdir(exist_ok=True)
        self.procs[f"redis{shard}"] = start_redis(self.shard_ports[shard], workdir, self.env)

    def start_daphne(self, index: int) -> None:
        # Five ports are picked at the start and bound only after the migrations: another
        # process's outgoing connection may take one in between. Until nginx is configured
        # with them, a daphne may move to a new port.
        for attempt in range(3):
            try:
                return super().start_daphne(index)
            except RuntimeError as exc:
                if "nginx" in self.procs or "already in use" not in str(exc) or attempt == 2:
                    raise
                self.daphne_ports[index] = free_port()

    def start_nginx(self) -> None:
        for attempt in range(3):
            try:
                return super().start_nginx()
            except RuntimeError as exc:
                if "already in use" not in str(exc) or attempt == 2:
                    raise
                self.nginx_port = free_port()

    def kill_shard(self, shard: int) -> None:
        """SIGKILL, by the PID we started: no persistence, so what it held is gone."""
        self.procs[f"redis{shard}"].kill()

    def daphne_url(self, index: int, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.daphne_ports[index]}"


def shard_of(group: str) -> int:
    """The shard channels-redis keeps `group` on (every process lists the same hosts)."""
    return _consistent_hash(group, SHARDS)
