"""`at`: a malformed manifest value below a path becomes a ManifestError naming the path.

What we test here: a missing key, a bad value, type and attribute errors become one ManifestError
each, with the path and no chained traceback; a ManifestError passes unchanged; any other error
(a bug, not bad input) is not disguised; a clean block raises nothing.
"""

from __future__ import annotations

import pytest

from livesnap_reconcile.core.expansion import at
from livesnap_reconcile.errors import ManifestError


@pytest.mark.parametrize(("error", "message"), [
    (KeyError("template"), "streams.a: missing required field 'template'"),
    (ValueError("end must be later than start"), "streams.a: end must be later than start"),
    (TypeError("bad type"), "streams.a: bad type"),
    (AttributeError("no attribute"), "streams.a: no attribute"),
])
def test_bad_input_becomes_a_located_manifest_error(error: Exception, message: str):
    with pytest.raises(ManifestError) as caught, at("streams.a"):
        raise error
    assert str(caught.value) == message
    assert caught.value.__suppress_context__ and caught.value.__cause__ is None


def test_a_manifest_error_and_other_errors_pass_unchanged():
    original = ManifestError("streams.b: already located")
    with pytest.raises(ManifestError) as caught, at("streams.a"):
        raise original
    assert caught.value is original
    with pytest.raises(ZeroDivisionError), at("streams.a"):
        _ = 1 / 0


def test_a_clean_block_returns_its_value():
    with at("streams.a"):
        value = 1 + 1
    assert value == 2
