#!/usr/bin/env python3
"""The fault scripts' client: writers that report hazards over HTTP and record every write the
server acknowledged, and the checks run after a crash. Standard library only.

  fault.py port                                   a free TCP port on 127.0.0.1
  fault.py write BASE ACKS TAG USER... [opts]     writers until the server goes away
  fault.py check ACKS < rows                      every acknowledged (id, title) is in rows
  fault.py rows-sqlite DB                         the hazards' (id, title), tab-separated
  fault.py integrity DB                           PRAGMA integrity_check must say ok
  fault.py status BASE PATH                       one GET's status (000 when unreachable)
  fault.py login BASE USER                        log in; prints the Cookie header, a tab, a token
  fault.py png FILE KIB [SEED]                    an incompressible PNG of about KIB KiB

USER is NAME:PASSWORD for a school user or NAME:PASSWORD:SCHOOL for the bureau (who names one).
"""

import argparse
import http.client
import os
import random
import re
import socket
import sqlite3
import struct
import sys
import threading
import time
import urllib.parse
import zlib

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Down(Exception):
    """The server is gone (killed, restarting): a writer stops, nothing is counted."""


class Session:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.origin = f"{u.scheme}://{u.netloc}"
        self.cookies = {}
        self.conn = None

    def request(self, method, path, body=None, ctype=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = ctype or "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                res = self.conn.getresponse()
                data = res.read()
                break
            except (OSError, http.client.HTTPException) as e:
                self.conn.close()
                self.conn = None
                # A kept-alive connection the server closed between requests is retried once on
                # a new one only for reads; a POST that may have arrived is never sent twice.
                if attempt == 0 and method == "GET" and isinstance(e, http.client.RemoteDisconnected):
                    continue
                raise Down(str(e)) from e
        for v in res.headers.get_all("Set-Cookie") or []:
            name, _, rest = v.partition("=")
            value = rest.split(";", 1)[0]
            if value:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return res.status, res.headers, data.decode("utf-8", "replace")

    def token(self, path):
        status, _, html = self.request("GET", path)
        m = TOKEN.search(html)
        if status != 200 or not m:
            raise RuntimeError(f"GET {path}: {status}, no csrf_token")
        return m.group(1)

    def login(self, name, password):
        token = self.token("/login")
        body = urllib.parse.urlencode(
            {"csrf_token": token, "username": name, "password": password}
        )
        status, headers, _ = self.request("POST", "/login", body)
        if status != 303 or headers.get("Location") != "/":
            raise RuntimeError(f"login {name}: {status} {headers.get('Location')}")


def report_fields(token, title, school):
    f = {
        "csrf_token": token,
        "source": "campus",
        "category": "fire",
        "title": title,
        "description": "fault run",
        "location": "教学楼",
        "level": "general",
        "found_on": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600)),
    }
    if school:
        f["school"] = school
    return f


def multipart(fields, files):
    boundary = "faultrun%016x" % random.getrandbits(64)
    out = bytearray()
    for k, v in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode()
        out += v.encode() + b"\r\n"
    for k, (name, data) in files.items():
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


