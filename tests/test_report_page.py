"""`summary -o FILE.html`: a printable report page (heading, chart, table, legend, print CSS, offline); light SVG."""

import datetime as dt
import re
import shutil
import subprocess

import pytest

from wksbm_cli.services import activities, cases, institutions, villages
from tests.test_summary import small_world

LONG_NAME = "Desa" + "Panjangsekalinamanya" * 4  # 84 letters, no space: must wrap, not run off the paper


def many_villages(conn, count=24):
    """`count` villages formed on different days of 2022: each one's next step names its own age."""
    names = []
    for number in range(count):
        name = LONG_NAME if number == 0 else f"Desa Nomor {number:02d} Sukamaju Sejahtera"
        villages.add_village(conn, name=name, code=f"35.13.99.{2001 + number}", kecamatan="Kecamatan Yang Panjang",
                             kabupaten="Probolinggo", formed_on=(dt.date(2022, 1, 1) + dt.timedelta(days=number * 7)).isoformat())
        for member in range(3):
            institutions.add_institution(conn, name, name=f"Lembaga {member}", type="kube", joined_on="2022-06-01")
        activities.add_activity(conn, name, held_on="2022-12-01", kind="meeting", title="Rapat")
        cases.add_case(conn, name, category="fakir-miskin", person_name="Warga", reported_on="2022-07-01",
                       handled_by="Lembaga 0")
        names.append(name)
    return names


def page(cli, tmp_path, *options, name="laporan.html"):
    path = tmp_path / name
    result = cli("summary", "--as-of", "2022-12-31", "-o", path, *options)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {path}.\n"
    return path, path.read_text(encoding="utf-8")


def test_the_page_has_a_heading_chart_table_and_legend(conn, cli, tmp_path):
    small_world(conn)
    _, html = page(cli, tmp_path, "--kecamatan", "35.13.13")
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>WKSBM progress report</h1>" in html
    assert "<dt>Area</dt><dd>Kecamatan Besuk, Kabupaten Probolinggo</dd>" in html
    assert "<dt>As of</dt><dd>2022-12-31</dd>" in html
    assert f"<dt>Made on</dt><dd>{dt.date.today().isoformat()} " in html
    assert html.count("<svg") == 1 and 'aria-label="Villages per stage"' in html
    # every village and its next step whole, the Kemendagri code beside the name
    for text in ("Alasnyiur", "35.13.13.2003", "record a meeting: none in the last 90 days",
                 "set the date the WKSBM was formed: not set", "Randujalak"):
        assert text in html
    assert "Kregenan" not in html  # another kecamatan
    legend = html[html.index('<section class="legend">'):]
    for heading in ("village", "kecamatan", "stage", "progress", "inst", "act", "open/res", "median days", "next step"):
        assert f"<dt>{heading}</dt>" in legend
    assert "<dt>act</dt><dd>activities in the last 90 days up to the report date</dd>" in legend
    for stage in ("none", "formed", "running", "active"):  # one stage vocabulary per language (SPEC 9)
        assert f'<span class="sw s-{stage}"></span>{stage}</dt>' in legend
    assert "eksis" not in html and "berjalan" not in html
    for key in ("F1", "F2", "R1", "R2", "A1", "A2", "A3"):
        assert f"<dt>{key}</dt>" in legend
    assert "<dt>F2</dt><dd>at least 3 member institutions</dd>" in legend


def test_in_indonesian_the_page_has_one_stage_vocabulary_and_indonesian_dates(conn, cli, tmp_path, monkeypatch):
    small_world(conn)
    monkeypatch.setenv("WKSBM_LANG", "id")
    path = tmp_path / "laporan.html"
    result = cli("summary", "--as-of", "2022-12-31", "--trend", "-o", path)
    assert result.exit_code == 0, result.output
    html = path.read_text(encoding="utf-8")
    assert "31/12/2022" in html and "2022-12-31" not in html
    legend = html[html.index('<section class="legend">'):]
    for word in ("belum terbentuk", "terbentuk", "berjalan", "eksis"):
        assert f"</span>{word}</dt>" in legend
    for word in ("(none)", "(formed)", "(running)", "(active)", ">active<", ">running<"):
        assert word not in html

