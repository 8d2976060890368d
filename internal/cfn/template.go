package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// Parameter is a template parameter. Numbers are float64 pointers so that zero
// can be expressed; strings that CloudFormation compares as strings stay strings.
type Parameter struct {
	Type                  string
	Description           string
	Default               any
	AllowedValues         []string
	AllowedPattern        string
	ConstraintDescription string
	MinLength             *int
	MaxLength             *int
	MinValue              *float64
	MaxValue              *float64
	NoEcho                bool
}

// Output is a template output, exported as "<stack name>-<output name>".
type Output struct {
	Description string
	Condition   string
	Value       any
	Export      bool
}

// Resource is a goformation resource with the property overrides that
// goformation's types cannot hold (intrinsics in numeric or boolean fields,
// properties newer than its schema).
type Resource struct {
	ID        string
	Resource  cloudformation.Resource
	Group     string
	overrides []override
	metadata  map[string]any
}

// SetMetadata sets one key of the resource's Metadata (scanner suppressions,
// for example); value may hold intrinsics.
func (r *Resource) SetMetadata(key string, value any) *Resource {
	if r.metadata == nil {
		r.metadata = map[string]any{}
	}
	r.metadata[key] = value
	return r
}

type override struct {
	path  []string
	value any
}

type named struct {
	name  string
	value any
}

// Template is a CloudFormation template whose sections keep the order in which
// things were added: builders add resources in the order people read them.
type Template struct {
	Description string
	Metadata    map[string]any

	parameters []named // value: Parameter
	rules      []named
	mappings   []named
	conditions []named
	resources  []*Resource
	outputs    []named // value: Output

	index map[string]string // logical name -> section, for duplicate detection
	errs  []string
	group string
}

// SetGroup names the component that the resources added next belong to; size
// reports add up bytes per group.
func (t *Template) SetGroup(name string) { t.group = name }

// NewTemplate returns an empty template.
func NewTemplate(description string) *Template {
	return &Template{Description: description, index: map[string]string{}}
}

func (t *Template) claim(section, name string) bool {
	if prev, ok := t.index[section+"/"+name]; ok {
		t.errs = append(t.errs, fmt.Sprintf("%s %q added twice (%s)", section, name, prev))
		return false
	}
	t.index[section+"/"+name] = section
	return true
}

// AddParameter adds a parameter.
func (t *Template) AddParameter(name string, p Parameter) {
	if t.claim("parameter", name) {
		t.parameters = append(t.parameters, named{name, p})
	}
}

// AddRule adds a template rule (Rules section).
func (t *Template) AddRule(name string, rule map[string]any) {
	if t.claim("rule", name) {
		t.rules = append(t.rules, named{name, rule})
	}
}

// AddMapping adds a mapping: top-level key -> second-level key -> value.
func (t *Template) AddMapping(name string, m map[string]map[string]any) {
	if t.claim("mapping", name) {
		t.mappings = append(t.mappings, named{name, m})
	}
}

// AddCondition adds a condition; expr is built with Equals, Not, Or, And.
func (t *Template) AddCondition(name, expr string) {
	if t.claim("condition", name) {
		t.conditions = append(t.conditions, named{name, expr})
	}
}

// Add adds a resource under a logical id and returns it for overrides.
func (t *Template) Add(id string, r cloudformation.Resource) *Resource {
	res := &Resource{ID: id, Resource: r, Group: t.group}
	if t.claim("resource", id) {
		t.resources = append(t.resources, res)
	}
	return res
}

// AddOutput adds an output.
func (t *Template) AddOutput(name string, o Output) {
	if t.claim("output", name) {
		t.outputs = append(t.outputs, named{name, o})
	}
}

// Set overrides a property of the resource after marshalling. path is a
// dotted path below Properties ("ServerlessV2ScalingConfiguration.MinCapacity");
// value may hold intrinsics.
func (r *Resource) Set(path string, value any) *Resource {
	r.overrides = append(r.overrides, override{strings.Split(path, "."), value})
	return r
}

