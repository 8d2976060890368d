package diff

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// tri is a three-valued truth: what a condition or a comparison is when some
// parameter values are unknown.
type tri int

const (
	unknown tri = iota
	yes
	no
)

func triOf(b bool) tri {
	if b {
		return yes
	}
	return no
}

// noValue is what Ref AWS::NoValue evaluates to: the key or item goes away.
type noValueT struct{}

var noValue = noValueT{}

// side is one template with the parameter values it is deployed with:
// evaluating a value substitutes every known parameter, picks the branch of
// every decidable Fn::If and looks up every FindInMap with known keys.
// What cannot be decided stays an intrinsic.
type side struct {
	t        Template
	values   map[string]string // parameter -> value, known ones only
	unknown  map[string]bool   // parameters of the template without a known value
	conds    map[string]tri
	visiting map[string]bool
	cache    map[string]any // "id/attr" -> evaluated resource attribute
}

func newSide(t Template) *side {
	s := &side{t: t, values: map[string]string{}, unknown: map[string]bool{}, conds: map[string]tri{}, visiting: map[string]bool{}, cache: map[string]any{}}
	for name, p := range section(t.Tree, "Parameters") {
		def, hasDefault := scalar(mapOf(p)["Default"])
		if t.Unknown[name] {
			s.unknown[name] = true
		} else if v, ok := t.Params[name]; ok {
			s.values[name] = v
		} else if hasDefault {
			s.values[name] = def
		} else {
			s.unknown[name] = true
		}
	}
	return s
}

// res returns an attribute of a resource (Properties, DeletionPolicy, ...),
// evaluated once.
func (s *side) res(id, attr string) any {
	key := id + "/" + attr
	if v, ok := s.cache[key]; ok {
		return v
	}
	v := s.eval(mapOf(section(s.t.Tree, "Resources")[id])[attr])
	s.cache[key] = v
	return v
}

// cond evaluates a named condition.
func (s *side) cond(name string) tri {
	if v, ok := s.conds[name]; ok {
		return v
	}
	if s.visiting[name] {
		return unknown // a cycle: the template is broken; do not loop
	}
	s.visiting[name] = true
	expr, ok := section(s.t.Tree, "Conditions")[name]
	v := unknown
	if ok {
		v = s.condExpr(expr)
	}
	delete(s.visiting, name)
	s.conds[name] = v
	return v
}

// condExpr evaluates a condition expression.
func (s *side) condExpr(e any) tri {
	fn, arg, ok := cfn.Intrinsic(e)
	if !ok {
		if str, ok := scalar(e); ok {
			return s.condLiteral(str)
		}
		return unknown
	}
	args, _ := arg.([]any)
	switch fn {
	case "Condition":
		name, _ := arg.(string)
		return s.cond(name)
	case "Fn::Equals":
		if len(args) != 2 {
			return unknown
		}
		a, b := s.eval(args[0]), s.eval(args[1])
		as, aok := scalar(a)
		bs, bok := scalar(b)
		if aok && bok {
			return triOf(as == bs)
		}
		if equal(a, b) {
			return yes
		}
		return unknown
	case "Fn::Not":
		if len(args) != 1 {
			return unknown
		}
		switch s.condExpr(args[0]) {
		case yes:
			return no
		case no:
			return yes
		}
		return unknown
	case "Fn::And", "Fn::Or":
		want := no // Fn::And is false as soon as one is
		if fn == "Fn::Or" {
			want = yes
		}
		result := triOf(fn == "Fn::And")
		for _, a := range args {
			v := s.condExpr(a)
			if v == want {
				return want
			}
			if v == unknown {
				result = unknown
			}
		}
		return result
	}
	return unknown
}

func (s *side) condLiteral(str string) tri {
	switch strings.ToLower(str) {
	case "true":
		return yes
	case "false":
		return no
	}
	return unknown
}

// exists says whether a resource or output with this Condition attribute is
// created.
func (s *side) exists(body map[string]any) tri {
	c, ok := body["Condition"].(string)
	if !ok {
		return yes
	}
	return s.cond(c)
}

// eval returns v with everything decidable decided; scalars become strings
// (CloudFormation passes every parameter and most properties as strings),
// so 7 and '7' compare equal.
func (s *side) eval(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if fn, arg, ok := cfn.Intrinsic(x); ok {
			return s.evalFn(fn, arg)
		}
		out := make(map[string]any, len(x))
		for k, val := range x {
			if e := s.eval(val); e != noValue {
				out[k] = e
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(x))
		for _, val := range x {
			if e := s.eval(val); e != noValue {
				out = append(out, e)
			}
		}
		return out
	}
	if str, ok := scalar(v); ok {
		return str
	}
	return v
}

