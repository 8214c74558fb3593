"""An HS256 key whose first byte is 0 (as `dd if=/dev/urandom` gives one time
in 256) makes json pick a UTF-16 codec when pyjwt looks at the key. Run as
nobody (-u), slurmrestpy can no longer import that codec, so it must be
imported when the key is read. A fresh interpreter shows it: no import is
possible once the verifier exists, and a token still verifies."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import jwt

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from server.auth import JwtVerifier

    verifier = JwtVerifier.from_files(Path(sys.argv[1]), None)
    token = sys.stdin.read().strip()  # made by the test: jwt.encode would import the codec here

    class NoImports:
        def find_spec(self, name, path=None, target=None):
            raise ImportError(f"{name}: the Python files cannot be read any more")

    sys.meta_path.insert(0, NoImports())
    print(verifier.verify(token))
""")


def test_a_key_starting_with_a_zero_byte_verifies_without_imports(tmp_path):
    key = bytes([0, 15, 168, 68]) + bytes(range(1, 60))
    (tmp_path / "jwt.key").write_bytes(key)
    now = int(time.time())
    token = jwt.encode({"sun": "srp_alice", "iat": now, "exp": now + 300}, key, algorithm="HS256")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "jwt.key")], cwd=REPO,
                          input=token, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "srp_alice"
