package validate

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Suppressions live in a resource's Metadata, in cfngen's own form:
//
//	Metadata:
//	  cfngen:
//	    suppress:
//	      - {rule: C624, reason: why this finding is intended, expires: '2027-06-30'}
//
// A suppressed finding is still reported (JSON, SARIF, text with
// --show-suppressed) but does not count. A suppression must carry a reason,
// must match a finding of its rule on its resource (else C698), and stops
// applying after its expiry date (C699).

// MetadataKey is the resource Metadata key cfngen reads suppressions from.
const MetadataKey = "cfngen"

// Suppression is why a finding is intended, as the template states it.
type Suppression struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
}

// The suppression rules check the suppressions themselves; they cannot be
// suppressed.
const (
	ruleSuppressionForm    = "C697"
	ruleSuppressionUnused  = "C698"
	ruleSuppressionExpired = "C699"
)

var suppressionRuleSet = []Rule{
	{ID: ruleSuppressionForm, Severity: Error, Title: "a suppression names a known rule, gives a reason and a valid expiry date",
		Why:   "a suppression without a reason or with a typo in its rule id hides nothing or hides it silently; reviewers need the reason",
		Fix:   "write Metadata.cfngen.suppress entries as {rule: C6xx, reason: at least 10 characters, expires: YYYY-MM-DD (optional)}",
		Check: func(*Template) []Finding { return nil }},
	{ID: ruleSuppressionUnused, Severity: Error, Title: "every suppression matches a finding",
		Why:   "a suppression that matches nothing is stale: the template changed, and the exception it documents no longer exists",
		Fix:   "remove the suppression (or the config entry it came from)",
		Check: func(*Template) []Finding { return nil }},
	{ID: ruleSuppressionExpired, Severity: Error, Title: "no suppression is past its expiry date",
		Why:   "an expiry date is a promise to revisit the exception; past it, the finding counts again",
		Fix:   "fix the finding, or renew the suppression with a new date and a reason that still holds",
		Check: func(*Template) []Finding { return nil }},
}

