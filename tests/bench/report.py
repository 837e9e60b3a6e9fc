"""Turn a results JSON into the markdown table (with target verdicts) and the PNG plot."""

from __future__ import annotations

import json
from pathlib import Path


def _f(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def verdicts(res: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, holds) for each spec target present in the results."""
    out: list[tuple[str, str, bool | None]] = []
    b1 = {row["n"]: row for row in res.get("B1", [])}
    if b1:
        worst = min(row["app_summary"]["delivered_pct"] for row in b1.values())
        out.append(("B1 100% delivered (all N)", f"{worst:.2f}%", worst >= 100.0))
    if 1000 in b1:
        big = b1[1000]
        ratio = big["cpu_ratio_median"]
        out.append(
            ("B1 CPU/delivery ≤ 6× raw (N=1000)", f"{_f(ratio)}×", ratio is not None and ratio <= 6)
        )
        p99 = big["app_summary"]["last_socket_ms_p99"]
        out.append(
            ("B1 N=1000 last-socket p99 ≤ 150 ms", f"{_f(p99)} ms", p99 is not None and p99 <= 150)
        )
    if "B2" in res:
        app = res["B2"]["app"]
        ok = app["open_after_idle"] >= 10000
        out.append(("B2 ≥ 10,000 idle sockets", f"{app['open_after_idle']} open", ok))
        kib = app["kib_per_socket"]
        out.append(("B2 ≤ 50 KiB per socket", f"{kib:.1f} KiB", kib <= 50))
    if "PEERS" in res:
        from .peers import verdicts as peers_verdicts

        out += peers_verdicts(res["PEERS"])
    if "B2" in res:
        # SPEC 10's peer target for B2, beside its own 50 KiB one.
        kib = res["B2"]["app"]["kib_per_socket"]
        out.append(("B2 ≤ 35 KiB per socket (peers target)", f"{kib:.1f} KiB", kib <= 35))
    if "B5" in res:
        b5 = res["B5"]
        out.append(
            (
                "B5 every socket ends with all 500",
                f"{b5['complete']}/{b5['sockets']} sockets",
                b5["all_complete"],
            )
        )
    if "B6" in res:
        for kind in ("list", "patch"):
            ratio = res["B6"]["ratio_to_plain"][kind]
            out.append((f"B6 {kind} ≥ 25% of plain view", f"{_f(100 * ratio)}%", ratio >= 0.25))
    b7 = res.get("B7")
    if b7 is not None:
        if b7.get("measurable") is False:
            out.append(("B7 digest 10k users / 100k tasks", b7["reason"], None))
        else:
            size = f"{b7['users']:,} users / {b7['tasks']:,} tasks"
            out.append((f"B7 ≤ 10 s ({size})", f"{_f(b7['digest_s'])} s", b7["digest_s"] <= 10))
            queries = f"{b7['queries']} (bound {b7['query_bound']})"
            ok = b7["queries"] <= b7["query_bound"]
            out.append(("B7 bounded SQL queries", queries, ok))
            out.append(("B7 ≤ 5× floor", f"{_f(b7['ratio'])}×", b7["ratio"] <= 5))
    if "B8" in res:
        from .b8_reports import verdicts as b8_verdicts

        out += b8_verdicts(res["B8"])
    if "B9" in res:
        from .b9_webhooks import verdicts as b9_verdicts

        out += b9_verdicts(res["B9"])
    if "B10" in res:
        from .b10_soak import verdicts as b10_verdicts

        out += b10_verdicts(res["B10"])
    return out


def markdown(res: dict) -> str:
    meta = res["meta"]
    lines = [
        f"Run {meta['started_at']} — {meta['duration_s']:.0f} s; load average at start "
        f"{' / '.join(f'{x:.2f}' for x in meta['loadavg_start'])}, at end "
        f"{' / '.join(f'{x:.2f}' for x in meta['loadavg_end'])}"
        + (" (**noisy**: other work on the machine)" if meta.get("noisy") else "")
        + f"; channel layer `{meta.get('layer', 'core')}`.",
        "",
        "| target | measured | holds |",
        "|---|---|---|",
    ]
    for target, measured, holds in verdicts(res):
        mark = "n/a" if holds is None else ("yes" if holds else "**missed**")
        lines.append(f"| {target} | {measured} | {mark} |")
    if res.get("B1"):
        lines += [
            "",
            "B1 fan-out (medians of 3 alternating rounds; CPU from /proc schedstat):",
            "",
            "| N | delivered | raw µs/deliv | app µs/deliv | ratio | raw p50/p99 ms | "
            "app p50/p99 ms | valid |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in res["B1"]:
            r, a = row["raw_summary"], row["app_summary"]
            lines.append(
                f"| {row['n']} | {a['delivered_pct']:.1f}% | {_f(r['cpu_us_per_delivery'])} | "
                f"{_f(a['cpu_us_per_delivery'])} | {_f(row['cpu_ratio_median'])}× | "
                f"{_f(r['last_socket_ms_p50'])} / {_f(r['last_socket_ms_p99'])} | "
                f"{_f(a['last_socket_ms_p50'])} / {_f(a['last_socket_ms_p99'])} | "
                f"{'yes' if r['valid'] and a['valid'] else 'no (generator busy)'} |"
            )
    if "B2" in res:
        b2 = res["B2"]
        lines += [
            "",
            "B2 idle sockets:",
            "",
            "| server | open after idle | KiB/socket | connect s |",
            "|---|---|---|---|",
        ]
        for side in ("raw", "app"):
            row = b2[side]
            lines.append(
                f"| {side} | {row['open_after_idle']}/{row['sockets']} | "
                f"{row['kib_per_socket']:.1f} | {row['connect_s']:.1f} |"
            )
    if "PEERS" in res:
        from .peers import markdown as peers_markdown

        lines += peers_markdown(res["PEERS"])
    if "B5" in res:
        b5 = res["B5"]
        lines += [
            "",
            f"B5 burst: {b5['patch_ok']}/{b5['changes']} PATCHes in {b5['burst_s']:.1f} s; "
            f"{b5['complete_live']} sockets complete live, {b5['resumed']} resumed, "
            f"{b5['complete']}/{b5['sockets']} complete, {b5['disorder']} out-of-order.",
        ]
    if "B6" in res:
        b6 = res["B6"]
        cpu = {
            k: sorted(r["cpu_ms_per_request"] for r in rows)[1] if len(rows) >= 3 else None
            for k, rows in b6["rounds"].items()
        }
        lines += [
            "",
            "B6 REST (4 keep-alive connections, medians of 3 rounds):",
            "",
            "| endpoint | req/s | server CPU ms/req | vs plain |",
            "|---|---|---|---|",
        ]
        for kind in ("plain", "list", "patch"):
            ratio = 1.0 if kind == "plain" else b6["ratio_to_plain"][kind]
            lines.append(
                f"| {kind} | {b6['rps'][kind]:.0f} | {_f(cpu[kind], 2)} | {100 * ratio:.0f}% |"
            )
    b7 = res.get("B7")
    if b7 and b7.get("measurable") is not False:
        lines += [
            "",
            f"B7 digest (`send_due_today --date`, locmem mail, pushes to Redis): "
            f"{b7['digests']} digests and {b7['mails']} mails for {b7['users']:,} users / "
            f"{b7['tasks']:,} tasks in {b7['digest_s']:.2f} s with {b7['queries']} SQL queries; "
            f"floor (one raw query + the same templates and mails) {b7['floor_s']:.2f} s; "
            f"ratio {b7['ratio']:.1f}×; seeding {b7['seed_s']:.0f} s (not measured).",
        ]
    if "B10" in res:
        from .b10_soak import markdown as b10_markdown

        lines += b10_markdown(res["B10"])
    return "\n".join(lines) + "\n"


def plot(res: dict, path: Path) -> None:
    rows = res.get("B1", [])
    if not rows:  # nothing to plot: matplotlib is not needed (`--only B8,B9`)
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ns = [r["n"] for r in rows]
    fig, (lat, cpu) = plt.subplots(1, 2, figsize=(11, 4.2))
    for side, style in (("raw", "o--"), ("app", "s-")):
        for q in ("p50", "p99"):
            ys = [r[f"{side}_summary"][f"last_socket_ms_{q}"] for r in rows]
            lat.plot(ns, ys, style, label=f"{side} {q}")
    lat.axhline(150, color="red", lw=0.8, ls=":", label="target p99 (N=1000)")
    lat.set(
        xscale="log",
        yscale="log",
        xlabel="sockets on the board (N)",
        ylabel="last-socket latency, ms",
        title="B1 latency vs board size",
    )
    lat.legend(fontsize=8)
    raw = [r["raw_summary"]["cpu_us_per_delivery"] for r in rows]
    app = [r["app_summary"]["cpu_us_per_delivery"] for r in rows]
    xs = range(len(ns))
    cpu.bar([x - 0.2 for x in xs], raw, 0.4, label="raw websockets")
    cpu.bar([x + 0.2 for x in xs], app, 0.4, label="daphne + channels")
    for x, r in zip(xs, rows, strict=True):
        cpu.annotate(f"{_f(r['cpu_ratio_median'])}×", (x + 0.2, app[x]), ha="center", va="bottom")
    cpu.set(
        xticks=list(xs),
        xticklabels=[str(n) for n in ns],
        yscale="log",
        xlabel="N",
        ylabel="server CPU µs per delivery",
        title="B1 CPU per delivery vs raw",
    )
    cpu.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write(res: dict, out_dir: Path, with_plot: bool = True) -> str:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(res, indent=1))
    table = markdown(res)
    (out_dir / "latest.md").write_text(table)
    if with_plot:  # the smoke run in `make test` has no matplotlib (the `bench` extra)
        plot(res, out_dir / "b1.png")
    return table
