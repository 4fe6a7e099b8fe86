from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from storage.checksum import checksum
from sync.protocol import case_checksum

_triples = st.lists(
    st.tuples(st.sampled_from(["person", "contact", "event"]), st.uuids(), st.integers(0, 10**6))
)


@given(_triples)
def test_same_algorithm_as_the_wire_protocol(triples: list[tuple[str, uuid.UUID, int]]) -> None:
    assert checksum((k, str(i), v) for k, i, v in triples) == case_checksum(triples)
