"""Writing and reading many rows at once: COPY and arrays on PostgreSQL, Django's bulk methods
and IN lists elsewhere (SQLite).

Django's `bulk_update` builds one CASE expression per field per batch, which takes minutes for
100,000 rows of 30 fields; `bulk_create` spends most of its time building SQL. On PostgreSQL
these functions stream the rows with COPY (into the table, or into a temporary table that one
UPDATE ... FROM applies), which is one round trip per call and no SQL building per row.

Both behave like the Django methods they replace: `insert_many` fills auto_now(_add) fields
and marks the objects as saved; `update_many` writes exactly the fields named (by field name,
as `bulk_update` takes them) and nothing else. `values_where_in` and `loaded` read rows by a
set of keys and make them into instances at a fraction of Django's per-object cost.

Inside `pipelined()` (PostgreSQL) the writes go to the server from a thread of their own, in
the order given, on the same connection and in the same transaction, while the caller works
out the next ones: Python and the server work at the same time instead of taking turns."""

import datetime as dt
import json
import operator
import os
import queue
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import F, Lookup, Q
from django.utils import timezone

_SQLITE_BATCH = 2000
_SQLITE_IN = 900
_CHUNK = 10_000
_TEXT = (models.CharField, models.TextField)
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _copy_text(objs: Sequence[models.Model], fields: Sequence[Any], *, add: bool,
               now: Any) -> Iterator[str]:
    """The rows of `objs` in COPY's text format, `_CHUNK` rows a piece, worked out a column
    at a time (a list comprehension per column, not a function call per value: several times
    faster than psycopg's `write_row`). auto_now(_add) fields take `now` (one moment for the
    whole call, as one statement would), set on the objects too."""
    stamped = [isinstance(f, models.DateTimeField) and (f.auto_now or (add and f.auto_now_add))
               for f in fields]
    read = [f.attname for f, stamp in zip(fields, stamped, strict=True) if not stamp]
    row_of = operator.itemgetter(*read) if len(read) > 1 else None
    for start in range(0, len(objs), _CHUNK):
        chunk = objs[start:start + _CHUNK]
        values = _column_values(chunk, read, row_of)
        columns: list[Sequence[str]] = []
        for field, stamp in zip(fields, stamped, strict=True):
            if stamp:
                for obj in chunk:
                    obj.__dict__[field.attname] = now
                columns.append([now.isoformat()] * len(chunk))
            else:
                columns.append(_column_text(field, values[field.attname]))
        yield "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


def _column_values(objs: Sequence[models.Model], attnames: list[str],
                   row_of: Callable[[Any], Any] | None) -> dict[str, Sequence[Any]]:
    """The values of `attnames` of `objs`, a column each: straight from each instance's
    __dict__ (foreign keys' attributes are descriptors), a row at a time (one visit to each
    object's dict, not one per column)."""
    try:
        if row_of is not None:
            return dict(zip(attnames, zip(*map(row_of, [obj.__dict__ for obj in objs]),
                                          strict=True), strict=True))
        return {name: [obj.__dict__[name] for obj in objs] for name in attnames}
    except KeyError:  # a deferred field: Django loads it
        return {name: [getattr(obj, name) for obj in objs] for name in attnames}


def _column_text(field: Any, values: Sequence[Any]) -> Sequence[str]:
    types = set(map(type, values))
    nulls = type(None) in types
    types.discard(type(None))
    if not types:  # nothing but nulls (a decision not made yet, say)
        return [_NULL] * len(values)
    target = field.target_field if field.is_relation else field
    if types <= {str} and isinstance(field, _TEXT):
        if nulls:
            return [_NULL if v is None else _escape(v) for v in values]
        text = "".join(values)  # most columns need no escaping at all: one test for the lot
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
            return [_escape(v) for v in values]
        return values  # all of them str
    if all(issubclass(t, str) for t in types) and isinstance(field, _TEXT):
        # choices (TextChoices members): what Django's get_db_prep_save gives, as text
        return [_NULL if v is None else _escape(str(v)) for v in values]
    if types <= {uuid.UUID} and isinstance(target, models.UUIDField):
        return [_NULL if v is None else "%032x" % v.int for v in values]  # noqa: UP031 (speed)
    if types <= {bool} and isinstance(field, models.BooleanField):
        return [_NULL if v is None else ("t" if v else "f") for v in values]
    if types <= {dt.date} and isinstance(field, models.DateField):
        return [_NULL if v is None else v.isoformat() for v in values]
    if types <= {int} and isinstance(target, models.IntegerField):
        return [_NULL if v is None else str(v) for v in values]
    if types <= {Decimal} and isinstance(field, models.DecimalField):
        return [_NULL if v is None else str(v) for v in values]
    if types <= {float} and isinstance(field, models.FloatField):  # as get_db_prep_save's float
        return [_NULL if v is None else str(v) for v in values]
    if isinstance(field, models.JSONField) and field.encoder is None:
        # JSON text has no raw tab or line end: only its backslashes need doubling
        return [json.dumps(v).replace("\\", "\\\\") for v in values]
    return [_text(field.get_db_prep_save(v, connection)) for v in values]


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPE)
    return text


