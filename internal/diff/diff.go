// Package diff forecasts what deploying a new template (and parameter
// values) over an old one does to a live CloudFormation stack, offline:
// which resources are added, removed or modified and at which property
// paths, whether CloudFormation replaces them (from the create-only
// properties of the resource schemas), where data is lost, which
// replacements fail on a fixed name, which changes weaken security, and
// what breaks for parameter files and for stacks importing the outputs.
// It is pure: templates in, forecast out.
package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/cfnschema"
)

// Template is one side of a comparison: a parsed template and the values of
// its parameter file.
type Template struct {
	Name string
	Tree map[string]any
	// Params holds the parameter file's values; nil when none was given.
	// Parameters it does not set take their Default; parameters without
	// either are unknown.
	Params map[string]string
	// Unknown names parameters whose value is not known even where Params
	// or a Default gives one: a NoEcho value that CloudFormation reads back
	// masked.
	Unknown map[string]bool
}

// Parse reads a template (YAML with short tags, or JSON) and, when params
// is not nil, its parameter file (a JSON array of ParameterKey and
// ParameterValue objects).
func Parse(name string, data []byte, paramsName string, params []byte) (Template, error) {
	tree, _, err := cfn.ReadTemplate(data) // JSON is YAML too
	if err != nil {
		return Template{}, fmt.Errorf("%s: not a CloudFormation template: %w", name, err)
	}
	t := Template{Name: name, Tree: tree}
	if params != nil {
		values, err := cfn.DecodeParams(params, paramsName)
		if err != nil {
			return Template{}, err
		}
		t.Params = make(map[string]string, len(values))
		for _, v := range values {
			t.Params[v.ParameterKey] = v.ParameterValue
		}
	}
	return t, nil
}

// Verdicts of Replacement, DataLoss and Fails, after the Replacement column
// of a CloudFormation change set.
const (
	True        = "True"
	Conditional = "Conditional"
	False       = "False"
)

// Actions.
const (
	Add    = "Add"
	Remove = "Remove"
	Modify = "Modify"
)

// Sections a change is in.
const (
	SecResources  = "Resources"
	SecParameters = "Parameters"
	SecOutputs    = "Outputs"
	SecOther      = "Template" // Mappings, Conditions, Rules, Metadata, ...
)

// Change is one added, removed or modified entry of a template.
type Change struct {
	Section   string
	LogicalID string
	// Type is the resource type, or the parameter's type; empty otherwise.
	Type   string
	Action string
	// Replacement is True, Conditional or False for a modified resource
	// and empty otherwise.
	Replacement string
	// DataLoss is True or Conditional when a stateful resource is deleted
	// or replaced and its policy does not retain it; empty otherwise.
	DataLoss string
	// Fails is True or Conditional when CloudFormation will refuse the
	// change (a fixed-name replacement, an export in use); empty otherwise.
	Fails    string
	Paths    []PathChange
	Security []string
	// Notes explain the verdicts and what to do, for people.
	Notes []string
	// Routine marks a replacement that is how the type is updated (a new
	// ECS task definition revision); --fail-on replace ignores it.
	Routine bool

	// Breaks is set when a parameter or output change breaks existing
	// parameter files or the stacks importing an export.
	Breaks bool

	mayVanish bool // a condition the forecast cannot decide may delete it
}

// breaking adds a note about what the change breaks.
func (c *Change) breaking(note string) {
	c.Breaks = true
	c.Notes = append(c.Notes, note)
}

// PathChange is one changed path of a resource (Properties.X.0.Y,
// DeletionPolicy, ...) or of another entry.
type PathChange struct {
	Path string
	Old  any // evaluated value; nil when absent
	New  any
	// Replacement is what this path's change does: True, Conditional or
	// False.
	Replacement string
	// Uncertain is set when an intrinsic decides whether the value
	// changes (a condition, a parameter without a known value).
	Uncertain bool
	// Via names the replaced resource whose new identity changes this
	// value; empty when the template or a parameter value changed it.
	Via string
}

