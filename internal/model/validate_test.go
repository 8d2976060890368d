package model

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// want is one problem a test expects: its field path, a substring of its
// message and its line (0: the problem has no line).
type want struct {
	line int
	path string
	msg  string
}

func (w want) String() string { return fmt.Sprintf("line %d: %s: ...%s...", w.line, w.path, w.msg) }

// check parses and validates src as Parse and Validate are used by the
// command line. It returns the problems, whether they came from Parse, and
// the error.
func check(t *testing.T, src string) (probs []Problem, fromParse bool, err error) {
	t.Helper()
	b, lines, err := Parse([]byte(src), "cfngen.yaml")
	if err != nil {
		fromParse = true
	} else {
		err = b.Validate("cfngen.yaml", lines)
	}
	if err == nil {
		return nil, fromParse, nil
	}
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error is %T, not *ConfigError: %v", err, err)
	}
	if ce.File != "cfngen.yaml" {
		t.Errorf("ConfigError.File = %q, want cfngen.yaml", ce.File)
	}
	return ce.Problems, fromParse, err
}

func showProblems(probs []Problem) string {
	var b strings.Builder
	for _, p := range probs {
		fmt.Fprintf(&b, "\n  line %d: path %q: %s", p.Line, p.Path, p.Message)
	}
	return b.String()
}

const secretMsg = "secrets never go in cfngen.yaml or a params file: the database master password is generated in Secrets Manager (output DBSecretArn); pass other secrets at deploy time"

const projectMsg = "must be 3-20 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (used in bucket names)"

const envNameMsg = "environment names must be 2-9 lowercase letters or digits, starting with a letter (they are part of resource names)"

const dbClassMsg = "is not a current RDS class (db.<family>.<size>, families t3, t4g, m5, m6g, m6i, m7g, m7i, r5, r6g, r6i, r7g, r7i)"

const instanceTypeMsg = "is not a known x86 instance type (families t2, t3, t3a, m5-m7, c5-c7, r5-r7)"

const topKeys = "alarms, bastion, compute, database, defaultEnvironment, edge, environments, exportOutputs, network, project, queue, storage, suppressions, tags"

// invalidConfigs are config files with mistakes, each with every problem it
// must report (no more, no fewer) and whether Parse (rather than Validate)
// reports them.
type invalidConfig struct {
	name  string
	src   string
	parse bool
	want  []want
}

