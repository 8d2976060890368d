package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// suppressToday is the date the suppression tests validate on.
const suppressToday = "2026-11-26"

// suppressReason is a reason that passes C697.
const suppressReason = "the partner API has no fixed addresses"

// sgTemplate is one security group with SSH ingress from ingress, HTTPS
// egress to egress, and Metadata cfngen set to the flow YAML cfngen ("" for
// no Metadata).
func sgTemplate(ingress, egress, cfngen string) string {
	meta := ""
	if cfngen != "" {
		meta = "    Metadata: {cfngen: " + cfngen + "}\n"
	}
	return "Parameters:\n" +
		"  VpcId: {Type: 'AWS::EC2::VPC::Id'}\n" +
		"Resources:\n" +
		"  AppSecurityGroup:\n" +
		"    Type: AWS::EC2::SecurityGroup\n" +
		meta +
		"    Properties:\n" +
		"      GroupDescription: app\n" +
		"      VpcId: !Ref VpcId\n" +
		"      SecurityGroupIngress:\n" +
		"        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: " + ingress + "}\n" +
		"      SecurityGroupEgress:\n" +
		"        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: " + egress + "}\n"
}

// suppressList is the cfngen Metadata value for a list of suppressions
// written as flow maps.
func suppressList(entries ...string) string {
	return "{suppress: [" + strings.Join(entries, ", ") + "]}"
}

// rulesOf returns the rules with the given ids.
func rulesOf(t *testing.T, ids ...string) []Rule {
	t.Helper()
	var out []Rule
	for _, id := range ids {
		r, ok := RuleByID(id)
		if !ok {
			t.Fatalf("no rule %s", id)
		}
		out = append(out, r)
	}
	return out
}

// runOn validates one template dated suppressToday.
func runOn(t *testing.T, src string, rules []Rule) []Finding {
	t.Helper()
	fs, err := Run([]Input{{Path: "stack.yaml", Data: []byte(src), Today: suppressToday}}, rules)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// ofRule returns the findings of one rule.
func ofRule(fs []Finding, id string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == id {
			out = append(out, f)
		}
	}
	return out
}

const (
	msgWorldEgress  = "AppSecurityGroup allows egress on tcp 443 to 0.0.0.0/0"
	msgWorldIngress = "AppSecurityGroup allows tcp 22 from 0.0.0.0/0"
	suppressPath    = "Resources/AppSecurityGroup/Metadata/cfngen/suppress/0"
)

func TestSuppressUsed(t *testing.T) {
	entry := fmt.Sprintf("{rule: C624, reason: %s, expires: '2027-06-30'}", suppressReason)
	fs := runOn(t, sgTemplate("10.0.0.0/16", "0.0.0.0/0", suppressList(entry)), rulesOf(t, "C624"))
	if len(fs) != 1 {
		t.Fatalf("want the one C624 finding, got %+v", fs)
	}
	f := fs[0]
	if f.Rule != "C624" || f.Message != msgWorldEgress || f.Resource != "AppSecurityGroup" {
		t.Errorf("unexpected finding %+v", f)
	}
	want := &Suppression{Reason: suppressReason, Expires: "2027-06-30"}
	if !reflect.DeepEqual(f.Suppressed, want) {
		t.Errorf("Suppressed = %+v, want %+v", f.Suppressed, want)
	}
	if e, w, s := Counts(fs); e != 0 || w != 0 || s != 1 {
		t.Errorf("Counts = %d errors, %d warnings, %d suppressed; want 0, 0, 1", e, w, s)
	}
}