// Resource returns the resource with the given logical id, or nil.
func (t *Template) Resource(id string) *Resource {
	for _, r := range t.resources {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// ResourceIDs lists the logical ids in template order.
func (t *Template) ResourceIDs() []string {
	ids := make([]string, len(t.resources))
	for i, r := range t.resources {
		ids[i] = r.ID
	}
	return ids
}

// ParameterNames lists the parameter names in template order.
func (t *Template) ParameterNames() []string { return names(t.parameters) }

// OutputNames lists the output names in template order.
func (t *Template) OutputNames() []string { return names(t.outputs) }

// Parameter returns a parameter by name.
func (t *Template) Parameter(name string) (Parameter, bool) {
	for _, p := range t.parameters {
		if p.name == name {
			return p.value.(Parameter), true
		}
	}
	return Parameter{}, false
}

func names(list []named) []string {
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = n.name
	}
	return out
}

// Doc is the template as a generic tree: ordered sections of ordered named
// entries whose bodies are maps, slices, strings, json.Number and bools, with
// intrinsics in long form ({"Ref": ...}, {"Fn::Sub": ...}). It is what the
// encoders write and what tests inspect.
type Doc struct {
	Description string
	Metadata    map[string]any
	Sections    []Section
}

// Section is one of Parameters, Rules, Mappings, Conditions, Resources, Outputs.
type Section struct {
	Name    string
	Entries []Entry
}

// Entry is a named entry of a section. Group is the component a resource
// belongs to.
type Entry struct {
	Name  string
	Body  any
	Group string
}

// Build turns the template into its generic tree, resolving intrinsic markers
// and applying overrides. It fails on duplicate names, an override of a
// missing resource, or a value that cannot be marshalled.
func (t *Template) Build() (*Doc, error) {
	if len(t.errs) > 0 {
		return nil, fmt.Errorf("template: %s", strings.Join(t.errs, "; "))
	}
	d := &Doc{Description: t.Description}
	if len(t.Metadata) > 0 {
		m, err := toTree(t.Metadata)
		if err != nil {
			return nil, fmt.Errorf("metadata: %w", err)
		}
		d.Metadata = m.(map[string]any)
	}
	add := func(section string, list []named, conv func(any) (any, error)) error {
		if len(list) == 0 {
			return nil
		}
		s := Section{Name: section}
		for _, n := range list {
			body, err := conv(n.value)
			if err != nil {
				return fmt.Errorf("%s %s: %w", section, n.name, err)
			}
			s.Entries = append(s.Entries, Entry{Name: n.name, Body: body})
		}
		d.Sections = append(d.Sections, s)
		return nil
	}
	if err := add("Parameters", t.parameters, func(v any) (any, error) { return parameterTree(v.(Parameter)), nil }); err != nil {
		return nil, err
	}
	for _, sec := range []struct {
		name string
		list []named
	}{{"Rules", t.rules}, {"Mappings", t.mappings}, {"Conditions", t.conditions}} {
		if err := add(sec.name, sec.list, toTree); err != nil {
			return nil, err
		}
	}
	res := Section{Name: "Resources"}
	for _, r := range t.resources {
		body, err := r.tree()
		if err != nil {
			return nil, fmt.Errorf("resource %s: %w", r.ID, err)
		}
		res.Entries = append(res.Entries, Entry{r.ID, body, r.Group})
	}
	d.Sections = append(d.Sections, res)
	if len(t.outputs) > 0 {
		out := Section{Name: "Outputs"}
		for _, n := range t.outputs {
			body, err := outputTree(n.name, n.value.(Output))
			if err != nil {
				return nil, fmt.Errorf("output %s: %w", n.name, err)
			}
			out.Entries = append(out.Entries, Entry{Name: n.name, Body: body})
		}
		d.Sections = append(d.Sections, out)
	}
	return d, nil
}

func (r *Resource) tree() (any, error) {
	v, err := toTree(r.Resource)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("marshals to %T, not an object", v)
	}
	if p, ok := m["Properties"].(map[string]any); ok && len(p) == 0 && len(r.overrides) == 0 {
		delete(m, "Properties")
	}
	if len(r.metadata) > 0 {
		md, _ := m["Metadata"].(map[string]any)
		if md == nil {
			md = map[string]any{}
			m["Metadata"] = md
		}
		for k, v := range r.metadata {
			val, err := toTree(v)
			if err != nil {
				return nil, fmt.Errorf("metadata %s: %w", k, err)
			}
			md[k] = val
		}
	}
	for _, o := range r.overrides {
		val, err := toTree(o.value)
		if err != nil {
			return nil, fmt.Errorf("override %s: %w", strings.Join(o.path, "."), err)
		}
		props, _ := m["Properties"].(map[string]any)
		if props == nil {
			props = map[string]any{}
			m["Properties"] = props
		}
		if err := setPath(props, o.path, val); err != nil {
			return nil, fmt.Errorf("override %s: %w", strings.Join(o.path, "."), err)
		}
	}
	return m, nil
}

