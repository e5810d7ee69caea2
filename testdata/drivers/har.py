"""Record a HAR of a session in a test-bed app with Playwright, as a user
of Playwright would (record_har_path on a browser context).

usage: python har.py APP URL OUT [--chromium PATH] [--trim]

APP is calculator (one multiply, 6 x 7), state (the words apple and
banana, counted in one session), tabs (the state app in two tabs, a word
in each), chat (two messages to a streaming
ChatInterface), stream (its three generators) or files (an image and a
text file uploaded, each sent to its endpoint): chat, stream and files
follow their steps files (testdata/steps), so that the import can be
compared with the golden recording; URL the app's root URL; OUT
the HAR to write (a .zip makes Playwright store bodies as side files). The
browser is the Chromium at --chromium (default /usr/bin/chromium): nothing
is downloaded. --trim keeps only the page and the app's API entries (the
page's scripts, styles and fonts are dropped), for small test data.
Exits 0 when the session ran and the HAR was written.
"""

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

from playwright.sync_api import expect, sync_playwright  # noqa: E402


def calculator(page):
    page.get_by_label("num1").fill("6")
    page.get_by_label("multiply").check()
    page.get_by_label("num2").fill("7")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_label("result")).to_have_value("42")


def state(page):
    box = page.get_by_label("word", exact=True)
    for n, word in enumerate(["apple", "banana"], start=1):
        box.fill(word)
        box.press("Enter")
        expect(page.get_by_label("count", exact=True)).to_have_value(str(n))


def tabs(page):
    """The state app in two tabs, a word in each: two sessions in one HAR."""
    other = page.context.new_page()
    other.goto(page.url)
    for tab, word in ((page, "apple"), (other, "banana")):
        box = tab.get_by_label("word", exact=True)
        box.fill(word)
        box.press("Enter")
        expect(tab.get_by_label("count", exact=True)).to_have_value("1")


def chat(page):
    box = page.locator("textarea").first  # the message box
    for message in ["hi there", "how are you"]:
        box.fill(message)
        box.press("Enter")
        expect(page.get_by_text("You said: " + message)).to_be_visible()
        expect(box).to_be_editable()  # the turn's last calls are done


def stream(page):
    page.get_by_label("text", exact=True).fill("stream me")
    page.get_by_role("button", name="Grow").click()
    expect(page.get_by_label("grown")).to_have_value("stream me")
    page.get_by_label("n", exact=True).fill("5")
    page.get_by_role("button", name="Count").click()
    expect(page.get_by_label("counter")).to_have_value("5")
    page.get_by_label("steps", exact=True).fill("4")
    page.get_by_role("button", name="Run with progress").click()
    expect(page.get_by_label("status")).to_have_value("Finished 4 steps")


FIXTURES = Path(__file__).resolve().parent.parent / "steps" / "fixtures"


def files(page):
    # The image's file input takes images; the file's takes anything.
    page.locator("input[type=file][accept^='image']").set_input_files(FIXTURES / "pattern.png")
    expect(page.locator("img[src*='pattern']")).to_be_visible()  # uploaded
    page.get_by_role("button", name="Mirror").click()
    expect(page.locator("img[src*='mirrored']")).to_be_visible()
    page.locator("input[type=file]:not([accept^='image'])").set_input_files(FIXTURES / "sample.txt")
    expect(page.locator("a[href*='sample.txt']")).to_be_visible()  # uploaded
    page.get_by_role("button", name="Stats").click()
    expect(page.locator("a[href*='sample.stats.txt']")).to_be_visible()


SESSIONS = {
    "calculator": calculator,
    "state": state,
    "tabs": tabs,
    "chat": chat,
    "stream": stream,
    "files": files,
}


def trim(path, url):
    """Drop every entry but the page and the app's API calls."""
    har = json.loads(Path(path).read_text())
    root = url.rstrip("/")
    keep = []
    for e in har["log"]["entries"]:
        u = e["request"]["url"]
        api = "/gradio_api/" in u or "/queue/" in u or "/upload" in u or "/file=" in u or u.endswith("/info")
        page = u.rstrip("/") == root
        if u.startswith(root) and (api or page):
            keep.append(e)
    har["log"]["entries"] = keep
    Path(path).write_text(json.dumps(har, indent=1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("app", choices=sorted(SESSIONS))
    p.add_argument("url")
    p.add_argument("out")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--trim", action="store_true")
    a = p.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=a.chromium, args=["--no-sandbox"])
        try:
            ctx = browser.new_context(record_har_path=a.out)
            page = ctx.new_page()
            page.set_default_timeout(60_000)
            expect.set_options(timeout=60_000)
            page.goto(a.url)
            SESSIONS[a.app](page)
            ctx.close()  # writes the HAR
        finally:
            browser.close()
    if a.trim:
        trim(a.out, a.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
