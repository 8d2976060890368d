package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Summary counts a forecast's changes for people.
func (f Forecast) Summary() string {
	if len(f.Changes) == 0 {
		return "no changes"
	}
	count := map[string]int{}
	var res, other []string
	for _, c := range f.Changes {
		switch c.Section {
		case SecResources:
			count[c.Action]++
			if c.Replaces() {
				count["replaced"]++
			}
		case SecParameters:
			count["parameters"]++
		case SecOutputs:
			count["outputs"]++
		default:
			count["other"]++
		}
		if c.Fails != "" {
			count["fails"]++
		}
		if c.Loses() {
			count["loss"]++
		}
		if len(c.Security) > 0 {
			count["security"]++
		}
	}
	for _, k := range []struct{ key, word string }{{Add, "added"}, {Remove, "removed"}, {Modify, "modified"}, {"replaced", "replaced"}} {
		if count[k.key] > 0 {
			res = append(res, fmt.Sprintf("%d %s", count[k.key], k.word))
		}
	}
	for _, k := range []struct{ key, word string }{{"fails", "will fail"}, {"loss", "with data loss"}, {"security", "security"}, {"parameters", "parameters"}, {"outputs", "outputs"}, {"other", "other"}} {
		if count[k.key] > 0 {
			other = append(other, fmt.Sprintf("%d %s", count[k.key], k.word))
		}
	}
	s := "resources: none"
	if len(res) > 0 {
		s = "resources: " + strings.Join(res, ", ")
	}
	if len(other) > 0 {
		s += "; " + strings.Join(other, ", ")
	}
	return s
}

func symbol(action string) string {
	switch action {
	case Add:
		return "+"
	case Remove:
		return "-"
	}
	return "~"
}

// heading is a change's one-line title.
func heading(c Change) string {
	var b strings.Builder
	b.WriteString(symbol(c.Action) + " ")
	switch c.Section {
	case SecParameters:
		b.WriteString("parameter ")
	case SecOutputs:
		b.WriteString("output ")
	}
	b.WriteString(c.LogicalID)
	if c.Type != "" {
		b.WriteString(" (" + c.Type + ")")
	}
	var verdicts []string
	if c.Replacement != "" {
		verdicts = append(verdicts, "replacement: "+c.Replacement)
	}
	if c.DataLoss != "" {
		verdicts = append(verdicts, "data loss: "+c.DataLoss)
	}
	if c.Fails != "" {
		verdicts = append(verdicts, "fails: "+c.Fails)
	}
	if len(verdicts) > 0 {
		b.WriteString("  " + strings.Join(verdicts, ", "))
	}
	return b.String()
}

// pathLine describes one changed path.
func pathLine(p PathChange) string {
	var s string
	switch {
	case p.Via != "":
		s = fmt.Sprintf("%s: changes with the replacement of %s", p.Path, p.Via)
	case p.Old == nil:
		s = fmt.Sprintf("%s: added %s", p.Path, short(p.New))
	case p.New == nil:
		s = fmt.Sprintf("%s: removed (was %s)", p.Path, short(p.Old))
	default:
		a, b := around(p.Old, p.New)
		s = fmt.Sprintf("%s: %s -> %s", p.Path, a, b)
	}
	switch {
	case p.Replacement == True:
		s += "  [replaces]"
	case p.Replacement == Conditional:
		s += "  [may replace]"
	case p.Uncertain:
		s += "  [an intrinsic decides]"
	}
	return s
}

// around renders two values for people; when they are long and start
// alike, both from a little before their first difference.
func around(a, b any) (string, string) {
	x, y := full(a), full(b)
	if len(x) <= 80 && len(y) <= 80 {
		return short(a), short(b)
	}
	rx, ry := []rune(x), []rune(y)
	i := 0
	for i < len(rx) && i < len(ry) && rx[i] == ry[i] {
		i++
	}
	if i > 30 {
		x, y = "..."+string(rx[i-20:]), "..."+string(ry[i-20:])
	}
	return clip(x), clip(y)
}