// A suppressed error does not count as an error; the same finding without
// the suppression does.
func TestSuppressErrorsAndCounts(t *testing.T) {
	rules := rulesOf(t, "C620")
	entry := fmt.Sprintf("{rule: C620, reason: %s}", "break-glass SSH while the VPN is down")
	for _, tc := range []struct {
		name           string
		cfngen         string
		errs, warns, s int
	}{
		{"unsuppressed", "", 1, 0, 0},
		{"suppressed", suppressList(entry), 0, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := runOn(t, sgTemplate("0.0.0.0/0", "10.0.0.0/16", tc.cfngen), rules)
			if len(fs) != 1 || fs[0].Rule != "C620" || fs[0].Severity != Error || fs[0].Message != msgWorldIngress {
				t.Fatalf("want one C620 error %q, got %+v", msgWorldIngress, fs)
			}
			if got := Errors(fs); got != tc.errs {
				t.Errorf("Errors = %d, want %d", got, tc.errs)
			}
			if e, w, s := Counts(fs); e != tc.errs || w != tc.warns || s != tc.s {
				t.Errorf("Counts = %d, %d, %d; want %d, %d, %d", e, w, s, tc.errs, tc.warns, tc.s)
			}
			if tc.s == 1 && (fs[0].Suppressed == nil || fs[0].Suppressed.Expires != "") {
				t.Errorf("Suppressed = %+v, want a suppression without expiry", fs[0].Suppressed)
			}
		})
	}
}

func TestSuppressExpiry(t *testing.T) {
	rules := rulesOf(t, "C624")
	for _, tc := range []struct {
		expires    string
		suppressed bool
	}{
		{"2026-11-25", false}, // the day before today: expired
		{"2026-11-26", true},  // today: still applies
		{"2026-11-27", true},
		{"", true}, // no expiry
	} {
		t.Run("expires="+tc.expires, func(t *testing.T) {
			entry := fmt.Sprintf("{rule: C624, reason: %s}", suppressReason)
			if tc.expires != "" {
				entry = fmt.Sprintf("{rule: C624, reason: %s, expires: '%s'}", suppressReason, tc.expires)
			}
			fs := runOn(t, sgTemplate("10.0.0.0/16", "0.0.0.0/0", suppressList(entry)), rules)
			c624 := ofRule(fs, "C624")
			if len(c624) != 1 {
				t.Fatalf("want one C624 finding, got %+v", fs)
			}
			if got := c624[0].Suppressed != nil; got != tc.suppressed {
				t.Errorf("suppressed = %v, want %v", got, tc.suppressed)
			}
			expired := ofRule(fs, "C699")
			if tc.suppressed {
				if len(expired) != 0 || len(fs) != 1 {
					t.Errorf("want only the suppressed C624, got %+v", fs)
				}
				if Errors(fs) != 0 {
					t.Errorf("Errors = %d, want 0", Errors(fs))
				}
				return
			}
			if len(expired) != 1 {
				t.Fatalf("want one C699, got %+v", fs)
			}
			e := expired[0]
			want := "suppression of C624 on AppSecurityGroup expired on 2026-11-25 (reason given: " + suppressReason + ")"
			if e.Message != want {
				t.Errorf("C699 message %q, want %q", e.Message, want)
			}
			if e.Severity != Error || e.Resource != "AppSecurityGroup" || e.Path != suppressPath || e.Line == 0 || e.Fix == "" {
				t.Errorf("C699 finding %+v: want an error on %s with a line and a fix", e, suppressPath)
			}
			// The expired suppression no longer hides the warning; the C699
			// error counts.
			if er, w, s := Counts(fs); er != 1 || w != 1 || s != 0 {
				t.Errorf("Counts = %d, %d, %d; want 1, 1, 0", er, w, s)
			}
		})
	}
}

// With no Today, expiry is checked against the current date.
func TestSuppressTodayDefaultsToNow(t *testing.T) {
	rules := rulesOf(t, "C624")
	for _, tc := range []struct {
		expires string
		expired bool
	}{
		{"2000-01-01", true},
		{"2999-12-31", false},
	} {
		entry := fmt.Sprintf("{rule: C624, reason: %s, expires: '%s'}", suppressReason, tc.expires)
		src := sgTemplate("10.0.0.0/16", "0.0.0.0/0", suppressList(entry))
		fs, err := Run([]Input{{Path: "stack.yaml", Data: []byte(src)}}, rules)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(ofRule(fs, "C699")) == 1; got != tc.expired {
			t.Errorf("expires %s with today's date: C699 %v, want %v (%+v)", tc.expires, got, tc.expired, fs)
		}
	}
}

