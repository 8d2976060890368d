package model

import (
	"fmt"
	"net/mail"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Patterns the templates' parameter constraints use too, as text.
const (
	ProjectPatternText     = `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`
	CertificatePatternText = `^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$`
)

// Rules shared with the templates' parameter constraints.
var (
	// ProjectPattern keeps every derived name valid: bucket names (lowercase,
	// no double hyphen), proxy and queue names.
	ProjectPattern = lazyRE(ProjectPatternText)
	// EnvPattern is an environment name: it is part of resource names.
	EnvPattern = lazyRE(`^[a-z][a-z0-9]{1,8}$`)
	// IdentifierPattern is a PostgreSQL database or user name.
	IdentifierPattern  = lazyRE(`^[a-zA-Z][a-zA-Z0-9_]{0,62}$`)
	certificatePattern = lazyRE(CertificatePatternText) // the templates' looser form; certificateProblem checks more
	versionPattern     = lazyRE(`^([1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
	acuPattern         = lazyRE(`^(0|[1-9][0-9]*)(\.[05])?$`)
	imageTagPattern    = lazyRE(`^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$`)
	keyNamePattern     = lazyRE(`^[ -~]{1,255}$`)
	healthPathPattern  = lazyRE(`^/[A-Za-z0-9._~!$&'()*+,;=:@/%-]*$`)
)

// Name-length budget: the longest derived name is the log bucket,
// "<project>-<env>-logs-<12-digit account>-<region>", and regions have up to
// 14 characters ("ap-southeast-7"); S3 allows 63. The isolated partitions'
// us-isof-south-1 has 15 (TestBucketBudgetRegions): budgeting for it would
// refuse names that fit every commercial, GovCloud and China region.
const (
	maxProjectLen = 20
	bucketBudget  = 63 - len("--logs-") - 12 - 1 - 14
)

// logRetentionDays are the values CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// instanceFamilies are the EC2 families cfngen knows for container instances
// and the bastion: current generations plus t2, which the seed's parameter
// files use.
var instanceFamilies = map[string]bool{
	"t2": true, "t3": true, "t3a": true, "t4g": false,
	"m5": true, "m5a": true, "m6i": true, "m6a": true, "m7i": true, "m7a": true,
	"c5": true, "c5a": true, "c6i": true, "c6a": true, "c7i": true, "c7a": true,
	"r5": true, "r5a": true, "r6i": true, "r6a": true, "r7i": true, "r7a": true,
}

var instanceSizes = map[string]bool{
	"nano": true, "micro": true, "small": true, "medium": true, "large": true, "xlarge": true,
	"2xlarge": true, "4xlarge": true, "8xlarge": true, "12xlarge": true, "16xlarge": true,
}

// dbFamilies are the current RDS for PostgreSQL and Aurora instance families.
var dbFamilies = map[string]bool{
	"t3": true, "t4g": true, "m5": true, "m6g": true, "m6i": true, "m7g": true, "m7i": true,
	"r5": true, "r6g": true, "r6i": true, "r7g": true, "r7i": true,
}

type validator struct {
	lines Lines
	probs []Problem
}

func (v *validator) bad(path, format string, args ...any) {
	v.probs = append(v.probs, Problem{Line: v.lines[path], Path: path, Message: fmt.Sprintf(format, args...)})
}

// Validate checks the whole backend and returns every problem, each with its
// field path, the value and what is allowed. lines (from Parse) adds line
// numbers; it may be nil.
func (b Backend) Validate(file string, lines Lines) error {
	if lines == nil {
		lines = Lines{}
	}
	v := &validator{lines: lines}
	v.checkBounds(b)
	v.project(b)
	v.network(b.Network)
	v.edge(b.Edge)
	v.storage(b.Storage)
	v.database(b.Database)
	v.compute(b.Compute)
	v.bastion(b.Bastion)
	v.queue(b.Queue)
	v.alarms(b.Alarms)
	v.tags(b.Tags)
	v.suppressions(b.Suppressions)
	v.environments(b)
	v.deployTraps(b) // validate_deploy.go
	v.input(b)       // validate_input.go
	// In file order, as a compiler reports: problems without a line (a
	// value from the defaults) keep their order after the others.
	sort.SliceStable(v.probs, func(i, j int) bool {
		li, lj := v.probs[i].Line, v.probs[j].Line
		return li != 0 && (lj == 0 || li < lj)
	})
	if len(v.probs) > 0 {
		return &ConfigError{File: file, Problems: v.probs}
	}
	return nil
}

func (v *validator) project(b Backend) {
	n := b.Project.Name
	if len(n) < 3 || len(n) > maxProjectLen || !ProjectPattern.MatchString(n) {
		v.bad("project.name", "%q must be 3-%d lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (used in bucket names)", n, maxProjectLen)
	}
	if strings.TrimSpace(b.Project.Description) == "" || len(b.Project.Description) > 800 {
		v.bad("project.description", "must be 1-800 characters")
	}
}

func (v *validator) network(n Network) {
	p, err := netip.ParsePrefix(n.VPCCIDR)
	switch {
	case err != nil || !p.Addr().Is4() || !cidrPattern.MatchString(n.VPCCIDR):
		v.bad("network.vpcCidr", "%q is not an IPv4 CIDR block such as 10.0.0.0/16", n.VPCCIDR)
	case p != p.Masked():
		v.bad("network.vpcCidr", "%q has host bits set; the network address is %s", n.VPCCIDR, p.Masked())
	case p.Bits() < 16 || p.Bits() > 24:
		v.bad("network.vpcCidr", "%q must be a /16 to /24 block (AWS VPC sizes cfngen supports)", n.VPCCIDR)
	case vpcRangeProblem(p) != "":
		v.bad("network.vpcCidr", "%s", vpcRangeProblem(p))
	case within(Network{}, "SubnetPrefix", n.SubnetPrefix) && within(Network{}, "AZCount", n.AZCount):
		if n.SubnetPrefix < p.Bits() || 1<<(n.SubnetPrefix-p.Bits()) < 2*n.AZCount {
			v.bad("network.subnetPrefix", "%d subnets of /%d (public and private in %d AZs) do not fit in %s; use a larger VPC or a longer prefix", 2*n.AZCount, n.SubnetPrefix, n.AZCount, n.VPCCIDR)
		}
	}
}

func (v *validator) edge(e Edge) {
	if !healthPathPattern.MatchString(e.HealthCheckPath) || len(e.HealthCheckPath) > 1024 {
		v.bad("edge.healthCheckPath", "%q must be a URL path starting with / (at most 1024 characters)", e.HealthCheckPath)
	}
	if msg := sslPolicyProblem(e.SSLPolicy); msg != "" {
		v.bad("edge.sslPolicy", "%s", msg)
	}
}

func (v *validator) storage(s Storage) {
}

// engineVersion checks a major.minor version against the oldest minor of
// each major that AWS still lets new databases use.
func (v *validator) engineVersion(path, got string, oldest map[int]int) {
	m := versionPattern.FindStringSubmatch(got)
	if m == nil {
		v.bad(path, "%q must be a full major.minor version such as '17.9'", got)
		return
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	var allowed []string
	for _, mj := range []int{16, 17, 18} {
		if mn, ok := oldest[mj]; ok {
			allowed = append(allowed, fmt.Sprintf("%d.%d+", mj, mn))
		}
	}
	if mn, ok := oldest[major]; !ok || minor < mn {
		v.bad(path, "%q is deprecated or unknown (allowed: %s)", got, strings.Join(allowed, ", "))
	}
}

func (v *validator) database(d Database) {
	v.engineVersion("database.auroraEngineVersion", d.AuroraEngineVersion, map[int]int{16: 4, 17: 4})
	v.engineVersion("database.postgresEngineVersion", d.PostgresEngineVersion, map[int]int{16: 13, 17: 9, 18: 1})
	if len(d.ACURanges) == 0 {
		v.bad("database.acuRanges", "must list at least one range")
	}
	for i, r := range d.ACURanges {
		if msg := acuRangeProblem(r); msg != "" {
			v.bad(fmt.Sprintf("database.acuRanges[%d]", i), "%q %s", r, msg)
		}
	}
	if len(d.InstanceClasses) == 0 {
		v.bad("database.instanceClasses", "must list at least one class")
	}
	for i, c := range d.InstanceClasses {
		if !knownDBClass(c) {
			v.bad(fmt.Sprintf("database.instanceClasses[%d]", i), "%q is not a current RDS class (db.<family>.<size>, families t3, t4g, m5, m6g, m6i, m7g, m7i, r5, r6g, r6i, r7g, r7i)", c)
		}
	}
	if d.MaxAllocatedStorageGiB < d.AllocatedStorageGiB {
		v.bad("database.maxAllocatedStorageGiB", "%d must be at least allocatedStorageGiB (%d)", d.MaxAllocatedStorageGiB, d.AllocatedStorageGiB)
	}
	if p := d.PerformanceInsightsRetentionDays; !(p == 7 || p == 731 || (p%31 == 0 && p >= 31 && p <= 713)) {
		v.bad("database.performanceInsightsRetentionDays", "%d is not allowed (allowed: 7, a multiple of 31 from 31 to 713, or 731)", p)
	}
}

// acuRangeProblem describes what is wrong with an Aurora "min-max" range, or "".
func acuRangeProblem(r string) string {
	lo, hi, ok := strings.Cut(r, "-")
	if !ok || !acuPattern.MatchString(lo) || !acuPattern.MatchString(hi) {
		return "must be min-max in ACUs written as whole or half numbers, e.g. 0.5-2"
	}
	min, err1 := strconv.ParseFloat(lo, 64)
	max, err2 := strconv.ParseFloat(hi, 64)
	switch {
	case err1 != nil || err2 != nil:
		return "must be min-max in ACUs, e.g. 0.5-2"
	case min*2 != float64(int(min*2)) || max*2 != float64(int(max*2)):
		return "must use multiples of 0.5 ACU"
	case min < 0.5:
		return "has a minimum below 0.5 ACU (0 needs auto-pause, which never happens behind RDS Proxy)"
	case max > 256:
		return "has a maximum above 256 ACU"
	case min > max:
		return "has its minimum above its maximum"
	}
	return ""
}

func knownDBClass(c string) bool {
	parts := strings.Split(c, ".")
	return len(parts) == 3 && parts[0] == "db" && dbFamilies[parts[1]] && instanceSizes[parts[2]]
}

func knownInstanceType(t string) bool {
	fam, size, ok := strings.Cut(t, ".")
	return ok && instanceFamilies[fam] && instanceSizes[size]
}

func (v *validator) compute(c Compute) {
	if len(c.InstanceTypes) == 0 {
		v.bad("compute.instanceTypes", "must list at least one instance type")
	}
	seen := map[string]bool{}
	for i, it := range c.InstanceTypes {
		p := fmt.Sprintf("compute.instanceTypes[%d]", i)
		if !knownInstanceType(it.Name) {
			v.bad(p+".name", "%q is not a known x86 instance type (families t2, t3, t3a, m5-m7, c5-c7, r5-r7)", it.Name)
		}
		if !knownInstanceType(it.Alternative) {
			v.bad(p+".alternative", "%q is not a known x86 instance type (families t2, t3, t3a, m5-m7, c5-c7, r5-r7)", it.Alternative)
		} else if it.Alternative == it.Name {
			v.bad(p+".alternative", "%q must differ from the instance type: Spot needs two types", it.Alternative)
		} else if _, size, _ := strings.Cut(it.Name, "."); knownInstanceType(it.Name) && !strings.HasSuffix(it.Alternative, "."+size) {
			v.bad(p+".alternative", "%q must be the same size as %s (capacity is counted in instances)", it.Alternative, it.Name)
		}
		if seen[it.Name] {
			v.bad(p+".name", "%q is listed twice", it.Name)
		}
		seen[it.Name] = true
	}
}

func (v *validator) bastion(b Bastion) {
	if b.Enabled && !knownInstanceType(b.InstanceType) {
		v.bad("bastion.instanceType", "%q is not a known x86 instance type (e.g. t3.micro)", b.InstanceType)
	}
}

func (v *validator) queue(q Queue) {
	if q.DLQRetentionSeconds <= q.RetentionSeconds {
		v.bad("queue.dlqRetentionSeconds", "%d must be longer than retentionSeconds (%d), so failed messages outlive their originals", q.DLQRetentionSeconds, q.RetentionSeconds)
	}
}

func (v *validator) alarms(a Alarms) {
}

func (v *validator) tags(tags map[string]string) {
	if len(tags) > 50 {
		v.bad("tags", "%d tags, at most 50", len(tags))
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		val := tags[k]
		p := "tags." + k
		switch {
		case len(k) < 1 || len(k) > 128:
			v.bad(p, "tag keys must be 1-128 characters")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			v.bad(p, "tag keys starting with aws: are reserved")
		case secretKey.MatchString(k):
			v.bad(p, "tags are written to params/tags.json and shown in the console: no secrets")
		}
		if len(val) > 256 {
			v.bad(p, "tag values must be at most 256 characters")
		}
	}
}

func (v *validator) environments(b Backend) {
	if len(b.Environments) == 0 {
		v.bad("environments", "must name at least one environment")
		return
	}
	if _, ok := b.Env(b.DefaultEnvironment); !ok {
		v.bad("defaultEnvironment", "%q is not one of the environments (%s)", b.DefaultEnvironment, strings.Join(b.EnvNames(), ", "))
	}
	acu := map[string]bool{}
	for _, r := range b.Database.ACURanges {
		acu[r] = true
	}
	classes := map[string]bool{}
	for _, c := range b.Database.InstanceClasses {
		classes[c] = true
	}
	types := map[string]bool{}
	for _, t := range b.Compute.InstanceTypes {
		types[t.Name] = true
	}
	for _, e := range b.Environments {
		p := "environments." + e.Name
		if !EnvPattern.MatchString(e.Name) {
			v.bad(p, "environment names must be 2-9 lowercase letters or digits, starting with a letter (they are part of resource names)")
		} else if len(b.Project.Name)+len(e.Name) > bucketBudget {
			v.bad(p, "project name and environment together have %d characters, at most %d fit the bucket names (<project>-<env>-logs-<account>-<region>)", len(b.Project.Name)+len(e.Name), bucketBudget)
		}
		if e.MinInstances > e.MaxInstances {
			v.bad(p+".minInstances", "%d is above maxInstances (%d)", e.MinInstances, e.MaxInstances)
		}
		if !containsInt(logRetentionDays, e.LogRetentionDays) {
			v.bad(p+".logRetentionDays", "%d is not a retention CloudWatch Logs accepts (%s)", e.LogRetentionDays, joinInts(logRetentionDays))
		}
		v.params(b, e, p+".params", acu, classes, types)
	}
}

func (v *validator) params(b Backend, e Environment, p string, acu, classes, types map[string]bool) {
	pr := e.Params
	if pr.VPCName == "" || len(pr.VPCName) > 128 {
		v.bad(p+".vpcName", "must be 1-128 characters")
	}
	if b.Bastion.Enabled {
		prefix, err := netip.ParsePrefix(pr.SSHCIDR)
		switch {
		case err != nil || !prefix.Addr().Is4() || !cidrPattern.MatchString(pr.SSHCIDR):
			v.bad(p+".sshCidr", "%q is not an IPv4 CIDR such as 203.0.113.10/32", pr.SSHCIDR)
		case prefix != prefix.Masked():
			v.bad(p+".sshCidr", "%q has host bits set; did you mean %s?", pr.SSHCIDR, prefix.Masked())
		case prefix.Bits() == 0 && !b.Bastion.AllowSSHFromAnywhere:
			v.bad(p+".sshCidr", "0.0.0.0/0 opens SSH to the internet; use your own address (x.x.x.x/32) or set bastion.allowSshFromAnywhere: true")
		case prefix.Bits() < 16 && !b.Bastion.AllowSSHFromAnywhere:
			v.bad(p+".sshCidr", "%s opens SSH to %d addresses; use /16 to /32 (your own address: x.x.x.x/32) or set bastion.allowSshFromAnywhere: true", pr.SSHCIDR, 1<<(32-prefix.Bits()))
		}
		if pr.SSHKeyName != "" && !keyNamePattern.MatchString(pr.SSHKeyName) {
			v.bad(p+".sshKeyName", "%q must be 1-255 printable ASCII characters, or empty to create a key pair", pr.SSHKeyName)
		}
	}
	// The templates' ProdNeedsCertificate rule refuses a prod deploy without
	// a certificate; a prod params file without one would fail there.
	if e.Name == "prod" && pr.CertificateArn == "" && (e.Listed || e.Name == b.DefaultEnvironment) {
		v.bad(p+".certificateArn", "prod serves HTTPS only: set an ACM certificate ARN of the stack's region (the template refuses a prod deploy without one)")
	}
	if msg := certificateProblem(pr.CertificateArn); pr.CertificateArn != "" && msg != "" {
		v.bad(p+".certificateArn", "%q %s", pr.CertificateArn, msg)
	}
	if !acu[pr.ACURange] {
		v.bad(p+".acuRange", "%q is not one of database.acuRanges (%s)", pr.ACURange, strings.Join(b.Database.ACURanges, ", "))
	}
	if !classes[pr.InstanceClass] {
		v.bad(p+".instanceClass", "%q is not one of database.instanceClasses", pr.InstanceClass)
	}
	if !types[pr.InstanceType] {
		v.bad(p+".instanceType", "%q is not one of compute.instanceTypes", pr.InstanceType)
	}
	if msg := databaseNameProblem(pr.DatabaseName); msg != "" {
		v.bad(p+".databaseName", "%s", msg)
	}
	if msg := databaseUserProblem(pr.DatabaseUser); msg != "" {
		v.bad(p+".databaseUser", "%s", msg)
	}
	if pr.AlarmEmail != "" {
		if a, err := mail.ParseAddress(pr.AlarmEmail); err != nil || a.Address != pr.AlarmEmail || !strings.Contains(a.Address[strings.LastIndex(a.Address, "@"):], ".") {
			v.bad(p+".alarmEmail", "%q is not an e-mail address such as ops@example.com", pr.AlarmEmail)
		}
	}
	if pr.ApiDesiredCount < 0 || pr.ApiDesiredCount > minMaxTasks(b) {
		v.bad(p+".apiDesiredCount", "%d is out of range (0..%d, the smallest maxTasks of any environment)", pr.ApiDesiredCount, minMaxTasks(b))
	}
	if !imageTagPattern.MatchString(pr.ApiImageTag) {
		v.bad(p+".apiImageTag", "%q is not a valid image tag", pr.ApiImageTag)
	}
}

// minMaxTasks is the largest desired count every environment's scaling range
// admits: one template serves all environments.
func minMaxTasks(b Backend) int {
	lowest := 0
	for i, e := range b.Environments {
		if i == 0 || e.MaxTasks < lowest {
			lowest = e.MaxTasks
		}
	}
	return lowest
}

// MinMaxTasks is exported for the renderer's ApiDesiredCount constraint.
func (b Backend) MinMaxTasks() int { return minMaxTasks(b) }

func containsInt(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

func joinInts(list []int) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ", ")
}

var (
	suppressRulePattern     = lazyRE(`^[A-Z][0-9]{3}$`)
	suppressResourcePattern = lazyRE(`^[A-Za-z0-9]{1,255}$`)
)

// suppressions checks the form of the config's suppressions; whether the
// rule exists and matches a finding is checked when the templates are
// rendered.
func (v *validator) suppressions(list []Suppression) {
	seen := map[string]int{}
	for i, s := range list {
		path := fmt.Sprintf("suppressions[%d]", i)
		if !suppressRulePattern.MatchString(s.Rule) {
			v.bad(path+".rule", "%q must be a rule id such as C624 (cfngen validate --rules lists them)", s.Rule)
		}
		if !suppressResourcePattern.MatchString(s.Resource) {
			v.bad(path+".resource", "%q must be a logical id of the templates, such as BastionSecurityGroup", s.Resource)
		}
		if r := strings.TrimSpace(s.Reason); len(r) < 10 || len(r) > 200 || strings.ContainsAny(s.Reason, "\n\r") {
			v.bad(path+".reason", "must say in one line of 10-200 characters why the finding is intended")
		}
		if s.Expires != "" {
			if _, err := time.Parse("2006-01-02", s.Expires); err != nil || len(s.Expires) != 10 {
				v.bad(path+".expires", "%q must be a date YYYY-MM-DD", s.Expires)
			}
		}
		key := s.Rule + " " + s.Resource
		if j, dup := seen[key]; dup {
			v.bad(path, "suppresses %s on %s again (already suppressions[%d])", s.Rule, s.Resource, j)
		}
		seen[key] = i
	}
}