// WriteText writes forecasts for people: per comparison, the changes
// grouped most dangerous first, each with its paths and notes.
func WriteText(w io.Writer, forecasts []Forecast) error {
	var b bytes.Buffer
	for i, f := range forecasts {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s -> %s\n  %s\n", f.Old, f.New, f.Summary())
		for _, n := range f.Notes {
			fmt.Fprintf(&b, "  ! %s\n", n)
		}
		group := -1
		for _, c := range f.Changes {
			if g := Rank(c); g != group {
				group = g
				fmt.Fprintf(&b, "\n  %s (%d)\n", GroupTitles[g], countRank(f.Changes, g))
			}
			fmt.Fprintf(&b, "    %s\n", heading(c))
			for _, p := range c.Paths {
				fmt.Fprintf(&b, "        %s\n", pathLine(p))
			}
			for _, s := range c.Security {
				fmt.Fprintf(&b, "      ! security: %s\n", s)
			}
			for _, n := range c.Notes {
				fmt.Fprintf(&b, "      ! %s\n", n)
			}
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteBrief writes one forecast in short, for a command that shows it
// beside other output (cfngen deploy, before the change set): the summary,
// the forecast's notes, the changes of the dangerous groups (will fail,
// data loss, security, breaks) with their notes, and the replaced
// resources by name. Changed paths and plain modifications are left out.
func WriteBrief(w io.Writer, f Forecast) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "  %s\n", f.Summary())
	for _, n := range f.Notes {
		fmt.Fprintf(&b, "  ! %s\n", n)
	}
	group := -1
	for _, c := range f.Changes {
		g := Rank(c)
		if g > GroupReplaced {
			break // sorted by group
		}
		if g != group {
			group = g
			fmt.Fprintf(&b, "\n  %s (%d)\n", GroupTitles[g], countRank(f.Changes, g))
		}
		fmt.Fprintf(&b, "    %s\n", heading(c))
		if g == GroupReplaced {
			continue
		}
		for _, s := range c.Security {
			fmt.Fprintf(&b, "      ! security: %s\n", s)
		}
		for _, n := range c.Notes {
			fmt.Fprintf(&b, "      ! %s\n", n)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func countRank(changes []Change, g int) int {
	n := 0
	for _, c := range changes {
		if Rank(c) == g {
			n++
		}
	}
	return n
}

// jsonChange is one change in the JSON report.
type jsonChange struct {
	Stack       string     `json:"stack"`
	Section     string     `json:"section"`
	LogicalID   string     `json:"logicalId"`
	Type        string     `json:"type,omitempty"`
	Action      string     `json:"action"`
	Replacement string     `json:"replacement,omitempty"`
	DataLoss    string     `json:"dataLoss,omitempty"`
	Fails       string     `json:"fails,omitempty"`
	Routine     bool       `json:"routine,omitempty"`
	Breaks      bool       `json:"breaks,omitempty"`
	Paths       []string   `json:"paths"`
	Details     []jsonPath `json:"details,omitempty"`
	Security    []string   `json:"security"`
	Notes       []string   `json:"notes,omitempty"`
}

type jsonPath struct {
	Path        string `json:"path"`
	Old         any    `json:"old,omitempty"`
	New         any    `json:"new,omitempty"`
	Replacement string `json:"replacement"`
	Uncertain   bool   `json:"uncertain,omitempty"`
	Via         string `json:"via,omitempty"`
}

// WriteJSON writes every change of every forecast as one JSON array, one
// object per change, in the text report's order.
func WriteJSON(w io.Writer, forecasts []Forecast) error {
	out := []jsonChange{}
	for _, f := range forecasts {
		for _, c := range f.Changes {
			j := jsonChange{Stack: f.New, Section: c.Section, LogicalID: c.LogicalID, Type: c.Type, Action: c.Action,
				Replacement: c.Replacement, DataLoss: c.DataLoss, Fails: c.Fails, Routine: c.Routine, Breaks: c.Breaks,
				Paths: []string{}, Security: c.Security, Notes: c.Notes}
			if c.Section == SecResources && j.DataLoss == "" {
				j.DataLoss = False
			}
			if j.Security == nil {
				j.Security = []string{}
			}
			for _, p := range c.Paths {
				j.Paths = append(j.Paths, p.Path)
				j.Details = append(j.Details, jsonPath{p.Path, p.Old, p.New, p.Replacement, p.Uncertain, p.Via})
			}
			out = append(out, j)
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteMarkdown writes forecasts as a pull-request comment: a table per
// comparison, most dangerous first, then the changed paths.
func WriteMarkdown(w io.Writer, forecasts []Forecast) error {
	var b bytes.Buffer
	b.WriteString("## cfngen diff\n")
	for _, f := range forecasts {
		fmt.Fprintf(&b, "\n### `%s` → `%s`\n\n%s\n", f.Old, f.New, f.Summary())
		for _, n := range f.Notes {
			fmt.Fprintf(&b, "\n> %s\n", n)
		}
		if len(f.Changes) == 0 {
			continue
		}
		b.WriteString("\n| | Change | Type | Replacement | Data loss | Why it matters |\n|---|---|---|---|---|---|\n")
		for _, c := range f.Changes {
			var why []string
			why = append(why, c.Security...)
			why = append(why, c.Notes...)
			what := c.Action
			switch c.Section {
			case SecParameters:
				what += " parameter"
			case SecOutputs:
				what += " output"
			}
			fmt.Fprintf(&b, "| %s | %s `%s` | %s | %s | %s | %s |\n", GroupTitles[Rank(c)], what, c.LogicalID, cell(c.Type),
				cell(c.Replacement), cell(c.DataLoss), cell(strings.Join(why, "; ")))
		}
		b.WriteString("\n<details><summary>Changed paths</summary>\n\n")
		for _, c := range f.Changes {
			for _, p := range c.Paths {
				fmt.Fprintf(&b, "- `%s` %s\n", c.LogicalID, cell(strings.Replace(pathLine(p), p.Path, "`"+p.Path+"`", 1)))
			}
		}
		b.WriteString("\n</details>\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// cell escapes a table cell.
func cell(s string) string {
	if s == "" {
		return ""
	}
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
