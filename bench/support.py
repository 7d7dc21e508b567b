"""What the benchmarks share: the venv's commands, gunicorn on a loopback port, the workers'
memory and CPU time read from /proc, percentiles and a small valid PDF.

Imported by the scripts beside it (`python bench/<script>.py` puts this folder on sys.path).
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from dispute_portal.seed.pdf import pdf_file

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str, timeout: float = 300, check: bool = True):
    result = subprocess.run(  # noqa: S603 - our own venv's flask, fixed arguments
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


# gunicorn ------------------------------------------------------------------------------------


def start_gunicorn(
    env: dict,
    port: int,
    log_path: Path,
    *,
    workers: int,
    app: str = "wsgi:app",
    extra: Sequence[str] = (),
) -> subprocess.Popen:
    """gunicorn with sync workers on 127.0.0.1:`port` (and nowhere else); its log to a file."""
    with open(log_path, "wb") as log:
        return subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}",
                "--error-logfile", "-",
                *extra,
                app,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_ready(
    server: subprocess.Popen, base: str, *, path: str = "/login", workers: int, timeout: float = 60
) -> float:
    """Seconds until `path` answered 200; then a few more requests so that each worker has
    likely compiled its templates and opened its database connection."""
    started = time.monotonic()
    while True:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        if time.monotonic() - started > timeout:
            raise SystemExit(f"gunicorn did not answer within {timeout:g} s")
        try:
            with urllib.request.urlopen(base + path, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    break
        except (OSError, http.client.HTTPException):
            time.sleep(0.3)
    # gunicorn hands requests to workers as it likes: a few more than the workers.
    for _ in range(workers * 2):
        with urllib.request.urlopen(base + path, timeout=30) as answer:  # noqa: S310
            answer.read()
    return time.monotonic() - started


def stop_gunicorn(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


# HTTP ----------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers: each hop is timed and checked on its own."""

    def redirect_request(self, *args, **kwargs):
        return None


def login_cookie(base: str, email: str, password: str, headers: dict[str, str]) -> str:
    """Log in with a real POST (the form's CSRF token, the Origin a browser sends); the
    Cookie header that carries the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

    def call(path: str, form: dict[str, str] | None = None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(base + path, data=data, headers=headers)  # noqa: S310
        if form is not None:
            request.add_header("Origin", base)
            request.add_header("Referer", base + "/login")
        try:
            with opener.open(request, timeout=60) as answer:
                return answer.status, answer.headers, answer.read().decode()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.headers, exc.read().decode()

    status, _, page = call("/login")
    token = CSRF.search(page)
    if status != 200 or token is None:
        raise SystemExit(f"GET /login answered {status} without a login form")
    form = {"csrf_token": token.group(1), "email": email, "password": password, "next": ""}
    status, head, _ = call("/login", form)
    location = urllib.parse.urlsplit(head.get("Location", "")).path
    if status != 302 or location.startswith(("/login", "/mfa")):
        raise SystemExit(f"logging in as {email} failed: {status} {location}")
    # The page a browser goes to next: the session cookie then carries its CSRF token, as
    # a browsing user's does (without it every page would make one and set the cookie).
    call(location)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


# /proc ---------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        text = ""
    if text.strip():
        return [int(p) for p in text.split()]
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def proc_status(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """Every `interval` seconds: each gunicorn worker's peak RSS (VmHWM, kB), current RSS
    and CPU time, kept per pid, so a worker that was replaced during the run counts too."""

    def __init__(self, master: int, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.interval = interval
        self.hwm: dict[int, int] = {}
        self.rss: dict[int, int] = {}
        self.first_rss: dict[int, int] = {}  # at the first sample: after start-up
        self.peak_rss: dict[int, int] = {}  # the largest VmRSS sampled (since reset_peak)
        self.cpu: dict[int, float] = {}
        self.halt = threading.Event()

    def sample(self) -> None:
        for pid in children(self.master):
            hwm, rss, cpu = proc_status(pid, "VmHWM"), proc_status(pid, "VmRSS"), cpu_seconds(pid)
            if hwm is not None:
                self.hwm[pid] = max(hwm, self.hwm.get(pid, 0))
            if rss is not None:
                self.rss[pid] = rss
                self.first_rss.setdefault(pid, rss)
                self.peak_rss[pid] = max(rss, self.peak_rss.get(pid, 0))
            if cpu is not None:
                self.cpu[pid] = cpu

    def reset_peak(self) -> None:
        self.peak_rss.clear()
        self.sample()

    def run(self) -> None:
        while not self.halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=5)
        self.sample()


# Numbers and files ---------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def small_pdf(note: str) -> bytes:
    """A one-page PDF with a correct cross-reference table (the upload check sniffs it)."""
    stream = f"BT /F1 12 Tf 72 720 Td (Exhibit C-1 {note}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_file(objects)


def median_ms(fn, repeat: int | None = None) -> tuple[float, float]:
    """(median, min) of `fn`'s time in ms over BENCH_REPEAT runs (7) after a warm-up."""
    repeat = repeat or int(os.environ.get("BENCH_REPEAT", "7"))
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs)


@contextmanager
def rolled_back_app(place):
    """The portal on the bench database `place`, its sessions inside one transaction that is
    rolled back at the end (what a benchmark adds leaves nothing): yields (app, connection)."""
    from dispute_portal import create_app
    from dispute_portal.db import db

    # The settings name the database (the config class read the environment on import).
    env = place.env({})
    app = create_app(
        {"RATELIMIT_ENABLED": False, "PAGE_CACHE": "off", "DATABASE_URL": place.url}
        | {k: env[k] for k in ("UPLOAD_DIR", "RULINGS_DIR")}
    )
    engine = db.engine_for(app)
    conn = engine.connect()
    outer = conn.begin()
    db.sessionmaker.configure(bind=conn, join_transaction_mode="create_savepoint")
    try:
        yield app, conn
    finally:
        outer.rollback()
        conn.close()
