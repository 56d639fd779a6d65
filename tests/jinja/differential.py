#!/usr/bin/env python3
"""Jinja2 differential tests: the engine's Jinja text against Python's Jinja2.

Python's Jinja2 is the reference for what a notice template prints. This script renders every
case of `tests/jinja/cases/` and then a stream of generated templates with both Jinja2 and the
engine's `jinja_text` example (one engine process, JSON lines), and compares the texts exactly.

Usage (from the repository root):

    tests/.venv/bin/python tests/jinja/differential.py            # corpus + 1,000 generated
    tests/.venv/bin/python tests/jinja/differential.py --cases 5000 --seed 42
    tests/.venv/bin/python tests/jinja/differential.py --seed 42 --gen-case 17 --verbose
    tests/.venv/bin/python tests/jinja/differential.py --quiet     # failing case names only
    tests/.venv/bin/python tests/jinja/differential.py --minimize  # failures shrunk to a minimum

The engine binary comes from `JINJA_TEXT_BIN` (default src-tauri/target/debug/examples/jinja_text),
built with `cargo build -p notice-engine --example jinja_text --no-default-features`.

Exit status: 0 all passed, 1 some case failed, 2 harness error (no engine, bad corpus case, a
generated template Jinja2 itself rejects). Standard library and jinja2 only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import selectors
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
DEFAULT_BIN = str(Path(__file__).resolve().parents[2] / "src-tauri/target/debug/examples/jinja_text")
# Diagnostics the engine must not report for a template Jinja2 renders fine.
BAD_CODES = {"render-error", "syntax"}
ENGINE_TIMEOUT_S = 30.0

# Corpus cases where minijinja itself (the library, as the engine configures it: core builtins,
# no minijinja-contrib) prints something other than Jinja2, checked against plain minijinja
# 2.24. They still run; one that differs is reported as a known difference, not a failure, and one
# that agrees is a pass (then drop it from this table). None of these constructs is generated.
KNOWN_DIFFERENCES = {
    "904-known-modulo-negative": "% and // with a negative divisor: minijinja uses Euclidean "
    "remainder (7 % -3 = 1), Python floors (7 % -3 = -2)",
    "907-known-truncate": "truncate: not among minijinja's builtin filters (unknown filter)",
    "911-known-is-number-bool": "a boolean is a number in Jinja2 (bool subclasses int), not in "
    "minijinja",
    "912-known-mapping-order": "a mapping's keys iterate in insertion order in Jinja2, sorted in "
    "minijinja as the engine builds it (serde_json and minijinja without preserve_order)",
    "913-known-wordwrap": "wordwrap: not among minijinja's builtin filters (unknown filter)",
    "915-known-sort-non-ascii": "sort/dictsort: minijinja's case-insensitive comparison folds "
    "ASCII letters only without its `unicode` feature (Ü sorts before ü), Jinja2 lowercases all",
    "917-known-macro-varargs": "varargs/kwargs in macros: minijinja rejects extra arguments "
    "(too many arguments)",
}
# Plain minijinja also differs from Jinja2 on these, but the engine prints what Jinja2 prints, so
# they are ordinary cases (the generator still leaves them out): lists and mappings printed as
# Python does (022-025), round halves to even and round's method (160, 168), title after
# punctuation (161), Python string and dict methods (162, 163), wordcount, center, striptags
# (164-166), floats in exponent notation (167).


class HarnessError(Exception):
    """Something wrong with the harness, the corpus or the engine binary, not a divergence."""


@dataclass
class Case:
    name: str
    template: str
    values: dict
    dir: str | None = None
    file_name: str = "case.md"
    seed_note: str = ""  # how to reproduce a generated case
    expected: str = ""  # Jinja2's text
    answer: dict = field(default_factory=dict)
    ref_error: str | None = None  # Jinja2's error, if it rejects the case


# --------------------------------------------------------------------------------------------
# Jinja2, the reference
# --------------------------------------------------------------------------------------------


def jinja_env(folder: str | None) -> jinja2.Environment:
    # keep_trailing_newline=True: the engine keeps a template's final newline (minijinja does by
    # the engine's choice), Jinja2 drops it by default. Everything else is Jinja2's default.
    return jinja2.Environment(
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.Undefined,
        loader=jinja2.FileSystemLoader(folder) if folder else None,
    )


_STRING_ENV = jinja_env(None)
# The minimizer keeps only candidates that use no undefined variable (except in `is defined` and
# `default`): Jinja2 prints some operations on Undefined oddly (`<reversed object at 0x…>`).
_STRICT_ENV = jinja2.Environment(keep_trailing_newline=True, autoescape=False, undefined=jinja2.StrictUndefined)


def jinja_render(case: Case) -> str:
    if case.dir:
        return jinja_env(case.dir).get_template(case.file_name).render(case.values)
    return _STRING_ENV.from_string(case.template).render(case.values)


# --------------------------------------------------------------------------------------------
# The engine, one process answering JSON lines
# --------------------------------------------------------------------------------------------


class Engine:
    def __init__(self, path: str):
        if not os.access(path, os.X_OK):
            raise HarnessError(
                f"engine binary {path} not found or not executable; build it with\n"
                "  cd src-tauri && cargo build "
                "-p notice-engine --example jinja_text\n"
                "or point JINJA_TEXT_BIN at it"
            )
        self.path = path
        self.proc = None
        self.stderr = None
        self.restarts = 0
        self._start()

    def _start(self):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [self.path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr
        )
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)

    def _stderr_tail(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-2000:]

    def _restart(self):
        try:
            self.proc.kill()
            self.proc.wait(timeout=5)
        except Exception:  # noqa: BLE001 - best effort
            pass
        self.restarts += 1
        self._start()

    def ask(self, case: Case) -> dict:
        req = {"template": case.template, "values": case.values, "name": case.file_name}
        if case.dir:
            req["dir"] = case.dir
        try:
            self.proc.stdin.write((json.dumps(req) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except BrokenPipeError:
            tail = self._stderr_tail()
            self._restart()
            return {"error": f"engine process had exited before this case; stderr:\n{tail}"}
        if not self.sel.select(timeout=ENGINE_TIMEOUT_S):
            self._restart()
            return {"error": f"engine gave no answer within {ENGINE_TIMEOUT_S:.0f} s (killed)"}
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=5)
            tail = self._stderr_tail()
            code = self.proc.returncode
            self._restart()
            return {"error": f"engine process died (exit {code}) on this case; stderr:\n{tail}"}
        try:
            return json.loads(line)
        except json.JSONDecodeError as e:
            raise HarnessError(f"engine answered something that is not JSON: {line[:200]!r}") from e

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001
            self.proc.kill()


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------


def load_corpus(pattern: str | None) -> list[Case]:
    cases = []
    if not CASES_DIR.is_dir():
        raise HarnessError(f"no corpus folder {CASES_DIR}")
    for p in sorted(CASES_DIR.iterdir()):
        if pattern and not re.search(pattern, p.name):
            continue
        if p.is_file() and p.suffix == ".txt":
            text = p.read_text(encoding="utf-8")
            ctx, sep, template = text.partition("\n---\n")
            if not sep:
                raise HarnessError(f"{p}: no line '---' between the context and the template")
            try:
                values = json.loads(ctx)
            except json.JSONDecodeError as e:
                raise HarnessError(f"{p}: context is not JSON: {e}") from e
            cases.append(Case(name=p.stem, template=template, values=values))
        elif p.is_dir():
            main, ctx = p / "main.md", p / "context.json"
            if not main.is_file() or not ctx.is_file():
                raise HarnessError(f"{p}: a folder case needs main.md and context.json")
            cases.append(
                Case(
                    name=p.name,
                    template=main.read_text(encoding="utf-8"),
                    values=json.loads(ctx.read_text(encoding="utf-8")),
                    dir=str(p),
                    file_name="main.md",
                )
            )
    for name in KNOWN_DIFFERENCES:
        if not pattern and not any(c.name == name for c in cases):
            raise HarnessError(f"KNOWN_DIFFERENCES names {name}, which is not a corpus case")
    return cases


# --------------------------------------------------------------------------------------------
# The generator: random well-formed templates over random data, limited to constructs where
# Jinja2 and minijinja agree by design (see KNOWN_DIFFERENCES for what is left out and why: no
# round, no title on punctuation, no printed lists/mappings/booleans-as-numbers, no % or // with
# negative operands, no Python methods, no filters minijinja lacks, mapping keys sorted).
# --------------------------------------------------------------------------------------------

# Strings from data: Markdown-special characters, non-ASCII, quotes, things that look like tags.
ANY_STRINGS = [
    "Acme Corp",
    "*bold* claim",
    "snake_case_name",
    "# not a heading",
    "[link](https://example.com)",
    "<b>bold</b> & co",
    "`code` span",
    "a | b | c",
    "50% off",
    "O'Brien",
    'say "hi"',
    "back\\slash",
    "line one\nline two",
    "{{ not a tag }}",
    "{% neither %}",
    "x_y*z",
    "-- dash",
    "1. not a list",
    "> quote",
    "~tilde~",
    "a.b.c",
    "",
    "  spaced  ",
    "Ünïcödé: 東京 → Zürich",
    "emoji 🙂 ok",
    "&amp; &lt;",
    "$5 + €3",
    "_under_ **strong**",
    "!important",
]
# Strings title/capitalize treat alike in both (letters, digits, spaces, hyphens).
PLAIN_STRINGS = [
    "acme",
    "hello world",
    "Amazon Web Services",
    "cloudflare",
    "irc",
    "slack",
    "zürich",
    "naïve café",
    "élan vital",
    "mIxEd CaSe",
    "UPPER lower",
    "two-part name",
    "data 2nd edition",
    "ünïcode",
    "東京",
    "eu",
    "us",
    "ålesund fjord",
]
INTS = [0, 1, 2, 3, 7, 10, 12, 30, 42, 90, 91, 100, 365, -1, -5, -12]
FLOATS = [0.5, 1.25, 2.5, 3.75, 10.5, 12.25, 99.95, 0.1, 7.2, -1.5, 19.99, 3.0, 100.0, 0.25]
TEXT_PIECES = [
    "Dear customer, ",
    "\n",
    "\n",
    "\n\n",
    "## Heading\n",
    "- item ",
    "**Note:** ",
    " | ",
    "  ",
    " ",
    " ",
    "1. ",
    "> ",
    "*",
    "_",
    "[",
    "](",
    ")",
    "<",
    "&",
    "`",
    "é",
    "→",
    "#",
    "days",
    "the ",
    "and ",
    ", ",
    ". ",
    "50%",
    '"quoted"',
    "'single'",
    "-",
]
LITERALS = ["eu", "n/a", "Acme", "-", ", ", " and ", "x", "", "ü", "*", "#"]
IDENT_WORDS = ["title", "city", "owner", "note", "region", "product", "host", "domain", "email"]


def ascii_sortable(s: str) -> bool:
    """minijinja's case-insensitive sort folds ASCII letters only, Jinja2's all letters."""
    return s.lower() == "".join(c.lower() if "A" <= c <= "Z" else c for c in s)


def is_plain(s: str) -> bool:
    return re.fullmatch(r"[^\W_]*(?:[ \-][^\W_]+)*", s) is not None and not s.startswith("ß")


class T:
    """Type tags of generated expressions."""

    S, I, F, B, LS, LI, LR, R, D = "S", "I", "F", "B", "LS", "LI", "LR", "R", "D"


@dataclass
class Var:
    expr: str
    type: str
    plain: bool = False  # strings: title/capitalize agree in both
    nonempty: bool = False  # lists: first/last/min/max are defined
    fields: dict | None = None  # records: field name -> Var-like type info
    sortable: bool = True  # lists: sort agrees (no non-ASCII capitals, see 915-known-sort-non-ascii)


class Gen:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.counter = 0
        self.data: dict = {}
        self.atoms: list[Var] = []
        self.macros: list[tuple[str, str]] = []  # (name, kind)

    # ---- data -----------------------------------------------------------------------------

    def rstr(self, plain_bias=0.5) -> str:
        pool = PLAIN_STRINGS if self.rng.random() < plain_bias else ANY_STRINGS
        return self.rng.choice(pool)

    def record(self) -> dict:
        r = self.rng
        return {
            "name": self.rstr(),
            "qty": r.choice(INTS),
            "price": r.choice(FLOATS),
            "ok": r.random() < 0.5,
        }

    def gen_data(self):
        r = self.rng
        data: dict = {}
        words = IDENT_WORDS[:]
        r.shuffle(words)
        for w in words[: r.randint(2, 4)]:
            data[w] = self.rstr()
        for w in r.sample(["days", "count", "limit", "backup_days", "seats"], r.randint(1, 3)):
            data[w] = r.choice(INTS)
        for w in r.sample(["rate", "price", "ratio"], r.randint(1, 2)):
            data[w] = r.choice(FLOATS)
        for w in r.sample(["active", "eu", "paid"], r.randint(1, 2)):
            data[w] = r.random() < 0.5
        for w in r.sample(["tags", "regions", "subprocessors", "bridges"], r.randint(1, 2)):
            data[w] = [self.rstr() for _ in range(r.choice([0, 1, 2, 3, 3, 4, 5]))]
        if r.random() < 0.6:
            data["scores"] = [r.choice(INTS) for _ in range(r.choice([0, 1, 2, 4]))]
        if r.random() < 0.8:
            data["items"] = [self.record() for _ in range(r.choice([0, 1, 2, 3, 4]))]
        if r.random() < 0.7:
            data["company"] = {
                "name": self.rstr(),
                "employees": r.choice(INTS),
                "address": {"city": self.rstr(), "zip": str(r.randint(1000, 99999))},
            }
        if r.random() < 0.5:
            keys = sorted(r.sample(["alpha", "beta", "delta", "gamma", "omega", "zeta"], r.randint(1, 4)))
            data["labels"] = {k: self.rstr() for k in keys}
        self.data = data
        for k, v in data.items():
            if isinstance(v, bool):
                self.atoms.append(Var(k, T.B))
            elif isinstance(v, int):
                self.atoms.append(Var(k, T.I))
            elif isinstance(v, float):
                self.atoms.append(Var(k, T.F))
            elif isinstance(v, str):
                self.atoms.append(Var(k, T.S, plain=is_plain(v)))
            elif k == "scores":
                self.atoms.append(Var(k, T.LI, nonempty=bool(v)))
            elif k == "items":
                self.atoms.append(
                    Var(k, T.LR, nonempty=bool(v), plain=all(is_plain(x["name"]) for x in v))
                )
            elif k == "company":
                self.atoms.append(Var("company.name", T.S, plain=is_plain(v["name"])))
                self.atoms.append(Var('company["name"]', T.S, plain=is_plain(v["name"])))
                self.atoms.append(Var("company.employees", T.I))
                city = v["address"]["city"]
                self.atoms.append(Var("company.address.city", T.S, plain=is_plain(city)))
                self.atoms.append(Var('company["address"]["zip"]', T.S, plain=True))
            elif k == "labels":
                self.atoms.append(Var(k, T.D, plain=all(is_plain(x) for x in v.values())))
                key = self.rng.choice(list(v))
                self.atoms.append(Var(f"labels.{key}", T.S, plain=is_plain(v[key])))
            else:
                self.atoms.append(
                    Var(k, T.LS, nonempty=bool(v), plain=all(is_plain(x) for x in v),
                        sortable=all(ascii_sortable(x) for x in v))
                )

    # ---- helpers --------------------------------------------------------------------------

    def fresh(self, prefix="v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def of(self, scope: list[Var], *types, plain=False, nonempty=False) -> list[Var]:
        return [
            v
            for v in scope
            if v.type in types and (not plain or v.plain) and (not nonempty or v.nonempty)
        ]

    def lit(self, s: str) -> str:
        return json.dumps(s, ensure_ascii=False)

    def open_(self, kind: str) -> str:
        """An opening delimiter, sometimes with whitespace control."""
        dash = "-" if self.chance(0.15) else ""
        return {"stmt": "{%", "expr": "{{", "comment": "{#"}[kind] + dash + " "

    def close_(self, kind: str) -> str:
        dash = "-" if self.chance(0.15) else ""
        return " " + dash + {"stmt": "%}", "expr": "}}", "comment": "#}"}[kind]

    def tag(self, body: str) -> str:
        return self.open_("stmt") + body + self.close_("stmt")

    # ---- expressions ----------------------------------------------------------------------

    def str_expr(self, scope, depth=0, plain=False) -> tuple[str, bool]:
        """A string expression and whether its value is plain."""
        r = self.rng
        atoms = self.of(scope, T.S, plain=plain)
        choices = ["atom"] * 5 + ["literal"]
        if depth < 2:
            choices += ["upper", "lower", "trim", "replace", "default", "concat", "ternary"]
            choices += ["title", "capitalize", "reverse", "string"]
            if self.of(scope, T.LS, T.LI, plain=plain):
                choices += ["join", "revjoin"]
            if [v for v in self.of(scope, T.LS, T.LI, plain=plain) if v.sortable]:
                choices += ["sortjoin"]
            if self.of(scope, T.LS, plain=plain, nonempty=True):
                choices += ["first", "last"]
            if self.of(scope, T.LR, plain=plain):
                choices += ["mapjoin"]
            if not plain:
                choices += ["format", "concat_num"]
        c = r.choice(choices)
        if c == "atom" and atoms:
            v = r.choice(atoms)
            return v.expr, v.plain
        if c in ("atom", "literal"):
            s = r.choice([x for x in LITERALS if not plain or is_plain(x)])
            return self.lit(s), is_plain(s)
        if c in ("upper", "lower", "trim", "reverse"):
            e, p = self.str_expr(scope, depth + 1, plain)
            return f"{e}|{c}", p
        if c in ("title", "capitalize"):
            e, _ = self.str_expr(scope, depth + 1, plain=True)
            return f"{e}|{c}", True
        if c == "string":
            e = self.int_expr(scope, depth + 1) if self.chance(0.6) else self.float_expr(scope, depth + 1)
            return f"({e})|string", True  # digits, '-' and '.': title and capitalize agree
        if c == "replace":
            e, p = self.str_expr(scope, depth + 1, plain)
            pairs = [("a", "o"), (" ", "-"), ("e", "E"), ("Acme", "ACME")]
            if not plain:
                pairs += [("*", "+"), ("_", " "), ("o", "_0_")]
            old, new = r.choice(pairs)
            return f"{e}|replace({self.lit(old)}, {self.lit(new)})", p and new in ("o", "-", "E", "ACME")
        if c == "default":
            e, p = self.str_expr(scope, depth + 1, plain)
            if self.chance(0.5):
                return f"{e}|default({self.lit('fallback')}, true)", p
            return f"{e}|default({self.lit('fallback')})", p
        if c == "concat":
            a, pa = self.str_expr(scope, depth + 1, plain)
            b, pb = self.str_expr(scope, depth + 1, plain)
            sep = r.choice([" ", " - ", "", "."]) if plain else r.choice([" ", " ~ ", "*", "", "."])
            sep = sep if not plain or is_plain(sep.strip()) else " "
            return f"({a} ~ {self.lit(sep)} ~ {b})", pa and pb
        if c == "concat_num":
            a, _ = self.str_expr(scope, depth + 1)
            n = self.int_expr(scope, depth + 1) if self.chance(0.6) else self.float_expr(scope, depth + 1)
            return f"({a} ~ {n})", False
        if c == "ternary":
            a, pa = self.str_expr(scope, depth + 1, plain)
            b, pb = self.str_expr(scope, depth + 1, plain)
            return f"({a} if {self.bool_expr(scope, depth + 1)} else {b})", pa and pb
        if c in ("join", "sortjoin", "revjoin"):
            v = r.choice([v for v in self.of(scope, T.LS, T.LI, plain=plain) if v.sortable or c != "sortjoin"])
            sep = r.choice([", ", " ", "-", " and "])
            mid = {"join": "", "sortjoin": "|sort", "revjoin": "|reverse"}[c]
            return f"{v.expr}{mid}|join({self.lit(sep)})", plain
        if c == "mapjoin":
            v = r.choice(self.of(scope, T.LR, plain=plain))
            sel = r.choice(["", "", "|selectattr(\"ok\")", "|rejectattr(\"ok\")"])
            return f"{v.expr}{sel}|map(attribute=\"name\")|join({self.lit(r.choice([', ', ' & ']))})", v.plain
        if c in ("first", "last"):
            v = r.choice(self.of(scope, T.LS, plain=plain, nonempty=True))
            return f"{v.expr}|{c}", v.plain
        if c == "format":
            a, _ = self.str_expr(scope, depth + 1)
            n = self.int_expr(scope, depth + 1)
            fmt = r.choice(["%s-%d", "%s: %d", "[%s] %d"])
            return f"{self.lit(fmt)}|format({a}, {n})", False
        raise AssertionError(c)

    def int_expr(self, scope, depth=0) -> str:
        r = self.rng
        atoms = self.of(scope, T.I)
        choices = ["atom"] * 4 + ["literal"]
        if depth < 2:
            choices += ["add", "sub", "mul", "floordiv", "mod", "pow", "abs", "int", "len_s"]
            if self.of(scope, T.LS, T.LI, T.LR):
                choices += ["len_l"] * 2
            if self.of(scope, T.LI):
                choices += ["sum"]
            if self.of(scope, T.LI, nonempty=True):
                choices += ["first_i", "max", "min"]
        c = r.choice(choices)
        if c == "atom" and atoms:
            return r.choice(atoms).expr
        if c in ("atom", "literal"):
            n = r.choice([0, 1, 2, 3, 5, 10, 90, 100, -3])
            return f"({n})" if n < 0 else str(n)
        if c in ("add", "sub", "mul"):
            op = {"add": "+", "sub": "-", "mul": "*"}[c]
            return f"({self.int_expr(scope, depth + 1)} {op} {self.int_expr(scope, depth + 1)})"
        if c in ("floordiv", "mod"):
            op = {"floordiv": "//", "mod": "%"}[c]
            return f"(({self.int_expr(scope, depth + 1)})|abs {op} {r.randint(1, 9)})"
        if c == "pow":
            base = r.choice(atoms).expr if atoms and self.chance(0.5) else str(r.randint(-4, 6))
            base = f"({base})" if base.startswith("-") else base
            return f"({base} ** {r.randint(0, 3)})"
        if c == "abs":
            return f"({self.int_expr(scope, depth + 1)})|abs"
        if c == "int":
            return f"({self.float_expr(scope, depth + 1)})|int"
        if c == "len_s":
            e, _ = self.str_expr(scope, depth + 1)
            return f"{e}|length"
        if c == "len_l":
            return f"{r.choice(self.of(scope, T.LS, T.LI, T.LR)).expr}|length"
        if c == "sum":
            return f"{r.choice(self.of(scope, T.LI)).expr}|sum"
        if c in ("first_i", "max", "min"):
            f = "first" if c == "first_i" else c
            return f"{r.choice(self.of(scope, T.LI, nonempty=True)).expr}|{f}"
        raise AssertionError(c)

    def float_expr(self, scope, depth=0) -> str:
        r = self.rng
        atoms = self.of(scope, T.F)
        choices = ["atom"] * 4 + ["literal"]
        if depth < 2:
            choices += ["div", "add", "sub", "mul", "float", "abs"]
        c = r.choice(choices)
        if c == "atom" and atoms:
            return r.choice(atoms).expr
        if c in ("atom", "literal"):
            f = r.choice([0.5, 2.5, 1.25, 10.0, 0.1])
            return repr(f)
        if c == "div":
            return f"({self.int_expr(scope, depth + 1)} / {r.choice([1, 2, 3, 4, 8, 10])})"
        if c in ("add", "sub", "mul"):
            op = {"add": "+", "sub": "-", "mul": "*"}[c]
            other = self.int_expr(scope, depth + 1) if self.chance(0.5) else self.float_expr(scope, depth + 1)
            return f"({self.float_expr(scope, depth + 1)} {op} {other})"
        if c == "float":
            return f"({self.int_expr(scope, depth + 1)})|float"
        if c == "abs":
            return f"({self.float_expr(scope, depth + 1)})|abs"
        raise AssertionError(c)

    def num_expr(self, scope, depth=0) -> str:
        return self.int_expr(scope, depth) if self.chance(0.6) else self.float_expr(scope, depth)

    def bool_expr(self, scope, depth=0) -> str:
        r = self.rng
        choices = ["cmp", "cmp", "eq_s", "truthy_s"]
        if self.of(scope, T.B):
            choices += ["atom"] * 3
        if self.of(scope, T.LS):
            choices += ["in", "notin", "truthy_l"]
        if depth < 2:
            choices += ["not", "and", "or"]
        choices += ["defined", "notdefined", "isnumber", "isstring", "oddeven", "substr"]
        c = r.choice(choices)
        if c == "atom":
            return r.choice(self.of(scope, T.B)).expr
        if c == "cmp":
            op = r.choice(["==", "!=", ">", "<", ">=", "<="])
            return f"{self.num_expr(scope, depth + 1)} {op} {self.num_expr(scope, depth + 1)}"
        if c == "eq_s":
            op = r.choice(["==", "!="])
            a, _ = self.str_expr(scope, depth + 1)
            return f"{a} {op} {self.lit(r.choice(LITERALS + PLAIN_STRINGS[:6]))}"
        if c == "truthy_s":
            return self.str_expr(scope, depth + 1)[0]
        if c in ("in", "notin"):
            v = r.choice(self.of(scope, T.LS))
            vals = self.data.get(v.expr.split("|")[0], []) if v.expr in self.data else []
            needle = r.choice(vals) if vals and self.chance(0.6) else r.choice(PLAIN_STRINGS)
            return f"{self.lit(needle)} {'in' if c == 'in' else 'not in'} {v.expr}"
        if c == "truthy_l":
            return r.choice(self.of(scope, T.LS)).expr
        if c == "not":
            return f"not ({self.bool_expr(scope, depth + 1)})"
        if c in ("and", "or"):
            return f"({self.bool_expr(scope, depth + 1)} {c} {self.bool_expr(scope, depth + 1)})"
        if c == "defined":
            v = r.choice([a for a in scope if "." not in a.expr and "[" not in a.expr] or [Var("missing", T.S)])
            return f"{v.expr} is defined"
        if c == "notdefined":
            return r.choice(["missing is not defined", "undefined_field is defined", "nope is not defined"])
        if c == "isnumber":
            e = self.num_expr(scope, depth + 1) if self.chance(0.6) else self.str_expr(scope, depth + 1)[0]
            return f"({e}) is {'not ' if self.chance(0.3) else ''}number"
        if c == "isstring":
            e = self.str_expr(scope, depth + 1)[0] if self.chance(0.6) else self.num_expr(scope, depth + 1)
            return f"({e}) is string"
        if c == "oddeven":
            return f"({self.int_expr(scope, depth + 1)}) is {r.choice(['odd', 'even'])}"
        if c == "substr":
            a, _ = self.str_expr(scope, depth + 1)
            return f"{self.lit(r.choice(['a', 'e', ' ', '*', 'ü', 'Acme']))} in {a}"
        raise AssertionError(c)

    # ---- statements -----------------------------------------------------------------------

    def text(self) -> str:
        return "".join(self.rng.choice(TEXT_PIECES) for _ in range(self.rng.randint(1, 3)))

    def print_(self, scope) -> str:
        c = self.rng.random()
        if c < 0.55:
            e = self.str_expr(scope)[0]
        elif c < 0.75:
            e = self.int_expr(scope)
        elif c < 0.9:
            e = self.float_expr(scope)
        else:  # True / False; `not` because `a or b` and a bare list are values, not booleans
            e = f"not ({self.bool_expr(scope)})"
        return self.open_("expr") + e + self.close_("expr")

    def body(self, scope, depth, budget) -> str:
        out = []
        scope = list(scope)
        n = self.rng.randint(1, budget)
        for _ in range(n):
            out.append(self.stmt(scope, depth))
        return "".join(out)

    def stmt(self, scope, depth) -> str:
        r = self.rng
        choices = ["text"] * 4 + ["print"] * 5 + ["comment", "raw", "set"]
        if depth < 3:
            choices += ["if"] * 2 + ["for"] * 3 + ["blockset", "filter"]
            if self.macros:
                choices += ["call"] * 2
        if any(v.expr == "loop" for v in scope):
            choices += ["loopattr"] * 3
        c = r.choice(choices)
        if c == "text":
            return self.text()
        if c == "print":
            return self.print_(scope)
        if c == "comment":
            return self.open_("comment") + r.choice(["note", "{{ x }}", "TODO: {% if %}", "é"]) + self.close_("comment")
        if c == "raw":
            inner = r.choice(["{{ user }}", "{% if x %}y{% endif %}", "{# c #} and {{ x|upper }}", "plain"])
            return self.tag("raw") + inner + self.tag("endraw")
        if c == "set":
            name = self.fresh("s")
            kind = r.random()
            if kind < 0.5:
                e, p = self.str_expr(scope)
                scope.append(Var(name, T.S, plain=p))
            elif kind < 0.8:
                e = self.int_expr(scope)
                scope.append(Var(name, T.I))
            else:
                e = self.float_expr(scope)
                scope.append(Var(name, T.F))
            return self.tag(f"set {name} = {e}")
        if c == "blockset":
            name = self.fresh("b")
            inner = self.body(scope, depth + 1, 3)
            scope.append(Var(name, T.S, plain=False))
            return self.tag(f"set {name}") + inner + self.tag("endset")
        if c == "filter":
            f = r.choice(["upper", "lower", "trim"])
            return self.tag(f"filter {f}") + self.body(scope, depth + 1, 3) + self.tag("endfilter")
        if c == "if":
            out = self.tag(f"if {self.bool_expr(scope)}") + self.body(scope, depth + 1, 3)
            for _ in range(r.choice([0, 0, 1, 2])):
                out += self.tag(f"elif {self.bool_expr(scope)}") + self.body(scope, depth + 1, 2)
            if self.chance(0.5):
                out += self.tag("else") + self.body(scope, depth + 1, 2)
            return out + self.tag("endif")
        if c == "for":
            return self.for_(scope, depth)
        if c == "call":
            return self.call(scope, depth)
        if c == "loopattr":
            return self.loopattr(scope)
        raise AssertionError(c)

    def loopattr(self, scope) -> str:
        r = self.rng
        item = next(v for v in reversed(scope) if v.expr == "loop")
        c = r.choice(["index", "index0", "revindex", "revindex0", "length", "first", "last", "cycle", "prev", "next", "depth"])
        if c in ("first", "last"):
            return self.tag(f"if loop.{c}") + r.choice(["(first)", "(last)", "\n", "**"]) + self.tag("endif")
        if c == "cycle":
            return self.open_("expr") + 'loop.cycle("odd", "even")' + self.close_("expr")
        if c in ("prev", "next"):
            guard, attr = ("not loop.first", "previtem") if c == "prev" else ("not loop.last", "nextitem")
            # the item variable printed is a string or number in every loop the generator writes
            if (item.fields or {}).get("item") not in (T.S, T.I):
                return self.open_("expr") + "loop.index" + self.close_("expr")
            return self.tag(f"if {guard}") + "<" + self.open_("expr") + f"loop.{attr}" + self.close_("expr") + ">" + self.tag("endif")
        return self.open_("expr") + f"loop.{c}" + self.close_("expr")

    def for_(self, scope, depth) -> str:
        r = self.rng
        iterables = self.of(scope, T.LS, T.LI, T.LR, T.D)
        inner_scope = [v for v in scope if v.expr != "loop"]
        if not iterables:
            seq_expr, item = '["a", "b", "c"]', Var("", T.S, plain=True)
            head_vars = [self.fresh("x")]
        else:
            src = r.choice(iterables)
            if src.type == T.D:
                k, v = self.fresh("k"), self.fresh("v")
                head_vars = [k, v]
                seq_expr = f"{src.expr}|dictsort"
                inner_scope += [Var(k, T.S, plain=True), Var(v, T.S, plain=src.plain)]
                item = None
            else:
                x = self.fresh("x")
                head_vars = [x]
                mod = r.choice(["", "", "", "|sort", "|reverse"])
                if src.type == T.LR:
                    mod = r.choice(["", "", "", '|sort(attribute="qty")', '|selectattr("ok")',
                                    '|rejectattr("ok")', "|reverse", '|sort(attribute="price", reverse=true)'])
                if mod == "|sort" and not src.sortable:  # records sort by number only
                    mod = ""
                seq_expr = src.expr + mod
                if src.type == T.LR:
                    item = Var(x, T.R)
                    inner_scope += [
                        Var(f"{x}.name", T.S, plain=src.plain),
                        Var(f'{x}["name"]', T.S, plain=src.plain),
                        Var(f"{x}.qty", T.I),
                        Var(f"{x}.price", T.F),
                        Var(f"{x}.ok", T.B),
                    ]
                else:
                    item = Var(x, T.S if src.type == T.LS else T.I, plain=src.plain)
                    inner_scope.append(item)
        if not iterables:
            item.expr = head_vars[0]
            inner_scope.append(item)
        cond = ""
        if self.chance(0.25):
            cond = " if " + self.bool_expr(inner_scope, 1)
        # loop.previtem/nextitem print the item itself: only for strings and numbers
        inner_scope.append(Var("loop", "loop", fields={"item": item.type if item else None}))
        head = f"for {', '.join(head_vars)} in {seq_expr}{cond}"
        out = self.tag(head) + self.body(inner_scope, depth + 1, 4)
        if self.chance(0.3):
            out += self.tag("else") + self.body(scope, depth + 1, 2)
        return out + self.tag("endfor")

    def macros_prelude(self) -> str:
        """Top-of-template macro definitions; their bodies see only their parameters and data."""
        out = []
        data_scope = list(self.atoms)
        for _ in range(self.rng.choice([0, 0, 1, 2])):
            kind = self.rng.choice(["plain", "default", "caller", "caller_arg", "num"])
            name = self.fresh("m")
            if kind == "plain":
                sig, params = "(a)", [Var("a", T.S)]
            elif kind == "default":
                sig, params = '(a, b="dflt")', [Var("a", T.S), Var("b", T.S)]
            elif kind == "num":
                sig, params = "(n, label)", [Var("n", T.I), Var("label", T.S)]
            elif kind == "caller":
                sig, params = "(a)", [Var("a", T.S)]
            else:
                sig, params = "(xs)", []
            scope = data_scope + params
            if kind == "caller":
                post = self.rng.choice(["", "", "|upper", "|lower", "|trim"])
                inner = self.body(scope, 2, 2) + "[" + self.open_("expr") + f"caller(){post}" + self.close_("expr") + "]" + self.body(scope, 2, 1)
            elif kind == "caller_arg":
                inner = (
                    self.tag("for x in xs")
                    + self.open_("expr") + "caller(x)" + self.close_("expr")
                    + self.rng.choice(["", ", ", "\n"])
                    + self.tag("endfor")
                )
            else:
                inner = self.body(scope, 2, 3)
            out.append(self.tag(f"macro {name}{sig}") + inner + self.tag("endmacro") + self.rng.choice(["", "\n"]))
            self.macros.append((name, kind))
        return "".join(out)

    def call(self, scope, depth) -> str:
        name, kind = self.rng.choice(self.macros)
        if kind == "plain":  # a macro's result is a string: filters and ~ apply to it
            post = self.rng.choice(["", "", "|upper", "|trim", "|length", ' ~ "!"', "|replace(\"a\", \"4\")"])
            return self.open_("expr") + f"{name}({self.str_expr(scope)[0]}){post}" + self.close_("expr")
        if kind == "default":
            if self.chance(0.5):
                return self.open_("expr") + f"{name}({self.str_expr(scope)[0]})" + self.close_("expr")
            args = f"{self.str_expr(scope)[0]}, b={self.str_expr(scope)[0]}"
            return self.open_("expr") + f"{name}({args})" + self.close_("expr")
        if kind == "num":
            args = f"{self.int_expr(scope)}, {self.str_expr(scope)[0]}"
            return self.open_("expr") + f"{name}({args})" + self.close_("expr")
        # a call block's body is a macro of its own: no `loop` of the call site in it
        scope = [v for v in scope if v.expr != "loop"]
        if kind == "caller":
            return self.tag(f"call {name}({self.str_expr(scope)[0]})") + self.body(scope, depth + 1, 2) + self.tag("endcall")
        lists = self.of(scope, T.LS)
        chosen = self.rng.choice(lists) if lists else Var('["p", "q"]', T.LS, plain=True)
        item = self.fresh("it")
        inner = self.body(scope + [Var(item, T.S, plain=chosen.plain)], depth + 1, 2)
        src = chosen.expr
        inner = self.open_("expr") + item + self.close_("expr") + inner
        return self.tag(f"call({item}) {name}({src})") + inner + self.tag("endcall")

    def template(self) -> str:
        self.gen_data()
        prelude = self.macros_prelude()
        return prelude + self.body(self.atoms, 0, 8) + self.rng.choice(["", "\n"])


# Python prints a float below 1e-4 or from 1e16 in exponent notation (1e-05), minijinja never
# does (see 914-known-float-exponent); float arithmetic rarely lands there (a rounding residue such
# as 5.551115123125783e-17), and such a draw is replaced by the next one.
EXPONENT_FLOAT = re.compile(r"\d(?:\.\d+)?e[+-]\d\d")


def generated_case(seed: int, k: int) -> Case:
    for attempt in range(20):
        rng = random.Random(f"{seed}:{k}" + (f":{attempt}" if attempt else ""))
        g = Gen(rng)
        template = g.template()
        case = Case(
            name=f"generated #{k}",
            template=template,
            values=g.data,
            seed_note=f"--seed {seed} --gen-case {k}",
        )
        try:
            case.expected = jinja_render(case)
        except Exception as e:  # noqa: BLE001 - reported as a harness error by main()
            case.expected = None
            case.ref_error = f"{type(e).__name__}: {e}"
            return case
        if not EXPONENT_FLOAT.search(case.expected):
            return case
    return case


# --------------------------------------------------------------------------------------------
# Comparison and report
# --------------------------------------------------------------------------------------------


def verdict(case: Case) -> str | None:
    """None when the engine agrees with Jinja2, else a one-line reason."""
    a = case.answer
    bad = [d for d in a.get("diagnostics") or [] if d.get("code") in BAD_CODES]
    if "text" not in a:
        err = str(a.get("error", "no text in the answer"))
        panic = re.search(r"panicked at ([^\n]*)\n([^\n]*)", err)
        if panic:
            return f"engine panicked at {panic.group(1)} {panic.group(2)[:100]}"
        return "engine error: " + err.split("\n")[0][:160]
    if a["text"] != case.expected:
        return "text differs"
    if bad:
        d = bad[0]
        return f"engine reported a {d.get('code')} diagnostic: {d.get('message')}"
    return None


def first_difference(a: str, b: str) -> str:
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (
        f"first difference at character {i}: jinja2 {json.dumps(a[i:i + 30], ensure_ascii=False)}"
        f" / engine {json.dumps(b[i:i + 30], ensure_ascii=False)}"
    )


def show_failure(n: int, case: Case, reason: str, label: str = "FAIL"):
    bar = "=" * 78
    print(bar)
    title = f"{label} {n}: {case.name}" if n else f"{label}: {case.name}"
    if case.seed_note:
        title += f"  (reproduce: {case.seed_note})"
    print(title)
    print(f"reason: {reason}")
    print("---- template " + "-" * 64)
    if case.dir:
        print(f"(folder case {case.dir}; main.md:)")
    print(case.template, end="" if case.template.endswith("\n") else "\n")
    print("---- data " + "-" * 68)
    print(json.dumps(case.values, ensure_ascii=False))
    print("---- jinja2 " + "-" * 66)
    print(case.expected, end="" if case.expected.endswith("\n") else "\n")
    a = case.answer
    if "text" in a:
        print("---- engine " + "-" * 66)
        print(a["text"], end="" if a["text"].endswith("\n") else "\n")
        print("---- " + "-" * 73)
        if a["text"] != case.expected:
            print(first_difference(case.expected, a["text"]))
        print("jinja2 (JSON): " + json.dumps(case.expected, ensure_ascii=False)[:600])
        print("engine (JSON): " + json.dumps(a["text"], ensure_ascii=False)[:600])
    else:
        print("---- engine error " + "-" * 60)
        print(a.get("error"))
    diags = [d for d in a.get("diagnostics") or [] if d.get("code") in BAD_CODES]
    for d in diags:
        print(f"diagnostic: {d.get('severity')} {d.get('code')} {d.get('line')}:{d.get('column')} {d.get('message')}")


TOKEN = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\})", re.S)


def failure_kind(reason: str | None) -> str | None:
    if reason is None:
        return None
    return reason.split(":")[0] if reason.startswith("engine error") else reason[:40]


def minimize(case: Case, engine: Engine) -> Case:
    """Shrinks a failing case (template tokens, then data keys) while it keeps failing alike."""
    if case.dir:
        return case
    kind = failure_kind(verdict(case))

    def attempt(template: str, values: dict) -> Case | None:
        c = Case(name=case.name, template=template, values=values, seed_note=case.seed_note)
        try:
            c.expected = jinja_render(c)
            _STRICT_ENV.from_string(template).render(values)
        except Exception:  # noqa: BLE001 - not a well-formed template any more
            return None
        c.answer = engine.ask(c)
        return c if failure_kind(verdict(c)) == kind else None

    best = case
    tokens = [t for t in TOKEN.split(case.template) if t]
    n = max(1, len(tokens) // 2)
    while n >= 1:
        i, changed = 0, False
        while i < len(tokens):
            cand = tokens[:i] + tokens[i + n:]
            got = attempt("".join(cand), best.values)
            if got:
                tokens, best, changed = cand, got, True
            else:
                i += 1
        if not changed:
            n //= 2
    for key in list(best.values):
        values = {k: v for k, v in best.values.items() if k != key}
        got = attempt(best.template, values)
        if got:
            best = got
    for key, v in list(best.values.items()):  # shorter lists
        if isinstance(v, list) and len(v) > 1:
            for cut in (v[:1], v[:2], v[-1:]):
                got = attempt(best.template, {**best.values, key: cut})
                if got:
                    best = got
                    break
    best.name = case.name + " (minimized)"
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description="Jinja2 differential tests of the engine's Jinja text.")
    ap.add_argument("--cases", type=int, default=1000, help="generated cases (default 1000)")
    ap.add_argument("--seed", type=int, default=None, help="generator seed (default: env JINJA_DIFF_SEED, else random)")
    ap.add_argument("--gen-case", type=int, default=None, help="run only generated case K (with --seed)")
    ap.add_argument("--corpus-only", action="store_true", help="skip the generator")
    ap.add_argument("--generated-only", action="store_true", help="skip the corpus")
    ap.add_argument("--filter", default=None, help="only corpus cases whose file name matches this regex")
    ap.add_argument("--max-failures", type=int, default=20, help="failures printed in full (default 20)")
    ap.add_argument("--quiet", "--list-failures", action="store_true", dest="quiet", help="print only failing case names and the summary")
    ap.add_argument("--verbose", action="store_true", help="also print known differences and passing generated templates")
    ap.add_argument("--minimize", action="store_true", help="shrink each printed failure to a minimal template and data")
    ap.add_argument("--print-generated", type=int, default=0, metavar="N", help="print the first N generated templates and exit")
    args = ap.parse_args()

    seed = args.seed
    if seed is None and os.environ.get("JINJA_DIFF_SEED"):
        seed = int(os.environ["JINJA_DIFF_SEED"])
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)

    if args.print_generated:
        for k in range(args.print_generated):
            c = generated_case(seed, k)
            print(f"==== generated #{k} (seed {seed})\n{json.dumps(c.values, ensure_ascii=False)}\n---\n{c.template}")
        return 0

    started = time.monotonic()
    cases: list[Case] = []
    if args.gen_case is not None:
        cases.append(generated_case(seed, args.gen_case))
    else:
        if not args.generated_only:
            cases += load_corpus(args.filter)
        if not args.corpus_only:
            cases += [generated_case(seed, k) for k in range(args.cases)]
    if not args.quiet:
        print(f"jinja differential: jinja2 {jinja2.__version__}, generator seed {seed} "
              f"(reproduce: --seed {seed} or JINJA_DIFF_SEED={seed}), {len(cases)} cases")

    # Jinja2 first: a template it rejects is the corpus's or the generator's fault, not the engine's.
    ref_errors = []
    for c in cases:
        if c.seed_note:  # generated: rendered by generated_case already
            if c.ref_error:
                ref_errors.append((c, c.ref_error))
            continue
        try:
            c.expected = jinja_render(c)
        except Exception as e:  # noqa: BLE001 - any Jinja2 failure is a harness error
            ref_errors.append((c, f"{type(e).__name__}: {e}"))
    if ref_errors:
        for c, err in ref_errors[:10]:
            print(f"harness error: Jinja2 cannot render {c.name} {c.seed_note}: {err}\n{c.template}\n",
                  file=sys.stderr)
        print(f"harness error: Jinja2 rejected {len(ref_errors)} case(s)", file=sys.stderr)
        return 2

    engine = Engine(os.environ.get("JINJA_TEXT_BIN") or DEFAULT_BIN)
    try:
        for c in cases:
            c.answer = engine.ask(c)
        if args.minimize:
            shown = 0
            for i, c in enumerate(cases):
                if shown < args.max_failures and c.name not in KNOWN_DIFFERENCES and verdict(c):
                    cases[i] = minimize(c, engine)
                    shown += 1
    finally:
        engine.close()

    passed, failed, known_still, known_agree = 0, [], [], []
    for c in cases:
        reason = verdict(c)
        if c.name in KNOWN_DIFFERENCES:
            (known_still if reason else known_agree).append((c, reason))
            if not reason:
                passed += 1
            continue
        if reason:
            failed.append((c, reason))
        else:
            passed += 1

    if args.quiet:
        for c, reason in failed:
            print(f"{c.name}{'  ' + c.seed_note if c.seed_note else ''}: {reason}")
    else:
        for i, (c, reason) in enumerate(failed[: args.max_failures], 1):
            show_failure(i, c, reason)
        if len(failed) > args.max_failures:
            print("=" * 78)
            print(f"... and {len(failed) - args.max_failures} more failure(s) not shown "
                  f"(--max-failures N, --quiet lists them all)")
        if failed:
            print("=" * 78)
            print("failures by reason:")
            groups: dict[str, int] = {}
            for c, reason in failed:
                key = re.sub(r"\(in [^)]*\)", "", reason)[:110]
                groups[key] = groups.get(key, 0) + 1
            for key, n in sorted(groups.items(), key=lambda kv: -kv[1]):
                print(f"  {n:5d}  {key}")
        if args.verbose:
            for c, reason in known_still:
                show_failure(0, c, f"known minijinja difference: {KNOWN_DIFFERENCES[c.name]}", "KNOWN")
        if known_still or known_agree:
            print(f"known minijinja differences: {len(known_still)} still differ (not counted), "
                  f"{len(known_agree)} now agree and pass"
                  + (f" (drop from KNOWN_DIFFERENCES: {', '.join(c.name for c, _ in known_agree)})" if known_agree else ""))
        if engine.restarts:
            print(f"note: the engine process was restarted {engine.restarts} time(s) after a crash or hang")
        print(f"time: {time.monotonic() - started:.1f} s")
    print(f"jinja differential: {passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HarnessError as e:
        print(f"harness error: {e}", file=sys.stderr)
        print("jinja differential: 0 passed, 0 failed (harness error)")
        sys.exit(2)
