package graph_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/golden"
	"github.com/cfngen/cfngen/internal/graph"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/render"
)

func parse(t *testing.T, src string) *graph.Template {
	t.Helper()
	tpl, err := graph.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// defaultTemplate is the Aurora template of the default model, rendered in memory.
func defaultTemplate(t testing.TB, v render.Variant) *graph.Template {
	t.Helper()
	s, err := render.RenderVariant(model.Default(), v)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := s.Template.Build()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := graph.FromDoc(doc)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func edges(g *graph.Graph) map[string]graph.Kind {
	out := map[string]graph.Kind{}
	for _, e := range g.Edges {
		out[e.From+"->"+e.To] = e.Kinds
	}
	return out
}

func TestReferences(t *testing.T) {
	src := `Parameters:
  Name: {Type: String}
Resources:
  A:
    Type: AWS::SNS::Topic
  B:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref Name
      Tags:
        - {Key: ref, Value: !Ref A}
        - {Key: getatt-short, Value: !GetAtt C.Arn}
        - {Key: getatt-list, Value: !GetAtt [D, Arn]}
        - {Key: sub-attr, Value: !Sub '${E.Arn}/x'}
        - {Key: sub-plain, Value: !Sub 'x-${F}'}
        - {Key: sub-literal, Value: !Sub '${!G} ${AWS::Region} ${AWS::StackName}'}
        - {Key: sub-list, Value: !Sub ['${Local}-${H}', {Local: !Ref I}]}
        - {Key: nested, Value: !If [Cond, !Ref J, !Ref 'AWS::NoValue']}
`
	tpl := parse(t, src)
	got := tpl.Resource("B").Refs
	want := map[string]graph.Kind{
		"Name": graph.Ref, "A": graph.Ref, "C": graph.GetAtt, "D": graph.GetAtt, "E": graph.Sub,
		"F": graph.Sub, "H": graph.Sub, "I": graph.Ref, "J": graph.Ref,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("refs:\n got %v\nwant %v", got, want)
	}
	// JSON long forms: GetAtt as a dotted string, Sub as a list.
	js := `{"Resources": {
  "Q": {"Type": "AWS::SQS::Queue"},
  "T": {"Type": "AWS::SNS::Topic", "Properties": {
     "DisplayName": {"Fn::Sub": ["${Q.QueueName}-${X}", {"X": {"Fn::GetAtt": "Q.Arn"}}]}}}}}`
	jt := parse(t, js)
	if got := jt.Resource("T").Refs; !reflect.DeepEqual(got, map[string]graph.Kind{"Q": graph.Sub | graph.GetAtt}) {
		t.Errorf("JSON refs: %v", got)
	}
}

func TestFullEdgesAndConditions(t *testing.T) {
	src := `Conditions:
  Prod: !Equals [!Ref 'AWS::Region', eu-west-1]
Resources:
  Topic:
    Type: AWS::SNS::Topic
  Queue:
    Type: AWS::SQS::Queue
    DependsOn: Topic
  Dlq:
    Type: AWS::SQS::Queue
    Condition: Prod
    DependsOn: [Topic, Queue, Missing]
    Properties:
      QueueName: !Sub '${Queue.QueueName}-dlq'
      Tags: [{Key: t, Value: !Ref Topic}, {Key: self, Value: !Ref Dlq}]
`
	g := parse(t, src).Full()
	want := map[string]graph.Kind{
		"Queue->Topic": graph.DependsOn,
		"Dlq->Topic":   graph.Ref | graph.DependsOn,
		"Dlq->Queue":   graph.Sub | graph.DependsOn,
	}
	if got := edges(g); !reflect.DeepEqual(got, want) {
		t.Errorf("edges:\n got %v\nwant %v", got, want)
	}
	for _, n := range g.Nodes {
		if n.ID == "Dlq" {
			if n.Condition != "Prod" || !strings.HasPrefix(n.Label, "Dlq (if Prod)\n") {
				t.Errorf("conditional node: %+v", n)
			}
		} else if n.Condition != "" {
			t.Errorf("%s has condition %q", n.ID, n.Condition)
		}
	}
	m := string(graph.MermaidBytes(g))
	for _, line := range []string{"  Queue -.-> Topic\n", "  Dlq --> Topic\n", "  class Dlq conditional\n", `Dlq["Dlq (if Prod)<br/>SQS::Queue"]`} {
		if !strings.Contains(m, line) {
			t.Errorf("mermaid lacks %q:\n%s", line, m)
		}
	}
	d := string(graph.DOTBytes(g))
	for _, line := range []string{`"Queue" -> "Topic" [style=dashed];`, `"Dlq" -> "Topic";`, `style=dashed];`} {
		if !strings.Contains(d, line) {
			t.Errorf("dot lacks %q:\n%s", line, d)
		}
	}
}

func TestTiers(t *testing.T) {
	src := `Resources:
  Vpc: {Type: AWS::EC2::VPC}
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties: {VpcId: !Ref Vpc, GroupDescription: web}
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref Vpc
      GroupDescription: db
      SecurityGroupIngress: [{SourceSecurityGroupId: !Ref WebSg, IpProtocol: tcp, FromPort: 5432, ToPort: 5432}]
  WebToDb:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: {GroupId: !Ref WebSg, DestinationSecurityGroupId: !Ref DbSg, IpProtocol: tcp}
  Role: {Type: AWS::IAM::Role}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [!Ref Role]}
  Web:
    Type: AWS::EC2::Instance
    Properties: {IamInstanceProfile: !Ref Profile, SecurityGroupIds: [!Ref WebSg]}
  Jump:
    Type: AWS::EC2::Instance
    Properties:
      Tags: [{Key: Name, Value: bastion}]
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {VPCSecurityGroups: [!Ref DbSg]}
  Unused: {Type: AWS::IAM::Role}
  Thing: {Type: AWS::Foo::Bar}
  Custom: {Type: 'Custom::Seed', Properties: {Db: !Ref Db}}
`
	tpl := parse(t, src)
	want := map[string]graph.Tier{
		"Vpc": graph.Network, "WebSg": graph.Compute, "DbSg": graph.Data, "WebToDb": graph.Compute,
		"Role": graph.Compute, "Profile": graph.Compute, "Web": graph.Compute, "Jump": graph.Bastion,
		"Db": graph.Data, "Unused": graph.Security, "Thing": graph.Other, "Custom": graph.Data,
	}
	for id, tier := range want {
		if got := tpl.Resource(id).Tier; got != tier {
			t.Errorf("%s: tier %s, want %s", id, got, tier)
		}
	}
	// Security-group ingress points from the source: the web tier calls the database.
	ov := edges(tpl.Overview())
	if _, ok := ov["ec2->db"]; !ok {
		t.Errorf("overview lacks ec2->db: %v", ov)
	}
	if _, ok := ov["db->ec2"]; ok {
		t.Errorf("overview has db->ec2: %v", ov)
	}
}

// TestOverviewDefault checks the request path of cfngen's stack without
// pinning every edge (the golden files do that).
func TestOverviewDefault(t *testing.T) {
	for _, v := range layout.Variants {
		g := defaultTemplate(t, v).Overview()
		got := edges(g)
		for _, e := range []string{"internet->waf", "waf->lb", "lb->ecs", "ecs->proxy", "proxy->db",
			"ecs->queue", "ecs->buckets", "internet->bastion", "bastion->db", "monitoring->topic"} {
			if _, ok := got[e]; !ok {
				t.Errorf("%s: overview lacks %s: %v", v, e, got)
			}
		}
		for _, e := range []string{"internet->lb", "monitoring->db", "lb->waf", "db->proxy"} {
			if _, ok := got[e]; ok {
				t.Errorf("%s: overview has %s", v, e)
			}
		}
		if len(g.Groups) != 1 || g.Groups[0].ID != "vpc" {
			t.Errorf("%s: groups %v, want the VPC", v, g.Groups)
		}
	}
}

func TestOverviewWithoutEntry(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bucket-queue.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := graph.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	g := tpl.Overview()
	var ids []string
	for _, n := range g.Nodes {
		ids = append(ids, n.ID)
	}
	if !reflect.DeepEqual(ids, []string{"buckets", "queue"}) {
		t.Errorf("nodes %v, want buckets and queue only", ids)
	}
	if got := edges(g); len(got) != 1 || got["buckets->queue"] == 0 {
		t.Errorf("edges %v, want buckets->queue", got)
	}
	if len(g.Groups) != 0 {
		t.Errorf("groups %v, want none (no VPC)", g.Groups)
	}
}

func TestGoldenGraphs(t *testing.T) {
	small, err := os.ReadFile(filepath.Join("testdata", "bucket-queue.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	smallT, err := graph.Parse(small)
	if err != nil {
		t.Fatal(err)
	}
	for name, tpl := range map[string]*graph.Template{"default": defaultTemplate(t, layout.Aurora), "bucket-queue": smallT} {
		for _, level := range graph.Levels {
			g, err := tpl.Draw(level)
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, filepath.Join("testdata", name+"-"+string(level)+".mmd"), graph.MermaidBytes(g))
			golden.Assert(t, filepath.Join("testdata", name+"-"+string(level)+".dot"), graph.DOTBytes(g))
		}
	}
}

func TestDeterministic(t *testing.T) {
	first := graph.MermaidBytes(defaultTemplate(t, layout.Aurora).Full())
	for i := 0; i < 5; i++ {
		if again := graph.MermaidBytes(defaultTemplate(t, layout.Aurora).Full()); !bytes.Equal(first, again) {
			t.Fatal("full graph differs between runs")
		}
		if a, b := graph.DOTBytes(defaultTemplate(t, layout.Aurora).Overview()), graph.DOTBytes(defaultTemplate(t, layout.Aurora).Overview()); !bytes.Equal(a, b) {
			t.Fatal("overview differs between runs")
		}
	}
}

func TestEscaping(t *testing.T) {
	g := &graph.Graph{Direction: "LR", Nodes: []graph.Node{
		{ID: "end", Label: `say "hi" <b> & #1` + "\nnext"},
		{ID: "my-bucket", Label: "x"},
		{ID: "Ok1", Label: "y"},
	}, Edges: []graph.Edge{{From: "end", To: "my-bucket", Kinds: graph.Ref}}}
	m := string(graph.MermaidBytes(g))
	for _, s := range []string{`n_0["say #34;hi#34; #60;b#62; #38; #35;1<br/>next"]`, `n_1["x"]`, `Ok1["y"]`, "n_0 --> n_1"} {
		if !strings.Contains(m, s) {
			t.Errorf("mermaid lacks %q:\n%s", s, m)
		}
	}
	d := string(graph.DOTBytes(g))
	if !strings.Contains(d, `"end" [label="say \"hi\" <b> & #1\nnext"];`) {
		t.Errorf("dot escaping:\n%s", d)
	}
}

func TestBadTemplates(t *testing.T) {
	for name, src := range map[string]string{
		"not a mapping":   "- a\n- b\n",
		"no resources":    "Parameters: {}\n",
		"empty resources": "Resources: {}\n",
		"no type":         "Resources:\n  A: {Properties: {}}\n",
		"resource list":   "Resources: [a]\n",
		"unknown tag":     "Resources:\n  A: {Type: !Bogus x}\n",
		"not yaml":        "Resources: [\n",
	} {
		if _, err := graph.Parse([]byte(src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := parse(t, "Resources: {A: {Type: AWS::SNS::Topic}}").Draw("middle"); err == nil {
		t.Error("unknown level: no error")
	}
}