// An expiry date written without quotes is a YAML timestamp; it is read as
// the date it spells.
func TestSuppressUnquotedDate(t *testing.T) {
	entry := fmt.Sprintf("{rule: C624, reason: %s, expires: 2027-06-30}", suppressReason)
	fs := runOn(t, sgTemplate("10.0.0.0/16", "0.0.0.0/0", suppressList(entry)), rulesOf(t, "C624"))
	if len(fs) != 1 || fs[0].Suppressed == nil || fs[0].Suppressed.Expires != "2027-06-30" {
		t.Errorf("want the C624 finding suppressed until 2027-06-30, got %+v", fs)
	}
}

// One suppression covers every finding of its rule on its resource, and
// only of its rule: an HTTPS-egress suppression (C624) leaves egress to
// anywhere on another port (C626) counted.
func TestSuppressCoversEveryFindingOfTheRule(t *testing.T) {
	src := sgTemplate("10.0.0.0/16", "0.0.0.0/0", suppressList(fmt.Sprintf("{rule: C624, reason: %s}", suppressReason)))
	src += "        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIpv6: '::/0'}\n"
	src += "        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIpv6: '::/0'}\n"
	fs := runOn(t, src, rulesOf(t, "C624", "C626"))
	if len(fs) != 3 {
		t.Fatalf("want two C624 findings and one C626, got %+v", fs)
	}
	for _, f := range fs {
		if got, want := f.Suppressed != nil, f.Rule == "C624"; got != want {
			t.Errorf("%s suppressed = %v, want %v: %+v", f.Rule, got, want, f)
		}
	}
}

func TestSuppressUnused(t *testing.T) {
	entry := fmt.Sprintf("{rule: C624, reason: %s}", suppressReason)
	for _, tc := range []struct {
		name, ingress, egress string
		rules                 []string
	}{
		// C624 runs and finds nothing: the suppression is stale.
		{"no finding", "10.0.0.0/16", "10.0.0.0/16", []string{"C624"}},
		// The resource has findings, of another rule.
		{"other rule's finding", "0.0.0.0/0", "10.0.0.0/16", []string{"C620", "C624"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := runOn(t, sgTemplate(tc.ingress, tc.egress, suppressList(entry)), rulesOf(t, tc.rules...))
			unused := ofRule(fs, "C698")
			if len(unused) != 1 {
				t.Fatalf("want one C698, got %+v", fs)
			}
			u := unused[0]
			if want := "suppression of C624 matches no finding on AppSecurityGroup"; u.Message != want {
				t.Errorf("C698 message %q, want %q", u.Message, want)
			}
			if u.Severity != Error || u.Resource != "AppSecurityGroup" || u.Path != suppressPath || u.Line == 0 || u.Fix == "" {
				t.Errorf("C698 finding %+v: want an error on %s with a line and a fix", u, suppressPath)
			}
			for _, f := range fs {
				if f.Suppressed != nil {
					t.Errorf("finding of another rule suppressed: %+v", f)
				}
			}
		})
	}
}

// A suppression of a rule that did not run (validate with a subset of the
// rules) is neither unused nor expired: nothing can be said about it.
func TestSuppressRuleNotRun(t *testing.T) {
	for _, expires := range []string{"", "2000-01-01"} {
		entry := fmt.Sprintf("{rule: C624, reason: %s}", suppressReason)
		if expires != "" {
			entry = fmt.Sprintf("{rule: C624, reason: %s, expires: '%s'}", suppressReason, expires)
		}
		// Egress to the VPC only: C624, if it ran, would find nothing.
		fs := runOn(t, sgTemplate("10.0.0.0/16", "10.0.0.0/16", suppressList(entry)), rulesOf(t, "C601", "C620"))
		if len(fs) != 0 {
			t.Errorf("expires %q: suppression of a rule that did not run reported: %+v", expires, fs)
		}
	}
}

// A suppression on one resource does not cover the same rule on another.
func TestSuppressOtherResource(t *testing.T) {
	src := sgTemplate("10.0.0.0/16", "0.0.0.0/0", "") +
		"  Queue:\n" +
		"    Type: AWS::SQS::Queue\n" +
		"    Metadata: {cfngen: " + suppressList(fmt.Sprintf("{rule: C624, reason: %s}", suppressReason)) + "}\n"
	fs := runOn(t, src, rulesOf(t, "C624"))
	c624 := ofRule(fs, "C624")
	if len(c624) != 1 || c624[0].Suppressed != nil {
		t.Errorf("C624 on AppSecurityGroup suppressed from Queue: %+v", fs)
	}
	unused := ofRule(fs, "C698")
	if len(unused) != 1 || unused[0].Message != "suppression of C624 matches no finding on Queue" {
		t.Errorf("want C698 on Queue, got %+v", fs)
	}
}

func TestSuppressMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, cfngen, path, message string
		// applied: C624 is still suppressed (by another, valid entry).
		applied bool
		// unchecked: whether C624 is suppressed is not asserted.
		unchecked bool
	}{
		{"short reason", suppressList("{rule: C624, reason: needed}"), suppressPath,
			"suppression 0: reason must say why the finding is intended (at least 10 characters)", false, false},
		{"blank reason", suppressList("{rule: C624, reason: '            '}"), suppressPath,
			"suppression 0: reason must say why the finding is intended (at least 10 characters)", false, false},
		{"no reason", suppressList("{rule: C624}"), suppressPath,
			"suppression 0: reason must say why the finding is intended (at least 10 characters)", false, false},
		{"two-line reason", suppressList(`{rule: C624, reason: "the partner API\nhas no fixed addresses"}`), suppressPath,
			"suppression 0: reason must be one line", false, false},
		{"unknown rule", suppressList("{rule: C999, reason: " + suppressReason + "}"), suppressPath,
			"suppression 0: rule C999 does not exist (cfngen validate --rules lists them)", false, false},
		{"rule id pattern", suppressList("{rule: c624, reason: " + suppressReason + "}"), suppressPath,
			`suppression 0: rule "c624" is not a rule id such as C624`, false, false},
		{"rule id too long", suppressList("{rule: C6240, reason: " + suppressReason + "}"), suppressPath,
			`suppression 0: rule "C6240" is not a rule id such as C624`, false, false},
		{"no rule", suppressList("{reason: " + suppressReason + "}"), suppressPath,
			`suppression 0: rule "" is not a rule id such as C624`, false, false},
		{"suppressing C697", suppressList("{rule: C697, reason: " + suppressReason + "}"), suppressPath,
			"suppression 0: rule C697 checks suppressions and cannot be suppressed", false, false},
		{"suppressing C698", suppressList("{rule: C698, reason: " + suppressReason + "}"), suppressPath,
			"suppression 0: rule C698 checks suppressions and cannot be suppressed", false, false},
		{"suppressing C699", suppressList("{rule: C699, reason: " + suppressReason + "}"), suppressPath,
			"suppression 0: rule C699 checks suppressions and cannot be suppressed", false, false},
		{"date out of range", suppressList("{rule: C624, reason: " + suppressReason + ", expires: '2027-02-30'}"), suppressPath,
			`suppression 0: expires "2027-02-30" is not a date YYYY-MM-DD`, false, false},
		{"date without zero padding", suppressList("{rule: C624, reason: " + suppressReason + ", expires: '2027-6-30'}"), suppressPath,
			`suppression 0: expires "2027-6-30" is not a date YYYY-MM-DD`, false, false},
		{"date in another order", suppressList("{rule: C624, reason: " + suppressReason + ", expires: 30/06/2027}"), suppressPath,
			`suppression 0: expires "30/06/2027" is not a date YYYY-MM-DD`, false, false},
		{"second entry", suppressList("{rule: C624, reason: "+suppressReason+"}", "{rule: C620, reason: short}"),
			"Resources/AppSecurityGroup/Metadata/cfngen/suppress/1",
			"suppression 1: reason must say why the finding is intended (at least 10 characters)", true, false},
		{"entry not a map", suppressList("C624"), suppressPath,
			"suppression 0 must be a map {rule, reason, expires}", false, false},
		{"suppress not a list", "{suppress: C624}", "Resources/AppSecurityGroup/Metadata/cfngen",
			"Metadata.cfngen.suppress must be a list of {rule, reason, expires}", false, false},
		{"no suppress key", "{ignore: [C624]}", "Resources/AppSecurityGroup/Metadata/cfngen",
			"Metadata.cfngen.suppress must be a list of {rule, reason, expires}", false, false},
		{"cfngen not a map", "[C624]", "Resources/AppSecurityGroup/Metadata/cfngen",
			"Metadata.cfngen must be a map with a suppress list", false, false},
		// An entry with an unknown key does not apply: a typo such as
		// "expire" must not suppress with no expiry.
		{"unknown key", suppressList("{rule: C624, reason: " + suppressReason + ", expire: '2000-01-01'}"), suppressPath,
			`suppression 0 has unknown key "expire" (allowed: rule, reason, expires)`, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := runOn(t, sgTemplate("10.0.0.0/16", "0.0.0.0/0", tc.cfngen), rulesOf(t, "C620", "C624"))
			bad := ofRule(fs, "C697")
			if len(bad) != 1 {
				t.Fatalf("want one C697, got %+v", fs)
			}
			b := bad[0]
			if b.Message != tc.message {
				t.Errorf("C697 message %q, want %q", b.Message, tc.message)
			}
			if b.Severity != Error || b.Resource != "AppSecurityGroup" || b.Path != tc.path || b.Line == 0 || b.Fix == "" {
				t.Errorf("C697 finding %+v: want an error on %s with a line and a fix", b, tc.path)
			}
			// A malformed entry is not also called unused.
			if u := ofRule(fs, "C698"); len(u) != 0 {
				t.Errorf("malformed suppression also reported unused: %+v", u)
			}
			c624 := ofRule(fs, "C624")
			if len(c624) != 1 {
				t.Fatalf("want one C624, got %+v", fs)
			}
			if got := c624[0].Suppressed != nil; !tc.unchecked && got != tc.applied {
				t.Errorf("C624 suppressed = %v, want %v", got, tc.applied)
			}
		})
	}
}