var invalidConfigs = []invalidConfig{
	// Parse: structure, types and keys.
	{
		name: "unknown top-level key", parse: true,
		src:  "project:\n  name: shop\nregion: eu-west-1\n",
		want: []want{{3, "region", "unknown key (allowed: " + topKeys + ")"}},
	},
	{
		name: "unknown nested key", parse: true,
		src:  "network:\n  vpcCidr: 10.0.0.0/16\n  azCounts: 3\n",
		want: []want{{3, "network.azCounts", "unknown key (allowed: azCount, subnetOrder, subnetPrefix, vpcCidr)"}},
	},
	{
		name: "unknown key in an environment's params", parse: true,
		src:  "environments:\n  dev:\n    params:\n      vpcname: main\n",
		want: []want{{4, "environments.dev.params.vpcname", "unknown key (allowed: acuRange, alarmEmail, apiDesiredCount, apiImageTag, backupRetentionDays, certificateArn, databaseName, databaseUser, enableSpot, instanceClass, instanceType, sshCidr, sshKeyName, vpcName)"}},
	},
	{
		name: "string for int", parse: true,
		src:  "network:\n  azCount: two\n",
		want: []want{{2, "network.azCount", `"two" is not a whole number`}},
	},
	{
		name: "quoted number for int", parse: true,
		src:  "edge:\n  appPort: \"8080\"\n",
		want: []want{{2, "edge.appPort", `"8080" is text: remove the quotes`}},
	},
	{
		name: "float for int", parse: true,
		src:  "compute:\n  api:\n    cpu: 0.5\n",
		want: []want{{3, "compute.api.cpu", `"0.5" is not a whole number`}},
	},
	{
		name: "list for mapping", parse: true,
		src:  "network:\n  - 10.0.0.0/16\n",
		want: []want{{2, "network", "must be a mapping, not a list"}},
	},
	{
		name: "scalar for mapping", parse: true,
		src:  "edge: fast\n",
		want: []want{{1, "edge", `must be a mapping, not "fast"`}},
	},
	{
		name: "int for bool", parse: true,
		src:  "bastion:\n  enabled: 1\n",
		want: []want{{2, "bastion.enabled", `"1" is not true or false`}},
	},
	{
		name: "yes for bool (YAML 1.2)", parse: true,
		src:  "edge:\n  waf:\n    countLargeBodies: yes\n",
		want: []want{{3, "edge.waf.countLargeBodies", `"yes" is not true or false`}},
	},
	{
		name: "mapping for string", parse: true,
		src:  "project:\n  name: {first: shop}\n",
		want: []want{{2, "project.name", "must be a text value, not a mapping"}},
	},
	{
		name: "scalar for list", parse: true,
		src:  "database:\n  acuRanges: 0.5-2\n",
		want: []want{{2, "database.acuRanges", "must be a list"}},
	},
	{
		name: "list for tags", parse: true,
		src:  "tags:\n  - team\n",
		want: []want{{2, "tags", "must be a mapping of names to values"}},
	},
	{
		name: "duplicate top-level key", parse: true,
		src:  "project:\n  name: shop\nproject:\n  name: store\n",
		want: []want{{3, "project", "duplicate key (first at line 1)"}},
	},
	{
		name: "duplicate nested key", parse: true,
		src:  "network:\n  azCount: 2\n  subnetPrefix: 20\n  azCount: 3\n",
		want: []want{{4, "network.azCount", "duplicate key (first at line 2)"}},
	},
	{
		name: "duplicate tag", parse: true,
		src:  "tags:\n  team: core\n  team: web\n",
		want: []want{{3, "tags.team", "duplicate key (first at line 2)"}},
	},
	{
		name: "duplicate environment", parse: true,
		src:  "environments:\n  dev:\n  prod:\n  dev:\n    maxTasks: 2\n",
		want: []want{{4, "environments.dev", "duplicate environment (first at line 2)"}},
	},
	{
		name: "password key", parse: true,
		src:  "database:\n  masterPassword: hunter2\n",
		want: []want{{2, "database.masterPassword", secretMsg}},
	},
	{
		name: "secret key at the top", parse: true,
		src:  "dbSecret: hunter2\n",
		want: []want{{1, "dbSecret", secretMsg}},
	},
	{
		name: "token key in params", parse: true,
		src:  "environments:\n  prod:\n    params:\n      githubToken: ghp_x\n",
		want: []want{{4, "environments.prod.params.githubToken", secretMsg}},
	},
	{
		name: "null value", parse: true,
		src:  "network:\n  azCount:\n  subnetPrefix: 20\n",
		want: []want{{2, "network.azCount", "has no value (remove the key to keep the default)"}},
	},
	{
		name: "null section", parse: true,
		src:  "edge:\n",
		want: []want{{1, "edge", "has no value (remove the key to keep the default)"}},
	},
	{
		name: "null params", parse: true,
		src:  "environments:\n  dev:\n    params:\n",
		want: []want{{3, "environments.dev.params", "has no value (remove the key to keep the default)"}},
	},
	{
		name: "alias", parse: true,
		src:  "network: &net\n  azCount: 3\nedge: *net\n",
		want: []want{{3, "edge", "aliases are not supported; write the value out"}},
	},
	{
		name: "alias in an environment", parse: true,
		src:  "environments:\n  dev: &d\n    maxTasks: 3\n  qa: *d\n",
		want: []want{{4, "environments.qa", "aliases are not supported; write the value out"}},
	},
	{
		name: "environments as a list", parse: true,
		src:  "environments:\n  - dev\n",
		want: []want{{2, "environments", "must map environment names to their settings"}},
	},
	{
		name: "no environments", parse: true,
		src:  "environments: {}\n",
		want: []want{{1, "environments", "must name at least one environment"}},
	},
	{
		name: "environment settings not a mapping", parse: true,
		src:  "environments:\n  dev: 3\n",
		want: []want{{2, "environments.dev", `must be a mapping, not "3"`}},
	},
	{
		name: "YAML syntax error", parse: true,
		src:  "network: {azCount: 3\n",
		want: []want{{1, "", "did not find expected ',' or '}'"}},
	},
	{
		name: "not a mapping at all", parse: true,
		src:  "- network\n",
		want: []want{{1, "", "must be a mapping, not a list"}},
	},

	// Validate: project and environments.
	{
		name: "project name with uppercase",
		src:  "project:\n  name: MyApp\n",
		want: []want{{2, "project.name", `"MyApp" ` + projectMsg}},
	},
	{
		name: "project name with underscore",
		src:  "project:\n  name: my_app\n",
		want: []want{{2, "project.name", `"my_app" ` + projectMsg}},
	},
	{
		name: "project name with double hyphen",
		src:  "project:\n  name: my--app\n",
		want: []want{{2, "project.name", `"my--app" ` + projectMsg}},
	},
	{
		name: "project name with trailing hyphen",
		src:  "project:\n  name: myapp-\n",
		want: []want{{2, "project.name", `"myapp-" ` + projectMsg}},
	},
	{
		name: "project name starting with a digit",
		src:  "project:\n  name: 1app\n",
		want: []want{{2, "project.name", `"1app" ` + projectMsg}},
	},
	{
		name: "project name too long (21)",
		src:  "project:\n  name: abcdefghijklmnopqrstu\n",
		want: []want{{2, "project.name", `"abcdefghijklmnopqrstu" ` + projectMsg}},
	},
	{
		name: "project name too short (2)",
		src:  "project:\n  name: ab\n",
		want: []want{{2, "project.name", `"ab" ` + projectMsg}},
	},
	{
		name: "project description empty",
		src:  "project:\n  description: '  '\n",
		want: []want{{2, "project.description", "must be 1-800 characters"}},
	},
	{
		name: "environment name with uppercase",
		src:  "defaultEnvironment: Dev\nenvironments: {Dev: }\n",
		want: []want{{2, "environments.Dev", envNameMsg}},
	},
	{
		name: "environment names too short and too long",
		src:  "environments:\n  dev:\n  d:\n  development:\n",
		want: []want{{3, "environments.d", envNameMsg}, {4, "environments.development", envNameMsg}},
	},
	{
		// With a valid project name (at most 20) and environment name (at
		// most 9) the bucket budget of 29 always holds: only a project name
		// that is already too long reaches this check.
		name: "project and environment too long for bucket names",
		src:  "project:\n  name: abcdefghijklmnopqrstuvwxyz0\nenvironments:\n  dev:\n  staging:\n",
		want: []want{
			{2, "project.name", `"abcdefghijklmnopqrstuvwxyz0" ` + projectMsg},
			{4, "environments.dev", "project name and environment together have 30 characters, at most 29 fit the bucket names (<project>-<env>-logs-<account>-<region>)"},
			{5, "environments.staging", "project name and environment together have 34 characters, at most 29 fit the bucket names"},
		},
	},
	{
		name: "defaultEnvironment not configured",
		src:  "defaultEnvironment: qa\n",
		want: []want{{1, "defaultEnvironment", `"qa" is not one of the environments (dev, staging, prod)`}},
	},
	{
		name: "default dev missing from the environments",
		src:  "environments:\n  staging:\n  prod:\n",
		want: []want{{0, "defaultEnvironment", `"dev" is not one of the environments (staging, prod)`}},
	},

	// Validate: network.
	{
		name: "azCount 1",
		src:  "network:\n  azCount: 1\n",
		want: []want{{2, "network.azCount", "1 is out of range (2..3)"}},
	},
	{
		name: "azCount 7",
		src:  "network:\n  azCount: 7\n",
		want: []want{{2, "network.azCount", "7 is out of range (2..3)"}},
	},
	{
		name: "vpcCidr malformed",
		src:  "network:\n  vpcCidr: 10.0.0/16\n",
		want: []want{{2, "network.vpcCidr", `"10.0.0/16" is not an IPv4 CIDR block such as 10.0.0.0/16`}},
	},
	{
		name: "vpcCidr IPv6",
		src:  "network:\n  vpcCidr: 'fd00::/56'\n",
		want: []want{{2, "network.vpcCidr", `"fd00::/56" is not an IPv4 CIDR block`}},
	},
	{
		name: "vpcCidr with host bits",
		src:  "network:\n  vpcCidr: 10.0.1.0/16\n",
		want: []want{{2, "network.vpcCidr", `"10.0.1.0/16" has host bits set; the network address is 10.0.0.0/16`}},
	},
	{
		name: "vpcCidr /8 too large",
		src:  "network:\n  vpcCidr: 10.0.0.0/8\n",
		want: []want{{2, "network.vpcCidr", `"10.0.0.0/8" must be a /16 to /24 block (AWS VPC sizes cfngen supports)`}},
	},
	{
		name: "vpcCidr /28 too small",
		src:  "network:\n  vpcCidr: 10.0.0.0/28\n",
		want: []want{{2, "network.vpcCidr", `"10.0.0.0/28" must be a /16 to /24 block`}},
	},
	{
		name: "subnets do not fit",
		src:  "network:\n  vpcCidr: 10.0.0.0/24\n  azCount: 3\n  subnetPrefix: 26\n  subnetOrder: stable\n",
		want: []want{{4, "network.subnetPrefix", "6 subnets of /26 (public and private in 3 AZs) do not fit in 10.0.0.0/24; use a larger VPC or a longer prefix"}},
	},
	{
		name: "subnets larger than the VPC",
		src:  "network:\n  vpcCidr: 10.0.0.0/20\n  subnetPrefix: 16\n",
		want: []want{{3, "network.subnetPrefix", "4 subnets of /16 (public and private in 2 AZs) do not fit in 10.0.0.0/20"}},
	},
	{
		name: "subnetPrefix 29",
		src:  "network:\n  subnetPrefix: 29\n",
		want: []want{{2, "network.subnetPrefix", "29 is out of range (16..27)"}},
	},

	// Validate: edge.
	{
		name: "appPort 0",
		src:  "edge:\n  appPort: 0\n",
		want: []want{{2, "edge.appPort", "0 is out of range (1..65535)"}},
	},
	{
		name: "appPort 70000",
		src:  "edge:\n  appPort: 70000\n",
		want: []want{{2, "edge.appPort", "70000 is out of range (1..65535)"}},
	},
	{
		name: "health check path without slash",
		src:  "edge:\n  healthCheckPath: health\n",
		want: []want{{2, "edge.healthCheckPath", `"health" must be a URL path starting with / (at most 1024 characters)`}},
	},
	{
		name: "sslPolicy not TLS 1.3",
		src:  "edge:\n  sslPolicy: ELBSecurityPolicy-TLS-1-2-2017-01\n",
		want: []want{{2, "edge.sslPolicy", `"ELBSecurityPolicy-TLS-1-2-2017-01" is not a load balancer policy with TLS 1.3 and nothing older than TLS 1.2 (allowed: ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, `}},
	},
	{
		name: "WAF rateLimit 5",
		src:  "edge:\n  waf:\n    rateLimit: 5\n",
		want: []want{{3, "edge.waf.rateLimit", "5 is out of range (10..2000000000)"}},
	},

	// Validate: database.
	{
		name: "ACU range 0.3-2",
		src:  "database:\n  acuRanges:\n    - 0.5-2\n    - 0.3-2\n",
		want: []want{{4, "database.acuRanges[1]", `"0.3-2" must be min-max in ACUs written as whole or half numbers`}},
	},
	{
		name: "ACU range 0-2",
		src:  "database:\n  acuRanges:\n    - 0.5-2\n    - 0-2\n",
		want: []want{{4, "database.acuRanges[1]", `"0-2" has a minimum below 0.5 ACU (0 needs auto-pause, which never happens behind RDS Proxy)`}},
	},
	{
		name: "ACU range 4-2",
		src:  "database:\n  acuRanges: [0.5-2, 4-2]\n",
		want: []want{{2, "database.acuRanges[1]", `"4-2" has its minimum above its maximum`}},
	},
	{
		name: "ACU range 0.5-300",
		src:  "database:\n  acuRanges: [0.5-2, 0.5-300]\n",
		want: []want{{2, "database.acuRanges[1]", `"0.5-300" has a maximum above 256 ACU`}},
	},
	{
		name: "ACU range abc",
		src:  "database:\n  acuRanges: [0.5-2, abc]\n",
		want: []want{{2, "database.acuRanges[1]", `"abc" must be min-max in ACUs written as whole or half numbers, e.g. 0.5-2`}},
	},
	{
		name: "ACU range with a non-number",
		src:  "database:\n  acuRanges: [0.5-2, 1-x]\n",
		want: []want{{2, "database.acuRanges[1]", `"1-x" must be min-max in ACUs written as whole or half numbers, e.g. 0.5-2`}},
	},
	{
		name: "no ACU ranges",
		src:  "database:\n  acuRanges: []\n",
		want: []want{
			{2, "database.acuRanges", "must list at least one range"},
			{0, "environments.dev.params.acuRange", `"0.5-2" is not one of database.acuRanges ()`},
			{0, "environments.staging.params.acuRange", `"0.5-2" is not one of database.acuRanges ()`},
			{0, "environments.prod.params.acuRange", `"0.5-2" is not one of database.acuRanges ()`},
		},
	},
	{
		name: "DB classes db.t2.micro and db.m4.large",
		src:  "database:\n  instanceClasses:\n    - db.t4g.micro\n    - db.t2.micro\n    - db.m4.large\n",
		want: []want{
			{4, "database.instanceClasses[1]", `"db.t2.micro" ` + dbClassMsg},
			{5, "database.instanceClasses[2]", `"db.m4.large" ` + dbClassMsg},
		},
	},
	{
		name: "DB class without db. prefix",
		src:  "database:\n  instanceClasses: [db.t4g.micro, t4g.small]\n",
		want: []want{{2, "database.instanceClasses[1]", `"t4g.small" ` + dbClassMsg}},
	},
	{
		name: "postgres engine 16.3 deprecated",
		src:  "database:\n  postgresEngineVersion: '16.3'\n",
		want: []want{{2, "database.postgresEngineVersion", `"16.3" is deprecated or unknown (allowed: 16.13+, 17.9+, 18.1+)`}},
	},
	{
		name: "aurora engine 16.3 deprecated",
		src:  "database:\n  auroraEngineVersion: '16.3'\n",
		want: []want{{2, "database.auroraEngineVersion", `"16.3" is deprecated or unknown (allowed: 16.4+, 17.4+)`}},
	},
	{
		name: "aurora engine 18.1 unknown",
		src:  "database:\n  auroraEngineVersion: '18.1'\n",
		want: []want{{2, "database.auroraEngineVersion", `"18.1" is deprecated or unknown (allowed: 16.4+, 17.4+)`}},
	},
	{
		name: "engine 17 without minor",
		src:  "database:\n  auroraEngineVersion: 17\n",
		want: []want{{2, "database.auroraEngineVersion", `"17" must be a full major.minor version such as '17.9'`}},
	},
	{
		// Unquoted, 16.10 is a YAML float, but the parser decodes the
		// scalar's text into the string field: the version is "16.10", not
		// 16.1 (which the message's hint suggests).
		name: "unquoted engine 16.10 (a float in YAML)",
		src:  "database:\n  postgresEngineVersion: 16.10\n",
		want: []want{{2, "database.postgresEngineVersion", `"16.10" is deprecated or unknown (allowed: 16.13+, 17.9+, 18.1+)`}},
	},
	{
		name: "monitoringInterval 2",
		src:  "database:\n  monitoringInterval: 2\n",
		want: []want{{2, "database.monitoringInterval", "2 is not allowed (allowed: 1, 5, 10, 15, 30, 60)"}},
	},
	{
		name: "performance insights retention 8",
		src:  "database:\n  performanceInsightsRetentionDays: 8\n",
		want: []want{{2, "database.performanceInsightsRetentionDays", "8 is not allowed (allowed: 7, a multiple of 31 from 31 to 713, or 731)"}},
	},
	{
		name: "performance insights retention 744 (31*24, above 713)",
		src:  "database:\n  performanceInsightsRetentionDays: 744\n",
		want: []want{{2, "database.performanceInsightsRetentionDays", "744 is not allowed"}},
	},
	{
		name: "maxAllocatedStorage below allocatedStorage",
		src:  "database:\n  allocatedStorageGiB: 200\n  maxAllocatedStorageGiB: 100\n",
		want: []want{{3, "database.maxAllocatedStorageGiB", "100 must be at least allocatedStorageGiB (200)"}},
	},

	// Validate: compute and bastion.
	{
		name: "unknown instance type",
		src:  "compute:\n  instanceTypes:\n    - {name: t3.small, alternative: t3a.small}\n    - {name: x1.foo, alternative: t3.small}\n",
		want: []want{{4, "compute.instanceTypes[1].name", `"x1.foo" ` + instanceTypeMsg}},
	},
	{
		name: "Graviton instance type",
		src:  "compute:\n  instanceTypes:\n    - {name: t3.small, alternative: t4g.small}\n",
		want: []want{{3, "compute.instanceTypes[0].alternative", `"t4g.small" ` + instanceTypeMsg}},
	},
	{
		name: "alternative equal to the name",
		src:  "compute:\n  instanceTypes:\n    - name: t3.small\n      alternative: t3.small\n",
		want: []want{{4, "compute.instanceTypes[0].alternative", `"t3.small" must differ from the instance type: Spot needs two types`}},
	},
	{
		name: "instance type listed twice",
		src:  "compute:\n  instanceTypes:\n    - {name: t3.small, alternative: t3a.small}\n    - {name: t3.small, alternative: t2.small}\n",
		want: []want{{4, "compute.instanceTypes[1].name", `"t3.small" is listed twice`}},
	},
	{
		name: "spotPercent 101",
		src:  "compute:\n  spotPercent: 101\n",
		want: []want{{2, "compute.spotPercent", "101 is out of range (0..100)"}},
	},
	{
		name: "bastion instance type unknown",
		src:  "bastion:\n  instanceType: t3.huge\n",
		want: []want{{2, "bastion.instanceType", `"t3.huge" is not a known x86 instance type (e.g. t3.micro)`}},
	},

	// Validate: queue, alarms, tags.
	{
		name: "dlqRetentionSeconds not above retentionSeconds",
		src:  "queue:\n  retentionSeconds: 345600\n  dlqRetentionSeconds: 345600\n",
		want: []want{{3, "queue.dlqRetentionSeconds", "345600 must be longer than retentionSeconds (345600), so failed messages outlive their originals"}},
	},
	{
		name: "retentionSeconds at the maximum leaves no room for the DLQ",
		src:  "queue:\n  retentionSeconds: 1209600\n",
		want: []want{{0, "queue.dlqRetentionSeconds", "1209600 must be longer than retentionSeconds (1209600)"}},
	},
	{
		name: "queue maxReceiveCount 0",
		src:  "queue:\n  maxReceiveCount: 0\n",
		want: []want{{2, "queue.maxReceiveCount", "0 is out of range (1..1000)"}},
	},
	{
		name: "alarm dbCpuPercent 100",
		src:  "alarms:\n  dbCpuPercent: 100\n",
		want: []want{{2, "alarms.dbCpuPercent", "100 is out of range (1..99)"}},
	},
	{
		name: "tag keys starting with aws:",
		src:  "tags:\n  team: core\n  aws:owner: me\n  AWS:x: y\n",
		want: []want{
			{4, "tags.AWS:x", "tag keys starting with aws: are reserved"},
			{3, "tags.aws:owner", "tag keys starting with aws: are reserved"},
		},
	},
	{
		name: "tag value too long",
		src:  "tags:\n  team: " + strings.Repeat("x", 257) + "\n",
		want: []want{{2, "tags.team", "tag values must be at most 256 characters"}},
	},

	// Validate: environments' settings and params.
	{
		name: "minInstances above maxInstances",
		src:  "environments:\n  dev:\n    minInstances: 5\n    maxInstances: 3\n",
		want: []want{{3, "environments.dev.minInstances", "5 is above maxInstances (3)"}},
	},
	{
		name: "logRetentionDays 2",
		src:  "environments:\n  dev:\n    logRetentionDays: 2\n",
		want: []want{{3, "environments.dev.logRetentionDays", "2 is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)"}},
	},
	{
		name: "maxTasks 0",
		src:  "environments:\n  dev:\n    maxTasks: 0\n",
		want: []want{
			{3, "environments.dev.maxTasks", "0 is out of range (1..1000)"},
		},
	},
	{
		name: "sshCidr wider than /16 without allowSshFromAnywhere",
		src:  "environments:\n  dev:\n    params:\n      sshCidr: 0.0.0.0/1\n",
		want: []want{{4, "environments.dev.params.sshCidr", "0.0.0.0/1 opens SSH to 2147483648 addresses; use /16 to /32 (your own address: x.x.x.x/32) or set bastion.allowSshFromAnywhere: true"}},
	},
	{
		name: "prod params without a certificate",
		src:  "environments:\n  dev:\n  prod:\n    params:\n      apiImageTag: v2\n",
		want: []want{{0, "environments.prod.params.certificateArn", "prod serves HTTPS only: set an ACM certificate ARN of the stack's region (the template refuses a prod deploy without one)"}},
	},
	{
		name: "sshCidr 0.0.0.0/0 without allowSshFromAnywhere",
		src:  "environments:\n  dev:\n    params:\n      sshCidr: 0.0.0.0/0\n",
		want: []want{{4, "environments.dev.params.sshCidr", "0.0.0.0/0 opens SSH to the internet; use your own address (x.x.x.x/32) or set bastion.allowSshFromAnywhere: true"}},
	},
	{
		name: "sshCidr with host bits",
		src:  "environments:\n  dev:\n    params:\n      sshCidr: 203.0.113.10/24\n",
		want: []want{{4, "environments.dev.params.sshCidr", `"203.0.113.10/24" has host bits set; did you mean 203.0.113.0/24?`}},
	},
	{
		name: "sshCidr without prefix",
		src:  "environments:\n  dev:\n    params:\n      sshCidr: 203.0.113.10\n",
		want: []want{{4, "environments.dev.params.sshCidr", `"203.0.113.10" is not an IPv4 CIDR such as 203.0.113.10/32`}},
	},
	{
		name: "malformed e-mail",
		src:  "environments:\n  dev:\n    params:\n      alarmEmail: ops@example\n",
		want: []want{{4, "environments.dev.params.alarmEmail", `"ops@example" is not an e-mail address such as ops@example.com`}},
	},
	{
		name: "e-mail with a display name",
		src:  "environments:\n  dev:\n    params:\n      alarmEmail: 'Ops <ops@example.com>'\n",
		want: []want{{4, "environments.dev.params.alarmEmail", `"Ops <ops@example.com>" is not an e-mail address such as ops@example.com`}},
	},
	{
		name: "certificateArn malformed",
		src:  "environments:\n  dev:\n    params:\n      certificateArn: arn:aws:acm:eu-west-1:123:certificate/abc\n",
		want: []want{{4, "environments.dev.params.certificateArn", `"arn:aws:acm:eu-west-1:123:certificate/abc" has the account "123"; an account id is 12 digits`}},
	},
	{
		name: "databaseName with a hyphen",
		src:  "environments:\n  dev:\n    params:\n      databaseName: app-db\n",
		want: []want{{4, "environments.dev.params.databaseName", `"app-db" must be 1-63 letters, digits or underscores, starting with a letter`}},
	},
	{
		name: "databaseUser rdsadmin",
		src:  "environments:\n  dev:\n    params:\n      databaseUser: rdsadmin\n",
		want: []want{{4, "environments.dev.params.databaseUser", `"rdsadmin" is reserved (RDS's own administrator); choose another master user name (postgres or dbadmin work)`}},
	},
	{
		name: "backupRetentionDays 0",
		src:  "environments:\n  dev:\n    params:\n      backupRetentionDays: 0\n",
		want: []want{{4, "environments.dev.params.backupRetentionDays", "0 is out of range (1..35)"}},
	},
	{
		name: "backupRetentionDays 36",
		src:  "environments:\n  dev:\n    params:\n      backupRetentionDays: 36\n",
		want: []want{{4, "environments.dev.params.backupRetentionDays", "36 is out of range (1..35)"}},
	},
	{
		name: "apiDesiredCount above the smallest maxTasks",
		src:  "environments:\n  dev:\n    maxTasks: 3\n  prod:\n    params:\n      apiDesiredCount: 4\n      certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n",
		want: []want{{6, "environments.prod.params.apiDesiredCount", "4 is out of range (0..3, the smallest maxTasks of any environment)"}},
	},
	{
		name: "params values not among the allowed lists",
		src:  "environments:\n  dev:\n    params:\n      acuRange: 3-4\n      instanceClass: db.x1.large\n      instanceType: m5.large\n",
		want: []want{
			{4, "environments.dev.params.acuRange", `"3-4" is not one of database.acuRanges (0.5-1, 0.5-2, 0.5-4, 1-2, 1-4, 1-8, 2-8, 2-16, 4-16, 4-32, 8-64)`},
			{5, "environments.dev.params.instanceClass", `"db.x1.large" is not one of database.instanceClasses`},
			{6, "environments.dev.params.instanceType", `"m5.large" is not one of compute.instanceTypes`},
		},
	},
	{
		name: "apiImageTag invalid",
		src:  "environments:\n  dev:\n    params:\n      apiImageTag: -latest\n",
		want: []want{{4, "environments.dev.params.apiImageTag", `"-latest" is not a valid image tag`}},
	},
}

