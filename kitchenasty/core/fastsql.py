"""Hot-path SQL: SQLAlchemy Core statements compiled once, executed straight on the SQLite DBAPI cursor.

Measured on the 2-core box: a cached Core `Connection.execute` costs ~45-55 µs of Python per statement, the same
statement on the raw `sqlite3` cursor ~5 µs. Placing an order runs about a dozen statements, so on the hot paths
(`Database.run_write` / `run_read`) services call `fast(session)` and get an object with the small part of the
`Connection.execute` API they use (`first`, `one`, `scalar`, `all`, `scalars`, `rowcount`, iteration, rows with
attribute access). Types are handled by SQLAlchemy's own bind and result processors of the compiled statement, so
values read and written are exactly those of the ORM path.

Only SQLite takes the shortcut; on any other dialect `fast(session)` is the session's ordinary `Connection`, so the
same service code runs on PostgreSQL unchanged.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any, ClassVar, Protocol, cast

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_POSTCOMPILE = re.compile(r"__\[POSTCOMPILE_(\w+)\]")
_FAST_KEY = "kitchenasty.fastsql"


class _Constant:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self) -> Any:
        return self.value


class _Call:
    __slots__ = ("fn",)

    def __init__(self, fn: Any) -> None:
        self.fn = fn

    def __call__(self) -> Any:
        return self.fn(None)  # SQLAlchemy wraps zero-argument defaults to take an execution context


_DEFAULTS = (_Constant, _Call)


class _Compiled:
    """One statement compiled for the SQLite dialect, ready for the raw cursor."""

    __slots__ = ("converters", "defaults", "expanding", "names", "processors", "result_keys", "sql")

    def __init__(self, stmt: ClauseElement, dialect: Dialect, column_keys: tuple[str, ...] | None = None) -> None:
        # As `Connection.execute` does: an INSERT/UPDATE names only the columns it was given values for (and those
        # with a Python-side default), so a column with a server default keeps it instead of being set to NULL
        # the SQL compiler's state, not in `Compiled`'s public type: positiontup, binds, _bind_processors
        compiled = cast(
            SQLCompiler,
            stmt.compile(dialect=dialect, column_keys=list(column_keys) if column_keys is not None else None),
        )
        self.sql = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.expanding = {name for name, bind in compiled.binds.items() if bind.expanding}
        # literal values inside the statement (`.where(col == "READY")`, `.limit(1)`) are binds with a value;
        # a column missing from the parameters takes its Python-side default (INSERT) or onupdate (UPDATE), as
        # Core applies them
        self.defaults: dict[str, Any] = {
            name: bind.effective_value
            for name, bind in compiled.binds.items()
            if bind.value is not None and not bind.required
        }
        table = getattr(stmt, "table", None)
        is_insert, is_update = getattr(stmt, "is_insert", False), getattr(stmt, "is_update", False)
        if (is_insert or is_update) and table is not None:
            for column in table.columns:
                default = column.default if is_insert else column.onupdate
                if column.key in self.defaults or default is None:
                    continue
                if default.is_scalar:
                    self.defaults[column.key] = _Constant(default.arg)
                elif default.is_callable:
                    self.defaults[column.key] = _Call(default.arg)
        self.processors: dict[str, Any] = dict(compiled._bind_processors)
        columns = getattr(compiled, "_result_columns", None) or []
        self.result_keys: tuple[str, ...] = tuple(col[0] for col in columns)
        processors = (col[3]._cached_result_processor(dialect, None) for col in columns)
        # only the columns whose type needs converting (dates, booleans, JSON): most columns come back as is
        self.converters: tuple[tuple[int, Any], ...] = tuple(
            (index, processor) for index, processor in enumerate(processors) if processor is not None
        )

    def bind(self, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL (expanding IN lists rendered as `?, ?, ...`) and the positional parameters."""
        out: list[Any] = []
        processors, defaults = self.processors, self.defaults
        counts: dict[str, int] = {}
        for name in self.names:
            if name in params:
                value = params[name]
            else:
                value = defaults.get(name)
                if isinstance(value, _DEFAULTS):
                    value = value()
            processor = processors.get(name)
            if name in self.expanding:
                values = list(value or ())
                counts[name] = len(values)
                out.extend(processor(v) if processor else v for v in values)
                continue
            out.append(processor(value) if processor is not None and value is not None else value)
        if not counts:
            return self.sql, out
        sql = _POSTCOMPILE.sub(
            lambda m: ", ".join("?" * counts[m.group(1)]) if counts[m.group(1)] else "NULL", self.sql
        )
        return sql, out


