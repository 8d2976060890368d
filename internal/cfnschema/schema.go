// Package cfnschema is the CloudFormation resource schema data cfngen ships:
// property names and kinds, required properties, GetAtt attributes,
// create-only properties and the naming property of every resource type, as
// bundled with cfn-lint (tools/schemagen.py regenerates schema.txt). Both
// cfngen validate and cfngen diff read it.
package cfnschema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

//go:embed schema.txt
var data []byte

// Type is one resource type of the schemas.
type Type struct {
	// Props maps each writable top-level property to its kind: s string,
	// n number, b boolean, o free-form object, * anything, #Name a property
	// type of Defs, [K a list of kind K.
	Props    map[string]string `json:"p"`
	Required []string          `json:"r"`
	// Open is 1 when properties outside Props are allowed.
	Open  int               `json:"x"`
	Attrs []string          `json:"a"`
	Defs  map[string]Struct `json:"d"`
	// CreateOnly lists the properties whose change replaces the resource,
	// as dotted paths with * for any list item (Foo.*.Bar).
	CreateOnly []string `json:"c"`
	// CondCreateOnly lists the properties whose change may replace the
	// resource, depending on the old and new values.
	CondCreateOnly []string `json:"cc"`
	// NameProp is the create-only property that sets the physical name
	// (BucketName, DBProxyName, Name, ...), empty when the type has none.
	NameProp string `json:"n"`
}

// Struct is a property type: its properties' kinds and the required ones.
type Struct struct {
	Props    map[string]string `json:"p"`
	Required []string          `json:"r"`
	Open     int               `json:"x"`
}

var (
	indexOnce sync.Once
	index     map[string][]byte // type -> its JSON
	cache     sync.Map          // type -> *Type
)

// Lookup returns the schema of a resource type, or nil if unknown. Types
// are decoded on first use.
func Lookup(typ string) *Type {
	if v, ok := cache.Load(typ); ok {
		return v.(*Type)
	}
	indexOnce.Do(func() {
		index = map[string][]byte{}
		for rest := data; len(rest) > 0; {
			line := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				line, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			if name, body, ok := bytes.Cut(line, []byte{'\t'}); ok {
				index[string(name)] = body
			}
		}
	})
	body, ok := index[typ]
	if !ok {
		return nil
	}
	var s Type
	if err := json.Unmarshal(body, &s); err != nil {
		return nil
	}
	cache.Store(typ, &s)
	return &s
}

// HasAttr reports whether a type returns an attribute through GetAtt: a
// read-only property, or a property (possibly nested, A.B).
func (s *Type) HasAttr(attr string) bool {
	for _, a := range s.Attrs {
		if a == attr {
			return true
		}
	}
	top, _, _ := strings.Cut(attr, ".")
	_, ok := s.Props[top]
	return ok
}

// Replacement says what changing the property at path (dotted, list items
// as numbers: Foo.2.Bar) does to the resource: "True" when it is
// create-only or lies inside or above a create-only property, "Conditional"
// when the schema says it may, "False" otherwise.
func (s *Type) Replacement(path string) string {
	if s == nil {
		return "False"
	}
	for _, p := range s.CreateOnly {
		if overlaps(p, path) {
			return "True"
		}
	}
	for _, p := range s.CondCreateOnly {
		if overlaps(p, path) {
			return "Conditional"
		}
	}
	return "False"
}

// overlaps reports whether one path is the other or an ancestor of it,
// with * in the schema path matching any list index.
func overlaps(schemaPath, path string) bool {
	a, b := strings.Split(schemaPath, "."), strings.Split(path, ".")
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] && !(a[i] == "*" && isIndex(b[i])) {
			return false
		}
	}
	return true
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
