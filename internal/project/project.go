// Package project is the pipeline between the command line and the
// builders: it renders the model (internal/render), puts the suppressions
// into the templates, lays the files out (internal/layout), encodes and
// verifies them (internal/cfn), runs cfngen's validator on them
// (internal/validate) and writes the references (internal/docs). It does no
// I/O: cli writes what it returns. render, diff and deploy share it.
package project

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/docs"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/render"
	"github.com/cfngen/cfngen/internal/validate"
)

// File is one output file, relative to the output root.
type File = layout.File

// Report describes one encoded template: where it goes and what it uses of
// CloudFormation's limits.
type Report struct {
	Variant  layout.Variant
	Path     string
	Format   string
	Usage    []cfn.Usage
	Doc      *cfn.Doc
	Findings []validate.Finding // what cfngen validate says of the template and its params files
}

// Stack renders one variant with its suppressions in place: the template
// cfngen writes.
func Stack(b model.Backend, v layout.Variant) (render.Stack, error) {
	s, err := render.RenderVariant(b, v)
	if err != nil {
		return render.Stack{}, err
	}
	if err := applySuppressions(b, s.Template); err != nil {
		return render.Stack{}, fmt.Errorf("render %s: %w", v, err)
	}
	return s, nil
}

// Stacks renders every variant, checking first that each configured
// suppression names a rule cfngen knows and a resource of the templates.
func Stacks(b model.Backend) ([]render.Stack, error) {
	if err := checkSuppressionRules(b); err != nil {
		return nil, err
	}
	stacks := make([]render.Stack, len(layout.Variants))
	for i, v := range layout.Variants {
		s, err := Stack(b, v)
		if err != nil {
			return nil, err
		}
		stacks[i] = s
	}
	if err := checkSuppressionResources(b, stacks); err != nil {
		return nil, err
	}
	return stacks, nil
}

// Files renders the model and encodes every output file in the given
// template format ("yaml" or "json"). Each template is read back and must
// mean exactly what was built, and is validated with its params files.
func Files(b model.Backend, format string) ([]File, []Report, error) {
	stacks, err := Stacks(b)
	if err != nil {
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
		wg.Go(func() {
			f, r, err := encodeStack(b, s, format)
			results[i] = result{f, r, err}
		})
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
	policy, err := stackPolicy(reports)
	if err != nil {
		return nil, nil, err
	}
	files = append(files, File{Path: layout.StackPolicyPath, Data: policy})
	if len(b.Tags) > 0 {
		tags, err := cfn.TagsJSON(b.Tags)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, File{Path: layout.TagsPath, Data: tags})
	}
	return files, reports, nil
}

// stackPolicy is the stack policy of every variant: it denies replacing or
// deleting the data-holding resources of either template (a policy may
// name resources a stack does not have).
func stackPolicy(reports []Report) ([]byte, error) {
	var protected []string
	for _, r := range reports {
		protected = append(protected, cfn.Protected(r.Doc.Tree())...)
	}
	slices.Sort(protected)
	var out bytes.Buffer
	if err := json.Indent(&out, cfn.StackPolicy(slices.Compact(protected), nil), "", "  "); err != nil {
		return nil, fmt.Errorf("stack policy: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// encodeStack builds, encodes, verifies and validates one variant's
// template and encodes its parameters.
func encodeStack(b model.Backend, s render.Stack, format string) ([]File, Report, error) {
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
	path := layout.TemplatePath(s.Variant, format)
	files := []File{{Path: path, Data: data}}
	var sets []validate.ParamsFile
	for _, pf := range s.Params {
		pp := layout.ParamsPath(s.Variant, pf.Env, b.DefaultEnvironment)
		if err := s.Template.CheckParams(pf.Values); err != nil {
			return nil, Report{}, fmt.Errorf("%s: %w", pp, err)
		}
		p, err := cfn.ParamsJSON(pf.Values)
		if err != nil {
			return nil, Report{}, fmt.Errorf("encode %s: %w", pp, err)
		}
		files = append(files, File{Path: pp, Data: p})
		sets = append(sets, validate.ParamsFile{Path: pp, Values: pf.Values})
	}
	findings := validate.CheckTreeAll(path, len(data), doc.Tree(), sets)
	return files, Report{Variant: s.Variant, Path: path, Format: format, Usage: doc.Usage(len(data)), Doc: doc, Findings: findings}, nil
}

// Docs renders the reference of every variant (docs/<template>.md). The
// references show every environment's values, also of environments that
// get no params file of their own (they deploy with the template defaults).
func Docs(b model.Backend) ([]File, error) {
	all := b
	all.Environments = append([]model.Environment(nil), b.Environments...)
	for i := range all.Environments {
		all.Environments[i].Listed = true
	}
	stacks := make([]render.Stack, len(layout.Variants))
	for i, v := range layout.Variants {
		s, err := Stack(all, v)
		if err != nil {
			return nil, err
		}
		stacks[i] = s
	}
	return docs.Files(b, stacks)
}

// ReadmeBlock is the README's generated diagram: the overview of the
// default (Aurora) template.
func ReadmeBlock(b model.Backend) ([]byte, error) {
	s, err := Stack(b, layout.Aurora)
	if err != nil {
		return nil, err
	}
	return docs.ReadmeBlock(s)
}
