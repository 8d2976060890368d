package validate

import "github.com/cfngen/cfngen/internal/cfnschema"

// typeSchema is one resource type of the schemas cfnschema ships.
type typeSchema struct{ *cfnschema.Type }

type structDef = cfnschema.Struct

// lookupType returns the schema of a resource type, or nil if unknown.
func lookupType(typ string) *typeSchema {
	s := cfnschema.Lookup(typ)
	if s == nil {
		return nil
	}
	return &typeSchema{s}
}

// hasAttr reports whether a type returns an attribute through GetAtt.
func (s *typeSchema) hasAttr(attr string) bool { return s.HasAttr(attr) }
