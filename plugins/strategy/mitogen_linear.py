"""Mitogen's linear strategy, loaded from the installed `mitogen` package.

ansible.cfg cannot point at a virtualenv's site-packages portably (its path contains the Python
version), so this one-class shim makes `strategy = mitogen_linear` work from the repository.
"""

import ansible_mitogen.loaders
import ansible_mitogen.strategy

Base = ansible_mitogen.loaders.strategy_loader.get("linear", class_only=True)


class StrategyModule(ansible_mitogen.strategy.StrategyMixin, Base):
    pass
