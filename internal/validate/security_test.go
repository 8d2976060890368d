package validate

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// securityIDs are the rules of the security family, suppression rules
// included.
var securityIDs = []string{
	"C601", "C602", "C603", "C604", "C605",
	"C610", "C611", "C612", "C613", "C614",
	"C620", "C621", "C622", "C623", "C624", "C625", "C626",
	"C630", "C631", "C632", "C633", "C634", "C635", "C636",
	"C640", "C641",
	"C650", "C651", "C652", "C653",
	"C660", "C661", "C662", "C663", "C664",
	"C670", "C671", "C672", "C673", "C674", "C675",
	"C697", "C698", "C699",
}

func securityRulesOf(t *testing.T) []Rule {
	t.Helper()
	var out []Rule
	for _, r := range Rules() {
		if strings.HasPrefix(r.ID, "C6") {
			out = append(out, r)
		}
	}
	return out
}

func TestSecurityRuleSet(t *testing.T) {
	var got []string
	for _, r := range securityRulesOf(t) {
		got = append(got, r.ID)
	}
	if !reflect.DeepEqual(got, securityIDs) {
		t.Errorf("C6xx rules:\n got %v\nwant %v", got, securityIDs)
	}
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("rule id %s used twice", r.ID)
		}
		seen[r.ID] = true
	}
}

// scannerID is the form of each scanner's check ids.
var scannerID = map[string]*regexp.Regexp{
	"checkov":  regexp.MustCompile(`^CKV_AWS_[0-9]+$`),
	"cfn_nag":  regexp.MustCompile(`^[FW][0-9]+$`),
	"cfn-lint": regexp.MustCompile(`^[EWI][0-9]{4}$`),
}

func TestSecurityRulesDocumented(t *testing.T) {
	for _, r := range securityRulesOf(t) {
		if strings.TrimSpace(r.Title) == "" || strings.TrimSpace(r.Why) == "" || strings.TrimSpace(r.Fix) == "" {
			t.Errorf("%s: Title %q, Why %q, Fix %q: all must be set", r.ID, r.Title, r.Why, r.Fix)
		}
		if r.Severity != Error && r.Severity != Warning {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if r.Check == nil {
			t.Errorf("%s: no Check", r.ID)
		}
		seen := map[string]bool{}
		for _, s := range r.Scanners {
			tool, id, ok := strings.Cut(s, ":")
			re, known := scannerID[tool]
			switch {
			case !ok || !known:
				t.Errorf("%s: scanner %q is not tool:ID with tool checkov, cfn_nag or cfn-lint", r.ID, s)
			case !re.MatchString(id):
				t.Errorf("%s: scanner %q: %q is not a %s check id", r.ID, s, id, tool)
			}
			if seen[s] {
				t.Errorf("%s: scanner %q listed twice", r.ID, s)
			}
			seen[s] = true
		}
	}
}

func TestSecurityScannerIDs(t *testing.T) {
	r := Rule{ID: "C999", Scanners: []string{"checkov:CKV_AWS_18", "cfn_nag:W35", "checkov:CKV_AWS_19", "cfn-lint:W3005", "no-colon", "cfn_nag:W41"}}
	for _, tc := range []struct {
		tool string
		want []string
	}{
		{"checkov", []string{"CKV_AWS_18", "CKV_AWS_19"}},
		{"cfn_nag", []string{"W35", "W41"}},
		{"cfn-lint", []string{"W3005"}},
		{"cfn_lint", nil}, // tool names match exactly
		{"tfsec", nil},
		{"", nil},
		{"no-colon", nil},
	} {
		if got := r.ScannerIDs(tc.tool); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ScannerIDs(%q) = %q, want %q", tc.tool, got, tc.want)
		}
	}
	if got := (Rule{}).ScannerIDs("checkov"); got != nil {
		t.Errorf("ScannerIDs of a rule without scanners = %q, want nil", got)
	}

	for _, tc := range []struct {
		rule, tool string
		want       []string
	}{
		{"C601", "checkov", []string{"CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"}},
		{"C601", "cfn_nag", nil},
		{"C605", "cfn_nag", []string{"W35"}},
		{"C651", "cfn_nag", []string{"W11", "W12", "W13", "F38", "F39"}},
		{"C651", "checkov", []string{"CKV_AWS_111"}},
		{"C603", "checkov", nil},
	} {
		rule, ok := RuleByID(tc.rule)
		if !ok {
			t.Fatalf("no rule %s", tc.rule)
		}
		if got := rule.ScannerIDs(tc.tool); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s.ScannerIDs(%q) = %q, want %q", tc.rule, tc.tool, got, tc.want)
		}
	}
}

// Every finding of a security rule in its failing corpus points at a line,
// and a finding under Resources/X names resource X: suppressions match
// findings by resource, so one without it could not be suppressed.
func TestSecurityFindingsLocated(t *testing.T) {
	for _, r := range securityRulesOf(t) {
		if r.ID >= "C697" {
			continue
		}
		files, err := filepath.Glob(filepath.Join("testdata", "rules", r.ID, "bad*.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(files)
		for _, f := range files {
			in := Input{Path: f}
			if in.Data, err = os.ReadFile(f); err != nil {
				t.Fatal(err)
			}
			pf := strings.TrimSuffix(f, ".yaml") + ".params.json"
			if p, err := os.ReadFile(pf); err == nil {
				in.ParamsPath, in.Params = pf, p
			}
			fs, err := Run([]Input{in}, []Rule{r})
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			for _, x := range fs {
				if x.Line == 0 {
					t.Errorf("%s: finding without a line: %+v", f, x)
				}
				if strings.HasPrefix(x.Path, "Resources/") {
					if x.Resource == "" || !strings.HasPrefix(x.Path+"/", "Resources/"+x.Resource+"/") {
						t.Errorf("%s: path %s does not belong to resource %q", f, x.Path, x.Resource)
					}
				} else if !strings.HasPrefix(x.Path, "Parameters/") {
					t.Errorf("%s: finding path %q is neither a resource's nor a parameter's", f, x.Path)
				}
			}
		}
	}
}

// The security family is the C6xx rules plus the earlier rules that check a
// security control; SARIF tags exactly those.
func TestSecurityFamily(t *testing.T) {
	var got []string
	for _, r := range Rules() {
		if r.Security() && !strings.HasPrefix(r.ID, "C6") {
			got = append(got, r.ID)
		}
	}
	if want := "D516 D517 D524 D537 D554 P404"; strings.Join(got, " ") != want {
		t.Errorf("security rules outside C6xx: %v, want %s", got, want)
	}
	var b strings.Builder
	if err := WriteSARIF(&b, nil, Rules(), "test"); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), `"security"`); n != len(got)+len(securityRuleSet)+len(suppressionRuleSet) {
		t.Errorf("SARIF tags %d rules security, want %d", n, len(got)+len(securityRuleSet)+len(suppressionRuleSet))
	}
}
