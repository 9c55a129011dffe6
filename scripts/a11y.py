#!/usr/bin/env python3
"""Accessibility check: axe-core (WCAG 2.0/2.1 A + AA) in headless Chromium.

    scripts/a11y BASE_URL PATH [PATH...]

Run it through the scripts/a11y wrapper, which installs what is missing
(chromium, chromium-driver, selenium, the axe.min.js file). A PATH written as
`404:/some/path` must answer 404 (and is still checked with axe); every other
path must answer 200. Redirects are not followed: a 3xx is a failure.

With PAGE_COOKIE=name=value in the environment, every request (and the
browser) carries that cookie, to check the pages of a logged-in editor.

A PATH written as `ACTION:/some/path` (ACTION a name from ACTIONS below, not
digits) is checked in the state the page's script leaves it in after the
action, as a person would meet it; the action asserts that the script did its
part, and its failure fails the page. `404:` and an action do not combine.
  worksheet-save      a worksheet: types into the first textarea of a
                      form.item-form, moves focus out of the item with Tab, and
                      waits until its .save-status says "Gemt …" (worksheet.js
                      saved the item and wrote the time).
  worksheet-conflict  a worksheet: an answered item's form is made to look as
                      if it was filled in before someone else saved (its
                      basedOn set to 0), typed into and left with Tab; the
                      script gets 409 and posts the form itself, and the check
                      waits for the page showing both answers (#konflikt).

Exit status: 0 if every page loads with the expected status and axe finds no
violations, 1 otherwise, 2 on usage or setup errors.

Environment:
    AXE_JS            path to axe.min.js (default: the one shipped in the
                      axe-playwright-python wheel)
    CHROMIUM_BIN      default /usr/bin/chromium
    CHROMEDRIVER_BIN  default /usr/bin/chromedriver
    A11Y_MAX_NODES    node examples printed per violation (default 3)
"""

import importlib.util
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_NODES = int(os.environ.get("A11Y_MAX_NODES", "3"))

AXE_RUN = """
const done = arguments[arguments.length - 1];
if (typeof axe === 'undefined') { done({error: 'axe is not defined after injection'}); return; }
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(function (r) {
    done({
      axeVersion: r.testEngine && r.testEngine.version,
      passes: r.passes.length,
      incomplete: r.incomplete.map(function (v) { return v.id; }),
      violations: r.violations.map(function (v) {
        return {
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
          nodeCount: v.nodes.length,
          nodes: v.nodes.slice(0, arguments_max).map(function (n) {
            return {target: n.target, html: n.html, summary: n.failureSummary};
          })
        };
      })
    });
  })
  .catch(function (e) { done({error: String(e && e.stack || e)}); });
"""


def log(msg=""):
    print(msg, flush=True)


def find_axe_js():
    path = os.environ.get("AXE_JS")
    if path:
        return path if os.path.isfile(path) else None
    # find_spec does not import the package (its runtime needs playwright).
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        return None
    for d in spec.submodule_search_locations:
        for root, _dirs, files in os.walk(d):
            if "axe.min.js" in files:
                return os.path.join(root, "axe.min.js")
    return None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request_headers():
    """Accept HTML; with PAGE_COOKIE ("name=value"), send that cookie (pages of a logged-in editor)."""
    headers = {"Accept": "text/html"}
    if os.environ.get("PAGE_COOKIE"):
        headers["Cookie"] = os.environ["PAGE_COOKIE"]
    return headers


