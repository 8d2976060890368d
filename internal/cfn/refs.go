package cfn

import (
	"regexp"
	"strings"
)

// The one reader of references in a parsed template: which names a value
// refers to and how. graph draws with it, docs explains with it, validate
// and diff check with it.

// RefKind is how a value refers to a resource or parameter; a value may
// refer to one name in several ways.
type RefKind uint8

// The ways a value refers to a name.
const (
	ByRef RefKind = 1 << iota
	ByGetAtt
	BySub
	ByDependsOn
)

// String names the kinds of k, "Ref|GetAtt" for example.
func (k RefKind) String() string {
	var parts []string
	for _, n := range []struct {
		k    RefKind
		name string
	}{{ByRef, "Ref"}, {ByGetAtt, "GetAtt"}, {BySub, "Sub"}, {ByDependsOn, "DependsOn"}} {
		if k&n.k != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, "|")
}

// Intrinsic reports whether v is an intrinsic function call in a parsed
// template, {"Fn::X": arg}, {"Ref": name} or {"Condition": name}, and
// returns its name and argument.
func Intrinsic(v any) (string, any, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", nil, false
	}
	for k, arg := range m {
		if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k, arg, true
		}
	}
	return "", nil, false
}

// Intrinsics calls f for every intrinsic function in v (Ref, Condition and
// every Fn::) with its argument, an outer one before those inside it, in no
// particular order otherwise: callers collect sets.
func Intrinsics(v any, f func(fn string, arg any)) {
	switch x := v.(type) {
	case map[string]any:
		if k, a, ok := Intrinsic(x); ok {
			f(k, a)
		}
		for _, e := range x {
			Intrinsics(e, f)
		}
	case []any:
		for _, e := range x {
			Intrinsics(e, f)
		}
	}
}

// subVar matches ${Name} and ${Name.Attr} in a Fn::Sub string, not ${!Literal}.
var subVar = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// SubVars lists the ${Var} and ${Name.Attr} variables of a Fn::Sub string
// as written, pseudo parameters included, not ${!Literal}.
func SubVars(s string) []string {
	var out []string
	for _, m := range subVar.FindAllStringSubmatch(s, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

// SubOnly returns the variable of a Fn::Sub string that is one ${Var} and
// nothing else.
func SubOnly(s string) (string, bool) {
	m := subVar.FindStringSubmatch(s)
	if m == nil || m[0] != s {
		return "", false
	}
	return m[1], true
}

// SubNames lists the names a Fn::Sub string refers to (the part before a dot
// for ${Resource.Attr}), skipping ${!Literal} and pseudo parameters (AWS::).
func SubNames(s string) []string {
	var out []string
	for _, name := range SubVars(s) {
		if strings.HasPrefix(name, "AWS::") {
			continue
		}
		name, _, _ = strings.Cut(name, ".")
		out = append(out, name)
	}
	return out
}

// References maps every resource or parameter name that v refers to by Ref,
// GetAtt (both forms) or Sub (string and list form; names defined in the
// list form's variable map are local) to how it refers to it. Pseudo
// parameters (AWS::Region, ...) are left out.
func References(v any) map[string]RefKind {
	out := map[string]RefKind{}
	add := func(name string, k RefKind) {
		if name != "" && !strings.HasPrefix(name, "AWS::") {
			out[name] |= k
		}
	}
	Intrinsics(v, func(fn string, arg any) {
		switch fn {
		case "Ref":
			s, _ := arg.(string)
			add(s, ByRef)
		case "Fn::GetAtt":
			switch x := arg.(type) {
			case []any:
				if len(x) > 0 {
					s, _ := x[0].(string)
					add(s, ByGetAtt)
				}
			case string:
				res, _, _ := strings.Cut(x, ".")
				add(res, ByGetAtt)
			}
		case "Fn::Sub":
			var s string
			var local map[string]any
			switch x := arg.(type) {
			case string:
				s = x
			case []any:
				if len(x) > 0 {
					s, _ = x[0].(string)
				}
				if len(x) > 1 {
					local, _ = x[1].(map[string]any)
				}
			}
			for _, name := range SubNames(s) {
				if _, ok := local[name]; !ok {
					add(name, BySub)
				}
			}
		}
	})
	return out
}
