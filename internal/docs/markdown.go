// Package docs writes the Markdown reference of a CloudFormation template:
// its architecture diagram, how to deploy it, every parameter, the
// behaviour a parameter selects through a mapping (per environment, for
// cfngen's templates), the conditions, the resources by component with what
// each is for, and the outputs. It works on any template; for cfngen's own
// (backend.go) it adds the model's knowledge: per-environment parameter
// values, the params files, and a purpose for every resource.
package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/graph"
)

// Reference is what one template's Markdown reference is made of. Only
// Title and Template are required.
type Reference struct {
	Title string
	// Note is a line under the title, saying where the file comes from.
	Note string
	// TemplatePath is the template as the deploy command names it;
	// TemplateLink, when set, is a relative link to it from the document.
	TemplatePath string
	TemplateLink string
	// Size is the template's size in bytes (0: unknown).
	Size     int
	Template *graph.Template
	// Groups lists the resources by component in reading order; nil groups
	// them by the diagram's tiers.
	Groups []Group
	// Purpose says what a resource is for ("" when it does not know).
	Purpose func(id string) string
	// Envs are the parameter values of each environment's params file.
	Envs []EnvValues
	// Deploys are the create-stack commands to show; nil shows one built
	// from the template alone.
	Deploys []Deploy
	// KeyMeaning explains a mapping's second-level key ("" when unknown).
	KeyMeaning func(key string) string
	// DeployNotes is Markdown added at the end of the deploy section.
	DeployNotes string
}

// Group is a named set of resources.
type Group struct {
	Name string
	IDs  []string
}

// EnvValues are one environment's parameter values.
type EnvValues struct {
	Name   string
	Values map[string]string
}

// Deploy is one create-stack command: a stack and its parameters file.
type Deploy struct {
	Env        string
	StackName  string
	ParamsPath string
	TagsPath   string
}

// maxListed is how many names a "used by" cell lists before it counts.
const maxListed = 6

// Markdown writes the reference.
func Markdown(ref Reference) []byte {
	w := &writer{ref: ref, t: ref.Template}
	w.index()
	w.header()
	w.architecture()
	w.deploying()
	w.parameters()
	w.mappings()
	w.conditions()
	w.resources()
	w.outputs()
	w.fullDiagram()
	return append(bytes.TrimRight(w.b.Bytes(), "\n"), '\n')
}

type writer struct {
	ref Reference
	t   *graph.Template
	b   bytes.Buffer

	params     []string
	paramSet   map[string]bool
	conds      []string
	condUses   map[string]*uses  // condition -> what it reads, nested conditions included
	resUses    map[string]*uses  // resource id -> what it reads, through its conditions too
	selectors  map[string]string // mapping -> the parameter that selects its top-level key
	behaviours []string          // mappings drawn as a column per value of their selector
}

// uses is what an expression reads.
type uses struct {
	params map[string]bool
	conds  map[string]bool
	keys   map[string]bool // "Mapping/Key"
}

func newUses() *uses {
	return &uses{params: map[string]bool{}, conds: map[string]bool{}, keys: map[string]bool{}}
}

func (u *uses) add(o *uses) {
	for k := range o.params {
		u.params[k] = true
	}
	for k := range o.conds {
		u.conds[k] = true
	}
	for k := range o.keys {
		u.keys[k] = true
	}
}

// read collects what v reads directly: parameters, conditions (Fn::If,
// Condition) and mapping keys (Fn::FindInMap with a literal key). refs are
// v's references when known, else nil.
func (w *writer) read(v any, refs map[string]cfn.RefKind) *uses {
	u := newUses()
	if refs == nil {
		refs = cfn.References(v)
	}
	for name := range refs {
		if w.paramSet[name] {
			u.params[name] = true
		}
	}
	cfn.Intrinsics(v, func(fn string, arg any) {
		switch fn {
		case "Fn::If":
			if l, ok := arg.([]any); ok && len(l) > 0 {
				if c, ok := l[0].(string); ok {
					u.conds[c] = true
				}
			}
		case "Condition":
			if c, ok := arg.(string); ok {
				u.conds[c] = true
			}
		case "Fn::FindInMap":
			if l, ok := arg.([]any); ok && len(l) == 3 {
				m, ok1 := l[0].(string)
				k, ok2 := l[2].(string)
				if ok1 && ok2 {
					u.keys[m+"/"+k] = true
				}
			}
		}
	})
	return u
}

