package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	yaml "sigs.k8s.io/yaml/goyaml.v3"
)

// YAML encodes the document as canonical CloudFormation YAML: sections in the
// conventional order, keys by the ordering table, short-form intrinsics.
func (d *Doc) YAML() ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v *yaml.Node) { root.Content = append(root.Content, str(k), v) }
	add("AWSTemplateFormatVersion", quoted("2010-09-09"))
	if d.Description != "" {
		add("Description", str(d.Description))
	}
	if d.Metadata != nil {
		add("Metadata", node("body", d.Metadata))
	}
	for _, s := range d.Sections {
		sec := &yaml.Node{Kind: yaml.MappingNode}
		ctx := s.Name
		if ctx == "Mappings" || ctx == "Conditions" {
			ctx = "body"
		}
		for _, e := range s.Entries {
			var body *yaml.Node
			if m, ok := e.Body.(map[string]any); ok && ctx != "body" {
				body = mapping(ctx, m)
			} else {
				body = node("body", e.Body)
			}
			sec.Content = append(sec.Content, str(e.Name), body)
		}
		add(s.Name, sec)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, fmt.Errorf("encode yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode yaml: %w", err)
	}
	return b.Bytes(), nil
}

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	} else if needsQuotes(s) {
		n.Style = yaml.SingleQuotedStyle
	}
	return n
}

func quoted(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.SingleQuotedStyle}
}

// needsQuotes reports whether a plain scalar would be read as something other
// than this string, by YAML 1.1 or 1.2 readers alike. It errs towards quoting;
// yaml.v3 still double-quotes anything that would not resolve to a string,
// and the re-parse check proves the result either way.
func needsQuotes(s string) bool {
	if s == "" {
		return true
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".inf", "-.inf", "+.inf", ".nan":
		return true
	}
	return numberLike.MatchString(s) || timestampLike.MatchString(s)
}

var (
	numberLike    = regexp.MustCompile(`^[-+]?(\.[0-9]|[0-9])[0-9_.:]*([eE][-+]?[0-9]+)?$|^[-+]?0[xXoObB][0-9a-fA-F_]+$`)
	timestampLike = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}`)
)

func mapping(ctx string, m map[string]any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range orderedKeys(ctx, m) {
		child := "body"
		if ctx == "Resources" && (k == "Properties" || k == "Metadata") {
			child = "block" // a resource's properties always read as a block
		}
		n.Content = append(n.Content, str(k), node(child, m[k]))
	}
	if ctx == "body" && smallMap(n) {
		n.Style = yaml.FlowStyle
	}
	return n
}

// smallMap reports whether a mapping reads well inline, like a tag
// {Key: Name, Value: x}: at most three entries, all plain scalars or scalar
// intrinsics, within a short line.
func smallMap(n *yaml.Node) bool {
	if len(n.Content) > 6 {
		return false
	}
	width := 0
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode || c.Style == yaml.LiteralStyle {
			return false
		}
		width += len(c.Value) + len(c.Tag) + 3
	}
	return width <= 60
}

func node(ctx string, v any) *yaml.Node {
	switch x := v.(type) {
	case string:
		return str(x)
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(string(x), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(x)}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(x)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range x {
			n.Content = append(n.Content, node(ctx, e))
		}
		if flowable(n) {
			n.Style = yaml.FlowStyle
		}
		return n
	case map[string]any:
		if fn, arg, ok := intrinsic(x); ok {
			return short(fn, arg)
		}
		if ctx == "block" {
			n := mapping("body", x)
			n.Style = 0
			return n
		}
		return mapping(ctx, x)
	default:
		return str(fmt.Sprint(x))
	}
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

func short(fn string, arg any) *yaml.Node {
	tag := shortTags[fn]
	switch a := arg.(type) {
	case string:
		n := str(a)
		n.Tag = tag
		if n.Style == 0 && a != "" && needsQuotesTagged(a) {
			n.Style = yaml.SingleQuotedStyle
		}
		return n
	case []any:
		if fn == "Fn::GetAtt" && len(a) == 2 {
			r, ok1 := a[0].(string)
			at, ok2 := a[1].(string)
			if ok1 && ok2 {
				n := str(r + "." + at)
				n.Tag = tag
				return n
			}
		}
		n := node("body", a)
		n.Tag = tag
		if flowable(n) {
			n.Style = yaml.FlowStyle
		} else {
			n.Style = 0
		}
		return n
	}
	// The argument is a map (an intrinsic or plain object). A node carries one
	// tag, so write the long form with the argument below it.
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str(fn), node("body", arg)}}
}

func needsQuotesTagged(s string) bool {
	return strings.HasPrefix(s, "!") || strings.HasPrefix(s, "&") || strings.HasPrefix(s, "*")
}

// flowable reports whether a sequence reads well on one line: only scalars and
// nested sequences, no block scalars, and either short or a deep chain of
// nested intrinsics (such as !If cascades) that block style would indent
// further with every level.
func flowable(n *yaml.Node) bool {
	width := 0
	var walk func(*yaml.Node, int) (int, bool)
	walk = func(n *yaml.Node, depth int) (int, bool) {
		switch n.Kind {
		case yaml.ScalarNode:
			if n.Style == yaml.LiteralStyle {
				return depth, false
			}
			width += len(n.Value) + len(n.Tag) + 4
			return depth, true
		case yaml.SequenceNode:
			width += len(n.Tag) + 2
			deepest := depth + 1
			for _, c := range n.Content {
				d, ok := walk(c, depth+1)
				if !ok {
					return 0, false
				}
				deepest = max(deepest, d)
			}
			return deepest, true
		}
		return 0, false
	}
	depth, ok := walk(n, 0)
	return ok && (width <= 72 || depth >= 4)
}
