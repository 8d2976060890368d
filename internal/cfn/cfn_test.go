package cfn

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
)

func sample() *Template {
	t := NewTemplate("sample")
	t.AddParameter("Env", Parameter{Type: "String", Description: "environment", Default: "dev", AllowedValues: []string{"dev", "prod"}})
	t.AddCondition("IsProd", Equals(Ref("Env"), "prod"))
	t.Add("Bucket", &s3.Bucket{BucketName: strp(Sub("${Env}-data-${AWS::AccountId}"))})
	t.Add("Dlq", &sqs.Queue{})
	t.Add("Queue", &sqs.Queue{
		RedrivePolicy: map[string]any{"deadLetterTargetArn": GetAtt("Dlq", "Arn"), "maxReceiveCount": 5},
	}).Set("MessageRetentionPeriod", If("IsProd", "1209600", "345600"))
	t.AddOutput("QueueArn", Output{Description: "queue", Value: GetAtt("Queue", "Arn"), Export: true})
	return t
}

func strp(s string) *string { return &s }

func build(t *testing.T, tpl *Template) *Doc {
	t.Helper()
	d, err := tpl.Build()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestYAMLShortFormAndOrder(t *testing.T) {
	y, err := build(t, sample()).YAML()
	if err != nil {
		t.Fatal(err)
	}
	want := `AWSTemplateFormatVersion: '2010-09-09'
Description: sample
Parameters:
  Env:
    Description: environment
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub ${Env}-data-${AWS::AccountId}
  Dlq:
    Type: AWS::SQS::Queue
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: !If [IsProd, '1209600', '345600']
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Dlq.Arn
        maxReceiveCount: 5
Outputs:
  QueueArn:
    Description: queue
    Value: !GetAtt Queue.Arn
    Export: {Name: !Sub '${AWS::StackName}-QueueArn'}
`
	if string(y) != want {
		t.Errorf("YAML:\n%s\nwant:\n%s", y, want)
	}
}

// TestIntrinsicsAreNeverEvaluated guards against goformation's habit of
// resolving Refs to parameter defaults: a Ref must stay a Ref.
func TestIntrinsicsAreNeverEvaluated(t *testing.T) {
	d := build(t, sample())
	q := d.Tree()["Resources"].(map[string]any)["Queue"].(map[string]any)["Properties"].(map[string]any)
	rp := q["RedrivePolicy"].(map[string]any)
	if got, _ := json.Marshal(rp["deadLetterTargetArn"]); string(got) != `{"Fn::GetAtt":["Dlq","Arn"]}` {
		t.Errorf("deadLetterTargetArn = %s", got)
	}
	cond := d.Tree()["Conditions"].(map[string]any)["IsProd"]
	if got, _ := json.Marshal(cond); string(got) != `{"Fn::Equals":[{"Ref":"Env"},"prod"]}` {
		t.Errorf("condition = %s", got)
	}
}

func TestNestedIntrinsicsStayLinear(t *testing.T) {
	v := NoValue()
	for i := 0; i < 40; i++ {
		v = If("C", "x", v)
	}
	if len(v) > 40*40 {
		t.Errorf("40 nested Ifs encode to %d bytes: nesting must not escape recursively", len(v))
	}
}

func TestVerifyRoundTrips(t *testing.T) {
	d := build(t, sample())
	for _, format := range []string{"yaml", "json"} {
		enc, err := d.Encode(format)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Verify(enc, format); err != nil {
			t.Errorf("%s: %v", format, err)
		}
	}
}

func TestVerifyCatchesChanges(t *testing.T) {
	d := build(t, sample())
	y, _ := d.YAML()
	cases := map[string]string{
		"value":          strings.Replace(string(y), "prod]", "production]", 1),
		"intrinsic kind": strings.Replace(string(y), "!GetAtt Queue.Arn", "!Ref Queue", 1),
		"quoting":        strings.Replace(string(y), "'1209600'", "1209600", 1),
		"order":          strings.Replace(strings.Replace(string(y), "  Dlq:\n    Type: AWS::SQS::Queue\n", "", 1), "Outputs:", "  Dlq:\n    Type: AWS::SQS::Queue\nOutputs:", 1),
		"duplicate key":  strings.Replace(string(y), "    Type: AWS::S3::Bucket\n", "    Type: AWS::S3::Bucket\n    Type: AWS::S3::Bucket\n", 1),
		"unknown tag":    strings.Replace(string(y), "!Sub ${Env}", "!Subb ${Env}", 1),
	}
	for name, changed := range cases {
		if changed == string(y) {
			t.Fatalf("%s: the test did not change the text", name)
		}
		if err := d.Verify([]byte(changed), "yaml"); err == nil {
			t.Errorf("%s: Verify accepted a changed template", name)
		}
	}
}

func TestNeedsQuotes(t *testing.T) {
	for s, want := range map[string]bool{
		"": true, "yes": true, "No": true, "on": true, "true": true, "null": true, "~": true,
		"16.10": true, "8080": true, "0x1F": true, "1e3": true, ".5": true, "2012-10-17": true, "10:30": true,
		"abc": false, "0.0.0.0/0": false, "t3.small": false, "db.t4g.micro": false, "0.5-2": false, "us-east-1": false,
	} {
		if got := needsQuotes(s); got != want {
			t.Errorf("needsQuotes(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestDuplicatesAndBadOverrides(t *testing.T) {
	tpl := sample()
	tpl.Add("Queue", &sqs.Queue{})
	if _, err := tpl.Build(); err == nil || !strings.Contains(err.Error(), `resource "Queue" added twice`) {
		t.Errorf("duplicate resource: err = %v", err)
	}
	tpl = sample()
	tpl.Resource("Queue").Set("RedrivePolicy.maxReceiveCount.x", 1)
	if _, err := tpl.Build(); err == nil {
		t.Error("override through a scalar was accepted")
	}
}

func TestJSONIsValidAndOrdered(t *testing.T) {
	j, err := build(t, sample()).JSON()
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(j, &v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, j)
	}
	s := string(j)
	if !(strings.Index(s, `"Parameters"`) < strings.Index(s, `"Conditions"`) &&
		strings.Index(s, `"Conditions"`) < strings.Index(s, `"Resources"`) &&
		strings.Index(s, `"Bucket"`) < strings.Index(s, `"Dlq"`) && strings.Index(s, `"Dlq"`) < strings.Index(s, `"Queue":`)) {
		t.Errorf("JSON sections or resources out of order:\n%s", s)
	}
	if strings.Contains(s, `\u003c`) {
		t.Error("JSON escapes HTML characters")
	}
}