def _text(value: Any) -> str:
    """One value in COPY's text format, whatever its type."""
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    return _escape(str(value))


# A step of a write: a statement, or (COPY statement, its data in pieces)
_Step = str | tuple[str, Iterable[str]]


class _Writer:
    """A thread that sends steps to the server, in order, on one psycopg connection (psycopg
    connections may be shared between threads; this thread releases the GIL while it waits
    on the server). The first error stops it and is raised to the caller at its next call."""

    def __init__(self, raw: Any):
        self._raw = raw
        self._jobs: queue.Queue[list[_Step] | None] = queue.Queue()
        self._error: BaseException | None = None
        self._abandon = False
        self._thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            steps = self._jobs.get()
            try:
                if steps is None:
                    return
                if self._error is None and not self._abandon:
                    _send(self._raw, steps)
            except BaseException as error:  # raised again in the caller's thread
                self._error = error
            finally:
                self._jobs.task_done()

    def submit(self, steps: list[_Step]) -> None:
        self._raise()
        self._jobs.put(steps)

    def wait(self) -> None:
        """Return once every step submitted has been sent and done."""
        self._jobs.join()
        self._raise()

    def close(self, *, abandon: bool) -> None:
        self._abandon = abandon
        self._jobs.put(None)
        self._thread.join()
        if not abandon:
            self._raise()

    def _raise(self) -> None:
        """Raise the writer's error in the caller's thread, as Django's own error class (an
        IntegrityError where the write broke a constraint), as a query there would."""
        if self._error is not None:
            error, self._error = self._error, None
            self._abandon = True
            with connection.wrap_database_errors:
                raise error


def _send(raw: Any, steps: list[_Step]) -> None:
    with raw.cursor() as cursor:
        _steps_sent(cursor, cursor, steps)


def _steps_sent(cursor: Any, copying: Any, steps: list[_Step]) -> None:
    """Each step in turn: a statement through `cursor`, a COPY (its pieces sent as they are
    worked out) through `copying` (psycopg's own cursor)."""
    for step in steps:
        if isinstance(step, str):
            cursor.execute(step)
            continue
        sql, pieces = step
        with copying.copy(sql) as copy:
            for piece in pieces:
                copy.write(piece)


_WRITER: list[_Writer] = []  # the writer of the `pipelined()` block open, if any


@contextmanager
def pipelined() -> Iterator[None]:
    """Within the block, `insert_many` and `update_many` work out their rows at once but leave
    sending them to a writer thread, so the caller goes on while the server writes. Every
    other query made through Django's connection waits until the writes before it are done
    (so it reads what they wrote), and so does leaving the block, which raises any error a
    write met. The writes are in the caller's transaction: use inside `transaction.atomic()`.
    Elsewhere than PostgreSQL, and within a block already open, it does nothing."""
    if connection.vendor != "postgresql" or _WRITER or not connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    writer = _Writer(connection.connection)

    def in_turn(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                context: Any) -> Any:
        writer.wait()
        return execute(sql, params, many, context)

    _WRITER.append(writer)
    try:
        with connection.execute_wrapper(in_turn):
            yield
    except BaseException:
        _WRITER.clear()
        writer.close(abandon=True)
        raise
    _WRITER.clear()
    writer.close(abandon=False)