class Tally:
    def __init__(self, acks_path):
        self.lock = threading.Lock()
        self.acks = open(acks_path, "a", encoding="utf-8")
        self.acked = 0
        self.statuses = {}
        self.failures = []

    def ack(self, hid, title):
        with self.lock:
            # Written and flushed before the next request: a line here was acknowledged.
            self.acks.write(f"{hid}\t{title}\n")
            self.acks.flush()
            self.acked += 1

    def saw(self, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def fail(self, msg):
        with self.lock:
            self.failures.append(msg)


def writer(base, user, tag, n, tally, deadline, photo, allowed):
    name, password, *school = user.split(":")
    school = school[0] if school else ""
    s = Session(base)
    try:
        s.login(name, password)
        token = s.token("/hazards/new")
    except Down:
        return
    except RuntimeError as e:
        tally.fail(str(e))
        return
    seq = 0
    while time.time() < deadline:
        seq += 1
        title = f"{tag} w{n} #{seq}"
        fields = report_fields(token, title, school)
        if photo is not None:
            body, ctype = multipart(fields, {"photo": ("p.png", photo)})
        else:
            body, ctype = urllib.parse.urlencode(fields), None
        try:
            status, headers, _ = s.request("POST", "/hazards", body, ctype)
        except Down:
            return
        tally.saw(status)
        loc = headers.get("Location", "")
        m = re.fullmatch(r"/hazards/(\d+)", loc)
        if status == 303 and m:
            tally.ack(int(m.group(1)), title)
        elif status not in allowed:
            tally.fail(f"POST /hazards as {name}: {status} {loc}")
            return


def cmd_write(a):
    tally = Tally(a.acks)
    deadline = time.time() + a.seconds
    photo = open(a.photo, "rb").read() if a.photo else None
    allowed = {int(x) for x in a.allow.split(",") if x}
    threads = [
        threading.Thread(
            target=writer,
            args=(a.base, a.users[i % len(a.users)], a.tag, i, tally, deadline, photo, allowed),
        )
        for i in range(a.threads)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = " ".join(f"{k}:{v}" for k, v in sorted(tally.statuses.items()))
    print(f"acked={tally.acked} statuses={statuses or '-'}")
    for f in tally.failures:
        print(f"writer failure: {f}", file=sys.stderr)
    return 1 if tally.failures else 0


def cmd_check(a):
    have = {}
    for line in sys.stdin:
        hid, _, title = line.rstrip("\n").partition("\t")
        if hid:
            have[int(hid)] = title
    acked = lost = 0
    with open(a.acks, encoding="utf-8") as f:
        for line in f:
            hid, _, title = line.rstrip("\n").partition("\t")
            acked += 1
            if have.get(int(hid)) != title:
                lost += 1
                if lost <= 5:
                    print(f"lost: hazard {hid} {title!r}", file=sys.stderr)
    print(f"acked={acked} lost={lost}")
    return 1 if lost else 0


def cmd_rows_sqlite(a):
    db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True, timeout=30)
    for hid, title in db.execute("SELECT id, title FROM hazards"):
        print(f"{hid}\t{title}")
    return 0


def cmd_integrity(a):
    db = sqlite3.connect(a.db, timeout=30)
    rows = [r[0] for r in db.execute("PRAGMA integrity_check")]
    print("integrity_check: " + "; ".join(rows))
    return 0 if rows == ["ok"] else 1


def cmd_port(_a):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])
    return 0


def cmd_status(a):
    try:
        status, _, _ = Session(a.base).request("GET", a.path)
    except Down:
        status = 0
    print(f"{status:03d}")
    return 0


def cmd_login(a):
    name, password, *_ = a.user.split(":")
    s = Session(a.base)
    s.login(name, password)
    token = s.token("/hazards/new")
    print("; ".join(f"{k}={v}" for k, v in s.cookies.items()) + "\t" + token)
    return 0


def cmd_png(a):
    # Noise does not compress: the file and its re-encoding are about the size asked for.
    side = max(16, int((a.kib * 1024 / 3) ** 0.5))
    rnd = random.Random(a.seed)
    raw = b"".join(b"\0" + rnd.randbytes(side * 3) for _ in range(side))

    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")
    with open(a.file, "wb") as f:
        f.write(png)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("port")
    w = sub.add_parser("write")
    w.add_argument("base")
    w.add_argument("acks")
    w.add_argument("tag")
    w.add_argument("users", nargs="+")
    w.add_argument("--threads", type=int, default=4)
    w.add_argument("--seconds", type=float, default=60)
    w.add_argument("--photo", help="attach this PNG to every report (multipart)")
    w.add_argument("--allow", default="", help="statuses other than 303 that are not failures")
    c = sub.add_parser("check")
    c.add_argument("acks")
    r = sub.add_parser("rows-sqlite")
    r.add_argument("db")
    i = sub.add_parser("integrity")
    i.add_argument("db")
    s = sub.add_parser("status")
    s.add_argument("base")
    s.add_argument("path")
    g = sub.add_parser("png")
    g.add_argument("file")
    g.add_argument("kib", type=int)
    g.add_argument("seed", type=int, nargs="?", default=0)
    lg = sub.add_parser("login")
    lg.add_argument("base")
    lg.add_argument("user")
    a = p.parse_args()
    cmds = {
        "port": cmd_port,
        "write": cmd_write,
        "check": cmd_check,
        "rows-sqlite": cmd_rows_sqlite,
        "integrity": cmd_integrity,
        "status": cmd_status,
        "png": cmd_png,
        "login": cmd_login,
    }
    return cmds[a.cmd.replace("_", "-")](a)


if __name__ == "__main__":
    sys.exit(main())
