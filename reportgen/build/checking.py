"""Checking without writing: ``reportgen check`` (is the build folder up to date, are its PDFs what they claim, are its decks
accessible?) and ``validate`` (``prepare``)."""

from __future__ import annotations

import os

from ..errors import InputError, Problem, StaleError, collect
from ..manifest import Manifest
from .options import Options, source_date_epoch
from .planning import Target, find_inputs, plan
from .session import BuildSession


def check(paths: list[str], opts: Options) -> list[Problem | str]:
    """Return the warnings (``Problem``s; errors under ``opts.strict``) and "up to date" lines if ``opts.out_dir`` is up to date; raise ``StaleError`` listing what is not.

    Renders nothing. Validates every outline and composes every tree first
    (``InputError``, exit 2, if any is wrong), so CI fails before anyone
    looks at a bad document. Each PDF that is up to date is checked against
    ``opts.pdf_standard`` (``pdf_findings``): what it fails is a warning at
    the PDF (an error under ``--strict``); each deck that is up to date is
    checked for what PowerPoint's accessibility checker reports
    (``deck_findings``), the same way.
    """
    source_date_epoch()
    inputs = find_inputs(paths, opts.inputs_dir)
    manifest = Manifest.load(opts.out_dir)
    p = plan(inputs, opts, manifest, BuildSession(opts))
    warnings = prepare(inputs, opts, masters=True)  # every outline, template and master, stale or not
    warnings += pdf_findings([t for t in p.fresh if t.format == "pdf"], opts.pdf_standard)
    warnings += deck_findings([t for t in p.fresh if t.format == "pptx"])
    if opts.strict and warnings:
        raise InputError([w if w.severity == "error" else w.as_error() for w in warnings])
    lines = [f"stale {t.output} ({'; '.join(t.reasons)})" for t in p.stale]
    lines += [f"orphan {os.path.join(opts.out_dir, o.key)}: its outline {o.entry.input} is gone" for o in p.orphans]
    lines += [f"damaged {manifest.path}: {why}" for why in manifest.damage]
    if lines:
        raise StaleError("\n".join([w.as_warning() for w in warnings] + lines))
    return [*warnings, *(f"up to date {t.output}" for t in p.fresh)]


def pdf_findings(targets: list[Target], standard: str) -> list[Problem]:
    """Return what the PDF of each of ``targets`` fails of ``standard`` (``pdfcheck``; nothing for "none"), as warnings at the file."""
    if standard == "none" or not targets:
        return []
    import pikepdf

    from ..pdfcheck import check as check_pdf

    out: list[Problem] = []
    for t in targets:
        try:
            found = [str(f) for f in check_pdf(t.output, standard)]
        except (OSError, pikepdf.PdfError) as exc:
            found = [f"cannot be read as a PDF ({type(exc).__name__}: {exc})"]
        out += [Problem(t.output, 0, 0, f"not {standard}: {f}", severity="warning", code="pdf-standard") for f in found]
    return out


def deck_findings(targets: list[Target]) -> list[Problem]:
    """Return what the deck of each of ``targets`` fails of PowerPoint's accessibility rules (``pptxcheck``), as warnings at the file."""
    if not targets:
        return []
    from ..pptxcheck import check as check_deck

    out: list[Problem] = []
    for t in targets:
        try:
            found = [str(f) for f in check_deck(t.output)]
        except Exception as exc:  # python-pptx raises several kinds for a file that is no deck
            found = [f"cannot be read as a deck ({type(exc).__name__}: {' '.join(str(exc).split())[:160]})"]
        out += [Problem(t.output, 0, 0, f"not accessible: {f}", severity="warning", code="deck-accessibility") for f in found]
    return out


def prepare(paths: list[str], opts: Options, masters: bool = False) -> list[Problem]:
    """Return the preflight warnings of ``paths``, loaded and composed without writing anything.

    Raise one ``InputError`` with every problem. With ``masters``, also
    check that each deck's slide master has the layouts and placeholders the
    deck needs (this imports python-pptx).
    """
    source_date_epoch()
    session = BuildSession(opts)
    outlines = session.load_all(paths)
    trees = session.compose_all([Target(i, f, "", "") for i in paths for f in opts.formats])
    if masters and "pptx" in opts.formats:
        from ..writers.pptx import preflight

        errors = []
        for path, outline in zip(paths, outlines):
            try:
                preflight(trees[(path, "deck")], outline.theme, opts.master)
            except InputError as exc:
                errors.append(exc)
        if errors:
            raise collect(errors)
    warnings = [w for outline in outlines for w in outline.warnings]
    return warnings + writer_warnings(paths, outlines, trees, opts)


def writer_warnings(paths: list[str], outlines: list, trees: dict, opts: Options) -> list[Problem]:
    """Return what the writers would warn of, found by planning alone: each deck's slides planned (shrinks,
    splits) and each report's story built (tables set smaller or landscape), nothing drawn or laid out.

    Each warning is placed and worded exactly as ``build`` gives it, naming
    the output it is about.
    """
    from ..writers import SUFFIX
    from .run import place

    out: list[Problem] = []
    errors: list[InputError] = []
    for path, outline in zip(paths, outlines):
        stem = os.path.splitext(os.path.basename(path))[0]
        for fmt in opts.formats:
            try:
                if fmt == "pptx":
                    from ..writers.pptx import plan_warnings

                    found = plan_warnings(trees[(path, "deck")], outline.theme, opts.master)
                else:
                    from ..writers.pdf import story_warnings

                    found = story_warnings(trees[(path, "report")], outline.theme)
            except InputError as exc:
                errors.append(InputError([place(p, outline.loaded, os.path.join(opts.out_dir, stem + SUFFIX[fmt])) for p in exc.problems]))
                continue
            if opts.strict:  # worded as the writer words them when it refuses (then placed, as build places them)
                found = [w.as_error() for w in found]
            out += [place(w, outline.loaded, os.path.join(opts.out_dir, stem + SUFFIX[fmt])) for w in found]
    if errors:
        raise collect(errors)
    return out
