"""pytest fixtures for dutycheck plugin authors (loaded through the ``pytest11`` entry
point; nothing is autouse and nothing heavy is imported until a fixture is used).

* ``dutycheck_host`` — a fresh, isolated plugin manager (installed plugins plus any
  registered with ``dutycheck_register``), built when the test first uses it, so plugins
  registered in the test body count.
* ``dutycheck_register`` — ``dutycheck_register(module)`` adds a plugin for this test only.
* ``dutycheck_bundle`` — ``dutycheck_bundle(items, **kw)`` writes a bundle under tmp_path.
* ``dutycheck_assess`` — ``dutycheck_assess(bundle, **kw)`` runs an assessment with the
  registered plugins.
* ``dutycheck_cli`` — ``dutycheck_cli(*args, exit_code=0)`` runs the CLI in-process with
  the registered plugins and asserts the exit code. A dutycheck error (bad input, a
  plugin error, a usage error) ends the command as it does for a user, with its message
  on standard error and its exit code (4, 3, 2); any other exception is let through.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def dutycheck_register() -> Any:
    plugins: list[Any] = []

    def register(module: Any) -> Any:
        plugins.append(module)
        return module

    register.plugins = plugins  # type: ignore[attr-defined]
    return register


class _LazyHost:
    """Stands for the host, built on first attribute use from the plugins registered by
    then, and built again if more are registered afterwards: a fixture value is made
    before the test body runs, so an eagerly built host would miss them."""

    def __init__(self, plugins: list[Any]) -> None:
        self._plugins = plugins
        self._built_with: tuple[Any, ...] | None = None
        self._host: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._built_with != tuple(self._plugins):
            from dutycheck.host import make_host

            self._host = make_host(plugins=self._plugins)
            self._built_with = tuple(self._plugins)
        return getattr(self._host, name)


@pytest.fixture
def dutycheck_host(dutycheck_register: Any) -> Any:
    return _LazyHost(dutycheck_register.plugins)


@pytest.fixture
def dutycheck_bundle(tmp_path: Any) -> Any:
    from dutycheck.testing import write_bundle

    counter = [0]

    def make(items: list[dict[str, Any]], **kwargs: Any) -> Any:
        counter[0] += 1
        return write_bundle(tmp_path / f"bundle-{counter[0]}", items, **kwargs)

    return make


@pytest.fixture
def dutycheck_assess(dutycheck_register: Any) -> Any:
    from dutycheck.testing import assess

    def run(bundle: Any, **kwargs: Any) -> Any:
        plugins = list(kwargs.pop("plugins", ())) + dutycheck_register.plugins
        return assess(bundle, plugins=plugins, **kwargs)

    return run


@pytest.fixture
def dutycheck_cli(dutycheck_register: Any, monkeypatch: Any) -> Any:
    from click.testing import CliRunner

    from dutycheck import cli
    from dutycheck.errors import DutycheckError
    from dutycheck.host import make_host

    def host(config: Any = None) -> Any:
        from dutycheck import config as configlib

        allow = configlib.load(config).allow_plugins if config is not None else None
        return make_host(plugins=dutycheck_register.plugins, allow=allow)

    monkeypatch.setattr(cli, "_host", host)
    invoke = cli.cli.invoke

    def invoke_as_a_user_sees_it(ctx: Any) -> Any:
        try:
            return invoke(ctx)
        except DutycheckError as exc:
            cli._fail(exc)  # the CLI's own message and exit code, as `dutycheck` gives them

    monkeypatch.setattr(cli.cli, "invoke", invoke_as_a_user_sees_it)

    def run(*args: str, exit_code: int | None = 0) -> Any:
        result = CliRunner().invoke(cli.cli, list(args), catch_exceptions=False)
        if exit_code is not None:
            assert result.exit_code == exit_code, (
                f"dutycheck {' '.join(args)} exited {result.exit_code}, expected {exit_code}\n"
                f"{result.output}")
        return result

    return run