func TestInvalidConfigs(t *testing.T) {
	if n := len(invalidConfigs); n < 35 {
		t.Fatalf("only %d invalid configs", n)
	}
	seen := map[string]bool{}
	for _, tc := range invalidConfigs {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) { assertInvalid(t, tc) })
	}
}

// assertInvalid checks that tc's config is refused with exactly its problems,
// and that the error text lists each of them with its line.
func assertInvalid(t *testing.T, tc invalidConfig) {
	t.Helper()
	probs, fromParse, err := check(t, tc.src)
	if err == nil {
		t.Fatalf("config is accepted; want %v\n%s", tc.want, tc.src)
	}
	if fromParse != tc.parse {
		t.Errorf("problems from Parse = %v, want %v", fromParse, tc.parse)
	}
	if len(probs) != len(tc.want) {
		t.Errorf("%d problems, want %d:%s", len(probs), len(tc.want), showProblems(probs))
	}
	for _, w := range tc.want {
		found := false
		for _, p := range probs {
			if p.Path == w.path && p.Line == w.line && strings.Contains(p.Message, w.msg) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("missing problem %v; got:%s", w, showProblems(probs))
		}
	}
	for _, p := range probs {
		if p.Message == "" {
			t.Errorf("problem with an empty message: %+v", p)
		}
	}
	// The error text lists every problem, with its line when it has one.
	text := err.Error()
	if !strings.HasPrefix(text, "invalid config cfngen.yaml:") {
		t.Errorf("error text does not start with the file: %q", text)
	}
	for _, p := range probs {
		line := "\n  " + p.String()
		if p.Line > 0 {
			line = fmt.Sprintf("\n  line %d: %s", p.Line, p.String())
		}
		if !strings.Contains(text, line) {
			t.Errorf("error text lacks %q:\n%s", line, text)
		}
	}
}

