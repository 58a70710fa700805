"""Five indicators of a unit's children computed by hand-written SQL (PostgreSQL), the yardstick of the engine:
per table, the period's rows counted by unit (no join), then joined to the units and summed by the child's path
prefix; nothing the engine's declarations could add. The same numbers as
`engine.compute(CODES, unit, period, by="children")` when no unit reports aggregates."""

from django.db import connection

CODES = ["INSP_SESSIONS", "INSP_VISITS", "TIPS_ON_TIME_PCT", "CASES_CRIMINAL", "COMM_ACTIVITIES"]


_NODE = "substr(u.path, 1, %(n)s + strpos(substr(u.path, %(n)s + 1), '/'))"


def _by_child(per_unit: str) -> str:
    """`per_unit` (unit_id, numerator, denominator per unit) summed onto the current child of the root a unit lies
    under ("VN/31/11311/" → "VN/31/"); the root's own rows keep the root's path. Like the engine's breakdown, rows
    under a unit no longer current (before the 2025 reorganisation) are in no child's row."""
    return f"""
        SELECT {_NODE} AS node, sum(g.num), sum(g.den)
        FROM ({per_unit}) g JOIN geo_adminunit u ON u.id = g.unit_id
        WHERE u.path LIKE %(prefix)s
          AND {_NODE} IN (SELECT path FROM geo_adminunit WHERE valid_to IS NULL)
        GROUP BY 1"""


QUERIES = {
    "INSP_SESSIONS": _by_child("""
        SELECT unit_id, count(*) AS num, NULL::bigint AS den FROM inspections_inspectionsession
        WHERE date BETWEEN %(start)s AND %(end)s GROUP BY unit_id"""),
    "INSP_VISITS": _by_child("""
        SELECT unit_id, count(*) AS num, NULL::bigint AS den FROM inspections_inspectionvisit
        WHERE visited_on BETWEEN %(start)s AND %(end)s GROUP BY unit_id"""),
    # Of the tips received in the period (merged duplicates count once, as the tip they were merged into) that are
    # concluded or past their deadline at the period end: those concluded by their deadline.
    "TIPS_ON_TIME_PCT": _by_child("""
        SELECT unit_id,
               count(*) FILTER (WHERE concluded_on <= %(end)s AND concluded_on <= deadline) AS num,
               count(*) FILTER (WHERE deadline IS NOT NULL AND (concluded_on <= %(end)s OR deadline < %(end)s)) AS den
        FROM tips_tip
        WHERE received_on BETWEEN %(start)s AND %(end)s AND duplicate_of_id IS NULL GROUP BY unit_id"""),
    "CASES_CRIMINAL": _by_child("""
        SELECT unit_id, count(*) AS num, NULL::bigint AS den FROM enforcement_enforcementcase
        WHERE detected_on BETWEEN %(start)s AND %(end)s AND case_type = 'criminal' GROUP BY unit_id"""),
    "COMM_ACTIVITIES": _by_child("""
        SELECT unit_id, count(*) AS num, NULL::bigint AS den FROM outreach_communicationactivity
        WHERE held_on BETWEEN %(start)s AND %(end)s GROUP BY unit_id"""),
}


def compute(unit, period) -> dict:
    """{(code, node path): (numerator, denominator or None)} for the children of `unit` (and its own rows)."""
    params = {"n": len(unit.path), "start": period.start, "end": period.end, "prefix": unit.path + "%"}
    out = {}
    with connection.cursor() as cursor:
        for code, sql in QUERIES.items():
            cursor.execute(sql, params)
            for node, numerator, denominator in cursor.fetchall():
                out[(code, node)] = (numerator, denominator)
    return out


def from_engine(result) -> dict:
    """The engine's values in the same shape, leaving out all-empty rows (SQL has no row for them)."""
    out = {}
    for value in result:
        if value.numerator or value.denominator:
            out[(value.indicator.code, value.unit.path)] = (value.numerator, value.denominator)
    return out


def differences(engine: dict, sql: dict) -> list:
    """[(code, node, engine, sql)] where they differ (a zero or missing denominator counts as none)."""
    def norm(pair):
        numerator, denominator = pair or (0, None)
        return (numerator or 0, denominator or None)

    return [(code, node, engine.get((code, node)), sql.get((code, node)))
            for code, node in sorted(set(engine) | set(sql))
            if norm(engine.get((code, node))) != norm(sql.get((code, node)))]