def test_the_page_uses_no_external_resource(conn, cli, tmp_path):
    small_world(conn)
    for options in ([], ["--by", "kecamatan"]):
        _, html = page(cli, tmp_path, *options, "--force")
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
        assert "<script" not in html and "<link" not in html and "@import" not in html and "url(" not in html
        assert "@media print" in html and "@page" in html


def test_per_kecamatan_the_page_charts_each_area(conn, cli, tmp_path):
    small_world(conn)
    _, html = page(cli, tmp_path, "--by", "kecamatan")
    assert 'aria-label="Villages per stage"' in html and 'aria-label="Villages per stage in each area"' in html
    assert "<dt>Area</dt><dd>Kabupaten Probolinggo</dd>" in html
    assert '<td class="text">Kraksaan</td>' in html and '<td class="code">35.13.14</td>' in html


def test_stored_values_are_escaped_on_the_page_and_in_the_image(conn, cli, tmp_path):
    villages.add_village(conn, name='<img src="http://x/y.png">\x1b[31mMerah\u202e', kecamatan="<b>Besuk</b>",
                         kabupaten="Probolinggo & Co")
    for name in ("laporan.html", "laporan.svg"):
        _, text = page(cli, tmp_path, name=name)
        assert "<img" not in text and "<b>" not in text and "\x1b" not in text and "\u202e" not in text
        if name.endswith(".html"):
            assert "&lt;img src=&quot;http://x/y.png&quot;&gt;\\x1b[31mMerah\\u202e" in text
        else:  # the image wraps long names onto more lines
            assert "&lt;img" in text and "\\x1b[31mMerah\\u202e" in text
        assert "Probolinggo &amp; Co" in text


def test_the_svg_image_is_a_light_chart_and_table(conn, cli, tmp_path):
    small_world(conn)
    _, svg = page(cli, tmp_path, name="laporan.svg")
    assert svg.startswith("<svg") and '<rect width="100%" height="100%" fill="#ffffff"/>' in svg
    assert "terminal" not in svg and "#0c0c0c" not in svg.lower()  # not Rich's dark terminal window
    assert 'aria-label="Villages per stage"' in svg
    assert "WKSBM progress report" in svg and "As of: 2022-12-31" in svg
    assert ">set the date the WKSBM was formed: not set<" in svg and ">record a meeting: none in the last 90 days<" in svg


def _print(html_path, tmp_path, size):
    """Print the page with headless Chromium on A4 `size` (portrait/landscape); return the PDF's text."""
    forced = tmp_path / f"print-{size}.html"
    forced.write_text(html_path.read_text(encoding="utf-8").replace(
        "</style>", f"@page {{ size: A4 {size}; }}</style>", 1), encoding="utf-8")
    pdf = tmp_path / f"print-{size}.pdf"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", forced.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    # -raw keeps the order Chromium drew the text in: a cell's lines stay together.
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text


@pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("pdftotext") is None,
                    reason="needs headless Chromium and pdftotext (Debian: chromium, poppler-utils)")
@pytest.mark.parametrize("size", ["portrait", "landscape"])
def test_every_next_step_is_on_paper(conn, cli, tmp_path, size):
    names = many_villages(conn)
    small_world(conn)
    report = cli.json("summary", "--as-of", "2022-12-31")
    steps = {village["name"]: village["next_step"] for village in report["villages"]}
    assert len(set(steps.values())) > 20  # each village's own next step
    path, _ = page(cli, tmp_path)
    text = _print(path, tmp_path, size)
    assert not re.search(r"terbentu\s*\n\s*k|berjala\s*\n|Besu\s*\n\s*k", text)  # no word cut in two
    paper = re.sub(r"\s+", "", text)
    for name, step in steps.items():
        assert re.sub(r"\s+", "", name) in paper, name
        assert re.sub(r"\s+", "", step or "–") in paper, (name, step)
    assert "35.13.99.2024" in paper and "Legend" in paper and "A3" in paper
    assert names[0] in paper
