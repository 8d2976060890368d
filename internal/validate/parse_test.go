package validate

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cfn"
)

// TestParseRefusesWhatCloudFormationRefuses: inputs CloudFormation rejects
// are errors (exit 2), not templates with findings.
func TestParseRefusesWhatCloudFormationRefuses(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"json trailing garbage", `{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}} garbage`, "content after the end of the template"},
		{"json second object", "{\"Resources\": {}}\n{\"Resources\": {}}", "content after the end of the template"},
		{"second yaml document", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n---\nResources: {}\n", "line 5: a second YAML document"},
		{"empty second document", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n---\n", "a second YAML document"},
		{"empty", "", "the file is empty"},
		{"list", "- a\n", "not a mapping of sections"},
		{"alias", "Resources:\n  Q: &q\n    Type: AWS::SQS::Queue\n  R: *q\n", "aliases"},
		{"duplicate key", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SQS::Queue\n", `line 4: duplicate key "Q"`},
		{"unknown tag", "Resources:\n  Q:\n    Type: !Bogus x\n", "unknown tag !Bogus"},
		{"too deep", `{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Metadata": ` + strings.Repeat(`[`, cfn.MaxDepth) + strings.Repeat(`]`, cfn.MaxDepth) + `}}}`, "nested more than 1000 levels deep"},
	} {
		_, err := Parse(Input{Path: "t.yaml", Data: []byte(c.data)})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// TestParseShortForms: every short form CloudFormation reads, the rule
// functions included, becomes its long form.
func TestParseShortForms(t *testing.T) {
	data := `Parameters:
  Env: {Type: String}
Rules:
  ProdOnly:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions:
      - Assert: !Contains [[a, b], !ValueOf [Env, Tag]]
      - Assert: !EachMemberIn [!ValueOfAll ['AWS::EC2::Subnet::Id', VpcId], !RefAll 'AWS::EC2::VPC::Id']
      - Assert: !EachMemberEquals [!ValueOfAll ['AWS::EC2::Subnet::Id', VpcId], x]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Select [0, !Split [',', !Join [',', [!Sub 'a-${Env}', !GetAtt R.Arn, !Base64 x, !GetAZs '', !ImportValue y, !FindInMap [M, a, b]]]]]
      Tags: !If [C, !Cidr [10.0.0.0/16, 2, 8], !Transform {Name: M, Parameters: {}}]
      X: !And [!Or [!Not [!Condition C], true], !Length [1], !ToJsonString {a: 1}]
`
	tmpl, err := Parse(Input{Path: "t.yaml", Data: []byte(data)})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	visit(tmpl.Tree, func(v any) {
		if f, _, ok := fn(v); ok && !contains(seen, f) {
			seen = append(seen, f)
		}
	})
	for long := range cfn.ShortForms {
		if !contains(seen, cfn.ShortForms[long]) {
			t.Errorf("%s was not read as %s", long, cfn.ShortForms[long])
		}
	}
}

// TestLineOf: lines come from the YAML nodes on demand, through short-form
// tags, list indexes and keys containing slashes.
func TestLineOf(t *testing.T) {
	data := `Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub
        - ${A}-q
        - A: !Ref 'AWS::StackName'
      Tags:
        - Key: a/b
          Value: x
  M:
    Type: AWS::S3::Bucket
    Metadata:
      a/b: 1
      a: {b: 2}
`
	tmpl, err := Parse(Input{Path: "t.yaml", Data: []byte(data)})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{
		"Resources":                        1,
		"Resources/Q":                      2,
		"Resources/Q/Properties/QueueName": 5,
		"Resources/Q/Properties/QueueName/Fn::Sub/1":   7,
		"Resources/Q/Properties/QueueName/Fn::Sub/1/A": 7,
		"Resources/Q/Properties/Tags/0/Value":          10,
		"Resources/Q/Properties/Tags/7":                8,
		"Resources/Q/Properties/Nothing":               4,
		"Resources/M/Metadata/a/b":                     14,
	} {
		if got := tmpl.Line(path); got != want {
			t.Errorf("Line(%s) = %d, want %d", path, got, want)
		}
	}
}

// deepTemplate is a template of about size bytes whose one resource has a
// property nested depth levels deep, ending in a long list of strings: the
// shape that made paths cost depth times the number of values.
func deepTemplate(depth, size int) []byte {
	var b strings.Builder
	b.WriteString(`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Metadata": `)
	tail := `}}}`
	b.WriteString(strings.Repeat(`{"a":`, depth))
	b.WriteString(`["x"`)
	for b.Len() < size-len(tail)-depth-8 {
		b.WriteString(`,"x"`)
	}
	b.WriteString(`]`)
	b.WriteString(strings.Repeat(`}`, depth))
	b.WriteString(tail)
	return []byte(b.String())
}

// TestDeepTemplateMemory validates a 1,000,000-byte template nested as deep
// as allowed and one nested far deeper (refused), and measures the bytes
// allocated: both stay far under 256 MiB. It measures memory, not time.
func TestDeepTemplateMemory(t *testing.T) {
	for _, c := range []struct {
		name  string
		depth int
		fails bool
	}{
		{"at the bound", cfn.MaxDepth - 5, false},
		{"far past the bound", 9800, true},
	} {
		data := deepTemplate(c.depth, 1_000_000)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Run([]Input{{Path: "deep.json", Data: data}}, nil)
		runtime.ReadMemStats(&after)
		if (err != nil) != c.fails {
			t.Fatalf("%s: error %v, want failure %v", c.name, err, c.fails)
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d bytes nested %d deep: %.1f MiB allocated", c.name, len(data), c.depth, float64(alloc)/(1<<20))
		if alloc > 256<<20 {
			t.Errorf("%s: %.1f MiB allocated, want under 256 MiB", c.name, float64(alloc)/(1<<20))
		}
	}
}

// TestCapPerRule: one rule lists at most MaxPerRule findings per template
// and counts the rest; suppressed findings are not cut.
func TestCapPerRule(t *testing.T) {
	var b strings.Builder
	b.WriteString("Resources:\n")
	for i := 0; i < MaxPerRule+20; i++ {
		fmt.Fprintf(&b, "  Topic%03d:\n    Type: AWS::SNS::Topic\n", i)
	}
	b.WriteString("  Topic000x:\n    Type: AWS::SNS::Topic\n    Metadata:\n      cfngen:\n        suppress: [{rule: C672, reason: alarm topics stay on the default key}]\n")
	fs, err := Run([]Input{{Path: "t.yaml", Data: []byte(b.String()), Today: "2026-01-01"}}, rulesOf(t, "C672"))
	if err != nil {
		t.Fatal(err)
	}
	var listed, suppressed int
	last := ""
	for _, f := range fs {
		switch {
		case f.Suppressed != nil:
			suppressed++
		case f.Resource != "":
			listed++
		default:
			last = f.Message
		}
	}
	if listed != MaxPerRule || suppressed != 1 || last != "20 more findings of this rule are not listed (the first 100 are)" {
		t.Errorf("%d listed, %d suppressed, summary %q", listed, suppressed, last)
	}
}