// suppressReport is a run with one suppressed warning (C624) and one error
// that counts (C620).
func suppressReport(t *testing.T) ([]Finding, []Rule) {
	t.Helper()
	rules := rulesOf(t, "C620", "C624")
	entry := fmt.Sprintf("{rule: C624, reason: %s, expires: '2027-06-30'}", suppressReason)
	fs := runOn(t, sgTemplate("0.0.0.0/0", "0.0.0.0/0", suppressList(entry)), rules)
	if len(fs) != 2 || fs[0].Rule != "C620" || fs[1].Rule != "C624" || fs[0].Suppressed != nil || fs[1].Suppressed == nil {
		t.Fatalf("want C620 (counted) and C624 (suppressed), got %+v", fs)
	}
	return fs, rules
}

func TestSuppressWriteText(t *testing.T) {
	fs, _ := suppressReport(t)
	ingress := fmt.Sprintf("stack.yaml:%d: error C620 AppSecurityGroup: %s\n    fix: %s\n", fs[0].Line, msgWorldIngress, fs[0].Fix)
	egress := fmt.Sprintf("stack.yaml:%d: warning C624 AppSecurityGroup: %s\n    suppressed (until 2027-06-30): %s\n", fs[1].Line, msgWorldEgress, suppressReason)

	var b bytes.Buffer
	if err := WriteText(&b, fs); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != ingress {
		t.Errorf("WriteText:\n got %q\nwant %q", got, ingress)
	}

	b.Reset()
	if err := WriteTextAll(&b, fs); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != ingress+egress {
		t.Errorf("WriteTextAll:\n got %q\nwant %q", got, ingress+egress)
	}

	// Without an expiry the line says only "suppressed".
	fs[1].Suppressed = &Suppression{Reason: suppressReason}
	b.Reset()
	if err := WriteTextAll(&b, fs[1:]); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "    suppressed: "+suppressReason+"\n"; !strings.HasSuffix(got, want) {
		t.Errorf("WriteTextAll without expiry:\n got %q\nwant suffix %q", got, want)
	}
}

