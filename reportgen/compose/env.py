"""The Jinja2 environment of a pack: sandboxed, autoescaped, strict."""

from __future__ import annotations

import os
from functools import lru_cache

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, pass_context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import markup


class PackLoader(FileSystemLoader):
    """Load templates from one pack folder only: a name or symlink leading outside is not found."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        root = os.path.realpath(self.searchpath[0])
        if not os.path.realpath(filename).startswith(root + os.sep):
            raise TemplateNotFound(f"{template} (it leads outside the pack folder)")
        return source, filename, uptodate


@pass_context
def _inline(ctx, text):
    return markup.inline(text, ctx.get("cites"), ctx.get("markup_memo"))


@pass_context
def _blocks(ctx, text):
    return markup.blocks(text, ctx.get("cites"), ctx.get("markup_memo"))


def _plain_number(value: float) -> str:
    """Return ``6255`` for 6255.0 and ``2.5`` for 2.5 (exact, no float noise)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@lru_cache(maxsize=16)
def environment(folder: str) -> ImmutableSandboxedEnvironment:
    """Return the (cached) template environment for the pack at ``folder``."""
    env = ImmutableSandboxedEnvironment(
        loader=PackLoader(folder),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,  # a pack edited while a process runs is re-read
    )
    env.filters["inline"] = _inline
    env.filters["blocks"] = _blocks
    env.filters["number"] = _plain_number
    return env