// manyMistakes has one mistake in almost every section; all of them must be
// reported at once, in the order of the checks.
const manyMistakes = `project:
  name: My_App
defaultEnvironment: qa
network:
  azCount: 7
  vpcCidr: 10.0.0.1/16
edge:
  appPort: 0
  healthCheckPath: health
  waf:
    rateLimit: 5
database:
  postgresEngineVersion: '16.3'
  acuRanges: [0.5-2, 0-2]
  monitoringInterval: 2
compute:
  instanceTypes:
    - {name: t3.small, alternative: t3.small}
queue:
  maxReceiveCount: 0
tags:
  zone: a
  aws:b: x
  aws:a: x
environments:
  dev:
    logRetentionDays: 2
    params:
      databaseUser: rdsadmin
      backupRetentionDays: 36
  prod:
    minInstances: 11
`

var manyMistakesWant = []want{ // in line order
	{2, "project.name", `"My_App" must be 3-20`},
	{3, "defaultEnvironment", `"qa" is not one of the environments (dev, prod)`},
	{5, "network.azCount", "7 is out of range (2..3)"},
	{6, "network.vpcCidr", `"10.0.0.1/16" has host bits set`},
	{8, "edge.appPort", "0 is out of range"},
	{9, "edge.healthCheckPath", `"health" must be a URL path`},
	{11, "edge.waf.rateLimit", "5 is out of range"},
	{13, "database.postgresEngineVersion", `"16.3" is deprecated`},
	{14, "database.acuRanges[1]", `"0-2" has a minimum below 0.5 ACU`},
	{15, "database.monitoringInterval", "2 is not allowed"},
	{18, "compute.instanceTypes[0].alternative", `"t3.small" must differ`},
	{20, "queue.maxReceiveCount", "0 is out of range (1..1000)"},
	{23, "tags.aws:b", "reserved"},
	{24, "tags.aws:a", "reserved"},
	{27, "environments.dev.logRetentionDays", "2 is not a retention"},
	{29, "environments.dev.params.databaseUser", `"rdsadmin" is reserved`},
	{30, "environments.dev.params.backupRetentionDays", "36 is out of range (1..35)"},
	{32, "environments.prod.minInstances", "11 is above maxInstances (10)"},
}

