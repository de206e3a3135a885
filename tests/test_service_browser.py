"""The review page in a real browser: Debian's chromium driven by playwright, against a real
uvicorn server on 127.0.0.1.

Skipped when /usr/bin/chromium is missing, except under CI=true, where .ci/run installs it
and a missing browser is a failure. playwright's own browser download is never used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from auditor import Auditor
from auditor.paths import corpora_dir
from auditor.report.claimreview import MISSING_REVIEWER
from auditor.service import ServiceSettings, create_app
from auditor.service.server import background_server

pytestmark = pytest.mark.model

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SEED = corpora_dir("examples", "kratom_seed.txt")
PROBLEMS = ("contradicted", "unsupported", "misused_term", "overstated", "unchecked")
HOSTILE = ('Kratom is not addictive. <script>window.__pwned=1</script>\n'
           '<img src=x onerror="window.__pwned=1"> Kratom cures opioid withdrawal.\n'
           '"><svg onload=window.__pwned=1> 🧪 Kratom is 100% safe for everyone & it never '
           'causes dependence.\n'
           "</div><b>bold</b> &amp; &lt;not an entity&gt; {{ 7*7 }} ${7*7} javascript:alert(1)\n")


def _browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must install it", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def base_url(auditor: Auditor) -> Iterator[str]:
    with background_server(create_app(ServiceSettings(), auditor)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 768},
                                  accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.goto(f"{base_url}/")
    yield page
    context.close()
    # No script error, no CSP violation ("Refused to ..."), no failed load but the one the
    # ClaimReview button asks for without a reviewer configured.
    expected = ("console error: Failed to load resource: the server responded with a status of "
                "409 (Conflict)")
    assert [p for p in problems if p != expected] == []


def audit_in_page(page: Any, text: str) -> None:
    page.fill("#draft", text)
    page.press("#draft", "Control+Enter")
    page.wait_for_selector("#review:not([hidden])")
    # (selectors, not wait_for_function: the page's CSP forbids the eval that one needs)
    page.wait_for_selector("#audit-button:not([disabled])")


def api_report(base_url: str, text: str) -> dict[str, Any]:
    response = httpx.post(f"{base_url}/v1/audit", json={"text": text}, timeout=60)
    assert response.status_code == 200
    return dict(response.json())


# Each finding's pieces (crossing spans are split) put together give its quote.
PIECES_JS = """() => {
  const byIndex = new Map();
  for (const mark of document.querySelectorAll('#article mark.hl')) {
    const i = Number(mark.dataset.index);
    if (!byIndex.has(i)) byIndex.set(i, []);
    byIndex.get(i).push(mark.textContent);
  }
  return Array.from(byIndex.entries()).sort((a, b) => a[0] - b[0]).map(e => e[1].join(''));
}"""


def test_review_of_the_seed_article(page: Any, base_url: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    text = SEED.read_text(encoding="utf-8")
    report = api_report(base_url, text)
    audit_in_page(page, text)

    # Highlights: one focusable first piece per finding, per category as the report counts.
    for category in PROBLEMS:
        marks = page.locator(f"#article mark.hl-first.cat-{category}")
        assert marks.count() == report["summary"][category], category
    assert page.locator("#article mark.hl-first").count() == len(report["findings"])
    assert page.evaluate(PIECES_JS) == [f["quote"] for f in report["findings"]]
    assert page.evaluate("document.getElementById('article').textContent") == text
    counts = {c: page.inner_text(f"[data-count={c}]") for c in PROBLEMS}
    assert counts == {c: str(report["summary"][c]) for c in PROBLEMS}

    # Select a contradicted finding by keyboard: the panel explains it with its citations.
    index = next(i for i, f in enumerate(report["findings"]) if f["category"] == "contradicted")
    finding = report["findings"][index]
    first = page.locator(f"#article mark.hl-first[data-index='{index}']")
    first.focus()
    page.keyboard.press("Enter")
    assert page.inner_text("#detail-category") == "contradicted"
    assert page.inner_text("#detail-quote") == finding["quote"]
    assert page.inner_text("#detail-explanation") == finding["explanation"]
    assert page.inner_text("#detail-suggestion") == (finding["suggestion"] or "")
    links = page.locator("#detail-evidence a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    expected = [c["url"] for e in finding["evidence"] for c in e["citations"]]
    assert hrefs == expected
    assert any(href.startswith("https://") for href in hrefs)
    assert {links.nth(i).get_attribute("rel") for i in range(links.count())} == {
        "noopener noreferrer"}
    assert {links.nth(i).get_attribute("target") for i in range(links.count())} == {"_blank"}

    # n goes to the next shown finding, p back.
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.dataset.index") == str(index + 1)
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.dataset.index") == str(index)

    # Dismiss it with a reason: counted, struck through, and in the JSON export.
    page.click("#dismiss-button")
    assert page.inner_text("#dismiss-error") == "Choose a reason first."
    page.select_option("#dismiss-reason", "acceptable in context")
    page.fill("#dismiss-note", "quoted to rebut it")
    page.click("#dismiss-button")
    assert page.inner_text("#dismissed-count") == "1"
    assert "is-dismissed" in (first.get_attribute("class") or "")
    assert page.inner_text("#dismissed-reason") == "acceptable in context — quoted to rebut it"
    with page.expect_download() as download:
        page.click("#export-json")
    review = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert review["report"] == report
    assert [(d["finding_id"], d["reason"], d["note"]) for d in review["dismissals"]] == [
        (finding["id"], "acceptable in context", "quoted to rebut it")]
    with page.expect_download() as download:
        page.click("#export-markdown")
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith("# Review: <text>\n")
    assert "*Dismissed: acceptable in context — quoted to rebut it*" in markdown

    # ClaimReview without a reviewer configured: the button says so.
    monkeypatch.delenv("AUDITOR_REVIEWER_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    page.click("#export-claimreview")
    page.wait_for_selector("#export-status:not(:empty)")
    assert page.inner_text("#export-status") == f"ClaimReview not exported: {MISSING_REVIEWER}"

    # Filter a category off: its highlights lose their colour and their tab stop; the text stays.
    page.uncheck("#category-filters input[value=misused_term]")
    hidden = page.evaluate("""() => Array.from(
        document.querySelectorAll('#article mark.cat-misused_term'),
        m => [m.classList.contains('is-filtered'), getComputedStyle(m).backgroundColor,
              m.classList.contains('hl-first') ? m.tabIndex : -1])""")
    assert len(hidden) >= report["summary"]["misused_term"] > 0
    assert all(h == [True, "rgba(0, 0, 0, 0)", -1] for h in hidden)
    shown = page.locator("#article mark.hl-first.cat-contradicted").first
    assert "is-filtered" not in (shown.get_attribute("class") or "")
    assert page.evaluate("document.getElementById('article').textContent") == text

    screenshot = tmp_path / "review.png"
    page.screenshot(path=str(screenshot))
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000


def test_clicking_a_highlight_selects_it(page: Any, base_url: str) -> None:
    text = "Kratom is not addictive. It is a gentle herb."
    report = api_report(base_url, text)
    audit_in_page(page, text)
    index = next(i for i, f in enumerate(report["findings"]) if f["category"] == "contradicted")
    page.click(f"#article mark.hl-first[data-index='{index}']")
    assert page.inner_text("#detail-quote") == report["findings"][index]["quote"]
    assert "is-selected" in (page.get_attribute(
        f"#article mark.hl-first[data-index='{index}']", "class") or "")


def test_hostile_text_is_shown_as_text_and_nothing_runs(page: Any, base_url: str) -> None:
    report = api_report(base_url, HOSTILE)
    audit_in_page(page, HOSTILE)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#article img, #article svg, #article script, #article b").count() == 0
    assert page.evaluate("document.getElementById('article').textContent") == HOSTILE
    # The highlights sit at the right places despite the emoji (two UTF-16 units, one code
    # point on the server).
    assert report["summary"]["contradicted"] >= 1
    assert page.evaluate(PIECES_JS) == [f["quote"] for f in report["findings"]]
    assert page.evaluate("typeof window.__pwned") == "undefined"
