"""Copies the demo county's hazards into N more rows (new reference numbers, spread over
schools, states and the last three years), straight into the SQLite file, for load tests.
Each gets a trail of events (report, register, assign, submit, accept as its state implies) so
the monthly report and dashboards are measured on real volumes. The events sit in their school's
chain (a school's report reads through it) but unhashed: this database is for load, not for
`audit verify`. Optional third argument: how many extra schools to spread them over (a province
has ~25,000)."""
import random
import sqlite3
import sys
from datetime import date, datetime, timedelta

db, n = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
cols = [r[1] for r in con.execute("PRAGMA table_info(hazards)") if r[1] != "id"]
rows = con.execute(f"SELECT {', '.join(cols)} FROM hazards").fetchall()
extra_schools = int(sys.argv[3]) if len(sys.argv) > 3 else 0
if extra_schools:
    town = con.execute("SELECT township_id FROM schools LIMIT 1").fetchone()[0]
    scols = [r[1] for r in con.execute("PRAGMA table_info(schools)") if r[1] != "id"]
    proto = list(con.execute(f"SELECT {', '.join(scols)} FROM schools LIMIT 1").fetchone())
    made = []
    for k in range(extra_schools):
        r = list(proto)
        r[scols.index("code")] = f"PB-{k:05d}"
        r[scols.index("name")] = f"基准学校{k:05d}"
        r[scols.index("township_id")] = town
        made.append(r)
    con.executemany(f"INSERT INTO schools ({', '.join(scols)}) VALUES ({', '.join('?' * len(scols))})", made)
schools = [r[0] for r in con.execute("SELECT id FROM schools")]
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
con.executemany(f"INSERT INTO hazards ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", batch)
steps = {
    "reported": [("report", "reported")],
    "registered": [("report", "reported"), ("register", "registered")],
    "dismissed": [("report", "reported"), ("dismiss", "dismissed")],
    "rectifying": [("report", "reported"), ("register", "registered"), ("assign", "rectifying")],
    "awaiting_acceptance": [("report", "reported"), ("register", "registered"), ("assign", "rectifying"), ("submit", "awaiting_acceptance")],
    "closed": [("report", "reported"), ("register", "registered"), ("assign", "rectifying"), ("submit", "awaiting_acceptance"), ("accept", "closed")],
}
ids = con.execute("SELECT id, school_id, state, reported_at, deadline FROM hazards WHERE ref_no LIKE 'YB-%'").fetchall()
events = []
now = datetime.utcnow()
for hid, school, state, reported, deadline in ids:
    t = datetime.fromisoformat(reported)
    trail = steps[state]
    for i, (action, to) in enumerate(trail):
        # The report at the row's reported_at, the rest three days apart, none in the future:
        # the rows and their trails agree, as the app writes them.
        at = min(t + timedelta(days=i * 3), now - timedelta(minutes=len(trail) - i)) if i else t
        at = at.isoformat(sep=" ")
        changes = f'{{"deadline":"{deadline}"}}' if action == "assign" else None
        events.append((f"school:{school}", "", f"bench-{hid}-{i}", at, None, "bench", school, "hazard", hid, action, None, to, None, changes))
con.executemany("INSERT INTO events (chain, prev_hash, hash, at, actor_id, actor, school_id, record_kind, record_id, action, from_state, to_state, comment, changes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", events)
con.commit()
print(f"seeded {len(events)} events", file=sys.stderr)
print(f"seeded {n} hazards", file=sys.stderr)
