"""Five indicators of a unit's children computed by hand-written SQL (PostgreSQL), the yardstick of the engine:
one plain GROUP BY per table on the child's path prefix, nothing the engine's declarations could add. The same
numbers as `engine.compute(CODES, unit, period, by="children")` when no unit reports aggregates."""

from django.db import connection

CODES = ["INSP_SESSIONS", "INSP_VISITS", "TIPS_ON_TIME_PCT", "CASES_CRIMINAL", "COMM_ACTIVITIES"]

# The path of the child of the root a row's unit lies under ("VN/31/11311/" → "VN/31/"); the root's own rows keep
# the root's path.
_NODE = "substr(u.path, 1, %(n)s + strpos(substr(u.path, %(n)s + 1), '/'))"

QUERIES = {
    "INSP_SESSIONS": f"""
        SELECT {_NODE} AS node, count(*), NULL
        FROM inspections_inspectionsession s JOIN geo_adminunit u ON u.id = s.unit_id
        WHERE s.date BETWEEN %(start)s AND %(end)s AND u.path LIKE %(prefix)s
        GROUP BY 1""",
    "INSP_VISITS": f"""
        SELECT {_NODE} AS node, count(*), NULL
        FROM inspections_inspectionvisit v JOIN geo_adminunit u ON u.id = v.unit_id
        WHERE v.visited_on BETWEEN %(start)s AND %(end)s AND u.path LIKE %(prefix)s
        GROUP BY 1""",
    # Of the tips received in the period (merged duplicates count once, as the tip they were merged into) that are
    # concluded or past their deadline at the period end: those concluded by their deadline.
    "TIPS_ON_TIME_PCT": f"""
        SELECT {_NODE} AS node,
               count(*) FILTER (WHERE t.concluded_on <= %(end)s AND t.concluded_on <= t.deadline),
               count(*) FILTER (WHERE t.concluded_on <= %(end)s OR t.deadline < %(end)s)
        FROM tips_tip t JOIN geo_adminunit u ON u.id = t.unit_id
        WHERE t.received_on BETWEEN %(start)s AND %(end)s AND t.duplicate_of_id IS NULL AND u.path LIKE %(prefix)s
        GROUP BY 1""",
    "CASES_CRIMINAL": f"""
        SELECT {_NODE} AS node, count(*), NULL
        FROM enforcement_enforcementcase c JOIN geo_adminunit u ON u.id = c.unit_id
        WHERE c.detected_on BETWEEN %(start)s AND %(end)s AND c.case_type = 'criminal' AND u.path LIKE %(prefix)s
        GROUP BY 1""",
    "COMM_ACTIVITIES": f"""
        SELECT {_NODE} AS node, count(*), NULL
        FROM outreach_communicationactivity a JOIN geo_adminunit u ON u.id = a.unit_id
        WHERE a.held_on BETWEEN %(start)s AND %(end)s AND u.path LIKE %(prefix)s
        GROUP BY 1""",
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
