package validate

import (
	"strconv"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// fn returns the intrinsic function of a value, if it is one.
var fn = cfn.Intrinsic

// isRef reports whether v is !Ref name.
func isRef(v any, name string) bool {
	f, a, ok := fn(v)
	return ok && f == "Ref" && a == name
}

// refTarget returns the logical id or parameter a value references by Ref
// or GetAtt, or "".
func refTarget(v any) string {
	f, a, ok := fn(v)
	if !ok {
		return ""
	}
	switch f {
	case "Ref":
		s, _ := a.(string)
		return s
	case "Fn::GetAtt":
		switch x := a.(type) {
		case []any:
			if len(x) > 0 {
				s, _ := x[0].(string)
				return s
			}
		case string:
			res, _, _ := strings.Cut(x, ".")
			return res
		}
	}
	return ""
}

// literal returns a value as a string when it is a literal scalar.
func literal(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case nil:
		return "", false
	}
	if _, _, ok := fn(v); ok {
		return "", false
	}
	if n, ok := v.(interface{ String() string }); ok {
		return n.String(), true
	}
	return "", false
}

// number returns a literal numeric value.
func number(v any) (float64, bool) {
	s, ok := literal(v)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// truthy reports whether a literal value is true ("true" or true).
func truthy(v any) bool {
	s, ok := literal(v)
	return ok && strings.EqualFold(s, "true")
}

// walk calls f for every value in v with its path below base, intrinsics
// included. Paths are built lazily: f turns one into a string only when it
// needs it.
func walk(base *nodePath, v any, f func(path *nodePath, v any)) {
	f(base, v)
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walk(base.child(k), e, f)
		}
	case []any:
		for i, e := range x {
			walk(base.index(i), e, f)
		}
	}
}

// visit calls f for every value in v, without building paths.
func visit(v any, f func(v any)) {
	f(v)
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			visit(e, f)
		}
	case []any:
		for _, e := range x {
			visit(e, f)
		}
	}
}

// dependsOn lists a resource's DependsOn entries.
func dependsOn(r Resource) []string { return cfn.DependsOn(r.Body["DependsOn"]) }

// eachReference is the one reference walker: it calls f for every name a
// value refers to, with the attribute when there is one: !Ref X (X, ""),
// !GetAtt X.Attr (X, Attr), and ${X} / ${X.Attr} in Fn::Sub strings
// (variables the Fn::Sub defines itself excluded).
func eachReference(v any, f func(name, attr string)) {
	visit(v, func(x any) {
		fn, a, ok := fn(x)
		if !ok {
			return
		}
		switch fn {
		case "Ref":
			if s, ok := a.(string); ok && s != "" {
				f(s, "")
			}
		case "Fn::GetAtt":
			if res, attr, ok := getAttParts(a); ok {
				f(res, attr)
			} else if t := refTarget(x); t != "" {
				f(t, "")
			}
		case "Fn::Sub":
			s, vars := subParts(a)
			for _, name := range cfn.SubVars(s) {
				name, attr, _ := strings.Cut(name, ".")
				if _, local := vars[name]; !local {
					f(name, attr)
				}
			}
		}
	})
}

// references lists every logical id or parameter a value refers to (see
// eachReference).
func references(v any) []string {
	var out []string
	eachReference(v, func(name, _ string) { out = append(out, name) })
	return out
}

// subParts splits a Fn::Sub argument into its string and variable map.
func subParts(a any) (string, map[string]any) {
	switch x := a.(type) {
	case string:
		return x, nil
	case []any:
		if len(x) == 2 {
			s, _ := x[0].(string)
			vars, _ := x[1].(map[string]any)
			return s, vars
		}
	}
	return "", nil
}

// stringsIn lists the literal strings in a value, and the Sub templates.
func stringsIn(v any) []string {
	var out []string
	visit(v, func(x any) {
		switch s := x.(type) {
		case string:
			out = append(out, s)
		}
	})
	return out
}