func setPath(m map[string]any, path []string, val any) error {
	for i, key := range path {
		if i == len(path)-1 {
			m[key] = val
			return nil
		}
		next, ok := m[key].(map[string]any)
		if !ok {
			if _, exists := m[key]; exists {
				return fmt.Errorf("%s is not an object", key)
			}
			next = map[string]any{}
			m[key] = next
		}
		m = next
	}
	return nil
}

func parameterTree(p Parameter) any {
	m := map[string]any{"Type": p.Type}
	if p.Description != "" {
		m["Description"] = p.Description
	}
	switch d := p.Default.(type) {
	case nil:
	case string:
		m["Default"] = d
	default:
		m["Default"] = json.Number(fmt.Sprint(d))
	}
	if len(p.AllowedValues) > 0 {
		vals := make([]any, len(p.AllowedValues))
		for i, v := range p.AllowedValues {
			vals[i] = v
		}
		m["AllowedValues"] = vals
	}
	if p.AllowedPattern != "" {
		m["AllowedPattern"] = p.AllowedPattern
	}
	if p.ConstraintDescription != "" {
		m["ConstraintDescription"] = p.ConstraintDescription
	}
	num := func(key string, f *float64) {
		if f != nil {
			m[key] = json.Number(fmt.Sprint(*f))
		}
	}
	num("MinValue", p.MinValue)
	num("MaxValue", p.MaxValue)
	if p.MinLength != nil {
		m["MinLength"] = json.Number(fmt.Sprint(*p.MinLength))
	}
	if p.MaxLength != nil {
		m["MaxLength"] = json.Number(fmt.Sprint(*p.MaxLength))
	}
	if p.NoEcho {
		m["NoEcho"] = true
	}
	return m
}

func outputTree(name string, o Output) (any, error) {
	v, err := toTree(o.Value)
	if err != nil {
		return nil, err
	}
	m := map[string]any{"Value": v}
	if o.Export {
		m["Export"] = map[string]any{"Name": map[string]any{"Fn::Sub": "${AWS::StackName}-" + name}}
	}
	if o.Description != "" {
		m["Description"] = o.Description
	}
	if o.Condition != "" {
		m["Condition"] = o.Condition
	}
	return m, nil
}

// toTree marshals v to JSON, splices every intrinsic marker string back in as
// the raw JSON it carries, and decodes the result into a generic tree.
func toTree(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if b, err = expandMarkers(b); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("bad intrinsic marker: %w", err)
	}
	return out, nil
}

// encodedMarker is how encoding/json writes the start of a marker string.
var encodedMarker = []byte(`"\u001fcfn:`)

// expandMarkers replaces each JSON string literal holding a marker by the
// marker's JSON. Markers embed nested intrinsics as raw JSON (see inline), so
// one pass suffices.
func expandMarkers(b []byte) ([]byte, error) {
	i := bytes.Index(b, encodedMarker)
	if i < 0 {
		return b, nil
	}
	out := make([]byte, 0, len(b))
	for i >= 0 {
		out = append(out, b[:i]...)
		end := i + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(b) {
			return nil, fmt.Errorf("bad intrinsic marker: unterminated string")
		}
		var s string
		if err := json.Unmarshal(b[i:end+1], &s); err != nil {
			return nil, fmt.Errorf("bad intrinsic marker: %w", err)
		}
		out = append(out, s[len(marker):]...)
		b = b[end+1:]
		i = bytes.Index(b, encodedMarker)
	}
	return append(out, b...), nil
}

// SortedKeys returns the keys of a map in a stable order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
