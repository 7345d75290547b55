"""Keep the documentation in step with the code.

- docs/plugin-hooks.md has one ``## dutycheck_<name>`` section per hook specification in
  ``dutycheck.hookspecs``, in the same order, each showing the specification's signature.
- Every relative link in docs/*.md points at a file that exists.
- The anchor the report JSON links to (``docs/ratings.md#assurance-opinion``) exists.
"""

from __future__ import annotations

import ast
import copy
import inspect
import re
from pathlib import Path

import pytest

from dutycheck import hookspecs
from dutycheck.markers import hookspec

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
HOOK_DOC = DOCS / "plugin-hooks.md"

_HEADING = re.compile(r"^## (dutycheck_\w+)\s*$", re.MULTILINE)
_FENCE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _specs() -> dict[str, object]:
    """Hook specifications, in source order: functions pluggy's marker has tagged."""
    attr = hookspec.project_name + "_spec"
    found = [(name, fn) for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
             if fn.__module__ == hookspecs.__name__ and hasattr(fn, attr)]
    found.sort(key=lambda pair: inspect.getsourcelines(pair[1])[1])
    return dict(found)


def _sections(text: str) -> dict[str, str]:
    """``## dutycheck_...`` heading -> the text of its section."""
    marks = list(_HEADING.finditer(text))
    out = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        rest = text[m.end():end]
        nxt = re.search(r"^## ", rest, re.MULTILINE)
        out[m.group(1)] = rest[:nxt.start()] if nxt else rest
    return out


def _documented_def(section: str, name: str) -> ast.FunctionDef:
    """The first ``def <name>(...)`` in the section's python blocks, parsed."""
    for block in _FENCE.findall(section):
        start = block.find(f"def {name}(")
        if start == -1:
            continue
        # Take the decorators above the def too, then give the stub a body to parse.
        head = block[:start].rstrip("\n").split("\n")
        decorators = []
        while head and head[-1].lstrip().startswith("@"):
            decorators.insert(0, head.pop())
        source = "\n".join(decorators + [block[start:].split("\n\n")[0].rstrip()])
        if not source.rstrip().endswith(":"):
            continue
        tree = ast.parse(source + "\n    ...\n")
        node = tree.body[0]
        assert isinstance(node, ast.FunctionDef)
        return node
    raise AssertionError(f"{HOOK_DOC.name}: section {name} has no ```python block with "
                         f"'def {name}(...):'")


def _spec_def(fn: object) -> ast.FunctionDef:
    node = ast.parse(inspect.getsource(fn)).body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


def _stub(node: ast.FunctionDef) -> str:
    """The signature alone, normalised: no decorators, no docstring or body."""
    bare = copy.deepcopy(node)
    bare.decorator_list = []
    bare.body = [ast.Expr(ast.Constant(...))]
    return ast.unparse(bare)


def test_specs_are_found() -> None:
    specs = _specs()
    assert specs, "no hook specifications found in dutycheck.hookspecs"
    assert all(name.startswith("dutycheck_") for name in specs)


def test_every_hook_has_a_section_in_order() -> None:
    text = HOOK_DOC.read_text(encoding="utf-8")
    documented = _HEADING.findall(text)
    specs = list(_specs())
    assert len(documented) == len(set(documented)), f"a hook is documented twice: {documented}"
    assert set(documented) == set(specs), (
        f"undocumented hooks: {sorted(set(specs) - set(documented))}; "
        f"documented but not specified: {sorted(set(documented) - set(specs))}")
    assert documented == specs, "sections should follow the order of hookspecs.py"


@pytest.mark.parametrize("name", list(_specs()))
def test_documented_signature_matches_spec(name: str) -> None:
    fn = _specs()[name]
    section = _sections(HOOK_DOC.read_text(encoding="utf-8")).get(name)
    assert section is not None, f"no '## {name}' section in {HOOK_DOC.name}"
    node = _documented_def(section, name)

    documented = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
    assert documented == list(inspect.signature(fn).parameters), (
        f"{name}: documented parameters {documented} differ from the spec's "
        f"{list(inspect.signature(fn).parameters)}")
    assert _stub(node) == _stub(_spec_def(fn)), (
        f"{name}: documented signature differs from hookspecs.py:\n"
        f"  doc:  {_stub(node)}\n  spec: {_stub(_spec_def(fn))}")

    opts = getattr(fn, hookspec.project_name + "_spec")
    says_firstresult = any("firstresult=True" in ast.unparse(d) for d in node.decorator_list)
    assert says_firstresult == bool(opts.get("firstresult")), (
        f"{name}: the documented decorator should match the spec's firstresult option")


def _relative_links(md: Path) -> list[str]:
    text = _CODE_BLOCK.sub("", md.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)  # inline code is not a link
    out = []
    for target in _LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
            continue  # http:, https:, mailto: ... or an anchor in the same page
        out.append(target)
    return out


DOC_FILES = sorted(DOCS.glob("*.md"))


def test_docs_exist() -> None:
    names = {p.name for p in DOC_FILES}
    assert {"plugin-hooks.md", "user-guide.md", "writing-duties.md", "ratings.md"} <= names


@pytest.mark.parametrize("md", DOC_FILES, ids=lambda p: p.name)
def test_relative_links_resolve(md: Path) -> None:
    broken = []
    for target in _relative_links(md):
        path = target.split("#", 1)[0]
        if path and not (md.parent / path).exists():
            broken.append(target)
    assert not broken, f"{md.name}: links to missing files: {broken}"


def test_report_opinion_anchor_exists() -> None:
    """report.json's opinion.rule points at docs/ratings.md#assurance-opinion."""
    from dutycheck import report

    assert "docs/ratings.md#assurance-opinion" in inspect.getsource(report)
    text = (DOCS / "ratings.md").read_text(encoding="utf-8")
    assert re.search(r"^## Assurance opinion\s*$", text, re.MULTILINE)
