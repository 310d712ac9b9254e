"""Time the training programme's reports on a county-scale database; write the results to
docs/bench-training.md.

Usage (from the repository root; `make bench-training` runs it):

    .venv/bin/python bench/training_statistics.py                 # SQLite only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_training \\
        .venv/bin/python bench/training_statistics.py             # SQLite, then PostgreSQL

The SQLite database is var/bench-training.sqlite3; the PostgreSQL one is DATABASE_URL (created
with `createdb` if it does not exist). Each is built once — migrate, then `generate_synthetic
--scale county` with a decade of training that ends with the current financial year, so the
public programme has sessions to come — and reused by later runs (`--rebuild` starts again).

In a child process per database (Django is set up once per database), each measurement runs once
to warm up and then `--runs` times: the statistics selector (`selectors.reports.
training_statistics`, which the statistics page, its downloads and `GET /api/v1/learning/
statistics/` all call), the statistics page and the API through Django's test client signed in
as the county's business manager, the charges selector (`charge_lines` + `charge_totals`) and
the charges page, each for the last complete financial year and for the whole decade; and the
public programme page (anonymous). The median and the maximum wall time and the number of SQL
queries of each are recorded.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "bench-training.md"
SQLITE_PATH = ROOT / "var" / "bench-training.sqlite3"
COUNTY = "Barsetshire"
YEARS = 10


def _run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    """Run one of this script's own fixed commands (no outside input reaches them)."""
    return subprocess.run(args, cwd=ROOT, env=env, **kwargs)  # noqa: S603


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "TESTING"}}
    env.update(DEBUG="true", DATABASE_URL=database_url)
    return env


def _this_financial_year() -> int:
    today = datetime.date.today()
    return today.year if today.month >= 4 else today.year - 1


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run([sys.executable, str(ROOT / "manage.py"), *args], env, text=True)


