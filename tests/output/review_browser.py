#!/usr/bin/env python3
"""review_browser: the review page (--format review) in a real browser.

Headless Chromium (Debian's `chromium`) loads the page test_writer_review writes (mixed statuses,
terms, inline codes, a memory's match, and hostile text: a <script> that would set document.title
and an <img onerror> that would mark <body>) from a file:// URL and is driven over the DevTools
protocol on --remote-debugging-pipe (JSON messages ended by NUL on fds 3 and 4; Python's standard
library alone). It checks that the DOM has one row per segment, that clicking the "ok" filter
hides the ok rows and nothing else (and that printed, the page has every row, no controls, and
the counts above the tables), that j / k move to the next and previous problem, that nothing from
the data ran or became an element, that the page's own style and script were let in by its
Content-Security-Policy and nothing else was (no console error, no request but the page), and it
writes a screenshot of the whole page to OUT_DIR/review.png (printed) for a person to look at.

One browser start; no clock: every wait is for a message of the browser (a reply, the load
event), and a browser that dies ends the wait with its log.

Usage: review_browser.py TEST_WRITER_REVIEW OUT_DIR
"""
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys

# The rows of test_writer_review's `emit` page: its first document's six segments (ok, warning,
# failed, filtered, the hostile one, a memory's match) and the second's one.
ROWS = {"ok": 4, "warning": 1, "failed": 1, "filtered": 1}


def fail(msg):
    print(f"review_browser: {msg}", file=sys.stderr)
    sys.exit(1)


def find_chromium():
    for name in ("chromium", "/usr/bin/chromium"):
        path = shutil.which(name)
        if path:
            return path
    fail("chromium is not installed: run scripts/bootstrap (it installs Debian's chromium), "
         "then run this test again")


class Browser:
    """Chromium with the DevTools protocol on a pipe: we write its fd 3, read its fd 4."""

    def __init__(self, exe, profile, log_path):
        cmd_r, self.cmd_w = os.pipe()
        self.ans_r, ans_w = os.pipe()
        self.log_path = log_path
        self.buf = b""
        self.next_id = 0
        self.events = []

        def give_fds():
            # Moved above 4 first, so that dup2 onto 3 and 4 never clobbers the other end.
            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(ans_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [exe, "--headless", "--remote-debugging-pipe", f"--user-data-dir={profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-gpu",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-default-apps", "--mute-audio",
                "--hide-scrollbars", "--force-color-profile=srgb", "about:blank"]
        if os.geteuid() == 0:  # Chromium runs as root only without its sandbox
            args.insert(1, "--no-sandbox")
        with open(log_path, "wb") as log:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         preexec_fn=give_fds, pass_fds=(3, 4))
        os.close(cmd_r)
        os.close(ans_w)

    def died(self, what):
        self.proc.kill()
        self.proc.wait()
        with open(self.log_path, "rb") as f:
            tail = f.read()[-3000:].decode("utf-8", "replace")
        fail(f"chromium ended while {what} (exit {self.proc.returncode}); its log:\n{tail}")

    def read_message(self, what):
        while b"\0" not in self.buf:
            chunk = os.read(self.ans_r, 65536)
            if not chunk:
                self.died(what)
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        try:
            os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        except BrokenPipeError:
            self.died(f"taking {method}")
        while True:
            m = self.read_message(f"answering {method}")
            if m.get("id") == self.next_id:
                if "error" in m:
                    fail(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session):
        for i, m in enumerate(self.events):
            if m.get("method") == method and m.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            m = self.read_message(f"waiting for {method}")
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def close(self):
        self.call("Browser.close")
        # The pipe's end is the browser's end: read to it, then reap the process.
        while os.read(self.ans_r, 65536):
            pass
        self.proc.wait()


def evaluate(b, session, expr):
    r = b.call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)
    if "exceptionDetails" in r:
        fail(f"the check script threw: {r['exceptionDetails']}")
    return r["result"].get("value")


STATE = """(() => {
  const shown = s => Array.from(document.querySelectorAll('tbody tr[data-status="' + s + '"]'))
      .filter(r => r.getClientRects().length > 0).length;
  const cur = document.querySelector('tr.current');
  return {
    title: document.title,
    rows: document.querySelectorAll('tbody tr[data-status]').length,
    shown: {ok: shown('ok'), warning: shown('warning'), failed: shown('failed'),
            filtered: shown('filtered')},
    pwned: document.body.getAttribute('data-pwned'),
    imgs: document.getElementsByTagName('img').length,
    scripts: document.scripts.length,
    onerror: document.querySelectorAll('[onerror]').length,
    src5: document.querySelector('#s5 td.src').textContent,
    note5: document.querySelector('#s5 td.src mark').title,
    styled: getComputedStyle(document.body).display,
    bodyClass: document.body.className,
    current: cur ? cur.id : null,
  };
})()"""


def click(b, session, selector):
    box = evaluate(b, session, f"""(() => {{
      const e = document.querySelector('{selector}');
      e.scrollIntoView({{block: 'center'}});
      const r = e.getBoundingClientRect();
      return {{x: r.left + r.width / 2, y: r.top + r.height / 2}};
    }})()""")
    for kind in ("mousePressed", "mouseReleased"):
        b.call("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"],
                                            "button": "left", "clickCount": 1}, session)


def press(b, session, key):
    code = ord(key.upper())
    b.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": key, "text": key,
                                      "code": f"Key{key.upper()}", "windowsVirtualKeyCode": code},
           session)
    b.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": f"Key{key.upper()}",
                                      "windowsVirtualKeyCode": code}, session)


