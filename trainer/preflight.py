#!/usr/bin/env python3
"""Can this interpreter run a backend? Imports each package a backend needs and prints one JSON
line: {"python": sys.version, "packages": {"torch": "2.13.0" | null, ...}, "errors": {name: text}}.

    python trainer/preflight.py tiny|trl

`dialogue-curator serve` runs it before it listens, so a server without the packages refuses to
start with the fix instead of accepting jobs that fail one by one.
"""

import importlib
import json
import sys

NEEDS = {
    "tiny": ["torch"],
    "trl": ["torch", "transformers", "trl", "accelerate", "peft", "datasets", "safetensors", "tokenizers"],
}
OPTIONAL = {"trl": ["tensorboard", "trackio"], "tiny": []}


def probe(name):
    try:
        module = importlib.import_module(name)
    except Exception as err:  # noqa: BLE001 - any import failure is the answer
        return None, "%s: %s" % (type(err).__name__, err)
    return str(getattr(module, "__version__", "unknown")), None


def main(argv):
    backend = argv[1] if len(argv) > 1 else "trl"
    packages, errors = {}, {}
    for name in NEEDS.get(backend, []):
        packages[name], error = probe(name)
        if error:
            errors[name] = error
    optional = {}
    for name in OPTIONAL.get(backend, []):
        optional[name], _ = probe(name)
    print(json.dumps({"python": sys.version.split()[0], "executable": sys.executable, "packages": packages, "optional": optional, "errors": errors}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
