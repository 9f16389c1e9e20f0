"""`python -m argmap`."""

import sys

from argmap.cli import main

if __name__ == "__main__":  # not on import (pytest imports every module for its doctests)
    sys.exit(main())
