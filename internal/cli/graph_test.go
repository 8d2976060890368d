package cli_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
)

// A template cfngen did not write: a bucket that notifies a queue.
const graphSmall = `Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        QueueConfigurations:
          - {Event: 's3:ObjectCreated:*', Queue: !GetAtt Jobs.Arn}
`

const graphSmallJSON = `{"Resources": {
  "Jobs": {"Type": "AWS::SQS::Queue"},
  "Uploads": {"Type": "AWS::S3::Bucket", "Condition": "Prod",
    "Properties": {"BucketName": {"Fn::Sub": "${Jobs.QueueName}-uploads"}}}}}`

func TestGraphDefault(t *testing.T) {
	t.Chdir(t.TempDir()) // no cfngen.yaml: the built-in model
	code, stdout, stderr := run(t, "graph")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "flowchart LR\n") || !strings.Contains(stdout, "  internet --> waf\n") || !strings.Contains(stdout, "  proxy --> db\n") {
		t.Errorf("overview:\n%s", stdout)
	}
	code, stdout, _ = run(t, "graph", "--format", "dot", "--level", "full")
	if code != cli.ExitOK || !strings.HasPrefix(stdout, "digraph cfngen {\n") || !strings.Contains(stdout, `subgraph "cluster_tier_network"`) ||
		!strings.Contains(stdout, `"DBWriterInstance"`) {
		t.Errorf("exit %d, full dot:\n%s", code, stdout)
	}
	code, stdout, _ = run(t, "graph", "-l", "full", "--variant", "rds")
	if code != cli.ExitOK || !strings.Contains(stdout, `DBInstance["DBInstance<br/>RDS::DBInstance"]`) || strings.Contains(stdout, "DBWriterInstance") {
		t.Errorf("exit %d, rds full:\n%s", code, stdout)
	}
}

func TestGraphConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfngen.yaml")
	writeFile(t, cfg, "bastion: {enabled: false}\n")
	code, stdout, stderr := run(t, "graph", "--config", cfg)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout, "bastion") {
		t.Errorf("a model without bastion drew one:\n%s", stdout)
	}
	writeFile(t, cfg, "network: {azCount: 9}\n")
	if code, _, stderr := run(t, "graph", "--config", cfg); code != cli.ExitTrouble || !strings.Contains(stderr, "azCount") {
		t.Errorf("invalid config: exit %d, %s", code, stderr)
	}
}

func TestGraphTemplate(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "small.yaml")
	js := filepath.Join(dir, "small.json")
	writeFile(t, yml, graphSmall)
	writeFile(t, js, graphSmallJSON)
	code, stdout, stderr := run(t, "graph", yml)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "flowchart LR\n  buckets[\"S3 bucket<br/>Uploads\"]\n  queue[\"SQS queue<br/>Jobs\"]\n  buckets --> queue\n"
	if stdout != want {
		t.Errorf("overview:\n%s\nwant:\n%s", stdout, want)
	}
	code, stdout, _ = run(t, "graph", js, "--level", "full")
	if code != cli.ExitOK || !strings.Contains(stdout, `Uploads["Uploads (if Prod)<br/>S3::Bucket"]`) ||
		!strings.Contains(stdout, "  Uploads --> Jobs\n") || !strings.Contains(stdout, "class Uploads conditional") {
		t.Errorf("exit %d, JSON full:\n%s", code, stdout)
	}
	// "-" reads standard input.
	var out, errOut bytes.Buffer
	code = cli.Main([]string{"graph", "-", "-f", "dot"}, cli.IOStreams{In: strings.NewReader(graphSmall), Out: &out, ErrOut: &errOut})
	if code != cli.ExitOK || !strings.Contains(out.String(), `"buckets" -> "queue";`) {
		t.Errorf("stdin: exit %d, %s%s", code, out.String(), errOut.String())
	}
}

func TestGraphTrouble(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "Resources:\n  A: {Properties: {}}\n")
	notYAML := filepath.Join(dir, "notes.yaml")
	writeFile(t, notYAML, "Resources: [\n")
	small := filepath.Join(dir, "small.yaml")
	writeFile(t, small, graphSmall)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"graph", "--format", "svg"}, `--format "svg" is not allowed (allowed: mermaid, dot)`},
		{[]string{"graph", "--level", "medium"}, `--level "medium" is not allowed (allowed: overview, full)`},
		{[]string{"graph", "--variant", "mysql"}, `--variant "mysql" is not allowed (allowed: aurora, rds)`},
		{[]string{"graph", filepath.Join(dir, "missing.yaml")}, "no such file"},
		{[]string{"graph", bad}, bad + ": resource A has no Type"},
		{[]string{"graph", notYAML}, notYAML + ": "},
		{[]string{"graph", small, "--config", "x.yaml"}, "leave them out with TEMPLATE"},
		{[]string{"graph", small, small}, "accepts at most 1 arg"},
		{[]string{"graph", "--bogus"}, "unknown flag"},
	} {
		code, stdout, stderr := run(t, c.args...)
		if code != cli.ExitTrouble || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

func TestGraphFlags(t *testing.T) {
	var got *cli.GraphOptions
	cmd := cli.NewCmdGraph(cli.IOStreams{}, func(o *cli.GraphOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"t.yaml", "-f", "dot", "-l", "full"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Template != "t.yaml" || got.Format != "dot" || got.Level != "full" || got.Config != "" || got.Variant != "" {
		t.Errorf("options %+v", got)
	}
	cmd = cli.NewCmdGraph(cli.IOStreams{}, func(o *cli.GraphOptions) error { got = o; return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Template != "" || got.Format != "mermaid" || got.Level != "overview" {
		t.Errorf("defaults %+v", got)
	}
}
