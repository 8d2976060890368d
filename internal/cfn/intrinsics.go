// Package cfn is the CloudFormation glue that knows nothing of the backend model:
// intrinsic functions, an ordered template, canonical YAML encoding and
// parameter files.
package cfn

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Intrinsic functions are carried through goformation's typed string fields as
// marker strings: a private prefix followed by the JSON of the long-form
// function. The encoder turns them back into real intrinsics; nothing ever
// evaluates them, so a Ref to a parameter stays a Ref.
const marker = "\x1fcfn:"

func encode(fn string, arg any) string {
	b, err := json.Marshal(map[string]any{fn: inline(arg)})
	if err != nil {
		// Arguments are strings, numbers, slices and maps of them: marshalling
		// cannot fail for any value these helpers are given.
		panic("cfn: cannot encode intrinsic " + fn + ": " + err.Error())
	}
	return marker + string(b)
}

// inline embeds nested intrinsics as raw JSON rather than as escaped marker
// strings, so that nesting costs linear, not exponential, space.
func inline(v any) any {
	switch x := v.(type) {
	case string:
		if IsIntrinsic(x) {
			return json.RawMessage(x[len(marker):])
		}
		return x
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = inline(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = inline(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = inline(e)
		}
		return out
	}
	return v
}

// IsIntrinsic reports whether s was built by one of the helpers in this file.
func IsIntrinsic(s string) bool { return strings.HasPrefix(s, marker) }

// Ref is !Ref name.
func Ref(name string) string { return encode("Ref", name) }

// GetAtt is !GetAtt resource.attribute.
func GetAtt(resource, attribute string) string {
	return encode("Fn::GetAtt", []string{resource, attribute})
}

// Sub is !Sub with a template string.
func Sub(s string) string { return encode("Fn::Sub", s) }

// If is !If [condition, whenTrue, whenFalse].
func If(condition string, whenTrue, whenFalse any) string {
	return encode("Fn::If", []any{condition, whenTrue, whenFalse})
}

// Equals is !Equals [a, b].
func Equals(a, b any) string { return encode("Fn::Equals", []any{a, b}) }

// Not is !Not [condition].
func Not(condition any) string { return encode("Fn::Not", []any{condition}) }

// Select is !Select [index, list].
func Select(index int, list any) string {
	return encode("Fn::Select", []any{json.Number(strconv.Itoa(index)), list})
}

// GetAZs is !GetAZs ” (the current region).
func GetAZs() string { return encode("Fn::GetAZs", "") }

// FindInMap is !FindInMap [mapping, top, second].
func FindInMap(mapping string, top, second any) string {
	return encode("Fn::FindInMap", []any{mapping, top, second})
}

// Join is !Join [delimiter, values].
func Join(delimiter string, values ...any) string {
	return encode("Fn::Join", []any{delimiter, values})
}

// Split is !Split [delimiter, source].
func Split(delimiter string, source any) string { return encode("Fn::Split", []any{delimiter, source}) }

// Base64 is Fn::Base64 of v.
func Base64(v any) string { return encode("Fn::Base64", v) }

// NoValue is !Ref AWS::NoValue.
func NoValue() string { return Ref("AWS::NoValue") }

// Pseudo parameters.
const (
	AccountID = "AWS::AccountId"
	Partition = "AWS::Partition"
	Region    = "AWS::Region"
	StackName = "AWS::StackName"
	URLSuffix = "AWS::URLSuffix"
)
