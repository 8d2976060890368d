package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	yaml "sigs.k8s.io/yaml/goyaml.v3"
)

// Tree is the document as one generic value: sections are maps, intrinsics
// long-form, numbers json.Number. Two templates mean the same thing exactly
// when their trees are deeply equal.
func (d *Doc) Tree() map[string]any {
	t := map[string]any{"AWSTemplateFormatVersion": "2010-09-09"}
	if d.Description != "" {
		t["Description"] = d.Description
	}
	if d.Metadata != nil {
		t["Metadata"] = d.Metadata
	}
	for _, s := range d.Sections {
		m := map[string]any{}
		for _, e := range s.Entries {
			m[e.Name] = e.Body
		}
		t[s.Name] = m
	}
	return t
}

// order lists the top-level keys and each section's entry names in order.
func (d *Doc) order() []string {
	out := []string{"AWSTemplateFormatVersion"}
	if d.Description != "" {
		out = append(out, "Description")
	}
	if d.Metadata != nil {
		out = append(out, "Metadata")
	}
	for _, s := range d.Sections {
		out = append(out, s.Name)
		for _, e := range s.Entries {
			out = append(out, s.Name+"/"+e.Name)
		}
	}
	return out
}

// ParseYAML reads a CloudFormation YAML template, short-form tags included,
// into a generic tree with long-form intrinsics, and the order of its
// top-level keys and section entries. Duplicate keys are errors.
func ParseYAML(data []byte) (map[string]any, []string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, err
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("template is not a YAML mapping")
	}
	top := root.Content[0]
	v, err := fromNode(top, "", nil)
	if err != nil {
		return nil, nil, err
	}
	var order []string
	for i := 0; i < len(top.Content); i += 2 {
		key := top.Content[i].Value
		order = append(order, key)
		if sec := top.Content[i+1]; sec.Kind == yaml.MappingNode && key != "Metadata" && key != "Description" {
			for j := 0; j < len(sec.Content); j += 2 {
				order = append(order, key+"/"+sec.Content[j].Value)
			}
		}
	}
	return v.(map[string]any), order, nil
}

// ParseWithLines reads a CloudFormation template in YAML (short-form tags
// included) or JSON into a generic tree with long-form intrinsics, and maps
// every path in it ("Resources/Db/Properties/EngineVersion", list items by
// index) to its line.
func ParseWithLines(data []byte) (map[string]any, map[string]int, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, err
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("template is not a mapping of sections")
	}
	lines := map[string]int{}
	v, err := fromNode(root.Content[0], "", lines)
	if err != nil {
		return nil, nil, err
	}
	return v.(map[string]any), lines, nil
}

func sub(path, key string) string {
	if path == "" {
		return key
	}
	return path + "/" + key
}

func fromNode(n *yaml.Node, path string, lines map[string]int) (any, error) {
	if lines != nil {
		if _, seen := lines[path]; !seen {
			lines[path] = n.Line
		}
	}
	if n.Kind == yaml.AliasNode {
		return nil, fmt.Errorf("line %d: aliases are not used in CloudFormation templates", n.Line)
	}
	if long, ok := longNames[n.Tag]; ok {
		return fromTagged(long, n, path, lines)
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return nil, fmt.Errorf("line %d: unknown tag %s", n.Line, n.Tag)
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("line %d: duplicate key %q", n.Content[i].Line, k)
			}
			child := ""
			if lines != nil {
				child = sub(path, k)
				lines[child] = n.Content[i].Line
			}
			v, err := fromNode(n.Content[i+1], child, lines)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			child := ""
			if lines != nil {
				child = sub(path, strconv.Itoa(i))
			}
			v, err := fromNode(c, child, lines)
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

func fromTagged(fn string, n *yaml.Node, path string, lines map[string]int) (any, error) {
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
	child := ""
	if lines != nil {
		child = sub(path, fn)
	}
	v, err := fromNode(&plain, child, lines)
	if err != nil {
		return nil, err
	}
	return map[string]any{fn: v}, nil
}

// Verify parses encoded (YAML or JSON) and proves it means what d holds: the
// same sections, entries in the same order, and equal values with the same
// intrinsics. A mismatch is an error naming the first difference.
func (d *Doc) Verify(encoded []byte, format string) error {
	var got map[string]any
	var order []string
	var err error
	if format == "json" {
		dec := json.NewDecoder(bytes.NewReader(encoded))
		dec.UseNumber()
		err = dec.Decode(&got)
	} else {
		got, order, err = ParseYAML(encoded)
	}
	if err != nil {
		return fmt.Errorf("re-read %s output: %w", format, err)
	}
	want := d.Tree()
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("encoded %s differs from the template built: %s", format, firstDiff("", want, got))
	}
	if order != nil && !reflect.DeepEqual(order, d.order()) {
		return fmt.Errorf("encoded %s lists sections or entries out of order", format)
	}
	return nil
}

// firstDiff describes the first place where two trees differ.
func firstDiff(path string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: want an object, got %T", path, got)
		}
		keys := SortedKeys(w)
		for k := range g {
			if _, ok := w[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !reflect.DeepEqual(w[k], g[k]) {
				return firstDiff(path+"/"+k, w[k], g[k])
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %d items, got %v", path, len(w), got)
		}
		for i := range w {
			if !reflect.DeepEqual(w[i], g[i]) {
				return firstDiff(fmt.Sprintf("%s/%d", path, i), w[i], g[i])
			}
		}
	}
	return fmt.Sprintf("%s: want %#v, got %#v", path, want, got)
}

// DependsOn lists the logical ids of a parsed resource's DependsOn value,
// which is a string or a list of strings.
func DependsOn(v any) []string {
	switch d := v.(type) {
	case string:
		return []string{d}
	case []any:
		var out []string
		for _, e := range d {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
