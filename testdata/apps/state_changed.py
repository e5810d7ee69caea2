"""state.py with the words joined by commas: its changed twin.

Only calls that read a State an earlier call of the session changed differ
("apple,banana"), which code that keeps no session cannot see.
"""

import _testbed
from state import build_demo

if __name__ == "__main__":
    _testbed.launch(build_demo(","))