def http_status(url):
    """Return (status, content_type, location) without following redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, headers=request_headers())
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), None
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.headers.get("Location")


def parse_targets(base, args):
    pages = []
    for arg in args:
        expected = 200
        path = arg
        action = None
        if ":" in arg and not arg.startswith("/"):
            prefix, rest = arg.split(":", 1)
            if prefix.isdigit():
                expected, path = int(prefix), rest
            elif prefix in ACTIONS:
                action, path = prefix, rest
            else:
                raise SystemExit(f"a11y: unknown action {prefix!r} in {arg!r} (known: {', '.join(sorted(ACTIONS))})")
        url = urllib.parse.urljoin(base.rstrip("/") + "/", path.lstrip("/"))
        pages.append((path, url, expected, action))
    return pages


# --- Actions: the page as its script leaves it ---------------------------------

ACTION_TIMEOUT = 20


def _leave_with_tab(driver, form):
    """Presses Tab until the focus is outside `form` (as a keyboard user leaves an item)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(10):
        try:
            ActionChains(driver).send_keys(Keys.TAB).perform()
            if not driver.execute_script("return arguments[0].contains(document.activeElement);", form):
                return
        except WebDriverException:
            return  # the form is gone: the script already went on to another page
    raise AssertionError("Tab did not move the focus out of the item's form")


def _item_form(driver, answered):
    """The first form.item-form with a textarea (with an answer already when `answered`)."""
    from selenium.webdriver.common.by import By

    for form in driver.find_elements(By.CSS_SELECTOR, "form.item-form[data-item]"):
        if not form.find_elements(By.TAG_NAME, "textarea"):
            continue
        based = form.find_element(By.CSS_SELECTOR, "input[name=basedOn]").get_attribute("value")
        if not answered or based not in (None, "", "0"):
            return form
    raise AssertionError("no form.item-form with a textarea" + (" and an answer" if answered else "") + " on the page")


def action_worksheet_save(driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    form = _item_form(driver, answered=False)
    item = form.get_attribute("data-item")
    status = form.find_element(By.CSS_SELECTOR, ".save-status")
    if status.text.strip():
        raise AssertionError(f"the save status of {item} is not empty before the action: {status.text!r}")
    textarea = form.find_element(By.TAG_NAME, "textarea")
    textarea.click()
    textarea.send_keys(" Skrevet i browseren.")
    _leave_with_tab(driver, form)
    try:
        WebDriverWait(driver, ACTION_TIMEOUT).until(lambda d: status.text.strip().startswith("Gemt"))
    except Exception:  # noqa: BLE001 - a timeout: say what the status line says instead
        raise AssertionError(f"the save status of {item} did not say \"Gemt\" within {ACTION_TIMEOUT} s "
                             f"(it says {status.text.strip()!r})") from None
    return f"{item}: .save-status says {status.text.strip()!r}"


def action_worksheet_conflict(driver):
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    form = _item_form(driver, answered=True)
    item = form.get_attribute("data-item")
    driver.execute_script("arguments[0].querySelector('input[name=basedOn]').value = '0';", form)
    textarea = form.find_element(By.TAG_NAME, "textarea")
    textarea.click()
    textarea.send_keys(" Skrevet samtidig i browseren.")
    _leave_with_tab(driver, form)

    def conflict_shown(d):
        try:
            return d.execute_script("return document.readyState") == "complete" and bool(d.find_elements(By.ID, "konflikt"))
        except WebDriverException:
            return False  # between two pages

    try:
        WebDriverWait(driver, ACTION_TIMEOUT).until(conflict_shown)
    except Exception:  # noqa: BLE001 - a timeout: say what the browser shows instead
        shown = driver.execute_script("return document.body ? document.body.innerText : '';") or ""
        raise AssertionError(f"no conflict page (#konflikt) within {ACTION_TIMEOUT} s after the stale save of {item}; "
                             f"the browser shows {driver.current_url}: {short(shown, 200)!r}") from None
    sides = driver.find_elements(By.CSS_SELECTOR, ".conflict-side")
    if len(sides) != 2:
        raise AssertionError(f"the conflict page shows {len(sides)} answers, expected 2")
    return f"{item}: the conflict page ({driver.find_element(By.ID, 'konflikt').text!r}) at {driver.current_url}"


ACTIONS = {
    "worksheet-save": action_worksheet_save,
    "worksheet-conflict": action_worksheet_conflict,
}


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_AVOID_STATS", "true")
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=1280,1024",
              "--lang=da-DK"):
        opts.add_argument(a)
    binary = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    if os.path.exists(binary):
        opts.binary_location = binary
    service = Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(120)
    return driver


