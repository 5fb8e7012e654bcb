"""Tencent's rule for template descriptions: letters, digits, "_", "-" and CJK ideographs only.

Checked by hand rather than by a regex over the CJK range (slow to compile); the regex stays the
reference here, matched against the whole text.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from livesnap_reconcile.vendors.tencent.manifest import _tencent_text

REFERENCE = re.compile(r"[A-Za-z0-9_\-\u4e00-\u9fff]*")
NEAR = st.sampled_from("aZ09_-\u4e00\u9fff\u4dff\ua000 .\n/é\U0001f600")


@given(st.text(NEAR) | st.text())
def test_the_hand_check_agrees_with_the_reference_regex(text):
    assert _tencent_text(text) == (REFERENCE.fullmatch(text) is not None)


def test_a_trailing_newline_is_refused():
    assert not _tencent_text("news\n") and _tencent_text("news_直播-1")