func (s *side) evalFn(fn string, arg any) any {
	args, _ := arg.([]any)
	switch fn {
	case "Ref":
		name, _ := arg.(string)
		if name == "AWS::NoValue" {
			return noValue
		}
		if v, ok := s.values[name]; ok {
			return v
		}
		return map[string]any{fn: name}
	case "Fn::If":
		if len(args) == 3 {
			name, _ := args[0].(string)
			switch s.cond(name) {
			case yes:
				return s.eval(args[1])
			case no:
				return s.eval(args[2])
			}
			return map[string]any{fn: []any{name, kept(s.eval(args[1])), kept(s.eval(args[2]))}}
		}
	case "Fn::FindInMap":
		if len(args) >= 3 {
			keys := make([]any, len(args))
			for i, a := range args {
				keys[i] = s.eval(a)
			}
			m, mok := scalar(keys[0])
			k1, ok1 := scalar(keys[1])
			k2, ok2 := scalar(keys[2])
			if mok && ok1 && ok2 {
				if top, ok := mapOf(section(s.t.Tree, "Mappings")[m])[k1]; ok {
					if val, ok := mapOf(top)[k2]; ok {
						return s.eval(val)
					}
				}
			}
			return map[string]any{fn: keys}
		}
	case "Fn::Sub":
		return s.evalSub(arg)
	case "Fn::Join":
		if len(args) == 2 {
			delim, dok := scalar(args[0])
			list, lok := s.eval(args[1]).([]any)
			if dok && lok {
				parts := make([]string, 0, len(list))
				for _, item := range list {
					str, ok := scalar(item)
					if !ok {
						return map[string]any{fn: []any{delim, list}}
					}
					parts = append(parts, str)
				}
				return strings.Join(parts, delim)
			}
		}
	case "Fn::Select":
		if len(args) == 2 {
			idx, iok := scalar(s.eval(args[0]))
			list, lok := s.eval(args[1]).([]any)
			if i, err := strconv.Atoi(idx); iok && lok && err == nil && i >= 0 && i < len(list) {
				return list[i]
			}
		}
	}
	return map[string]any{fn: s.eval(arg)}
}

// kept writes AWS::NoValue back where an undecided Fn::If may pick it.
func kept(v any) any {
	if v == noValue {
		return map[string]any{"Ref": "AWS::NoValue"}
	}
	return v
}

// evalSub substitutes the known parameters and literal variables of a
// Fn::Sub; it returns a plain string when nothing is left to substitute.
func (s *side) evalSub(arg any) any {
	var tmpl string
	vars := map[string]any{}
	switch x := arg.(type) {
	case string:
		tmpl = x
	case []any:
		if len(x) != 2 {
			return map[string]any{"Fn::Sub": s.eval(arg)}
		}
		tmpl, _ = x[0].(string)
		for k, v := range mapOf(x[1]) {
			vars[k] = s.eval(v)
		}
	default:
		return map[string]any{"Fn::Sub": s.eval(arg)}
	}
	var b strings.Builder
	left := false
	used := map[string]bool{}
	for rest := tmpl; ; {
		i := strings.Index(rest, "${")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		if strings.HasPrefix(rest, "${!") {
			b.WriteString("${!")
			rest = rest[3:]
			left = true // keeps the escape until the string is final
			continue
		}
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			b.WriteString(rest)
			break
		}
		name := rest[2:end]
		if v, ok := vars[name]; ok {
			if str, ok := scalar(v); ok {
				b.WriteString(str)
				rest = rest[end+1:]
				continue
			}
			used[name] = true
		} else if v, ok := s.values[name]; ok {
			b.WriteString(v)
			rest = rest[end+1:]
			continue
		}
		b.WriteString(rest[:end+1])
		rest = rest[end+1:]
		left = true
	}
	out := b.String()
	if !left {
		return out
	}
	if len(used) == 0 {
		return map[string]any{"Fn::Sub": out}
	}
	keep := map[string]any{}
	for k := range used {
		keep[k] = vars[k]
	}
	return map[string]any{"Fn::Sub": []any{out, keep}}
}

// uncertain reports whether an evaluated value still depends on something
// the forecast cannot know: a condition, a parameter without a value, a
// mapping lookup with unknown keys, an import from another stack.
func (s *side) uncertain(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if fn, arg, ok := cfn.Intrinsic(x); ok {
			switch fn {
			case "Fn::If", "Fn::FindInMap", "Fn::ImportValue":
				return true
			case "Ref":
				name, _ := arg.(string)
				return s.unknown[name]
			case "Fn::Sub":
				tmpl := arg
				if l, ok := arg.([]any); ok && len(l) > 0 {
					tmpl = l[0]
					if s.uncertain(l[1:]) {
						return true
					}
				}
				str, _ := tmpl.(string)
				for name := range s.unknown {
					if strings.Contains(str, "${"+name+"}") {
						return true
					}
				}
				return false
			}
			return s.uncertain(arg)
		}
		for _, val := range x {
			if s.uncertain(val) {
				return true
			}
		}
	case []any:
		for _, val := range x {
			if s.uncertain(val) {
				return true
			}
		}
	}
	return false
}

// scalar returns a scalar as the string CloudFormation sees.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	case int:
		return strconv.Itoa(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func section(tree map[string]any, name string) map[string]any { return mapOf(tree[name]) }

// equal compares two evaluated values.
func equal(a, b any) bool {
	if a == noValue || b == noValue {
		return a == b
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equal(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	as, aok := scalar(a)
	bs, bok := scalar(b)
	if aok || bok {
		return aok && bok && as == bs
	}
	return a == nil && b == nil
}

// short renders a value on one line for people, at most 80 characters:
// strings as they are, intrinsics in short form (!Ref X), the rest as JSON.
func short(v any) string { return clip(full(v)) }

func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:77]) + "..."
	}
	return s
}

// full renders a value on one line.
func full(v any) string {
	var out string
	switch x := v.(type) {
	case nil, noValueT:
		out = "(none)"
	case string:
		out = x
		if x == "" {
			out = "''"
		}
	default:
		if fn, arg, ok := cfn.Intrinsic(x); ok {
			name := strings.TrimPrefix(fn, "Fn::")
			switch a := arg.(type) {
			case string:
				out = "!" + name + " " + a
			default:
				if fn == "Fn::GetAtt" {
					if l, ok := a.([]any); ok && len(l) == 2 {
						out = fmt.Sprintf("!GetAtt %v.%v", l[0], l[1])
						break
					}
				}
				out = "!" + name + " " + compact(a)
			}
		} else {
			out = compact(x)
		}
	}
	return out
}

func compact(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
