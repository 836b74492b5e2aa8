"""The receiver-side helper documented in docs/notifications.md ("Verifying a delivery"), taken
from the document itself so that the tests check what receivers are told to run."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]


def documented_verify():
    """The `verify(secret, timestamp, body, signature, tolerance=300)` function of the Python block."""
    text = (ROOT / "docs/notifications.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    block = next(b for b in blocks if "def verify(" in b)
    namespace: dict = {}
    exec(compile(block, "docs/notifications.md", "exec"), namespace)  # the documentation's own code
    return namespace["verify"]