// Forecast is the whole comparison.
type Forecast struct {
	Old, New string
	Changes  []Change
	// Notes are caveats about the whole update, given when there is one:
	// values CloudFormation resolves again on every update.
	Notes []string
}

// Replaces reports whether a change replaces a resource (True or
// Conditional), routine replacements included.
func (c Change) Replaces() bool { return c.Replacement == True || c.Replacement == Conditional }

// Loses reports whether a change may lose data.
func (c Change) Loses() bool { return c.DataLoss == True || c.DataLoss == Conditional }

// Compare forecasts the update from old to new.
func Compare(old, new Template) Forecast {
	o, n := newSide(old), newSide(new)
	f := Forecast{Old: old.Name, New: new.Name}
	f.Changes = append(f.Changes, resources(o, n)...)
	f.Changes = append(f.Changes, parameters(o, n)...)
	f.Changes = append(f.Changes, outputs(o, n, f.Changes)...)
	f.Changes = append(f.Changes, others(o, n)...)
	if len(f.Changes) > 0 {
		f.Notes = ssmNotes(n)
	}
	f.Notes = append(f.Notes, forEachNotes(o, n)...)
	sort.SliceStable(f.Changes, func(i, j int) bool {
		a, b := f.Changes[i], f.Changes[j]
		if ra, rb := Rank(a), Rank(b); ra != rb {
			return ra < rb
		}
		if a.Section != b.Section {
			return sectionOrder(a.Section) < sectionOrder(b.Section)
		}
		return a.LogicalID < b.LogicalID
	})
	return f
}

// forEachNotes says that the resources an Fn::ForEach loop (the
// AWS::LanguageExtensions transform) makes are not forecast: the loops are
// not expanded.
func forEachNotes(o, n *side) []string {
	keys := map[string]bool{}
	for _, s := range []*side{o, n} {
		for k := range section(s.t.Tree, "Resources") {
			if strings.HasPrefix(k, "Fn::ForEach::") {
				keys[k] = true
			}
		}
	}
	var notes []string
	for _, k := range sortedKeys(keys) {
		notes = append(notes, fmt.Sprintf("%s is not expanded: the resources it makes are not forecast; compare with a change set", k))
	}
	return notes
}

// ssmNotes says which resources use parameters of an SSM type: their
// values are read from Parameter Store again on every update, so a value
// published since the last deploy (a newer AMI) changes them, and replaces
// them where the property is create-only.
func ssmNotes(n *side) []string {
	params := section(n.t.Tree, "Parameters")
	var notes []string
	for _, name := range sortedKeys(params) {
		if !strings.HasPrefix(typeName(params[name]), "AWS::SSM::Parameter::Value<") {
			continue
		}
		var uses []string
		res := section(n.t.Tree, "Resources")
		for _, id := range sortedKeys(res) {
			body := mapOf(res[id])
			if n.exists(body) == no {
				continue
			}
			// The template as written: evaluating would put the
			// parameter's SSM name in place of its reference.
			walkRefs("Properties", body["Properties"], func(path, target string) {
				if target != name {
					return
				}
				use := id + "." + strings.TrimPrefix(path, "Properties.")
				switch propReplacement(n, body, strings.TrimPrefix(path, "Properties.")) {
				case True:
					use += " (replaces it)"
				case Conditional:
					use += " (may replace it)"
				}
				uses = append(uses, use)
			})
		}
		if len(uses) > 0 {
			notes = append(notes, fmt.Sprintf("%s is read from SSM Parameter Store again on this update: a value published since the last deploy changes %s", name, strings.Join(uses, ", ")))
		}
	}
	return notes
}

// Groups, most dangerous first: every change is in exactly one.
const (
	GroupFails = iota
	GroupDataLoss
	GroupSecurity
	GroupBreaks
	GroupReplaced
	GroupRemoved
	GroupModified
	GroupAdded
	GroupOther
)