func TestSuppressWriteJSON(t *testing.T) {
	fs, _ := suppressReport(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, fs); err != nil {
		t.Fatal(err)
	}
	var raw []map[string]any
	if err := json.Unmarshal(b.Bytes(), &raw); err != nil {
		t.Fatalf("WriteJSON output does not parse: %v\n%s", err, b.String())
	}
	if len(raw) != 2 {
		t.Fatalf("want 2 findings, got %s", b.String())
	}
	if _, ok := raw[0]["suppressed"]; ok {
		t.Errorf("counted finding has a suppressed field: %v", raw[0])
	}
	want := map[string]any{"reason": suppressReason, "expires": "2027-06-30"}
	if got := raw[1]["suppressed"]; !reflect.DeepEqual(got, want) {
		t.Errorf("suppressed = %v, want %v", got, want)
	}
	// The findings round-trip, suppression included.
	var back []Finding
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, fs) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, fs)
	}
	// No expiry: the field is left out.
	fs[1].Suppressed = &Suppression{Reason: suppressReason}
	b.Reset()
	if err := WriteJSON(&b, fs[1:]); err != nil {
		t.Fatal(err)
	}
	raw = nil
	if err := json.Unmarshal(b.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if got, want := raw[0]["suppressed"], map[string]any{"reason": suppressReason}; !reflect.DeepEqual(got, want) {
		t.Errorf("suppressed without expiry = %v, want %v", got, want)
	}
}

func TestSuppressWriteSARIF(t *testing.T) {
	fs, rules := suppressReport(t)
	var b bytes.Buffer
	if err := WriteSARIF(&b, fs, rules, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string
						ShortDescription struct{ Text string }
						FullDescription  *struct{ Text string }
						Help             struct{ Text string }
						Properties       struct{ Tags []string }
					}
				}
			}
			Results []struct {
				RuleID       string
				Suppressions []map[string]any
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatalf("SARIF does not parse: %v\n%s", err, b.String())
	}
	if len(log.Runs) != 1 {
		t.Fatalf("want one run, got %d", len(log.Runs))
	}
	run := log.Runs[0]
	if len(run.Results) != 2 {
		t.Fatalf("want 2 results (suppressed ones included), got %d", len(run.Results))
	}
	if r := run.Results[0]; r.RuleID != "C620" || r.Suppressions != nil {
		t.Errorf("counted result: %+v, want C620 without suppressions", r)
	}
	want := []map[string]any{{"kind": "inSource", "justification": suppressReason}}
	if r := run.Results[1]; r.RuleID != "C624" || !reflect.DeepEqual(r.Suppressions, want) {
		t.Errorf("suppressed result: %+v, want C624 with suppressions %v", r, want)
	}
	if len(run.Tool.Driver.Rules) != len(rules) {
		t.Fatalf("want %d rules, got %d", len(rules), len(run.Tool.Driver.Rules))
	}
	for i, sr := range run.Tool.Driver.Rules {
		r := rules[i]
		if sr.ID != r.ID || sr.ShortDescription.Text != r.Title || sr.Help.Text != r.Fix {
			t.Errorf("SARIF rule %d = %+v, want %s", i, sr, r.ID)
		}
		if sr.FullDescription == nil || sr.FullDescription.Text != r.Why {
			t.Errorf("SARIF rule %s fullDescription = %v, want %q", r.ID, sr.FullDescription, r.Why)
		}
		if !reflect.DeepEqual(sr.Properties.Tags, []string{"security"}) {
			t.Errorf("SARIF rule %s tags = %v, want [security]", r.ID, sr.Properties.Tags)
		}
	}
}

// Every C rule gets a fullDescription in SARIF.
func TestSuppressSARIFFullDescriptionForEveryCRule(t *testing.T) {
	var crules []Rule
	for _, r := range Rules() {
		if strings.HasPrefix(r.ID, "C") {
			crules = append(crules, r)
		}
	}
	var b bytes.Buffer
	if err := WriteSARIF(&b, nil, crules, "dev"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []map[string]any
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	got := log.Runs[0].Tool.Driver.Rules
	if len(got) != len(crules) {
		t.Fatalf("want %d rules, got %d", len(crules), len(got))
	}
	for i, sr := range got {
		fd, _ := sr["fullDescription"].(map[string]any)
		if fd["text"] != crules[i].Why || crules[i].Why == "" {
			t.Errorf("%s: fullDescription %v, want %q", crules[i].ID, sr["fullDescription"], crules[i].Why)
		}
	}
}
