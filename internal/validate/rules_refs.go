package validate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

var pseudoParams = []string{"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}

// Reference rules: every name a template uses exists, and nothing is unused.
var referenceRuleSet = []Rule{
	{ID: "R201", Severity: Error, Title: "every Ref names a parameter, resource or pseudo parameter",
		Fix: "define the parameter or resource, or correct the name", Check: checkRefs},
	{ID: "R202", Severity: Error, Title: "every GetAtt names a resource and an attribute it has",
		Fix: "use an attribute the resource type returns", Check: checkGetAtts},
	{ID: "R203", Severity: Error, Title: "every Fn::Sub variable resolves",
		Fix: "define the variable, reference an existing name, or write ${!Literal} for a literal", Check: checkSubs},
	{ID: "R204", Severity: Error, Title: "DependsOn names existing resources",
		Fix: "remove the dependency or correct the logical id", Check: checkDependsOn},
	{ID: "R205", Severity: Error, Title: "conditions used are defined",
		Fix: "define the condition in Conditions or correct its name", Check: checkConditionRefs},
	{ID: "R206", Severity: Error, Title: "Fn::FindInMap names an existing mapping and keys",
		Fix: "define the mapping and keys; a key missing at deploy time fails the stack even inside an unused Fn::If branch", Check: checkFindInMap},
	{ID: "R207", Severity: Error, Title: "no dependency cycle",
		Fix: "break the cycle: derive one side's value (e.g. a known name) instead of referencing the other resource", Check: checkCycles},
	{ID: "R208", Severity: Warning, Title: "parameters are used",
		Fix: "remove the parameter or use it", Check: unused("Parameters")},
	{ID: "R209", Severity: Warning, Title: "conditions are used",
		Fix: "remove the condition or use it", Check: unused("Conditions")},
	{ID: "R210", Severity: Warning, Title: "mappings are used",
		Fix: "remove the mapping or use it", Check: unused("Mappings")},
}

// known reports whether a name can be referenced with Ref.
func (t *Template) known(name string) bool {
	if contains(pseudoParams, name) {
		return true
	}
	_, p := t.Section("Parameters")[name]
	_, r := t.Section("Resources")[name]
	// A transform (SAM, a macro, a ForEach loop) makes names of its own.
	return p || r || t.transformed()
}

// eachFn calls f for every intrinsic of the given function in the template
// (parameters excluded), with its path.
func (t *Template) eachFn(name string, f func(path *nodePath, arg any)) {
	for _, sec := range []string{"Resources", "Outputs", "Conditions", "Rules"} {
		t.each(sec, func(path *nodePath, v any) {
			if n, a, ok := fn(v); ok && n == name {
				f(path, a)
			}
		})
	}
}

func checkRefs(t *Template) []Finding {
	var out []Finding
	t.eachFn("Ref", func(path *nodePath, a any) {
		name, ok := a.(string)
		if !ok {
			out = append(out, path.finding("Ref takes a name, not an expression"))
			return
		}
		if !t.known(name) {
			out = append(out, path.finding(fmt.Sprintf("Ref to %q, which is not a parameter, resource or pseudo parameter", name)))
		}
	})
	return out
}

func getAttParts(a any) (string, string, bool) {
	switch x := a.(type) {
	case string:
		res, attr, ok := strings.Cut(x, ".")
		return res, attr, ok
	case []any:
		if len(x) == 2 {
			res, ok1 := x[0].(string)
			attr, ok2 := x[1].(string)
			return res, attr, ok1 && ok2
		}
	}
	return "", "", false
}

func checkGetAtts(t *Template) []Finding {
	var out []Finding
	t.eachFn("Fn::GetAtt", func(path *nodePath, a any) {
		res, attr, ok := getAttParts(a)
		if !ok {
			if l, isList := a.([]any); isList && len(l) == 2 {
				if _, isStr := l[0].(string); isStr {
					return // attribute chosen by an intrinsic
				}
			}
			if !t.transformed() {
				out = append(out, path.finding("GetAtt takes [Resource, Attribute]"))
			}
			return
		}
		out = append(out, t.checkAttr(path, res, attr)...)
	})
	t.eachFn("Fn::Sub", func(path *nodePath, a any) {
		s, vars := subParts(a)
		for _, v := range cfn.SubVars(s) {
			res, attr, ok := strings.Cut(v, ".")
			if _, local := vars[res]; ok && !local && !strings.HasPrefix(v, "AWS::") {
				out = append(out, t.checkAttr(path, res, attr)...)
			}
		}
	})
	return out
}

func (t *Template) checkAttr(path *nodePath, res, attr string) []Finding {
	r, ok := t.Resource(res)
	if !ok && t.transformed() {
		return nil // made by the transform
	}
	if !ok {
		return []Finding{path.finding(fmt.Sprintf("GetAtt of %q, which is not a resource", res))}
	}
	if r.Type == "AWS::CloudFormation::Stack" && strings.HasPrefix(attr, "Outputs.") {
		return nil // an output of the nested stack
	}
	if s := lookupType(r.Type); s != nil && !s.hasAttr(attr) {
		msg := fmt.Sprintf("%s (%s) has no attribute %s%s", res, r.Type, attr, suggest(attr, s.Attrs))
		return []Finding{path.finding(msg)}
	}
	return nil
}

func checkSubs(t *Template) []Finding {
	var out []Finding
	t.eachFn("Fn::Sub", func(path *nodePath, a any) {
		s, vars := subParts(a)
		for _, v := range cfn.SubVars(s) {
			name, _, _ := strings.Cut(v, ".")
			if _, local := vars[name]; local || t.known(name) {
				continue
			}
			out = append(out, path.finding(fmt.Sprintf("${%s} names nothing in the template", v)))
		}
	})
	return out
}

func checkDependsOn(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		for _, d := range dependsOn(r) {
			if _, ok := t.Resource(d); !ok {
				f := at(r, "", "DependsOn %q, which is not a resource", d)
				f.Path += "/DependsOn"
				out = append(out, f)
			} else if d == r.ID {
				f := at(r, "", "%s depends on itself", r.ID)
				f.Path += "/DependsOn"
				out = append(out, f)
			}
		}
	}
	return out
}