def pipelining() -> bool:
    """Whether writes go through the writer of an open `pipelined()` block."""
    return bool(_WRITER)


def _write(steps: list[_Step]) -> None:
    """Send `steps` now (a COPY's pieces worked out as they are sent), or through the writer
    of the open `pipelined()` block (its pieces worked out first, here)."""
    if _WRITER:
        _WRITER[0].submit([s if isinstance(s, str) else (s[0], list(s[1])) for s in steps])
        return
    with connection.cursor() as cursor:
        _steps_sent(cursor, cursor.cursor, steps)


def insert_many(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert `objs` (primary keys already set, as every BaseModel's UUID is)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=_SQLITE_BATCH)
        return
    objs = list(objs)
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    pieces = _copy_text(objs, fields, add=True, now=timezone.now())
    _write([(f"COPY {table} ({columns}) FROM STDIN", pieces)])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def update_many(model: type[models.Model], objs: Iterable[models.Model], fields: Sequence[str]) -> int:
    """Write `fields` of each object in `objs` to its row (matched by primary key). Returns how
    many objects were given (the last one wins where an object appears twice)."""
    by_pk = {obj.pk: obj for obj in objs}
    if not by_pk:
        return 0
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(list(by_pk.values()), list(fields),
                                           batch_size=_SQLITE_BATCH)
        return len(by_pk)
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    targets: list[Any] = [pk, *(meta.get_field(name) for name in fields)]
    qn = connection.ops.quote_name
    table, scratch = qn(meta.db_table), qn(f"_update_{meta.db_table}")
    columns = [qn(str(f.column)) for f in targets]
    key = columns[0]
    assignments = ", ".join(f"{c} = s.{c}" for c in columns[1:])
    select = f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608 (names from the model)
    update = f"UPDATE {table} AS t SET {assignments} FROM {scratch} AS s"  # noqa: S608
    pieces = _copy_text(list(by_pk.values()), targets, add=False, now=timezone.now())
    _write([f"DROP TABLE IF EXISTS {scratch}",
            f"CREATE TEMPORARY TABLE {scratch} AS {select} WITH NO DATA",
            (f"COPY {scratch} FROM STDIN", pieces),
            f"{update} WHERE t.{key} = s.{key}",
            f"DROP TABLE {scratch}"])
    return len(by_pk)


_VARIANT_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_VARIANT_SET = (0x8000 << 48) | (4 << 76)
_RANDOM: list[int] = []  # 128-bit numbers from os.urandom, taken with pop() (atomic)
os.register_at_fork(after_in_child=_RANDOM.clear)  # a child process must not reuse them


def new_uuid() -> uuid.UUID:
    """`uuid.uuid4()` at a third of the cost (the same bits from os.urandom, drawn 4,096 at a
    time; no UUID.__init__ checks): an import makes hundreds of thousands."""
    while True:
        try:
            number = _RANDOM.pop()
            break
        except IndexError:
            block = os.urandom(16 * 4096)
            _RANDOM.extend(int.from_bytes(block[i:i + 16]) & _VARIANT_CLEAR | _VARIANT_SET
                           for i in range(0, len(block), 16))
    value = object.__new__(uuid.UUID)
    object.__setattr__(value, "int", number)
    object.__setattr__(value, "is_safe", uuid.SafeUUID.unknown)
    return value


def ordered_uuid_hex(count: int) -> Any:
    """`count` time-ordered UUIDs as an Arrow array of 32 hex digits, rising in array order:
    core.rows.ordered_uuid_texts's layout (milliseconds since 1970, 12 random bits of this
    call's own, a 30-bit count, 32 random bits), made a column at a time (a million rows'
    keys in a fraction of a second, where one call per key took seconds)."""
    import numpy as np
    import pyarrow as pa

    seed = int.from_bytes(os.urandom(8))
    high = _millis() << 16 | 7 << 12 | seed % 4096
    numbers = np.empty((count, 2), dtype=">u8")
    numbers[:, 0] = high
    counter = np.arange(count, dtype=np.uint64) & np.uint64(0x3FFFFFFF)
    random = np.frombuffer(os.urandom(4 * count), dtype=np.uint32).astype(np.uint64)
    numbers[:, 1] = np.uint64(0b10 << 62) | counter << np.uint64(32) | random
    digits = _HEX[numbers.view(np.uint8)]  # (count, 16) pairs of hex digits: 32 bytes a key
    offsets = np.arange(0, 32 * count + 1, 32, dtype=np.int32)
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets),
                                       pa.py_buffer(np.ascontiguousarray(digits)))


