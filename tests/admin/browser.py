#!/usr/bin/env python3
"""browser.py - examples/admin in headless Chromium (Debian's chromium and
chromium-driver, driven by python3-selenium), over plain HTTP and over
HTTPS: it logs in through #login-form, sees the uptime in #status change
and come from the /api/events stream, saves the Wi-Fi settings (and checks
them with the API), kicks a client, uploads an 8 MiB file through the file
input and sees the returned SHA-256 equal the file's (and firmware.bin
equal to it), opens the log through the logs link and finds log.txt's
bytes.  For HTTPS a test CA and a server certificate are made with openssl
in WORKDIR at every run; Chromium trusts exactly that server key
(--ignore-certificate-errors-spki-list, its SPKI hash).

    browser.py ADMIN_BIN WORKDIR
    ADMIN_EMULATOR=qemu-arm browser.py ARMHF_ADMIN_BIN WORKDIR   (tests/cross/run.sh)

A part whose route the server does not have (its answer is 404: firmware,
logs or events, before those branches are merged) is skipped with a SKIP
line; any other failure fails.  Exits 77 (CTest's skip) when chromium,
chromium-driver or selenium is missing.
"""
import base64
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import TimeoutException
except ImportError:
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

PASSWORD = "browser-pw-17"
EMULATOR = os.environ.get("ADMIN_EMULATOR", "").split()
FIRMWARE_BYTES = 8 << 20
SKIPPED = []


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what)


def make_pki(work):
    """A CA and a localhost certificate signed by it; returns the SPKI pin."""
    run = lambda *a: subprocess.run(a, cwd=work, check=True, capture_output=True)
    run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key")
    run("openssl", "req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=admin browser test CA",
        "-days", "2", "-out", "ca.pem")
    with open(os.path.join(work, "ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem")
    run("openssl", "req", "-new", "-key", "key.pem", "-subj", "/CN=localhost", "-out", "srv.csr")
    run("openssl", "x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "ext", "-out", "cert.pem")
    spki = run("openssl", "pkey", "-in", "key.pem", "-pubout", "-outform", "DER").stdout
    digest = subprocess.run(["openssl", "dgst", "-sha256", "-binary"], input=spki,
                            check=True, capture_output=True).stdout
    return base64.b64encode(digest).decode()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(binary, work):
    for _ in range(5):
        hp, tp = free_port(), free_port()
        env = dict(os.environ, ADMIN_PASSWORD=PASSWORD, ADMIN_DIR=work)
        proc = subprocess.Popen(EMULATOR + [binary, "--cert", os.path.join(work, "cert.pem"), "--key",
                                 os.path.join(work, "key.pem"), "127.0.0.1:%d" % hp,
                                 "127.0.0.1:%d" % tp], env=env)
        for _ in range(100):
            if proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", hp), timeout=0.2).close()
                socket.create_connection(("127.0.0.1", tp), timeout=0.2).close()
                return proc, hp, tp
            except OSError:
                time.sleep(0.05)
        proc.kill()
        proc.wait()
    raise SystemExit("the admin server did not start")


def browser(profile, pin):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run",
              "--disable-dev-shm-usage", "--user-data-dir=" + profile,
              "--ignore-certificate-errors-spki-list=" + pin):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


def api_get(base, ctx, path):
    """(status, body) of a GET with Basic for admin; the headers only for event streams."""
    req = urllib.request.Request(base + path)
    req.add_header("Authorization", "Basic " + base64.b64encode(("admin:" + PASSWORD).encode()).decode())
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
            stream = r.headers.get("Content-Type", "").startswith("text/event-stream")
            return r.status, "" if stream else r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def api_wifi(base, ctx):
    return api_get(base, ctx, "/api/wifi")[1]


def skip_if_absent(base, ctx, path, what):
    """True (and a loud SKIP) when the server has no route at path: a 404."""
    status = api_get(base, ctx, path)[0]
    if status == 404:
        line = "SKIP: %s: %s answers 404 (its branch is not merged into this build)" % (what, path)
        print("*" * len(line) + "\n" + line + "\n" + "*" * len(line))
        SKIPPED.append(what)
        return True
    return False


def live_status(driver, base, ctx, scheme):
    """#status changes by itself, and (with /api/events) from status events."""
    status = driver.find_element(By.ID, "status")
    WebDriverWait(driver, 10).until(lambda d: status.is_displayed() and "uptime" in status.text)
    m = re.search(r"uptime (\d+) s", status.text)
    check(m is not None, scheme + ": logged in, #status shows the uptime (%r)" % status.text)
    first = int(m.group(1))
    WebDriverWait(driver, 10).until(
        lambda d: int(re.search(r"uptime (\d+)", status.text).group(1)) > first)
    check(True, scheme + ": #status updates by itself")
    try:
        WebDriverWait(driver, 5).until(lambda d: status.get_attribute("data-source") == "events")
    except TimeoutException:
        if skip_if_absent(base, ctx, "/api/events", scheme + ": #status from server-sent events"):
            return
        raise AssertionError(scheme + ": /api/events exists but #status is not fed by it (%s)"
                             % status.get_attribute("data-source"))
    text = status.text
    WebDriverWait(driver, 5).until(lambda d: status.text != text)
    check(status.get_attribute("data-source") == "events",
          scheme + ": #status updated live from EventSource('/api/events') status events")


def upload(driver, base, ctx, scheme, work):
    """An 8 MiB file through #firmware-file: the answer's sha256 and bytes are the file's."""
    path = os.path.join(work, "upload-%s.bin" % scheme)
    data = os.urandom(FIRMWARE_BYTES)
    with open(path, "wb") as f:
        f.write(data)
    want = hashlib.sha256(data).hexdigest()
    driver.find_element(By.ID, "firmware-file").send_keys(path)
    driver.find_element(By.CSS_SELECTOR, "#firmware-form button").click()
    out = driver.find_element(By.ID, "firmware-result")
    WebDriverWait(driver, 120).until(lambda d: out.get_attribute("data-status"))
    got = out.get_attribute("data-status")
    # Without the route the runtime may answer 404 or close before the body
    # is sent (XHR error): a GET tells (404 without it, 405 with it).
    if got != "200" and skip_if_absent(base, ctx, "/api/firmware", scheme + ": firmware upload"):
        return
    check(got == "200", scheme + ": the upload answered 200 (%s: %s)" % (got, out.text))
    check(out.get_attribute("data-sha256") == want, scheme + ": the returned sha256 is the file's (%s)" % want)
    check(out.get_attribute("data-bytes") == str(FIRMWARE_BYTES), scheme + ": the returned bytes are 8 MiB")
    check(want in out.text, scheme + ": the page shows the hash")
    check(float(driver.find_element(By.ID, "firmware-progress").get_attribute("value")) == 1.0,
          scheme + ": the progress bar is full")
    with open(os.path.join(work, "firmware.bin"), "rb") as f:
        check(hashlib.sha256(f.read()).hexdigest() == want, scheme + ": firmware.bin is the file")


def logs(driver, base, ctx, scheme, work):
    """The logs link opens log.txt in a tab of the same session."""
    text = "".join("%s: line %d of the log\n" % (scheme, i) for i in range(200))
    with open(os.path.join(work, "log.txt"), "w") as f:
        f.write(text)
    link = driver.find_element(By.ID, "logs-link")
    check(link.get_attribute("href") == base + "/api/logs", scheme + ": a link to the logs")
    if skip_if_absent(base, ctx, "/api/logs", scheme + ": the log download"):
        return
    main = driver.current_window_handle
    link.click()
    WebDriverWait(driver, 10).until(lambda d: len(d.window_handles) > 1)
    driver.switch_to.window([h for h in driver.window_handles if h != main][0])
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.TAG_NAME, "pre"))
    got = driver.find_element(By.TAG_NAME, "pre").text
    driver.close()
    driver.switch_to.window(main)
    check(got.strip() == text.strip(), scheme + ": the log downloaded through the link is log.txt (%d bytes)" % len(text))


