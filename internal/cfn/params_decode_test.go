package cfn

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// Every problem of a parameters file the aws CLI would refuse is reported
// with its line and entry.
func TestDecodeParamsRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []ParamsProblem
	}{
		{"lower-case key", `[{"parameterKey": "Env", "ParameterValue": "dev"}]`,
			[]ParamsProblem{
				{1, "[0].parameterKey", "unknown field; did you mean ParameterKey? Field names are case-sensitive"},
				{1, "[0]", "ParameterKey is missing"},
			}},
		{"typo in a field", "[\n  {\"ParameterKey\": \"Env\", \"ParamValue\": \"dev\"}\n]",
			[]ParamsProblem{
				{2, "[0].ParamValue", "unknown field (allowed: ParameterKey, ParameterValue, UsePreviousValue, ResolvedValue)"},
				{2, "[0]", "Env has no ParameterValue"},
			}},
		{"null value", "[\n  {\"ParameterKey\": \"Env\",\n   \"ParameterValue\": null}\n]",
			[]ParamsProblem{{3, "[0].ParameterValue", `null is not allowed: the aws CLI accepts only strings (write "" for an empty value, or leave the parameter out)`}}},
		{"null entry", "[\n  null\n]",
			[]ParamsProblem{{2, "[0]", `null is not a parameter; want {"ParameterKey": "...", "ParameterValue": "..."}`}}},
		{"null file", "null", []ParamsProblem{{1, "", "the file holds null; it must be a JSON array of parameter objects"}}},
		{"object instead of array", `{"Parameters": {"Env": "dev"}}`,
			[]ParamsProblem{{1, "", "the file holds an object; it must be a JSON array of parameter objects"}}},
		{"number value", "[\n  {\"ParameterKey\": \"BackupRetentionPeriod\", \"ParameterValue\": 7}\n]",
			[]ParamsProblem{{2, "[0].ParameterValue", `the number 7 is not allowed: the aws CLI accepts only strings (write it as a string: "7")`}}},
		{"given twice with different values", "[\n  {\"ParameterKey\": \"Env\", \"ParameterValue\": \"dev\"},\n  {\"ParameterKey\": \"Env\", \"ParameterValue\": \"prod\"}\n]",
			[]ParamsProblem{{3, "[1]", `Env is given twice with different values ("dev" at line 2, "prod" here); give it once`}}},
		{"field twice in one object", "[\n  {\"ParameterKey\": \"Env\", \"ParameterValue\": \"dev\",\n   \"ParameterValue\": \"prod\"}\n]",
			[]ParamsProblem{{3, "[0].ParameterValue", "field given twice in one parameter (first at line 2)"}}},
		{"UsePreviousValue true", `[{"ParameterKey": "Env", "UsePreviousValue": true}]`,
			[]ParamsProblem{{1, "[0].UsePreviousValue", "true keeps the value of a deployed stack, which cannot be checked offline and create-stack refuses; give the ParameterValue instead"}}},
		{"empty key", `[{"ParameterKey": "", "ParameterValue": "x"}]`,
			[]ParamsProblem{{1, "[0].ParameterKey", "is empty; name a parameter of the template"}}},
		{"non-UTF-8", "[\n  {\"ParameterKey\": \"VPCName\", \"ParameterValue\": \"caf\xe9\"}\n]",
			[]ParamsProblem{{2, "", "byte 0xE9 is not UTF-8: save the file as UTF-8"}}},
		{"NUL byte", "[\n\x00]", []ParamsProblem{{2, "", "a NUL byte: the file is binary or corrupted; a parameters file is JSON text"}}},
		{"syntax error", "[\n  {\"ParameterKey\": \"Env\" \"ParameterValue\": \"dev\"}\n]",
			[]ParamsProblem{{2, "", "JSON syntax error: invalid character '\"' after object key:value pair"}}},
		{"trailing comma", "[\n  {\"ParameterKey\": \"Env\", \"ParameterValue\": \"dev\"},\n]",
			[]ParamsProblem{{3, "", "JSON syntax error: invalid character ']' looking for beginning of value"}}},
		{"content after the array", "[]\n[]", []ParamsProblem{{2, "", "content after the array (an array); a parameters file is one JSON array"}}},
		{"truncated", "[\n  {\"ParameterKey\": \"Env\"", []ParamsProblem{{2, "", "the file ends before the array is closed"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			values, err := DecodeParams([]byte(tc.src), "p.json")
			var pe *ParamsError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, %v; want a *ParamsError", values, err)
			}
			if !reflect.DeepEqual(pe.Problems, tc.want) {
				t.Errorf("problems:\n  %+v\nwant:\n  %+v", pe.Problems, tc.want)
			}
			if values != nil {
				t.Errorf("values %v returned with an error", values)
			}
			if !strings.HasPrefix(err.Error(), "p.json: not a parameters file the aws CLI accepts") {
				t.Errorf("error text: %s", err)
			}
		})
	}
}