def _millis() -> int:
    import time

    return time.time_ns() // 1_000_000


class _Hex:
    """The two hex digits of each byte, as a numpy lookup table (made on first use)."""

    table: Any = None

    def __getitem__(self, index: Any) -> Any:
        import numpy as np

        if self.table is None:
            self.table = np.array([f"{i:02x}".encode() for i in range(256)], dtype="S2")
        return self.table[index]


_HEX = _Hex()


class _Shape:
    """What `build` needs to know of a model, worked out once: fixed defaults, defaults to
    call, the attributes it may write straight into an instance, and foreign keys by name."""

    def __init__(self, model: type[models.Model]):
        self.fixed: dict[str, Any] = {}
        self.made: list[tuple[str, Any]] = []
        self.direct: set[str] = set()
        self.related: dict[str, str] = {}
        for f in model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                self.made.append((f.attname, new_uuid if f.default is uuid.uuid4 else f.default))
            else:
                self.fixed[f.attname] = f.get_default()
            self.direct.add(f.attname)
            if f.is_relation:
                self.related[f.name] = f.attname


_SHAPES: dict[type[models.Model], _Shape] = {}


def _shape(model: type[models.Model]) -> _Shape:
    if model not in _SHAPES:
        _SHAPES[model] = _Shape(model)
    return _SHAPES[model]


def build(model: type[models.Model], **values: Any) -> Any:
    """`model(**values)` without Django's Model.__init__, which costs tens of microseconds an
    object (an import of 100,000 rows makes close to a million). Every field gets its default
    unless given; related objects may be given by field name (`child=child`) or id
    (`child_id=...`). No pre_init/post_init signals are sent (none of our models uses them)."""
    shape = _shape(model)
    obj = model.__new__(model)
    state = obj._state = models.base.ModelState()
    attrs = obj.__dict__
    attrs.update(shape.fixed)
    for attname, default in shape.made:
        attrs[attname] = default()
    for name, value in values.items():
        if name in shape.related:
            attrs[shape.related[name]] = None if value is None else value.pk
            state.fields_cache[name] = value
        elif name in shape.direct:
            attrs[name] = value
        else:
            setattr(obj, name, value)
    return obj


def loaded(model: type[models.Model], attnames: Sequence[str],
           rows: Iterable[Sequence[Any]]) -> list[Any]:
    """Model instances from rows of `attnames` values (as `values_list` or a cursor gives
    them), made as `build` makes them and marked as saved. The fields not named are left
    deferred, as `only()` would leave them."""
    alias = connection.alias
    names = tuple(attnames)
    objs = []
    new = model.__new__
    for row in rows:
        obj = new(model)
        state = obj._state = models.base.ModelState()
        state.adding, state.db = False, alias
        obj.__dict__.update(zip(names, row, strict=True))
        objs.append(obj)
    return objs


def values_where_in(model: type[models.Model], field: str, values: Iterable[Any],
                    attnames: Sequence[str], **equal: Any) -> list[tuple[Any, ...]]:
    """`values_list(*attnames)` of the rows whose `field` is one of `values` (and each field
    named in `equal` has the value given): one query with the values as an array on
    PostgreSQL (`= ANY(%s)`: no 100,000-item IN list to build or parse), chunks of Django's
    IN elsewhere."""
    wanted = list(dict.fromkeys(values))
    if not wanted:
        return []
    if connection.vendor != "postgresql":
        manager = model._default_manager
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(wanted), _SQLITE_IN):
            chunk = wanted[start:start + _SQLITE_IN]
            rows += manager.filter(**{f"{field}__in": chunk}, **equal).values_list(*attnames)
        return rows
    meta = model._meta
    qn = connection.ops.quote_name

    def column(name: str) -> str:
        f = meta.get_field(name)
        assert isinstance(f, models.Field)
        return qn(str(f.column))

    array, literal = _array(wanted)
    where = " AND ".join([f"{column(field)} = ANY({array})", *(f"{column(n)} = %s" for n in equal)])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(column(a) for a in attnames)} "  # noqa: S608
                       f"FROM {qn(meta.db_table)} WHERE {where}", [literal, *equal.values()])
        return cursor.fetchall()


