"""The review report in a real browser: headless Chromium from the system packages, driven by
Playwright. Clicking a task in the side list must scroll its span into view and highlight it.

Chromium is a system package (Debian: `apt-get install chromium`), never downloaded by Playwright:
this test FAILS when /usr/bin/chromium is missing, it does not skip.
"""
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from pipeline.report import write_report

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parent.parent / "output" / "test-artefacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LARGEST_SAMPLE = "003_9823cad0ae2b82be"


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1366, "height": 820}, offline=True)
        try:
            yield context.new_page()
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report_page(browser_page, ingested_corpus, tmp_path_factory):
    out = write_report(ingested_corpus.db, LARGEST_SAMPLE, tmp_path_factory.mktemp("report") / "report.html")
    errors = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_page.on("request", lambda req: req.url.startswith("file:") or errors.append(f"network: {req.url}"))
    browser_page.goto(out.as_uri())
    yield browser_page
    assert errors == []


IN_VIEW = """(id) => {
  const el = document.getElementById('i-' + id), pane = document.getElementById('doc');
  if (!el) return null;
  const r = el.getBoundingClientRect(), p = pane.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, paneTop: p.top, paneBottom: p.bottom, scrollTop: pane.scrollTop,
           visible: r.top >= p.top && r.top < p.bottom - 10 && r.top < window.innerHeight,
           focused: el.classList.contains('focus'),
           outline: getComputedStyle(el).outlineStyle, background: getComputedStyle(el).backgroundColor };
}"""


def test_clicking_a_task_scrolls_its_span_into_view_and_highlights_it(report_page, ingested_corpus):
    page = report_page
    entries = page.locator("#side .entry.e-task")
    n = entries.count()
    assert n == ingested_corpus.db.execute(
        "select count(*) from tasks join documents using(doc_id) where stem = ?", [LARGEST_SAMPLE]).fetchone()[0]
    # A task far down the text, so the click has to scroll.
    entry = entries.nth(n - 3)
    task = entry.get_attribute("data-go")
    before = page.evaluate(IN_VIEW, task)
    assert before is not None and not before["visible"] and not before["focused"]

    entry.locator(".ttl").click()
    page.wait_for_function(f"({IN_VIEW})('{task}').visible", timeout=5000)
    page.wait_for_timeout(1000)  # let the smooth scroll settle before measuring and the screenshot
    after = page.evaluate(IN_VIEW, task)
    assert after["visible"] and after["focused"], after
    assert after["scrollTop"] > 0
    assert after["outline"] != "none"
    assert "active" in (entry.get_attribute("class") or "")
    # The highlight covers every fragment of that task and nothing else.
    assert page.locator(f'#doc [data-i="{task}"]').count() == page.locator("#doc .focus").count()

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "report_task_click.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000


def test_clicking_a_unit_chip_focuses_that_unit(report_page):
    page = report_page
    chip = page.locator("#side .entry.e-task .chip.lead").first
    unit = chip.get_attribute("data-go")
    chip.click()
    page.wait_for_function(f"({IN_VIEW})('{unit}').visible", timeout=5000)
    state = page.evaluate(IN_VIEW, unit)
    assert state["focused"]
    assert page.locator("#doc .focus").count() == page.locator(f'#doc [data-i="{unit}"]').count()


def test_hover_shows_the_normalised_value(report_page, ingested_corpus):
    page = report_page
    mark = page.locator("#doc .m.target").first
    target = mark.get_attribute("data-i")
    indicator = ingested_corpus.db.execute(
        "select indicator from targets join documents using(doc_id) where stem = ? and position = ?",
        [LARGEST_SAMPLE, int(target.removeprefix("g"))]).fetchone()[0]
    mark.scroll_into_view_if_needed()
    mark.hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible", timeout=3000)
    assert indicator in tip.inner_text()
