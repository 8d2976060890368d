// Package validate checks CloudFormation templates and their parameter files
// offline: structure against the resource schemas, references, limits,
// parameter values, and deploy-readiness rules for the services of the
// backend stack. It works on any template, YAML or JSON, not only cfngen's.
package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	yaml "sigs.k8s.io/yaml/goyaml.v3"

	"github.com/cfngen/cfngen/internal/cfn"
)

// Severity of a finding.
type Severity string

// Severities: errors break the deploy or the stack; warnings are risks.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem in a template or its parameter file.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Resource string   `json:"resource,omitempty"`
	Path     string   `json:"path,omitempty"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
	// Suppressed is set when the template says the finding is intended.
	Suppressed *Suppression `json:"suppressed,omitempty"`
}

// Rule is one check. Check returns findings with Message (and Path,
// Resource, and a Fix that overrides the rule's when needed); the runner
// fills in the rest.
type Rule struct {
	ID       string
	Severity Severity
	Title    string
	Fix      string
	// Why is the rationale: what goes wrong when the rule is broken.
	Why string
	// Scanners are the equivalent checks of other scanners, as
	// "tool:ID" (checkov:CKV_AWS_18, cfn_nag:W35, cfn-lint:W3005). cfngen
	// writes a suppression of this rule in their forms too.
	Scanners []string
	Check    func(*Template) []Finding
}

// Input is one template to validate, with its parameter file if any.
type Input struct {
	Path       string
	Data       []byte
	ParamsPath string
	Params     []byte
	// Today (YYYY-MM-DD) is the date suppression expiry is checked against;
	// empty means the current UTC date.
	Today string
}

// Template is a parsed template, with what rules need to find their way.
type Template struct {
	Path   string
	Size   int
	Tree   map[string]any
	// root is the YAML node tree the template was read from, for line
	// numbers (nil for a template built in memory).
	root   *yaml.Node
	Params []cfn.ParamValue // nil when no parameter file was given
	// ParamsPath is the parameter file's name, for findings about it.
	ParamsPath string
	// Today (YYYY-MM-DD) is the date suppressions expire against; empty
	// means the current UTC date.
	Today string

	// Indexes built on first use: rules ask the same questions many times.
	resources []Resource
	byType    map[string][]Resource
	nodes     map[string][]node // section -> every value in it, with its path
	depGraph  map[string][]string

	transformedSet, transformedVal bool
}

type node struct {
	path *nodePath
	v    any
}

// each calls f for every value in a top-level section (the section itself
// included), with its path, in a stable order.
func (t *Template) each(section string, f func(path *nodePath, v any)) {
	if t.nodes == nil {
		t.nodes = map[string][]node{}
	}
	list, ok := t.nodes[section]
	if !ok {
		walk(pathOf(section), t.Tree[section], func(path *nodePath, v any) { list = append(list, node{path, v}) })
		t.nodes[section] = list
	}
	for _, n := range list {
		f(n.path, n.v)
	}
}

// Resource is one entry of the Resources section.
type Resource struct {
	ID         string
	Type       string
	Properties map[string]any
	Body       map[string]any
}

// Section returns a top-level section as a map (nil if absent).
func (t *Template) Section(name string) map[string]any {
	m, _ := t.Tree[name].(map[string]any)
	return m
}

// Resources lists the resources sorted by logical id.
func (t *Template) Resources() []Resource {
	if t.resources != nil {
		return t.resources
	}
	sec := t.Section("Resources")
	ids := make([]string, 0, len(sec))
	for id := range sec {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]Resource, 0, len(ids))
	for _, id := range ids {
		if strings.HasPrefix(id, "Fn::ForEach::") {
			continue // a loop of AWS::LanguageExtensions, expanded by CloudFormation
		}
		body, _ := sec[id].(map[string]any)
		typ, _ := body["Type"].(string)
		props, _ := body["Properties"].(map[string]any)
		out = append(out, Resource{ID: id, Type: typ, Properties: props, Body: body})
	}
	t.resources = out
	return out
}

// OfType lists the resources of one type.
func (t *Template) OfType(typ string) []Resource {
	if t.byType == nil {
		t.byType = map[string][]Resource{}
		for _, r := range t.Resources() {
			t.byType[r.Type] = append(t.byType[r.Type], r)
		}
	}
	return t.byType[typ]
}

// Resource returns a resource by logical id.
func (t *Template) Resource(id string) (Resource, bool) {
	body, ok := t.Section("Resources")[id].(map[string]any)
	if !ok {
		return Resource{}, false
	}
	typ, _ := body["Type"].(string)
	props, _ := body["Properties"].(map[string]any)
	return Resource{ID: id, Type: typ, Properties: props, Body: body}, true
}

// Line returns the line of a path such as Resources/X/Properties/Y, or of its
// nearest ancestor that has one (0 for a template built in memory).
func (t *Template) Line(path string) int { return lineOf(t.root, path) }

// Run parses and checks every input with the given rules (nil: all rules).
// It returns the findings of every input it could read, and an error naming
// each input that cannot be read as a template or a params file: one bad
// file in a batch does not hide the findings of the others.
func Run(inputs []Input, rules []Rule) ([]Finding, error) {
	if rules == nil {
		rules = Rules()
	}
	// Templates are independent: check them in parallel, report in order.
	results := make([][]Finding, len(inputs))
	errs := make([]error, len(inputs))
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("%s: %w: %v", in.Path, ErrInternal, r)
				}
			}()
			t, err := Parse(in)
			if err != nil {
				errs[i] = err
				return
			}
			results[i] = Check(t, rules)
		}()
	}
	wg.Wait()
	var all []Finding
	for i := range inputs {
		all = append(all, results[i]...)
	}
	return all, errors.Join(errs...)
}

// ErrInternal marks a bug in a rule: the template could not be checked.
var ErrInternal = errors.New("internal error in validate (please report it with the template)")

// Parse reads a template and its parameter file.
func Parse(in Input) (*Template, error) {
	tree, root, err := parseTemplate(in.Data)
	if err != nil {
		return nil, fmt.Errorf("%s: not a CloudFormation template: %w", in.Path, err)
	}
	t := &Template{Path: in.Path, Size: len(in.Data), Tree: tree, root: root, ParamsPath: in.ParamsPath, Today: in.Today}
	if in.Params != nil {
		var values []cfn.ParamValue
		if err := json.Unmarshal(in.Params, &values); err != nil {
			return nil, fmt.Errorf("%s: not a parameters file (a JSON array of ParameterKey/ParameterValue objects): %w", in.ParamsPath, err)
		}
		if values == nil {
			values = []cfn.ParamValue{}
		}
		t.Params = values
	}
	return t, nil
}

// Check runs rules over one parsed template and returns the findings sorted
// by file, line and rule.
func Check(t *Template, rules []Rule) []Finding {
	out, ran := raw(t, rules)
	return finish(t, applySuppressions(t, out, ran, nil), ran)
}

// raw runs the rules and returns their findings before suppressions.
func raw(t *Template, rules []Rule) ([]Finding, map[string]Rule) {
	var out []Finding
	ran := map[string]Rule{}
	for _, r := range rules {
		ran[r.ID] = r
		for _, f := range capped(r.Check(t)) {
			f.Rule = r.ID
			out = append(out, f)
		}
	}
	return out, ran
}

// MaxPerRule is the most findings one rule lists for one template; the
// rest are counted in one more finding. A template with thousands of the
// same mistake (a generated one) gets a readable report, and a hostile one
// cannot make the report cost more than the template.
const MaxPerRule = 100

// capped keeps the first MaxPerRule findings in path order and counts the
// rest.
func capped(fs []Finding) []Finding {
	if len(fs) <= MaxPerRule {
		return fs
	}
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Path != fs[j].Path {
			return fs[i].Path < fs[j].Path
		}
		return fs[i].Message < fs[j].Message
	})
	rest := len(fs) - MaxPerRule
	return append(fs[:MaxPerRule:MaxPerRule], Finding{Message: fmt.Sprintf("%d more findings of this rule are not listed (the first %d are)", rest, MaxPerRule)})
}

// finish fills in what the rules leave to the runner and sorts.
func finish(t *Template, out []Finding, ran map[string]Rule) []Finding {
	for i := range out {
		f := &out[i]
		r, ok := ran[f.Rule]
		if !ok {
			r, _ = RuleByID(f.Rule)
		}
		if f.Severity == "" {
			f.Severity = r.Severity
		}
		if f.Fix == "" {
			f.Fix = r.Fix
		}
		if f.File == "" {
			f.File = t.Path
		}
		if f.Line == 0 && f.Path != "" && f.File == t.Path {
			f.Line = t.Line(f.Path)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
	return out
}

// Errors counts the findings of severity error that are not suppressed.
func Errors(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == Error && f.Suppressed == nil {
			n++
		}
	}
	return n
}

// Rules returns every rule, in id order.
func Rules() []Rule {
	var all []Rule
	for _, set := range [][]Rule{
		structureRules(), referenceRules(), limitRules(), paramRules(),
		databaseRules(), edgeRules(), computeRules(), networkRules(), integrationRules(),
		securityRules(), suppressionRules(),
	} {
		all = append(all, set...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// Counts tells how many findings are errors, warnings and suppressed.
func Counts(fs []Finding) (errs, warns, suppressed int) {
	for _, f := range fs {
		switch {
		case f.Suppressed != nil:
			suppressed++
		case f.Severity == Error:
			errs++
		default:
			warns++
		}
	}
	return errs, warns, suppressed
}

// at builds a finding for a resource property path ("" for the resource).
func at(r Resource, prop, format string, args ...any) Finding {
	path := "Resources/" + r.ID
	if prop != "" {
		path += "/Properties/" + prop
	}
	return Finding{Resource: r.ID, Path: path, Message: fmt.Sprintf(format, args...)}
}

// CheckTree validates a template already in memory as a generic tree (as
// cfn.Doc.Tree gives it), with the parameter values of one of its params
// files. Findings carry no line numbers.
func CheckTree(path string, size int, tree map[string]any, paramsPath string, params []cfn.ParamValue) []Finding {
	t := &Template{Path: path, Size: size, Tree: tree, ParamsPath: paramsPath, Params: params}
	return Check(t, Rules())
}

// ParamsFile is one parameter file of a template.
type ParamsFile struct {
	Path   string
	Values []cfn.ParamValue
}

// CheckTreeAll validates a template in memory with each of its parameter
// files. A suppression counts as used when its finding appears with any of
// them: a finding that only one environment's values produce (a short
// backup period in dev) is suppressed there, not called unused elsewhere.
// Findings that repeat across files are reported once.
func CheckTreeAll(path string, size int, tree map[string]any, files []ParamsFile) []Finding {
	rules := Rules()
	type run struct {
		t   *Template
		fs  []Finding
		ran map[string]Rule
	}
	runs := make([]run, len(files))
	seen := map[string]bool{}
	for i, pf := range files {
		t := &Template{Path: path, Size: size, Tree: tree, ParamsPath: pf.Path, Params: pf.Values}
		fs, ran := raw(t, rules)
		runs[i] = run{t, fs, ran}
		for _, f := range fs {
			seen[f.Resource+" "+f.Rule] = true
		}
	}
	var out []Finding
	dup := map[string]bool{}
	for _, r := range runs {
		for _, f := range finish(r.t, applySuppressions(r.t, r.fs, r.ran, seen), r.ran) {
			key := fmt.Sprintf("%s|%s|%s|%s|%s", f.File, f.Rule, f.Resource, f.Path, f.Message)
			if !dup[key] {
				dup[key] = true
				out = append(out, f)
			}
		}
	}
	return out
}
