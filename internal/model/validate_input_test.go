package model

import (
	"regexp"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/awsfacts"
)

const (
	goodCert    = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	certPrefix  = "environments:\n  dev:\n    params:\n      certificateArn: "
	userPrefix  = "environments:\n  dev:\n    params:\n      databaseUser: "
	dbPrefix    = "environments:\n  dev:\n    params:\n      databaseName: "
	userAdvice  = "; choose another master user name (postgres or dbadmin work)"
	emptyConfig = "the file has no settings (it is empty or holds only comments), so cfngen will not render the built-in defaults from it"
)

// inputConfigs are bad inputs that were accepted (or refused without a
// line) before: secrets in values, CloudFormation syntax, names AWS and
// PostgreSQL reserve, ARNs, address ranges, empty files and bytes that are
// not text. Each must be refused with exactly these problems.
var inputConfigs = []invalidConfig{
	// Files that are not YAML text, with the line of the first bad byte.
	{
		name: "NUL byte", parse: true,
		src:  "project:\n  name: sh\x00op\n",
		want: []want{{2, "", "a NUL byte at column 11: the file is binary or corrupted; YAML is text"}},
	},
	{
		name: "Latin-1 byte (not UTF-8)", parse: true,
		src:  "project:\n  name: shop\n  description: caf\xe9\n",
		want: []want{{3, "", "byte 0xE9 at column 19 is not UTF-8: save the file as UTF-8"}},
	},
	{
		name: "control character", parse: true,
		src:  "project:\n  description: a\x07b\n",
		want: []want{{2, "", "control character U+0007 at column 17 is not allowed in YAML"}},
	},
	{
		name: "trailing garbage after a flow mapping on line 1", parse: true,
		src:  "project: {name: shop} trailing\n",
		want: []want{{1, "", "did not find expected key"}},
	},
	{
		name: "trailing garbage on line 3", parse: true,
		src:  "project:\n  name: shop\n  garbage garbage\n",
		want: []want{{3, "", "could not find expected ':'"}},
	},
	{
		name: "nested colon", parse: true,
		src:  "project:\n  name: a: b\n",
		want: []want{{2, "", "mapping values are not allowed in this context"}},
	},
	{
		name: "unknown anchor", parse: true,
		src:  "project:\n  name: shop\nedge: *x\n",
		want: []want{{3, "", "unknown anchor 'x' referenced"}},
	},

	// Empty files would render the defaults over any output.
	{name: "empty file", parse: true, src: "", want: []want{{0, "", emptyConfig}}},
	{name: "only comments", parse: true, src: "# cfngen.yaml\n\n  # nothing here\n", want: []want{{0, "", emptyConfig}}},
	{name: "null document", parse: true, src: "---\n~\n", want: []want{{2, "", emptyConfig}}},

	// CloudFormation syntax: never silently dropped or left unsubstituted.
	{
		name: "!Sub tag in a value", parse: true,
		src:  "project:\n  description: !Sub '${AWS::StackName} backend'\n",
		want: []want{{2, "project.description", "the YAML tag !Sub is not allowed: cfngen.yaml holds plain values, and CloudFormation functions such as !Sub, !Ref and !GetAtt belong in templates (write the value itself)"}},
	},
	{
		name: "!GetAtt tag on a mapping", parse: true,
		src:  "tags: !GetAtt\n  team: core\n",
		want: []want{{1, "tags", "the YAML tag !GetAtt is not allowed"}},
	},
	{
		name: "!Ref tag on environments", parse: true,
		src:  "environments: !Ref Envs\n",
		want: []want{{1, "environments", "the YAML tag !Ref is not allowed"}},
	},
	{
		name: "!Ref tag on an environment", parse: true,
		src:  "environments:\n  dev: !Ref Dev\n",
		want: []want{{2, "environments.dev", "the YAML tag !Ref is not allowed"}},
	},
	{
		name: "!!binary tag changes the value", parse: true,
		src:  "project:\n  name: !!binary c2hvcA==\n",
		want: []want{{2, "project.name", "the YAML tag !!binary is not allowed"}},
	},
	{
		name: "literal ${...} in a tag value", parse: true,
		src:  "tags:\n  stack: ${AWS::StackName}\n",
		want: []want{{2, "tags.stack", `"${AWS::StackName}" holds ${...}: cfngen.yaml values are literal text and nothing substitutes them; write the value itself`}},
	},
	{
		name: "literal ${...} in a description", parse: true,
		src:  "project:\n  description: 'API of ${Environment}'\n",
		want: []want{{2, "project.description", `"API of ${Environment}" holds ${...}`}},
	},

	// Secrets in tag keys and in free-text values.
	{
		name: "tag keys pwd and api_key", parse: true,
		src:  "tags:\n  pwd: x\n  api_key: y\n",
		want: []want{{2, "tags.pwd", secretMsg}, {3, "tags.api_key", secretMsg}},
	},
	{
		name: "AWS access key id as a tag value", parse: true,
		src:  "tags:\n  owner: AKIAIOSFODNN7EXAMPLE\n",
		want: []want{{2, "tags.owner", "looks like an AWS access key id: " + secretValueMessage}},
	},
	{
		name: "password= in a description", parse: true,
		src:  "project:\n  description: 'db password=hunter2'\n",
		want: []want{{2, "project.description", "looks like a credential assignment: " + secretValueMessage}},
	},
	{
		name: "PEM header as the SSH key name", parse: true,
		src:  "environments:\n  dev:\n    params:\n      sshKeyName: '-----BEGIN RSA PRIVATE KEY-----'\n",
		want: []want{{4, "environments.dev.params.sshKeyName", "looks like a PEM block (a key or certificate): " + secretValueMessage}},
	},
	{
		name: "GitHub token as a tag value", parse: true,
		src:  "tags:\n  ci: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n",
		want: []want{{2, "tags.ci", "looks like a GitHub token"}},
	},

	// Names S3 reserves at the start of bucket names.
	{
		name: "project sthree",
		src:  "project:\n  name: sthree\n",
		want: []want{{2, "project.name", `"sthree" starts the bucket names (<project>-<env>-logs-...) with sthree-, a prefix S3 reserves (reserved: xn--, sthree-, amzn-s3-demo-)`}},
	},
	{
		name: "project sthree-configurator",
		src:  "project:\n  name: sthree-configurator\n",
		want: []want{{2, "project.name", `"sthree-configurator" starts the bucket names (<project>-<env>-logs-...) with sthree-`}},
	},
	{
		name: "project amzn-s3-demo-shop",
		src:  "project:\n  name: amzn-s3-demo-shop\n",
		want: []want{{2, "project.name", `"amzn-s3-demo-shop" starts the bucket names (<project>-<env>-logs-...) with amzn-s3-demo-`}},
	},
	{
		name: "project amzn-s3 with environment demo",
		src:  "project:\n  name: amzn-s3\ndefaultEnvironment: demo\nenvironments:\n  demo:\n",
		want: []want{{5, "environments.demo", "bucket names would start amzn-s3-demo-..., and S3 reserves the prefix amzn-s3-demo-; rename the environment or the project"}},
	},

	// Master user and database names.
	{
		name: "databaseUser admin",
		src:  userPrefix + "admin\n",
		want: []want{{4, "environments.dev.params.databaseUser", `"admin" is reserved (RDS refuses it for PostgreSQL and Aurora PostgreSQL)` + userAdvice}},
	},
	{
		name: "databaseUser RDSADMIN (any case)",
		src:  userPrefix + "RDSADMIN\n",
		want: []want{{4, "environments.dev.params.databaseUser", `"RDSADMIN" is reserved (RDS's own administrator)`}},
	},
	{
		name: "databaseUser pg_admin",
		src:  userPrefix + "pg_admin\n",
		want: []want{{4, "environments.dev.params.databaseUser", `"pg_admin" starts with pg_, which PostgreSQL reserves for its own roles; choose another master user name`}},
	},
	{
		name: "databaseUser rds_superuser",
		src:  userPrefix + "rds_superuser\n",
		want: []want{{4, "environments.dev.params.databaseUser", `"rds_superuser" is reserved (a role RDS creates)`}},
	},
	{
		name: "databaseUser public",
		src:  userPrefix + "public\n",
		want: []want{{4, "environments.dev.params.databaseUser", `"public" is reserved (a role name PostgreSQL reserves)`}},
	},
	{
		name: "databaseUser user (key word)",
		src:  userPrefix + "user\n",
		want: []want{{4, "environments.dev.params.databaseUser", `"user" is reserved (a PostgreSQL reserved key word)` + userAdvice}},
	},
	{
		name: "databaseUser 17 characters",
		src:  userPrefix + "abcdefghijklmnopq\n",
		want: []want{{4, "environments.dev.params.databaseUser", `"abcdefghijklmnopq" must be 1-16 letters, digits or underscores, starting with a letter (the RDS master user name limit)`}},
	},
	{
		name: "databaseName template1",
		src:  dbPrefix + "template1\n",
		want: []want{{4, "environments.dev.params.databaseName", `"template1" already exists on every RDS PostgreSQL server (rdsadmin, template0, template1); choose another database name`}},
	},
	{
		name: "databaseName select (key word)",
		src:  dbPrefix + "select\n",
		want: []want{{4, "environments.dev.params.databaseName", `"select" is reserved (a PostgreSQL reserved key word); choose another database name`}},
	},

	// Certificate ARNs.
	{
		name: "certificate with an unknown partition",
		src:  certPrefix + "arn:aws-moon:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n",
		want: []want{{4, "environments.dev.params.certificateArn", `has the unknown partition "aws-moon" (known: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc)`}},
	},
	{
		name: "certificate partition not matching its region",
		src:  certPrefix + "arn:aws-cn:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n",
		want: []want{{4, "environments.dev.params.certificateArn", "names region eu-west-1, which is in partition aws, not aws-cn"}},
	},
	{
		name: "certificate in a bogus region",
		src:  certPrefix + "arn:aws:acm:eu-fake-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n",
		want: []want{{4, "environments.dev.params.certificateArn", `names "eu-fake-1", which is not an AWS region (regions of aws: af-south-1, `}},
	},
	{
		name: "certificate with a malformed id",
		src:  certPrefix + "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fz\n",
		want: []want{{4, "environments.dev.params.certificateArn", `ends in "certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fz"; want certificate/<id> with an id such as 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 (lowercase hex)`}},
	},
	{
		name: "certificate of another service",
		src:  certPrefix + "arn:aws:iam::123456789012:server-certificate/x\n",
		want: []want{{4, "environments.dev.params.certificateArn", "is not an ACM certificate ARN (arn:<partition>:acm:<region>:<account>:certificate/<id>) or empty"}},
	},

	// VPC ranges that are not unicast.
	{
		name: "multicast VPC",
		src:  "network:\n  vpcCidr: 224.0.0.0/16\n",
		want: []want{{2, "network.vpcCidr", `"224.0.0.0/16" lies in the multicast block 224.0.0.0/4, which a VPC cannot use; use a private block such as 10.0.0.0/16`}},
	},
	{
		name: "link-local VPC",
		src:  "network:\n  vpcCidr: 169.254.0.0/16\n",
		want: []want{{2, "network.vpcCidr", `"169.254.0.0/16" lies in the link-local block 169.254.0.0/16`}},
	},
	{
		name: "loopback VPC",
		src:  "network:\n  vpcCidr: 127.0.0.0/16\n",
		want: []want{{2, "network.vpcCidr", `"127.0.0.0/16" lies in the loopback block 127.0.0.0/8`}},
	},
	{
		name: "class E VPC",
		src:  "network:\n  vpcCidr: 250.0.0.0/16\n",
		want: []want{{2, "network.vpcCidr", `"250.0.0.0/16" lies in the reserved block 240.0.0.0/4`}},
	},

	// TLS policy: refused at the config field, not later as a finding.
	{
		name: "sslPolicy TLS13 prefix that does not exist",
		src:  "edge:\n  sslPolicy: ELBSecurityPolicy-TLS13-bogus\n",
		want: []want{{2, "edge.sslPolicy", `"ELBSecurityPolicy-TLS13-bogus" is not a load balancer policy with TLS 1.3 and nothing older than TLS 1.2`}},
	},
	{
		name: "sslPolicy TLS13 that still accepts TLS 1.0",
		src:  "edge:\n  sslPolicy: ELBSecurityPolicy-TLS13-1-0-2021-06\n",
		want: []want{{2, "edge.sslPolicy", `"ELBSecurityPolicy-TLS13-1-0-2021-06" is not a load balancer policy with TLS 1.3 and nothing older than TLS 1.2`}},
	},
}