// GroupTitles names the groups for people.
var GroupTitles = []string{
	GroupFails:    "Will fail",
	GroupDataLoss: "Data loss",
	GroupSecurity: "Security",
	GroupBreaks:   "Breaks parameter files or importers",
	GroupReplaced: "Replaced",
	GroupRemoved:  "Removed",
	GroupModified: "Modified",
	GroupAdded:    "Added",
	GroupOther:    "Other template changes",
}

// Rank is the group of a change.
func Rank(c Change) int {
	switch {
	case c.Fails != "":
		return GroupFails
	case c.Loses():
		return GroupDataLoss
	case len(c.Security) > 0:
		return GroupSecurity
	case c.Breaks:
		return GroupBreaks
	case c.Section == SecOther:
		return GroupOther
	case c.Replaces():
		return GroupReplaced
	case c.Action == Remove:
		return GroupRemoved
	case c.Action == Modify:
		return GroupModified
	}
	return GroupAdded
}

func sectionOrder(s string) int {
	switch s {
	case SecResources:
		return 0
	case SecParameters:
		return 1
	case SecOutputs:
		return 2
	}
	return 3
}

// resources compares the Resources sections.
func resources(o, n *side) []Change {
	oldRes, newRes := section(o.t.Tree, "Resources"), section(n.t.Tree, "Resources")
	ids := map[string]bool{}
	for id := range oldRes {
		ids[id] = true
	}
	for id := range newRes {
		ids[id] = true
	}
	byID := map[string]*Change{}
	var order []string
	for _, id := range sortedKeys(ids) {
		ob, nb := mapOf(oldRes[id]), mapOf(newRes[id])
		oe, ne := no, no
		if ob != nil {
			oe = o.exists(ob)
		}
		if nb != nil {
			ne = n.exists(nb)
		}
		var c *Change
		switch {
		case oe == no && ne == no:
			continue
		case oe == no:
			c = &Change{Action: Add, Type: typeOf(nb)}
			if ne == unknown {
				c.Notes = append(c.Notes, fmt.Sprintf("created only if condition %v holds", nb["Condition"]))
			}
		case ne == no:
			c = &Change{Action: Remove, Type: typeOf(ob)}
			if oe == unknown {
				c.Notes = append(c.Notes, fmt.Sprintf("exists only if condition %v holds", ob["Condition"]))
			}
		default:
			c = &Change{Action: Modify, Type: typeOf(nb)}
			c.Paths = bodyPaths(o, n, ob, nb)
			if ne == unknown && nb["Condition"] != ob["Condition"] {
				c.mayVanish = true
				c.Notes = append(c.Notes, fmt.Sprintf("kept only if condition %v holds, deleted otherwise", nb["Condition"]))
			}
		}
		c.Section, c.LogicalID = SecResources, id
		byID[id] = c
		order = append(order, id)
	}
	cascade(o, n, byID, order)
	var out []Change
	for _, id := range order {
		c := byID[id]
		if c.Action == Modify && len(c.Paths) == 0 {
			continue
		}
		judge(o, n, c)
		out = append(out, *c)
	}
	return out
}

func typeOf(body map[string]any) string {
	t, _ := body["Type"].(string)
	return t
}

// bodyPaths lists the changed paths of a resource present on both sides
// and what each does.
func bodyPaths(o, n *side, ob, nb map[string]any) []PathChange {
	var paths []PathChange
	if typeOf(ob) != typeOf(nb) {
		return []PathChange{{Path: "Type", Old: typeOf(ob), New: typeOf(nb), Replacement: True}}
	}
	keys := map[string]bool{}
	for k := range ob {
		keys[k] = true
	}
	for k := range nb {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		if k == "Type" {
			continue
		}
		ov, nv := o.eval(ob[k]), n.eval(nb[k])
		if k == "DependsOn" {
			ov, nv = dependsOn(ob[k]), dependsOn(nb[k])
		}
		walkDiff(k, ov, nv, func(path string, a, b any) {
			pc := PathChange{Path: path, Old: a, New: b, Uncertain: o.uncertain(a) || n.uncertain(b), Replacement: False}
			if prop, ok := strings.CutPrefix(path, "Properties."); ok {
				pc.Replacement = propReplacement(n, nb, prop)
			} else if path == "Properties" {
				pc.Replacement = replacementOfAll(n, nb, mapOf(a), mapOf(b))
			}
			if pc.Replacement == True && pc.Uncertain {
				pc.Replacement = Conditional
			}
			paths = append(paths, pc)
		})
	}
	return paths
}

