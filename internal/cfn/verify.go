package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"

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
		var top *yaml.Node
		if got, top, err = ReadTemplate(encoded); err == nil {
			order = Order(top)
		}
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
