"""How fast rulings render: the app's cost over bare WeasyPrint, one core vs both, memory.

    .venv/bin/python bench/rulings_bench.py   # ~2 minutes; BENCH_REPEAT=9

(from the repository's root).

Prints numbers and asserts nothing; needs no database (values are built by hand, as the
tests would). See bench/README.md for what each number means.
"""

from __future__ import annotations

import cProfile
import gc
import hashlib
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The pool's forkserver is started as `python -c ...` and (on 3.11) ignores our sys.path.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))

import pypdf  # noqa: E402
import weasyprint  # noqa: E402

from dispute_portal.rulings.batch import render_many, render_one  # noqa: E402
from dispute_portal.rulings.kinds import KINDS  # noqa: E402
from dispute_portal.rulings.render import (  # noqa: E402
    PDF_VARIANT,
    STATIC_DIR,
    STATIC_SCHEME,
    render_html,
    render_pdf,
)

REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
WARMUP = 2
BATCH = int(os.environ.get("BENCH_BATCH", "200"))
WORKERS = 2
MB = 1024  # ru_maxrss and VmHWM are in KiB on Linux

PARAGRAPH = (
    "The claimant has not shown that its contribution was made in the territory of the "
    "special economic city, nor that it was made for a duration and with a risk that the "
    "law on the special status requires of an investment. "
)
NAMES = [
    ("Steppe Solar Energy LLP", "Akimat of Alatau City"),
    ("Әділет Құрылыс ЖШС", "Алатау қаласының әкімдігі"),
    ("ТОО «Жетысу Агро Инвест»", "ГУ «Управление земельных отношений»"),
    ("Silk Road Logistics B.V.", "Alatau City Development Authority"),
]


def values(i: int, *, reasons: str | None = None, documents: int = 1) -> dict[str, Any]:
    """A ruling's values as ruling_values() makes them, with the i-th variations."""
    claimant, respondent = NAMES[i % len(NAMES)]
    code = f"{i:012d}"
    return {
        "centre": "Investment Dispute Resolution Centre of Alatau City",
        "place": "Alatau City",
        "title": "Decision",
        "reference": f"F-2026-{i:06d}",
        "number": f"ADR-2026-{i:04d}",
        "case_title": f"{claimant} v. {respondent}",
        "claimant": {
            "name": claimant,
            "kind": "Company",
            "country": "Kazakhstan",
            "address": f"Al-Farabi avenue {i % 90 + 1}, Alatau City",
            "counsel": "A. Zhaksybekova, Steppe Law LLP" if i % 3 else None,
        },
        "respondent": {
            "name": respondent,
            "kind": "State body",
            "country": None,
            "address": None,
            "counsel": None,
        },
        "project_name": f"Project {i}",
        "amount_claimed": f"US${(i % 50 + 1) * 100_000:,}.00",
        "legal_basis": "Law on the special status of Alatau City",
        "documents": [
            {
                "name": f"exhibit-C{n + 1}.pdf",
                "sha256": hashlib.sha256(b"%d-%d" % (i, n)).hexdigest(),
            }
            for n in range(documents)
        ],
        "submitted_at": f"{i % 28 + 1} March 2026, 10:{i % 60:02d}",
        "issued_date": f"{i % 28 + 1} April 2026",
        "issued_at_iso": f"2026-04-{i % 28 + 1:02d}T05:00:00Z",
        "issuer_name": "Aigerim Nurlanovna",
        "issuer_role": "Registrar",
        "reasons": reasons,
        "corrects": None,
        "verification_code": "-".join(code[k : k + 4] for k in range(0, 12, 4)),
        "verify_url": f"https://portal.adr.kz/verify?code={code}",
        "verify_base": "https://portal.adr.kz/verify",
        "signed_by": None,
    }


def reasons(paragraphs: int) -> str:
    return "\n\n".join(PARAGRAPH * 3 for _ in range(paragraphs))


def pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


# --- a) one 4-page ruling: app vs bare WeasyPrint ------------------------------------------


