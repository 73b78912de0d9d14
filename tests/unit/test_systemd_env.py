"""EnvironmentFile= quoting (module_utils/systemd_env.py): what the role writes for each value."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.filter.systemd_env import (
    systemd_env_errors,
    systemd_env_value,
)
from ansible_collections.sinpluma.toolkit.plugins.module_utils.systemd_env import (
    SystemdEnvError,
    quote,
    unquote,
)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("plain", '"plain"'),
        ("two words", '"two words"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("$HOME and ${X}", r'"\$HOME and \${X}"'),
        ("a#b # c", '"a#b # c"'),
        ("it's", '"it\'s"'),
        ("`cmd`", r'"\`cmd\`"'),
        ("", '""'),
        (9000, '"9000"'),
    ],
)
def test_values_are_double_quoted_with_systemds_escapes(value, written):
    assert quote(value) == written
    assert unquote(written) == str(value)


def test_the_lab_password_survives_the_round_trip():
    value = 'Ab1 "q" \\ $x #y \'z\' \\"'
    assert unquote(quote(value)) == value


def test_a_backslash_before_an_ordinary_character_is_kept_by_systemd():
    # systemd keeps `\n` (backslash, letter n) as two characters inside double quotes.
    assert unquote(r'"a\nb"') == "a\\nb"


@pytest.mark.parametrize("value", ["line1\nline2", "cr\r", "nul\x00"])
def test_values_systemd_cannot_carry_are_refused_without_showing_them(value):
    with pytest.raises(SystemdEnvError) as caught:
        quote(value)
    assert value.strip("\n\r\x00") not in str(caught.value)
    with pytest.raises(AnsibleFilterError):
        systemd_env_value(value)


def test_errors_name_the_variable_never_the_value():
    messages = systemd_env_errors({"minio_root_password": "s3cret\nmore", "minio_root_user": "root"})
    assert messages == [
        "minio_root_password contains a newline, which systemd's EnvironmentFile= cannot carry",
    ]
    assert "s3cret" not in messages[0]
