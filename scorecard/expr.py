"""A small expression language for the scorecard's rules: each tree renders to SQL text
(`sql`) or runs in Python (`eval`) with SQL's NULL rules (NULL in, NULL out; three-valued
AND/OR; a CASE takes only a true condition). See `rules.py`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SCALE = 6  # decimal places that combined values and achievements are rounded to, everywhere


class Expr:
    def sql(self, names: Mapping[str, str]) -> str:
        raise NotImplementedError

    def eval(self, env: Mapping[str, Any]) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Col(Expr):
    name: str

    def sql(self, names: Mapping[str, str]) -> str:
        return names.get(self.name, self.name)

    def eval(self, env: Mapping[str, Any]) -> Any:
        return env[self.name]


@dataclass(frozen=True)
class Lit(Expr):
    value: Any

    def sql(self, names: Mapping[str, str]) -> str:
        if self.value is None:
            return "NULL"
        if isinstance(self.value, bool):
            return "TRUE" if self.value else "FALSE"
        if isinstance(self.value, str):
            return "'" + self.value.replace("'", "''") + "'"
        return str(self.value)

    def eval(self, env: Mapping[str, Any]) -> Any:
        return self.value


_OPS = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


@dataclass(frozen=True)
class Op(Expr):
    """A comparison or arithmetic: NULL in, NULL out."""

    op: str
    left: Expr
    right: Expr

    def sql(self, names: Mapping[str, str]) -> str:
        return f"({self.left.sql(names)} {self.op} {self.right.sql(names)})"

    def eval(self, env: Mapping[str, Any]) -> Any:
        a, b = self.left.eval(env), self.right.eval(env)
        if a is None or b is None:
            return None
        if self.op == "/":
            a = Decimal(a)
        return _OPS[self.op](a, b)


@dataclass(frozen=True)
class IsNull(Expr):
    arg: Expr

    def sql(self, names: Mapping[str, str]) -> str:
        return f"({self.arg.sql(names)} IS NULL)"

    def eval(self, env: Mapping[str, Any]) -> Any:
        return self.arg.eval(env) is None


@dataclass(frozen=True)
class Not(Expr):
    arg: Expr

    def sql(self, names: Mapping[str, str]) -> str:
        return f"(NOT {self.arg.sql(names)})"

    def eval(self, env: Mapping[str, Any]) -> Any:
        value = self.arg.eval(env)
        return None if value is None else not value


@dataclass(frozen=True)
class All(Expr):
    """AND, with three-valued logic."""

    args: tuple[Expr, ...]

    def sql(self, names: Mapping[str, str]) -> str:
        return "(" + " AND ".join(a.sql(names) for a in self.args) + ")"

    def eval(self, env: Mapping[str, Any]) -> Any:
        values = [a.eval(env) for a in self.args]
        if any(v is False for v in values):
            return False
        return None if any(v is None for v in values) else True


@dataclass(frozen=True)
class Any_(Expr):
    """OR, with three-valued logic."""

    args: tuple[Expr, ...]

    def sql(self, names: Mapping[str, str]) -> str:
        return "(" + " OR ".join(a.sql(names) for a in self.args) + ")"

    def eval(self, env: Mapping[str, Any]) -> Any:
        values = [a.eval(env) for a in self.args]
        if any(v is True for v in values):
            return True
        return None if any(v is None for v in values) else False


@dataclass(frozen=True)
class Case(Expr):
    whens: tuple[tuple[Expr, Expr], ...]
    default: Expr = Lit(None)

    def sql(self, names: Mapping[str, str]) -> str:
        parts = " ".join(f"WHEN {c.sql(names)} THEN {v.sql(names)}" for c, v in self.whens)
        return f"CASE {parts} ELSE {self.default.sql(names)} END"

    def eval(self, env: Mapping[str, Any]) -> Any:
        for condition, value in self.whens:
            if condition.eval(env) is True:
                return value.eval(env)
        return self.default.eval(env)


@dataclass(frozen=True)
class Round(Expr):
    """Half away from zero, as PostgreSQL rounds numerics."""

    arg: Expr
    places: int = SCALE

    def sql(self, names: Mapping[str, str]) -> str:
        return f"ROUND({self.arg.sql(names)}, {self.places})"

    def eval(self, env: Mapping[str, Any]) -> Any:
        value = self.arg.eval(env)
        if value is None:
            return None
        return Decimal(value).quantize(Decimal(1).scaleb(-self.places), ROUND_HALF_UP)


@dataclass(frozen=True)
class Agg:
    """An aggregate over result rows: SQL's FUNC(expr) FILTER (WHERE condition), NULLs
    skipped."""

    func: str  # SUM, AVG, MIN, MAX, COUNT
    arg: Expr
    where: Expr

    def sql(self, names: Mapping[str, str]) -> str:
        return f"{self.func}({self.arg.sql(names)}) FILTER (WHERE {self.where.sql(names)})"

    def eval(self, rows: Iterable[Mapping[str, Any]]) -> Any:
        values = [
            v for r in rows if self.where.eval(r) is True if (v := self.arg.eval(r)) is not None
        ]
        if self.func == "COUNT":
            return len(values)
        if not values:
            return None
        if self.func == "SUM":
            return sum(values, Decimal(0))
        if self.func == "AVG":
            return sum(values, Decimal(0)) / len(values)
        return min(values) if self.func == "MIN" else max(values)


def eq(name: str, value: Any) -> Op:
    return Op("=", Col(name), Lit(str(value)))


def case_by(name: str, options: Mapping[str, Expr], default: Expr = Lit(None)) -> Case:
    return Case(tuple((eq(name, key), value) for key, value in options.items()), default)