func TestDecodeParamsAccepts(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []ParamValue
	}{
		{"empty array", "[]", []ParamValue{}},
		{"two parameters", "[\n  {\"ParameterKey\": \"Env\", \"ParameterValue\": \"dev\"},\n  {\"ParameterKey\": \"VPCName\", \"ParameterValue\": \"\"}\n]\n",
			[]ParamValue{{"Env", "dev", 2}, {"VPCName", "", 3}}},
		{"same value twice (left to the duplicate warning)", `[{"ParameterKey": "Env", "ParameterValue": "dev"}, {"ParameterKey": "Env", "ParameterValue": "dev"}]`,
			[]ParamValue{{"Env", "dev", 1}, {"Env", "dev", 1}}},
		{"ResolvedValue from describe-stacks", `[{"ParameterKey": "Ami", "ParameterValue": "/aws/x", "ResolvedValue": "ami-1"}]`,
			[]ParamValue{{"Ami", "/aws/x", 1}}},
		{"UsePreviousValue false", `[{"ParameterKey": "Env", "ParameterValue": "dev", "UsePreviousValue": false}]`,
			[]ParamValue{{"Env", "dev", 1}}},
		{"UTF-8 value", `[{"ParameterKey": "VPCName", "ParameterValue": "café"}]`, []ParamValue{{"VPCName", "café", 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeParams([]byte(tc.src), "p.json")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// Values CloudFormation would take but that break at deploy time or mean
// something else: NaN and fractions for whole-number parameters, CIDRs with
// host bits.
func TestParameterCheckStrictValues(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	backup := Parameter{Type: "Number", Default: 7, MinValue: f(1), MaxValue: f(35)}
	ratio := Parameter{Type: "Number", Default: 0.5, MinValue: f(0), MaxValue: f(1)}
	bare := Parameter{Type: "Number"}
	cidr := Parameter{Type: "String"}
	for _, tc := range []struct {
		name  string
		p     Parameter
		value string
		want  string
	}{
		{"NaN", backup, "NaN", `"NaN" is not a number (digits, an optional sign, point and exponent)`},
		{"NaN without limits", bare, "nan", `"nan" is not a number (digits, an optional sign, point and exponent)`},
		{"Inf", bare, "Inf", `"Inf" is not a number (digits, an optional sign, point and exponent)`},
		{"hexadecimal", bare, "0x10", `"0x10" is not a number (digits, an optional sign, point and exponent)`},
		{"7.5 for a whole-number parameter", backup, "7.5", "7.5 is not a whole number (the parameter's Default, MinValue and MaxValue are whole numbers)"},
		{"7", backup, "7", ""},
		{"7.0", backup, "7.0", `"7.0": write the whole number plainly, as 7 (no leading zeros, plus sign, point or exponent: the template receives the text as written)`},
		{"00", backup, "07", `"07": write the whole number plainly, as 7 (no leading zeros, plus sign, point or exponent: the template receives the text as written)`},
		{"0.75 for a fractional parameter", ratio, "0.75", ""},
		{"7.5 without limits or default", bare, "7.5", ""},
		{"1e1", backup, "1e1", `"1e1": write the whole number plainly, as 10 (no leading zeros, plus sign, point or exponent: the template receives the text as written)`},
		{"1e1 without limits or default", bare, "1e1", ""},
		{"host bits", cidr, "203.0.113.10/24", `"203.0.113.10/24" has host bits set; the network address is 203.0.113.0/24`},
		{"network address", cidr, "203.0.113.0/24", ""},
		{"a /32", cidr, "203.0.113.10/32", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Check(tc.value); got != tc.want {
				t.Errorf("Check(%q) = %q, want %q", tc.value, got, tc.want)
			}
		})
	}
}
