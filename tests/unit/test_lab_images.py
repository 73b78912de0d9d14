from lab import images


def test_tag_is_stable_and_depends_on_recipe():
    first = images.Recipe("sid", "sid").tag
    assert first == images.Recipe("sid", "sid").tag
    assert first != images.Recipe("sid", "sid", packages=("systemd",)).tag
    assert first.startswith("sinpluma-lab/sid:")


def test_unknown_image_name_is_a_clear_error():
    import pytest

    with pytest.raises(SystemExit, match="unknown lab image 'centos'"):
        images.image_tag("centos")
