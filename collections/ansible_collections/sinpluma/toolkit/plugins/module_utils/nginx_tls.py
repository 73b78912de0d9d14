"""Mozilla's "intermediate" TLS settings, for the nginx and OpenSSL versions actually installed.

Guideline 5.7 (https://ssl-config.mozilla.org/): TLS 1.2 and 1.3, the ECDHE AEAD ciphers for
1.2 (the DHE ones are left out: they need a dhparam file and add nothing for current clients),
the post-quantum hybrid group first where OpenSSL has it (3.5+), `http2 on;` where nginx has the
directive (1.25.1+; older versions take `http2` as a `listen` parameter).
"""

from __future__ import annotations

import re
from typing import Any

CIPHERS_TLS12 = ":".join(
    [
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
    ]
)
CLASSIC_GROUPS = ["X25519", "prime256v1", "secp384r1"]
HYBRID_GROUP = "X25519MLKEM768"


class VersionError(ValueError):
    """A version string that does not name a version."""


def parse_version(text: str, name: str) -> tuple[int, ...]:
    """(1, 26, 3) from "nginx version: nginx/1.26.3" or "OpenSSL 3.5.1 1 Jul 2025"."""
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text or "")
    if not match:
        raise VersionError(f"cannot read the {name} version from {text!r}")
    return tuple(int(part or 0) for part in match.groups())


def settings(nginx_version_text: str, openssl_version_text: str) -> dict[str, Any]:
    nginx = parse_version(nginx_version_text, "nginx")
    openssl = parse_version(openssl_version_text, "OpenSSL")
    groups = ([HYBRID_GROUP] if openssl >= (3, 5, 0) else []) + CLASSIC_GROUPS
    return {
        "nginx_version": ".".join(map(str, nginx)),
        "openssl_version": ".".join(map(str, openssl)),
        "protocols": "TLSv1.2 TLSv1.3",
        "ciphers": CIPHERS_TLS12,
        "groups": ":".join(groups),
        "http2_directive": nginx >= (1, 25, 1),
    }
