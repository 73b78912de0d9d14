from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_status import MEMBER_COLUMNS, render


def test_render_aligns_columns_and_shows_missing_values():
    rows = [
        {"member": "db1:3306", "state": "ONLINE", "role": "PRIMARY", "version": "9.7.4",
         "certification queue": 0, "applier queue": 0},
        {"member": "db2:3306", "state": "RECOVERING", "role": "SECONDARY", "version": "9.7.4",
         "certification queue": None, "applier queue": 120},
    ]  # fmt: skip
    lines = render(rows, MEMBER_COLUMNS)
    assert lines[0].split() == [
        "member",
        "state",
        "role",
        "version",
        "certification",
        "queue",
        "applier",
        "queue",
    ]
    assert lines[2].startswith("db1:3306  ONLINE      PRIMARY")
    assert " - " in lines[3] and lines[3].rstrip().endswith("120")
    assert len({len(line.rstrip()) <= len(lines[1]) for line in lines}) == 1
