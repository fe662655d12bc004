"""The read-only web view (`wksbm serve`): a real server on a free loopback port, read over HTTP."""

import base64
import contextlib
import csv
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from wksbm_cli import db

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
AS_OF = "2022-12-31"
PASSWORD = "kopi-tubruk-2022"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "WKSBM_LANG": "en", "WKSBM_OFFICER": "test-officer", "XDG_DATA_HOME": str(home), **extra}
    env.pop("WKSBM_DB", None)
    return env


def _wksbm(database: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wksbm_cli", "--db", str(database), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(database: Path, env: dict[str, str], *args: str):
    """`wksbm serve` on a free loopback port until the block ends; yields its base URL."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "wksbm_cli", "--db", str(database), "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise AssertionError(f"serve stopped: {server.stderr.read()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert time.monotonic() < deadline, "serve did not start in 60 s"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()
        server.stderr.close()


def get(url: str, password: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET (errors are answers too)."""
    request = urllib.request.Request(url)
    if password is not None:
        token = base64.b64encode(f"dinsos:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample data (nine villages of Kecamatan Besuk, 101 cases, 52 with a NIK) imported into a database."""
    home = tmp_path_factory.mktemp("web")
    database = home / "sample.db"
    env = _env(home)
    result = _wksbm(database, "import", str(SAMPLE), env=env)
    assert result.returncode == 0, result.stderr
    return database, env


@pytest.fixture(scope="module")
def site(sample):
    database, env = sample
    with running(database, env) as base:
        yield base


def _people(database: Path) -> tuple[list[str], list[str]]:
    conn = sqlite3.connect(database)
    try:
        names = [row[0] for row in conn.execute("SELECT person_name FROM cases UNION SELECT leader FROM institutions "
                                                "WHERE leader IS NOT NULL")]
        niks = [row[0] for row in conn.execute("SELECT nik FROM cases WHERE nik IS NOT NULL")]
        # A person may share a name with an institution ("Nurul Huda", "Majelis Taklim Nurul Huda"),
        # which is published: such names cannot tell a leak from the institution's name.
        published = " | ".join(row[0] for row in conn.execute("SELECT name FROM institutions UNION SELECT name FROM villages"))
    finally:
        conn.close()
    return [name for name in names if name not in published], niks


class _Page(HTMLParser):
    """The links of a page and the text of its table cells, row by row."""

    def __init__(self):
        super().__init__()
        self.links, self.rows, self._cell = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(body: bytes) -> _Page:
    page = _Page()
    page.feed(body.decode("utf-8"))
    return page


def test_register_gives_any_connection_wksbm_sql_functions():
    conn = sqlite3.connect(":memory:")
    db.register(conn, "web")
    assert conn.execute("SELECT name_key('Besuk Agung'), wksbm_officer()").fetchone() == ("besukagung", "web")
    assert conn.execute("SELECT wksbm_now() LIKE '____-__-__T__:__:__.___Z'").fetchone() == (1,)


@pytest.mark.parametrize("by", ["village", "kecamatan", "kabupaten"])
def test_the_summary_json_is_wksbm_summary_json(site, sample, by):
    database, env = sample
    expected = _wksbm(database, "summary", "--as-of", AS_OF, "--by", by, "--format", "json", env=env)
    assert expected.returncode == 0, expected.stderr
    status, headers, body = get(f"{site}/summary.json?as_of={AS_OF}&by={by}")
    assert status == 200
    assert json.loads(body) == json.loads(expected.stdout)


def test_the_summary_page_shows_the_numbers_of_summary_json(site, sample):
    database, env = sample
    report = json.loads(_wksbm(database, "summary", "--as-of", AS_OF, "--format", "json", env=env).stdout)
    status, _headers, body = get(f"{site}/?as_of={AS_OF}")
    assert status == 200
    rows = {row[0]: row for row in _parse(body).rows if row and re.fullmatch(r"\d\d\.\d\d\.\d\d\.\d{4}", row[0])}
    assert len(rows) == len(report["villages"]) == 9
    for village in report["villages"]:
        assert rows[village["code"]] == [
            village["code"], village["name"], village["kecamatan"], village["stage"], f"{village['progress']} of 7",
            *(str(village[key]) if village[key] is not None else ""
              for key in ("institutions", "activities_in_window", "cases_open", "cases_resolved", "median_days_to_resolve")),
            village["next_step"] or "—",
        ]
    text = body.decode()
    for stage in ("none", "formed", "running", "active"):
        assert f"<b>{report['totals'][stage]}</b><span class=\"stage stage-{stage}\">" in text
    assert "<svg" in text and "http" not in text.split("<svg", 1)[1].split("</svg>")[0].replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_the_area_pages_roll_villages_up_as_summary_by_does(site, sample):
    database, env = sample
    for by in ("kecamatan", "kabupaten"):
        report = json.loads(_wksbm(database, "summary", "--as-of", AS_OF, "--by", by, "--format", "json", env=env).stdout)
        status, _headers, body = get(f"{site}/{by}?as_of={AS_OF}")
        assert status == 200
        area = report["areas"][0]
        row = next(row for row in _parse(body).rows if row and row[0] == area["code"])
        counts = [str(area[key]) for key in ("villages", "none", "formed", "running", "active")]
        assert row[2 if by == "kabupaten" else 3:][:5] == counts


def _svg(text: str, label: str) -> str:
    """The inline SVG chart with this aria-label, whole."""
    start = text.index(f'aria-label="{label}"')
    return text[text.rindex("<svg", 0, start):text.index("</svg>", start) + len("</svg>")]


def _trend_rows(body: bytes) -> list[list[str]]:
    text = body.decode()
    table = text[text.index('<table id="trend">'):]
    return [row for row in _parse(table[:table.index("</table>") + 8].encode()).rows[1:]]


@pytest.mark.parametrize("kecamatan", [None, "35.13.13"])
def test_the_summary_page_shows_the_stages_over_time_of_summary_trend(site, sample, kecamatan):
    database, env = sample
    area = ["--kecamatan", kecamatan] if kecamatan else []
    expected = _wksbm(database, "summary", "--trend", "--as-of", AS_OF, *area, "--format", "json", env=env)
    assert expected.returncode == 0, expected.stderr
    trend = json.loads(expected.stdout)
    assert len(trend["quarters"]) == 15 and trend["quarters"][-1]["date"] == AS_OF  # 2019 Q2 … 2022 Q4
    query = f"as_of={AS_OF}" + (f"&kecamatan={kecamatan}" if kecamatan else "")
    status, _headers, body = get(f"{site}/?{query}")
    assert status == 200
    svg = _svg(body.decode(), "Villages per stage at each quarter end")
    # One column per quarter end, each stage's part titled with its date and count, in the page's words.
    for point in trend["quarters"]:
        for stage in ("none", "formed", "running", "active"):
            assert (f"<title>{point['date']} {stage}: {point[stage]}</title>" in svg) == (point[stage] > 0), (point, stage)
    assert "belum terbentuk" not in svg and "eksis" not in svg  # one stage vocabulary per language
    assert "<script" not in svg and "href" not in svg and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # Under the chart, its numbers: what `summary --trend --format json` gives.
    assert _trend_rows(body) == [[point["date"], *(str(point[key]) for key in ("none", "formed", "running", "active", "villages"))]
                                 for point in trend["quarters"]]
    status, _headers, served = get(f"{site}/trend.json?{query}")
    assert status == 200 and json.loads(served) == trend


def test_the_area_pages_show_the_stages_over_time_too(site, sample):
    database, env = sample
    trend = json.loads(_wksbm(database, "summary", "--trend", "--as-of", AS_OF, "--format", "json", env=env).stdout)
    status, _headers, body = get(f"{site}/kecamatan?as_of={AS_OF}")
    assert status == 200
    assert "Villages per stage in each area" in body.decode()
    assert f"<title>{AS_OF} active: {trend['quarters'][-1]['active']}</title>" in _svg(
        body.decode(), "Villages per stage at each quarter end")
    assert _trend_rows(body)[0][0] == trend["quarters"][0]["date"]


def test_each_village_page_shows_its_criteria_and_next_step(site, sample):
    database, env = sample
    report = json.loads(_wksbm(database, "summary", "--as-of", AS_OF, "--format", "json", env=env).stdout)
    summary_page = _parse(get(f"{site}/?as_of={AS_OF}")[2])
    pages = [link for link in summary_page.links if link.startswith("/village/")]
    assert len(pages) == 9
    by_name = {v["name"]: v for v in report["villages"]}
    for link in pages:
        status, _headers, body = get(urljoin(site, link))
        assert status == 200
        page = _parse(body)
        name = body.decode().split("<h1>Village ", 1)[1].split("</h1>")[0]
        village = by_name[name]
        criteria = {row[0]: row[3] for row in page.rows if row and re.fullmatch(r"[FRA][123]", row[0])}
        assert criteria == {key: "met" if met else "not met" for key, met in village["criteria"].items()}
        assert (village["next_step"] or "Nothing: every criterion is met.") in body.decode()


def test_no_page_json_or_csv_anywhere_holds_a_name_or_a_nik(site, sample):
    database, _env_ = sample
    names, niks = _people(database)
    assert len(names) > 100 and len(niks) > 40
    # Every NIK, whole or masked as listings mask it, and any 16-digit run at all.
    forbidden = [name for name in names if len(name) > 3] + niks + [f"{nik[:6]}{'*' * 8}{nik[-2:]}" for nik in niks]
    tables = ("villages", "institutions", "activities", "case_counts", "institution_types", "pmks_categories")
    start = ["/", "/kecamatan", "/kabupaten", f"/?as_of={AS_OF}", "/summary.json", "/wksbm", "/wksbm.json",
             "/-/metadata.json", "/-/databases.json", "/-/plugins.json", "/-/settings.json", "/-/versions.json"]
    # Every row of every published table, as JSON and CSV.
    start += [f"/wksbm/{table}.{ext}?_size=max" for table in tables for ext in ("json", "csv")]
    # Every link reachable from there. Datasette links each page to many variants of itself (sort by
    # each column, facets, next page, each row): up to 3 of each shape of those URLs, which reaches
    # every kind of page and every table's JSON and CSV; wksbm's own pages are all visited.
    seen, shapes, queue = set(), {}, list(start)
    while queue:
        path = queue.pop(0)
        url = urlsplit(path)
        shape = (re.sub(r"[0-9]+", "N", url.path), tuple(sorted({part.split("=")[0] for part in url.query.split("&")})))
        limited = url.path.startswith("/wksbm/") and path not in start  # wksbm's own pages: every one
        if path in seen or (limited and shapes.get(shape, 0) >= 3):
            continue
        seen.add(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        status, headers, body = get(site + path)
        assert status in (200, 302, 403, 404), (path, status)
        text = body.decode("utf-8", "replace")
        for word in forbidden:
            assert word not in text, f"{path} shows {word!r}"
        # (Not the decimals of Datasette's query_ms timings.)
        assert not re.search(r"(?<![\d.])\d{16}(?!\d)|\d{6}\*{6,}\d{2}", text), path
        if "text/html" in headers.get("content-type", ""):
            for link in _parse(body).links:
                target = urlsplit(urljoin(site + path, link))
                if target.netloc == urlsplit(site).netloc:
                    queue.append(target.path + (f"?{target.query}" if target.query else ""))
    visited = " ".join(seen)
    for table in tables:
        assert f"/wksbm/{table}?" in visited or f"/wksbm/{table} " in visited + " "
        assert f"/wksbm/{table}.json" in visited and f"/wksbm/{table}.csv" in visited
    assert sum(1 for path in seen if path.startswith("/village/")) >= 9
    assert len(seen) > 100, len(seen)


def test_the_published_tables_hold_what_a_supervisor_reads(site):
    status, _headers, body = get(f"{site}/wksbm/institutions.csv?_size=max")
    assert status == 200
    rows = list(csv.DictReader(body.decode().splitlines()))
    assert len(rows) == 47 and set(rows[0]) == {"id", "village_id", "name", "type", "members", "joined_on"}
    status, _headers, body = get(f"{site}/wksbm/case_counts.json?_shape=array&_size=max")
    counts = json.loads(body)
    assert sum(row["reported"] for row in counts) == 101
    assert set(counts[0]) == {"kabupaten", "kecamatan", "category", "reported", "open", "resolved", "closed"}


@pytest.mark.parametrize("path", [
    "/wksbm.db", "/sample.db", "/wksbm?sql=select+person_name+from+cases", "/wksbm.json?sql=select+1",
    "/wksbm/cases", "/wksbm/cases.json", "/wksbm/case_events.csv", "/wksbm/settings",
    "/wksbm/villages.json?_where=1=1", "/_internal", "/-/permissions",
    # Villages filtered through the private cases table would tell which village has a case of a category.
    '/wksbm/villages.json?_through={"table":"cases","column":"category","value":"odha"}',
])
def test_no_download_no_sql_no_private_table(site, path):
    status, _headers, body = get(site + path)
    assert status in (403, 404), (path, status, body[:200])


def test_the_database_listing_names_only_the_published_tables(site):
    status, _headers, body = get(f"{site}/wksbm.json")
    assert status == 200
    tables = {table["name"] for table in json.loads(body)["tables"]}
    assert tables == {"villages", "institutions", "activities", "case_counts", "institution_types", "pmks_categories"}


def test_beyond_loopback_without_a_password_it_refuses_to_start(cli):
    result = cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "refusing to listen on 0.0.0.0 without a password" in result.stderr
    assert "--password-env" in result.stderr


def test_a_port_in_use_is_one_clear_line(cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("village", "add", "Bago", "--code", "35.13.13.2001")
        assert result.exit_code == 0, result.output
        result = cli("serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_a_password_env_that_is_not_set_refuses(cli, monkeypatch):
    monkeypatch.delenv("WKSBM_NO_SUCH_PASSWORD", raising=False)
    result = cli("serve", "--host", "0.0.0.0", "--password-env", "WKSBM_NO_SUCH_PASSWORD")
    assert result.exit_code == 1
    assert result.stderr == "Error: --password-env WKSBM_NO_SUCH_PASSWORD: the environment variable WKSBM_NO_SUCH_PASSWORD is not set or empty\n"


def test_with_a_password_anonymous_visitors_are_refused(sample, tmp_path):
    database, env = sample
    with running(database, {**env, "WEB_PASSWORD": PASSWORD}, "--password-env", "WEB_PASSWORD") as base:
        for path in ("/", "/summary.json", "/wksbm/villages.json", "/-/static/app.css", "/village/1"):
            status, headers, body = get(base + path)
            assert status == 401, path
            assert headers["www-authenticate"].startswith('Basic realm="wksbm"')
            assert get(base + path, password="wrong")[0] == 401
        assert get(base + "/", password=PASSWORD)[0] == 200
        status, _headers, body = get(base + "/wksbm/villages.json?_shape=array", password=PASSWORD)
        assert status == 200 and len(json.loads(body)) == 9
        assert get(base + "/wksbm?sql=select+1", password=PASSWORD)[0] == 403


def test_the_copy_is_remade_when_the_database_changes(sample, tmp_path):
    source, env = sample
    database = tmp_path / "changing.db"
    shutil.copy(source, database)
    with running(database, env) as base:
        before = json.loads(get(f"{base}/summary.json?as_of={AS_OF}")[2])
        trend_before = json.loads(get(f"{base}/trend.json?as_of={AS_OF}")[2])
        result = _wksbm(database, "village", "add", "Bago", "--code", "35.13.13.2001", env=env)
        assert result.returncode == 0, result.stderr
        after = json.loads(get(f"{base}/summary.json?as_of={AS_OF}")[2])
        trend_after = json.loads(get(f"{base}/trend.json?as_of={AS_OF}")[2])  # not the one kept for the old copy
    assert after["totals"]["villages"] == before["totals"]["villages"] + 1
    assert [point["villages"] + 1 for point in trend_before["quarters"]] == [point["villages"] for point in trend_after["quarters"]]
    assert any(v["code"] == "35.13.13.2001" for v in after["villages"])


def test_the_copy_is_private_and_removed_when_the_server_stops(sample, tmp_path):
    database, env = sample
    temp = tmp_path / "tmp"
    temp.mkdir()
    stale = temp / "wksbm-web-999999999-abcd"  # left by a web view that was killed
    stale.mkdir()
    (stale / "wksbm.db").write_bytes(b"")
    with running(database, {**env, "TMPDIR": str(temp)}) as base:
        assert get(base + "/")[0] == 200
        [folder] = temp.iterdir()
        assert folder.name.startswith("wksbm-web-") and folder != stale
        assert folder.stat().st_mode & 0o777 == 0o700
        assert (folder / "wksbm.db").stat().st_mode & 0o777 == 0o600
    assert list(temp.iterdir()) == []


def test_without_the_web_extra_serve_says_how_to_get_it(tmp_path):
    database = tmp_path / "w.db"
    env = _env(tmp_path)
    assert _wksbm(database, "village", "add", "Bago", "--code", "35.13.13.2001", env=env).returncode == 0
    code = ("import sys; sys.modules['datasette'] = None; sys.argv = ['wksbm', '--db', sys.argv[1], 'serve'];"
            "from wksbm_cli.app import main; main()")
    result = subprocess.run([sys.executable, "-c", code, str(database)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr == ("Error: the web view needs Datasette: install wksbm with its web extra "
                             "(pip install 'wksbm[web]')\n")


def test_other_commands_never_import_datasette(sample):
    database, env = sample
    code = ("import sys; sys.argv = ['wksbm', '--db', sys.argv[1], 'summary'];"
            "from wksbm_cli.app import main\ntry:\n    main()\nfinally:\n"
            "    sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] in ('datasette', 'uvicorn'))))")
    result = subprocess.run([sys.executable, "-c", code, str(database)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("[]")


def test_in_indonesian_the_page_uses_the_indonesian_stage_words(sample):
    database, env = sample
    expected = _wksbm(database, "summary", "--as-of", AS_OF, "--format", "json", env=env)
    with running(database, {**env, "WKSBM_LANG": "id"}) as base:
        status, _headers, body = get(f"{base}/?as_of={AS_OF}")
        # What scripts read does not change with the language.
        assert json.loads(get(f"{base}/summary.json?as_of={AS_OF}")[2]) == json.loads(expected.stdout)
    text = body.decode()
    assert status == 200 and '<html lang="id">' in text
    assert 'stage-active">eksis</span>' in text and 'stage-none">belum terbentuk</span>' in text
    assert "31/12/2022" in text
    trend = _svg(text, "Desa per tahap di setiap akhir triwulan")
    assert "<title>31/12/2022 eksis: " in trend and ">12/2022</text>" in trend and ">belum terbentuk</text>" in trend and "active" not in trend
    assert _trend_rows(body)[-1][0] == "31/12/2022" and "<th>Akhir triwulan</th>" in text
    # Every word of wksbm's own pages, those inside f-strings too (they once went unextracted).
    for word in (">Ringkasan</a>", ">Tabel data</a>", "per 31/12/2022", ">Angka-angka ini dalam JSON</a>", ">Tampilkan</button>"):
        assert word in text, word


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_the_summary_page_renders_in_headless_chromium(site, tmp_path):
    shot = tmp_path / "summary.png"
    profile = tmp_path / "profile"
    subprocess.run(
        ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={profile}", "--window-size=1280,1100", f"--screenshot={shot}", f"{site}/?as_of={AS_OF}"],
        capture_output=True, timeout=120)
    assert shot.exists()
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a page with a table and a chart, not a blank
    if os.environ.get("WKSBM_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["WKSBM_KEEP_SCREENSHOT"])


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_the_stages_over_time_render_offline_in_headless_chromium(site, tmp_path):
    # The whole page, down to the stages over time, drawn with no network but the view itself.
    shot = tmp_path / "trend.png"
    subprocess.run(
        ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2400", "--proxy-server=127.0.0.1:9",
         "--proxy-bypass-list=127.0.0.1", f"--screenshot={shot}", f"{site}/?as_of={AS_OF}"],
        capture_output=True, timeout=120)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 40_000
    if os.environ.get("WKSBM_KEEP_SCREENSHOT"):
        shutil.copy(shot, Path(os.environ["WKSBM_KEEP_SCREENSHOT"]).with_suffix(".trend.png"))


# Datasette's words its own pages show in English, which the Indonesian templates replace.
DATASETTE_ENGLISH = (" rows", " row<", "This data as", "Advanced export", "JSON shape", "CSV options", "Export CSV",
                     "Powered by", "Queries took", ">home<", "Sort by", "descending", "starts with", "- column -",
                     "Next page", "Links from other tables", " rows from ", "where ", "sorted by", "Error 404",
                     ">Tables<", 'value="Apply"', "0 records")


def _words(body: bytes) -> str:
    """The page without its inline CSS and scripts (column names in the CSS are not words)."""
    return re.sub(r"<(style|script)\b.*?</\1>", "", body.decode(), flags=re.S)


def test_in_indonesian_datasettes_own_pages_speak_indonesian(sample, site):
    database, env = sample
    with running(database, {**env, "WKSBM_LANG": "id"}) as base:
        pages = {path: get(base + path) for path in (
            "/wksbm", "/wksbm/villages", "/wksbm/villages?kecamatan=Besuk&_sort_desc=name", "/wksbm/villages/1",
            "/wksbm/activities?_size=5", "/wksbm/case_counts", "/wksbm/no_such_table")}
    texts = {path: _words(body) for path, (_status, _headers, body) in pages.items()}
    assert [status for status, _headers, _body in pages.values()] == [200] * 6 + [404]
    table = texts["/wksbm/villages"]
    for words in ("<title>wksbm: villages: 9 baris</title>", "<h1>Desa</h1>", "<h3>9 baris", ">beranda</a>",
                  "<dt>decree</dt><dd>SK kepala desa</dd>", "<dt>formed_on</dt><dd>WKSBM dibentuk</dd>",
                  "Setiap desa: kodenya, kecamatan, kabupaten, dan SK pembentukan WKSBM-nya.",
                  "Data ini sebagai ", ">Ekspor lanjutan</h3>", "Bentuk JSON:", "Pilihan CSV:", 'value="Ekspor CSV"',
                  ">Urutkan menurut kecamatan</option>", ">berawalan</option>", 'value="Terapkan"',
                  "<strong>penyelia</strong>", "Dibuat dengan "):
        assert words in table, words
    assert ('<title>wksbm: villages: 9 baris dengan kecamatan = "Besuk" diurutkan menurun menurut name</title>'
            in texts["/wksbm/villages?kecamatan=Besuk&_sort_desc=name"])
    assert ">Halaman berikutnya</a>" in texts["/wksbm/activities?_size=5"]
    assert "<h1>Jumlah kasus</h1>" in texts["/wksbm/case_counts"]
    row = texts["/wksbm/villages/1"]
    assert "<h2>Tautan dari tabel lain</h2>" in row and re.search(r"7 baris</a>\s+menurut village_id di institutions", row)
    assert '<h2 id="tables">Tabel</h2>' in texts["/wksbm"] and "<p>9 baris</p>" in texts["/wksbm"]
    assert "<h1>Kesalahan 404</h1>" in texts["/wksbm/no_such_table"]
    for path, text in texts.items():
        for english in DATASETTE_ENGLISH:
            assert english not in text, (path, english)
    # In English, Datasette's pages stay as Datasette has them.
    status, _headers, body = get(f"{site}/wksbm/villages")
    english = _words(body)
    assert status == 200
    assert "<h3>9 rows" in english and "Advanced export" in english and "<h1>villages</h1>" in english
    assert "baris" not in english and "column-descriptions" not in english and "penyelia" not in english


def test_each_indonesian_template_is_a_datasette_template_and_names_the_version_it_came_from():
    import datasette

    ours = sorted((ROOT / "wksbm_cli" / "web" / "templates" / "id").glob("*.html"))
    assert ours
    for template in ours:
        assert (Path(datasette.__file__).parent / "templates" / template.name).exists(), template.name
        assert re.match(rf"\{{#- wksbm: Datasette 0\.65\.\d+'s templates/{re.escape(template.name)} ",
                        template.read_text()), template.name
