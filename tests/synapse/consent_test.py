"""The bundled consent page against a real Synapse (run through tests/synapse/run.sh).

Exports templates/hosted-homeserver/consent.md for the example tenant with the `notice` CLI,
checks the pages load and render in Jinja2 as Synapse configures it, then starts Synapse on
127.0.0.1 (SQLite, a random free port, no federation, nothing but loopback) and walks a user
through it: register, read the page, accept, see the acceptance in the database, then a major
version bump that asks again and a minor bump that does not. Synapse is stopped in all cases.
Prints one line per check and `synapse consent: N passed, M failed` last.
"""

import argparse
import hashlib
import hmac
import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import jinja2
import yaml

USER = "alice"
PASSWORD = "correct horse battery staple"

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"FAIL - {name}" + (f"\n    {detail}" if detail else ""))


# Loopback only: no proxy from the environment, ever.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(method, url, body=None, headers=None):
    assert urllib.parse.urlparse(url).hostname == "127.0.0.1", url
    data = None
    headers = dict(headers or {})
    if isinstance(body, dict) and headers.get("Content-Type") == "application/x-www-form-urlencoded":
        data = urllib.parse.urlencode(body).encode()
    elif body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with OPENER.open(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def export(notice, template, tenant, out):
    """`notice consent`: returns (exit code, stdout, stderr)."""
    p = subprocess.run(
        [notice, "consent", str(template), "--tenant", str(tenant), "-o", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )
    return p.returncode, p.stdout, p.stderr


def jinja_env(template_dir):
    # As ConsentResource builds it.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"]),
    )


def text_of(page):
    """The page as a reader sees it: tags out, entities decoded, spaces collapsed."""
    no_style = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", no_style)).split())


class Synapse:
    def __init__(self, python, workdir, port, user_consent, server_name):
        self.python = python
        self.dir = workdir
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.proc = None
        self.log = open(os.path.join(workdir, "synapse.log"), "ab")
        self.form_secret = secrets.token_hex(16)
        self.shared_secret = secrets.token_hex(16)
        self.config_path = os.path.join(workdir, "homeserver.yaml")
        self.db = os.path.join(workdir, "homeserver.db")
        self.config = {
            "server_name": server_name,
            "pid_file": os.path.join(workdir, "homeserver.pid"),
            "public_baseurl": self.base + "/",
            "listeners": [
                {
                    "port": port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client", "consent"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": self.db}},
            "media_store_path": os.path.join(workdir, "media"),
            "signing_key_path": os.path.join(workdir, "signing.key"),
            "report_stats": False,
            "enable_metrics": False,
            # No federation and no outbound traffic: no key servers, no remote servers, no
            # URL previews, no phone-home.
            "trusted_key_servers": [],
            "federation_domain_whitelist": [],
            "suppress_key_server_warning": True,
            "url_preview_enabled": False,
            "enable_registration": False,
            "registration_shared_secret": self.shared_secret,
            "form_secret": self.form_secret,
            "macaroon_secret_key": secrets.token_hex(16),
            "server_notices": {"system_mxid_localpart": "notices"},
            "user_consent": user_consent,
        }

    def write_config(self):
        with open(self.config_path, "w") as f:
            yaml.safe_dump(self.config, f)

    def start(self):
        self.write_config()
        if not os.path.exists(self.config["signing_key_path"]):
            subprocess.run(
                [self.python, "-m", "synapse.app.homeserver", "-c", self.config_path, "--generate-keys"],
                check=True,
                stdout=self.log,
                stderr=self.log,
                cwd=self.dir,
            )
        self.proc = subprocess.Popen(
            [self.python, "-m", "synapse.app.homeserver", "-c", self.config_path],
            stdout=self.log,
            stderr=self.log,
            cwd=self.dir,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Synapse exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if http("GET", self.base + "/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("Synapse did not start within 120 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def userhmac(self, user):
        return hmac.new(self.form_secret.encode(), user.encode(), hashlib.sha256).hexdigest()

    def register(self, user, password):
        _, body = http("GET", self.base + "/_synapse/admin/v1/register")
        nonce = json.loads(body)["nonce"]
        mac = hmac.new(
            self.shared_secret.encode(),
            b"\x00".join([nonce.encode(), user.encode(), password.encode(), b"notadmin"]),
            hashlib.sha1,
        ).hexdigest()
        status, body = http(
            "POST",
            self.base + "/_synapse/admin/v1/register",
            {"nonce": nonce, "username": user, "password": password, "admin": False, "mac": mac},
        )
        return status, json.loads(body)

    def consent_page(self, user=None, version=None):
        q = {}
        if user is not None:
            q = {"u": user, "h": self.userhmac(user)}
        if version is not None:
            q["v"] = version
        url = self.base + "/_matrix/consent" + ("?" + urllib.parse.urlencode(q) if q else "")
        return http("GET", url)

    def accept(self, user, version):
        return http(
            "POST",
            self.base + "/_matrix/consent",
            {"v": version, "u": user, "h": self.userhmac(user)},
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def consent_version(self, user_id):
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as c:
            row = c.execute("SELECT consent_version FROM users WHERE name = ?", (user_id,)).fetchone()
        return row[0] if row else None

    def create_room(self, token):
        return http(
            "POST",
            self.base + "/_matrix/client/v3/createRoom",
            {"preset": "private_chat"},
            {"Authorization": f"Bearer {token}"},
        )


def hidden(page, name):
    m = re.search(r'<input type="hidden" name="%s" value="([^"]*)">' % name, page)
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--notice", required=True)
    ap.add_argument("--repo", required=True)
    args = ap.parse_args()
    started = time.monotonic()
    family = os.path.join(args.repo, "templates", "hosted-homeserver")
    tenant_path = os.path.join(family, "example-tenant.json")
    with open(tenant_path) as f:
        tenant = json.load(f)
    values = tenant["values"]
    work = tempfile.mkdtemp(prefix="notice-synapse-")
    synapse = None

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        # A copy of the template, so the version bumps below never touch the project.
        tpl_dir = os.path.join(work, "templates", "hosted-homeserver")
        os.makedirs(tpl_dir)
        for f in ("consent.md", "consent.fields.yaml"):
            shutil.copy(os.path.join(family, f), tpl_dir)
        template = os.path.join(tpl_dir, "consent.md")
        out = os.path.join(work, "consent")

        # 1. Export, and the pages as Synapse's Jinja2 sees them.
        code, stdout, stderr = export(args.notice, template, tenant_path, out)
        check("notice consent exports the bundled page for the example tenant", code == 0, stderr)
        if code != 0:
            return
        section = yaml.safe_load(stdout)["user_consent"]
        check(
            "the printed user_consent section names version 1.0 and the template_dir",
            section["version"] == "1.0" and os.path.samefile(section["template_dir"], out),
            repr(section),
        )
        check(
            "it has every key of Synapse's user_consent",
            {"version", "template_dir", "server_notice_content", "block_events_error",
             "require_at_registration", "policy_name"} <= set(section),
            repr(sorted(section)),
        )
        with open(os.path.join(out, "user_consent.yaml")) as f:
            check("user_consent.yaml holds the printed section", yaml.safe_load(f) == {"user_consent": section})
        env = jinja_env(out)
        try:
            page = env.get_template("en/1.0.html")
            success = env.get_template("en/success.html")
            check("en/1.0.html and en/success.html load in Jinja2", True)
        except jinja2.TemplateError as e:
            check("en/1.0.html and en/success.html load in Jinja2", False, str(e))
            return
        public = page.render(user="", userhmac=None, version="1.0", has_consented=False, public_version=True)
        pending = page.render(user="alice", userhmac="x", version="1.0", has_consented=False, public_version=False)
        check("Jinja2: the public version has no form", "<form" not in public and values["hhs_entity_name"] in public)
        check("Jinja2: the pending version has the form", "<form" in pending and 'value="alice"' in pending)
        check("Jinja2: the success page renders", "recorded" in success.render())

        # 2. A value holding template syntax: refused when it is Jinja; printed literally when
        # it merely looks like it.
        evil = dict(tenant, values=dict(values, hhs_entity_name="Acme {{ user }} {% if true %}x{% endif %}"))
        evil_path = os.path.join(work, "evil-tenant.json")
        with open(evil_path, "w") as f:
            json.dump(evil, f)
        code, _, stderr = export(args.notice, template, evil_path, os.path.join(work, "evil"))
        check(
            "a value holding {{ … }} or {% … %} is refused, nothing written",
            code == 1 and "leftover-placeholder" in stderr and not os.path.exists(os.path.join(work, "evil")),
            stderr,
        )
        odd_name = "Acme {# not a comment #} {brace} #} Ltd"
        odd = dict(tenant, values=dict(values, hhs_entity_name=odd_name))
        odd_path = os.path.join(work, "odd-tenant.json")
        with open(odd_path, "w") as f:
            json.dump(odd, f)
        odd_out = os.path.join(work, "odd")
        code, _, stderr = export(args.notice, template, odd_path, odd_out)
        if code == 0:
            odd_page = jinja_env(odd_out).get_template("en/1.0.html")
            shown = text_of(odd_page.render(user="alice", userhmac="x", version="1.0", has_consented=False, public_version=False))
            check("a value holding {# … #} and braces prints literally through Jinja2", odd_name in shown, shown[:300])
        else:
            check("a value holding {# … #} and braces prints literally through Jinja2", False, stderr)

        # 3. A real Synapse serving the export.
        server_name = values["their_server_name"]
        synapse = Synapse(sys.executable, work, free_port(), section, server_name)
        synapse.start()
        status, reg = synapse.register(USER, PASSWORD)
        user_id = reg.get("user_id")
        check("a user registers through the shared-secret admin API", status == 200 and user_id == f"@{USER}:{server_name}", repr(reg))
        token = reg.get("access_token")

        status, body = synapse.consent_page(USER)
        text = text_of(body)
        check("the consent page is served for the user", status == 200, body[:300])
        check(
            "it holds the tenant's text and links",
            values["hhs_entity_name"] in text
            and f"Before you use {server_name}" in text
            and f'href="https://{values["our_server_fqdn"]}/privacy_policy/en/privacy_notice.html"' in body,
            text[:400],
        )
        check(
            "it has the form: v, u, h and three required checkboxes",
            '<form class="consent" method="post" action="consent">' in body
            and hidden(body, "v") == "1.0"
            and hidden(body, "u") == USER
            and hidden(body, "h") == synapse.userhmac(USER)
            and body.count(" required> ") == 3,
            body[-1500:],
        )
        check("it greets the user", f"Hello {USER}." in text)
        status, body = synapse.consent_page()
        check(
            "the public page has the text and no form",
            status == 200 and "<form" not in body and values["hhs_entity_name"] in text_of(body)
            and "To accept, open the link" in text_of(body),
            body[-800:],
        )
        status, body = synapse.create_room(token)
        check("before accepting, Synapse refuses the user's events", status == 403 and "M_CONSENT_NOT_GIVEN" in body, body)

        status, body = synapse.accept(USER, "1.0")
        check("posting the form is accepted and shows the success page", status == 200 and "is recorded" in text_of(body), body[:300])
        got = synapse.consent_version(user_id)
        check("Synapse's database records consent_version 1.0", got == "1.0", repr(got))
        status, body = synapse.consent_page(USER)
        check(
            "the page now says the user has accepted, without the form",
            status == 200 and "<form" not in body and "You have accepted these terms" in text_of(body),
            text_of(body)[-400:],
        )
        status, body = synapse.create_room(token)
        check("after accepting, the user can create a room", status == 200, body)

        # 4. A major bump: a new file, a new version, the old acceptance no longer counts.
        synapse.stop()
        with open(template) as f:
            src = f.read()
        with open(template, "w") as f:
            f.write(src.replace("version: 1.0.0", "version: 2.0.0", 1))
        code, stdout, stderr = export(args.notice, template, tenant_path, out)
        section2 = yaml.safe_load(stdout)["user_consent"] if code == 0 else {}
        check(
            "the major bump exports en/2.0.html beside en/1.0.html, version 2.0",
            code == 0 and section2.get("version") == "2.0"
            and os.path.exists(os.path.join(out, "en", "2.0.html"))
            and os.path.exists(os.path.join(out, "en", "1.0.html")),
            stderr,
        )
        synapse.config["user_consent"] = section2
        synapse.start()
        status, body = synapse.consent_page(USER)
        check(
            "Synapse serves version 2.0, asking again",
            status == 200 and hidden(body, "v") == "2.0" and "<form" in body and "Version 2.0.0" in body,
            body[-600:],
        )
        status, body = synapse.create_room(token)
        check("the 1.0 acceptance no longer counts: events are refused", status == 403 and "M_CONSENT_NOT_GIVEN" in body, body)
        check("the database still says 1.0 until the user accepts", synapse.consent_version(user_id) == "1.0")
        status, body = synapse.accept(USER, "2.0")
        check("accepting 2.0 records it", status == 200 and synapse.consent_version(user_id) == "2.0")

        # 5. A minor bump replaces the same file: no new version, the acceptance stands.
        with open(template) as f:
            src = f.read()
        with open(template, "w") as f:
            f.write(src.replace("version: 2.0.0", "version: 2.1.0", 1))
        code, stdout, stderr = export(args.notice, template, tenant_path, out)
        section3 = yaml.safe_load(stdout)["user_consent"] if code == 0 else {}
        files = sorted(os.listdir(os.path.join(out, "en")))
        check(
            "a minor bump rewrites en/2.0.html and keeps version 2.0",
            code == 0 and section3.get("version") == "2.0" and files == ["1.0.html", "2.0.html", "success.html"],
            repr(files) + stderr,
        )
        status, body = synapse.consent_page(USER)
        check(
            "Synapse serves the rewritten page, and the user's acceptance still counts",
            status == 200 and "Version 2.1.0" in body and "<form" not in body
            and "You have accepted these terms" in text_of(body),
            text_of(body)[-400:],
        )
    except Exception as e:  # noqa: BLE001 - any failure is a failed check, and Synapse stops
        check("the run completed", False, f"{type(e).__name__}: {e}")
    finally:
        if synapse:
            synapse.stop()
            synapse.log.close()
        if failed:
            log = os.path.join(work, "synapse.log")
            print(f"(kept {work} for inspection; Synapse's log is {log})")
        else:
            shutil.rmtree(work, ignore_errors=True)
        print(f"(took {time.monotonic() - started:.0f} s)")
        print(f"synapse consent: {passed} passed, {failed} failed")


if __name__ == "__main__":
    main()
    sys.exit(1 if failed or not passed else 0)
