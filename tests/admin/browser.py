#!/usr/bin/env python3
"""browser.py - examples/admin in headless Chromium (Debian's chromium and
chromium-driver, driven by python3-selenium), over plain HTTP and over
HTTPS: it logs in through #login-form, sees the uptime in #status (and
sees it change: the page polls /api/status every second), saves the Wi-Fi
settings (and checks them with the API), kicks a client, and finds the
logs link.  For HTTPS a test CA and a server certificate are made with
openssl in WORKDIR at every run; Chromium trusts exactly that server key
(--ignore-certificate-errors-spki-list, its SPKI hash).

    browser.py ADMIN_BIN WORKDIR

Exits 77 (CTest's skip) when chromium, chromium-driver or selenium is missing.
"""
import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
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
        proc = subprocess.Popen([binary, "--cert", os.path.join(work, "cert.pem"), "--key",
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


def api_wifi(base, ctx):
    req = urllib.request.Request(base + "/api/wifi")
    req.add_header("Authorization", "Basic " + base64.b64encode(("admin:" + PASSWORD).encode()).decode())
    with urllib.request.urlopen(req, context=ctx, timeout=5) as r:
        return r.read().decode()


def session(driver, base, ctx, scheme):
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
    status = driver.find_element(By.ID, "status")
    wait.until(lambda d: status.is_displayed() and "uptime" in status.text)
    m = re.search(r"uptime (\d+) s", status.text)
    check(m is not None, scheme + ": logged in, #status shows the uptime (%r)" % status.text)
    first = int(m.group(1))
    WebDriverWait(driver, 5).until(
        lambda d: int(re.search(r"uptime (\d+)", status.text).group(1)) > first)
    check(True, scheme + ": #status updates (polled every second)")

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
    link = driver.find_element(By.ID, "logs-link")
    check(link.get_attribute("href") == base + "/api/logs", scheme + ": a link to the logs")
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
        session(driver, "http://127.0.0.1:%d" % hp, None, "http")
        session(driver, "https://127.0.0.1:%d" % tp, ctx, "https")
    finally:
        if driver:
            driver.quit()
        proc.terminate()
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    print("all passed")


if __name__ == "__main__":
    main()
