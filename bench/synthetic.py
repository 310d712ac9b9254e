"""Time `generate_synthetic` on fresh SQLite and PostgreSQL databases; write the results to
docs/bench-synthetic.md.

Usage (from the repository root; `make bench-synthetic` runs it):

    .venv/bin/python bench/synthetic.py            # county scale
    .venv/bin/python bench/synthetic.py --region   # county and region scale

Each run gets a database of its own: a new SQLite file in a temporary directory, or a PostgreSQL
database created with `createdb` on 127.0.0.1 as user postgres and dropped afterwards (skipped with
a message when PostgreSQL cannot be reached). The schema is migrated first, untimed; then
`manage.py generate_synthetic` runs as a child process whose wall time and peak resident memory
(from wait4's rusage, i.e. that child alone) are recorded.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "bench-synthetic.md"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]


def _tool(name: str) -> str:
    return shutil.which(name) or name


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run one of this script's own fixed commands (no outside input reaches them)."""
    return subprocess.run(args, **kwargs)  # noqa: S603


TOTAL = re.compile(r"Total: ([\d,]+) agencies, [\d,]+ teams, ([\d,]+) practitioners")
BOOKINGS = re.compile(r"([\d,]+) bookings in")


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "TESTING"}}
    env.update(DEBUG="true", DATABASE_URL=database_url)
    return env


def _manage(args: list[str], env: dict[str, str], log: Path) -> tuple[int, float, float, str]:
    """Run manage.py; return exit status, seconds, peak MB of that process, and its stdout."""
    with log.open("w") as out, log.with_suffix(".err").open("w") as err:
        started = time.monotonic()
        process = subprocess.Popen(  # noqa: S603 - manage.py with this script's own arguments
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    return process.returncode, seconds, peak_mb, log.read_text()


def _postgres_available() -> str | None:
    """None if PostgreSQL answers, else why not."""
    if shutil.which("psql") is None or shutil.which("createdb") is None:
        return "psql/createdb are not installed"
    try:
        result = _run(
            [_tool("psql"), *PG, "-d", "postgres", "-tAc", "select 1"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except subprocess.TimeoutExpired:
        return "psql timed out"
    if result.returncode != 0:
        return result.stderr.strip() or "psql failed"
    return None


def _machine() -> str:
    ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{os.cpu_count()} cores, {ram_gb:.0f} GB RAM"


def run_one(database: str, scale: str, seed: int, workdir: Path) -> dict | None:
    name = f"bench_synthetic_{os.getpid()}_{scale}"
    if database == "sqlite":
        url = f"sqlite:///{workdir / (name + '.sqlite3')}"
    else:
        _run([_tool("createdb"), *PG, name], check=True)
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
    env = _env(url)
    try:
        status, *_ = _manage(["migrate", "--no-input", "-v", "0"], env, workdir / "migrate.log")
        if status != 0:
            print(f"  migrate failed on {database}:\n{(workdir / 'migrate.err').read_text()}")
            return None
        command = ["generate_synthetic", "--scale", scale, "--seed", str(seed)]
        print(f"  {database}: manage.py {' '.join(command)} ...", flush=True)
        status, seconds, peak_mb, output = _manage(command, env, workdir / f"{name}.log")
        if status != 0:
            errors = (workdir / f"{name}.err").read_text()[-3000:]
            print(f"  failed (exit {status}):\n{output}{errors}")
            return None
        match = TOTAL.search(output)
        agencies, practitioners = (
            (int(m.replace(",", "")) for m in match.groups()) if match else (0, 0)
        )
        bookings = BOOKINGS.search(output)
        print(f"    {seconds:.1f} s, peak {peak_mb:.0f} MB")
        return {
            "command": f"generate_synthetic --scale {scale} --seed {seed}",
            "database": database,
            "scale": scale,
            "agencies": agencies,
            "practitioners": practitioners,
            "bookings": int(bookings.group(1).replace(",", "")) if bookings else 0,
            "seconds": seconds,
            "peak_mb": peak_mb,
        }
    finally:
        if database == "postgresql":
            _run([_tool("dropdb"), *PG, "--if-exists", name], check=False)


def _versions(postgres: bool) -> str:
    sqlite = _run(
        [sys.executable, "-c", "import sqlite3; print(sqlite3.sqlite_version)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    parts = [f"Python {platform.python_version()}", f"SQLite {sqlite}"]
    if postgres:
        version = _run(
            [_tool("psql"), *PG, "-d", "postgres", "-tAc", "show server_version"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        parts.append(f"PostgreSQL {version}")
    return ", ".join(parts)


def write_report(rows: list[dict], notes: list[str], versions: str) -> None:
    today = datetime.date.today().isoformat()
    machine = _machine()
    lines = [
        "# Synthetic-data generator: timings",
        "",
        "Written by `bench/synthetic.py` (`make bench-synthetic`; add `--region` for the region "
        "scale). Each row is one run of `manage.py generate_synthetic` on a freshly migrated, "
        "empty database (people and ten financial years of training); the time is the "
        "wall-clock time of that command alone (migrations excluded) and "
        "peak memory is the maximum resident set size of its process.",
        "",
        f"Software: {versions}.",
        "",
        "| command | database | scale | agencies | practitioners | training bookings | seconds "
        "| peak MB | date | machine |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| `{row['command']}` | {row['database']} | {row['scale']} | {row['agencies']:,} "
            f"| {row['practitioners']:,} | {row['bookings']:,} | {row['seconds']:.1f} "
            f"| {row['peak_mb']:.0f} "
            f"| {today} | {machine} |"
        )
    if notes:
        lines += ["", *[f"- {note}" for note in notes]]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", action="store_true", help="also run the region scale")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scales = ["county", "region"] if args.region else ["county"]

    databases = ["sqlite"]
    notes = []
    why_not = _postgres_available()
    if why_not is None:
        databases.append("postgresql")
    else:
        message = f"PostgreSQL skipped: not reachable on 127.0.0.1:5432 as postgres ({why_not})."
        print(message)
        notes.append(message)

    rows = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-synthetic-") as tmp:
        for scale in scales:
            for database in databases:
                row = run_one(database, scale, args.seed, Path(tmp))
                if row is None:
                    failed = True
                else:
                    rows.append(row)
    write_report(rows, notes, _versions("postgresql" in databases))
    print(f"Wrote {OUTPUT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