func checkConditionRefs(t *Template) []Finding {
	conds := t.Section("Conditions")
	var out []Finding
	missing := func(path *nodePath, name string) {
		if _, ok := conds[name]; !ok {
			out = append(out, path.finding(fmt.Sprintf("condition %q is not defined", name)))
		}
	}
	for _, r := range t.Resources() {
		if c, ok := r.Body["Condition"].(string); ok {
			missing(pathOf("Resources/"+r.ID+"/Condition"), c)
		}
	}
	for name, o := range t.Section("Outputs") {
		if m, ok := o.(map[string]any); ok {
			if c, ok := m["Condition"].(string); ok {
				missing(pathOf("Outputs/"+name+"/Condition"), c)
			}
		}
	}
	t.eachFn("Fn::If", func(path *nodePath, a any) {
		if l, ok := a.([]any); ok && len(l) == 3 {
			if c, ok := l[0].(string); ok {
				missing(path, c)
			}
		} else {
			out = append(out, path.finding("Fn::If takes [condition, value if true, value if false]"))
		}
	})
	t.eachFn("Condition", func(path *nodePath, a any) {
		if c, ok := a.(string); ok {
			missing(path, c)
		}
	})
	return out
}

func checkFindInMap(t *Template) []Finding {
	maps := t.Section("Mappings")
	var out []Finding
	t.eachFn("Fn::FindInMap", func(path *nodePath, a any) {
		l, ok := a.([]any)
		if !ok || len(l) < 3 {
			out = append(out, path.finding("Fn::FindInMap takes [mapping, top-level key, second-level key]"))
			return
		}
		name, ok := l[0].(string)
		if !ok {
			return
		}
		m, ok := maps[name].(map[string]any)
		if !ok {
			out = append(out, path.finding(fmt.Sprintf("mapping %q is not defined", name)))
			return
		}
		top, topLit := l[1].(string)
		second, secondLit := l[2].(string)
		if topLit {
			row, ok := m[top].(map[string]any)
			if !ok {
				out = append(out, path.finding(fmt.Sprintf("mapping %s has no key %q", name, top)))
				return
			}
			if _, ok := row[second]; secondLit && !ok {
				out = append(out, path.finding(fmt.Sprintf("mapping %s has no key %s.%s", name, top, second)))
			}
			return
		}
		if secondLit {
			for k, row := range m {
				if r, ok := row.(map[string]any); ok {
					if _, ok := r[second]; !ok {
						out = append(out, path.finding(fmt.Sprintf("mapping %s has no key %s under %s", name, second, k)))
					}
				}
			}
		}
		// A top-level key from a parameter must be one of the mapping's
		// keys for every value the parameter allows.
		if ref, ok := l[1].(map[string]any); ok {
			if p, ok := ref["Ref"].(string); ok {
				if def, ok := t.Section("Parameters")[p].(map[string]any); ok {
					allowed, _ := def["AllowedValues"].([]any)
					for _, v := range allowed {
						if s, ok := literal(v); ok {
							if _, ok := m[s]; !ok {
								out = append(out, path.finding(fmt.Sprintf("parameter %s allows %q, which mapping %s lacks", p, s, name)))
							}
						}
					}
				}
			}
		}
	})
	return out
}