func TestManyMistakesAtOnce(t *testing.T) {
	probs, fromParse, err := check(t, manyMistakes)
	if err == nil || fromParse {
		t.Fatalf("want validation problems, got fromParse=%v err=%v", fromParse, err)
	}
	if len(probs) != len(manyMistakesWant) {
		t.Errorf("%d problems, want %d:%s", len(probs), len(manyMistakesWant), showProblems(probs))
	}
	for i := 0; i < len(probs) && i < len(manyMistakesWant); i++ {
		p, w := probs[i], manyMistakesWant[i]
		if p.Path != w.path || p.Line != w.line || !strings.Contains(p.Message, w.msg) {
			t.Errorf("problem %d = line %d %s: %s; want %v", i, p.Line, p.Path, p.Message, w)
		}
	}
	// Same file, same text: maps (tags, seen keys) never change the order.
	first := err.Error()
	for i := 0; i < 20; i++ {
		_, _, again := check(t, manyMistakes)
		if again == nil || again.Error() != first {
			t.Fatalf("run %d differs:\n%v\nfirst:\n%s", i+2, again, first)
		}
	}
}

// manyParseMistakes has mistakes that Parse finds: all are reported at
// once, in file order.
const manyParseMistakes = `project:
  name: [shop]
  owner: me
network:
  azCount: three
  azCount: 3
edge: *x
bastion:
  enabled: 1
dbPassword: hunter2
environments:
  dev:
    params:
      apiToken: x
      backupRetentionDays: 7.5
  dev:
`