// propReplacement is what changing a property of a resource (body, as it
// will be) does, by the schema.
func propReplacement(n *side, body map[string]any, prop string) string {
	r := cfnschema.Lookup(typeOf(body)).Replacement(prop)
	if r != Conditional {
		return r
	}
	if typeOf(body) == "AWS::AutoScaling::AutoScalingGroup" {
		return asgWillReplace(n, body)
	}
	top, _, _ := strings.Cut(prop, ".")
	if replace, _ := conditional(typeOf(body), top); !replace {
		return False
	}
	return r
}

// asgWillReplace is what a change of a conditionally create-only property
// of an Auto Scaling group (LaunchTemplate, MixedInstancesPolicy,
// VPCZoneIdentifier, ...) does: CloudFormation replaces the group only
// under an UpdatePolicy with AutoScalingReplacingUpdate WillReplace true;
// otherwise it updates the group in place.
func asgWillReplace(n *side, body map[string]any) string {
	v, ok := mapOf(mapOf(body["UpdatePolicy"])["AutoScalingReplacingUpdate"])["WillReplace"]
	if !ok {
		return False
	}
	switch w, _ := scalar(n.eval(v)); w {
	case "true":
		return True
	case "false":
		return False
	}
	return Conditional
}

// replacementOfAll is the verdict when the whole Properties map appears or
// disappears.
func replacementOfAll(n *side, body, a, b map[string]any) string {
	verdict := False
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			verdict = worse(verdict, propReplacement(n, body, k))
		}
	}
	return verdict
}

