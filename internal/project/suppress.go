package project

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/render"
	"github.com/cfngen/cfngen/internal/validate"
)

// suppressions are cfngen's default suppressions followed by the config's;
// a config entry for the same rule and resource replaces the default (to
// give it an expiry date or a reason of the team's own).
func suppressions(b model.Backend) []model.Suppression {
	own := map[string]bool{}
	for _, s := range b.Suppressions {
		own[s.Rule+" "+s.Resource] = true
	}
	var out []model.Suppression
	for _, s := range b.DefaultSuppressions() {
		if !own[s.Rule+" "+s.Resource] {
			out = append(out, s)
		}
	}
	return append(out, b.Suppressions...)
}

// checkSuppressionRules checks what the model cannot: that each configured
// suppression names a rule of cfngen validate that can be suppressed.
func checkSuppressionRules(b model.Backend) error {
	var probs []model.Problem
	for i, s := range b.Suppressions {
		if p := validate.SuppressionProblem(s.Rule, s.Reason, s.Expires, validate.KnownRule); p != "" && strings.HasPrefix(p, "rule ") {
			probs = append(probs, model.Problem{Path: fmt.Sprintf("suppressions[%d].rule", i), Message: p})
		}
	}
	if len(probs) > 0 {
		return &model.ConfigError{Problems: probs}
	}
	return nil
}

// checkSuppressionResources checks that each configured suppression names a
// resource of at least one of the templates.
func checkSuppressionResources(b model.Backend, stacks []render.Stack) error {
	var probs []model.Problem
	for i, s := range b.Suppressions {
		path := fmt.Sprintf("suppressions[%d]", i)
		found := false
		var all []string
		for _, st := range stacks {
			if st.Template.Resource(s.Resource) != nil {
				found = true
			}
			all = append(all, st.Template.ResourceIDs()...)
		}
		if !found {
			probs = append(probs, model.Problem{Path: path + ".resource", Message: fmt.Sprintf("%q is not a resource of the templates%s", s.Resource, nearest(s.Resource, all))})
		}
	}
	if len(probs) > 0 {
		return &model.ConfigError{Problems: probs}
	}
	return nil
}

// nearest suggests the logical id closest to a misspelt one.
func nearest(id string, ids []string) string {
	best, score := "", 0
	lower := strings.ToLower(id)
	for _, c := range ids {
		lc := strings.ToLower(c)
		n := 0
		for n < len(lower) && n < len(lc) && lower[n] == lc[n] {
			n++
		}
		if strings.Contains(lc, lower) || strings.Contains(lower, lc) {
			n += len(lc)
		}
		if n > score {
			best, score = c, n
		}
	}
	if score < 4 {
		return " (cfngen render --stats or the templates list them)"
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// applySuppressions puts each suppression that applies to a template into
// its resource's Metadata: cfngen's own form, and the forms cfn-lint, cfn_nag
// and checkov read for the equivalent checks the rule lists.
func applySuppressions(m model.Backend, t *cfn.Template) error {
	type forms struct {
		own, nag, checkov []any
		lint              []string
	}
	byResource := map[string]*forms{}
	var order []string
	for _, s := range suppressions(m) {
		if t.Resource(s.Resource) == nil {
			continue // a resource of the other variant
		}
		rule, ok := validate.RuleByID(s.Rule)
		if !ok {
			return fmt.Errorf("suppression of unknown rule %s on %s", s.Rule, s.Resource)
		}
		f := byResource[s.Resource]
		if f == nil {
			f = &forms{}
			byResource[s.Resource] = f
			order = append(order, s.Resource)
		}
		entry := map[string]any{"rule": s.Rule, "reason": s.Reason}
		if s.Expires != "" {
			entry["expires"] = s.Expires
		}
		f.own = append(f.own, entry)
		for _, id := range rule.ScannerIDs("cfn_nag") {
			f.nag = append(f.nag, map[string]any{"id": id, "reason": s.Reason})
		}
		for _, id := range rule.ScannerIDs("checkov") {
			f.checkov = append(f.checkov, map[string]any{"id": id, "comment": s.Reason})
		}
		f.lint = append(f.lint, rule.ScannerIDs("cfn-lint")...)
	}
	sort.Strings(order)
	for _, id := range order {
		f, r := byResource[id], t.Resource(id)
		r.SetMetadata(validate.MetadataKey, map[string]any{"suppress": f.own})
		if len(f.nag) > 0 {
			r.SetMetadata("cfn_nag", map[string]any{"rules_to_suppress": f.nag})
		}
		if len(f.checkov) > 0 {
			r.SetMetadata("checkov", map[string]any{"skip": f.checkov})
		}
		if len(f.lint) > 0 {
			lint := make([]any, len(f.lint))
			for i, l := range f.lint {
				lint[i] = l
			}
			r.SetMetadata("cfn-lint", map[string]any{"config": map[string]any{"ignore_checks": lint}})
		}
	}
	return nil
}