func TestManyParseMistakesAtOnce(t *testing.T) {
	_, _, err := Parse([]byte(manyParseMistakes), "cfngen.yaml")
	if err == nil {
		t.Fatal("accepted")
	}
	// The alias names an anchor that does not exist: YAML itself refuses
	// the file before any other check.
	if !strings.Contains(err.Error(), `unknown anchor 'x' referenced`) {
		t.Fatalf("got %v", err)
	}

	src := strings.Replace(manyParseMistakes, "edge: *x", "edge: {}", 1)
	probs, fromParse, err := check(t, src)
	if err == nil || !fromParse {
		t.Fatalf("want parse problems, got fromParse=%v err=%v", fromParse, err)
	}
	wantProbs := []want{
		{2, "project.name", "must be a text value, not a list"},
		{3, "project.owner", "unknown key (allowed: description, name)"},
		{5, "network.azCount", `"three" is not a whole number`},
		{6, "network.azCount", "duplicate key (first at line 5)"},
		{9, "bastion.enabled", `"1" is not true or false`},
		{10, "dbPassword", secretMsg},
		{14, "environments.dev.params.apiToken", secretMsg},
		{15, "environments.dev.params.backupRetentionDays", `"7.5" is not a whole number`},
		{16, "environments.dev", "duplicate environment (first at line 12)"},
	}
	if len(probs) != len(wantProbs) {
		t.Errorf("%d problems, want %d:%s", len(probs), len(wantProbs), showProblems(probs))
	}
	for i := 0; i < len(probs) && i < len(wantProbs); i++ {
		p, w := probs[i], wantProbs[i]
		if p.Path != w.path || p.Line != w.line || !strings.Contains(p.Message, w.msg) {
			t.Errorf("problem %d = line %d %s: %s; want %v", i, p.Line, p.Path, p.Message, w)
		}
	}
	first := err.Error()
	for i := 0; i < 20; i++ {
		if _, _, again := check(t, src); again == nil || again.Error() != first {
			t.Fatalf("run %d differs:\n%v\nfirst:\n%s", i+2, again, first)
		}
	}
}