def four_page_html() -> tuple[str, dict[str, Any]]:
    """The inadmissibility decision whose reasons fill exactly 4 pages (mid-4th page)."""
    template = KINDS["inadmissibility_decision"].template("en")

    def count(n: int) -> int:
        return pages(render_pdf(render_html(template, values(1, reasons=reasons(n)), "en")))

    def first(at_least: int) -> int:  # fewest paragraphs giving at least that many pages
        lo, hi = 1, 64
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if count(mid) >= at_least else (mid + 1, hi)
        return lo

    n = (first(4) + first(5) - 1) // 2
    v = values(1, reasons=reasons(n))
    return render_html(template, v, "en"), v


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def python_calls(fn: Callable[[], object]) -> int:
    """Python function calls of one run: the work done, untouched by what else the machine
    is doing (the C parts, Pango and HarfBuzz, are the same for every path)."""
    profile = cProfile.Profile()
    profile.runcall(fn)
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined]


def part_a() -> dict[str, Any]:
    html, v = four_page_html()
    template = KINDS["inadmissibility_decision"].template("en")
    # The same HTML for the bare runs, its fonts as file:// URLs to the very same files.
    bare_html = html.replace(STATIC_SCHEME + "fonts/", (STATIC_DIR / "fonts").as_uri() + "/")
    base = (STATIC_DIR / "fonts").as_uri() + "/"
    pdfa = {"pdf_variant": PDF_VARIANT, "pdf_identifier": True}
    paths: dict[str, Callable[[], bytes]] = {
        "bare WeasyPrint (default fetcher)": lambda: weasyprint.HTML(
            string=bare_html, base_url=base
        ).write_pdf(),
        "bare WeasyPrint + same PDF/A options": lambda: weasyprint.HTML(
            string=bare_html, base_url=base
        ).write_pdf(**pdfa),
        "app render_pdf(html)": lambda: render_pdf(html),
        "app render_html + render_pdf": lambda: render_pdf(render_html(template, v, "en")),
    }
    outputs = {name: fn() for name, fn in paths.items()}
    calls = {name: python_calls(fn) for name, fn in paths.items()}
    for _ in range(WARMUP - 1):
        for fn in paths.values():
            fn()
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
    order = list(paths)
    for round_ in range(REPEAT):  # interleaved, so a noisy moment hits every path alike,
        for name in order[round_ % 4 :] + order[: round_ % 4]:  # each in every position
            gc.collect()  # and no path pays for the garbage of the one before
            samples[name].append(timed(paths[name]))
    return {
        "pages": {name: pages(pdf) for name, pdf in outputs.items()},
        "fonts": {name: sorted(fonts(pdf)) for name, pdf in outputs.items()},
        "wall": {name: statistics.median(s[0] for s in xs) for name, xs in samples.items()},
        "cpu": {name: statistics.median(s[1] for s in xs) for name, xs in samples.items()},
        "min": {name: min(s[0] for s in xs) for name, xs in samples.items()},
        "calls": calls,
    }


# --- b) many rulings: one by one vs render_many on both cores -------------------------------


def batch_items(n: int) -> list[tuple[str, dict[str, Any], str]]:
    kinds = ["filing_receipt", "registration_notice", "return_notice", "inadmissibility_decision"]
    items = []
    for i in range(n):
        kind, language = kinds[i % 4], ("en", "ru", "kk")[i % 3]
        text = reasons(i % 5 + 1) if kind in ("return_notice", "inadmissibility_decision") else None
        v = values(i, reasons=text, documents=i % 7 + 1)
        items.append((KINDS[kind].template(language), v, language))
    return items


