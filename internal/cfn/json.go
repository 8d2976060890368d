package cfn

import (
	"bytes"
	"encoding/json"
)

// JSON encodes the document as JSON with the same ordering as the YAML
// encoder: sections in the conventional order, keys by the ordering table,
// two-space indentation, long-form intrinsics.
func (d *Doc) JSON() ([]byte, error) {
	var b bytes.Buffer
	w := &jsonWriter{b: &b}
	w.open('{')
	w.key("AWSTemplateFormatVersion")
	w.value("body", "2010-09-09")
	if d.Description != "" {
		w.key("Description")
		w.value("body", d.Description)
	}
	if d.Metadata != nil {
		w.key("Metadata")
		w.value("body", d.Metadata)
	}
	for _, s := range d.Sections {
		w.key(s.Name)
		w.open('{')
		ctx := s.Name
		if ctx == "Mappings" || ctx == "Conditions" {
			ctx = "body"
		}
		for _, e := range s.Entries {
			w.key(e.Name)
			if m, ok := e.Body.(map[string]any); ok && ctx != "body" {
				w.object(ctx, m)
			} else {
				w.value("body", e.Body)
			}
		}
		w.close('}')
	}
	w.close('}')
	b.WriteByte('\n')
	return b.Bytes(), w.err
}

type jsonWriter struct {
	b     *bytes.Buffer
	first []bool
	err   error
}

func (w *jsonWriter) indent(depth int) {
	w.b.WriteByte('\n')
	for i := 0; i < depth; i++ {
		w.b.WriteString("  ")
	}
}

func (w *jsonWriter) open(c byte) {
	w.b.WriteByte(c)
	w.first = append(w.first, true)
}

func (w *jsonWriter) close(c byte) {
	empty := w.first[len(w.first)-1]
	w.first = w.first[:len(w.first)-1]
	if !empty {
		w.indent(len(w.first))
	}
	w.b.WriteByte(c)
}

// sep writes the separator before an element at depth len(first).
func (w *jsonWriter) sep() {
	if !w.first[len(w.first)-1] {
		w.b.WriteByte(',')
	}
	w.first[len(w.first)-1] = false
	w.indent(len(w.first))
}

func (w *jsonWriter) key(k string) {
	w.sep()
	w.scalar(k)
	w.b.WriteString(": ")
}

func (w *jsonWriter) scalar(v any) {
	var sb bytes.Buffer
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil && w.err == nil {
		w.err = err
	}
	w.b.Write(bytes.TrimSuffix(sb.Bytes(), []byte("\n")))
}

func (w *jsonWriter) object(ctx string, m map[string]any) {
	w.open('{')
	for _, k := range orderedKeys(ctx, m) {
		w.key(k)
		w.value("body", m[k])
	}
	w.close('}')
}

func (w *jsonWriter) value(ctx string, v any) {
	if oneLine(v) {
		w.scalar(v)
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			w.b.WriteString("{}")
			return
		}
		w.object(ctx, x)
	case []any:
		if len(x) == 0 {
			w.b.WriteString("[]")
			return
		}
		w.open('[')
		for _, e := range x {
			w.sep()
			w.value(ctx, e)
		}
		w.close(']')
	default:
		w.scalar(x)
	}
}

// oneLine reports whether v reads well on one line, by the rule the YAML
// encoder uses for flow sequences (flowable): scalars, lists and intrinsic
// functions only, and either short or a deep chain of nested intrinsics.
func oneLine(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return flowable([]any{v})
	}
	return false
}
