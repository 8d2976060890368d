// Package render turns the backend model into CloudFormation templates and
// parameter files. It is pure: same model, same bytes; no I/O.
package render

import (
	"fmt"
	"strings"
	"sync"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/validate"
)

// Variant is the database tier a template uses.
type Variant string

// The two variants cfngen renders.
const (
	Aurora Variant = "aurora"
	RDS    Variant = "rds"
)

// Variants lists the variants in output order.
var Variants = []Variant{Aurora, RDS}

// Stack is one rendered variant: its template and its parameter files.
type Stack struct {
	Variant      Variant
	TemplatePath string
	Template     *cfn.Template
	Params       []ParamsFile
}

// ParamsFile is one environment's parameter values for one variant.
type ParamsFile struct {
	Env    string
	Path   string
	Values []cfn.ParamValue
}

// paramsPath is where an environment's params file of a variant goes: the
// default environment's in params/ (the seed's layout), the others' in
// params/<environment>/.
func paramsPath(b model.Backend, v Variant, env string) string {
	name := "params.json"
	if v == RDS {
		name = "params-with-rds.json"
	}
	if env == b.DefaultEnvironment {
		return "params/" + name
	}
	return "params/" + env + "/" + name
}

// File is one output file, relative to the output root.
type File struct {
	Path string
	Data []byte
}

// Render builds both variants from the model.
func Render(b model.Backend) ([]Stack, error) {
	var stacks []Stack
	for _, v := range Variants {
		s, err := RenderVariant(b, v)
		if err != nil {
			return nil, err
		}
		stacks = append(stacks, s)
	}
	return stacks, nil
}

// RenderVariant builds one variant.
func RenderVariant(b model.Backend, v Variant) (Stack, error) {
	if b.Network.AZCount < 2 || b.Network.AZCount > 6 {
		return Stack{}, fmt.Errorf("render %s: network.azCount %d is out of range (2..6)", v, b.Network.AZCount)
	}
	if _, ok := b.Env(b.DefaultEnvironment); !ok {
		return Stack{}, fmt.Errorf("render %s: default environment %q is not configured", v, b.DefaultEnvironment)
	}
	bl := &builder{m: b, v: v, t: cfn.NewTemplate(description(b, v))}
	// Components in reading order: the template lists resources this way.
	for _, step := range []struct {
		group string
		build func() error
	}{
		{"parameters", bl.parameters}, {"mappings", bl.mappings}, {"conditions", bl.conditions},
		{"network", bl.network}, {"security groups", bl.securityGroups}, {"load balancer", bl.edge},
		{"waf", bl.waf}, {"storage", bl.storage}, {"database", bl.database}, {"rds proxy", bl.proxy},
		{"compute", bl.compute}, {"bastion", bl.bastion}, {"queue", bl.queue}, {"alarms", bl.alarms},
		{"outputs", bl.outputs}, {"suppressions", bl.writeSuppressions},
	} {
		bl.t.SetGroup(step.group)
		if err := step.build(); err != nil {
			return Stack{}, fmt.Errorf("render %s: %w", v, err)
		}
	}
	s := Stack{Variant: v, Template: bl.t, TemplatePath: "templates/backend-stack.yaml"}
	if v == RDS {
		s.TemplatePath = "templates/backend-stack-with-rds.yaml"
	}
	for _, e := range b.Environments {
		if e.Name == b.DefaultEnvironment || e.Listed {
			s.Params = append(s.Params, ParamsFile{Env: e.Name, Path: paramsPath(b, v, e.Name), Values: bl.paramValues(e)})
		}
	}
	return s, nil
}

// Report describes one encoded template: where it goes and what it uses of
// CloudFormation's limits.
type Report struct {
	Variant  Variant
	Path     string
	Format   string
	Usage    []cfn.Usage
	Doc      *cfn.Doc
	Findings []validate.Finding // what cfngen validate says of the template and its params files
}