class Watcher(threading.Thread):
    """Samples the pool's workers: they are the forkserver's children, not ours, so
    getrusage(RUSAGE_CHILDREN) never sees them. VmHWM is the kernel's own peak RSS, so
    sampling misses nothing of it; CPU time is as of the last sample (< 0.1 s short)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.halt = threading.Event()
        self.workers: dict[int, tuple[int, float]] = {}  # pid -> (VmHWM KiB, CPU s)
        self.server: dict[int, int] = {}  # forkserver pid -> VmHWM KiB
        self.server_cpu: dict[int, list[float]] = {}  # forkserver pid -> [first, last] CPU s

    def run(self) -> None:
        while not self.halt.wait(0.1):
            self.sample()

    def stop(self) -> Watcher:
        self.halt.set()
        self.join()
        return self

    def cpu(self) -> float:
        """CPU seconds of the workers, and of the forkserver while watched (its imports)."""
        workers = sum(cpu for _, cpu in self.workers.values())
        return workers + sum(last - first for first, last in self.server_cpu.values())

    def sample(self) -> None:
        parents: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(entry.path, "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        me = os.getpid()
        servers = [p for p, pp in parents.items() if pp == me and _is_forkserver(p)]
        for server in servers:
            self.server[server] = _hwm(server) or self.server.get(server, 0)
            self.server_cpu.setdefault(server, [_cpu(server)] * 2)[1] = _cpu(server)
            # Forked from the server, so its command line; not, say, its ldconfig.
            for pid in (p for p, pp in parents.items() if pp == server and _is_forkserver(p)):
                hwm, cpu = _hwm(pid), _cpu(pid)
                if hwm:
                    self.workers[pid] = (hwm, cpu)


def _is_forkserver(pid: int) -> bool:
    try:
        return b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def machine_cpu() -> tuple[float, float]:
    """CPU seconds all processes have used since boot, and those the hypervisor stole."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def part_b() -> dict[str, Any]:
    items = batch_items(BATCH)
    load_before = os.getloadavg()[0]
    machine, stolen = machine_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    serial = [render_one(item) for item in items]
    ours = time.process_time() - cpu
    result: dict[str, Any] = {
        "serial": {"wall": time.perf_counter() - wall, "cpu": ours} | others(machine, stolen, ours),
        "pages": Counter(pages(pdf) for pdf in serial),
    }
    for run in ("cold", "warm"):
        watcher = Watcher()
        watcher.start()
        machine, stolen = machine_cpu()
        wall, cpu = time.perf_counter(), time.process_time()
        parallel = render_many(items, workers=WORKERS)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        watcher.stop()
        ours = cpu + watcher.cpu()
        result[run] = {
            "wall": wall,
            "cpu": ours,
            "workers": watcher.workers,
            "identical": parallel == serial,
        } | others(machine, stolen, ours)
        result["server_hwm"] = max(watcher.server.values(), default=0)
    result["start"] = timed(lambda: render_many(batch_items(2), workers=WORKERS))[0]
    result["load"] = (load_before, os.getloadavg()[0])
    return result


def others(machine: float, stolen: float, ours: float) -> dict[str, float]:
    """CPU seconds other processes used meanwhile (and the hypervisor stole): a loaded
    machine, not the code, is then why two workers fall short of twice as fast."""
    now, stolen_now = machine_cpu()
    return {"others": max(0.0, now - machine - ours), "stolen": stolen_now - stolen}


# --- c) the memory of one rendering process -------------------------------------------------

PROBE = """
import json, re, sys
sys.path.insert(0, {root!r})
def hwm():  # the kernel's peak RSS of this process (KiB)
    return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1])
out = {{"python": hwm()}}
from dispute_portal.rulings.render import render_html, render_pdf
out["imported"] = hwm()
html = {html!r}
render_pdf(html)
out["one"] = hwm()
for _ in range({n}):
    render_pdf(html)
out["many"] = hwm()
print(json.dumps(out))
"""


def part_c(html: str, n: int = 20) -> dict[str, Any]:
    """A fresh process: import, one 4-page render, then n more (does it keep growing?).

    Its peak is read from /proc (VmHWM), not getrusage: Linux carries ru_maxrss across
    exec, so a child's (and RUSAGE_CHILDREN's) would start at this big process's RSS."""
    code = PROBE.format(root=str(ROOT), html=html, n=n)
    done = subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout) | {"n": n}


# --- the report -----------------------------------------------------------------------------


def pct(x: float, base: float) -> str:
    return f"{(x / base - 1) * 100:+.1f}%"


