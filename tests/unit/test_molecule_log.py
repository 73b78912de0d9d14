from lab.molecule_log import changed_hosts

LOG = """\
INFO     [s > converge] Executing
PLAY RECAP *********************************************************************
db1                        : ok=57   changed=33   unreachable=0    failed=0    skipped=5    rescued=0
INFO     [s > converge] Executed: Successful
INFO     [s > check] Executing
PLAY RECAP *********************************************************************
db1                        : ok=49   changed=0    unreachable=0    failed=0    skipped=5    rescued=0
db2                        : ok=40   changed={changed}    unreachable=0    failed=0    skipped=3    rescued=0
INFO     [s > check] Executed: Successful
INFO     [s > verify] Executing
"""


def test_changes_in_check_mode_are_found():
    assert changed_hosts(LOG.format(changed=2)) == {"db2": 2}


def test_a_clean_check_step_reports_nothing_and_other_steps_do_not_count():
    assert changed_hosts(LOG.format(changed=0)) == {}


def test_boxed_output_of_newer_molecule_is_read():
    boxed = "\n".join(f"  │ {line}" if "ok=" in line else line for line in LOG.format(changed=1).splitlines())
    assert changed_hosts(boxed) == {"db2": 1}


def test_rich_output_with_colours_is_read():
    rich = (
        LOG.format(changed=3)
        .replace("[s > check] Executing", "\x1b[32ms\x1b[0m \u279c \x1b[33mcheck\x1b[0m: \x1b[36mExecuting")
        .replace("[s > check] Executed", "s \u279c check: Executed")
    )
    assert changed_hosts(rich) == {"db2": 3}