func TestInvalidInputConfigs(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range invalidConfigs {
		seen[tc.name] = true
	}
	for _, tc := range inputConfigs {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) { assertInvalid(t, tc) })
	}
}

// TestValidInputConfigs holds the passing side of each rule above: values
// next to the refused ones that AWS accepts.
func TestValidInputConfigs(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"databaseUser postgres (valid on Aurora and RDS PostgreSQL)", userPrefix + "postgres\n"},
		{"databaseUser Postgres", userPrefix + "Postgres\n"},
		{"databaseUser of 16 characters", userPrefix + "abcdefghijklmnop\n"},
		{"databaseUser with pg inside", userPrefix + "app_pg_admin\n"},
		{"databaseUser admin_user", userPrefix + "admin_user\n"},
		{"databaseName postgres", dbPrefix + "postgres\n"},
		{"databaseName of 63 characters", dbPrefix + "a" + strings.Repeat("b", 62) + "\n"},
		{"project three (not sthree)", "project:\n  name: three\n"},
		{"project amzn-shop", "project:\n  name: amzn-shop\n"},
		{"project amzn-s3 with environment dev", "project:\n  name: amzn-s3\n"},
		{"certificate in aws-cn", certPrefix + "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n"},
		{"certificate in GovCloud", certPrefix + "arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n"},
		{"certificate in a new region", certPrefix + "arn:aws:acm:mx-central-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n"},
		{"public VPC block", "network:\n  vpcCidr: 100.64.0.0/16\n"},
		{"VPC block next to link-local", "network:\n  vpcCidr: 169.253.0.0/16\n"},
		{"VPC block just below multicast", "network:\n  vpcCidr: 223.255.0.0/16\n"},
		{"sslPolicy TLS 1.3 only", "edge:\n  sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06\n"},
		{"sslPolicy post-quantum", "edge:\n  sslPolicy: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09\n"},
		{"explicit !!str tag", "project:\n  name: !!str shop\n"},
		{"dollar without brace", "project:\n  description: 'Costs $5 a month'\n"},
		{"word password without a value", "project:\n  description: 'Stores password reset requests'\n"},
		{"unquoted date in a suppression", "suppressions:\n  - {rule: C624, resource: AppSecurityGroup, reason: egress to AWS APIs over HTTPS, expires: 2027-06-30}\n"},
		{"byte order mark", "\xef\xbb\xbfproject:\n  name: shop\n"},
		{"tab in a quoted value", "project:\n  description: \"a\\tb\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, lines, err := Parse([]byte(tc.src), "cfngen.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := b.Validate("cfngen.yaml", lines); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

// Every certificate ARN the model accepts also passes the templates'
// AllowedPattern and the schema's pattern, and the schema's pattern refuses
// what the model refuses.
func TestCertificatePatternsAgree(t *testing.T) {
	schema := regexp.MustCompile(CertificateSchemaPattern())
	for _, p := range awsfacts.Partitions {
		for _, r := range p.Regions {
			arn := "arn:" + p.Name + ":acm:" + r + ":123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
			if msg := certificateProblem(arn); msg != "" {
				t.Errorf("%s: %s", arn, msg)
			}
			if !certificatePattern.MatchString(arn) {
				t.Errorf("%s: the templates' AllowedPattern refuses it", arn)
			}
			if !schema.MatchString(arn) {
				t.Errorf("%s: the schema refuses it", arn)
			}
		}
	}
	for _, arn := range []string{
		"arn:aws-moon:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
		"arn:aws-cn:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
		"arn:aws:acm:eu-fake-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
		"arn:aws:acm:eu-west-1:12345678901:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
		"arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c4b5a697887968a5b4c3d2e1f0aa",
		goodCert + "x",
	} {
		if certificateProblem(arn) == "" {
			t.Errorf("model accepts %s", arn)
		}
		if schema.MatchString(arn) {
			t.Errorf("schema accepts %s", arn)
		}
	}
}
