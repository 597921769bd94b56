"""Date bucketing in SQL, the same answer on SQLite and PostgreSQL.

Reports GROUP BY these expressions so the database, not Python, folds rows
into weeks and months.
"""

from sqlalchemy import Date, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class week_start(FunctionElement):
    """The Monday of the week a date falls in (a week runs Monday to Sunday)."""

    type = Date()
    name = "week_start"
    inherit_cache = True


class month_key(FunctionElement):
    """'YYYY-MM' of a date."""

    type = String()
    name = "month_key"
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element, compiler, **kw):
    # 'weekday 0' moves forward to the next Sunday (or stays on one); six days back is its Monday.
    return "date(%s, 'weekday 0', '-6 days')" % compiler.process(element.clauses, **kw)


@compiles(week_start, "postgresql")
def _week_start_postgresql(element, compiler, **kw):
    return "CAST(date_trunc('week', %s) AS DATE)" % compiler.process(element.clauses, **kw)


@compiles(month_key, "sqlite")
def _month_key_sqlite(element, compiler, **kw):
    return "strftime('%%Y-%%m', %s)" % compiler.process(element.clauses, **kw)


@compiles(month_key, "postgresql")
def _month_key_postgresql(element, compiler, **kw):
    return "to_char(%s, 'YYYY-MM')" % compiler.process(element.clauses, **kw)


@compiles(week_start)
@compiles(month_key)
def _for_display(element, compiler, **kw):
    # Other dialects (and str(statement) while debugging) see a plain function call.
    return "%s(%s)" % (element.name, compiler.process(element.clauses, **kw))