func (w *writer) section(name string) map[string]any {
	m, _ := w.t.Tree[name].(map[string]any)
	return m
}

func (w *writer) index() {
	w.params = w.t.Names("Parameters")
	w.paramSet = map[string]bool{}
	for _, p := range w.params {
		w.paramSet[p] = true
	}
	w.conds = w.t.Names("Conditions")
	direct := map[string]*uses{}
	for _, c := range w.conds {
		direct[c] = w.read(w.section("Conditions")[c], nil)
	}
	// Close over nested conditions.
	w.condUses = map[string]*uses{}
	for _, c := range w.conds {
		u := newUses()
		seen := map[string]bool{}
		var visit func(string)
		visit = func(c string) {
			if seen[c] || direct[c] == nil {
				return
			}
			seen[c] = true
			u.add(direct[c])
			for n := range direct[c].conds {
				visit(n)
			}
		}
		visit(c)
		w.condUses[c] = u
	}
	w.resUses = map[string]*uses{}
	for _, r := range w.t.Resources {
		u := w.read(r.Body, r.Refs)
		if r.Condition != "" {
			u.conds[r.Condition] = true
		}
		for c := range u.conds {
			if cu := w.condUses[c]; cu != nil {
				u.add(cu)
			}
		}
		w.resUses[r.ID] = u
	}
	// A mapping is selected by a parameter when every Fn::FindInMap of it
	// takes its top-level key from !Ref of that one parameter.
	sel := map[string]string{}
	bad := map[string]bool{}
	cfn.Intrinsics(w.t.Tree, func(fn string, arg any) {
		l, ok := arg.([]any)
		if fn != "Fn::FindInMap" || !ok || len(l) != 3 {
			return
		}
		m, _ := l[0].(string)
		p := ""
		if top, ok := l[1].(map[string]any); ok && len(top) == 1 {
			p, _ = top["Ref"].(string)
		}
		if !w.paramSet[p] || (sel[m] != "" && sel[m] != p) {
			bad[m] = true
			return
		}
		sel[m] = p
	})
	w.selectors = map[string]string{}
	for _, m := range w.t.Names("Mappings") {
		if p := sel[m]; p != "" && !bad[m] {
			w.selectors[m] = p
			if n := len(w.section("Mappings")[m].(map[string]any)); n <= 8 {
				w.behaviours = append(w.behaviours, m)
			}
		}
	}
}

// Markdown helpers.

func (w *writer) p(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

func (w *writer) heading(level int, text string) {
	w.p("%s %s\n\n", strings.Repeat("#", level), text)
}

// cell makes text safe in a table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", "<br>")
}

// code is an inline code span.
func code(s string) string {
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

func (w *writer) table(head []string, rows [][]string) {
	w.p("| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = cell(c)
		}
		w.p("| %s |\n", strings.Join(cells, " | "))
	}
	w.p("\n")
}

// anchor is the id GitHub gives a heading.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// list names ids, the first maxListed of them, and counts the rest.
func list(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	shown := ids
	if len(ids) > maxListed {
		shown = ids[:maxListed]
	}
	s := strings.Join(shown, ", ")
	if len(ids) > len(shown) {
		s += fmt.Sprintf(" and %d more", len(ids)-len(shown))
	}
	return s
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	return expr(v)
}

// Sections.

func (w *writer) headings() []string {
	h := []string{"Architecture", "Deploying"}
	if len(w.params) > 0 {
		h = append(h, "Parameters")
	}
	for _, m := range w.behaviours {
		h = append(h, "Behaviour by "+w.selectors[m])
	}
	if len(w.behaviours) < len(w.t.Names("Mappings")) {
		h = append(h, "Mappings")
	}
	if len(w.conds) > 0 {
		h = append(h, "Conditions")
	}
	h = append(h, "Resources")
	if len(w.t.Names("Outputs")) > 0 {
		h = append(h, "Outputs")
	}
	return append(h, "All resources")
}