def _child(args: list[str], env: dict[str, str]) -> dict:
    result = _run(
        [sys.executable, __file__, *args], env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"bench child failed: {' '.join(args)}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _createdb(database_url: str) -> None:
    """Create the PostgreSQL database if it is missing (needs createdb on the PATH)."""
    from urllib.parse import urlparse

    url = urlparse(database_url)
    createdb = shutil.which("createdb")
    if createdb is None:
        return
    args = [createdb, "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    if url.username:
        args += ["-U", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    _run([*args, url.path.lstrip("/")], env, capture_output=True, check=False)


def build(database_url: str, *, rebuild: bool, seed: int) -> float | None:
    """Migrate and generate the county unless it is there already; seconds it took, or None."""
    env = _env(database_url)
    if database_url.startswith("sqlite"):
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        if rebuild and SQLITE_PATH.exists():
            SQLITE_PATH.unlink()
    else:
        if rebuild:
            _flush_postgres(database_url)
        _createdb(database_url)
    if _manage(["migrate", "--no-input", "-v", "0"], env).returncode != 0:
        raise SystemExit(f"migrate failed on {database_url}")
    if _child(["--child", "check"], env)["ready"]:
        print(f"  reusing the county already in {database_url}")
        return None
    first_year = _this_financial_year() - YEARS + 1
    command = [
        "generate_synthetic",
        "--scale",
        "county",
        "--seed",
        str(seed),
        "--first-year",
        str(first_year),
        "--years",
        str(YEARS),
    ]
    print(f"  building: manage.py {' '.join(command)}", flush=True)
    started = time.monotonic()
    if _manage(command, env).returncode != 0:
        raise SystemExit(f"generate_synthetic failed on {database_url}")
    return time.monotonic() - started


def _flush_postgres(database_url: str) -> None:
    _manage(["flush", "--no-input"], _env(database_url))


# The child: runs inside Django with DATABASE_URL set ------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings")
    import django

    django.setup()


def _partnership():
    from safeguarding.people.models import Partnership
    from safeguarding.people.synthetic import synthetic_partnership_name

    return Partnership.objects.filter(name=synthetic_partnership_name(COUNTY)).first()


def child_check() -> dict:
    from safeguarding.learning.models import Booking

    partnership = _partnership()
    ready = (
        partnership is not None
        and Booking.objects.filter(session__course__partnership=partnership).exists()
    )
    return {"ready": ready}


def _measure(function, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm-up: caches, connection, first compilation of templates
    times, cpu, queries = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            function()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        queries = len(captured)
    return {
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "cpu_ms": statistics.median(cpu) * 1000,
        "queries": queries,
        "runs": runs,
    }


def child_measure(runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.learning.models import Booking, EvaluationResponse, Session
    from safeguarding.learning.selectors import reports
    from safeguarding.learning.selectors.catalogue import financial_year
    from safeguarding.people.models import Membership, Role

    setup_test_environment()
    if connection.vendor == "postgresql":
        # Fresh bulk loads have no planner statistics until autovacuum gets to them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    partnership = _partnership()
    manager = (
        Membership.objects.filter(agency__partnership=partnership, role_grants__role=Role.ADMIN)
        .select_related("user")
        .order_by("user__email")
        .first()
        .user
    )
    device, _ = TOTPDevice.objects.get_or_create(
        user=manager, name="bench", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(manager)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    anonymous = Client()

    sessions = Session.objects.filter(course__partnership=partnership).order_by("starts_at")
    first = sessions.first().starts_at.date()
    first_year = first.year if first.month >= 4 else first.year - 1
    last_complete = _this_financial_year() - 1
    periods = {
        f"year {last_complete}/{str(last_complete + 1)[2:]}": financial_year(last_complete),
        f"decade {first_year}/{str(first_year + 1)[2:]} to "
        f"{_this_financial_year()}/{str(_this_financial_year() + 1)[2:]}": (
            financial_year(first_year)[0],
            financial_year(_this_financial_year())[1],
        ),
    }

    def get(browser, url, params=None):
        def fetch():
            response = browser.get(url, params or {})
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}")
            return response

        return fetch

    rows = []
    for label, (start, end) in periods.items():
        page_params = {"date_from": start.isoformat(), "date_to": end.isoformat()}
        api_params = {"from": start.isoformat(), "to": end.isoformat()}
        checks = [
            (
                "statistics selector (training_statistics)",
                lambda start=start, end=end: reports.training_statistics(
                    partnership=partnership, start=start, end=end
                ),
            ),
            (
                "statistics page",
                get(client, reverse("learning:statistics"), page_params),
            ),
            (
                "statistics API",
                get(client, "/api/v1/learning/statistics/", api_params),
            ),
            (
                "charges selector (charge_lines + charge_totals)",
                lambda start=start, end=end: reports.charge_totals(
                    reports.charge_lines(partnership=partnership, start=start, end=end)
                ),
            ),
            ("charges page", get(client, reverse("learning:charges"), page_params)),
        ]
        in_period = Booking.objects.filter(
            session__course__partnership=partnership,
            session__starts_at__date__range=(start, end),
        )
        sizes = {
            "sessions": sessions.filter(starts_at__date__range=(start, end)).count(),
            "bookings": in_period.count(),
        }
        for name, function in checks:
            rows.append({"what": name, "period": label, **sizes, **_measure(function, runs)})
    programme = _measure(get(anonymous, reverse("learning:programme")), runs)
    rows.append(
        {
            "what": "public programme page (anonymous)",
            "period": "sessions to come",
            "sessions": sessions.filter(starts_at__gt=datetime.datetime.now(datetime.UTC)).count(),
            "bookings": None,
            **programme,
        }
    )
    totals = {
        "practitioners": Membership.objects.filter(
            agency__partnership=partnership, role_grants__role=Role.PRACTITIONER
        ).count(),
        "sessions": sessions.count(),
        "bookings": Booking.objects.filter(session__course__partnership=partnership).count(),
        "evaluations": EvaluationResponse.objects.filter(
            booking__session__course__partnership=partnership
        ).count(),
    }
    return {"vendor": connection.vendor, "version": _server_version(), "rows": rows, **totals}


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# The report -----------------------------------------------------------------------------------


def _machine() -> str:
    ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{os.cpu_count()} cores, {ram_gb:.0f} GB RAM, {platform.machine()}"


def write_report(results: list[dict], builds: dict[str, float | None], command: str) -> None:
    today = datetime.date.today().isoformat()
    lines = [
        "# Training reports at county scale: timings",
        "",
        "Written by `bench/training_statistics.py` (`make bench-training`). The database holds one",
        "synthetic county from `generate_synthetic --scale county` with ten financial years of",
        "training ending with the current one. Each figure is the median and the maximum wall",
        "time of several runs after one warm-up run, in the same process as Django (pages and",
        "the API through Django's test client, so without a web server or network), the",
        "median CPU time of the benchmark's own process (on SQLite that includes the database's",
        "work, so it is close to the wall time on an idle machine; on PostgreSQL the server's",
        "work is not in it), and the number of SQL queries of one run.",
        "",
        f"- Date: {today}",
        f"- Machine: {_machine()}; Python {platform.python_version()}; load average when "
        f"the report was written {os.getloadavg()[0]:.1f} (other work shares the machine)",
        f"- Command: `{command}`",
    ]
    for result in results:
        built = builds.get(result["vendor"])
        how = f"built in {built:.0f} s" if built else "reused"
        lines.append(
            f"- {result['version']} ({how}): {result['practitioners']:,} practitioners, "
            f"{result['sessions']:,} sessions, {result['bookings']:,} bookings, "
            f"{result['evaluations']:,} evaluation responses"
        )
    lines += [
        "",
        "| what | period | database | sessions | bookings | median ms | max ms | CPU ms "
        "| queries |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for row in result["rows"]:
            bookings = f"{row['bookings']:,}" if row["bookings"] is not None else "–"
            lines.append(
                f"| {row['what']} | {row['period']} | {result['version']} | {row['sessions']:,} "
                f"| {bookings} | {row['median_ms']:.0f} | {row['max_ms']:.0f} "
                f"| {row['cpu_ms']:.0f} | {row['queries']} |"
            )
    lines += ["", *NOTES]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n")


NOTES = [
    "Notes:",
    "",
    "- The statistics come from database aggregates (conditional COUNTs, grouped by sector,",
    "  agency and course). Rows are counted without DISTINCT (only distinct attendees need",
    "  it), which avoids a sort per figure. The charges read plain rows, and each session's",
    "  details once, instead of building five model instances per booking.",
    "- Most of the statistics selector's remaining time is the evaluation summary",
    "  (selectors/evaluation.py), which fetches every response's answers and tallies the",
    "  ratings in Python; tallying in the database is the next step if that matters.",
    "- Most of the pages' time beyond their selectors is template rendering: the statistics",
    "  page lists every agency that booked (about 500 rows for a year of a county).",
    "- No index was added: bookings are reached through their session index and evaluation",
    "  responses through their booking index on both databases; the sessions table (about",
    "  4,600 rows a county) is small.",
    "- The machine is shared with other work, so wall times vary from run to run; the CPU",
    "  column is steadier.",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--child", choices=["check", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _setup_django()
        result = child_check() if args.child == "check" else child_measure(args.runs)
        print(json.dumps(result))
        return 0

    databases = [f"sqlite:///{SQLITE_PATH}"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(os.environ["DATABASE_URL"])
    results, builds = [], {}
    for database_url in databases:
        print(f"{database_url}:", flush=True)
        built = build(database_url, rebuild=args.rebuild, seed=args.seed)
        result = _child(["--child", "measure", "--runs", str(args.runs)], _env(database_url))
        builds[result["vendor"]] = built
        for row in result["rows"]:
            print(
                f"    {row['what']:<50} {row['period']:<28} median {row['median_ms']:6.0f} ms"
                f"  max {row['max_ms']:6.0f} ms  CPU {row['cpu_ms']:6.0f} ms"
                f"  {row['queries']:3d} queries"
            )
        results.append(result)
    command = "make bench-training"
    if args.runs != 5:
        command = f".venv/bin/python bench/training_statistics.py --runs {args.runs}"
    if len(databases) > 1:
        command = f"DATABASE_URL=postgres://… {command}"
    write_report(results, builds, command)
    print(f"Wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
