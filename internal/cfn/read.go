package cfn

// The one reader of CloudFormation templates: validate, graph, docs, diff,
// deploy and the verification of cfngen's own output read templates here.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	yaml "sigs.k8s.io/yaml/goyaml.v3"
)

// MaxDepth is the deepest nesting of objects and lists a template may have.
// CloudFormation documents no depth quota; its JSON parsing (Jackson)
// refuses documents nested deeper than 1,000 by default, and cfn-lint stops
// near there too. The bound also keeps a hostile template from costing
// memory or time with its depth.
const MaxDepth = 1000

// ShortForms maps the YAML short-form tags CloudFormation reads to their
// long names: the intrinsic functions, the condition functions, the rule
// functions (Rules section) and those of the AWS::LanguageExtensions
// transform.
var ShortForms = func() map[string]string {
	m := map[string]string{"!Ref": "Ref", "!Condition": "Condition"}
	for _, f := range strings.Fields(`And Base64 Cidr Contains EachMemberEquals EachMemberIn Equals FindInMap
		GetAZs GetAtt If ImportValue Join Length Not Or RefAll Select Split Sub ToJsonString Transform ValueOf ValueOfAll`) {
		m["!"+f] = "Fn::" + f
	}
	return m
}()

// ReadTemplate reads a template in YAML (short-form tags included) or JSON
// into a generic tree with long-form intrinsics, as CloudFormation reads it:
// one document, nothing after it, no aliases, no duplicate keys, nested at
// most MaxDepth deep. It returns the YAML node tree too, for line numbers.
func ReadTemplate(data []byte) (map[string]any, *yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("the file is empty")
		}
		return nil, nil, err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, nil, fmt.Errorf("line %d: a second YAML document: a template is one document", docLine(&next))
	case !errors.Is(err, io.EOF):
		return nil, nil, fmt.Errorf("content after the end of the template: %w", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("template is not a mapping of sections")
	}
	v, err := treeOf(root.Content[0], 1)
	if err != nil {
		return nil, nil, err
	}
	return v.(map[string]any), root.Content[0], nil
}

// docLine is the first line of a document.
func docLine(n *yaml.Node) int {
	if len(n.Content) > 0 {
		return n.Content[0].Line
	}
	return n.Line
}

func treeOf(n *yaml.Node, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("line %d: nested more than %d levels deep", n.Line, MaxDepth)
	}
	if n.Kind == yaml.AliasNode {
		return nil, fmt.Errorf("line %d: aliases are not used in CloudFormation templates", n.Line)
	}
	if long, ok := ShortForms[n.Tag]; ok {
		return tagged(long, n, depth)
	}
	if strings.HasPrefix(n.Tag, "!Rain::") {
		return nil, fmt.Errorf("line %d: %s is a Rain directive: package the template with rain pkg first", n.Line, n.Tag)
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return nil, fmt.Errorf("line %d: unknown tag %s", n.Line, n.Tag)
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: a key must be a string", k.Line)
			}
			if _, dup := m[k.Value]; dup {
				return nil, fmt.Errorf("line %d: duplicate key %q", k.Line, k.Value)
			}
			v, err := treeOf(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := treeOf(c, depth+1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return n.Value, nil
		case "!!int", "!!float":
			return json.Number(n.Value), nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return b, err
		case "!!null":
			return nil, nil
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
}

func tagged(fn string, n *yaml.Node, depth int) (any, error) {
	if n.Kind == yaml.ScalarNode {
		if fn == "Fn::GetAtt" {
			res, attr, ok := strings.Cut(n.Value, ".")
			if !ok {
				return nil, fmt.Errorf("line %d: !GetAtt %q is not Resource.Attribute", n.Line, n.Value)
			}
			return map[string]any{fn: []any{res, attr}}, nil
		}
		return map[string]any{fn: n.Value}, nil
	}
	plain := *n
	plain.Tag = ""
	v, err := treeOf(&plain, depth+1)
	if err != nil {
		return nil, err
	}
	return map[string]any{fn: v}, nil
}

// LineOf finds the line of a path ("Resources/Db/Properties/EngineVersion",
// list items by index, long-form intrinsic names for short-form tags) in the
// YAML node tree, or of the deepest node on the way that exists. A map entry
// has the line of its key. Keys may contain "/".
func LineOf(n *yaml.Node, path string) int {
	if n == nil {
		return 0
	}
	line := n.Line
	for path != "" && n != nil {
		if long, ok := ShortForms[n.Tag]; ok {
			seg, rest, _ := strings.Cut(path, "/")
			if seg != long {
				return line
			}
			path = rest
			if path == "" {
				return line
			}
		}
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if strings.HasPrefix(path, k) && (len(path) == len(k) || path[len(k)] == '/') {
					next, line = n.Content[i+1], n.Content[i].Line
					path = strings.TrimPrefix(path[len(k):], "/")
					break
				}
			}
		case yaml.SequenceNode:
			seg, rest, _ := strings.Cut(path, "/")
			i := 0
			for _, c := range seg {
				if c < '0' || c > '9' || i > len(n.Content) {
					return line
				}
				i = i*10 + int(c-'0')
			}
			if seg == "" || i >= len(n.Content) {
				return line
			}
			next, line, path = n.Content[i], n.Content[i].Line, rest
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

// Order lists the top-level keys of a template (its mapping node, as
// ReadTemplate returns it) and the entries of each section, "Resources/Db",
// in the order they are written.
func Order(top *yaml.Node) []string {
	var order []string
	for i := 0; i+1 < len(top.Content); i += 2 {
		key := top.Content[i].Value
		order = append(order, key)
		if sec := top.Content[i+1]; sec.Kind == yaml.MappingNode && key != "Metadata" && key != "Description" {
			for j := 0; j+1 < len(sec.Content); j += 2 {
				order = append(order, key+"/"+sec.Content[j].Value)
			}
		}
	}
	return order
}