func worse(a, b string) string {
	rank := map[string]int{"": 0, False: 1, Conditional: 2, True: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func dependsOn(v any) any {
	deps := cfn.DependsOn(v)
	sort.Strings(deps)
	out := make([]any, len(deps))
	for i, d := range deps {
		out[i] = d
	}
	return out
}

// walkDiff calls f with every deepest path where a and b differ: maps key
// by key, lists of the same length item by item, anything else whole.
func walkDiff(path string, a, b any, f func(path string, a, b any)) {
	if equal(a, b) {
		return
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	_, _, aFn := cfn.Intrinsic(a)
	_, _, bFn := cfn.Intrinsic(b)
	if aok && bok && !aFn && !bFn {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for _, k := range sortedKeys(keys) {
			walkDiff(path+"."+k, am[k], bm[k], f)
		}
		return
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) {
		for i := range al {
			walkDiff(fmt.Sprintf("%s.%d", path, i), al[i], bl[i], f)
		}
		return
	}
	if aok && bok && listItems(path, al, bl, f) {
		return
	}
	f(path, a, b)
}

// listItems reports a list that grew or shrank item by item: the old items
// the new list lacks as removed (at their old index), the new items the old
// list lacks as added (at their new index). It reports nothing and returns
// false when the lists share no item.
func listItems(path string, al, bl []any, f func(path string, a, b any)) bool {
	used := make([]bool, len(al))
	var added []int
	for j, y := range bl {
		found := false
		for i, x := range al {
			if !used[i] && equal(x, y) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			added = append(added, j)
		}
	}
	if len(added) == len(bl) {
		return false
	}
	for i, x := range al {
		if !used[i] {
			f(fmt.Sprintf("%s.%d", path, i), x, nil)
		}
	}
	for _, j := range added {
		f(fmt.Sprintf("%s.%d", path, j), nil, bl[j])
	}
	return true
}

// cascade marks, until nothing changes, every property that refers to a
// replaced resource: its value (the physical id or an attribute) changes
// with the replacement, and a create-only one replaces the referrer too.
func cascade(o, n *side, byID map[string]*Change, order []string) {
	newRes := section(n.t.Tree, "Resources")
	for changed := true; changed; {
		changed = false
		for _, id := range order {
			c := byID[id]
			if c.Action != Modify {
				continue
			}
			body := mapOf(newRes[id])
			seen := map[string]bool{}
			for _, p := range c.Paths {
				seen[p.Path] = true
			}
			props := n.res(id, "Properties")
			walkRefs("Properties", props, func(path, target string) {
				t := byID[target]
				if t == nil || t.Action != Modify || target == id {
					return
				}
				r := pathVerdict(t.Paths)
				if r != True && r != Conditional {
					return
				}
				if covered(seen, path) {
					return
				}
				pc := PathChange{Path: path, Via: target, Replacement: propReplacement(n, body, strings.TrimPrefix(path, "Properties."))}
				pc.Uncertain = r == Conditional
				if pc.Replacement == True && pc.Uncertain {
					pc.Replacement = Conditional
				}
				c.Paths = append(c.Paths, pc)
				seen[path] = true
				changed = true
			})
		}
	}
	for _, id := range order {
		c := byID[id]
		sort.SliceStable(c.Paths, func(i, j int) bool { return c.Paths[i].Path < c.Paths[j].Path })
	}
}

// covered reports whether path or one of its ancestors is already changed.
func covered(seen map[string]bool, path string) bool {
	for p := path; ; {
		if seen[p] {
			return true
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// pathVerdict is the worst replacement of a list of path changes.
func pathVerdict(paths []PathChange) string {
	v := False
	for _, p := range paths {
		v = worse(v, p.Replacement)
	}
	return v
}

// walkRefs calls f with the path of every Ref, GetAtt or ${X} / ${X.Attr}
// of a Fn::Sub in v, and the logical id it names.
func walkRefs(path string, v any, f func(path, target string)) {
	switch x := v.(type) {
	case map[string]any:
		if fn, arg, ok := cfn.Intrinsic(x); ok {
			switch fn {
			case "Ref":
				if name, ok := arg.(string); ok {
					f(path, name)
				}
				return
			case "Fn::GetAtt":
				switch a := arg.(type) {
				case []any:
					if len(a) > 0 {
						if name, ok := a[0].(string); ok {
							f(path, name)
						}
					}
				case string: // "Resource.Attribute"
					name, _, _ := strings.Cut(a, ".")
					f(path, name)
				}
				return
			case "Fn::Sub":
				tmpl := arg
				if l, ok := arg.([]any); ok && len(l) == 2 {
					tmpl = l[0]
					walkRefs("", l[1], func(_, target string) { f(path, target) })
				}
				if s, ok := tmpl.(string); ok {
					for _, name := range subNames(s) {
						f(path, name)
					}
				}
				return
			}
			// Inside any other function the reference changes the
			// function's value: report it at the function's path.
			walkRefs("", arg, func(_, target string) { f(path, target) })
			return
		}
		for _, k := range sortedKeys(x) {
			walkRefs(path+"."+k, x[k], f)
		}
	case []any:
		for i, item := range x {
			walkRefs(fmt.Sprintf("%s.%d", path, i), item, f)
		}
	}
}

// subNames lists the logical ids a Fn::Sub string names (${X}, ${X.Attr}).
func subNames(s string) []string {
	var names []string
	for rest := s; ; {
		i := strings.Index(rest, "${")
		if i < 0 {
			return names
		}
		rest = rest[i+2:]
		if strings.HasPrefix(rest, "!") {
			continue
		}
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return names
		}
		name, _, _ := strings.Cut(rest[:end], ".")
		names = append(names, name)
		rest = rest[end+1:]
	}
}