func TestValidConfigs(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		// check, when set, looks at the parsed backend.
		check func(t *testing.T, b Backend)
	}{
		{name: "null environment keeps its preset", src: "environments: {dev: }\n", check: func(t *testing.T, b Backend) {
			want := Preset("dev")
			want.Params.VPCName = "myapp-vpc"
			if len(b.Environments) != 1 || !reflect.DeepEqual(b.Environments[0], want) {
				t.Errorf("environments = %+v, want [%+v]", b.Environments, want)
			}
		}},
		{name: "starter file", src: string(Starter())},
		{name: "sshCidr 0.0.0.0/0 with allowSshFromAnywhere", src: "bastion:\n  allowSshFromAnywhere: true\nenvironments:\n  dev:\n    params:\n      sshCidr: 0.0.0.0/0\n"},
		{name: "sshCidr 0.0.0.0/0 without a bastion", src: "bastion:\n  enabled: false\nenvironments:\n  dev:\n    params:\n      sshCidr: 0.0.0.0/0\n"},
		{name: "smallest VPC that fits", src: "network:\n  vpcCidr: 10.0.0.0/24\n  azCount: 2\n  subnetPrefix: 26\n"},
		{name: "three AZs", src: "network:\n  azCount: 3\n  subnetOrder: stable\n"},
		{name: "three AZs in the order of earlier releases", src: "network:\n  azCount: 3\n  subnetOrder: grouped\n"},
		{name: "longest project and environment names", src: "project:\n  name: abcdefghij-klmnopqrs\ndefaultEnvironment: abcdefghi\nenvironments:\n  abcdefghi:\n"},
		{name: "certificate and e-mail", src: "environments:\n  dev:\n    params:\n      certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012\n      alarmEmail: ops@example.com\n"},
		{name: "newest engines", src: "database:\n  auroraEngineVersion: '17.4'\n  postgresEngineVersion: '18.1'\n"},
		{name: "tags", src: "tags:\n  team: core\n  cost-center: '42'\n"},
		{name: "apiDesiredCount at the smallest maxTasks", src: "environments:\n  dev:\n    params:\n      apiDesiredCount: 4\n  prod:\n"},
		{name: "performance insights retention 731", src: "database:\n  performanceInsightsRetentionDays: 731\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, lines, err := Parse([]byte(tc.src), "cfngen.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := b.Validate("cfngen.yaml", lines); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if tc.check != nil {
				tc.check(t, b)
			}
		})
	}
}

func TestDefaultValidates(t *testing.T) {
	if err := Default().Validate("built-in defaults", nil); err != nil {
		t.Fatal(err)
	}
}
