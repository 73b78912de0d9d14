import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_gtid import GtidSet, GtidSetError

A = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
B = "8a94f357-aab4-11df-86ab-c80aa9429563"


def test_parse_merges_and_prints_canonically():
    gtids = GtidSet.parse(f"{A}:1-3:5:4,\n{B}:7")
    assert str(gtids) == f"{A}:1-5,{B}:7"
    assert gtids.count() == 6


def test_empty_text_is_empty_set():
    assert not GtidSet.parse("")
    assert not GtidSet.parse(None)


def test_tagged_gtids_are_distinct_from_untagged():
    gtids = GtidSet.parse(f"{A}:1-2:sinpluma:1-4")
    assert gtids.count() == 6
    assert str(gtids) == f"{A}:1-2:sinpluma:1-4"
    assert not GtidSet.parse(f"{A}:sinpluma:1").issubset(GtidSet.parse(f"{A}:1-10"))


def test_subtract_splits_intervals():
    assert str(GtidSet.parse(f"{A}:1-10") - GtidSet.parse(f"{A}:3-4:8")) == f"{A}:1-2:5-7:9-10"


def test_subset_and_union():
    small = GtidSet.parse(f"{A}:1-5")
    big = GtidSet.parse(f"{A}:1-9,{B}:1")
    assert small.issubset(big)
    assert not big.issubset(small)
    assert GtidSet.union([small, GtidSet.parse(f"{B}:1")]) == GtidSet.parse(f"{A}:1-5,{B}:1")


@pytest.mark.parametrize("text", ["nonsense", f"{A}:0", f"{A}:5-3", f"{A}:1-x"])
def test_malformed_sets_are_refused(text):
    with pytest.raises(GtidSetError):
        GtidSet.parse(text)