def main() -> None:
    started = time.perf_counter()
    print(
        f"Ruling rendering benchmark: WeasyPrint {weasyprint.__version__}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )

    # b first: its one-by-one baseline then runs in a process as fresh as its workers are,
    # not in one that has already rendered and profiled all of a.
    b = part_b()
    a = part_a()
    names = list(a["wall"])
    bare, bare_pdfa = a["wall"][names[0]], a["wall"][names[1]]
    bare_cpu, bare_pdfa_cpu = a["cpu"][names[0]], a["cpu"][names[1]]
    print(
        f"\na) one ruling of {set(a['pages'].values())} pages, median of {REPEAT} runs "
        f"after {WARMUP} warm-ups (interleaved)"
    )
    print(
        f"   {'path':<38} {'wall ms':>7} {'min ms':>6} {'cpu ms':>6} {'vs bare':>8} "
        f"{'vs PDF/A':>8} {'Python calls':>12} {'vs PDF/A':>8}"
    )
    calls_pdfa = a["calls"][names[1]]
    for name in names:
        w, c, n = a["wall"][name], a["cpu"][name], a["calls"][name]
        print(
            f"   {name:<38} {w * 1000:7.0f} {a['min'][name] * 1000:6.0f} {c * 1000:6.0f} "
            f"{pct(w, bare):>8} {pct(w, bare_pdfa):>8} {n:12,} {pct(n, calls_pdfa):>8}"
        )
    print(
        f"   PDF/A options alone over bare: wall {pct(bare_pdfa, bare)}, "
        f"cpu {pct(bare_pdfa_cpu, bare_cpu)}"
    )
    distinct = {", ".join(f) for f in a["fonts"].values()}
    print(f"   fonts embedded (all paths): {' | '.join(sorted(distinct))}")

    print(
        f"\nb) {BATCH} rulings (4 kinds, en/ru/kk, pages {dict(sorted(b['pages'].items()))}), "
        f"load average {b['load'][0]:.2f} -> {b['load'][1]:.2f}"
    )
    print(
        f"   {'run':<50} {'wall s':>6} {'speed-up':>8} {'our CPU s':>9} "
        f"{'others CPU s':>12} {'stolen s':>8}"
    )
    for run, label in (
        ("serial", "one by one in this process"),
        ("cold", "render_many(workers=2), first: starts forkserver"),
        ("warm", "render_many(workers=2), forkserver running"),
    ):
        r = b[run]
        print(
            f"   {label:<50} {r['wall']:6.1f} {b['serial']['wall'] / r['wall']:7.2f}x "
            f"{r['cpu']:9.1f} {r['others']:12.1f} {r['stolen']:8.1f}"
        )
    for run in ("cold", "warm"):
        print(
            f"   {run}: {len(b[run]['workers'])} workers, identical bytes to one by one: "
            f"{'yes' if b[run]['identical'] else 'NO'}"
        )
    print(f"   pool start + first render in each worker (2 tiny rulings): {b['start']:.2f} s")
    print(
        f"   ideal on {WORKERS} idle cores: {b['serial']['wall'] / WORKERS:.1f} s "
        f"(one by one got {b['serial']['cpu'] / b['serial']['wall']:.0%} of a core)"
    )

    c = part_c(four_page_html()[0])
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("\nc) peak memory (max RSS, MB)")
    print(
        f"   fresh process: python {c['python'] / MB:.0f}, after importing the renderer "
        f"{c['imported'] / MB:.0f}, after one 4-page render {c['one'] / MB:.0f}, "
        f"after {c['n']} more {c['many'] / MB:.0f}  (VmHWM)"
    )
    workers = b["warm"]["workers"] or b["cold"]["workers"]
    print(
        f"   pool workers ({BATCH // WORKERS} rulings each, VmHWM): "
        + ", ".join(f"{hwm / MB:.0f}" for hwm, _ in workers.values())
        + f"; forkserver {b['server_hwm'] / MB:.0f}"
    )
    print(f"   this process (RUSAGE_SELF, all of a and b one by one): {self_peak / MB:.0f}")
    print(
        f"\nTook {time.perf_counter() - started:.0f} s; load average "
        f"{os.getloadavg()[0]:.2f} at the end."
    )


if __name__ == "__main__":
    main()
