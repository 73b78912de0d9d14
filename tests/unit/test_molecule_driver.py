from lab import molecule_driver


def test_platforms_become_host_specs_with_scenario_networks(tmp_path):
    molecule_file = tmp_path / "molecule.yml"
    molecule_file.write_text(
        "platforms:\n"
        "  - name: a\n    image: debian12\n    networks: [{name: front}, {name: back}]\n"
        "  - name: b\n"
    )
    specs = molecule_driver.host_specs(molecule_file, "redis")
    assert specs[0].image == "debian12"
    assert specs[0].networks == ("molecule-redis-front", "molecule-redis-back")
    assert specs[1].image == "sid"
    assert specs[1].networks == ("molecule-redis-default",)
    assert molecule_driver.instance_config(specs)[0] == {
        "instance": "a",
        "address": "a",
        "connection": "docker",
        "become_method": "su",
    }
