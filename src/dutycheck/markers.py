"""pluggy markers for the ``dutycheck`` project name."""

import pluggy

hookspec = pluggy.HookspecMarker("dutycheck")
hookimpl = pluggy.HookimplMarker("dutycheck")
