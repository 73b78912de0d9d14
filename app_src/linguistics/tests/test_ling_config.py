from pathlib import Path

import pytest

from sinpluma_linguistics.config import DEFAULT_MODEL_DIR, ConfigError, Settings


def test_defaults_when_the_environment_is_empty() -> None:
    settings = Settings.from_env({})
    assert settings.model_dir == Path(DEFAULT_MODEL_DIR)
    assert (settings.max_sentence_chars, settings.max_batch_items, settings.log_level) == (2000, 500, "INFO")
    assert settings.expected_manifest_sha256 is None


def test_values_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "LINGUISTICS_MODEL_DIR": "/srv/model",
            "LINGUISTICS_MAX_SENTENCE_CHARS": "300",
            "LINGUISTICS_MAX_BATCH_ITEMS": " 40 ",
            "LINGUISTICS_LOG_LEVEL": "debug",
            "LINGUISTICS_MANIFEST_SHA256": "AB" * 32,
        }
    )
    assert settings.model_dir == Path("/srv/model")
    assert (settings.max_sentence_chars, settings.max_batch_items, settings.log_level) == (300, 40, "DEBUG")
    assert settings.expected_manifest_sha256 == "ab" * 32


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LINGUISTICS_MAX_BATCH_ITEMS", "many"),
        ("LINGUISTICS_MAX_BATCH_ITEMS", "0"),
        ("LINGUISTICS_MAX_SENTENCE_CHARS", "-5"),
        ("LINGUISTICS_MAX_SENTENCE_CHARS", "10000000"),
        ("LINGUISTICS_LOG_LEVEL", "LOUD"),
        ("LINGUISTICS_MANIFEST_SHA256", "not-a-digest"),
    ],
)
def test_unusable_values_are_refused_with_the_variable_name(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})


def test_body_limit_fits_a_full_batch_of_escaped_sentences() -> None:
    settings = Settings(model_dir=Path("."), max_sentence_chars=100, max_batch_items=10, max_key_chars=10)
    assert settings.max_body_bytes >= 10 * 6 * (100 + 10)