def _array(values: list[Any]) -> tuple[str, Any]:
    """(placeholder, parameter) passing `values` as one PostgreSQL array: written as the
    array's text for ids and text (psycopg adapts a list item by item, several times slower)."""
    types = set(map(type, values))
    if types == {uuid.UUID}:
        return "%s::uuid[]", "{" + ",".join(["%032x" % v.int for v in values]) + "}"  # noqa: UP031
    if types == {str}:
        text = "".join(values)
        if "\\" in text or '"' in text:  # row hashes and the like have neither: no copy each
            values = [v.replace("\\", "\\\\").replace('"', '\\"') for v in values]
        return "%s::text[]", '{"' + '","'.join(values) + '"}'
    return "%s", values


# more values than this go to PostgreSQL as one array (`= ANY(%s)`), not an IN list with a
# placeholder each: psycopg splitting the text of 10,000 placeholders, and the server parsing
# and planning them, cost more than answering (48,606 children assessed after an agency import:
# the risk facts took 29 s, most of it sending the ids)
_ARRAY_OVER = 100


def any_of(field: str, values: Iterable[Any]) -> Q:
    """`field` is one of `values`, for a queryset's filter: one array on PostgreSQL when they
    are many (as `values_where_in` sends them), Django's IN elsewhere."""
    values = list(values)
    if len(values) > _ARRAY_OVER and connection.vendor == "postgresql":
        return Q(_AnyOf(F(field), values))
    return Q(**{f"{field}__in": values})


class _AnyOf(Lookup):
    """`field = ANY(array)`, the values passed as one PostgreSQL array (`_array`)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if isinstance(self.lhs.output_field, models.UUIDField) and {type(v) for v in values} == {str}:
            # ids already as text (hex or hyphenated: a batch's follow-up keeps them so): one
            # uuid[] literal, no UUID object each
            return f"{lhs} = ANY(%s::uuid[])", (*params, "{" + ",".join(values) + "}")
        placeholder, array = _array(values)
        return f"{lhs} = ANY({placeholder})", (*params, array)


def arrow_values(rows: Any, names: Sequence[str], dates: Sequence[str] = ()) -> Any:
    """A `values_list` queryset's rows as an Arrow table of text columns named `names` (ids as
    their hyphenated text, as str() writes them), but the columns in `dates` (date32); empty
    text is null, as `value or None` makes it. On PostgreSQL the query's rows come through
    COPY as CSV that Arrow reads (no Python object per value: half a million agency people in
    a second or two, where Django's rows took 15 s); elsewhere from the queryset. The query
    is the queryset's own SQL, so the rows come in the order it gives them."""
    import pyarrow as pa

    if connection.vendor != "postgresql":
        columns = list(zip(*rows, strict=True)) or [() for _ in names]
        return pa.table({name: pa.array(
            [v or None for v in column] if name in dates else
            [None if v is None or v == "" else str(v) for v in column],
            pa.date32() if name in dates else pa.string())
            for name, column in zip(names, columns, strict=True)})
    import io

    import pyarrow.csv as pa_csv

    types = {name: pa.date32() if name in dates else pa.string() for name in names}
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a query Django knows selects nothing (`none()`, `__in=[]`)
        sql = ""
    data = io.BytesIO()
    if sql:
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params or None) as copy:
            for block in copy:
                data.write(block)
    if not data.tell():
        return pa.table({name: pa.array([], kind) for name, kind in types.items()})
    data.seek(0)
    return pa_csv.read_csv(data, read_options=pa_csv.ReadOptions(column_names=list(names)),
                           parse_options=pa_csv.ParseOptions(newlines_in_values=True),
                           convert_options=pa_csv.ConvertOptions(
                               column_types=types, null_values=[""], strings_can_be_null=True,
                               quoted_strings_can_be_null=True))
