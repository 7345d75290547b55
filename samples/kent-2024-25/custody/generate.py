"""Generate the SYNTHETIC custody record-level files for the Kent 2024/25 sample.

Kent publishes only totals: 38 ICVs made 227 visits and engaged with 660 detained persons
(Annual Report 2024/25, seed 000 line 831; Panel report, seed 001 line 384); 27,550 people
were processed through custody, with no deaths and 36 serious injuries (seed 000 line
1252). No visit log, issues log, appointment register, DSI log or detention record is
published, so these files are made up, reproducibly (fixed seed), to agree with those
totals. The number and names of the suites ("Suite A" to "Suite E") are invented too.

The data contain PLANTED problems so the checks have something real to find; the numbers
are in ``PLANTED`` and a test asserts that the report finds exactly them. None of it is
Kent's performance.

The seeds also publish nothing on the scheme's own records (review of the arrangements,
panel meetings, ICVA QAF level: docs/research/seed-000.md line 440), the CDSP's meeting
dates or terms of reference ("Cadence is not stated", seed-000.md line 677), an Angiolini
action tracker, or a custody inspection ("HMICFRS/HMIP custody inspection results", not
stated: seed-001.md line 415). Those records are invented here too, after the record-level
files (so adding them changed none of those), and each carries ``synthetic`` in its bundle
entry. The CDSP record keeps the two themes the seeds do describe, with their lines.

    python samples/kent-2024-25/custody/generate.py    # rewrites the generated files here
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

SEED = 20250331
HERE = Path(__file__).parent
START, END = dt.date(2024, 4, 1), dt.date(2025, 3, 31)
SUITES = ["Suite A", "Suite B", "Suite C", "Suite D", "Suite E"]
H = dt.timedelta(hours=1)

PLANTED = {
    # ICV visit log (227 visits, 660 detainees engaged)
    "visits": 227, "detainees_engaged": 660,
    "visits_per_suite": {"Suite A": 50, "Suite B": 50, "Suite C": 49, "Suite D": 49,
                         "Suite E": 29},
    "weeks_visited": {"Suite A": 48, "Suite B": 47, "Suite C": 47, "Suite D": 46,
                      "Suite E": 27},
    "unvisited_months": {"Suite E": ["2024-08", "2025-01"]},
    "single_visitor_visits": 12, "out_of_hours_visits": 31,
    "weekend_gaps": [["Suite E", 3]], "access_delays": 5, "tact_visits": 2,
    # issues log
    "issues": 40, "issues_due": 39, "issues_answered_in_time": 33, "open_safety_issues": 1,
    # appointments
    "icvs_active": 38, "trained_after_first_visit": 1,
    # DSI log
    "serious_injuries": 36, "deaths": 0, "dsi_with_learning": 34,
    # detention records
    "detentions": 27_550, "inconsistent": 8, "no_ethnicity": 964,
    "first_review_late": 52, "first_review_postponed": 9, "later_review_late": 23,
    "beyond_24h_without_authority": 3, "beyond_36h_without_warrant": 1, "beyond_96h": 0,
    "children_overnight_after_charge": 48, "children_transferred": 21,
    "children_without_certificate": 1, "children_without_aa": 7,
    "child_strip_searches_without_aa": 2,
    # scheme and scrutiny records (all invented: see the module docstring)
    "arrangements_reviewed_days": 430, "icv_panel_meetings": 3, "qaf_level": "Silver",
    "cdsp_meetings": 3, "cdsp_terms_of_reference_days": 290,
    "angiolini_applicable": 24, "angiolini_without_owner": 2, "angiolini_complete": 15,
    "inspection_actions": 12, "inspection_past_due": 2, "inspection_long_overdue": 0,
}
GENERATED = ("icv-visit-log.csv", "icv-issues-log.csv", "icv-appointments.csv", "dsi-log.csv",
             "detention-records.csv", "icv-scheme-record.yaml", "cdsp-record.yaml",
             "angiolini-tracker-record.yaml", "angiolini-action-tracker.csv",
             "custody-inspection-actions.csv")


def _fmt(t: dt.datetime | None) -> str:
    return "" if t is None else t.strftime("%Y-%m-%d %H:%M")


def _write(name: str, columns: list[str], rows: list[dict]) -> None:
    with open(HERE / name, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: ("true" if r.get(c) is True else "false" if r.get(c) is False
                            else r.get(c, "")) for c in columns})


# ------------------------------------------------------------------------- visit log

def visits(rng: random.Random) -> list[dict]:
    weeks = 52
    out: list[dict] = []
    for suite in SUITES:
        n, k = PLANTED["visits_per_suite"][suite], PLANTED["weeks_visited"][suite]
        if suite == "Suite E":
            # weeks wholly in August 2024 and January 2025 are never visited
            banned = {w for w in range(weeks) for d in range(7)
                      if (START + dt.timedelta(days=7 * w + d)).strftime("%Y-%m")
                      in PLANTED["unvisited_months"]["Suite E"]}
            pool = [w for w in range(weeks) if w not in banned]
        else:
            pool = list(range(weeks))
        chosen = sorted(rng.sample(pool, k))
        if suite != "Suite E":  # keep every month visited: no two missed weeks in a row
            while any(b - a > 2 for a, b in zip([-1] + chosen, chosen + [weeks], strict=True)):
                chosen = sorted(rng.sample(pool, k))
        extra = rng.sample(chosen, n - k)
        for w in sorted(chosen + extra):
            out.append({"suite": suite, "week": w})
    for v in out:
        day = rng.choice([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6])
        v["date"] = START + dt.timedelta(days=7 * v["week"] + day)
        v["time"] = f"{rng.randint(9, 16):02d}:{rng.choice([0, 15, 30, 45]):02d}"
    # weekend visit in every suite-quarter except the planted gap
    for suite in SUITES:
        for q in range(4):
            mine = [v for v in out if v["suite"] == suite and _quarter(v["date"]) == q]
            gap = [suite, q + 1] in PLANTED["weekend_gaps"]
            for v in mine:
                if gap and v["date"].weekday() >= 5:
                    v["date"] -= dt.timedelta(days=v["date"].weekday() - 4)
            if not gap and mine and not any(v["date"].weekday() >= 5 for v in mine):
                v = mine[0]
                v["date"] += dt.timedelta(days=5 - v["date"].weekday())
    for v in out:  # a week-shift may cross the period end; keep visits inside it
        v["date"] = min(v["date"], END)
    out.sort(key=lambda v: (v["date"], v["suite"]))
    for v in rng.sample(out, PLANTED["out_of_hours_visits"]):
        v["time"] = rng.choice(["06:30", "07:15", "19:00", "20:30", "21:45", "22:30", "23:15"])
    singles = set(map(id, rng.sample(out, PLANTED["single_visitor_visits"])))
    delays = set(map(id, rng.sample(out, PLANTED["access_delays"])))
    tact = set(map(id, rng.sample(out, PLANTED["tact_visits"])))
    accepted = _split(rng, PLANTED["detainees_engaged"], len(out))
    rows = []
    for v, acc in zip(out, accepted, strict=True):
        offered = acc + rng.randint(0, 3)
        present = offered + rng.randint(0, 2)
        row = {"suite": v["suite"], "visit_date": v["date"].isoformat(),
               "start_time": v["time"], "visitors": 1 if id(v) in singles else
               rng.choice([2, 2, 2, 2, 3]), "detainees_present": present,
               "detainees_offered": offered, "detainees_accepted": acc,
               "access_delay_minutes": rng.choice([0, 0, 0, 2, 5]),
               "issues_raised": rng.choice([0, 0, 0, 1])}
        if id(v) in delays:
            row.update(access_delay_minutes=rng.randint(15, 40),
                       delay_reason="incident in the suite; visitors' safety",
                       delay_authorised_rank="inspector")
        if id(v) in tact:
            d = v["date"]
            row.update(tact_detainee_visited=True,
                       tact_report_to_pcc_date=(d + dt.timedelta(days=2)).isoformat(),
                       tact_report_to_irtl_date=(d + dt.timedelta(days=5)).isoformat())
        rows.append(row)
    return rows


def _quarter(d: dt.date) -> int:
    return ((d.year - START.year) * 12 + d.month - START.month) // 3


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    """n non-negative counts summing to ``total`` (detainees engaged per visit)."""
    parts = [rng.randint(0, 6) for _ in range(n)]
    while sum(parts) != total:
        i = rng.randrange(n)
        if sum(parts) < total and parts[i] < 9:
            parts[i] += 1
        elif sum(parts) > total and parts[i] > 0:
            parts[i] -= 1
    return parts


# --------------------------------------------------------------- issues, register, DSI

def issues(rng: random.Random) -> list[dict]:
    rows = []
    # three issues described in the annual report (seed 000 lines 837, 841, 842)
    rows.append({"suite": "Suite A", "raised_date": "2024-05-14", "category": "safety",
                 "force_response_date": "2024-05-30", "status": "closed"})  # shears, L837
    rows.append({"suite": "Suite C", "raised_date": "2024-07-09", "category": "staffing",
                 "force_response_date": "2024-08-01", "status": "closed"})  # staffing, L841
    rows.append({"suite": "Suite B", "raised_date": "2024-10-22", "category": "healthcare",
                 "force_response_date": "2024-11-12", "status": "open"})  # FHPs, L842
    cats = ["welfare", "facilities", "rights", "healthcare", "other", "facilities"]
    late = 5
    for i in range(33 - 3):
        raised = START + dt.timedelta(days=rng.randrange(300))
        rows.append({"suite": rng.choice(SUITES), "raised_date": raised.isoformat(),
                     "category": rng.choice(cats),
                     "force_response_date": (raised + dt.timedelta(days=rng.randint(3, 28))
                                             ).isoformat(),
                     "status": "closed" if i % 4 else "open"})
    for _ in range(late):
        raised = START + dt.timedelta(days=rng.randrange(280))
        rows.append({"suite": rng.choice(SUITES), "raised_date": raised.isoformat(),
                     "category": rng.choice(cats),
                     "force_response_date": (raised + dt.timedelta(days=rng.randint(35, 70))
                                             ).isoformat(), "status": "closed"})
    rows.append({"suite": "Suite D", "raised_date": "2025-02-24", "category": "safety",
                 "force_response_date": "", "status": "open"})  # unanswered, open safety
    rows.append({"suite": "Suite E", "raised_date": "2025-03-20", "category": "facilities",
                 "force_response_date": "", "status": "open"})  # not yet due at 31 March
    rows.sort(key=lambda r: r["raised_date"])
    for i, r in enumerate(rows, 1):
        r["issue_id"] = f"ICV-{i:03d}"
    return rows


def appointments(rng: random.Random) -> list[dict]:
    rows = []
    for i in range(PLANTED["icvs_active"] + 3):
        appointed = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3200))
        trained = appointed + dt.timedelta(days=rng.randint(7, 40))
        first = trained + dt.timedelta(days=rng.randint(3, 30))
        rows.append({"icv_ref": f"V{i + 1:03d}", "appointed_on": appointed.isoformat(),
                     "status": "left" if i >= PLANTED["icvs_active"] else "active",
                     "interviewed": True, "independence_declared": True,
                     "conflict_identified": False, "initial_training_on": trained.isoformat(),
                     "first_visit_on": first.isoformat()})
    bad = rows[rng.randrange(PLANTED["icvs_active"])]
    bad["initial_training_on"] = (dt.date.fromisoformat(bad["first_visit_on"])
                                  + dt.timedelta(days=21)).isoformat()
    return rows


def dsi(rng: random.Random) -> list[dict]:
    rows = []
    no_learning = set(rng.sample(range(36), 36 - PLANTED["dsi_with_learning"]))
    for i in range(PLANTED["serious_injuries"]):
        day = START + dt.timedelta(days=rng.randrange(365))
        rows.append({"incident_ref": f"DSI-{i + 1:03d}", "incident_date": day.isoformat(),
                     "suite": rng.choice(SUITES), "category": "serious-injury",
                     "iopc_referral_date": (day + dt.timedelta(days=rng.randint(0, 2))
                                            ).isoformat(),
                     "learning_actions": 0 if i in no_learning else rng.randint(1, 3)})
    rows.sort(key=lambda r: r["incident_date"])
    return rows


# ----------------------------------------------------------------- detention records

ETHNIC = [("W", 0.82), ("B", 0.06), ("A", 0.055), ("M", 0.04), ("O", 0.025)]
STRIP = {"W": 0.020, "B": 0.036, "A": 0.021, "M": 0.024, "O": 0.020}
ADULT_BANDS = ["18-24", "25-34", "35-49", "50-64", "65+"]
CHILD_BANDS = ["10-13", "14-15", "16-17"]


def _reviews(rng: random.Random, auth: dt.datetime, release: dt.datetime,
             first_late: bool = False, later_late: bool = False) -> list[dt.datetime]:
    """A compliant s.40 schedule, unless a planted lateness is asked for."""
    if release <= auth + 6 * H and not first_late:
        return []
    t = auth + (rng.uniform(6.2, 7.5) if first_late else rng.uniform(2.0, 5.9)) * H
    out = [t]
    while release > t + 9 * H:
        gap = rng.uniform(9.2, 10.0) if later_late and len(out) == 1 else rng.uniform(6, 8.9)
        t = t + gap * H
        out.append(t)
    return out


def detentions(rng: random.Random) -> list[dict]:
    n = PLANTED["detentions"]
    span = int((dt.datetime.combine(END, dt.time(20)) - dt.datetime.combine(START, dt.time()))
               .total_seconds() // 60)
    rows: list[dict] = []
    for _ in range(n):
        arrival = dt.datetime.combine(START, dt.time()) + dt.timedelta(
            minutes=rng.randrange(span))
        child = rng.random() < 0.045
        eth = rng.choices([e for e, _ in ETHNIC], [w for _, w in ETHNIC])[0]
        leg = "tact" if rng.random() < 0.00015 else "other" if rng.random() < 0.02 else "pace"
        hours = min(rng.lognormvariate(2.2, 0.6), 23.5)
        long = rng.random()
        supt = warrant = None
        if leg == "pace" and long < 0.03:
            hours = rng.uniform(24.5, 35.5)
            supt = arrival + rng.uniform(18, 23.5) * H
        elif leg == "pace" and long < 0.033:
            hours = rng.uniform(37, 60)
            supt = arrival + rng.uniform(18, 23.5) * H
            warrant = arrival + rng.uniform(30, 35.5) * H
        auth = arrival + dt.timedelta(minutes=rng.randint(5, 40))
        release = arrival + hours * H
        if release <= auth:
            release = auth + dt.timedelta(minutes=rng.randint(20, 90))
        charged = rng.random() < 0.35
        charge = release - rng.uniform(0.1, 1.5) * H if charged else None
        if charge is not None and charge < auth:
            charge = auth
        bail_refused = charged and not child and rng.random() < 0.10
        if bail_refused:  # remanded adults are kept for court the next morning
            release = max(release, dt.datetime.combine(charge.date() + dt.timedelta(days=1),
                                                       dt.time(8, 30)))
        rows.append({
            "suite": rng.choices(SUITES, [24, 22, 20, 19, 15])[0], "legislation": leg,
            "age_band": rng.choice(CHILD_BANDS) if child else rng.choice(ADULT_BANDS),
            "ethnicity": eth, "arrival": arrival, "auth": auth, "release": release,
            "supt": supt, "warrant": warrant, "charged": charged, "charge": charge,
            "bail_refused": bail_refused, "strip": rng.random() < STRIP[eth],
            "aa": True if child else "", "postponed": "",
        })
    _plant_detentions(rng, rows)
    out = []
    for i, r in enumerate(rows, 1):
        reviews = r.get("reviews")
        if reviews is None:
            if r["legislation"] == "tact":  # TACT Sch.8 reviews every 12 hours
                t, reviews = r["auth"], []
                while t + 12 * H < r["release"]:
                    t += rng.uniform(10, 11.9) * H
                    reviews.append(t)
            else:
                reviews = _reviews(rng, r["auth"], r["release"])
        out.append({
            "custody_ref": f"CR{i:06d}", "suite": r["suite"], "legislation": r["legislation"],
            "age_band": r["age_band"], "ethnicity": r["ethnicity"],
            "arrival_time": r.get("arrival_text", _fmt(r["arrival"])),
            "detention_authorised_time": _fmt(r["auth"]),
            "review_times": r.get("reviews_text", ";".join(_fmt(t) for t in reviews)),
            "review_postponement_recorded": r["postponed"],
            "superintendent_extension_time": _fmt(r["supt"]),
            "warrant_time": _fmt(r["warrant"]), "charged": r["charged"],
            "charge_time": _fmt(r["charge"]), "bail_refused": r["bail_refused"],
            "transfer_requested": r.get("transfer_requested", ""),
            "transfer_completed": r.get("transfer_completed", ""),
            "impracticability_certificate": r.get("certificate", ""),
            "release_time": r.get("release_text", _fmt(r["release"])),
            "appropriate_adult_present": r["aa"], "strip_searched": r["strip"],
        })
    return out


def _plant_detentions(rng: random.Random, rows: list[dict]) -> None:
    """Plant exactly the problems in PLANTED, each on its own row."""
    idx = list(range(len(rows)))
    rng.shuffle(idx)
    take = iter(idx)

    def pick(pred) -> dict:
        while True:
            r = rows[next(take)]
            if pred(r):
                return r

    def adult_pace(r: dict) -> bool:
        return (r["legislation"] == "pace" and r["age_band"] in ADULT_BANDS
                and r["supt"] is None and not r["bail_refused"])

    def child(r: dict) -> bool:
        return r["age_band"] in CHILD_BANDS and r["legislation"] == "pace"

    def reshape(r: dict, hours: float) -> None:
        r["release"] = r["auth"] + hours * H
        if r["charged"]:
            r["charge"] = r["release"] - 0.5 * H

    for i in range(PLANTED["first_review_late"] + PLANTED["first_review_postponed"]):
        r = pick(adult_pace)
        reshape(r, rng.uniform(8, 14))
        r["reviews"] = _reviews(rng, r["auth"], r["release"], first_late=True)
        r["postponed"] = i >= PLANTED["first_review_late"]
    for _ in range(PLANTED["later_review_late"]):
        r = pick(adult_pace)
        reshape(r, rng.uniform(17.5, 22))
        r["reviews"] = _reviews(rng, r["auth"], r["release"], later_late=True)
    for i in range(PLANTED["beyond_24h_without_authority"]):
        r = pick(adult_pace)
        r["charged"], r["charge"] = False, None
        r["release"] = r["arrival"] + rng.uniform(25, 30) * H
        if i == 0:  # authority given, but only after the 24 hours had run out
            r["supt"] = r["arrival"] + 24.5 * H
    for _ in range(PLANTED["beyond_36h_without_warrant"]):
        r = pick(adult_pace)
        r["charged"], r["charge"] = False, None
        r["release"] = r["arrival"] + 40 * H
        r["supt"] = r["arrival"] + 20 * H
    # charged children refused bail and held past midnight
    n = PLANTED["children_overnight_after_charge"]
    moved = PLANTED["children_transferred"]
    for i in range(n):
        r = pick(child)
        r["charged"], r["bail_refused"] = True, True
        r["charge"] = dt.datetime.combine(r["arrival"].date(), dt.time(21)) + (
            rng.uniform(0, 2) * H)
        r["arrival"] = r["charge"] - rng.uniform(4, 8) * H
        r["auth"] = r["arrival"] + 0.25 * H
        r["release"] = dt.datetime.combine(r["charge"].date() + dt.timedelta(days=1),
                                           dt.time(7)) + rng.uniform(0, 3) * H
        r["supt"] = r["warrant"] = None
        r["transfer_requested"] = True
        r["transfer_completed"] = i < moved
        r["certificate"] = i >= moved and i != n - 1
    # children without an appropriate adult (two of them strip searched)
    for i in range(PLANTED["children_without_aa"]):
        r = pick(lambda r: child(r) and not r["bail_refused"])
        r["aa"] = False
        r["strip"] = i < PLANTED["child_strip_searches_without_aa"]
    for _ in range(PLANTED["no_ethnicity"]):
        pick(lambda r: True)["ethnicity"] = ""
    # impossible or unreadable records
    bad = [pick(adult_pace) for _ in range(PLANTED["inconsistent"])]
    for r in bad[:3]:  # a review before detention was authorised
        r["reviews"] = [r["auth"] - 0.5 * H] + _reviews(rng, r["auth"], r["release"])
    for r in bad[3:5]:  # released before detention was authorised (negative duration)
        r["release_text"] = _fmt(r["auth"] - 2 * H)
    for r in bad[5:7]:  # charged, but no charge time recorded (an unreadable time would be
        r["charged"], r["charge"] = True, None  # refused at load: times are datetime columns)
    r = bad[7]  # detention authorised before arrival
    r["auth"] = r["arrival"] - 1 * H


# ------------------------------------------------- scheme, scrutiny and inspection records

def _yaml(name: str, header: str, lines: list[str]) -> None:
    """A small YAML file written as text, so its comments say what is invented."""
    text = "".join(f"# {h}\n" if h else "#\n" for h in header.splitlines()) + "\n".join(lines)
    (HERE / name).write_text(text + "\n", encoding="utf-8")


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def scheme_record() -> None:
    reviewed = END - dt.timedelta(days=PLANTED["arrangements_reviewed_days"])
    _yaml("icv-scheme-record.yaml", (
        "SYNTHETIC ICV scheme record, written by generate.py. Not published in the seeds\n"
        "(docs/research/seed-000.md line 440: QAF level not stated). The research\n"
        "found Kent's ICV policy 'updated annually' and 'between two and four panel meetings a\n"
        "year' on the OPCC website (docs/research/domain-addendum.md C10, C11); the values\n"
        "below are invented, the review deliberately over a year old (a planted Amber)."), [
        f'arrangements_reviewed_on: "{reviewed.isoformat()}"',
        f"panel_meetings_held: {PLANTED['icv_panel_meetings']}",
        f"qaf_level: {PLANTED['qaf_level']}",
        'qaf_awarded_on: "2023-11-15"',
        "note: SYNTHETIC; generated by samples/kent-2024-25/custody/generate.py"])


def cdsp_record(rng: random.Random) -> None:
    quarters = [(dt.date(2024, 5, 1), dt.date(2024, 6, 30)),
                (dt.date(2024, 9, 1), dt.date(2024, 10, 31)),
                (dt.date(2025, 1, 1), dt.date(2025, 2, 28))]
    meetings = [_day(rng, a, b) for a, b in quarters[:PLANTED["cdsp_meetings"]]]
    terms = END - dt.timedelta(days=PLANTED["cdsp_terms_of_reference_days"])
    _yaml("cdsp-record.yaml", (
        "Kent Custody Detention Scrutiny Panel, 2024/25. Written by generate.py.\n"
        "PUBLISHED: the two themes below, from the seed lines given with each. The seeds date\n"
        "them only to 2024/25 (000 L444, L446), so the period end stands in for the day.\n"
        "SYNTHETIC: the meeting dates and the terms-of-reference date; the seeds give neither\n"
        "(\"Cadence is not stated\", docs/research/seed-000.md line 677). Strip search, use of\n"
        "force and anti-rip clothing are not mentioned in either seed; \"searches\" of children\n"
        "(000 L444) is not said to mean strip searches, so it is not counted."), [
        f'terms_of_reference_date: "{terms.isoformat()}"',
        "meetings: [" + ", ".join(f'"{d.isoformat()}"' for d in meetings) + "]",
        "themes:",
        "  - theme: children",
        '    sampled_on: "2025-03-31"',
        "    source: >-",
        '      000 L444 "detailed information about child detentions, such as reasons for bail,',
        '      searches and their ethnicity"; 000 L446 second Thematic Review "focusing on the',
        '      experiences of child detainees from ethnic minority backgrounds"; 001 L379.',
        "  - theme: disproportionality",
        '    sampled_on: "2025-03-31"',
        "    source: >-",
        '      000 L439 purpose "reviewing and advising on matters of disproportionality"; 000',
        '      L444 data pack "now includes detainee demographic data, Most Similar Group',
        '      comparators"; 001 L376, L379.',
        "note: >-",
        "  Themes as published (dated to the period end: the seeds say only 2024/25); meeting",
        "  and terms-of-reference dates SYNTHETIC."])


def angiolini(rng: random.Random) -> list[dict]:
    """A tracker of the review's 110 recommendations. Which apply, their owners and their
    status are invented; recommendation 53 (PCCs report annually, seed 000 L1248) is one."""
    applicable = set(rng.sample([r for r in range(1, 111) if r != 53],
                                PLANTED["angiolini_applicable"] - 1)) | {53}
    owners = ["Head of Custody", "Custody Inspector (training)", "Force Medical Lead",
              "OPCC Chief Executive", "Head of Professional Standards"]
    order = sorted(applicable)
    rng.shuffle(order)
    no_owner = set(order[:PLANTED["angiolini_without_owner"]])
    complete = set(order[PLANTED["angiolini_without_owner"]:][:PLANTED["angiolini_complete"]])
    rows = []
    for r in range(1, 111):
        row = {"recommendation": r, "applies_to_force": r in applicable}
        if r in applicable:
            row["owner_role"] = "" if r in no_owner else (
                "OPCC Chief Executive" if r == 53 else rng.choice(owners))
            row["status"] = "complete" if r in complete else rng.choice(
                ["in-progress", "in-progress", "not-started"])
        rows.append(row)
    _yaml("angiolini-tracker-record.yaml", (
        "SYNTHETIC record that the force's Angiolini action tracker was reviewed, written by\n"
        "generate.py; no tracker is mentioned in the seeds (only recommendation 53 itself,\n"
        "000 L1248). The tracker rows are angiolini-action-tracker.csv, also invented."), [
        "type: angiolini-action-tracker",
        "title: Angiolini review action tracker, reviewed at the custody governance board "
        "(SYNTHETIC)",
        f'date: "{_day(rng, dt.date(2025, 1, 6), dt.date(2025, 2, 28)).isoformat()}"',
        "note: SYNTHETIC; generated by samples/kent-2024-25/custody/generate.py"])
    return rows


def inspection(rng: random.Random) -> list[dict]:
    """An invented custody inspection action plan: published well before the period, most
    actions closed or on track, a few recommendations past due (a planted Amber)."""
    published = dt.date(2023, 2, 14)
    rows = []
    n = PLANTED["inspection_actions"]
    late = set(rng.sample(range(3, n), PLANTED["inspection_past_due"]))
    for i in range(n):
        kind = "cause-of-concern" if i < 2 else "recommendation" if i < 9 else \
            "area-for-improvement"
        due = _day(rng, dt.date(2023, 9, 1), dt.date(2025, 9, 30))
        if i in late:
            due = _day(rng, dt.date(2024, 10, 1), dt.date(2025, 2, 28))
            status = "open"
        elif due < END:
            status = "closed"
        else:
            status = "on-track"
        rows.append({"ref": f"{'CC' if i < 2 else 'R' if i < 9 else 'AFI'}{i + 1:02d}",
                     "type": kind, "published_on": published.isoformat(),
                     "due_date": due.isoformat(), "status": status})
    return rows


def main() -> None:
    rng = random.Random(SEED)
    _write("icv-visit-log.csv", ["suite", "visit_date", "start_time", "visitors",
                                 "detainees_present", "detainees_offered",
                                 "detainees_accepted", "access_delay_minutes", "delay_reason",
                                 "delay_authorised_rank", "tact_detainee_visited",
                                 "tact_report_to_pcc_date", "tact_report_to_irtl_date",
                                 "issues_raised"], visits(rng))
    _write("icv-issues-log.csv", ["issue_id", "suite", "raised_date", "category",
                                  "force_response_date", "status"], issues(rng))
    _write("icv-appointments.csv", ["icv_ref", "appointed_on", "status", "interviewed",
                                    "independence_declared", "conflict_identified",
                                    "initial_training_on", "first_visit_on"],
           appointments(rng))
    _write("dsi-log.csv", ["incident_ref", "incident_date", "suite", "category",
                           "iopc_referral_date", "learning_actions"], dsi(rng))
    rows = detentions(rng)
    _write("detention-records.csv", list(rows[0]), rows)
    # invented after the record-level files, so they stay as they were
    scheme_record()
    cdsp_record(rng)
    _write("angiolini-action-tracker.csv", ["recommendation", "applies_to_force",
                                            "owner_role", "status"], angiolini(rng))
    _write("custody-inspection-actions.csv", ["ref", "type", "published_on", "due_date",
                                              "status"], inspection(rng))


if __name__ == "__main__":
    main()
