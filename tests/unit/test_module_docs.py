"""Every custom module documents itself in valid YAML (ansible-doc and ansible-lint read it)."""

import ast
from pathlib import Path

import pytest
import yaml

MODULES = sorted(
    (
        Path(__file__).resolve().parents[2]
        / "collections/ansible_collections/sinpluma/toolkit/plugins/modules"
    ).glob("*.py")
)


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.stem)
def test_documentation_is_valid_yaml(module):
    docs = {
        node.targets[0].id: node.value.value
        for node in ast.parse(module.read_text()).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == "DOCUMENTATION"
    }
    assert "DOCUMENTATION" in docs, f"{module.name} has no DOCUMENTATION"
    parsed = yaml.safe_load(docs["DOCUMENTATION"])
    assert parsed["module"] == module.stem
    assert parsed["short_description"]
