"""Start-up: `kg` imports only what a command uses. The SHACL validator (pyshacl, rdflib: a fifth of a second) is
imported by `kg validate`, a validating `kg load` and `kg export` only, not by every command."""

from __future__ import annotations

import json
import subprocess
import sys


def imported_by(statement: str, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter has imported after running `statement`."""
    listed = f"print(json.dumps([m for m in {list(modules)!r} if m in sys.modules]))"
    code = f"import json\nimport sys\n{statement}\n{listed}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_does_not_import_the_validator_or_rdflib() -> None:
    assert imported_by("import kg.cli", ("pyshacl", "rdflib")) == []


def test_the_validator_is_there_when_a_command_needs_it() -> None:
    # the check above would pass with a broken module too: the validator must still import and be found
    assert imported_by("import kg.cli\nfrom loaders.rdf.validation import validate", ("pyshacl", "rdflib")) == [
        "pyshacl",
        "rdflib",
    ]
