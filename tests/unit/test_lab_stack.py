from lab import stack


def test_hostvars_become_specs_with_defaults():
    specs = stack.specs_from_hostvars(
        {"lab-db1": {"lab_networks": ["cluster"]}, "lab-api": {"lab_image": "debian13"}}
    )
    assert [(s.name, s.image, s.networks) for s in specs] == [
        ("lab-api", "debian13", ("sinpluma-lab",)),
        ("lab-db1", "sid", ("cluster",)),
    ]
    assert all(s.labels == {stack.STACK_LABEL: "1"} for s in specs)
