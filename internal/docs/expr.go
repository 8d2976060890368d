package docs

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// expr writes a template value on one line with short-form intrinsics, the
// way people read it in a template: !Ref X, !GetAtt A.B, !Sub ..., [a, b].
func expr(v any) string {
	var b strings.Builder
	writeExpr(&b, v, false)
	return b.String()
}

func writeExpr(b *strings.Builder, v any, nested bool) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		if nested && needsQuotes(x) {
			b.WriteString("'" + strings.ReplaceAll(x, "'", "''") + "'")
		} else {
			b.WriteString(x)
		}
	case bool:
		fmt.Fprint(b, x)
	case json.Number:
		b.WriteString(x.String())
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeExpr(b, e, true)
		}
		b.WriteByte(']')
	case map[string]any:
		if len(x) == 1 {
			for k, a := range x {
				if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
					writeIntrinsic(b, k, a)
					return
				}
			}
		}
		b.WriteByte('{')
		for i, k := range cfn.SortedKeys(x) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k + ": ")
			writeExpr(b, x[k], true)
		}
		b.WriteByte('}')
	default:
		fmt.Fprint(b, x)
	}
}

func writeIntrinsic(b *strings.Builder, fn string, arg any) {
	name := "!" + strings.TrimPrefix(fn, "Fn::")
	b.WriteString(name + " ")
	if fn == "Fn::GetAtt" {
		if l, ok := arg.([]any); ok && len(l) == 2 {
			if r, ok := l[0].(string); ok {
				if a, ok := l[1].(string); ok {
					b.WriteString(r + "." + a)
					return
				}
			}
		}
	}
	writeExpr(b, arg, true)
}

// needsQuotes reports whether a string inside a flow collection would not
// read back as that string: empty, with flow or quote characters, or a word
// YAML reads as a boolean, null or number.
func needsQuotes(s string) bool {
	if s == "" || strings.ContainsAny(s, ",[]{}: '\"#") {
		return true
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~":
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
