package model

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// checkBounds checks every integer field against its min and max struct
// tags and every field with an enum tag against its values, walking the model by its YAML names; a maxwhy tag says why the
// maximum is what it is when that is not obvious. The tags are the one statement
// of each bound: the JSON schema (Schema) reads the same tags, so the editor
// and the config check cannot disagree.
func (v *validator) checkBounds(b Backend) {
	v.boundsOf("", reflect.ValueOf(b))
	for _, e := range b.Environments {
		v.boundsOf("environments."+e.Name, reflect.ValueOf(e))
	}
}

func (v *validator) boundsOf(prefix string, rv reflect.Value) {
	t := rv.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		switch fv := rv.Field(i); fv.Kind() {
		case reflect.Struct:
			v.boundsOf(path, fv)
		case reflect.String:
			// An empty string is an unset choice; the checks that need one say so.
			if allowed := f.Tag.Get("enum"); allowed != "" && fv.String() != "" && !slices.Contains(strings.Split(allowed, ","), fv.String()) {
				v.bad(path, "%q is not allowed (allowed: %s)", fv.String(), strings.ReplaceAll(allowed, ",", ", "))
			}
		case reflect.Int:
			if allowed := f.Tag.Get("enum"); allowed != "" && !slices.Contains(strings.Split(allowed, ","), strconv.Itoa(int(fv.Int()))) {
				v.bad(path, "%d is not allowed (allowed: %s)", fv.Int(), strings.ReplaceAll(allowed, ",", ", "))
			}
			lo, hi, ok := Bounds(f)
			if got := int(fv.Int()); ok && (got < lo || got > hi) {
				if why := f.Tag.Get("maxwhy"); why != "" && got > hi {
					v.bad(path, "%d is out of range (%d..%d): %s", got, lo, hi, why)
				} else {
					v.bad(path, "%d is out of range (%d..%d)", got, lo, hi)
				}
			}
		}
	}
}

// Bounds returns the range an integer field's min and max tags allow; ok is
// false for a field without both.
func Bounds(f reflect.StructField) (lo, hi int, ok bool) {
	lo, errLo := strconv.Atoi(f.Tag.Get("min"))
	hi, errHi := strconv.Atoi(f.Tag.Get("max"))
	return lo, hi, errLo == nil && errHi == nil
}

// within reports whether got is inside the tagged bounds of a field, named
// by its Go name in a struct type: checks that relate two fields use it to
// skip values the bound check already refused.
func within(structType any, field string, got int) bool {
	f, ok := reflect.TypeOf(structType).FieldByName(field)
	if !ok {
		return false
	}
	lo, hi, ok := Bounds(f)
	return ok && got >= lo && got <= hi
}
