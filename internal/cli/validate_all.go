package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/validate"
)

// committedInputs pairs every template under templates/ with every params
// file under params/ that belongs to it by the layout's names: the default
// environment's params/<name> and each environment's params/<env>/<name>.
// A template without one is checked alone; a params file that no template
// claims is named on errOut, since it cannot be checked.
func committedInputs(errOut io.Writer) ([]validate.Input, error) {
	var templates []string
	for _, ext := range []string{"*.yaml", "*.yml", "*.json"} {
		m, err := filepath.Glob(filepath.Join(layout.TemplatesDir, ext))
		if err != nil {
			return nil, err
		}
		templates = append(templates, m...)
	}
	slices.Sort(templates)
	if len(templates) == 0 {
		return nil, fmt.Errorf("no templates under %s/ (run cfngen render, or name the templates to check)", layout.TemplatesDir)
	}
	var all []string
	for _, pattern := range []string{"*.json", "*/*.json"} {
		m, err := filepath.Glob(filepath.Join(layout.ParamsDir, pattern))
		if err != nil {
			return nil, err
		}
		all = append(all, m...)
	}
	claimed := map[string]bool{filepath.FromSlash(layout.TagsPath): true}
	var inputs []validate.Input
	for _, tpl := range templates {
		stem := strings.TrimSuffix(filepath.Base(tpl), filepath.Ext(tpl))
		var params []string
		for _, r := range layout.Table {
			if r.Stem != stem {
				continue
			}
			for _, p := range all {
				if filepath.Base(p) == r.Params {
					params = append(params, p)
				}
			}
		}
		slices.Sort(params) // params/<name> sorts before params/<env>/<name>
		if len(params) == 0 {
			inputs = append(inputs, validate.Input{Path: tpl})
		}
		for _, p := range params {
			claimed[p] = true
			inputs = append(inputs, validate.Input{Path: tpl, ParamsPath: p})
		}
	}
	for _, p := range all {
		if !claimed[p] {
			fmt.Fprintf(errOut, "note: %s belongs to no template under %s/; not checked\n", p, layout.TemplatesDir)
		}
	}
	return inputs, nil
}

// mergeFindings reports a template checked with several params files as
// one: a finding of the template itself is reported once, and an unused
// suppression (C698) only when it is unused with every params file, as
// render judges it (a finding only one environment's values produce is
// suppressed there and not unused elsewhere).
func mergeFindings(inputs []validate.Input, findings []validate.Finding) []validate.Finding {
	runs := map[string]int{}
	for _, in := range inputs {
		runs[in.Path]++
	}
	key := func(f validate.Finding) string {
		return fmt.Sprintf("%s|%d|%s|%s|%s|%s|%v", f.File, f.Line, f.Rule, f.Resource, f.Path, f.Message, f.Suppressed != nil)
	}
	count := map[string]int{}
	for _, f := range findings {
		count[key(f)]++
	}
	seen := map[string]bool{}
	var out []validate.Finding
	for _, f := range findings {
		k := key(f)
		if seen[k] || (f.Rule == "C698" && count[k] < runs[f.File]) {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

// templateCount is the number of distinct templates among the inputs.
func templateCount(inputs []validate.Input) int {
	seen := map[string]bool{}
	for _, in := range inputs {
		seen[in.Path] = true
	}
	return len(seen)
}
