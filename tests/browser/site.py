#!/usr/bin/env python3
"""site.py - examples/site in a real browser: headless Chromium (Debian's
chromium and chromium-driver, driven by python3-selenium) loads the page
from the site server and checks, each by an assertion:

  - the script ran: it fetched /api/status and wrote the answer into the page;
  - the stylesheet applied (computed colours of the page's elements);
  - the files came gzipped where they have a gzip variant;
  - a reload revalidated the no-cache files with 304s (DevTools' network log).

    site.py SITE_BIN

Exits 77 (CTest's skip) when chromium, chromium-driver or selenium is
missing, so that a machine without them reports the test as skipped.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    # Debian's python3-selenium is the system python3's: rerun under it
    # when another python3 (a virtualenv, pyenv) came first on PATH.
    system = shutil.which("python3", path=os.defpath)
    if system and os.path.realpath(system) != os.path.realpath(sys.executable):
        os.execv(system, [system] + sys.argv)
    print("skip: python3-selenium is not installed")
    sys.exit(77)

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
if not CHROMIUM or not DRIVER:
    print("skip: chromium or chromium-driver is not installed")
    sys.exit(77)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(binary):
    port = free_port()
    proc = subprocess.Popen([binary, "127.0.0.1:%d" % port])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the site server did not start")


def browser(profile):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    # Chromium as root needs --no-sandbox; the rest keeps it from calling
    # home and from sharing a profile with anything else.
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run",
              "--disable-dev-shm-usage", "--user-data-dir=" + profile):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


def responses(driver):
    """What went over the wire since the last call, from DevTools' network
    log: {path: (status, headers)}, the last answer for a path winning.  The
    status is the wire's (Network.responseReceivedExtraInfo): for a
    revalidated page responseReceived reports the cached 200 instead.  A
    request the cache answered has no entry."""
    path_of, seen = {}, {}
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        p = msg.get("params", {})
        if msg.get("method") == "Network.requestWillBeSent":
            url = p["request"]["url"]
            path_of[p["requestId"]] = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else url
        elif msg.get("method") == "Network.responseReceivedExtraInfo":
            headers = {k.lower(): v for k, v in p.get("headers", {}).items()}
            seen[p["requestId"]] = (p.get("statusCode"), headers)
    return {path_of[r]: v for r, v in seen.items() if r in path_of}


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what)


def main():
    proc, port = start_server(sys.argv[1])
    profile = tempfile.mkdtemp(prefix="tinyroute-chromium-")
    driver = None
    try:
        driver = browser(profile)
        base = "http://127.0.0.1:%d" % port
        driver.get(base + "/")
        status = driver.find_element(By.ID, "status")
        WebDriverWait(driver, 10).until(lambda d: status.get_attribute("class") != "pending")
        check(status.text == "tinyroute up 42 s" and status.get_attribute("class") == "ok",
              "the script fetched /api/status and wrote it into the page (%r)" % status.text)
        color = status.value_of_css_property("color")
        check(color in ("rgb(0, 128, 0)", "rgba(0, 128, 0, 1)"),
              "the stylesheet applies: #status.ok is green (%s)" % color)
        border = driver.find_element(By.TAG_NAME, "header").value_of_css_property("border-bottom-color")
        check(border in ("rgb(0, 102, 204)", "rgba(0, 102, 204, 1)"),
              "the stylesheet applies: the header's border (%s)" % border)
        first = responses(driver)
        for path in ("/", "/style.css", "/app.js", "/img/logo.svg", "/img/dot.png", "/api/status"):
            check(path in first and first[path][0] == 200, "%s loaded with 200" % path)
        for path in ("/", "/style.css", "/app.js"):
            check(first[path][1].get("content-encoding") == "gzip", "%s came gzipped" % path)
        check("content-encoding" not in first["/img/dot.png"][1], "the PNG came as it is")

        driver.refresh()
        WebDriverWait(driver, 10).until(
            lambda d: d.find_element(By.ID, "status").get_attribute("class") == "ok")
        again = responses(driver)
        for path in ("/", "/style.css", "/app.js"):
            check(path in again and again[path][0] == 304,
                  "the reload revalidated %s with a 304 (%s)" % (path, again.get(path, ("none",))[0]))
        check(again.get("/api/status", (0,))[0] == 200, "the reload fetched the API again")
    finally:
        if driver:
            driver.quit()
        proc.terminate()
        proc.wait(timeout=5)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
