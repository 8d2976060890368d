package validate

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

// schema.txt holds the CloudFormation resource schemas reduced to what the
// structure rules check; tools/schemagen.py regenerates it.
//
//go:embed schema.txt
var schemaData []byte

// typeSchema is one resource type: its properties' kinds, the required ones,
// its GetAtt attributes and its property types.
type typeSchema struct {
	Props    map[string]string    `json:"p"`
	Required []string             `json:"r"`
	Open     int                  `json:"x"`
	Attrs    []string             `json:"a"`
	Defs     map[string]structDef `json:"d"`
}

type structDef struct {
	Props    map[string]string `json:"p"`
	Required []string          `json:"r"`
	Open     int               `json:"x"`
}

var (
	schemaIndexOnce sync.Once
	schemaIndex     map[string][]byte // type -> its JSON
	schemaCache     sync.Map          // type -> *typeSchema
)

// lookupType returns the schema of a resource type, or nil if unknown.
func lookupType(typ string) *typeSchema {
	if v, ok := schemaCache.Load(typ); ok {
		return v.(*typeSchema)
	}
	schemaIndexOnce.Do(func() {
		schemaIndex = map[string][]byte{}
		for data := schemaData; len(data) > 0; {
			line := data
			if i := bytes.IndexByte(data, '\n'); i >= 0 {
				line, data = data[:i], data[i+1:]
			} else {
				data = nil
			}
			if name, body, ok := bytes.Cut(line, []byte{'\t'}); ok {
				schemaIndex[string(name)] = body
			}
		}
	})
	body, ok := schemaIndex[typ]
	if !ok {
		return nil
	}
	var s typeSchema
	if err := json.Unmarshal(body, &s); err != nil {
		return nil
	}
	schemaCache.Store(typ, &s)
	return &s
}

// hasAttr reports whether a type returns an attribute through GetAtt: a
// read-only property, or a property (possibly nested, A.B).
func (s *typeSchema) hasAttr(attr string) bool {
	for _, a := range s.Attrs {
		if a == attr {
			return true
		}
	}
	top, _, _ := strings.Cut(attr, ".")
	_, ok := s.Props[top]
	return ok
}
