"""The side-by-side table of benchmarks/compare.py: medians over the reps for each stack, and the median with
[min-max] of the per-rep ratios ours / Node (for the long-running row: per rep of the pair)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks.harness import median

Getter = Callable[[dict[str, Any]], float]


def _values(reps: list[dict[str, Any]], workload: str, stack: str, get: Getter) -> list[float]:
    return [float(get(rep[workload][stack])) for rep in reps]


def _ratios(reps: list[dict[str, Any]], workload: str, get: Getter) -> list[float]:
    return [float(get(rep[workload]["ours"])) / float(get(rep[workload]["node"])) for rep in reps]


def _ratio_cell(ratios: list[float], note: str = "") -> str:
    if not ratios:
        return "-"
    cell = f"**{median(ratios):.2f}** [{min(ratios):.2f}-{max(ratios):.2f}]"
    return f"{cell} {note}".strip()


def _int(value: float) -> str:
    return f"{value:,.0f}"


def rows(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    reps: list[dict[str, Any]] = document["reps"]
    out: list[tuple[str, str, str, str]] = []

    def med(workload: str, stack: str, get: Getter) -> float:
        return median(_values(reps, workload, stack, get))

    def rps(r: dict[str, Any]) -> float:
        return float(r["rps"])

    def hello_cell(stack: str) -> str:
        return f"{_int(med('hello', stack, rps))} req/s"

    out.append(
        (
            "hello (bare GET endpoint) c=16",
            hello_cell("ours"),
            hello_cell("node"),
            _ratio_cell(_ratios(reps, "hello", rps)),
        )
    )

    def order_cell(stack: str) -> str:
        return (
            f"{_int(med('orders', stack, lambda r: r['load']['rps']))} /s, "
            f"p99 {med('orders', stack, lambda r: r['load']['p99_ms']):.1f} ms, "
            f"{_int(med('orders', stack, lambda r: r['load']['cpu_us_per_request']))} µs CPU/order"
        )

    out.append(
        (
            "place an order, c=16, fresh servers",
            order_cell("ours"),
            order_cell("node"),
            _ratio_cell(_ratios(reps, "orders", lambda r: r["load"]["rps"])),
        )
    )

    long_running: dict[str, Any] = document["long_running"]

    def long_cell(stack: str) -> str:
        rates = [r["rps"] for r in long_running[stack]]
        busy = [r["cpu_busy"] for r in long_running[stack]]
        return (
            f"{' / '.join(_int(x) for x in rates)} /s, CPU busy {min(busy):.2f}-{max(busy):.2f}, "
            f"p99 {max(r['p99_ms'] for r in long_running[stack]):.1f} ms (worst)"
        )

    long_ratios = [o["rps"] / n["rps"] for o, n in zip(long_running["ours"], long_running["node"], strict=True)]
    out.append(
        (
            f"the same on one long-running server pair ({len(long_ratios)} reps back to back)",
            long_cell("ours"),
            long_cell("node"),
            _ratio_cell(long_ratios),
        )
    )

    def status_cell(stack: str) -> str:
        return (
            f"{_int(med('status', stack, lambda r: r['load']['rps']))} /s, "
            f"p99 {med('status', stack, lambda r: r['load']['p99_ms']):.1f} ms, "
            f"{_int(med('status', stack, lambda r: r['load']['cpu_us_per_request']))} µs CPU"
        )

    out.append(
        (
            "status change + fan-out to 5 kitchen + 200 order sockets, c=16",
            status_cell("ours"),
            status_cell("node"),
            _ratio_cell(_ratios(reps, "status", lambda r: r["load"]["rps"])),
        )
    )

    def burst_cell(stack: str) -> str:
        return (
            f"{_int(med('burst', stack, lambda r: r['burst_deliveries_per_s']))} deliveries/s, "
            f"{med('burst', stack, lambda r: r['burst_cpu_us_per_delivery']):.1f} µs CPU each"
        )

    out.append(
        (
            "burst to 1,000 kitchen sockets",
            burst_cell("ours"),
            burst_cell("node"),
            _ratio_cell(_ratios(reps, "burst", lambda r: r["burst_deliveries_per_s"])),
        )
    )

    def single(r: dict[str, Any]) -> float:
        return float(r["single_event_ms_to_last_subscriber"])

    out.append(
        (
            "one event → last of 1,000 sockets",
            f"{med('burst', 'ours', single):.1f} ms",
            f"{med('burst', 'node', single):.1f} ms",
            _ratio_cell(_ratios(reps, "burst", single), "(lower is better)"),
        )
    )

    def per_order(r: dict[str, Any]) -> float:
        return float(r["storage"]["bytes_per_order"])

    out.append(
        (
            "storage written per order (db+wal growth after a checkpoint)",
            f"{med('orders', 'ours', per_order) / 1024:.2f} KB",
            f"{med('orders', 'node', per_order) / 1024:.2f} KB",
            _ratio_cell(_ratios(reps, "orders", per_order), "(lower is better)"),
        )
    )

    def own_ratio(rep: dict[str, Any], stack: str) -> float:
        return float(rep["orders"][stack]["load"]["rps"]) / float(rep["hello"][stack]["rps"])

    ours_own = [own_ratio(rep, "ours") for rep in reps]
    node_own = [own_ratio(rep, "node") for rep in reps]
    out.append(
        (
            "orders c=16 ÷ the same stack's hello c=16",
            f"{median(ours_own):.3f}",
            f"{median(node_own):.3f}",
            _ratio_cell([o / n for o, n in zip(ours_own, node_own, strict=True)]),
        )
    )

    def rss(r: dict[str, Any]) -> float:
        return float(r["rss_mb_with_sockets"])

    out.append(
        ("RSS with 1,000 sockets", f"{med('burst', 'ours', rss):.0f} MB", f"{med('burst', 'node', rss):.0f} MB", "-")
    )
    return out


def checks(document: dict[str, Any]) -> list[str]:
    """What must hold for the figures to mean anything: no errors, every delivery made, nothing dropped."""
    lines = []
    for n, rep in enumerate(document["reps"], 1):
        for stack in ("ours", "node"):
            hello, orders, status, burst = (rep[k][stack] for k in ("hello", "orders", "status", "burst"))
            fanout = status["fanout"]
            storage = orders["storage"]
            lines.append(
                f"rep {n} {stack:4}: errors hello {hello['errors']}, orders {orders['load']['errors']}, "
                f"status {status['load']['errors']} ({status['load']['requests']:,} changes in "
                f"{status['load']['seconds']:.1f} s from a pool of {status['pool']:,}"
                f"{', POOL RAN OUT' if status['pool_ran_out'] else ''}); "
                f"kitchen sockets got {fanout['kitchen_min']:,}-{fanout['kitchen_max']:,} of >= "
                f"{fanout['kitchen_expected_at_least']:,}; order rooms updated {fanout['order_rooms_with_updates']}/"
                f"{fanout['order_rooms']}, wrong room {fanout['wrong_room']}, seq gaps {fanout['seq_gaps']}; "
                f"burst delivered {burst['burst_deliveries']:,}/{burst['burst_expected']:,}, single event "
                f"{burst['single_event_delivered']}/1000, closed {burst['sockets_closed']}; "
                f"checkpoint busy {storage['before']['checkpoint_busy']}/{storage['after']['checkpoint_busy']}"
            )
    long_running = document["long_running"]
    for stack in ("ours", "node"):
        errors = [r["errors"] for r in long_running[stack]]
        lines.append(
            f"long-running {stack}: errors per rep {errors}, RSS after {long_running[f'{stack}_rss_mb']:.0f} MB"
        )
    return lines


def print_report(document: dict[str, Any]) -> None:
    settings = document["settings"]
    print(
        f"\nOurs and the Node stand-in: {settings['reps']} interleaved rep(s), {settings['seconds']:g} s loads; "
        f"server on CPU 0, load on CPU 1; medians, ratio = median [min-max] of the per-rep ratios ours / Node\n"
    )
    print("| workload (c = concurrent clients) | ours | Node stand-in | ours / Node |")
    print("|---|---|---|---|")
    for label, ours, node, ratio in rows(document):
        print(f"| {label} | {ours} | {node} | {ratio} |")
    print()
    for line in checks(document):
        print(line)
    print(f"\n(elapsed {document['elapsed_s']:.0f} s)")
