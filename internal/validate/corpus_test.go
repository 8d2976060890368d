package validate

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestCorpus runs every rule against its corpus in testdata/rules/<ID>/: each
// bad*.yaml (or .json) must raise the rule, each warn*.yaml must raise it as
// warnings only (a rule that is an error only when it is sure), each
// good*.yaml must not raise it. A
// params file next to a template (same name, .params.json) is validated with
// it. Every rule must have at least one failing and one passing case. The
// suppression rules C697-C699 run with all rules, since they check what the
// others found.
func TestCorpus(t *testing.T) {
	rules := Rules()
	byID := map[string]Rule{}
	for _, r := range rules {
		byID[r.ID] = r
	}
	dirs, err := filepath.Glob(filepath.Join("testdata", "rules", "*"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, dir := range dirs {
		id := filepath.Base(dir)
		rule, ok := byID[id]
		if !ok {
			t.Errorf("corpus %s: no rule %s", dir, id)
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		var bad, good int
		for _, f := range files {
			base := filepath.Base(f)
			if strings.HasSuffix(base, ".params.json") {
				continue
			}
			warnOnly := strings.HasPrefix(base, "warn")
			want := strings.HasPrefix(base, "bad") || warnOnly
			if !want && !strings.HasPrefix(base, "good") {
				continue
			}
			if want {
				bad++
			} else {
				good++
			}
			in := Input{Path: f}
			if rule.Profile != "" {
				in.Profiles = []string{rule.Profile}
			}
			in.Data, err = os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			pf := strings.TrimSuffix(f, filepath.Ext(f)) + ".params.json"
			if p, err := os.ReadFile(pf); err == nil {
				in.ParamsPath, in.Params = pf, p
			}
			// The suppression rules (C697-C699) judge the suppressions after
			// the other rules ran: run them all and look for the id.
			meta := id >= "C697" && id <= "C699"
			run := []Rule{rule}
			if meta {
				run = rules
			}
			findings, err := Run([]Input{in}, run)
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			if meta {
				var own []Finding
				for _, fd := range findings {
					if fd.Rule == id {
						own = append(own, fd)
					}
				}
				findings = own
			}
			if got := len(findings) > 0; got != want {
				t.Errorf("%s: rule %s raised %v, want %v: %v", f, id, got, want, findings)
			}
			for _, fd := range findings {
				if warnOnly && fd.Severity != Warning {
					t.Errorf("%s: %s finding is an %s, want a warning: %s", f, id, fd.Severity, fd.Message)
				}
				if fd.Message == "" || fd.Fix == "" {
					t.Errorf("%s: finding without message or fix: %+v", f, fd)
				}
			}
		}
		if bad == 0 || good == 0 {
			t.Errorf("rule %s: %d failing and %d passing cases, want at least one of each", id, bad, good)
		}
		covered[id] = true
	}
	var missing []string
	for _, r := range rules {
		if !covered[r.ID] {
			missing = append(missing, r.ID)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("rules without a corpus in testdata/rules: %s", strings.Join(missing, ", "))
	}
}