class Row(tuple):
    """A result row: a tuple whose columns are also attributes (`row.status`)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    """The column names (set on each subclass by `_row_class`)."""

    def _asdict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in type(self)._fields}


def _row_class(keys: tuple[str, ...]) -> type[Row]:
    """A Row subclass with one property per column (a descriptor lookup, not a failed-lookup `__getattr__`)."""
    attrs: dict[str, Any] = {"__slots__": (), "_fields": keys}
    for index, key in enumerate(keys):
        attrs[key] = property(itemgetter(index))
    return type("Row", (Row,), attrs)


class FastResult:
    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return self._rows

    def first(self) -> Row | None:
        return self._rows[0] if self._rows else None

    def one(self) -> Row:
        if len(self._rows) != 1:
            raise LookupError(f"expected one row, got {len(self._rows)}")
        return self._rows[0]

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalars(self) -> FastResult:
        return FastResult([row[0] for row in self._rows], self.rowcount)


class FastConnection:
    """Executes compiled Core statements on the raw sqlite3 connection of a SQLAlchemy `Connection`."""

    _cache: OrderedDict[tuple[int, tuple[str, ...] | None], tuple[ClauseElement, _Compiled, type[Row] | None]] = (
        OrderedDict()
    )
    _lock = threading.Lock()
    CACHE_SIZE = 256
    """Compiled statements kept (most recently used): the hot paths' module-level statements stay; statements
    built per call (filters) are compiled and evicted in turn."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        self._cursor = raw_connection(connection).cursor()
        self._dbapi_error = self.dialect.loaded_dbapi.Error

    def data_version(self) -> int:
        """SQLite's counter that moves when another connection commits (`PRAGMA data_version`)."""
        return int(self._cursor.execute("PRAGMA data_version").fetchone()[0])

    def _compiled(self, stmt: ClauseElement, params: Mapping[str, Any] | None) -> tuple[_Compiled, type[Row] | None]:
        column_keys = tuple(params) if params is not None and getattr(stmt, "is_dml", False) else None
        key = (id(stmt), column_keys)
        cache = self._cache
        with self._lock:  # reader threads and the event loop share the cache
            hit = cache.get(key)
            if hit is not None and hit[0] is stmt:
                cache.move_to_end(key)
                return hit[1], hit[2]
        compiled = _Compiled(stmt, self.dialect, column_keys)
        row_class = _row_class(compiled.result_keys) if compiled.result_keys else None
        with self._lock:
            cache[key] = (stmt, compiled, row_class)  # holding the statement keeps its id() from being reused
            if len(cache) > self.CACHE_SIZE:
                cache.popitem(last=False)
        return compiled, row_class

    def execute(
        self, stmt: ClauseElement, params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None
    ) -> FastResult:
        cursor = self._cursor
        if isinstance(params, Sequence) and not isinstance(params, Mapping):
            if not params:
                return FastResult([], 0)
            compiled, row_class = self._compiled(stmt, params[0])
            if compiled.expanding:
                raise ValueError("executemany with expanding parameters is not supported")
            bound = [compiled.bind(p)[1] for p in params]
            try:
                cursor.executemany(compiled.sql, bound)
            except self._dbapi_error as exc:
                raise DBAPIError.instance(compiled.sql, bound, exc, self._dbapi_error, ismulti=True) from exc
            return FastResult([], cursor.rowcount)
        compiled, row_class = self._compiled(stmt, params or {})
        sql, args = compiled.bind(params or {})
        try:
            cursor.execute(sql, args)
        except self._dbapi_error as exc:  # the same exception classes (IntegrityError, ...) as SQLAlchemy raises
            raise DBAPIError.instance(sql, args, exc, self._dbapi_error) from exc
        if row_class is None:
            return FastResult([], cursor.rowcount)
        converters = compiled.converters
        if not converters:
            return FastResult(list(map(row_class, cursor.fetchall())), cursor.rowcount)
        rows = []
        for raw in cursor.fetchall():
            values = list(raw)
            for index, convert in converters:
                if values[index] is not None:
                    values[index] = convert(values[index])
            rows.append(row_class(values))
        return FastResult(rows, cursor.rowcount)


class HotUnit:
    """The transaction of `Database.run_write` on SQLite: the writer's fast executor and the event queue."""

    __slots__ = ("fast", "info")

    def __init__(self, executor: FastConnection) -> None:
        self.fast = executor
        self.info: dict[str, Any] = {}


class HotResult(Protocol):
    """What the hot paths read from a result, whichever executor ran it (rows are addressed by column name)."""

    @property
    def rowcount(self) -> int: ...
    def __iter__(self) -> Iterator[Any]: ...
    def all(self) -> Sequence[Any]: ...
    def first(self) -> Any: ...
    def one(self) -> Any: ...
    def scalar(self) -> Any: ...
    def scalar_one(self) -> Any: ...
    def scalars(self) -> Any: ...


class HotExecutor(Protocol):
    """`FastConnection` on SQLite, SQLAlchemy's `Connection` elsewhere: the part of `execute` the hot paths use."""

    @property
    def dialect(self) -> Dialect: ...
    def execute(self, statement: Any, parameters: Any = None, /) -> HotResult: ...


def raw_connection(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy `Connection` (only the SQLite hot paths reach it)."""
    return cast(sqlite3.Connection, connection.connection.driver_connection)


def rowcount(result: Any) -> int:
    """Rows an UPDATE/DELETE matched (SQLAlchemy types `execute` results as `Result`, without `rowcount`)."""
    return int(result.rowcount or 0)


def fast(session: Session | HotUnit) -> HotExecutor:
    """The hot-path executor for this transaction (the plain `Connection` on non-SQLite databases)."""
    if isinstance(session, HotUnit):
        return session.fast
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return cast(HotExecutor, connection)
    cached = session.info.get(_FAST_KEY)
    if cached is None or cached.connection is not connection:
        cached = session.info[_FAST_KEY] = FastConnection(connection)
    return cached
