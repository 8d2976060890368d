#!/usr/bin/env python3
"""Writes internal/validate/lambda_runtimes.txt: the AWS Lambda runtime
lifecycle (deprecation, block of function creation, block of updates) as
bundled with the installed cfn-lint. One runtime per line:

    <runtime> <deprecated> <create-block> <update-block> <successor|->

The first line names the source. `cfngen validate` (D549) errs on a runtime
whose creation AWS has blocked, and warns on a deprecated one.

Run: python3 tools/lambdaruntimes.py > internal/validate/lambda_runtimes.txt
"""
import datetime
import json
import os
import sys

import cfnlint

PATH = os.path.join(os.path.dirname(cfnlint.__file__), "data", "AdditionalSpecs", "LmbdRuntimeLifecycle.json")


def main():
    with open(PATH) as f:
        data = json.load(f)
    try:
        version = cfnlint.__version__
    except AttributeError:
        from importlib.metadata import version as v
        version = v("cfn-lint")
    date = datetime.datetime.fromtimestamp(os.path.getmtime(PATH), datetime.timezone.utc).date().isoformat()
    sys.stdout.write(f"# source: cfn-lint {version} data/AdditionalSpecs/LmbdRuntimeLifecycle.json, data of {date}\n")
    for runtime, d in sorted(data.items()):
        sys.stdout.write(f"{runtime} {d['deprecated']} {d['create-block']} {d['update-block']} {d.get('successor') or '-'}\n")


if __name__ == "__main__":
    main()
