#!/usr/bin/env python3
"""Writes internal/validate/rds_versions.txt: the RDS engine versions that
AWS offers and those it has deprecated, per resource type and engine, as
bundled with the installed cfn-lint (its data is generated from the RDS
DescribeDBEngineVersions API). One list per line:

    <instance|cluster> <engine> <available|deprecated> <version> <version> ...

The first line names the source and its date. `cfngen validate` (D511)
warns on a deprecated version and on one RDS did not offer at that date,
and never calls a version newer than the data wrong.

Run: python3 tools/rdsversions.py > internal/validate/rds_versions.txt
"""
import datetime
import json
import os
import sys

import cfnlint

EXT = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "extensions")
SOURCES = {
    "instance": "aws_rds_dbinstance",
    "cluster": "aws_rds_dbcluster",
}


def lists(path):
    """Engine -> versions, from a cfn-lint extension schema of if/then rules."""
    with open(path) as f:
        doc = json.load(f)
    out = {}
    for rule in doc.get("allOf", []):
        props = rule.get("if", {}).get("properties", {})
        engine = props.get("Engine", {}).get("const")
        if not engine:
            continue
        versions = props.get("EngineVersion", {}).get("enum")
        if versions is None:
            versions = rule.get("then", {}).get("properties", {}).get("EngineVersion", {}).get("enum")
        if versions:
            out[engine] = sorted({str(v) for v in versions})
    return out


def main():
    newest = 0
    lines = []
    for kind, folder in SOURCES.items():
        for status, name in (("available", "engine_version.json"), ("deprecated", "engine_version_deprecated.json")):
            path = os.path.join(EXT, folder, name)
            newest = max(newest, os.path.getmtime(path))
            for engine, versions in sorted(lists(path).items()):
                lines.append(f"{kind} {engine} {status} {' '.join(versions)}")
    version = getattr(cfnlint, "__version__", None)
    if version is None:
        from importlib.metadata import version as v
        version = v("cfn-lint")
    date = datetime.datetime.fromtimestamp(newest, datetime.timezone.utc).date().isoformat()
    sys.stdout.write(f"# source: cfn-lint {version} data/schemas/extensions/aws_rds_*/engine_version*.json, data of {date}\n")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
