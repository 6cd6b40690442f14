#!/usr/bin/python3
"""db-load.py: load for the database test stack (tests/stack/db.sh).

Talks to PostgreSQL through psql sessions (one long-lived psql process per
session, fed on its standard input) and to Redis through a small RESP client;
Python standard library only. The servers and passwords come from the env file
that "db.sh up" writes (--env STATEDIR/env, or $DB_ENV).

  slow-queries [--seconds N] [--rounds N] [--workers N] [--pause S]
        A mix of queries on knowledge_items as kcp_app: lookups by id, listings
        by category, tag searches and updates (all indexed, fast), a top-N by an
        unindexed column of a category's last 14 days (slower), a query whose text carries terminal escape
        sequences in a comment (/* wr-evil ESC]2;pwned BEL ... */), and one
        clearly slower shape, a substring search over every body
        (body ILIKE '%firmware rollback loop%'), which tops pg_stat_statements
        by mean time.
  sessions [--idle-in-tx N] [--idle M] [--seconds S] [--evil] [--pid-file F]
        N sessions left "idle in transaction" (BEGIN; a SELECT; nothing more)
        and M plain idle ones, for S seconds (0: until SIGTERM/SIGINT). Once all
        are open, their backend PIDs go to the pid file, one "PID KIND" a line
        (KIND idle-in-tx or idle); at the end each session is closed and
        "PID KIND ended|terminated" lines go to PIDFILE.result ("terminated":
        the server had ended the session meanwhile). --evil puts the escape
        sequence comment into the idle-in-transaction sessions' last query.
  idle-in-tx --count N [...]   the same as sessions --idle-in-tx N
  idle --count M [...]         the same as sessions --idle M
  blocker [--seconds N] [--row ID] [--pid-file F]
        Session "blocker" updates a row in an open transaction, session "waiter"
        updates the same row and waits for the lock: a waiting/blocking pair
        (pg_blocking_pids) for N seconds. The pid file ("PID blocker", "PID
        waiter") is written once the waiter really waits. At the end the waiter
        is cancelled (so its long wait does not enter pg_stat_statements) and the
        blocker rolls back.
  redis-slow [--rounds N] [--sleep-ms N]
        Commands that land in SLOWLOG: DEBUG SLEEP, an EVAL that busy-waits
        whose arguments carry escape sequences, control characters and a
        300-byte string, a SORT ... ALPHA of a 20000-element list whose key
        holds an escape sequence, a KEYS over the whole keyspace; from a client
        whose CLIENT SETNAME has odd (printable) characters.
  redis-fill [--percent P] [--value-bytes N]
        SET kcp:cache:item:N keys until used_memory reaches P % of maxmemory
        (default 90; the manual's alert is at 85 %) or keys start to be evicted.
  redis CMD [ARG...]
        One Redis command; the reply is printed as JSON (bytes that are not
        UTF-8 and control characters escaped). For tests.
  demo [--seconds N]
        A light mix for the demo: 2 idle-in-transaction and 3 idle sessions,
        queries every 2 s, Redis slow commands every 15 s, a lock wait of 20 s
        every minute; until SIGTERM/SIGINT (or N seconds).

Options of every command: --env FILE (default $DB_ENV, else ./env; a directory
means its env file), --quiet.
"""

import argparse
import collections
import json
import os
import random
import select
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import unquote, urlsplit

PROG = "db-load.py"
STOP = threading.Event()  # set by SIGTERM / SIGINT: every command winds down
QUIET = False

# A comment with terminal escape sequences: an OSC that would retitle the
# terminal (ESC ] 2 ; ... BEL), a colour change, a cursor move, a carriage
# return. A dashboard must show it inert. "wr-evil" finds it.
EVIL_COMMENT = "/* wr-evil \x1b]2;pwned\x07 \x1b[31mRED\x1b[0m \x1b[2J\x1b[H \r */"
# The clearly slower query shape: a substring search no index helps with.
SLOW_SEARCH = "firmware rollback loop"


def say(msg):
    if not QUIET:
        sys.stderr.write("%s: %s\n" % (PROG, msg))
        sys.stderr.flush()


def die(msg):
    sys.stderr.write("%s: %s\n" % (PROG, msg))
    sys.exit(1)


def on_signal(signum, frame):
    STOP.set()


# --- the env file -----------------------------------------------------------

