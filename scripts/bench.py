"""The benchmark moved into the `benchmarks` package: this runs `python -m benchmarks` with the
same arguments (see benchmarks/README.md)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.run import main

if __name__ == "__main__":
    sys.exit(main())