var (
	ruleIDPattern = regexp.MustCompile(`^[A-Z][0-9]{3}$`)
	datePattern   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// SuppressionProblem checks one suppression's fields; "" when they are fine.
// known reports whether a rule id exists.
func SuppressionProblem(rule, reason, expires string, known func(string) bool) string {
	switch {
	case !ruleIDPattern.MatchString(rule):
		return fmt.Sprintf("rule %q is not a rule id such as C624", rule)
	case !known(rule):
		return fmt.Sprintf("rule %s does not exist (cfngen validate --rules lists them)", rule)
	case rule == ruleSuppressionForm || rule == ruleSuppressionUnused || rule == ruleSuppressionExpired:
		return fmt.Sprintf("rule %s checks suppressions and cannot be suppressed", rule)
	case len(strings.TrimSpace(reason)) < 10:
		return "reason must say why the finding is intended (at least 10 characters)"
	case strings.ContainsAny(reason, "\n\r"):
		return "reason must be one line"
	}
	if expires != "" {
		if _, err := time.Parse("2006-01-02", expires); err != nil || !datePattern.MatchString(expires) {
			return fmt.Sprintf("expires %q is not a date YYYY-MM-DD", expires)
		}
	}
	return ""
}

// KnownRule reports whether id is a rule of cfngen validate.
func KnownRule(id string) bool {
	_, ok := ruleIndex()[id]
	return ok
}

// RuleByID returns a rule by id.
func RuleByID(id string) (Rule, bool) {
	r, ok := ruleIndex()[id]
	return r, ok
}

var ruleIndex = sync.OnceValue(func() map[string]Rule {
	idx := map[string]Rule{}
	for _, r := range Rules() {
		idx[r.ID] = r
	}
	return idx
})

type suppressEntry struct {
	rule, reason, expires string
	path                  string
	used                  bool
}

// suppressions reads a resource's cfngen suppressions and reports malformed
// entries.
func suppressions(r Resource) ([]*suppressEntry, []Finding) {
	md, _ := r.Body["Metadata"].(map[string]any)
	own, ok := md[MetadataKey]
	if !ok {
		return nil, nil
	}
	base := "Resources/" + r.ID + "/Metadata/" + MetadataKey
	bad := func(path, format string, args ...any) Finding {
		return Finding{Rule: ruleSuppressionForm, Severity: Error, Resource: r.ID, Path: path, Message: fmt.Sprintf(format, args...)}
	}
	m, ok := own.(map[string]any)
	if !ok {
		return nil, []Finding{bad(base, "Metadata.%s must be a map with a suppress list", MetadataKey)}
	}
	list, ok := m["suppress"].([]any)
	if !ok {
		return nil, []Finding{bad(base, "Metadata.%s.suppress must be a list of {rule, reason, expires}", MetadataKey)}
	}
	var out []*suppressEntry
	var problems []Finding
	for i, e := range list {
		path := fmt.Sprintf("%s/suppress/%d", base, i)
		em, ok := e.(map[string]any)
		if !ok {
			problems = append(problems, bad(path, "suppression %d must be a map {rule, reason, expires}", i))
			continue
		}
		rule, _ := literal(em["rule"])
		reason, _ := literal(em["reason"])
		expires, _ := literal(em["expires"])
		unknown := false
		for _, k := range keys(em) {
			if k != "rule" && k != "reason" && k != "expires" {
				problems = append(problems, bad(path, "suppression %d has unknown key %q (allowed: rule, reason, expires)", i, k))
				unknown = true
			}
		}
		if unknown {
			continue // a misspelt "expires" must not suppress forever
		}
		if p := SuppressionProblem(rule, reason, expires, KnownRule); p != "" {
			problems = append(problems, bad(path, "suppression %d: %s", i, p))
			continue
		}
		out = append(out, &suppressEntry{rule: rule, reason: reason, expires: expires, path: path})
	}
	return out, problems
}

// today is the date expiry is compared with: the template's, else the
// current UTC date.
func (t *Template) today() string {
	if t.Today != "" {
		return t.Today
	}
	return time.Now().UTC().Format("2006-01-02")
}

// applySuppressions marks the findings the template's suppressions cover and
// adds findings for malformed, unused and expired suppressions. ran tells
// which rules were run: a suppression of a rule that did not run is not
// called unused.
//
// usedElsewhere, when not nil, holds "resource rule" keys that other runs of
// the same template (with other parameter files) found: a suppression of
// one of them is not unused.
func applySuppressions(t *Template, fs []Finding, ran map[string]Rule, usedElsewhere map[string]bool) []Finding {
	today := t.today()
	var extra []Finding
	byResource := map[string][]*suppressEntry{}
	for _, r := range t.Resources() {
		entries, problems := suppressions(r)
		extra = append(extra, problems...)
		byResource[r.ID] = entries
	}
	for i := range fs {
		f := &fs[i]
		for _, e := range byResource[f.Resource] {
			if e.rule != f.Rule {
				continue
			}
			e.used = true
			if e.expires == "" || e.expires >= today {
				f.Suppressed = &Suppression{Reason: e.reason, Expires: e.expires}
			}
		}
	}
	ids := make([]string, 0, len(byResource))
	for id := range byResource {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, e := range byResource[id] {
			switch {
			case ran[e.rule].ID == "":
			case !e.used && !usedElsewhere[id+" "+e.rule]:
				extra = append(extra, Finding{Rule: ruleSuppressionUnused, Severity: Error, Resource: id, Path: e.path,
					Message: fmt.Sprintf("suppression of %s matches no finding on %s", e.rule, id)})
			case (e.used || usedElsewhere[id+" "+e.rule]) && e.expires != "" && e.expires < today:
				extra = append(extra, Finding{Rule: ruleSuppressionExpired, Severity: Error, Resource: id, Path: e.path,
					Message: fmt.Sprintf("suppression of %s on %s expired on %s (reason given: %s)", e.rule, id, e.expires, e.reason)})
			}
		}
	}
	return append(fs, extra...)
}
