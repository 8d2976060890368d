#!/usr/bin/env python3
"""Writes internal/cfnschema/schema.txt: the CloudFormation resource schemas
(us-east-1, as bundled with the installed cfn-lint) reduced to what
`cfngen validate` and `cfngen diff` use: property names and value kinds,
required properties, GetAtt attributes, the properties whose change replaces
the resource, and the property that names it. One resource type per line:

    AWS::X::Y<TAB>{"p":{...},"r":[...],"a":[...],"d":{...},"c":[...],"cc":[...],"n":"..."}

Kinds: s string, n number, b boolean, o free-form object, * anything,
#Name a property type defined in "d", [K a list of kind K.
"c" lists the createOnlyProperties (a change replaces the resource), "cc" the
conditionalCreateOnlyProperties (a change may replace it, depending on the
values), both as dotted paths with * for any list item (Foo.*.Bar). "n" is
the create-only property that gives the resource its physical name, when
the type has one (BucketName, DBProxyName, Name, ...).

Run: python3 tools/schemagen.py > internal/cfnschema/schema.txt
"""
import json
import sys

from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER as manager

REGION = "us-east-1"


def kind(node, defs):
    if not isinstance(node, dict):
        return "*"
    if "$ref" in node:
        name = node["$ref"].split("/")[-1]
        target = defs.get(name, {})
        if target.get("type") == "object" and "properties" in target:
            return "#" + name
        return kind(target, defs) if target else "*"
    t = node.get("type")
    if isinstance(t, list):
        kinds = {kind(dict(node, type=x), defs) for x in t}
        return kinds.pop() if len(kinds) == 1 else "*"
    if t == "string":
        return "s"
    if t in ("number", "integer"):
        return "n"
    if t == "boolean":
        return "b"
    if t == "array":
        return "[" + kind(node.get("items", {}), defs)
    if t == "object":
        return "o"
    for key in ("oneOf", "anyOf"):
        if key in node:
            kinds = {kind(x, defs) for x in node[key]}
            return kinds.pop() if len(kinds) == 1 else "*"
    return "*"


def struct(node, defs):
    props = node.get("properties", {})
    closed = node.get("additionalProperties") is False and not node.get("patternProperties")
    out = {"p": {k: kind(v, defs) for k, v in sorted(props.items())}}
    if node.get("required"):
        out["r"] = sorted(node["required"])
    if not closed:
        out["x"] = 1  # open: other keys allowed
    return out


def paths(s, key, read_only):
    out = set()
    for p in s.get(key, []):
        if not p.startswith("/properties/"):
            continue
        dotted = p[len("/properties/"):].replace("/", ".")
        if dotted not in read_only:
            out.add(dotted)
    return sorted(out)


def name_property(type_name, create_only, props):
    """The create-only string property that names a resource of this type:
    <Type>Name or <Type>Identifier, else Name, else X+Name/X+Identifier where
    the type's last part starts or ends with X (SecurityGroup: GroupName,
    KeyPair: KeyName, ScalingPolicy: PolicyName)."""
    last = type_name.split("::")[-1]
    top = [p for p in create_only if "." not in p and props.get(p) == "s"]
    for cand in (last + "Name", last + "Identifier", "Name"):
        if cand in top:
            return cand
    for p in top:
        for suffix in ("Name", "Identifier"):
            x = p[: -len(suffix)] if p.endswith(suffix) else ""
            if len(x) >= 3 and (last.endswith(x) or last.startswith(x)):
                return p
    return ""


def main():
    types = sorted(manager.get_resource_types(REGION))
    for t in types:
        try:
            s = manager.get_resource_schema(REGION, t).schema
        except Exception:  # noqa: BLE001 - a type without a schema is skipped
            continue
        defs = s.get("definitions", {})
        read_only = {p.split("/properties/", 1)[1].replace("/", ".") for p in s.get("readOnlyProperties", [])}
        entry = struct(s, defs)
        # readOnly properties are attributes, not inputs
        for ro in read_only:
            entry["p"].pop(ro, None)
        if "r" in entry:
            entry["r"] = [r for r in entry["r"] if r not in read_only]
            if not entry["r"]:
                del entry["r"]
        entry["a"] = sorted(read_only)
        used = {}
        pending = [k[1:] for k in entry["p"].values() if k.lstrip("[").startswith("#")]
        while pending:
            name = pending.pop().lstrip("[#")
            if name in used or name not in defs:
                continue
            used[name] = struct(defs[name], defs)
            pending.extend(k.lstrip("[")[1:] for k in used[name]["p"].values() if k.lstrip("[").startswith("#"))
        if used:
            entry["d"] = dict(sorted(used.items()))
        create_only = paths(s, "createOnlyProperties", read_only)
        if create_only:
            entry["c"] = create_only
        cond = [p for p in paths(s, "conditionalCreateOnlyProperties", read_only) if p not in create_only]
        if cond:
            entry["cc"] = cond
        name = name_property(t, create_only, entry["p"])
        if name:
            entry["n"] = name
        sys.stdout.write(t + "\t" + json.dumps(entry, separators=(",", ":"), sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
