"""RAG band completeness and rating: property tests over generated tilings, plus the
messages a duty author sees for the common mistakes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dutycheck import bands as bandlib
from dutycheck.errors import InvalidInput
from dutycheck.ratings import Rating

ORDER = {
    "higher-is-better": ["red", "amber", "green"],
    "lower-is-better": ["green", "amber", "red"],
}


# -- building tilings -------------------------------------------------------------------

@dataclass
class Tiling:
    """A band spec plus what the generator knows about it.

    ``segments`` are the pieces of the number line from left to right; ``colours[i]`` is
    the colour of segment ``i``; ``cuts[i]`` separates segment ``i`` from ``i + 1`` and
    ``low_side_inclusive[i]`` says whether the cut belongs to the segment on its left.
    ``explicit`` lists the segment indexes written as explicit bands (the others are the
    ``otherwise`` band)."""

    spec: dict
    cuts: list
    low_side_inclusive: list[bool]
    colours: list[str]
    explicit: list[int]
    layout: str

    def expected_colour(self, value: float) -> str:
        seg = 0
        for i, cut in enumerate(self.cuts):
            c = float(cut)
            if value > c or (value == c and not self.low_side_inclusive[i]):
                seg = i + 1
        return self.colours[seg]


def _number():
    return st.one_of(
        st.integers(min_value=-10_000, max_value=10_000),
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    )


@st.composite
def tilings(draw, layouts=("none", "low", "high", "both"), exclude=()):
    """A valid literal band set: contiguous segments with complementary inclusivity at
    every cut, optionally with ``otherwise`` taking one or both tails."""
    layout = draw(st.sampled_from(layouts))
    n_explicit = draw(st.integers(2, 3) if layout == "none" else st.integers(1, 2))
    assume((layout, n_explicit) not in exclude)
    tails = {"none": (0, 0), "low": (1, 0), "high": (0, 1), "both": (1, 1)}[layout]
    n_segments = n_explicit + tails[0] + tails[1]
    n_cuts = n_segments - 1
    cuts = draw(st.lists(_number(), min_size=n_cuts, max_size=n_cuts, unique_by=float))
    cuts.sort(key=float)
    low_side = draw(st.lists(st.booleans(), min_size=n_cuts, max_size=n_cuts))

    n_colours = n_explicit + (1 if layout != "none" else 0)
    if layout == "both":  # closer-is-better: any assignment of distinct colours
        palette = draw(st.permutations(["green", "amber", "red"]))[:n_colours]
        colours = [palette[0]] + palette[1:] + [palette[0]]
    else:
        direction = draw(st.sampled_from(sorted(ORDER)))
        full = ORDER[direction]
        keep = sorted(draw(st.lists(st.integers(0, 2), min_size=n_colours, max_size=n_colours,
                                    unique=True)))
        colours = [full[i] for i in keep]

    explicit = list(range(tails[0], n_segments - tails[1]))
    bodies: dict[str, dict] = {}
    for seg in explicit:
        body: dict = {}
        if seg > 0:
            body["above" if low_side[seg - 1] else "at_least"] = cuts[seg - 1]
        if seg < n_cuts:
            body["at_most" if low_side[seg] else "below"] = cuts[seg]
        bodies[colours[seg]] = body
    if layout != "none":
        fallback = colours[0] if tails[0] else colours[-1]
        bodies[fallback] = {"otherwise": True}
    order = draw(st.permutations(sorted(bodies)))
    spec = {k: bodies[k] for k in order}
    return Tiling(spec, cuts, low_side, colours, explicit, layout)


def _resolved(bands: list[bandlib.Band]) -> dict[int, tuple[float | None, float | None]]:
    return {id(b): (b.lower.literal if b.lower else None, b.upper.literal if b.upper else None)
            for b in bands if not b.otherwise}


def _probe_values(t: Tiling, extra: list[float]) -> list[float]:
    values = list(extra) + [-math.inf, math.inf, 0.0, -0.0]
    for cut in t.cuts:
        c = float(cut)
        values += [c, math.nextafter(c, -math.inf), math.nextafter(c, math.inf)]
    return values


def _assert_exactly_one_band(t: Tiling, bands: list[bandlib.Band], value: float) -> None:
    resolved = _resolved(bands)
    explicit_hits = [b for b in bands if not b.otherwise
                     and bandlib.contains(b, value, *resolved[id(b)])]
    fallback = [b for b in bands if b.otherwise]
    assert len(explicit_hits) <= 1, (t.spec, value, explicit_hits)
    if not explicit_hits:
        assert fallback, f"{value} is in no band of {t.spec}"
    band, matched = bandlib.rate(bands, value, resolved)
    assert band is not None
    assert len(matched) == 1, (t.spec, value, matched)
    assert band.rating is Rating.parse(t.expected_colour(value)), (t.spec, value)


# -- properties -------------------------------------------------------------------------



@settings(max_examples=300, deadline=None)
@given(tilings(), st.lists(st.floats(allow_nan=False), max_size=10))
def test_valid_tilings_are_complete_and_every_value_lands_in_one_band(t, values):
    bands = bandlib.parse(t.spec)
    assert bandlib.completeness_problems(bands) == [], t.spec
    for value in _probe_values(t, values):
        _assert_exactly_one_band(t, bands, value)


@settings(max_examples=100, deadline=None)
@given(tilings(layouts=("both",)), st.lists(st.floats(allow_nan=False), max_size=10))
def test_otherwise_on_both_tails_rates_every_value_once(t, values):
    """A red band on both tails (``otherwise`` between them): every value is rated once."""
    bands = bandlib.parse(t.spec)
    for value in _probe_values(t, values):
        _assert_exactly_one_band(t, bands, value)


def _internal_cuts(t: Tiling) -> list[int]:
    """Cut indexes with an explicit band on both sides."""
    return [i for i in range(len(t.cuts)) if i in t.explicit and i + 1 in t.explicit]


def _band_body(t: Tiling, seg: int) -> dict:
    return t.spec[t.colours[seg]]


def _reported(spec: dict) -> list[tuple[str, str]]:
    problems = bandlib.completeness_problems(bandlib.parse(spec))
    assert problems, f"not reported: {spec}"
    for _, message in problems:
        assert any(word in message for word in ("gap", "overlap", "empty")), message
    return problems


@settings(max_examples=200, deadline=None)
@given(tilings(), st.data())
def test_a_gap_or_overlap_at_a_cut_point_is_reported(t, data):
    cuts = _internal_cuts(t)
    assume(cuts)
    i = data.draw(st.sampled_from(cuts))
    both_inclusive = data.draw(st.booleans())
    left, right = _band_body(t, i), _band_body(t, i + 1)
    cut = t.cuts[i]
    for key in ("at_most", "below"):
        left.pop(key, None)
    for key in ("above", "at_least"):
        right.pop(key, None)
    left["at_most" if both_inclusive else "below"] = cut
    right["at_least" if both_inclusive else "above"] = cut
    problems = _reported(t.spec)
    word = "overlap" if both_inclusive else "gap"
    assert any(word in m for _, m in problems), problems


@settings(max_examples=200, deadline=None)
@given(tilings(), st.data())
def test_moving_one_side_of_a_cut_is_reported(t, data):
    cuts = _internal_cuts(t)
    assume(cuts)
    i = data.draw(st.sampled_from(cuts))
    c = float(t.cuts[i])
    step = max(1.0, abs(c)) * data.draw(st.sampled_from([1e-6, 0.25, 0.5, 3.0]))
    moved = c + step if data.draw(st.booleans()) else c - step
    assume(moved != c and math.isfinite(moved))
    # move either the left band's upper limit or the right band's lower limit
    if data.draw(st.booleans()):
        body = _band_body(t, i)
        key = "at_most" if "at_most" in body else "below"
    else:
        body = _band_body(t, i + 1)
        key = "above" if "above" in body else "at_least"
    body[key] = moved
    _reported(t.spec)


@settings(max_examples=150, deadline=None)
@given(tilings(layouts=("none",)), st.data())
def test_bounding_an_open_end_without_otherwise_is_a_gap(t, data):
    first = data.draw(st.booleans())
    seg = t.explicit[0] if first else t.explicit[-1]
    body = _band_body(t, seg)
    neighbour = float(t.cuts[0] if first else t.cuts[-1])
    limit = neighbour - 1000.0 if first else neighbour + 1000.0
    body["at_least" if first else "at_most"] = limit
    # Reported, though when the top band is bounded the message can wrongly say "overlap"
    # (see test_bounded_top_band_is_reported_as_a_gap).
    _reported(t.spec)


@settings(max_examples=150, deadline=None)
@given(tilings(layouts=("low", "high")))
def test_dropping_the_otherwise_band_leaves_a_gap(t):
    spec = {k: v for k, v in t.spec.items() if not v.get("otherwise")}
    assume(len(spec) >= 1)
    problems = bandlib.completeness_problems(bandlib.parse(spec))
    assert problems and any("gap" in m for _, m in problems), (spec, problems)


@settings(max_examples=150, deadline=None)
@given(tilings(layouts=("none",)).filter(lambda t: len(t.explicit) == 2), st.data())
def test_otherwise_on_a_complete_tiling_can_never_apply(t, data):
    spare = next(c for c in ("green", "amber", "red") if c not in t.spec)
    spec = dict(t.spec)
    spec[spare] = {"otherwise": True}
    problems = bandlib.completeness_problems(bandlib.parse(spec))
    assert problems == [(spare, f"overlap: the other bands already cover every value, so "
                                f"{spare} (otherwise) can never apply")]


# -- examples and messages --------------------------------------------------------------

def _problems(spec: dict) -> list[tuple[str, str]]:
    return bandlib.completeness_problems(bandlib.parse(spec))


def test_gap_message_between_two_literal_bands():
    assert _problems({"green": {"at_least": 10}, "red": {"below": 5}}) == [
        ("red", "gap: no band starts where red ends (below 5)")]


def test_gap_at_a_point_message():
    assert _problems({"green": {"below": 5}, "red": {"above": 5}}) == [
        ("red", "gap: 5 itself is in neither green nor red; use `at_least` or `at_most`")]


def test_overlap_at_a_point_message():
    assert _problems({"green": {"at_most": 5}, "red": {"at_least": 5}}) == [
        ("red", "overlap: 5 is in both green and red; use `above` for one of them")]


def test_two_bands_without_lower_limit_overlap():
    assert _problems({"green": {"at_most": 5}, "amber": {"below": 5}}) == [
        ("amber", "overlap: green and amber both have no lower limit")]


def test_empty_band_is_reported():
    assert _problems({"green": {"at_most": 5}, "amber": {"above": 5, "at_most": 3}}) == [
        ("amber", "amber band is empty (above 5 and at most 3)")]


def test_otherwise_that_never_applies():
    spec = {"green": {"at_most": 5}, "amber": {"above": 5}, "red": {"otherwise": True}}
    assert _problems(spec) == [
        ("red", "overlap: the other bands already cover every value, so red (otherwise) "
                "can never apply")]


def test_symbolic_comparator_bounds_are_accepted():
    spec = {"green": {"at_most": "ret.msg_mean_days"},
            "amber": {"above": "ret.msg_mean_days", "at_most": "ret.national_mean_days"},
            "red": {"above": "ret.national_mean_days"}}
    assert _problems(spec) == []


def test_symbolic_bounds_mixed_with_literals_and_otherwise_are_accepted():
    spec = {"green": {"at_least": 0, "at_most": "ret.msg_mean_days"},
            "amber": {"above": "ret.msg_mean_days"}, "red": {"otherwise": True}}
    assert _problems(spec) == []


def test_symbolic_bounds_that_do_not_meet_are_a_gap():
    spec = {"green": {"at_most": "ret.a"}, "amber": {"above": "ret.c", "at_most": "ret.b"},
            "red": {"above": "ret.b"}}
    assert _problems(spec) == [("green", "gap: no band starts where green ends (at most ret.a)")]



@pytest.mark.parametrize("expr", [
    {"percent": ["ret.a", {"sum": ["ret.a", "ret.b"]}]},
    {"sql": "SELECT avg(days) FROM peers"},
], ids=["computed", "sql"])
def test_computed_and_sql_comparator_bounds_are_accepted(expr):
    spec = {"green": {"below": dict(expr)}, "red": {"at_least": dict(expr)}}
    assert _problems(spec) == []


def test_one_band_with_otherwise_on_both_tails_is_accepted():
    spec = {"green": {"at_least": -15, "at_most": 15}, "amber": {"otherwise": True}}
    assert _problems(spec) == []


def test_two_bands_with_otherwise_on_both_tails_is_accepted():
    spec = {"red": {"otherwise": True}, "green": {"at_least": 0, "below": 10},
            "amber": {"at_least": 10, "at_most": 20}}
    assert _problems(spec) == []


def test_bounded_top_band_is_reported_as_a_gap():
    spec = {"red": {"below": 0}, "amber": {"at_least": 0, "below": 1},
            "green": {"at_least": 1, "at_most": 1001}}
    problems = _problems(spec)
    assert problems and all("gap" in m and "overlap" not in m for _, m in problems), problems


def test_rate_with_comparators_out_of_order_reports_every_match():
    spec = {"green": {"at_most": "ret.msg"}, "amber": {"above": "ret.msg", "at_most": "ret.nat"},
            "red": {"above": "ret.nat"}}
    bands = bandlib.parse(spec)
    green, amber, red = bands
    # the MSG mean (50) resolved above the national mean (40): 45 is both green and red
    resolved = {id(green): (None, 50.0), id(amber): (50.0, 40.0), id(red): (40.0, None)}
    band, matched = bandlib.rate(bands, 45.0, resolved)
    assert band is green
    assert {b.rating for b in matched} == {Rating.GREEN, Rating.RED}


def test_describe_reads_like_the_yaml():
    green, amber, red = bandlib.parse({"green": {"at_most": 46.0},
                                       "amber": {"above": 46, "at_most": 48},
                                       "red": {"otherwise": True}})
    assert green.describe() == "at most 46"
    assert amber.describe() == "above 46 and at most 48"
    assert red.describe() == "otherwise"


def test_band_gap_in_a_duty_file_is_rejected_at_load_with_its_location(tmp_path: Path):
    from dutycheck import catalogue

    path = tmp_path / "gap.yaml"
    path.write_text(
        "id: test.gappy\n"
        "title: A duty with a band gap\n"
        "kind: statutory\n"
        "holder: PCC\n"
        "source: {title: Test Act, basis: statute}\n"
        "cadence: annual\n"
        "requirements:\n"
        "  - id: number\n"
        "    kind: measure\n"
        "    title: A number\n"
        "    value: 3\n"
        "    unit: days\n"
        "    direction: lower-is-better\n"
        "    basis: inference\n"
        "    bands:\n"
        "      green: {below: 5}\n"
        "      red: {above: 5}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        catalogue.load([path])
    (problem,) = info.value.problems
    assert problem.line == 17
    assert problem.path == "$.requirements[0].bands.red"
    assert "gap: 5 itself is in neither green nor red" in problem.message
    assert str(problem).startswith(f"{problem.file}:17:")