def check(cond, msg, state):
    if not cond:
        fail(f"{msg}; the page's state: {json.dumps(state, ensure_ascii=False)}")


def main():
    if len(sys.argv) != 3:
        print("usage: review_browser.py TEST_WRITER_REVIEW OUT_DIR", file=sys.stderr)
        return 2
    writer, out_dir = sys.argv[1], os.path.abspath(sys.argv[2])
    exe = find_chromium()
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    page = os.path.join(out_dir, "review.html")
    with open(page, "wb") as f:
        subprocess.run([writer, "emit"], stdout=f, check=True)
    url = "file://" + page

    b = Browser(exe, os.path.join(out_dir, "profile"), os.path.join(out_dir, "chromium.log"))
    target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        b.call(f"{domain}.enable", {}, s)
    b.call("Emulation.setDeviceMetricsOverride",
           {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, s)
    b.call("Page.navigate", {"url": url}, s)
    b.wait_event("Page.loadEventFired", s)

    st = evaluate(b, s, STATE)
    want_rows = sum(ROWS.values())
    check(st["rows"] == want_rows, f"want {want_rows} rows, one a segment", st)
    check(st["shown"] == ROWS, "every row shows before any filter", st)
    check(st["title"] == "xlate review: uk \u2192 en", "the page's title changed: a script ran", st)
    check(st["pwned"] is None, "the hostile <img onerror> ran", st)
    check(st["imgs"] == 0 and st["onerror"] == 0, "the data made an element", st)
    check(st["scripts"] == 1, "the data made a <script> element", st)
    check("<script>document.title='pwned'</script>" in st["src5"] and
          "<img src=x onerror=" in st["src5"], "the hostile text is not the cell's text", st)
    check("<img src=x onerror=" in st["note5"], "the hostile note is not the term's title", st)
    check(st["styled"] == "flex", "the page's own style was not applied (CSP hash?)", st)

    # The filter: clicking "ok" hides the ok rows, nothing else.
    click(b, s, 'input[data-filter="ok"]')
    st = evaluate(b, s, STATE)
    check(st["shown"] == dict(ROWS, ok=0), "the ok filter hid the wrong rows (or the page's "
          "script did not run)", st)
    check("hide-ok" in st["bodyClass"].split(), "the filter's class is not on <body>", st)

    # Keyboard: j next problem, k previous (problems are warning and failed rows, in order).
    press(b, s, "j")
    first = evaluate(b, s, STATE)["current"]
    press(b, s, "j")
    second = evaluate(b, s, STATE)["current"]
    press(b, s, "k")
    st = evaluate(b, s, STATE)
    check((first, second, st["current"]) == ("s2", "s3", "s2"),
          f"j, j, k went to {first}, {second}, {st['current']}, not s2, s3, s2", st)

    # Printed, the page has every row, filtered or not, and no controls.
    b.call("Emulation.setEmulatedMedia", {"media": "print"}, s)
    st = evaluate(b, s, STATE)
    controls = evaluate(b, s, """Array.from(document.querySelectorAll('input, .legend'))
        .filter(e => e.getClientRects().length > 0).length""")
    check(st["shown"] == ROWS, "printed, the ok rows the filter hides are missing", st)
    check(controls == 0, f"printed, {controls} controls show", st)
    order = evaluate(b, s, """(() => {
      const top = q => document.querySelector(q).getBoundingClientRect().top;
      return top('#summary') < top('main') && top('.doc h2') < top('.doc-counts') &&
             top('.doc-counts') < top('table.segs');
    })()""")
    check(order, "printed, the summary and counts are not above the tables", st)
    b.call("Emulation.setEmulatedMedia", {"media": ""}, s)

    # Everything shown again for the screenshot of the whole page.
    click(b, s, 'input[data-filter="ok"]')
    st = evaluate(b, s, STATE)
    check(st["shown"] == ROWS, "clicking ok again did not show the ok rows", st)
    evaluate(b, s, "window.scrollTo(0, 0)")
    size = b.call("Page.getLayoutMetrics", {}, s)["cssContentSize"]
    shot = b.call("Page.captureScreenshot",
                  {"format": "png", "captureBeyondViewport": True,
                   "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                            "scale": 1}}, s)
    png = base64.b64decode(shot["data"])
    check(png[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is not a PNG", {})
    shot_path = os.path.join(out_dir, "review.png")
    with open(shot_path, "wb") as f:
        f.write(png)

    # What the browser said on the way: no error, no CSP refusal, no request but the page.
    problems = []
    for m in b.events:
        p = m.get("params", {})
        if m.get("method") == "Runtime.exceptionThrown":
            problems.append(f"exception: {p.get('exceptionDetails', {}).get('text')}")
        elif m.get("method") == "Log.entryAdded" and p["entry"].get("level") == "error":
            problems.append(f"log: {p['entry'].get('text')}")
        elif m.get("method") == "Runtime.consoleAPICalled" and p.get("type") == "error":
            problems.append(f"console: {p.get('args')}")
        elif m.get("method") == "Network.requestWillBeSent" and p["request"]["url"] != url:
            problems.append(f"request: {p['request']['url']}")
    b.close()
    if problems:
        fail("the browser reported:\n  " + "\n  ".join(problems))
    print(f"review_browser: {want_rows} rows, filter, print style and j/k work, nothing ran from "
          f"the data; "
          f"screenshot: {shot_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