func (w *writer) header() {
	w.heading(1, w.ref.Title)
	if w.ref.Note != "" {
		w.p("%s\n\n", w.ref.Note)
	}
	if d, ok := w.t.Tree["Description"].(string); ok && d != "" {
		w.p("> %s\n\n", strings.ReplaceAll(strings.TrimSpace(d), "\n", "\n> "))
	}
	tpl := code(w.ref.TemplatePath)
	if w.ref.TemplateLink != "" {
		tpl = "[" + tpl + "](" + w.ref.TemplateLink + ")"
	}
	size := ""
	if w.ref.Size > 0 {
		size = fmt.Sprintf(" (%s bytes)", thousands(w.ref.Size))
	}
	w.p("Template %s%s: %s, %s, %s.\n\n", tpl, size, plural(len(w.t.Resources), "resource"),
		plural(len(w.params), "parameter"), plural(len(w.t.Names("Outputs")), "output"))
	var links []string
	for _, h := range w.headings() {
		links = append(links, "["+h+"](#"+anchor(h)+")")
	}
	w.p("%s\n\n", strings.Join(links, " · "))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func (w *writer) mermaid(g *graph.Graph) {
	w.p("```mermaid\n%s```\n\n", graph.MermaidBytes(g))
}

func (w *writer) architecture() {
	w.heading(2, "Architecture")
	w.p("The components of the stack and how requests and data flow between them " +
		"(`cfngen graph --level overview`). [All resources](#all-resources) shows every resource.\n\n")
	w.mermaid(w.t.Overview())
}

// required lists the parameters without a default.
func (w *writer) required() []string {
	var out []string
	for _, p := range w.params {
		body, _ := w.section("Parameters")[p].(map[string]any)
		if _, ok := body["Default"]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// capabilities are the create-stack capabilities the template needs: IAM
// resources need CAPABILITY_IAM, and CAPABILITY_NAMED_IAM is given with it
// so that naming a role later needs no change of the command; transforms
// need CAPABILITY_AUTO_EXPAND.
func (w *writer) capabilities() []string {
	var caps []string
	for _, r := range w.t.Resources {
		if strings.HasPrefix(r.Type, "AWS::IAM::") {
			caps = append(caps, "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM")
			break
		}
	}
	if _, ok := w.t.Tree["Transform"]; ok {
		caps = append(caps, "CAPABILITY_AUTO_EXPAND")
	}
	return caps
}

func (w *writer) deploying() {
	w.heading(2, "Deploying")
	caps := w.capabilities()
	body := "--template-body file://" + w.ref.TemplatePath
	if w.ref.Size > cfn.MaxBodyBytes {
		body = "--template-url https://<bucket>.s3.amazonaws.com/" + path.Base(w.ref.TemplatePath)
		w.p("The template is %s bytes, more than the %s bytes `--template-body` accepts: upload it to S3 and name it with `--template-url`.\n\n",
			thousands(w.ref.Size), thousands(cfn.MaxBodyBytes))
	}
	command := func(stack string, params []string, tags string) {
		lines := []string{"aws cloudformation create-stack --stack-name " + stack, body}
		lines = append(lines, params...)
		if tags != "" {
			lines = append(lines, "--tags file://"+tags)
		}
		if len(caps) > 0 {
			lines = append(lines, "--capabilities "+strings.Join(caps, " "))
		}
		w.p("```sh\n%s\n```\n\n", strings.Join(lines, " \\\n  "))
	}
	deploys := w.ref.Deploys
	stack := strings.TrimSuffix(path.Base(w.ref.TemplatePath), path.Ext(w.ref.TemplatePath))
	if len(deploys) == 0 {
		var params []string
		for _, p := range w.required() {
			params = append(params, "ParameterKey="+p+",ParameterValue=...")
		}
		if len(params) > 0 {
			params = []string{"--parameters " + strings.Join(params, " ")}
		}
		command(stack, params, "")
	} else {
		stack = deploys[0].StackName
		for _, d := range deploys {
			if len(deploys) > 1 {
				w.p("%s (`%s`):\n\n", d.Env, d.ParamsPath)
			}
			command(d.StackName, []string{"--parameters file://" + d.ParamsPath}, d.TagsPath)
		}
	}
	if req := w.required(); len(req) > 0 {
		names := make([]string, len(req))
		for i, p := range req {
			names[i] = code(p)
		}
		w.p("Parameters without a default need a value: %s.", strings.Join(names, ", "))
		if len(deploys) > 0 {
			w.p(" Check the values in the parameters file before the first deploy.")
		}
		w.p("\n\n")
	}
	if len(caps) > 0 {
		w.p("The stack creates IAM resources, hence `--capabilities %s`. ", strings.Join(caps, " "))
	}
	w.p("Wait for the stack with `aws cloudformation wait stack-create-complete --stack-name %s`, "+
		"read its outputs with `aws cloudformation describe-stacks --stack-name %s --query 'Stacks[0].Outputs'`, "+
		"and apply later changes with `aws cloudformation update-stack` and the same arguments.\n\n", stack, stack)
	if w.ref.DeployNotes != "" {
		w.p("%s\n\n", strings.TrimSpace(w.ref.DeployNotes))
	}
}

// usedBy lists, in template order, the resources that read a parameter
// (directly or through a condition) or a mapping key.
func (w *writer) usedBy(match func(*uses) bool) []string {
	var out []string
	for _, r := range w.t.Resources {
		if match(w.resUses[r.ID]) {
			out = append(out, r.ID)
		}
	}
	return out
}

func (w *writer) parameters() {
	if len(w.params) == 0 {
		return
	}
	w.heading(2, "Parameters")
	selects := map[string][]string{}
	for _, m := range w.t.Names("Mappings") {
		if p := w.selectors[m]; p != "" {
			selects[p] = append(selects[p], m)
		}
	}
	head := []string{"parameter", "type", "default", "allowed", "description"}
	if len(w.ref.Envs) > 0 {
		head = append(head, "per environment")
	}
	head = append(head, "used by")
	var rows [][]string
	for _, p := range w.params {
		body, _ := w.section("Parameters")[p].(map[string]any)
		typ := code(str(body["Type"]))
		if b, _ := body["NoEcho"].(bool); b || str(body["NoEcho"]) == "true" {
			typ += " (NoEcho)"
		}
		def := "required"
		if d, ok := body["Default"]; ok {
			def = value(str(d))
		}
		desc := str(body["Description"])
		for _, m := range selects[p] {
			if slices.Contains(w.behaviours, m) {
				desc = strings.TrimSpace(desc + fmt.Sprintf(" Selects a column of mapping %s: see [Behaviour by %s](#%s).", code(m), p, anchor("Behaviour by "+p)))
			} else {
				desc = strings.TrimSpace(desc + fmt.Sprintf(" Selects an entry of mapping %s.", code(m)))
			}
		}
		row := []string{code(p), typ, def, allowed(body), desc}
		if len(w.ref.Envs) > 0 {
			row = append(row, w.perEnv(p))
		}
		row = append(row, list(w.usedBy(func(u *uses) bool { return u.params[p] })))
		rows = append(rows, row)
	}
	w.table(head, rows)
}

// value shows a literal value; empty strings are named.
func value(s string) string {
	if s == "" {
		return "(empty)"
	}
	return code(s)
}

// allowed describes a parameter's constraints.
func allowed(body map[string]any) string {
	var parts []string
	if vals, ok := body["AllowedValues"].([]any); ok {
		var vs []string
		for _, v := range vals {
			vs = append(vs, value(str(v)))
		}
		parts = append(parts, strings.Join(vs, ", "))
	}
	if p := str(body["AllowedPattern"]); p != "" {
		parts = append(parts, "pattern "+code(p))
	}
	rng := func(lo, hi any, unit string) {
		l, h := str(lo), str(hi)
		switch {
		case l != "" && h != "":
			parts = append(parts, unit+l+" to "+h)
		case l != "":
			parts = append(parts, unit+"at least "+l)
		case h != "":
			parts = append(parts, unit+"at most "+h)
		}
	}
	rng(body["MinLength"], body["MaxLength"], "length ")
	rng(body["MinValue"], body["MaxValue"], "")
	if c := str(body["ConstraintDescription"]); c != "" {
		parts = append(parts, "("+c+")")
	}
	return strings.Join(parts, "; ")
}

// perEnv shows a parameter's value in each environment's params file.
func (w *writer) perEnv(p string) string {
	vals := make([]string, len(w.ref.Envs))
	same := true
	for i, e := range w.ref.Envs {
		v, ok := e.Values[p]
		if !ok {
			vals[i] = "default"
		} else {
			vals[i] = value(v)
		}
		if vals[i] != vals[0] {
			same = false
		}
	}
	if same {
		if vals[0] == "default" {
			return "template default"
		}
		return "all: " + vals[0]
	}
	var parts []string
	for i, e := range w.ref.Envs {
		parts = append(parts, e.Name+": "+vals[i])
	}
	return strings.Join(parts, ", ")
}

// topKeys orders a mapping's top-level keys: by the selecting parameter's
// allowed values when they name them all, else sorted.
func (w *writer) topKeys(m string) []string {
	mapping, _ := w.section("Mappings")[m].(map[string]any)
	keys := cfn.SortedKeys(mapping)
	if p := w.selectors[m]; p != "" {
		body, _ := w.section("Parameters")[p].(map[string]any)
		var ordered []string
		if vals, ok := body["AllowedValues"].([]any); ok {
			for _, v := range vals {
				if _, ok := mapping[str(v)]; ok {
					ordered = append(ordered, str(v))
				}
			}
		}
		if len(ordered) == len(keys) {
			return ordered
		}
	}
	return keys
}

// secondKeys lists the second-level keys of a mapping, sorted.
func secondKeys(mapping map[string]any) []string {
	set := map[string]any{}
	for _, v := range mapping {
		if m, ok := v.(map[string]any); ok {
			for k := range m {
				set[k] = nil
			}
		}
	}
	return cfn.SortedKeys(set)
}

func (w *writer) mappings() {
	for _, m := range w.behaviours {
		p := w.selectors[m]
		w.heading(2, "Behaviour by "+p)
		mapping, _ := w.section("Mappings")[m].(map[string]any)
		tops := w.topKeys(m)
		w.p("The %s parameter selects a column of the %s mapping; the resources on the right read the row.\n\n", code(p), code(m))
		head := []string{"setting"}
		if w.ref.KeyMeaning != nil {
			head = append(head, "meaning")
		}
		for _, top := range tops {
			head = append(head, code(top))
		}
		head = append(head, "used by")
		var rows [][]string
		keys := secondKeys(mapping)
		for _, k := range keys {
			row := []string{code(k)}
			if w.ref.KeyMeaning != nil {
				row = append(row, w.ref.KeyMeaning(k))
			}
			for _, top := range tops {
				entry, _ := mapping[top].(map[string]any)
				row = append(row, str(entry[k]))
			}
			key := m + "/" + k
			row = append(row, list(w.usedBy(func(u *uses) bool { return u.keys[key] })))
			rows = append(rows, row)
		}
		w.table(head, rows)
		// What changes from the first column (the default value) to each other.
		if len(tops) > 1 {
			for _, top := range tops[1:] {
				var diffs []string
				for _, k := range keys {
					a, _ := mapping[tops[0]].(map[string]any)
					b, _ := mapping[top].(map[string]any)
					if str(a[k]) != str(b[k]) {
						diffs = append(diffs, fmt.Sprintf("%s %s", code(k), str(b[k])))
					}
				}
				if len(diffs) == 0 {
					w.p("- %s: as %s.\n", code(top), code(tops[0]))
				} else {
					w.p("- %s, unlike %s: %s.\n", code(top), code(tops[0]), strings.Join(diffs, ", "))
				}
			}
			w.p("\n")
		}
	}
	var others []string
	for _, m := range w.t.Names("Mappings") {
		if !slices.Contains(w.behaviours, m) {
			others = append(others, m)
		}
	}
	if len(others) == 0 {
		return
	}
	w.heading(2, "Mappings")
	for _, m := range others {
		w.heading(3, m)
		mapping, _ := w.section("Mappings")[m].(map[string]any)
		if p := w.selectors[m]; p != "" {
			w.p("Selected by %s.\n\n", code(p))
		}
		keys := secondKeys(mapping)
		head := []string{"key"}
		for _, k := range keys {
			head = append(head, code(k))
		}
		var rows [][]string
		for _, top := range w.topKeys(m) {
			entry, _ := mapping[top].(map[string]any)
			row := []string{code(top)}
			for _, k := range keys {
				row = append(row, str(entry[k]))
			}
			rows = append(rows, row)
		}
		w.table(head, rows)
	}
}

func (w *writer) conditions() {
	if len(w.conds) == 0 {
		return
	}
	w.heading(2, "Conditions")
	var rows [][]string
	for _, c := range w.conds {
		rows = append(rows, []string{code(c), code(expr(w.section("Conditions")[c])),
			list(w.usedBy(func(u *uses) bool { return u.conds[c] }))})
	}
	w.table([]string{"condition", "true when", "used by"}, rows)
}

// descriptionProperties are properties whose text says what a resource is for.
var descriptionProperties = []string{"GroupDescription", "AlarmDescription", "DBSubnetGroupDescription", "Description"}

func (w *writer) purpose(r *graph.Resource) string {
	props, _ := r.Body["Properties"].(map[string]any)
	var p string
	for _, k := range descriptionProperties {
		if s, ok := props[k].(string); ok && s != "" {
			p = sentence(s)
			break
		}
	}
	if p == "" && w.ref.Purpose != nil {
		p = w.ref.Purpose(r.ID)
	}
	if p == "" {
		p = typePurpose[r.Type]
	}
	if r.Condition != "" {
		p = strings.TrimSpace(p + " Only if " + code(r.Condition) + ".")
	}
	if d := str(r.Body["DeletionPolicy"]); d != "" && d != "Delete" {
		p = strings.TrimSpace(p + " Deletion policy " + code(d) + ".")
	}
	return p
}

// sentence ends a text with a full stop unless it ends with punctuation.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, ")") {
		return s
	}
	return s + "."
}

// groupTitle capitalises a group name and writes the acronyms in it upper case.
func groupTitle(name string) string {
	words := strings.Fields(name)
	for i, wd := range words {
		switch wd {
		case "waf", "rds", "alb", "ecs", "sqs", "sns", "vpc", "iam", "s3", "ecr":
			words[i] = strings.ToUpper(wd)
		}
	}
	s := strings.Join(words, " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (w *writer) resources() {
	w.heading(2, "Resources")
	groups := w.ref.Groups
	if groups == nil {
		for _, tier := range graph.Tiers {
			g := Group{Name: string(tier)}
			for _, r := range w.t.Resources {
				if r.Tier == tier {
					g.IDs = append(g.IDs, r.ID)
				}
			}
			if len(g.IDs) > 0 {
				groups = append(groups, g)
			}
		}
		w.p("Resources by tier, in template order.\n\n")
	} else {
		w.p("Resources by component, in template order.\n\n")
	}
	for _, g := range groups {
		w.heading(3, fmt.Sprintf("%s (%d)", groupTitle(g.Name), len(g.IDs)))
		var rows [][]string
		for _, id := range g.IDs {
			r := w.t.Resource(id)
			if r == nil {
				continue
			}
			rows = append(rows, []string{code(id), code(graph.ShortType(r.Type)), w.purpose(r)})
		}
		w.table([]string{"resource", "type", "what it is for"}, rows)
	}
}

func (w *writer) outputs() {
	names := w.t.Names("Outputs")
	if len(names) == 0 {
		return
	}
	w.heading(2, "Outputs")
	var rows [][]string
	for _, o := range names {
		body, _ := w.section("Outputs")[o].(map[string]any)
		desc := str(body["Description"])
		if c := str(body["Condition"]); c != "" {
			desc = strings.TrimSpace(sentence(desc) + " Only if " + code(c) + ".")
		}
		export := ""
		if e, ok := body["Export"].(map[string]any); ok {
			name, _ := e["Name"].(map[string]any)
			if sub, ok := name["Fn::Sub"].(string); ok && len(name) == 1 {
				export = code(sub) // the usual ${AWS::StackName}-Name reads best as it is
			} else {
				export = code(expr(e["Name"]))
			}
		}
		rows = append(rows, []string{code(o), desc, code(expr(body["Value"])), export})
	}
	w.table([]string{"output", "description", "value", "exported as"}, rows)
}

func (w *writer) fullDiagram() {
	w.heading(2, "All resources")
	w.p("Every resource by tier (`cfngen graph --level full`). An arrow points from a resource to one it " +
		"refers to (Ref, GetAtt, Sub); a dotted arrow is a DependsOn only; a dashed box exists only under its condition.\n\n")
	w.mermaid(w.t.Full())
}
