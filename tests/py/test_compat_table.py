"""The compatibility table (docs/compat.md) is true for Python: every row of
tests/compat/py.json that says nats_wasm has a name finds it under the same
module path (``nats`` → ``nats_wasm``), every "missing"/"n/a" name is not
there (deviation, missing, n/a), and every nats.py ``connect()`` keyword is accepted (never a
TypeError): ours take it, or take it only at its "off" value."""

import importlib
import inspect
import json

import nats_wasm._connect as connect_module

with open("/nats/compat/py.json") as f:
    ROWS = json.load(f)

HAS = {"same", "differs"}
PARAMS = inspect.signature(connect_module.connect_into).parameters
ACCEPTED_OFF = set(connect_module._UNSUPPORTED) | set(connect_module._OFF_ONLY) | set(
    connect_module._IGNORED)


def _resolve(module, dotted):
    try:
        obj = importlib.import_module("nats_wasm" + module[len("nats"):])
    except ImportError:
        return None
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _has_member(cls, name):
    if cls is None:
        return False
    if hasattr(cls, name) or name in getattr(cls, "__dataclass_fields__", {}):
        return True
    if name in getattr(cls, "__annotations__", {}):
        return True
    try:
        return name in inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return False


def _present(row):
    if row["kind"] == "export":
        return _resolve(row["module"], row["name"]) is not None
    cls_path, _, member = row["name"].rpartition(".")
    return _has_member(_resolve(row["module"], cls_path), member)


async def test_every_python_row_is_true_of_nats_wasm():
    wrong = []
    for row in ROWS:
        if row["kind"] == "option" or row.get("instance"):
            continue
        expected = row["status"] in HAS and not row.get("absent")
        if _present(row) != expected:
            wrong.append(f"{row['module']}:{row['name']} says {row['status']}")
    assert wrong == [], wrong


async def test_every_nats_py_connect_keyword_is_accepted():
    wrong = []
    for row in ROWS:
        if row["kind"] != "option":
            continue
        option = row["name"].split(".", 1)[1]
        if row["status"] == "same":
            ok = option in PARAMS
        else:  # accepted at its "off" value; a clear error when set (or ignored)
            ok = option in ACCEPTED_OFF and option not in PARAMS
        if not ok:
            wrong.append(f"{option} says {row['status']}")
    assert wrong == [], wrong


async def test_rows_that_are_not_same_say_why():
    assert [r["name"] for r in ROWS if r["status"] != "same" and not r.get("note")] == []
    assert len(ROWS) > 300
