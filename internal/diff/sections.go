package diff

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// parameters compares the Parameters sections and the parameter values.
func parameters(o, n *side) []Change {
	oldP, newP := section(o.t.Tree, "Parameters"), section(n.t.Tree, "Parameters")
	var out []Change
	for _, name := range union(oldP, newP) {
		op, inOld := oldP[name]
		np, inNew := newP[name]
		c := Change{Section: SecParameters, LogicalID: name}
		switch {
		case !inOld:
			c.Action, c.Type = Add, typeName(np)
			if _, ok := mapOf(np)["Default"]; !ok {
				if _, set := n.t.Params[name]; set {
					c.breaking("breaks: no Default: the new parameter file sets it, every other parameter file and update-stack call must too")
				} else {
					c.breaking("breaks: no Default: every existing parameter file and update-stack call must now pass it")
					if n.t.Params != nil {
						c.Fails = True
						c.Notes = append(c.Notes, "the new parameter file does not set it: CloudFormation refuses the update")
					}
				}
			}
		case !inNew:
			c.Action, c.Type = Remove, typeName(op)
			c.breaking("breaks: parameter files that still pass it are refused (CloudFormation rejects unknown parameters)")
			if _, set := n.t.Params[name]; set {
				c.Fails = True
				c.Notes = append(c.Notes, "the new parameter file still passes it: CloudFormation refuses the update")
			}
		default:
			c.Action, c.Type = Modify, typeName(np)
			walkDiff("Definition", unordered(op), unordered(np), func(path string, a, b any) {
				c.Paths = append(c.Paths, PathChange{Path: path, Old: a, New: b, Replacement: False})
			})
			notes, refused := constraintNotes(n, name, mapOf(op), mapOf(np))
			more, fails := defaultNotes(n, name, mapOf(op), mapOf(np))
			notes, refused = append(notes, more...), refused || fails
			for _, note := range notes {
				if strings.HasPrefix(note, "breaks:") {
					c.breaking(note)
				} else {
					c.Notes = append(c.Notes, note)
				}
			}
			if refused {
				c.Fails = True
			}
			ov, ook := o.values[name]
			nv, nok := n.values[name]
			if ook && nok && ov != nv {
				pc := PathChange{Path: "Value", Old: ov, New: nv, Replacement: False}
				if v, _ := scalar(mapOf(np)["NoEcho"]); v == "true" {
					pc.Old, pc.New = "(hidden)", "(hidden, changed)"
				}
				c.Paths = append(c.Paths, pc)
			}
			if len(c.Paths) == 0 {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// constraintNotes explains what changed constraints refuse, and whether
// they refuse the new value. Narrower constraints break parameter files;
// wider ones do not.
func constraintNotes(n *side, name string, op, np map[string]any) (notes []string, refused bool) {
	oldAllowed, newAllowed := strs(op["AllowedValues"]), strs(np["AllowedValues"])
	if len(newAllowed) > 0 {
		var gone []string
		for _, v := range oldAllowed {
			if !slices.Contains(newAllowed, v) {
				gone = append(gone, v)
			}
		}
		if len(oldAllowed) == 0 {
			notes = append(notes, "breaks: AllowedValues added: values outside "+list(newAllowed)+" are refused")
		} else if len(gone) > 0 {
			notes = append(notes, "breaks: no longer allowed: "+list(gone))
		}
	}
	for _, k := range []string{"MinLength", "MaxLength", "MinValue", "MaxValue"} {
		a, aok := number(op[k])
		b, bok := number(np[k])
		narrower := b > a
		if strings.HasPrefix(k, "Max") {
			narrower = b < a
		}
		switch {
		case !bok || (aok && a == b):
		case !aok:
			notes = append(notes, fmt.Sprintf("breaks: %s %s added: check every parameter file", k, fmtNumber(b)))
		case narrower:
			notes = append(notes, fmt.Sprintf("breaks: %s %s -> %s (narrower): check every parameter file", k, fmtNumber(a), fmtNumber(b)))
		}
	}
	a, aok := scalar(op["AllowedPattern"])
	b, bok := scalar(np["AllowedPattern"])
	switch {
	case bok && !aok:
		notes = append(notes, fmt.Sprintf("breaks: AllowedPattern %s added: values that do not match it are refused", b))
	case bok && a != b:
		// Whether one regular expression accepts less than another is not
		// decided here: a note, not a break.
		notes = append(notes, fmt.Sprintf("AllowedPattern changed to %s: check that every parameter file's value still matches", b))
	}
	a, aok = scalar(op["Type"])
	b, bok = scalar(np["Type"])
	if bok && aok && a != b {
		notes = append(notes, fmt.Sprintf("breaks: Type is now %s: check every parameter file", b))
	}
	if v, ok := n.values[name]; ok {
		if msg := toParameter(np).Refusal(v); msg != "" {
			if noEcho(np) {
				msg = "(hidden) breaks a constraint"
			}
			notes = append(notes, "the value "+msg+": CloudFormation refuses the update")
			refused = true
		}
	}
	return notes, refused
}

// defaultNotes explains a removed Default: parameter files must now set the
// parameter, and the update fails when the new one does not.
func defaultNotes(n *side, name string, op, np map[string]any) (notes []string, refused bool) {
	_, had := op["Default"]
	_, has := np["Default"]
	if !had || has {
		return nil, false
	}
	if _, set := n.t.Params[name]; set || n.t.Unknown[name] {
		return []string{"breaks: the Default is removed: every other parameter file and update-stack call must now pass it"}, false
	}
	notes = []string{"breaks: the Default is removed: every existing parameter file and update-stack call must now pass it"}
	if n.t.Params == nil {
		return notes, false
	}
	return append(notes, "the Default is removed and the new parameter file does not set it: CloudFormation refuses the update"), true
}

// toParameter reads a parameter declaration for cfn.Parameter.Check.
func toParameter(m map[string]any) cfn.Parameter {
	var p cfn.Parameter
	p.Type, _ = scalar(m["Type"])
	p.AllowedValues = strs(m["AllowedValues"])
	p.AllowedPattern, _ = scalar(m["AllowedPattern"])
	p.ConstraintDescription, _ = scalar(m["ConstraintDescription"])
	for k, dst := range map[string]**int{"MinLength": &p.MinLength, "MaxLength": &p.MaxLength} {
		if f, ok := number(m[k]); ok {
			i := int(f)
			*dst = &i
		}
	}
	for k, dst := range map[string]**float64{"MinValue": &p.MinValue, "MaxValue": &p.MaxValue} {
		if f, ok := number(m[k]); ok {
			*dst = &f
		}
	}
	return p
}

func noEcho(m map[string]any) bool {
	v, _ := scalar(m["NoEcho"])
	return v == "true"
}

// number reads a numeric constraint (a number or a numeric string).
func number(v any) (float64, bool) {
	s, ok := scalar(v)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func fmtNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// unordered returns a parameter definition with its AllowedValues sorted:
// their order means nothing.
func unordered(p any) map[string]any {
	m := mapOf(p)
	if _, ok := m["AllowedValues"].([]any); !ok {
		return m
	}
	values := strs(m["AllowedValues"])
	sort.Strings(values)
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	list := make([]any, len(values))
	for i, v := range values {
		list[i] = v
	}
	out["AllowedValues"] = list
	return out
}

func strs(v any) []string {
	var out []string
	for _, item := range asList(v) {
		if s, ok := scalar(item); ok {
			out = append(out, s)
		}
	}
	return out
}

func typeName(p any) string {
	t, _ := scalar(mapOf(p)["Type"])
	return t
}

// outputs compares the Outputs sections; an output whose value names a
// replaced resource changes with it.
func outputs(o, n *side, changes []Change) []Change {
	replaced := map[string]string{}
	for _, c := range changes {
		if c.Section == SecResources && c.Replaces() {
			replaced[c.LogicalID] = c.Replacement
		}
	}
	oldO, newO := section(o.t.Tree, "Outputs"), section(n.t.Tree, "Outputs")
	var out []Change
	for _, name := range union(oldO, newO) {
		ob, nb := mapOf(oldO[name]), mapOf(newO[name])
		oe, ne := no, no
		if ob != nil {
			oe = o.exists(ob)
		}
		if nb != nil {
			ne = n.exists(nb)
		}
		oldExport := o.eval(mapOf(ob["Export"])["Name"])
		newExport := n.eval(mapOf(nb["Export"])["Name"])
		c := Change{Section: SecOutputs, LogicalID: name}
		switch {
		case oe == no && ne == no:
			continue
		case oe == no:
			c.Action = Add
		case ne == no:
			c.Action = Remove
			if oldExport != nil {
				c.breaking(fmt.Sprintf("breaks: export %s is removed: CloudFormation refuses the update while another stack imports it", short(oldExport)))
			}
		default:
			c.Action = Modify
			walkDiff("Value", o.eval(ob["Value"]), n.eval(nb["Value"]), func(path string, a, b any) {
				c.Paths = append(c.Paths, PathChange{Path: path, Old: a, New: b, Replacement: False, Uncertain: o.uncertain(a) || n.uncertain(b)})
			})
			if len(c.Paths) == 0 {
				walkRefs("Value", n.eval(nb["Value"]), func(path, target string) {
					if r, ok := replaced[target]; ok && len(c.Paths) == 0 {
						c.Paths = append(c.Paths, PathChange{Path: path, Via: target, Replacement: False, Uncertain: r == Conditional})
					}
				})
			}
			valueChanged := len(c.Paths) > 0
			walkDiff("Export", o.eval(ob["Export"]), n.eval(nb["Export"]), func(path string, a, b any) {
				c.Paths = append(c.Paths, PathChange{Path: path, Old: a, New: b, Replacement: False})
			})
			walkDiff("Description", ob["Description"], nb["Description"], func(path string, a, b any) {
				c.Paths = append(c.Paths, PathChange{Path: path, Old: a, New: b, Replacement: False})
			})
			if len(c.Paths) == 0 {
				continue
			}
			switch {
			case oldExport != nil && !equal(oldExport, newExport):
				c.breaking(fmt.Sprintf("breaks: export %s is renamed or removed: CloudFormation refuses the update while another stack imports it", short(oldExport)))
			case oldExport != nil && valueChanged:
				c.breaking(fmt.Sprintf("breaks: the value of export %s changes: CloudFormation refuses the update while another stack imports it", short(oldExport)))
			}
		}
		out = append(out, c)
	}
	return out
}

// failingRules lists the template rules whose assertions the new
// parameter values break, where the old ones did not: CloudFormation
// checks rules before it updates anything, and refuses the update.
func failingRules(o, n *side) []Change {
	var out []Change
	for _, name := range sortedKeys(section(n.t.Tree, "Rules")) {
		failed := n.ruleFails(name)
		if len(failed) == 0 || len(o.ruleFails(name)) > 0 {
			continue
		}
		c := Change{Section: SecOther, LogicalID: "Rules." + name, Action: Modify, Fails: True}
		for _, desc := range failed {
			c.Notes = append(c.Notes, "the parameter values break this rule: CloudFormation refuses the update: "+desc)
		}
		out = append(out, c)
	}
	return out
}

// ruleFails returns the descriptions of the assertions of a rule that
// surely fail; nothing when the rule does not apply, passes, or depends on
// what the forecast cannot know.
func (s *side) ruleFails(name string) []string {
	rule := mapOf(section(s.t.Tree, "Rules")[name])
	if rule == nil {
		return nil
	}
	if c, ok := rule["RuleCondition"]; ok && s.condExpr(c) != yes {
		return nil
	}
	var failed []string
	for _, a := range asList(rule["Assertions"]) {
		m := mapOf(a)
		if s.condExpr(m["Assert"]) == no {
			desc, ok := scalar(m["AssertDescription"])
			if !ok {
				desc = "assertion " + short(m["Assert"])
			}
			failed = append(failed, desc)
		}
	}
	return failed
}

// others compares the remaining sections: Mappings, Conditions and Rules
// entry by entry, the rest whole.
func others(o, n *side) []Change {
	out := failingRules(o, n)
	for _, sec := range []string{"AWSTemplateFormatVersion", "Description", "Transform", "Metadata", "Rules", "Mappings", "Conditions"} {
		ov, nv := o.t.Tree[sec], n.t.Tree[sec]
		if sec == "Rules" || sec == "Mappings" || sec == "Conditions" {
			om, nm := mapOf(ov), mapOf(nv)
			for _, name := range union(om, nm) {
				c, ok := other(sec+"."+name, om[name], nm[name])
				if !ok {
					continue
				}
				if i := slices.IndexFunc(out, func(f Change) bool { return f.LogicalID == c.LogicalID }); i >= 0 {
					out[i].Action, out[i].Paths = c.Action, c.Paths // a changed rule that fails
					continue
				}
				out = append(out, c)
			}
			continue
		}
		if c, ok := other(sec, ov, nv); ok {
			out = append(out, c)
		}
	}
	return out
}

func other(id string, a, b any) (Change, bool) {
	c := Change{Section: SecOther, LogicalID: id, Action: Modify}
	switch {
	case a == nil && b == nil:
		return c, false
	case a == nil:
		c.Action = Add
	case b == nil:
		c.Action = Remove
	default:
		walkDiff(id[strings.LastIndexByte(id, '.')+1:], a, b, func(path string, x, y any) {
			c.Paths = append(c.Paths, PathChange{Path: path, Old: x, New: y, Replacement: False})
		})
		if len(c.Paths) == 0 {
			return c, false
		}
	}
	return c, true
}

func union(a, b map[string]any) []string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return sortedKeys(keys)
}