// Files renders the model and encodes every output file in the given
// template format ("yaml" or "json"). Each template is read back and must
// mean exactly what was built.
func Files(b model.Backend, format string) ([]File, []Report, error) {
	if err := checkSuppressionRules(b); err != nil {
		return nil, nil, err
	}
	stacks, err := Render(b)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSuppressionResources(b, stacks); err != nil {
		return nil, nil, err
	}
	// The variants are independent: encode and verify them in parallel, then
	// collect them in variant order so the output never depends on timing.
	type result struct {
		files  []File
		report Report
		err    error
	}
	results := make([]result, len(stacks))
	var wg sync.WaitGroup
	for i, s := range stacks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, r, err := encodeStack(s, format)
			results[i] = result{f, r, err}
		}()
	}
	wg.Wait()
	var files []File
	var reports []Report
	for _, r := range results {
		if r.err != nil {
			return nil, nil, r.err
		}
		files = append(files, r.files...)
		reports = append(reports, r.report)
	}
	if len(b.Tags) > 0 {
		tags, err := cfn.TagsJSON(b.Tags)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, File{"params/tags.json", tags})
	}
	return files, reports, nil
}

// encodeStack builds, encodes and verifies one variant's template and
// encodes its parameters.
func encodeStack(s Stack, format string) ([]File, Report, error) {
	doc, err := s.Template.Build()
	if err != nil {
		return nil, Report{}, fmt.Errorf("build %s: %w", s.Variant, err)
	}
	data, err := doc.Encode(format)
	if err != nil {
		return nil, Report{}, fmt.Errorf("encode %s: %w", s.Variant, err)
	}
	if err := doc.Verify(data, format); err != nil {
		return nil, Report{}, fmt.Errorf("verify %s: %w", s.Variant, err)
	}
	path := s.TemplatePath
	if format == "json" {
		path = strings.TrimSuffix(path, ".yaml") + ".json"
	}
	files := []File{{path, data}}
	tree := doc.Tree()
	var sets []validate.ParamsFile
	for _, pf := range s.Params {
		sets = append(sets, validate.ParamsFile{Path: pf.Path, Values: pf.Values})
	}
	findings := validate.CheckTreeAll(path, len(data), tree, sets)
	for _, pf := range s.Params {
		if err := s.Template.CheckParams(pf.Values); err != nil {
			return nil, Report{}, fmt.Errorf("%s: %w", pf.Path, err)
		}
		p, err := cfn.ParamsJSON(pf.Values)
		if err != nil {
			return nil, Report{}, fmt.Errorf("encode %s: %w", pf.Path, err)
		}
		files = append(files, File{pf.Path, p})
	}
	return files, Report{Variant: s.Variant, Path: path, Format: format, Usage: doc.Usage(len(data)), Doc: doc, Findings: dedupe(findings)}, nil
}

func description(b model.Backend, v Variant) string {
	db := "Aurora PostgreSQL Serverless v2"
	if v == RDS {
		db = "RDS for PostgreSQL instance"
	}
	return fmt.Sprintf("%s (%s). Generated by cfngen: edit the model and re-render, not this file.", b.Project.Description, db)
}

// builder carries the model and the template being built through the
// component builders, one file each.
type builder struct {
	m model.Backend
	v Variant
	t *cfn.Template
}

func (b *builder) aurora() bool { return b.v == Aurora }

// azs returns 1..AZCount.
func (b *builder) azs() []int {
	out := make([]int, b.m.Network.AZCount)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func id(prefix string, az int) string { return fmt.Sprintf("%s%d", prefix, az) }

// ids returns the logical ids prefix1..prefixN.
func (b *builder) ids(prefix string) []string {
	var out []string
	for _, az := range b.azs() {
		out = append(out, id(prefix, az))
	}
	return out
}

// refs returns !Ref of prefix1..prefixN.
func (b *builder) refs(prefix string) []string {
	var out []string
	for _, az := range b.azs() {
		out = append(out, cfn.Ref(id(prefix, az)))
	}
	return out
}

// env is !FindInMap [EnvConfig, !Ref Environment, key].
func env(key string) string { return cfn.FindInMap(mEnv, cfn.Ref(pEnvironment), key) }

// name is "<project>-<environment>-suffix", the stem of physical names.
func name(suffix string) string {
	return cfn.Sub("${" + pProject + "}-${" + pEnvironment + "}-" + suffix)
}

func str(s string) *string { return &s }
func num(i int) *int       { return &i }
func yes() *bool           { t := true; return &t }
func no() *bool            { f := false; return &f }

// dedupe drops findings repeated across the params files of one template
// (template findings are found once per params file).
func dedupe(fs []validate.Finding) []validate.Finding {
	seen := map[validate.Finding]bool{}
	var out []validate.Finding
	for _, f := range fs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
