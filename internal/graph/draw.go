package graph

import "fmt"

// Graph is what the writers draw: nodes, optionally in groups (subgraphs or
// clusters), and directed edges. Everything is in drawing order.
type Graph struct {
	// Direction is the layout direction: "LR" (left to right) or "TB".
	Direction string
	Groups    []Group
	Nodes     []Node
	Edges     []Edge
}

// Group is a box drawn around nodes.
type Group struct {
	ID    string
	Label string
}

// Node is a resource (full level) or a component (overview level).
type Node struct {
	ID        string
	Label     string // lines separated by "\n"
	Type      string // resource type; "" for a component
	Tier      Tier
	Condition string // drawn dashed, and named in the label
	Group     string // ID of the group it is drawn in, or ""
	Round     bool   // drawn as a circle (the Internet)
}

// Edge goes From the node that refers To the one referred to (full level),
// or along the request path (overview level).
type Edge struct {
	From, To string
	Kinds    Kind
}

// Level is how much of the template a graph shows.
type Level string

// The levels: Overview draws components, Full draws every resource.
const (
	Overview Level = "overview"
	Full     Level = "full"
)

// Levels lists the levels for messages.
var Levels = []Level{Overview, Full}

// Format is an output format of the writers.
type Format string

// The formats.
const (
	Mermaid Format = "mermaid"
	DOT     Format = "dot"
)

// Formats lists the formats for messages.
var Formats = []Format{Mermaid, DOT}

// Draw returns the graph of the template at a level.
func (t *Template) Draw(level Level) (*Graph, error) {
	switch level {
	case Overview:
		return t.Overview(), nil
	case Full:
		return t.Full(), nil
	}
	return nil, fmt.Errorf("level %q is not known (allowed: overview, full)", level)
}

// Full draws every resource in its tier, with an edge for every reference
// and DependsOn between resources.
func (t *Template) Full() *Graph {
	g := &Graph{Direction: "TB"}
	present := map[Tier]bool{}
	for _, r := range t.Resources {
		present[r.Tier] = true
	}
	for _, tier := range Tiers {
		if present[tier] {
			g.Groups = append(g.Groups, Group{ID: "tier_" + string(tier), Label: string(tier)})
		}
	}
	for _, tier := range Tiers {
		for _, r := range t.Resources {
			if r.Tier != tier {
				continue
			}
			label := r.ID
			if r.Condition != "" {
				label += " (if " + r.Condition + ")"
			}
			g.Nodes = append(g.Nodes, Node{
				ID: r.ID, Label: label + "\n" + ShortType(r.Type), Type: r.Type,
				Tier: r.Tier, Condition: r.Condition, Group: "tier_" + string(tier),
			})
		}
	}
	for _, r := range t.Resources {
		kinds := map[string]Kind{}
		for name, k := range r.Refs {
			if x := t.index[name]; x != nil && x != r {
				kinds[name] |= k
			}
		}
		for _, d := range r.DependsOn {
			if x := t.index[d]; x != nil && x != r {
				kinds[d] |= DependsOn
			}
		}
		targets := make([]*Resource, 0, len(kinds))
		for name := range kinds {
			targets = append(targets, t.index[name])
		}
		t.sortByOrder(targets)
		for _, x := range targets {
			g.Edges = append(g.Edges, Edge{From: r.ID, To: x.ID, Kinds: kinds[x.ID]})
		}
	}
	return g
}
