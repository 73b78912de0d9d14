"""Makes the helpers shared by the minio-* scenarios importable (molecule/minio-testlib)."""

import sys
from pathlib import Path

LIB = Path(__file__).resolve().parents[2] / "minio-testlib"
if str(LIB) not in sys.path:
    sys.path.insert(0, str(LIB))
