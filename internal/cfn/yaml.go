package cfn

import (
	"encoding/json"
	"fmt"
	"strings"
)

// YAML encodes the document as canonical CloudFormation YAML: sections in the
// conventional order, keys by the ordering table (order.go), short-form
// intrinsics, two-space indentation, no line wrapping.
//
// cfngen writes YAML itself rather than through a generic emitter: the
// subset it needs is small (block and flow collections, plain, single-quoted,
// double-quoted and literal scalars, CloudFormation tags), the layout rules
// are its own, and Verify reads every result back with an independent YAML
// parser, so a mistake here is an error, never a silent write.
func (d *Doc) YAML() ([]byte, error) {
	w := &yamlWriter{b: make([]byte, 0, 64<<10)}
	w.b = append(w.b, "AWSTemplateFormatVersion: '2010-09-09'\n"...)
	if d.Description != "" {
		w.key(0, "Description")
		w.value(0, "body", d.Description)
	}
	if d.Metadata != nil {
		w.key(0, "Metadata")
		w.value(0, "block", d.Metadata)
	}
	for _, s := range d.Sections {
		w.key(0, s.Name)
		if len(s.Entries) == 0 {
			w.b = append(w.b, " {}\n"...)
			continue
		}
		w.b = append(w.b, '\n')
		ctx := s.Name
		if ctx == "Mappings" || ctx == "Conditions" {
			ctx = "body"
		}
		for _, e := range s.Entries {
			w.key(2, e.Name)
			if m, ok := e.Body.(map[string]any); ok && ctx != "body" {
				w.mapping(2, ctx, m, false)
			} else {
				w.value(2, "body", e.Body)
			}
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	return w.b, nil
}

type yamlWriter struct {
	b   []byte
	err error
}

func (w *yamlWriter) indent(n int) {
	for i := 0; i < n; i++ {
		w.b = append(w.b, ' ')
	}
}

// key writes "key:" at the given indentation; the value follows.
func (w *yamlWriter) key(indent int, k string) {
	w.indent(indent)
	w.scalar(k, false)
	w.b = append(w.b, ':')
}

// value writes the value of a key written at indent: on the same line when it
// is a scalar or a flow collection, else on the following lines.
func (w *yamlWriter) value(indent int, ctx string, v any) {
	switch x := v.(type) {
	case map[string]any:
		if fn, arg, ok := intrinsic(x); ok {
			w.intrinsic(indent, fn, arg)
			return
		}
		if ctx == "block" {
			w.mapping(indent, "body", x, false)
			return
		}
		w.mapping(indent, ctx, x, ctx == "body")
	case []any:
		w.sequence(indent, x)
	case string:
		w.text(indent, x)
	default:
		w.b = append(w.b, ' ')
		w.atom(x)
		w.b = append(w.b, '\n')
	}
}

// mapping writes a mapping below a key at indent (its entries at indent+2),
// or inline as {k: v} when allowed and small.
func (w *yamlWriter) mapping(indent int, ctx string, m map[string]any, mayInline bool) {
	if len(m) == 0 {
		w.b = append(w.b, " {}\n"...)
		return
	}
	keys := orderedKeys(ctx, m)
	if mayInline && smallMap(keys, m) {
		w.flowLine(m)
		return
	}
	w.b = append(w.b, '\n')
	w.entries(indent+2, ctx, keys, m)
}

func (w *yamlWriter) entries(indent int, ctx string, keys []string, m map[string]any) {
	for _, k := range keys {
		w.indent(indent)
		w.scalar(k, false)
		w.b = append(w.b, ':')
		child := "body"
		if ctx == "Resources" && (k == "Properties" || k == "Metadata") {
			child = "block" // a resource's properties always read as a block
		}
		w.value(indent, child, m[k])
	}
}

// sequence writes a list below a key at indent: "- item" lines at indent+2,
// or inline as [a, b] when it reads well on one line.
func (w *yamlWriter) sequence(indent int, l []any) {
	if len(l) == 0 {
		w.b = append(w.b, " []\n"...)
		return
	}
	if flowable(l) {
		w.flowLine(l)
		return
	}
	w.b = append(w.b, '\n')
	w.items(indent+2, l)
}

func (w *yamlWriter) items(indent int, l []any) {
	// Objects in one list are all inline or all blocks, so that a list reads
	// as one table.
	inline := true
	for _, e := range l {
		if x, ok := e.(map[string]any); ok {
			if _, _, fn := intrinsic(x); !fn && len(x) > 0 && !smallMap(orderedKeys("body", x), x) {
				inline = false
			}
		}
	}
	for _, e := range l {
		w.indent(indent)
		w.b = append(w.b, '-')
		switch x := e.(type) {
		case map[string]any:
			if _, _, ok := intrinsic(x); ok || len(x) == 0 || inline {
				w.value(indent, "body", x)
				continue
			}
			// The first entry shares the dash's line; the rest align with it.
			keys := orderedKeys("body", x)
			w.b = append(w.b, ' ')
			w.scalar(keys[0], false)
			w.b = append(w.b, ':')
			w.value(indent+2, "body", x[keys[0]])
			w.entries(indent+2, "body", keys[1:], x)
		case []any:
			if flowable(x) {
				w.flowLine(x)
				continue
			}
			w.b = append(w.b, '\n')
			w.items(indent+2, x)
		default:
			w.value(indent, "body", x)
		}
	}
}

// intrinsic writes a function in short form after a key or dash: !Ref X,
// !GetAtt A.B, !Sub '...', !If [c, a, b] or a block sequence below the tag.
// A node carries one tag, so a function whose argument is itself a function
// or an object is written in long form (Fn::Base64: !Sub ...).
func (w *yamlWriter) intrinsic(indent int, fn string, arg any) {
	tag := shortTags[fn]
	switch a := arg.(type) {
	case string:
		w.b = append(w.b, ' ')
		w.b = append(w.b, tag...)
		w.text(indent, a)
		return
	case []any:
		if fn == "Fn::GetAtt" && len(a) == 2 {
			res, ok1 := a[0].(string)
			attr, ok2 := a[1].(string)
			if ok1 && ok2 && plainSafe(res+"."+attr, false) {
				w.b = append(w.b, ' ')
				w.b = append(w.b, tag...)
				w.b = append(w.b, ' ')
				w.b = append(w.b, res...)
				w.b = append(w.b, '.')
				w.b = append(w.b, attr...)
				w.b = append(w.b, '\n')
				return
			}
		}
		w.b = append(w.b, ' ')
		w.b = append(w.b, tag...)
		if flowable(a) {
			w.flowLine(a)
			return
		}
		w.b = append(w.b, '\n')
		w.items(indent+2, a)
		return
	}
	w.b = append(w.b, '\n')
	w.indent(indent + 2)
	w.b = append(w.b, fn...)
	w.b = append(w.b, ':')
	w.value(indent+2, "body", arg)
}

// text writes a string value after a key, tag or dash at indent: " value"
// on the same line, or a literal block on the lines below.
func (w *yamlWriter) text(indent int, s string) {
	w.b = append(w.b, ' ')
	if isLiteral(s) {
		w.literal(indent+2, s)
		return
	}
	w.scalar(s, false)
	w.b = append(w.b, '\n')
}

// flowLine writes " value" in flow style and ends the line.
func (w *yamlWriter) flowLine(v any) {
	w.b = append(w.b, ' ')
	w.flow(v)
	w.b = append(w.b, '\n')
}

// flow writes a value on one line: [a, b], {k: v}, tagged scalars.
func (w *yamlWriter) flow(v any) {
	switch x := v.(type) {
	case []any:
		w.b = append(w.b, '[')
		for i, e := range x {
			if i > 0 {
				w.b = append(w.b, ", "...)
			}
			w.flow(e)
		}
		w.b = append(w.b, ']')
	case map[string]any:
		if fn, arg, ok := intrinsic(x); ok {
			w.b = append(w.b, shortTags[fn]...)
			if s, ok := arg.(string); ok {
				w.b = append(w.b, ' ')
				w.scalar(s, true)
				return
			}
			if l, ok := arg.([]any); ok && fn == "Fn::GetAtt" && len(l) == 2 {
				r, ok1 := l[0].(string)
				a, ok2 := l[1].(string)
				if ok1 && ok2 && plainSafe(r+"."+a, true) {
					w.b = append(w.b, ' ')
					w.b = append(w.b, r+"."+a...)
					return
				}
			}
			w.b = append(w.b, ' ')
			w.flow(arg)
			return
		}
		w.b = append(w.b, '{')
		for i, k := range orderedKeys("body", x) {
			if i > 0 {
				w.b = append(w.b, ", "...)
			}
			w.scalar(k, true)
			w.b = append(w.b, ": "...)
			w.flow(x[k])
		}
		w.b = append(w.b, '}')
	case string:
		w.scalar(x, true)
	default:
		w.atom(x)
	}
}

func (w *yamlWriter) atom(v any) {
	switch x := v.(type) {
	case json.Number:
		w.b = append(w.b, x...)
	case bool:
		if x {
			w.b = append(w.b, "true"...)
		} else {
			w.b = append(w.b, "false"...)
		}
	case nil:
		w.b = append(w.b, "null"...)
	default:
		if w.err == nil {
			w.err = fmt.Errorf("encode yaml: unexpected %T value", v)
		}
	}
}

// scalar writes a string: plain where a reader would read it back as the
// same string, else single-quoted, else double-quoted with escapes.
func (w *yamlWriter) scalar(s string, inFlow bool) {
	switch {
	case plainSafe(s, inFlow):
		w.b = append(w.b, s...)
	case printable(s):
		w.b = append(w.b, '\'')
		w.b = append(w.b, strings.ReplaceAll(s, "'", "''")...)
		w.b = append(w.b, '\'')
	default:
		q, _ := json.Marshal(s)
		w.b = append(w.b, q...)
	}
}

// literal writes a multi-line string as a literal block scalar with its
// lines at indent.
func (w *yamlWriter) literal(indent int, s string) {
	body := strings.TrimRight(s, "\n")
	switch trailing := len(s) - len(body); trailing {
	case 0:
		w.b = append(w.b, "|-\n"...)
	case 1:
		w.b = append(w.b, "|\n"...)
	default:
		w.b = append(w.b, "|+\n"...)
		body = s[:len(s)-1]
	}
	for _, line := range strings.Split(body, "\n") {
		if line != "" {
			w.indent(indent)
			w.b = append(w.b, line...)
		}
		w.b = append(w.b, '\n')
	}
}

// isLiteral reports whether a string is written as a literal block: it spans
// lines and nothing in it needs escaping.
func isLiteral(s string) bool {
	return strings.Contains(s, "\n") && !strings.HasPrefix(s, " ") && !strings.HasPrefix(s, "\n") &&
		printable(strings.ReplaceAll(strings.ReplaceAll(s, "\n", ""), "\t", ""))
}

// printable reports whether s has only printable characters (no control
// characters), so that it can be single-quoted.
func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\ufeff' || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// plainSafe reports whether s can be written without quotes and read back as
// the same string, in block or flow context. It errs towards quoting.
func plainSafe(s string, inFlow bool) bool {
	if s == "" || needsQuotes(s) || !printable(s) {
		return false
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@` \t") || strings.HasSuffix(s, " ") || strings.HasSuffix(s, ":") {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") {
		return false
	}
	if inFlow && strings.ContainsAny(s, ",[]{}:#") {
		return false
	}
	return true
}

// needsQuotes reports whether a plain scalar would be read as something other
// than this string, by YAML 1.1 or 1.2 readers alike. It errs towards quoting.
func needsQuotes(s string) bool {
	if s == "" {
		return true
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".inf", "-.inf", "+.inf", ".nan":
		return true
	}
	return numberLike(s)
}

// numberLike reports whether s reads as a number or timestamp to some YAML
// reader: decimal, float, exponent, 1_000, sexagesimal 1:20, 0x/0o/0b forms,
// or a date.
func numberLike(s string) bool {
	if len(s) >= 5 && digits(s[:4]) && s[4] == '-' {
		return true
	}
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i = 1
	}
	if i+1 < len(s) && s[i] == '0' && strings.ContainsRune("xXoObB", rune(s[i+1])) {
		for _, c := range s[i+2:] {
			if !strings.ContainsRune("0123456789abcdefABCDEF_", c) {
				return false
			}
		}
		return true
	}
	j, seen := i, false
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == '_' || s[j] == ':') {
		seen = seen || (s[j] >= '0' && s[j] <= '9')
		j++
	}
	if !seen {
		return false
	}
	if j == len(s) {
		return true
	}
	if s[j] != 'e' && s[j] != 'E' {
		return false
	}
	j++
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	return j < len(s) && digits(s[j:])
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// smallMap reports whether a mapping reads well inline, like a tag
// {Key: Name, Value: x}: at most three entries, all scalars or scalar
// intrinsics, within a short line.
func smallMap(keys []string, m map[string]any) bool {
	if suppressionEntry(keys, m) {
		return true
	}
	if len(keys) > 4 {
		return false
	}
	width := 0
	for _, k := range keys {
		width += len(k) + 4
		switch x := m[k].(type) {
		case string:
			if strings.Contains(x, "\n") {
				return false
			}
			width += len(x)
		case map[string]any:
			fn, arg, ok := intrinsic(x)
			s, isStr := arg.(string)
			if !ok || !isStr || strings.Contains(s, "\n") {
				if !ok || fn != "Fn::GetAtt" {
					return false
				}
				width += 30
			}
			width += len(s) + 8
		case []any:
			return false
		default:
			width += 6
		}
	}
	return width <= 74
}

// suppressionEntry reports whether a map is one suppression of a scanner
// ({rule|id, reason|comment, expires}): one per line reads best.
func suppressionEntry(keys []string, m map[string]any) bool {
	if len(keys) < 2 || len(keys) > 3 {
		return false
	}
	_, rule := m["rule"]
	_, id := m["id"]
	if !rule && !id {
		return false
	}
	for _, k := range keys {
		switch k {
		case "rule", "id", "reason", "comment", "expires":
		default:
			return false
		}
		if s, ok := m[k].(string); !ok || strings.Contains(s, "\n") {
			return false
		}
	}
	return true
}

// intrinsic reports whether m is a long-form intrinsic function.
func intrinsic(m map[string]any) (string, any, bool) {
	if len(m) != 1 {
		return "", nil, false
	}
	for k, v := range m {
		if _, ok := shortTags[k]; ok {
			return k, v, true
		}
	}
	return "", nil, false
}

// flowable reports whether a list reads well on one line: only scalars,
// scalar intrinsics and nested lists, and either short or a deep chain of
// nested intrinsics (such as !If cascades) that block style would indent
// further with every level.
func flowable(l []any) bool {
	width := 0
	var walk func(v any, depth int) (int, bool)
	walk = func(v any, depth int) (int, bool) {
		switch x := v.(type) {
		case string:
			if strings.Contains(x, "\n") {
				return 0, false
			}
			width += len(x) + 4
			return depth, true
		case []any:
			width += 2
			deepest := depth + 1
			for _, e := range x {
				d, ok := walk(e, depth+1)
				if !ok {
					return 0, false
				}
				deepest = max(deepest, d)
			}
			return deepest, true
		case map[string]any:
			fn, arg, ok := intrinsic(x)
			if !ok {
				return 0, false
			}
			width += len(shortTags[fn]) + 1
			if _, isMap := arg.(map[string]any); isMap {
				return 0, false
			}
			return walk(arg, depth)
		default:
			width += 6
			return depth, true
		}
	}
	depth, ok := walk(l, 0)
	return ok && (width <= 72 || depth >= 4)
}