def read_env(path):
    """KEY=VALUE lines of db.sh's env file, shell-quoted."""
    if os.path.isdir(path):
        path = os.path.join(path, "env")
    env = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                words = shlex.split(line)
                if len(words) == 1 and "=" in words[0]:
                    k, v = words[0].split("=", 1)
                    env[k] = v
    except OSError as e:
        die("cannot read the env file %s (%s); run tests/stack/db.sh up STATEDIR first" % (path, e.strerror))
    return env


def need(env, key):
    if not env.get(key):
        die("the env file names no %s (was the stack set up with it?)" % key)
    return env[key]


# --- PostgreSQL through psql --------------------------------------------------

class SessionLost(Exception):
    """The psql process ended: its connection failed or the server ended it."""


class Psql:
    """One PostgreSQL session: a psql process reading SQL from a pipe.

    run() sends SQL followed by \\echo of a marker and reads the unaligned,
    tuples-only result lines up to the marker, so every call returns when the
    server has answered. Errors go to psql's stderr, kept in self.errors.
    """

    def __init__(self, env, conninfo, app, start_timeout=15):
        psql = os.path.join(env.get("PG_BINDIR", ""), "psql") if env.get("PG_BINDIR") else "psql"
        self.app = app
        self.errors = collections.deque(maxlen=20)
        penv = dict(os.environ, PGCONNECT_TIMEOUT="10", PGOPTIONS="", PGCLIENTENCODING="UTF8")
        # Own session: a Ctrl-C in the terminal reaches this program, which
        # closes the sessions itself.
        self.proc = subprocess.Popen(
            [psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=0", "-d",
             "%s application_name=%s" % (conninfo, app)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=penv, start_new_session=True)
        self.out = self.proc.stdout.fileno()
        self.buf = b""
        self.seq = 0
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self.pid = int(self.run("SELECT pg_backend_pid();", timeout=start_timeout)[0])

    def _drain_stderr(self):
        for raw in self.proc.stderr:
            self.errors.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def last_error(self):
        return self.errors[-1] if self.errors else "psql exited %s" % self.proc.poll()

    def send(self, sql):
        """Send SQL and a marker; the answer is read with collect()."""
        self.seq += 1
        marker = "@@db-load-%d-%d@@" % (os.getpid(), self.seq)
        try:
            self.proc.stdin.write(("%s\n\\echo %s\n" % (sql, marker)).encode("utf-8"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise SessionLost(self.last_error())
        return marker

    def collect(self, marker, timeout=None):
        """The result lines up to MARKER; TimeoutError after TIMEOUT seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        lines = []
        while True:
            line = self._readline(deadline)
            if line == marker:
                return lines
            lines.append(line)

    def run(self, sql, timeout=None):
        return self.collect(self.send(sql), timeout)

    def _readline(self, deadline):
        while b"\n" not in self.buf:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError("no answer from the server in time")
            r, _, _ = select.select([self.out], [], [], left)
            if not r:
                continue
            chunk = os.read(self.out, 65536)
            if not chunk:
                self.proc.wait()
                time.sleep(0.05)  # let the stderr thread catch psql's last words
                raise SessionLost(self.last_error())
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode("utf-8", "replace")

    def close(self):
        """Quit psql (closing its input ends the session); True if it was alive."""
        alive = self.proc.poll() is None
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return alive


def open_sessions(env, conninfo, app, n):
    sessions = []
    try:
        for _ in range(n):
            sessions.append(Psql(env, conninfo, app))
    except (SessionLost, TimeoutError, ValueError, IndexError) as e:
        for s in sessions:
            s.close()
        die("cannot open a %s session: %s" % (app, e))
    return sessions


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def hold(seconds):
    """Wait SECONDS (0: until a signal); False when ended by a signal."""
    if seconds <= 0:
        STOP.wait()
        return False
    return not STOP.wait(seconds)


# --- slow-queries -----------------------------------------------------------

CATEGORIES = ["pairing", "battery", "firmware", "noise-cancelling", "charging-case", "app",
              "warranty", "audio-quality"]
TAGS = ["battery", "bluetooth", "anc", "firmware", "app", "warranty", "fit"]


def query_batch(rows, rnd):
    """One round of the application's queries; the slow shape once."""
    top = max(rows, 1)
    batch = []
    for _ in range(12):
        batch.append("SELECT id, title, updated_at FROM knowledge_items WHERE id = %d;" % rnd.randint(1, top))
    for _ in range(4):
        batch.append("SELECT id, title FROM knowledge_items WHERE category = '%s' "
                     "ORDER BY created_at DESC LIMIT 20;" % rnd.choice(CATEGORIES))
    for _ in range(3):
        batch.append("SELECT id, title FROM knowledge_items WHERE tags @> ARRAY['%s'] "
                     "ORDER BY id DESC LIMIT 20;" % rnd.choice(TAGS))
    for _ in range(2):
        # Rows from 1000 up: the blocker's row and the sessions' rows stay untouched.
        batch.append("UPDATE knowledge_items SET view_count = view_count + 1, updated_at = now() "
                     "WHERE id = %d;" % rnd.randint(min(1000, top), top))
    batch.append("SELECT count(*) FROM knowledge_items WHERE category = '%s' AND id < %d %s;"
                 % (rnd.choice(CATEGORIES), rnd.randint(500, 2000), EVIL_COMMENT))
    batch.append("SELECT id, title, view_count FROM knowledge_items WHERE category = '%s' "
                 "AND created_at > now() - interval '14 days' ORDER BY view_count DESC, id LIMIT 10;"
                 % rnd.choice(CATEGORIES))
    batch.append("SELECT id, title FROM knowledge_items WHERE body ILIKE '%%%s%%' "
                 "ORDER BY updated_at DESC LIMIT 20;" % SLOW_SEARCH)
    rnd.shuffle(batch)
    return "\n".join(batch)


def cmd_slow_queries(env, a):
    conninfo = need(env, "PG_APP_CONNINFO")
    rows = int(env.get("PG_ROWS") or 100000)
    workers = open_sessions(env, conninfo, "db-load:queries", max(1, a.workers))
    counts = [0] * len(workers)
    failures = []
    deadline = time.monotonic() + a.seconds if a.seconds > 0 else None

    def work(i, s):
        rnd = random.Random(i * 7919 + os.getpid())
        try:
            while not STOP.is_set():
                if a.rounds and counts[i] >= a.rounds:
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    break
                s.run(query_batch(rows, rnd), timeout=120)
                counts[i] += 1
                if a.pause > 0 and STOP.wait(a.pause):
                    break
        except (SessionLost, TimeoutError) as e:
            failures.append("worker %d (pid %d): %s" % (i, s.pid, e))

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(i, s)) for i, s in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(0.2)
    for s in workers:
        s.close()
    print("slow-queries: %d rounds by %d sessions in %.1f s" % (sum(counts), len(workers),
                                                                time.monotonic() - started))
    for f in failures:
        say(f)
    return 1 if failures and not STOP.is_set() else 0


# --- sessions ---------------------------------------------------------------

def default_pid_file(a, name):
    if a.pid_file:
        return a.pid_file
    base = a.env if os.path.isdir(a.env) else os.path.dirname(os.path.abspath(a.env))
    return os.path.join(base, "load-%s.pids" % name)


def cmd_sessions(env, a):
    conninfo = need(env, "PG_APP_CONNINFO")
    if a.idle_in_tx + a.idle <= 0:
        die("no sessions asked for (--idle-in-tx N and/or --idle M)")
    pid_file = default_pid_file(a, a.name)
    for p in (pid_file, pid_file + ".result"):
        if os.path.exists(p):
            os.unlink(p)
    comment = " " + EVIL_COMMENT if a.evil else ""
    sessions = []  # (kind, Psql)
    for kind, n in (("idle-in-tx", a.idle_in_tx), ("idle", a.idle)):
        for s in open_sessions(env, conninfo, "db-load:" + kind, n):
            sessions.append((kind, s))
    try:
        for i, (kind, s) in enumerate(sessions):
            if kind == "idle-in-tx":
                # Rows 11, 12, ...: nobody else's (the blocker uses row 1).
                s.run("BEGIN;")
                s.run("SELECT id, title FROM knowledge_items WHERE id = %d FOR SHARE%s;" % (11 + i, comment))
            else:
                s.run("SELECT count(*) FROM knowledge_items WHERE category = 'pairing' AND id < 1000;")
    except (SessionLost, TimeoutError) as e:
        for _, s in sessions:
            s.close()
        die("a session failed while starting: %s" % e)
    write_atomic(pid_file, "".join("%d %s\n" % (s.pid, kind) for kind, s in sessions))
    what = " and ".join("%d %s" % (n, k) for k, n in (("idle-in-tx", a.idle_in_tx), ("idle", a.idle)) if n)
    say("%s sessions open (pids in %s)%s" % (what, pid_file, " for %g s" % a.seconds if a.seconds > 0 else ""))
    hold(a.seconds)
    result = []
    for kind, s in sessions:
        try:
            s.run("COMMIT;" if kind == "idle-in-tx" else "SELECT 1;", timeout=10)
            outcome = "ended"
        except (SessionLost, TimeoutError):
            outcome = "terminated"
        s.close()
        result.append("%d %s %s\n" % (s.pid, kind, outcome))
    write_atomic(pid_file + ".result", "".join(result))
    sys.stdout.write("".join(result))
    return 0


# --- blocker ----------------------------------------------------------------

def cmd_blocker(env, a):
    conninfo = need(env, "PG_APP_CONNINFO")
    pid_file = default_pid_file(a, "blocker")
    for p in (pid_file, pid_file + ".result"):
        if os.path.exists(p):
            os.unlink(p)
    blocker = open_sessions(env, conninfo, "db-load:blocker", 1)[0]
    waiter = open_sessions(env, conninfo, "db-load:waiter", 1)[0]
    monitor = open_sessions(env, conninfo, "db-load:monitor", 1)[0]
    outcome = {"blocker": "ended", "waiter": "cancelled"}
    try:
        blocker.run("BEGIN;")
        blocker.run("UPDATE knowledge_items SET updated_at = now() WHERE id = %d;" % a.row)
        # The statement timeout ends the wait even if this program dies.
        waiter.run("SET statement_timeout = '%ds';" % (a.seconds + 30))
        # psql's SQLSTATE afterwards: 00000 updated, 57014 cancelled.
        wait_marker = waiter.send("UPDATE knowledge_items SET view_count = view_count + 1 "
                                  "WHERE id = %d;\n\\echo :SQLSTATE" % a.row)
        # Wait (10 s at most) until the server says who blocks the waiter.
        end = time.monotonic() + 10
        while True:
            got = monitor.run("SELECT %d = ANY(pg_blocking_pids(%d));" % (blocker.pid, waiter.pid), timeout=10)
            if got == ["t"]:
                break
            if time.monotonic() > end:
                raise TimeoutError("the waiter does not wait for the blocker after 10 s")
            time.sleep(0.1)
        write_atomic(pid_file, "%d blocker\n%d waiter\n" % (blocker.pid, waiter.pid))
        say("blocker %d holds row %d, waiter %d waits (pids in %s) for %g s" % (
            blocker.pid, a.row, waiter.pid, pid_file, a.seconds))
        hold(a.seconds)
        # Cancel the wait first: let through, the waiter's update would be
        # counted in pg_stat_statements with the whole wait as its time.
        try:
            monitor.run("SELECT pg_cancel_backend(%d);" % waiter.pid, timeout=10)
        except (SessionLost, TimeoutError):
            pass
        try:
            state = waiter.collect(wait_marker, timeout=10)
            if state != ["57014"]:
                # The blocker was gone before (terminated?): the waiter got the lock.
                outcome["waiter"] = "updated" if state == ["00000"] else "sqlstate " + ",".join(state)
        except (SessionLost, TimeoutError):
            outcome["waiter"] = "terminated"
        try:
            blocker.run("ROLLBACK;", timeout=10)
        except (SessionLost, TimeoutError):
            outcome["blocker"] = "terminated"
    except (SessionLost, TimeoutError) as e:
        for s in (blocker, waiter, monitor):
            s.close()
        die("blocker: %s" % e)
    for s in (blocker, waiter, monitor):
        s.close()
    text = "%d blocker %s\n%d waiter %s\n" % (blocker.pid, outcome["blocker"], waiter.pid, outcome["waiter"])
    write_atomic(pid_file + ".result", text)
    sys.stdout.write(text)
    return 0


# --- Redis ------------------------------------------------------------------

class RedisError(Exception):
    """An error reply (-ERR ..., -NOPERM ...)."""


class Redis:
    """A minimal RESP2 client: commands out as arrays of bulk strings."""

    def __init__(self, url, timeout=30):
        u = urlsplit(url)
        if u.scheme != "redis" or not u.hostname:
            die("not a redis:// URL: %s" % url)
        self.sock = socket.create_connection((u.hostname, u.port or 6379), timeout=timeout)
        self.rf = self.sock.makefile("rb")
        if u.password:
            if u.username:
                self.call("AUTH", unquote(u.username), unquote(u.password))
            else:
                self.call("AUTH", unquote(u.password))
        db = u.path.strip("/")
        if db and db != "0":
            self.call("SELECT", db)

    @staticmethod
    def pack(args):
        out = [b"*%d\r\n" % len(args)]
        for arg in args:
            if isinstance(arg, str):
                arg = arg.encode("utf-8", "surrogateescape")
            elif not isinstance(arg, bytes):
                arg = str(arg).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
        return b"".join(out)

    def read(self):
        """One reply; error replies come back as RedisError values."""
        line = self.rf.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("Redis closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode("utf-8", "replace")
        if kind == b"-":
            return RedisError(rest.decode("utf-8", "replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.rf.read(n + 2)
            if len(data) != n + 2:
                raise ConnectionError("Redis closed the connection")
            return data[:-2]
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ConnectionError("not RESP: %r" % line[:40])

    def call(self, *args):
        self.sock.sendall(self.pack(args))
        reply = self.read()
        if isinstance(reply, RedisError):
            raise reply
        return reply

    def pipeline(self, commands):
        self.sock.sendall(b"".join(self.pack(c) for c in commands))
        return [self.read() for _ in commands]

    def info(self, section):
        fields = {}
        for line in self.call("INFO", section).decode().splitlines():
            if ":" in line and not line.startswith("#"):
                k, v = line.split(":", 1)
                fields[k] = v
        return fields

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def to_json(reply):
    """A reply as JSON values; bytes that are not UTF-8 become lone surrogates,
    which json.dumps writes as \\udcXX."""
    if isinstance(reply, bytes):
        return reply.decode("utf-8", "surrogateescape")
    if isinstance(reply, list):
        return [to_json(r) for r in reply]
    if isinstance(reply, RedisError):
        return {"error": str(reply)}
    return reply


def cmd_redis(env, a):
    r = Redis(need(env, "REDIS_URL"))
    try:
        reply = r.pipeline([a.args])[0]
    finally:
        r.close()
    print(json.dumps(to_json(reply), ensure_ascii=True))
    return 1 if isinstance(reply, RedisError) else 0


# The busy-wait script: spins for ARGV[1] milliseconds by the server's clock,
# returns how many further arguments it got.
BUSY_SCRIPT = """local t = redis.call('TIME')
local stop = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1]) * 1000
repeat t = redis.call('TIME') until tonumber(t[1]) * 1000000 + tonumber(t[2]) >= stop
return #ARGV - 1"""
EVIL_KEY = "kcp:cache:\x1b[31mhot\x1b[0m:items"
# Redis refuses names with spaces or control characters; these are printable
# but trip naive quoting, printf-style formatting and markup.
ODD_NAME = "load\"gen'%s%n<b>$(id)\\x1b[31m;{}|"


def redis_slow(r, rounds, sleep_ms):
    """The slow commands on connection R; returns remarks (refused commands)."""
    notes = []
    try:
        r.call("CLIENT", "SETNAME", "load\x1b[31mgen")
        notes.append("CLIENT SETNAME took an escape sequence")
    except RedisError:
        pass  # expected: Redis refuses control characters in names
    r.call("CLIENT", "SETNAME", ODD_NAME)
    if not r.call("EXISTS", EVIL_KEY):
        r.pipeline([["RPUSH", EVIL_KEY] + ["item-%05d-%s" % (n, "x\x1b[1m" if n % 97 == 0 else "")
                                             for n in range(i, i + 1000)]
                    for i in range(0, 20000, 1000)])
    for _ in range(max(1, rounds)):
        if STOP.is_set():
            break
        try:
            r.call("DEBUG", "SLEEP", "%.3f" % (sleep_ms / 1000.0))
        except RedisError as e:
            notes.append("DEBUG SLEEP refused: %s" % e)
        r.call("EVAL", BUSY_SCRIPT, "0", str(sleep_ms),
               "\x1b]2;pwned\x07", "\x1b[31mRED\x1b[0m", "line1\r\nline2\ttab\x00nul",
               "long:" + "\x1b[7m0123456789" * 30)
        r.call("SORT", EVIL_KEY, "ALPHA", "LIMIT", "0", "5")
        r.call("KEYS", "kcp:*\x1b*")
    return notes


def cmd_redis_slow(env, a):
    r = Redis(need(env, "REDIS_URL"))
    try:
        notes = redis_slow(r, a.rounds, a.sleep_ms)
        print("redis-slow: SLOWLOG LEN %d%s" % (r.call("SLOWLOG", "LEN"), "".join("; " + n for n in notes)))
    except (RedisError, OSError) as e:
        die("redis-slow: %s" % e)
    finally:
        r.close()
    return 0


def cmd_redis_fill(env, a):
    r = Redis(need(env, "REDIS_URL"))
    try:
        mem = r.info("memory")
        maxmem = int(mem.get("maxmemory", "0"))
        if maxmem <= 0:
            die("redis-fill: Redis has no maxmemory")
        goal = maxmem * a.percent / 100.0
        evicted0 = int(r.info("stats").get("evicted_keys", "0"))
        value = (b"kcp-cache " * (a.value_bytes // 10 + 1))[:a.value_bytes]
        n = int(r.call("DBSIZE"))
        used = int(mem["used_memory"])
        while used < goal and not STOP.is_set():
            replies = r.pipeline([["SET", "kcp:cache:item:%d" % (n + i), value] for i in range(500)])
            n += 500
            errors = [x for x in replies if isinstance(x, RedisError)]
            used = int(r.info("memory")["used_memory"])
            if errors:
                say("redis-fill: stopped at %s" % errors[0])
                break
            if int(r.info("stats").get("evicted_keys", "0")) > evicted0:
                say("redis-fill: keys are being evicted (maxmemory-policy); stopping")
                break
        print("redis-fill: used_memory %d of maxmemory %d (%.1f %%), %d keys" % (
            used, maxmem, 100.0 * used / maxmem, int(r.call("DBSIZE"))))
    except (RedisError, OSError) as e:
        die("redis-fill: %s" % e)
    finally:
        r.close()
    return 0


# --- demo -------------------------------------------------------------------

def cmd_demo(env, a):
    """Everything at a gentle pace, in threads, until a signal (or --seconds)."""
    conninfo = need(env, "PG_APP_CONNINFO")
    rows = int(env.get("PG_ROWS") or 100000)
    if a.seconds > 0:
        timer = threading.Timer(a.seconds, STOP.set)
        timer.daemon = True  # a signal before then ends the program at once
        timer.start()
    idle_tx = open_sessions(env, conninfo, "db-load:idle-in-tx", 2)
    idle = open_sessions(env, conninfo, "db-load:idle", 3)
    for i, s in enumerate(idle_tx):
        s.run("BEGIN;")
        s.run("SELECT id, title FROM knowledge_items WHERE id = %d FOR SHARE %s;" % (21 + i, EVIL_COMMENT))
    for s in idle:
        s.run("SELECT count(*) FROM knowledge_items WHERE category = 'pairing' AND id < 1000;")

    def queries():
        rnd = random.Random()
        s = open_sessions(env, conninfo, "db-load:queries", 1)[0]
        while not STOP.is_set():
            try:
                s.run(query_batch(rows, rnd), timeout=120)
            except (SessionLost, TimeoutError):
                s.close()
                if STOP.wait(5):
                    return
                try:
                    s = Psql(env, conninfo, "db-load:queries")
                except (SessionLost, TimeoutError, ValueError, IndexError):
                    continue
            STOP.wait(2)
        s.close()

    def slowlog():
        while not STOP.is_set():
            try:
                r = Redis(need(env, "REDIS_URL"), timeout=10)
                try:
                    redis_slow(r, 1, 20)
                finally:
                    r.close()
            except (RedisError, OSError):
                pass  # Redis stopped meanwhile: try again later
            STOP.wait(15)

    def lock_waits():
        while not STOP.wait(20):
            try:
                b = Psql(env, conninfo, "db-load:blocker")
                w = Psql(env, conninfo, "db-load:waiter")
            except (SessionLost, TimeoutError, ValueError, IndexError):
                continue
            try:
                b.run("BEGIN;")
                b.run("UPDATE knowledge_items SET updated_at = now() WHERE id = 1;")
                w.run("SET statement_timeout = '20s';")
                w.send("UPDATE knowledge_items SET view_count = view_count + 1 WHERE id = 1;")
                STOP.wait(20)
                # Cancelled, the waiter's long wait stays out of pg_stat_statements.
                b.run("SELECT pg_cancel_backend(%d);" % w.pid, timeout=10)
                b.run("ROLLBACK;", timeout=10)
            except (SessionLost, TimeoutError):
                pass
            w.close()
            b.close()
            STOP.wait(20)

    threads = [threading.Thread(target=f, daemon=True) for f in (queries, slowlog, lock_waits)]
    for t in threads:
        t.start()
    say("demo load running (sessions %s)" % " ".join(str(s.pid) for s in idle_tx + idle))
    STOP.wait()
    for t in threads:
        t.join(25)
    for s in idle_tx + idle:
        s.close()
    return 0


# --- command line ---------------------------------------------------------------

def main(argv):
    global QUIET
    # --env and --quiet go before or after the command: the command's own
    # copies only set a value when given (SUPPRESS), else the top level's stays.
    env_help = "db.sh's env file, or its STATEDIR (default $DB_ENV, else ./env)"
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--env", default=argparse.SUPPRESS, help=env_help)
    common.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress messages")
    p = argparse.ArgumentParser(prog=PROG, description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--env", default=os.environ.get("DB_ENV", "env"), help=env_help)
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND")

    sq = sub.add_parser("slow-queries", parents=[common], help="the query mix")
    sq.add_argument("--seconds", type=float, default=10, help="run this long (0: until a signal)")
    sq.add_argument("--rounds", type=int, default=0, help="or this many rounds per session")
    sq.add_argument("--workers", type=int, default=2, help="sessions running the mix")
    sq.add_argument("--pause", type=float, default=0, help="seconds between rounds")
    sq.set_defaults(func=cmd_slow_queries)

    for name, helptext in (("sessions", "idle-in-transaction and idle sessions"),
                           ("idle-in-tx", "idle-in-transaction sessions"),
                           ("idle", "idle sessions")):
        s = sub.add_parser(name, parents=[common], help=helptext)
        if name == "sessions":
            s.add_argument("--idle-in-tx", type=int, default=0, help="idle-in-transaction sessions")
            s.add_argument("--idle", type=int, default=0, help="idle sessions")
        else:
            s.add_argument("--count", type=int, required=True, help="how many")
        s.add_argument("--seconds", type=float, default=60, help="hold them this long (0: until a signal)")
        s.add_argument("--evil", action="store_true",
                       help="escape sequences in the idle-in-transaction sessions' query")
        s.add_argument("--pid-file", help="default: load-%s.pids beside the env file" % name)
        s.set_defaults(func=cmd_sessions, name=name)

    b = sub.add_parser("blocker", parents=[common], help="a waiting/blocking pair")
    b.add_argument("--seconds", type=float, default=30, help="how long the waiter waits")
    b.add_argument("--row", type=int, default=1, help="the id of the contended row")
    b.add_argument("--pid-file", help="default: load-blocker.pids beside the env file")
    b.set_defaults(func=cmd_blocker)

    rs = sub.add_parser("redis-slow", parents=[common], help="commands for SLOWLOG")
    rs.add_argument("--rounds", type=int, default=1)
    rs.add_argument("--sleep-ms", type=int, default=30, help="DEBUG SLEEP and EVAL duration")
    rs.set_defaults(func=cmd_redis_slow)

    rf = sub.add_parser("redis-fill", parents=[common], help="fill memory toward maxmemory")
    rf.add_argument("--percent", type=float, default=90)
    rf.add_argument("--value-bytes", type=int, default=1024)
    rf.set_defaults(func=cmd_redis_fill)

    rc = sub.add_parser("redis", parents=[common], help="one command, JSON reply")
    rc.add_argument("args", nargs="+", metavar="ARG")
    rc.set_defaults(func=cmd_redis)

    d = sub.add_parser("demo", parents=[common], help="a light mix for the demo")
    d.add_argument("--seconds", type=float, default=0, help="0: until a signal")
    d.set_defaults(func=cmd_demo)

    a = p.parse_args(argv)
    QUIET = a.quiet
    if a.cmd == "idle-in-tx":
        a.idle_in_tx, a.idle = a.count, 0
    elif a.cmd == "idle":
        a.idle_in_tx, a.idle = 0, a.count
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    env = read_env(a.env)
    return a.func(env, a)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
