"""``doctree``: the nodes both writers read, and the little they decide for everyone (labels, times, unknown nodes)."""

from __future__ import annotations

import datetime as dt

import pytest

from reportgen.doctree import Cite, Meta, Paragraph, Text, plain, unknown_node


@pytest.mark.parametrize(
    ("created", "want"),
    [
        ("2021-06-16T09:30:05Z", dt.datetime(2021, 6, 16, 9, 30, 5, tzinfo=dt.timezone.utc)),
        ("2021-06-16T09:30:05", dt.datetime(2021, 6, 16, 9, 30, 5, tzinfo=dt.timezone.utc)),
        ("2021-06-16T11:30:05+02:00", dt.datetime(2021, 6, 16, 9, 30, 5, tzinfo=dt.timezone.utc)),
        ("2021-06-16", dt.datetime(2021, 6, 16, tzinfo=dt.timezone.utc)),
        ("", dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)),
        ("16 June 2021", dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)),
    ],
)
def test_the_documents_time_is_read_one_way(created, want):
    assert Meta(title="T", created=created).timestamp() == want


def test_a_citation_prints_the_same_everywhere():
    assert Cite(3).label == "[3]"
    assert plain([Text("see "), Cite(12)]) == "see [12]"


def test_an_unknown_node_is_one_error():
    class Odd:
        pass

    err = unknown_node(Odd())
    assert isinstance(err, TypeError) and "unknown document node Odd" in str(err)
    assert not isinstance(unknown_node(Paragraph([])), type(None))
