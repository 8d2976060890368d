package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ParamValue is one entry of a CloudFormation parameters file.
type ParamValue struct {
	ParameterKey   string
	ParameterValue string
	// Line is where the entry's key stands in the file it was read from
	// (DecodeParams), for findings; 0 for values cfngen made.
	Line int `json:"-"`
}

// ParamsJSON encodes a parameters file as the AWS CLI reads it: a JSON array
// of {"ParameterKey", "ParameterValue"} objects, two-space indented, with a
// trailing newline.
func ParamsJSON(values []ParamValue) ([]byte, error) {
	if values == nil {
		values = []ParamValue{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(values); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// TagsJSON encodes stack tags for create-stack --tags file://...: a JSON
// array of {"Key", "Value"} objects sorted by key.
func TagsJSON(tags map[string]string) ([]byte, error) {
	type tag struct{ Key, Value string }
	list := []tag{}
	for _, k := range SortedKeys(tags) {
		list = append(list, tag{k, tags[k]})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(list); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// CheckParams checks parameter values against the template's own parameter
// constraints, as CloudFormation will before creating anything: every key
// known, every parameter without a default present, values within
// AllowedValues, AllowedPattern, lengths and ranges, and no value at all for
// a NoEcho parameter (it would be a secret in a file).
func (t *Template) CheckParams(values []ParamValue) error {
	var probs []string
	seen := map[string]bool{}
	for _, v := range values {
		p, ok := t.Parameter(v.ParameterKey)
		if !ok {
			probs = append(probs, fmt.Sprintf("%s: not a parameter of the template", v.ParameterKey))
			continue
		}
		seen[v.ParameterKey] = true
		if msg := p.Check(v.ParameterValue); msg != "" {
			probs = append(probs, v.ParameterKey+": "+msg)
		}
	}
	for _, name := range t.ParameterNames() {
		if p, _ := t.Parameter(name); p.Default == nil && !seen[name] {
			probs = append(probs, fmt.Sprintf("%s: required (no default) but missing", name))
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("parameter values the template refuses:\n  %s", strings.Join(probs, "\n  "))
	}
	return nil
}

// Check returns why value is wrong for this parameter, or "": why
// CloudFormation refuses it (Refusal), or one of cfngen's stricter rules (a
// CIDR with host bits set, a fraction or an odd spelling where the bounds
// are whole numbers), which CloudFormation lets through to fail later or
// mean something else.
func (p Parameter) Check(value string) string {
	if p.NoEcho && value != "" {
		return "NoEcho parameters are secrets and never written to a params file; pass them at deploy time"
	}
	if msg := p.Refusal(value); msg != "" {
		return msg
	}
	if strings.HasPrefix(p.Type, "CommaDelimitedList") || strings.HasPrefix(p.Type, "List<") || p.NoEcho {
		return ""
	}
	if pre, err := netip.ParsePrefix(value); err == nil && pre.Addr().Is4() && pre != pre.Masked() {
		// EC2 refuses such a block or silently widens it; the config refuses it too.
		return fmt.Sprintf("%q has host bits set; the network address is %s", value, pre.Masked())
	}
	if p.Type == "Number" && p.integral() {
		f, _ := strconv.ParseFloat(value, 64)
		if f != math.Trunc(f) {
			return fmt.Sprintf("%s is not a whole number (the parameter's Default, MinValue and MaxValue are whole numbers)", value)
		}
		if !integerPattern.MatchString(value) {
			// Ref gives the template the text as written: "0.0" or "00"
			// is not "0" to Fn::Equals, nor an integer to an Integer property.
			return fmt.Sprintf("%q: write the whole number plainly, as %s (no leading zeros, plus sign, point or exponent: the template receives the text as written)", value, strconv.FormatFloat(f, 'f', -1, 64))
		}
	}
	return ""
}

// Refusal returns why CloudFormation would refuse value for this
// parameter, or "".
func (p Parameter) Refusal(value string) string {
	if strings.HasPrefix(p.Type, "CommaDelimitedList") || strings.HasPrefix(p.Type, "List<") {
		// AllowedValues and AllowedPattern apply to each item of a list.
		item := p
		item.Type, item.MinLength, item.MaxLength = "String", nil, nil
		for _, v := range strings.Split(value, ",") {
			if msg := item.Refusal(strings.TrimSpace(v)); msg != "" {
				return msg
			}
		}
		return ""
	}
	if len(p.AllowedValues) > 0 && !slices.Contains(p.AllowedValues, value) {
		return fmt.Sprintf("%q is not one of %s", value, strings.Join(p.AllowedValues, ", "))
	}
	if p.MinLength != nil && len(value) < *p.MinLength {
		return fmt.Sprintf("%q is shorter than %d characters", value, *p.MinLength)
	}
	if p.MaxLength != nil && len(value) > *p.MaxLength {
		return fmt.Sprintf("%q is longer than %d characters", value, *p.MaxLength)
	}
	if p.AllowedPattern != "" {
		// CloudFormation matches the whole value against the pattern.
		re, err := compilePattern(p.AllowedPattern)
		if err != nil {
			return fmt.Sprintf("AllowedPattern %q does not compile: %v", p.AllowedPattern, err)
		}
		if !re.MatchString(value) {
			msg := p.ConstraintDescription
			if msg == "" {
				msg = "must match " + p.AllowedPattern
			}
			return fmt.Sprintf("%q: %s", value, msg)
		}
	}
	if p.Type == "Number" {
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || !numberPattern.MatchString(value) {
			return fmt.Sprintf("%q is not a number (digits, an optional sign, point and exponent)", value)
		}
		if p.MinValue != nil && f < *p.MinValue {
			return fmt.Sprintf("%s is below %s", value, strconv.FormatFloat(*p.MinValue, 'f', -1, 64))
		}
		if p.MaxValue != nil && f > *p.MaxValue {
			return fmt.Sprintf("%s is above %s", value, strconv.FormatFloat(*p.MaxValue, 'f', -1, 64))
		}
	}
	return ""
}

// integerPattern is a whole number written plainly.
var integerPattern = regexp.MustCompile(`^(0|-?[1-9][0-9]*)$`)

// numberPattern is a decimal number: no NaN, Inf, hexadecimal or
// underscores, which strconv.ParseFloat would take.
var numberPattern = regexp.MustCompile(`^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$`)

// integral reports whether a Number parameter takes whole numbers: its
// Default, MinValue and MaxValue, those it has (at least one), are whole.
// CloudFormation has no integer type; a property such as
// BackupRetentionPeriod refuses 7.5 only at deploy time.
func (p Parameter) integral() bool {
	whole := func(f float64) bool { return f == math.Trunc(f) && !math.IsInf(f, 0) }
	n := 0
	if p.MinValue != nil {
		if !whole(*p.MinValue) {
			return false
		}
		n++
	}
	if p.MaxValue != nil {
		if !whole(*p.MaxValue) {
			return false
		}
		n++
	}
	if p.Default != nil {
		f, err := strconv.ParseFloat(strings.TrimSpace(fmt.Sprint(p.Default)), 64)
		if err != nil || !whole(f) {
			return false
		}
		n++
	}
	return n > 0
}

var patterns sync.Map // AllowedPattern -> *regexp.Regexp

// compilePattern compiles an AllowedPattern anchored at both ends, once.
func compilePattern(p string) (*regexp.Regexp, error) {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		return nil, err
	}
	patterns.Store(p, re)
	return re, nil
}