def session(driver, base, ctx, scheme, work):
    wait = WebDriverWait(driver, 10)
    driver.get(base + "/")
    form = driver.find_element(By.ID, "login-form")
    form.find_element(By.NAME, "user").clear()
    form.find_element(By.NAME, "user").send_keys("admin")
    form.find_element(By.NAME, "password").send_keys("wrong")
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(lambda d: d.find_element(By.ID, "login-error").text)
    check(not driver.find_element(By.ID, "status").is_displayed(), scheme + ": a wrong password does not log in")
    pw = form.find_element(By.NAME, "password")
    pw.clear()
    pw.send_keys(PASSWORD)
    form.find_element(By.CSS_SELECTOR, "button").click()
    live_status(driver, base, ctx, scheme)

    wifi = driver.find_element(By.ID, "wifi-form")
    wait.until(lambda d: wifi.find_element(By.NAME, "ssid").get_attribute("value"))
    ssid = "lab-" + scheme
    wifi.find_element(By.NAME, "ssid").clear()
    wifi.find_element(By.NAME, "ssid").send_keys(ssid)
    wifi.find_element(By.NAME, "channel").clear()
    wifi.find_element(By.NAME, "channel").send_keys("44")
    wifi.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(lambda d: d.find_element(By.ID, "wifi-result").text == "Saved.")
    check(api_wifi(base, ctx) == '{"ssid":"%s","channel":44}' % ssid,
          scheme + ": the Wi-Fi settings were saved (the API returns them)")

    items = driver.find_elements(By.CSS_SELECTOR, "#clients li")
    check(len(items) >= 1, scheme + ": the clients list has %d entries" % len(items))
    mac = items[0].get_attribute("data-mac")
    items[0].find_element(By.CSS_SELECTOR, "button.kick").click()
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, '#clients li[data-mac="%s"]' % mac))
    driver.refresh()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#clients li"))
    check(not driver.find_elements(By.CSS_SELECTOR, '#clients li[data-mac="%s"]' % mac),
          scheme + ": kicked %s, gone after a reload (the session survived it)" % mac)
    upload(driver, base, ctx, scheme, work)
    logs(driver, base, ctx, scheme, work)
    driver.find_element(By.ID, "logout").click()
    wait.until(lambda d: d.find_element(By.ID, "login-form").is_displayed())
    driver.refresh()
    time.sleep(0.5)
    check(driver.find_element(By.ID, "login-form").is_displayed()
          and not driver.find_element(By.ID, "status").is_displayed(),
          scheme + ": logged out, a reload shows the login form")


def main():
    import ssl
    work = sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pin = make_pki(work)
    ctx = ssl.create_default_context(cafile=os.path.join(work, "ca.pem"))
    proc, hp, tp = start_server(sys.argv[1], work)
    profile = tempfile.mkdtemp(prefix="tinyroute-chromium-")
    driver = None
    try:
        driver = browser(profile, pin)
        session(driver, "http://127.0.0.1:%d" % hp, None, "http", work)
        session(driver, "https://127.0.0.1:%d" % tp, ctx, "https", work)
    finally:
        if driver:
            driver.quit()
        proc.terminate()
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    if SKIPPED:
        print("all passed, but SKIPPED (routes absent, 404): " + "; ".join(SKIPPED))
    else:
        print("all passed")


if __name__ == "__main__":
    main()
