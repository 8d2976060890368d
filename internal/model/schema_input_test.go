package model

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	yaml "sigs.k8s.io/yaml/goyaml.v3"
)

// yamlToJSON converts a config to the JSON value an editor checks against
// the schema: YAML 1.2 scalars, so an unquoted date stays a string.
func yamlToJSON(t *testing.T, src string) any {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	var conv func(n *yaml.Node) any
	conv = func(n *yaml.Node) any {
		switch n.Kind {
		case yaml.DocumentNode:
			return conv(n.Content[0])
		case yaml.MappingNode:
			m := map[string]any{}
			for i := 0; i < len(n.Content); i += 2 {
				m[n.Content[i].Value] = conv(n.Content[i+1])
			}
			return m
		case yaml.SequenceNode:
			l := []any{}
			for _, c := range n.Content {
				l = append(l, conv(c))
			}
			return l
		}
		switch n.ShortTag() {
		case "!!int", "!!float":
			f, err := strconv.ParseFloat(n.Value, 64)
			if err != nil {
				t.Fatalf("number %q: %v", n.Value, err)
			}
			return f
		case "!!bool":
			return n.Value == "true"
		case "!!null":
			return nil
		}
		return n.Value
	}
	return conv(&doc)
}

// schemaVerdicts checks every instance against Schema() with Python's
// jsonschema (it ships with cfn-lint) and returns which are valid.
func schemaVerdicts(t *testing.T, instances []any) []bool {
	t.Helper()
	script := `
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
print(json.dumps([v.is_valid(i) for i in json.load(open(sys.argv[2]))]))
`
	if err := exec.Command("python3", "-c", "import jsonschema").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 with jsonschema (a cfn-lint dependency) is required in CI")
		}
		t.Skip("python3 with jsonschema not found: skipping the schema agreement check (CI runs it)")
	}
	dir := t.TempDir()
	write := func(name string, v any) string {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	out, err := exec.Command("python3", "-c", script, write("schema.json", Schema()), write("cases.json", instances)).CombinedOutput()
	if err != nil {
		t.Fatalf("jsonschema: %v\n%s", err, out)
	}
	var verdicts []bool
	if err := json.Unmarshal(out, &verdicts); err != nil || len(verdicts) != len(instances) {
		t.Fatalf("jsonschema output %q: %v", out, err)
	}
	return verdicts
}

// schemaRefuses names invalid configs (from invalidConfigs and
// inputConfigs) whose problem lies in one field's own value, which the
// schema can express: an editor must refuse them as cfngen does.
var schemaRefuses = []string{
	"unknown top-level key", "unknown nested key", "string for int", "quoted number for int", "float for int",
	"int for bool", "yes for bool (YAML 1.2)", "mapping for string", "scalar for list", "list for tags",
	"project name with uppercase", "project name with underscore", "project name with double hyphen",
	"project name with trailing hyphen", "project name starting with a digit", "project name too long (21)",
	"project name too short (2)", "environment name with uppercase", "azCount 1", "azCount 7",
	"vpcCidr malformed", "vpcCidr IPv6", "vpcCidr /8 too large", "vpcCidr /28 too small", "subnetPrefix 29",
	"appPort 0", "appPort 70000", "health check path without slash", "sslPolicy not TLS 1.3",
	"WAF rateLimit 5", "ACU range abc", "ACU range with a non-number", "no ACU ranges",
	"DB classes db.t2.micro and db.m4.large", "DB class without db. prefix", "engine 17 without minor",
	"monitoringInterval 2", "performance insights retention 8", "unknown instance type", "Graviton instance type",
	"spotPercent 101", "bastion instance type unknown", "tag value too long", "logRetentionDays 2", "maxTasks 0",
	"sshCidr without prefix", "certificateArn malformed", "databaseName with a hyphen", "databaseUser rdsadmin",
	"backupRetentionDays 0", "backupRetentionDays 36", "apiImageTag invalid",
	"project sthree", "project sthree-configurator", "project amzn-s3-demo-shop", "databaseUser admin",
	"databaseUser pg_admin", "databaseUser rds_superuser", "databaseUser public", "databaseUser user (key word)",
	"databaseUser 17 characters", "databaseName template1", "databaseName select (key word)",
	"certificate with an unknown partition", "certificate partition not matching its region",
	"certificate in a bogus region", "certificate with a malformed id", "certificate of another service",
	"multicast VPC", "link-local VPC", "loopback VPC", "class E VPC",
	"sslPolicy TLS13 prefix that does not exist", "sslPolicy TLS13 that still accepts TLS 1.0",
}

// TestSchemaAgreesWithValidate runs the JSON Schema over configs cfngen
// accepts (the editor must accept them all) and over configs cfngen refuses
// for a single field's value (the editor must refuse them).
func TestSchemaAgreesWithValidate(t *testing.T) {
	type sample struct {
		name  string
		src   string
		valid bool
	}
	var samples []sample
	valid := []string{string(Starter())}
	two, err := os.ReadFile(filepath.Join("..", "..", "testdata", "two-env", "cfngen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	valid = append(valid, string(two))
	for _, src := range valid {
		samples = append(samples, sample{"valid config", src, true})
	}
	byName := map[string]string{}
	for _, tc := range append(append([]invalidConfig{}, invalidConfigs...), inputConfigs...) {
		byName[tc.name] = tc.src
	}
	for _, name := range schemaRefuses {
		src, ok := byName[name]
		if !ok {
			t.Fatalf("no invalid config named %q", name)
		}
		samples = append(samples, sample{name, src, false})
	}
	// The valid side of the input rules: the schema accepts them too.
	for _, src := range []string{
		userPrefix + "postgres\n", userPrefix + "abcdefghijklmnop\n", dbPrefix + "postgres\n",
		"project:\n  name: three\n", "project:\n  name: amzn-shop\n",
		certPrefix + "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n",
		"network:\n  vpcCidr: 100.64.0.0/16\n", "network:\n  vpcCidr: 223.255.0.0/16\n",
		"edge:\n  sslPolicy: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09\n",
		"suppressions:\n  - {rule: C624, resource: AppSecurityGroup, reason: egress to AWS APIs over HTTPS, expires: 2027-06-30}\n",
	} {
		b, lines, err := Parse([]byte(src), "x")
		if err == nil {
			err = b.Validate("x", lines)
		}
		if err != nil {
			t.Fatalf("cfngen refuses a sample meant to be valid: %v", err)
		}
		samples = append(samples, sample{"valid: " + strings.TrimSpace(src), src, true})
	}
	instances := make([]any, len(samples))
	for i, s := range samples {
		instances[i] = yamlToJSON(t, s.src)
	}
	for i, ok := range schemaVerdicts(t, instances) {
		if ok != samples[i].valid {
			t.Errorf("%s: schema says valid=%v, cfngen says valid=%v\n%s", samples[i].name, ok, samples[i].valid, samples[i].src)
		}
	}
}