// deps lists the resources each resource depends on: references and DependsOn.
func (t *Template) deps() map[string][]string {
	if t.depGraph != nil {
		return t.depGraph
	}
	res := t.Section("Resources")
	out := map[string][]string{}
	for _, r := range t.Resources() {
		seen := map[string]bool{}
		add := func(id string) {
			if _, ok := res[id]; ok && !seen[id] && id != r.ID {
				seen[id] = true
				out[r.ID] = append(out[r.ID], id)
			}
		}
		for _, d := range dependsOn(r) {
			add(d)
		}
		for _, part := range []string{"Properties", "Metadata", "CreationPolicy", "UpdatePolicy"} {
			for _, id := range references(r.Body[part]) {
				add(id)
			}
		}
		sort.Strings(out[r.ID])
	}
	t.depGraph = out
	return out
}

func checkCycles(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		for _, part := range []string{"Properties", "Metadata"} {
			for _, id := range references(r.Body[part]) {
				if id == r.ID {
					f := at(r, "", "%s references itself, a circular dependency CloudFormation refuses", r.ID)
					out = append(out, f)
					break
				}
			}
		}
	}
	deps := t.deps()
	state := map[string]int{} // 0 new, 1 on stack, 2 done
	var stack []string
	reported := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		state[id] = 1
		stack = append(stack, id)
		for _, d := range deps[id] {
			switch state[d] {
			case 0:
				visit(d)
			case 1:
				i := len(stack) - 1
				for stack[i] != d {
					i--
				}
				cycle := append(append([]string{}, stack[i:]...), d)
				key := strings.Join(cycle, ">")
				if !reported[key] {
					reported[key] = true
					out = append(out, Finding{Resource: d, Path: "Resources/" + d, Message: "dependency cycle: " + strings.Join(cycle, " -> ")})
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[id] = 2
	}
	for _, r := range t.Resources() {
		if state[r.ID] == 0 {
			visit(r.ID)
		}
	}
	return out
}

func unused(section string) func(*Template) []Finding {
	return func(t *Template) []Finding {
		used := map[string]bool{}
		for _, sec := range []string{"Resources", "Outputs", "Conditions", "Rules", "Metadata"} {
			t.each(sec, func(path *nodePath, v any) {
				n, a, ok := fn(v)
				if !ok {
					if section == "Conditions" && path.Key() == "Condition" && path.parent != nil {
						if s, ok := v.(string); ok {
							used[s] = true
						}
					}
					return
				}
				switch {
				case section == "Parameters" && (n == "Ref" || n == "Fn::Sub"):
					for _, r := range references(v) {
						used[r] = true
					}
				case section == "Conditions" && n == "Fn::If":
					if l, ok := a.([]any); ok && len(l) > 0 {
						if s, ok := l[0].(string); ok {
							used[s] = true
						}
					}
				case section == "Conditions" && n == "Condition":
					if s, ok := a.(string); ok {
						used[s] = true
					}
				case section == "Mappings" && n == "Fn::FindInMap":
					if l, ok := a.([]any); ok && len(l) > 0 {
						if s, ok := l[0].(string); ok {
							used[s] = true
						}
					}
				}
			})
		}
		var out []Finding
		for _, name := range keys(t.Section(section)) {
			if !used[name] {
				out = append(out, Finding{Path: section + "/" + name, Message: fmt.Sprintf("%s %s is never used", strings.TrimSuffix(strings.ToLower(section), "s"), name)})
			}
		}
		return out
	}
}

// transitiveDeps returns everything a resource depends on, directly or not.
func transitiveDeps(deps map[string][]string, id string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{id}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range deps[cur] {
			if !seen[d] {
				seen[d] = true
				stack = append(stack, d)
			}
		}
	}
	return seen
}
