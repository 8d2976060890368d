package graph

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Write writes the graph in a format.
func Write(w io.Writer, g *Graph, f Format) error {
	var b []byte
	switch f {
	case Mermaid:
		b = MermaidBytes(g)
	case DOT:
		b = DOTBytes(g)
	default:
		return fmt.Errorf("format %q is not known (allowed: mermaid, dot)", f)
	}
	_, err := w.Write(b)
	return err
}

// mermaidIDs gives every node a Mermaid-safe id: the logical id itself when
// it is alphanumeric (CloudFormation's own rule) and not a word Mermaid
// reserves (in any case), otherwise n_<position>. Underscores never occur in logical ids,
// so generated ids cannot collide with real ones.
func mermaidIDs(g *Graph) map[string]string {
	ids := map[string]string{}
	for i, n := range g.Nodes {
		id := n.ID
		if !alnum(id) || mermaidReserved[strings.ToLower(id)] {
			id = "n_" + strconv.Itoa(i)
		}
		ids[n.ID] = id
	}
	return ids
}

// mermaidReserved are words the flowchart parser reads as keywords.
var mermaidReserved = map[string]bool{
	"end": true, "subgraph": true, "graph": true, "flowchart": true, "direction": true, "style": true,
	"class": true, "classdef": true, "click": true, "linkstyle": true, "call": true, "href": true, "default": true,
}

func alnum(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// mermaidText escapes a label for a quoted Mermaid string: quotes, angle
// brackets, ampersands, hashes and backticks become entity codes, newlines
// line breaks.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"', '<', '>', '&', '#', '`':
			fmt.Fprintf(&b, "#%d;", r)
		case '\n':
			b.WriteString("<br/>")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MermaidBytes writes a Mermaid flowchart: ungrouped nodes, then each group as
// a subgraph, then the edges. Conditional nodes are dashed; an edge that is
// only a DependsOn is dotted.
func MermaidBytes(g *Graph) []byte {
	var b bytes.Buffer
	ids := mermaidIDs(g)
	fmt.Fprintf(&b, "flowchart %s\n", g.Direction)
	node := func(indent string, n Node) {
		open, close := "[", "]"
		if n.Round {
			open, close = "((", "))"
		}
		fmt.Fprintf(&b, "%s%s%s\"%s\"%s\n", indent, ids[n.ID], open, mermaidText(n.Label), close)
	}
	for _, n := range g.Nodes {
		if n.Group == "" {
			node("  ", n)
		}
	}
	for _, grp := range g.Groups {
		fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", grp.ID, mermaidText(grp.Label))
		for _, n := range g.Nodes {
			if n.Group == grp.ID {
				node("    ", n)
			}
		}
		b.WriteString("  end\n")
	}
	for _, e := range g.Edges {
		arrow := "-->"
		if e.Kinds == DependsOn {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s %s\n", ids[e.From], arrow, ids[e.To])
	}
	var dashed []string
	for _, n := range g.Nodes {
		if n.Condition != "" {
			dashed = append(dashed, ids[n.ID])
		}
	}
	if len(dashed) > 0 {
		b.WriteString("  classDef conditional stroke-dasharray: 5 5\n")
		fmt.Fprintf(&b, "  class %s conditional\n", strings.Join(dashed, ","))
	}
	return b.Bytes()
}

// dotText quotes a string for DOT; newlines become \n line breaks.
func dotText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// DOTBytes writes a Graphviz digraph: groups as clusters, conditional nodes
// and DependsOn-only edges dashed.
func DOTBytes(g *Graph) []byte {
	var b bytes.Buffer
	b.WriteString("digraph cfngen {\n")
	fmt.Fprintf(&b, "  rankdir=%s;\n", g.Direction)
	b.WriteString("  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	node := func(indent string, n Node) {
		attrs := []string{"label=" + dotText(n.Label)}
		if n.Round {
			attrs = append(attrs, "shape=ellipse")
		}
		if n.Condition != "" {
			attrs = append(attrs, "style=dashed")
		}
		fmt.Fprintf(&b, "%s%s [%s];\n", indent, dotText(n.ID), strings.Join(attrs, ", "))
	}
	for _, n := range g.Nodes {
		if n.Group == "" {
			node("  ", n)
		}
	}
	for _, grp := range g.Groups {
		fmt.Fprintf(&b, "  subgraph %s {\n", dotText("cluster_"+grp.ID))
		fmt.Fprintf(&b, "    label=%s;\n", dotText(grp.Label))
		for _, n := range g.Nodes {
			if n.Group == grp.ID {
				node("    ", n)
			}
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Edges {
		attr := ""
		if e.Kinds == DependsOn {
			attr = " [style=dashed]"
		}
		fmt.Fprintf(&b, "  %s -> %s%s;\n", dotText(e.From), dotText(e.To), attr)
	}
	b.WriteString("}\n")
	return b.Bytes()
}