def short(s, n=240):
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    pages = parse_targets(argv[1], argv[2:])

    axe_path = find_axe_js()
    if not axe_path:
        print("a11y: axe.min.js not found (pip install --no-deps axe-playwright-python, or set AXE_JS)",
              file=sys.stderr)
        return 2
    with open(axe_path, encoding="utf-8") as f:
        axe_js = f.read()
    script = AXE_RUN.replace("arguments_max", str(MAX_NODES))

    try:
        driver = make_driver()
    except Exception as e:  # noqa: BLE001 - report any driver start failure
        print(f"a11y: could not start headless Chromium: {e}", file=sys.stderr)
        return 2

    if os.environ.get("PAGE_COOKIE"):
        # The browser gets the cookie too: a page of the site first, then the cookie for its host.
        name, _, value = os.environ["PAGE_COOKIE"].partition("=")
        driver.get(argv[1].rstrip("/") + "/healthz")
        driver.add_cookie({"name": name, "value": value, "path": "/"})

    total_violations = 0
    failed_pages = 0
    try:
        first = True
        for path, url, expected, action in pages:
            log(f"== {path}  ({url})" + (f"  after the action {action}" if action else ""))
            page_failed = False
            try:
                status, ctype, location = http_status(url)
            except Exception as e:  # noqa: BLE001
                log(f"   FAIL: could not fetch: {e}")
                failed_pages += 1
                continue
            if status != expected:
                extra = f" -> {location}" if location else ""
                log(f"   FAIL: HTTP {status}{extra}, expected {expected}")
                page_failed = True
            if 300 <= status < 400:
                failed_pages += 1
                continue
            if "html" not in ctype.lower():
                log(f"   FAIL: Content-Type {ctype!r} is not HTML")
                page_failed = True
            try:
                driver.get(url)
                if action:
                    try:
                        log(f"   action: {ACTIONS[action](driver)}")
                    except AssertionError as e:
                        log(f"   FAIL: action {action}: {e}")
                        failed_pages += 1
                        continue
                driver.execute_script(axe_js)
                result = driver.execute_async_script(script, TAGS)
            except Exception as e:  # noqa: BLE001
                log(f"   FAIL: browser/axe error: {short(str(e), 400)}")
                failed_pages += 1
                continue
            if not isinstance(result, dict) or result.get("error"):
                log(f"   FAIL: axe error: {short(str(result and result.get('error')), 400)}")
                failed_pages += 1
                continue
            if first:
                log(f"   (axe-core {result.get('axeVersion')}, {os.path.relpath(axe_path) if axe_path.startswith(os.getcwd()) else axe_path})")
                first = False
            violations = result["violations"]
            for v in violations:
                log(f"   [{v.get('impact') or 'n/a'}] {v['id']}: {v['help']} "
                    f"({v['nodeCount']} element{'s' if v['nodeCount'] != 1 else ''})")
                log(f"       {v['helpUrl']}")
                for n in v["nodes"]:
                    target = " ".join(json.dumps(t, ensure_ascii=False) if not isinstance(t, str) else t
                                      for t in n["target"])
                    log(f"       - {target}")
                    log(f"         {short(n['html'])}")
                    if n.get("summary"):
                        log(f"         {short(' | '.join(n['summary'].splitlines()), 300)}")
                if v["nodeCount"] > len(v["nodes"]):
                    log(f"       … and {v['nodeCount'] - len(v['nodes'])} more")
            total_violations += len(violations)
            if violations:
                page_failed = True
            inc = result.get("incomplete") or []
            status_word = "FAIL" if page_failed else "ok"
            log(f"   {status_word}: {len(violations)} violations, {result['passes']} rules passed"
                + (f", needs review: {', '.join(inc)}" if inc else ""))
            if page_failed:
                failed_pages += 1
    finally:
        try:
            driver.quit()
        except Exception:  # noqa: BLE001
            pass

    log(f"a11y: {len(pages)} pages checked, {total_violations} violations"
        + (f", {failed_pages} pages failed" if failed_pages else ""))
    return 1 if failed_pages or total_violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
