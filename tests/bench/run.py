"""`make bench`: B1, B2, B5, B6, B7, B8, B9 and B10 (the 10 min soak) with their baselines,
then JSON, a table and a plot.

    python -m tests.bench.run [--only B1,B6] [--quick]

Loopback only; every server is started here on a free port, pinned, and stopped by PID."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import procs, report
from .harness import Harness

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Ctx:
    harness: Harness
    app: procs.Proc
    app_port: int
    raw: procs.Proc
    raw_port: int
    quick: bool
    sizes: list[int]
    profile: bool = False
    smoke: bool = False
    app_env: dict[str, str] = field(default_factory=dict)

    def profile_start(self, name: str, pid: int | None = None, idle: bool = False):
        """A py-spy recording of daphne for one phase (only with --profile)."""
        if not self.profile:
            return None
        from .profiling import Recording

        return Recording(pid or self.app.pid, RESULTS / f"profile-{name}.txt", idle=idle)


def raise_fd_limit() -> int:
    """Soft limit up to the hard one (children inherit it). This sandbox caps the hard limit
    at 20000 without CAP_SYS_RESOURCE, so B2 runs its two servers one after the other."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want


async def scenarios(ctx: Ctx, only: set[str]) -> dict:
    from . import b1_fanout, b2_idle, b5_burst, b6_rest, b7_digest, b8_reports, b9_webhooks

    out: dict = {}
    if "B5" in only:
        out["B5"] = await (b5_burst.run(ctx, 20, 100) if ctx.smoke else b5_burst.run(ctx))
        print(f"B5: {json.dumps(out['B5'])}", flush=True)
    if "B6" in only:
        out["B6"] = await b6_rest.run(ctx, seconds=1.0 if ctx.quick else 3.0)
        print(
            f"B6: {json.dumps({k: v for k, v in out['B6'].items() if k != 'rounds'})}", flush=True
        )
    if "B7" in only:
        # Sync ORM work: off the event loop (Django refuses it inside one).
        size = (200, 2000) if ctx.smoke else (1000, 10_000) if ctx.quick else (10_000, 100_000)
        out["B7"] = await asyncio.to_thread(b7_digest.run, *size, profile=ctx.profile)
        print(f"B7: {json.dumps(out['B7'])}", flush=True)
    if "B8" in only:
        size = (100, 2000, 1500) if ctx.smoke else (500, 20_000, 2500)
        out["B8"] = await asyncio.to_thread(b8_reports.run, *size)
        print(f"B8: {json.dumps(out['B8'])}", flush=True)
    if "B9" in only:
        size = (200, 3, 50) if ctx.smoke else (1000, 5, 200)
        out["B9"] = await asyncio.to_thread(b9_webhooks.run, *size)
        print(f"B9: {json.dumps(out['B9'])}", flush=True)
    if "B2" in only:
        out["B2"] = await b2_idle.run(ctx, 1000 if ctx.quick else 10000)
        print(f"B2: {json.dumps(out['B2'])}", flush=True)
    if "PEERS" in only or "B1" in only:
        from . import peers

        # SPEC 10: B1 also runs its peers (`--only PEERS`: them alone). Fresh servers, N
        # sockets each on one channel; the smoke's N=20 only shows each one delivers.
        out["PEERS"] = await (
            peers.run(ctx, n=20, rounds=1, count=5, interval=0.05, settle=1.0)
            if ctx.smoke
            else peers.run(ctx)
        )
        print(f"PEERS: {json.dumps(peers.brief(out['PEERS']))}", flush=True)
    if "B1" in only:
        out["B1"] = []
        for n in ctx.sizes:
            interval = 0.1 if n <= 100 else 0.2
            if ctx.smoke:
                res = await b1_fanout.run_size(ctx, n, rounds=1, count=5, interval=0.05)
            else:
                res = await b1_fanout.run_size(ctx, n, rounds=3, count=30, interval=interval)
            keys = ("raw_summary", "app_summary", "cpu_ratio_median", "connect_s", "profile")
            print(f"B1 N={n}: {json.dumps({k: res.get(k) for k in keys})}", flush=True)
            out["B1"].append(res)
    if "B10" in only:
        # Last: the soak runs on the daphne the other scenarios warmed. --quick: 2 + 1 min.
        from . import b10_soak

        timing = (120.0, 60.0) if ctx.quick else (120.0, 480.0)
        out["B10"] = await b10_soak.run(ctx, warm_s=timing[0], measure_s=timing[1])
        print(f"B10: {json.dumps({k: v for k, v in out['B10'].items() if k != 'rss_series'})}",
              flush=True)  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="B1,B2,B5,B6,B7,B8,B9,B10")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--layer", default="", help="CHANNEL_LAYER for daphne (core|pubsub)")
    parser.add_argument("--profile", action="store_true", help="py-spy the daphne phases")
    parser.add_argument("--smoke", action="store_true", help="make test's tiny B1, B5, B7")
    parser.add_argument("--out", default=str(RESULTS), help="where JSON/table/plot go")
    parser.add_argument("--sizes", default="10,100,1000", help="B1 board sizes")
    args = parser.parse_args()
    only = {s.strip().upper() for s in args.only.split(",")}
    if args.smoke:
        only, args.sizes = {"B1", "B5", "B7", "B8"}, "20"
    raise_fd_limit()
    started = time.monotonic()
    meta = {"started_at": datetime.now(UTC).isoformat(), "loadavg_start": os.getloadavg()}
    if args.layer:
        os.environ["CHANNEL_LAYER"] = args.layer  # this process's Django and daphne alike
    harness = Harness()
    app = raw = None
    try:
        harness.start()
        extra = {"CHANNEL_LAYER": args.layer} if args.layer else {}
        app, app_port = procs.start_daphne(harness.env(**extra), harness.log_dir)
        raw, raw_port = procs.start_raw(harness.log_dir)
        sizes = [int(n) for n in args.sizes.split(",")]
        ctx = Ctx(
            harness,
            app,
            app_port,
            raw,
            raw_port,
            args.quick,
            sizes,
            args.profile,
            args.smoke,
            extra,
        )
        from django.conf import settings

        layer_name = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
        results = asyncio.run(scenarios(ctx, only))
    finally:
        for proc in (app, raw):
            if proc is not None:
                proc.stop()
        harness.stop()
    meta["loadavg_end"] = os.getloadavg()
    meta["duration_s"] = time.monotonic() - started
    # Two cores: a 1-minute load above ~2.5 means someone else's work shared ours.
    meta["noisy"] = max(meta["loadavg_start"][0], meta["loadavg_end"][0]) > 2.5
    meta["layer"] = layer_name
    print(report.write({"meta": meta, **results}, Path(args.out), with_plot=not args.smoke))
    print(f"done in {meta['duration_s']:.0f} s; logs in {harness.log_dir}")


if __name__ == "__main__":
    main()
