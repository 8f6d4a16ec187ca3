"""Copies the demo county's hazards into N more rows (new reference numbers, spread over
schools, states and the last three years), straight into the database, for load tests.
Each gets a trail of events (report, register, assign, submit, accept as its state implies) so
the monthly report and dashboards are measured on real volumes. The events sit in their school's
chain (a school's report reads through it) but unhashed: this database is for load, not for
`audit verify`.

Usage: seed.py DB N [EXTRA_SCHOOLS]. DB is the SQLite file, or a postgres:// URL (written with
psql's COPY). EXTRA_SCHOOLS spreads the hazards over that many more schools (a province has
~25,000)."""
import random
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta


class Sqlite:
    def __init__(self, path):
        self.con = sqlite3.connect(path)

    def columns(self, table):
        return [r[1] for r in self.con.execute(f"PRAGMA table_info({table})") if r[1] != "id"]

    def rows(self, sql):
        return [list(r) for r in self.con.execute(sql)]

    def insert(self, table, cols, rows):
        marks = ", ".join("?" * len(cols))
        self.con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)
        self.con.commit()

    def done(self):
        self.con.commit()


class Postgres:
    """Rows travel in COPY's text format: values read are written back exactly as read."""

    def __init__(self, url):
        self.url = url

    def psql(self, sql, data=None):
        out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.url, "-c", sql],
                             input=data, capture_output=True, text=True, check=True)
        return out.stdout

    def columns(self, table):
        sql = (f"COPY (SELECT column_name FROM information_schema.columns WHERE table_name = "
               f"'{table}' AND column_name <> 'id' ORDER BY ordinal_position) TO STDOUT")
        return self.psql(sql).split()

    def rows(self, sql):
        lines = self.psql(f"COPY ({sql}) TO STDOUT").splitlines()
        return [[None if v == "\\N" else v for v in line.split("\t")] for line in lines]

    def insert(self, table, cols, rows):
        data = "".join("\t".join("\\N" if v is None else str(v) for v in r) + "\n" for r in rows)
        self.psql(f"COPY {table} ({', '.join(cols)}) FROM STDIN", data)

    def done(self):
        # What autovacuum would do before long: statistics for the planner, and the visibility
        # map that lets counts read an index alone.
        self.psql("VACUUM ANALYZE")


db, n = sys.argv[1], int(sys.argv[2])
extra_schools = int(sys.argv[3]) if len(sys.argv) > 3 else 0
store = Postgres(db) if db.startswith("postgres") else Sqlite(db)
cols = store.columns("hazards")
rows = store.rows(f"SELECT {', '.join(cols)} FROM hazards")
if extra_schools:
    scols = store.columns("schools")
    proto = store.rows(f"SELECT {', '.join(scols)} FROM schools ORDER BY id LIMIT 1")[0]
    made = []
    for k in range(extra_schools):
        r = list(proto)
        r[scols.index("code")] = f"PB-{k:05d}"
        r[scols.index("name")] = f"基准学校{k:05d}"
        made.append(r)
    store.insert("schools", scols, made)
schools = [r[0] for r in store.rows("SELECT id FROM schools")]
states = ["reported", "registered", "rectifying", "awaiting_acceptance", "closed", "closed", "closed", "dismissed"]
rng = random.Random(7)
i_ref, i_school, i_state = cols.index("ref_no"), cols.index("school_id"), cols.index("state")
i_found, i_deadline, i_reported = cols.index("found_on"), cols.index("deadline"), cols.index("reported_at")
batch = []
for k in range(n):
    r = list(rng.choice(rows))
    found = date.today() - timedelta(days=rng.randrange(1, 1100))
    r[i_ref] = f"YB-{found.year}-{k:06d}"  # a prefix of its own: never clashes with YH-
    r[i_school] = rng.choice(schools)
    r[i_state] = rng.choice(states)
    r[i_found] = found.isoformat()
    r[i_deadline] = (found + timedelta(days=rng.randrange(5, 60))).isoformat()
    r[i_reported] = datetime.combine(found, datetime.min.time()).isoformat(sep=" ")
    batch.append(r)
store.insert("hazards", cols, batch)
steps = {
    "reported": [("report", "reported")],
    "registered": [("report", "reported"), ("register", "registered")],
    "dismissed": [("report", "reported"), ("dismiss", "dismissed")],
    "rectifying": [("report", "reported"), ("register", "registered"), ("assign", "rectifying")],
    "awaiting_acceptance": [("report", "reported"), ("register", "registered"), ("assign", "rectifying"), ("submit", "awaiting_acceptance")],
    "closed": [("report", "reported"), ("register", "registered"), ("assign", "rectifying"), ("submit", "awaiting_acceptance"), ("accept", "closed")],
}
ids = store.rows("SELECT id, school_id, state, reported_at, deadline FROM hazards WHERE ref_no LIKE 'YB-%'")
events = []
now = datetime.utcnow()
for hid, school, state, reported, deadline in ids:
    t = datetime.fromisoformat(str(reported))
    trail = steps[state]
    for i, (action, to) in enumerate(trail):
        # The report at the row's reported_at, the rest three days apart, none in the future:
        # the rows and their trails agree, as the app writes them.
        at = min(t + timedelta(days=i * 3), now - timedelta(minutes=len(trail) - i)) if i else t
        at = at.isoformat(sep=" ")
        changes = f'{{"deadline":"{deadline}"}}' if action == "assign" else None
        events.append((f"school:{school}", "", f"bench-{hid}-{i}", at, None, "bench", school, "hazard", hid, action, None, to, None, changes))
ecols = ["chain", "prev_hash", "hash", "at", "actor_id", "actor", "school_id", "record_kind", "record_id",
         "action", "from_state", "to_state", "comment", "changes"]
store.insert("events", ecols, events)
store.done()
print(f"seeded {len(events)} events", file=sys.stderr)
print(f"seeded {n} hazards", file=sys.stderr)
