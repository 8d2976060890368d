// Package graph turns any CloudFormation template into a picture of its
// architecture: resources as nodes grouped by tier, edges from Ref, GetAtt,
// Sub and DependsOn, conditional resources marked; or, at the overview level,
// the few components a person would draw on a whiteboard. It writes Mermaid
// and Graphviz DOT. It knows nothing of cfngen's model: everything it shows
// is read from the template tree.
package graph

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// Kind is how one resource refers to another; an edge may carry several.
type Kind = cfn.RefKind

// The ways a resource refers to another.
const (
	Ref       = cfn.ByRef
	GetAtt    = cfn.ByGetAtt
	Sub       = cfn.BySub
	DependsOn = cfn.ByDependsOn
)

// Resource is one entry of a template's Resources section, with the names it
// refers to and the tier it is drawn in.
type Resource struct {
	ID        string
	Type      string
	Condition string
	Body      map[string]any
	// Refs maps every name the resource refers to by Ref, GetAtt or Sub
	// (resources and parameters; not pseudo parameters) to how it does.
	Refs map[string]Kind
	// DependsOn lists the resources named in its DependsOn attribute.
	DependsOn []string
	Tier      Tier
	pos       int // index in template order
	// anchor is the resource whose tier and component a follower (an IAM
	// role, a security group, ...) takes; the resource itself otherwise.
	anchor string
}

// Template is a parsed template: its tree and its resources in template
// order.
type Template struct {
	Tree      map[string]any
	Resources []*Resource
	order     []string
	index     map[string]*Resource
}

// Names lists the entry names of a section (Parameters, Conditions,
// Mappings, Outputs, ...) in template order; names the order does not know
// follow sorted.
func (t *Template) Names(section string) []string {
	sec, _ := t.Tree[section].(map[string]any)
	var out []string
	seen := map[string]bool{}
	for _, o := range t.order {
		if name, ok := strings.CutPrefix(o, section+"/"); ok && !seen[name] {
			if _, exists := sec[name]; exists {
				out = append(out, name)
				seen[name] = true
			}
		}
	}
	for _, name := range cfn.SortedKeys(sec) {
		if !seen[name] {
			out = append(out, name)
		}
	}
	return out
}

// Resource returns the resource with the given logical id, or nil.
func (t *Template) Resource(id string) *Resource { return t.index[id] }

// Parse reads a template in YAML (short-form tags included) or JSON.
func Parse(data []byte) (*Template, error) {
	tree, top, err := cfn.ReadTemplate(data)
	if err != nil {
		return nil, err
	}
	return Load(tree, cfn.Order(top))
}

// FromDoc loads a template cfngen built, in its own order.
func FromDoc(d *cfn.Doc) (*Template, error) {
	var order []string
	for _, s := range d.Sections {
		for _, e := range s.Entries {
			order = append(order, s.Name+"/"+e.Name)
		}
	}
	return Load(d.Tree(), order)
}

// Load reads a template tree (long-form intrinsics, as cfn.ParseYAML returns
// it). order lists "Resources/<id>" entries in template order; resources it
// does not name follow in sorted order.
func Load(tree map[string]any, order []string) (*Template, error) {
	raw, ok := tree["Resources"]
	if !ok {
		return nil, fmt.Errorf("template has no Resources section")
	}
	sec, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("template Resources section is not a mapping")
	}
	if len(sec) == 0 {
		return nil, fmt.Errorf("template Resources section is empty")
	}
	t := &Template{Tree: tree, order: order, index: map[string]*Resource{}}
	for _, id := range t.Names("Resources") {
		body, ok := sec[id].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("resource %s is not a mapping", id)
		}
		typ, ok := body["Type"].(string)
		if !ok || typ == "" {
			return nil, fmt.Errorf("resource %s has no Type", id)
		}
		r := &Resource{ID: id, Type: typ, Body: body, Refs: cfn.References(body), pos: len(t.Resources)}
		r.Condition, _ = body["Condition"].(string)
		r.DependsOn = cfn.DependsOn(body["DependsOn"])
		t.Resources = append(t.Resources, r)
		t.index[id] = r
	}
	t.assignTiers()
	return t, nil
}

// ShortType is a resource type without its AWS:: prefix.
func ShortType(t string) string { return strings.TrimPrefix(t, "AWS::") }

// sortedRefs lists the resources r refers to, in template order.
func (t *Template) sortedRefs(r *Resource) []*Resource {
	var out []*Resource
	for name := range r.Refs {
		if x := t.index[name]; x != nil && x != r {
			out = append(out, x)
		}
	}
	t.sortByOrder(out)
	return out
}

func (t *Template) sortByOrder(rs []*Resource) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].pos < rs[j].pos })
}
