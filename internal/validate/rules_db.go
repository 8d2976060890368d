package validate

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// Database rules: Aurora Serverless v2, RDS instances, their credentials,
// monitoring and RDS Proxy.
var dbRuleSet = []Rule{
	{ID: "D510", Severity: Error, Title: "an Aurora Serverless v2 cluster has an unconditional db.serverless writer",
		Fix: "add an AWS::RDS::DBInstance with DBInstanceClass db.serverless and DBClusterIdentifier !Ref <cluster>, without a Condition", Check: dbCheckWriter},
	{ID: "D511", Severity: Error, Title: "database engine versions are current and quoted",
		Fix: "use a version RDS offers, as a quoted string (aws rds describe-db-engine-versions --engine <engine> lists them)", Check: dbCheckVersions},
	{ID: "D512", Severity: Error, Title: "cluster-level properties are set on the cluster, instance-level on the instance",
		Fix: "move the property to the AWS::RDS::DBCluster (Aurora manages storage; AllocatedStorage, Iops and DBClusterInstanceClass are for Multi-AZ DB clusters)", Check: dbCheckMisplaced},
	{ID: "D513", Severity: Error, Title: "enhanced monitoring has a valid interval and a role RDS can assume",
		Fix: "set MonitoringInterval to 1, 5, 10, 15, 30 or 60 and MonitoringRoleArn to !GetAtt of a role trusted by monitoring.rds.amazonaws.com", Check: dbCheckMonitoring},
	{ID: "D514", Severity: Error, Title: "no service-linked role for RDS",
		Fix: "remove the AWS::IAM::ServiceLinkedRole: RDS creates AWSServiceRoleForRDS itself", Check: dbCheckServiceLinkedRole},
	{ID: "D515", Severity: Error, Title: "an RDS Proxy target group targets clusters or instances, not both",
		Fix: "set DBClusterIdentifiers (Aurora) or DBInstanceIdentifiers (RDS instance), exactly one of them", Check: dbCheckProxyTargets},
	{ID: "D516", Severity: Error, Title: "master passwords do not come from parameters",
		Fix: "generate the password in Secrets Manager and use '{{resolve:secretsmanager:<secret>:SecretString:password}}', or ManageMasterUserPassword: true", Check: dbCheckPasswords},
	{ID: "D517", Severity: Warning, Title: "RDS Proxy requires TLS and its role can read the secret",
		Fix: "set RequireTLS: true and give the proxy role secretsmanager:GetSecretValue on the database secret", Check: dbCheckProxy},
	{ID: "D518", Severity: Error, Title: "Aurora Serverless v2 capacity is valid",
		Fix: "use ACUs in 0.5 steps, MinCapacity <= MaxCapacity <= 256, and MinCapacity >= 0.5 behind RDS Proxy", Check: dbCheckCapacity},
	{ID: "D519", Severity: Warning, Title: "Performance Insights retention is a valid period",
		Fix: "use 7, a multiple of 31 up to 713 (months), or 731", Check: dbCheckPIRetention},
	{ID: "D548", Severity: Error, Title: "database storage type and size meet what the engine needs",
		Fix: "give gp2/gp3 at least 20 GiB and io1/io2 at least 100 GiB with Iops (Iops on gp3 only from 400 GiB); Aurora clusters take StorageType aurora or aurora-iopt1", Check: dbCheckStorage},
}

// dbSet reports whether a property is given (not absent, null or
// !Ref AWS::NoValue).
func dbSet(props map[string]any, key string) bool {
	v, ok := props[key]
	return ok && v != nil && !isRef(v, "AWS::NoValue")
}

// dbMaybeAbsent reports whether a value is absent in some branch:
// !Ref AWS::NoValue or a Fn::If with such a branch.
func dbMaybeAbsent(v any) bool {
	if isRef(v, "AWS::NoValue") {
		return true
	}
	if f, a, ok := fn(v); ok && f == "Fn::If" {
		if l, ok := a.([]any); ok && len(l) == 3 {
			return dbMaybeAbsent(l[1]) || dbMaybeAbsent(l[2])
		}
	}
	return false
}

// dbName names a resource in a message: "cluster Db", "instance Db".
func dbName(r Resource) string {
	kind := map[string]string{"AWS::RDS::DBCluster": "cluster", "AWS::RDS::DBInstance": "instance",
		"AWS::SecretsManager::Secret": "secret"}[r.Type]
	if kind == "" {
		return r.ID
	}
	return kind + " " + r.ID
}

func dbCondition(r Resource) string {
	c, _ := r.Body["Condition"].(string)
	return c
}

// dbInCluster reports whether an instance names a cluster: !Ref, or the
// same literal DBClusterIdentifier.
func dbInCluster(inst, cluster Resource) bool {
	v := inst.Properties["DBClusterIdentifier"]
	if isRef(v, cluster.ID) {
		return true
	}
	a, ok1 := literal(v)
	b, ok2 := literal(cluster.Properties["DBClusterIdentifier"])
	return ok1 && ok2 && a != "" && strings.EqualFold(a, b)
}

// D510

func dbCheckWriter(t *Template) []Finding {
	var out []Finding
	for _, c := range t.OfType("AWS::RDS::DBCluster") {
		if !dbSet(c.Properties, "ServerlessV2ScalingConfiguration") {
			continue
		}
		var writer bool
		var conditional []string
		for _, i := range t.OfType("AWS::RDS::DBInstance") {
			if !dbInCluster(i, c) {
				continue
			}
			// A class chosen by an intrinsic may be db.serverless: count it.
			if cls, ok := literal(i.Properties["DBInstanceClass"]); ok && !strings.EqualFold(cls, "db.serverless") {
				continue
			}
			if cond := dbCondition(i); cond == "" || cond == dbCondition(c) {
				writer = true
			} else {
				conditional = append(conditional, fmt.Sprintf("%s (Condition %s)", i.ID, cond))
			}
		}
		switch {
		case writer:
		case len(conditional) > 0:
			out = append(out, at(c, "", "Aurora Serverless v2 cluster %s has db.serverless instances only under a Condition: %s; when it is false the cluster has no writer", c.ID, strings.Join(conditional, ", ")))
		default:
			out = append(out, at(c, "ServerlessV2ScalingConfiguration", "Aurora Serverless v2 cluster %s has no AWS::RDS::DBInstance with DBInstanceClass db.serverless and DBClusterIdentifier !Ref %s: it has no writer and no compute", c.ID, c.ID))
		}
	}
	return out
}

// D511

func dbCheckVersions(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		if r.Type != "AWS::RDS::DBCluster" && r.Type != "AWS::RDS::DBInstance" {
			continue
		}
		v := r.Properties["EngineVersion"]
		if n, ok := v.(json.Number); ok {
			num := string(n)
			read := num
			if f, err := strconv.ParseFloat(num, 64); err == nil {
				read = strconv.FormatFloat(f, 'f', -1, 64)
			}
			example := "YAML reads 16.10 as 16.1"
			if read != num {
				example = fmt.Sprintf("YAML reads %s as %s", num, read)
			}
			if strings.EqualFold(filepath.Ext(t.Path), ".json") {
				example = "a JSON number loses trailing zeros (16.10 is 16.1)"
			}
			f := at(r, "EngineVersion", "%s: EngineVersion %s is a number, not a string: quote it: %s", dbName(r), num, example)
			f.Fix = fmt.Sprintf("write EngineVersion: '%s' (quoted)", num)
			if read == num {
				// CloudFormation passes the same text: a risk, not a defect.
				f.Severity = Warning
			}
			out = append(out, f)
			continue
		}
		version, ok := literal(v)
		engine, ok2 := literal(r.Properties["Engine"])
		if !ok || !ok2 {
			continue
		}
		kind := "instance"
		if r.Type == "AWS::RDS::DBCluster" {
			kind = "cluster"
		}
		if p := rdsVersionProblem(kind, engine, version); p != "" {
			// The data says what RDS offers, not what it refuses: a
			// warning, never an error.
			f := at(r, "EngineVersion", "%s: %s", dbName(r), p)
			f.Severity = Warning
			out = append(out, f)
		}
	}
	return out
}

// D512

var (
	// dbClusterOwned are the DBInstance properties an Aurora cluster owns.
	dbClusterOwned = []string{"AllocatedStorage", "MasterUsername", "MasterUserPassword", "BackupRetentionPeriod",
		"StorageEncrypted", "DeletionProtection", "DBName", "StorageType", "Iops", "MultiAZ", "KmsKeyId",
		"PreferredBackupWindow", "CopyTagsToSnapshot"}
	// dbMultiAZClusterOnly are the DBCluster properties only Multi-AZ DB
	// clusters (not Aurora) take.
	dbMultiAZClusterOnly = []string{"AllocatedStorage", "Iops", "DBClusterInstanceClass"}
)

func dbCheckMisplaced(t *Template) []Finding {
	var out []Finding
	for _, i := range t.OfType("AWS::RDS::DBInstance") {
		if !dbSet(i.Properties, "DBClusterIdentifier") || dbMaybeAbsent(i.Properties["DBClusterIdentifier"]) {
			continue
		}
		for _, p := range dbClusterOwned {
			if !dbSet(i.Properties, p) || dbMaybeAbsent(i.Properties[p]) {
				continue
			}
			if s, ok := literal(i.Properties[p]); ok && p == "MultiAZ" && strings.EqualFold(s, "false") {
				continue // the value Aurora instances have anyway
			}
			f := at(i, p, "%s belongs to an Aurora cluster but sets %s, which the cluster owns", i.ID, p)
			if p == "CopyTagsToSnapshot" {
				// Documented as having no effect rather than failing.
				f.Severity = Warning
				f.Message = fmt.Sprintf("%s belongs to an Aurora cluster but sets CopyTagsToSnapshot, which has no effect on an Aurora instance", i.ID)
			}
			out = append(out, f)
		}
	}
	for _, c := range t.OfType("AWS::RDS::DBCluster") {
		engine, ok := literal(c.Properties["Engine"])
		if !ok || !strings.HasPrefix(strings.ToLower(engine), "aurora") {
			continue
		}
		for _, p := range dbMultiAZClusterOnly {
			if dbSet(c.Properties, p) && !dbMaybeAbsent(c.Properties[p]) {
				out = append(out, at(c, p, "%s is an Aurora cluster (%s) but sets %s, which only Multi-AZ DB clusters take", c.ID, engine, p))
			}
		}
	}
	return out
}

// D513

var dbMonitoringIntervals = []string{"0", "1", "5", "10", "15", "30", "60"}

func dbCheckMonitoring(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		if r.Type != "AWS::RDS::DBCluster" && r.Type != "AWS::RDS::DBInstance" {
			continue
		}
		if n, ok := number(r.Properties["MonitoringInterval"]); ok {
			s := strconv.FormatFloat(n, 'f', -1, 64)
			switch {
			case !contains(dbMonitoringIntervals, s):
				out = append(out, at(r, "MonitoringInterval", "%s: MonitoringInterval %s is not one of 0, 1, 5, 10, 15, 30, 60", dbName(r), s))
			case n > 0 && !dbSet(r.Properties, "MonitoringRoleArn"):
				out = append(out, at(r, "MonitoringInterval", "%s: MonitoringInterval %s without MonitoringRoleArn: RDS refuses enhanced monitoring without a role", dbName(r), s))
			}
		}
		arn := r.Properties["MonitoringRoleArn"]
		role, ok := t.Resource(refTarget(arn))
		if !ok || role.Type != "AWS::IAM::Role" {
			continue
		}
		if f, _, _ := fn(arn); f == "Ref" {
			out = append(out, at(r, "MonitoringRoleArn", "%s: MonitoringRoleArn is !Ref %s, which is the role's name, not its ARN", dbName(r), role.ID))
			continue
		}
		if trusts, known := dbTrusts(role, "monitoring.rds.amazonaws.com"); known && !trusts {
			out = append(out, at(r, "MonitoringRoleArn", "%s: monitoring role %s does not trust monitoring.rds.amazonaws.com, so RDS cannot assume it", dbName(r), role.ID))
		}
	}
	return out
}

// dbStrings lists the literal strings of a string-or-list value, with
// Fn::Sub ${AWS::URLSuffix} resolved to amazonaws.com.
func dbStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, dbStrings(e)...)
		}
		return out
	}
	if f, a, ok := fn(v); ok && f == "Fn::Sub" {
		s, _ := subParts(a)
		return []string{strings.ReplaceAll(s, "${AWS::URLSuffix}", "amazonaws.com")}
	}
	return nil
}

func dbAllowStatement(st map[string]any) bool {
	e, _ := st["Effect"].(string)
	return e == "Allow"
}

// dbTrusts reports whether a role's trust policy lets a service assume it.
func dbTrusts(role Resource, service string) (trusts, known bool) {
	sts, known := policyStatements(role.Properties["AssumeRolePolicyDocument"])
	if !known {
		return false, false
	}
	for _, st := range sts {
		p, _ := st["Principal"].(map[string]any)
		if !dbAllowStatement(st) || p == nil {
			continue
		}
		for _, s := range dbStrings(p["Service"]) {
			if strings.EqualFold(s, service) {
				return true, true
			}
		}
	}
	return false, true
}

// D514

func dbCheckServiceLinkedRole(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType("AWS::IAM::ServiceLinkedRole") {
		for _, s := range dbStrings(r.Properties["AWSServiceName"]) {
			if strings.EqualFold(s, "rds.amazonaws.com") {
				out = append(out, at(r, "AWSServiceName", "%s creates the RDS service-linked role, which already exists in any account that used RDS: the stack fails", r.ID))
			}
		}
	}
	return out
}

// D515

func dbCheckProxyTargets(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType("AWS::RDS::DBProxyTargetGroup") {
		has := func(k string) bool {
			if l, ok := r.Properties[k].([]any); ok && len(l) == 0 {
				return false
			}
			return dbSet(r.Properties, k)
		}
		c, i := has("DBClusterIdentifiers"), has("DBInstanceIdentifiers")
		switch {
		case c && i:
			out = append(out, at(r, "DBInstanceIdentifiers", "proxy target group %s sets both DBClusterIdentifiers and DBInstanceIdentifiers", r.ID))
		case !c && !i:
			out = append(out, at(r, "", "proxy target group %s sets neither DBClusterIdentifiers nor DBInstanceIdentifiers: the proxy has no target", r.ID))
		}
	}
	return out
}

// D516

// dbSecretParam reports whether a parameter looks like it carries a secret:
// NoEcho or a name with "password"; with anyString, also any String one.
func dbSecretParam(t *Template, name string, anyString bool) bool {
	def, ok := t.Section("Parameters")[name].(map[string]any)
	if !ok {
		return false
	}
	typ, _ := def["Type"].(string)
	return truthy(def["NoEcho"]) || strings.Contains(strings.ToLower(name), "password") || (anyString && typ == "String")
}

// dbDynamicRef reports whether a Sub or Join argument builds a dynamic
// reference ({{resolve:...}}), the right way to pass a secret.
func dbDynamicRef(a any) bool {
	for _, s := range stringsIn(a) {
		if strings.Contains(s, "{{resolve:") {
			return true
		}
	}
	return false
}

// dbSecretParams lists the secret-looking parameters a value is built from,
// outside dynamic references.
func dbSecretParams(t *Template, v any, anyString bool) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			out = append(out, dbSecretParams(t, e, anyString)...)
		}
		return out
	case map[string]any:
		f, a, isFn := fn(v)
		switch {
		case isFn && f == "Ref":
			if name, ok := a.(string); ok && dbSecretParam(t, name, anyString) {
				out = append(out, name)
			}
			return out
		case isFn && (f == "Fn::Sub" || f == "Fn::Join") && dbDynamicRef(a):
			return nil
		case isFn && f == "Fn::Sub":
			s, vars := subParts(a)
			for _, name := range cfn.SubVars(s) {
				if _, local := vars[name]; !local && dbSecretParam(t, name, anyString) {
					out = append(out, name)
				}
			}
			for _, k := range keys(vars) {
				out = append(out, dbSecretParams(t, vars[k], anyString)...)
			}
			return out
		}
		for _, k := range keys(x) {
			out = append(out, dbSecretParams(t, x[k], anyString)...)
		}
	}
	return out
}

func dbCheckPasswords(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		switch r.Type {
		case "AWS::RDS::DBCluster", "AWS::RDS::DBInstance":
			for _, p := range dbSecretParams(t, r.Properties["MasterUserPassword"], true) {
				out = append(out, at(r, "MasterUserPassword", "%s: MasterUserPassword comes from parameter %s, so the password sits in a parameters file or shell history and in the stack's parameters", dbName(r), p))
			}
		case "AWS::SecretsManager::Secret":
			// A String parameter in a SecretString may be a user name or a
			// host; only NoEcho or password-named ones are flagged here.
			v := r.Properties["SecretString"]
			if f, _, ok := fn(v); !ok || (f != "Fn::Sub" && f != "Fn::Join") {
				continue
			}
			for _, p := range dbSecretParams(t, v, false) {
				f := at(r, "SecretString", "%s: SecretString is built from parameter %s: the secret is only as safe as the parameters file", dbName(r), p)
				f.Fix = "generate the password with GenerateSecretString (SecretStringTemplate for the other keys) instead of building SecretString from a parameter"
				out = append(out, f)
			}
		}
	}
	return out
}

// D517

// dbActionMatches reports whether an IAM action pattern (wildcards allowed)
// covers an action.
func dbActionMatches(pattern, action string) bool {
	ok, err := path.Match(strings.ToLower(pattern), strings.ToLower(action))
	return ok && err == nil
}

// dbPolicyAllows reports whether a policy document allows an action; known
// is false when the document is computed.
func dbPolicyAllows(doc any, action string, on func(resource any) bool) (allows, known bool) {
	sts, known := policyStatements(doc)
	if !known {
		return false, false
	}
	for _, st := range sts {
		if !dbAllowStatement(st) {
			continue
		}
		if _, not := st["NotResource"]; on != nil && !not && !on(st["Resource"]) {
			continue
		}
		if _, ok := st["NotAction"]; ok {
			return true, true // an Allow with NotAction: assume it covers the action
		}
		for _, a := range dbStrings(st["Action"]) {
			if dbActionMatches(a, action) {
				return true, true
			}
		}
	}
	return false, true
}

// dbRoleAllows reports whether a role defined in the template is allowed an
// action by its inline policies or the template's policies attached to it;
// known is false when a policy is computed or managed outside the template.
// With on, only statements whose Resource on accepts count.
func dbRoleAllows(t *Template, role Resource, action string, on func(resource any) bool) (allows, known bool) {
	known = true
	check := func(doc any) {
		a, k := dbPolicyAllows(doc, action, on)
		allows = allows || a
		known = known && k
	}
	switch ps := role.Properties["Policies"].(type) {
	case nil:
	case []any:
		for _, p := range ps {
			m, _ := p.(map[string]any)
			check(m["PolicyDocument"])
		}
	default:
		known = false
	}
	if arns, ok := role.Properties["ManagedPolicyArns"]; ok {
		l, isList := arns.([]any)
		if !isList {
			known = false
		}
		for _, a := range l {
			mp, ok := t.Resource(refTarget(a))
			if !ok || mp.Type != "AWS::IAM::ManagedPolicy" {
				known = false // an AWS managed or external policy
				continue
			}
			check(mp.Properties["PolicyDocument"])
		}
	}
	for _, p := range t.Resources() {
		var attached bool
		switch p.Type {
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			attached = contains(references(p.Properties["Roles"]), role.ID)
		case "AWS::IAM::RolePolicy":
			attached = isRef(p.Properties["RoleName"], role.ID)
		}
		if attached {
			check(p.Properties["PolicyDocument"])
		}
	}
	return allows, known
}

func dbCheckProxy(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType("AWS::RDS::DBProxy") {
		v, isLit := literal(r.Properties["RequireTLS"])
		if !dbSet(r.Properties, "RequireTLS") || isLit && !strings.EqualFold(v, "true") {
			out = append(out, at(r, "RequireTLS", "proxy %s does not set RequireTLS: true, so clients may connect without TLS", r.ID))
		}
		role, ok := t.Resource(refTarget(r.Properties["RoleArn"]))
		if !ok || role.Type != "AWS::IAM::Role" {
			continue
		}
		if allows, known := dbRoleAllows(t, role, "secretsmanager:GetSecretValue", nil); known && !allows {
			out = append(out, at(r, "RoleArn", "proxy %s uses role %s, which is not allowed secretsmanager:GetSecretValue: the proxy cannot read the database secret", r.ID, role.ID))
			continue
		}
		secrets, sure := t.dbProxySecrets(r)
		if !sure {
			continue
		}
		on := func(resource any) bool { return t.dbResourceMayBe(resource, secrets) }
		if allows, known := dbRoleAllows(t, role, "secretsmanager:GetSecretValue", on); known && !allows {
			out = append(out, at(r, "RoleArn", "proxy %s uses role %s, which is allowed secretsmanager:GetSecretValue only on other resources, not on the secret of its Auth (%s): the proxy cannot read the database secret", r.ID, role.ID, strings.Join(secrets, ", ")))
		}
	}
	return out
}

// dbSecretKey names a reference to a secret in the template: "S" for !Ref S
// (a SecretTargetAttachment stands for its secret), "DB.MasterUserSecret.SecretArn"
// for the secret RDS manages. ok is false for anything else.
func (t *Template) dbSecretKey(v any) (string, bool) {
	f, a, isFn := fn(v)
	if !isFn {
		return "", false
	}
	if f == "Fn::Sub" {
		str, vars := subParts(a)
		name, only := cfn.SubOnly(str)
		if !only || len(vars) > 0 {
			return "", false
		}
		id, attr, _ := strings.Cut(name, ".")
		if attr == "" {
			return t.dbSecretKey(map[string]any{"Ref": id})
		}
		return t.dbSecretKey(map[string]any{"Fn::GetAtt": []any{id, attr}})
	}
	id := refTarget(v)
	r, ok := t.Resource(id)
	if !ok {
		return "", false
	}
	switch f {
	case "Ref":
		if r.Type == "AWS::SecretsManager::SecretTargetAttachment" {
			return t.dbSecretKey(r.Properties["SecretId"])
		}
		return id, true
	case "Fn::GetAtt":
		_, attr, _ := getAttParts(a)
		return id + "." + attr, attr != ""
	}
	return "", false
}

// dbProxySecrets lists the secrets a proxy's Auth reads; sure is false when
// one of them is not a reference to a resource of the template.
func (t *Template) dbProxySecrets(proxy Resource) (keys []string, sure bool) {
	auth, _ := proxy.Properties["Auth"].([]any)
	for _, a := range auth {
		m, _ := a.(map[string]any)
		k, ok := t.dbSecretKey(m["SecretArn"])
		if !ok {
			return nil, false
		}
		keys = append(keys, k)
	}
	return keys, len(keys) > 0
}

// dbResourceMayBe reports whether a policy statement's Resource may name one
// of the secrets: it is sure only that a reference to another resource of
// the template is not one of them.
func (t *Template) dbResourceMayBe(resource any, secrets []string) bool {
	items, isList := resource.([]any)
	if !isList {
		items = []any{resource}
	}
	for _, item := range items {
		k, ok := t.dbSecretKey(item)
		if !ok || contains(secrets, k) {
			return true
		}
	}
	return false
}

// D518

func dbCheckCapacity(t *Template) []Finding {
	var out []Finding
	for _, c := range t.OfType("AWS::RDS::DBCluster") {
		cfg, ok := c.Properties["ServerlessV2ScalingConfiguration"].(map[string]any)
		if !ok {
			continue
		}
		const base = "ServerlessV2ScalingConfiguration/"
		lo, hasLo := number(cfg["MinCapacity"])
		hi, hasHi := number(cfg["MaxCapacity"])
		for _, e := range []struct {
			name string
			v    float64
			has  bool
		}{{"MinCapacity", lo, hasLo}, {"MaxCapacity", hi, hasHi}} {
			if e.has && e.v*2 != float64(int64(e.v*2)) {
				out = append(out, at(c, base+e.name, "%s: %s %v is not a multiple of 0.5 ACU", dbName(c), e.name, e.v))
			}
		}
		if hasHi && hi > 256 {
			out = append(out, at(c, base+"MaxCapacity", "%s: MaxCapacity %v is above the 256 ACU maximum", dbName(c), hi))
		}
		if hasLo && hasHi && lo > hi {
			out = append(out, at(c, base+"MinCapacity", "%s: MinCapacity %v is above MaxCapacity %v", dbName(c), lo, hi))
		}
		if s, ok := number(cfg["SecondsUntilAutoPause"]); ok && (s < 300 || s > 86400) {
			out = append(out, at(c, base+"SecondsUntilAutoPause", "%s: SecondsUntilAutoPause %v is outside 300-86400", dbName(c), s))
		}
		if hasLo && lo == 0 {
			for _, tg := range t.OfType("AWS::RDS::DBProxyTargetGroup") {
				if contains(references(tg.Properties["DBClusterIdentifiers"]), c.ID) {
					out = append(out, at(c, base+"MinCapacity", "%s: MinCapacity 0 (auto-pause) behind RDS Proxy target group %s: the proxy's connections keep the cluster from ever pausing", dbName(c), tg.ID))
				}
			}
		}
	}
	return out
}

// D519

func dbCheckPIRetention(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		if r.Type != "AWS::RDS::DBCluster" && r.Type != "AWS::RDS::DBInstance" {
			continue
		}
		n, ok := number(r.Properties["PerformanceInsightsRetentionPeriod"])
		if !ok {
			continue
		}
		d := int(n)
		if float64(d) == n && (d == 7 || d == 731 || d%31 == 0 && d >= 31 && d <= 713) {
			continue
		}
		out = append(out, at(r, "PerformanceInsightsRetentionPeriod", "%s: PerformanceInsightsRetentionPeriod %v is not 7, 31 times 1-23 months, or 731 days", dbName(r), n))
	}
	return out
}

// D548

// dbStorageMin is the smallest AllocatedStorage (GiB) per storage type of
// RDS for PostgreSQL, MySQL, MariaDB and Db2 (the CreateDBInstance
// constraints); Db2 has no gp2 or magnetic storage.
var dbStorageMin = map[string]float64{"gp2": 20, "gp3": 20, "io1": 100, "io2": 100, "standard": 5}

// dbStorageEngines are the engines dbStorageMin is stated for.
var dbStorageEngines = []string{"postgres", "mysql", "mariadb", "db2-se", "db2-ae"}

func dbCheckStorage(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType("AWS::RDS::DBInstance") {
		engine, ok := literal(r.Properties["Engine"])
		if !ok || !contains(dbStorageEngines, strings.ToLower(engine)) || dbSet(r.Properties, "DBClusterIdentifier") {
			continue
		}
		restored := dbSet(r.Properties, "DBSnapshotIdentifier") || dbSet(r.Properties, "SourceDBInstanceIdentifier") ||
			dbSet(r.Properties, "SourceDBInstanceAutomatedBackupsArn") || dbSet(r.Properties, "RestoreTime") || dbSet(r.Properties, "UseLatestRestorableTime")
		size, set := r.Properties["AllocatedStorage"]
		if !set {
			if !restored {
				out = append(out, at(r, "", "%s (%s) sets no AllocatedStorage: RDS needs a size for a new instance", r.ID, engine))
			}
			continue
		}
		typ, lit := literal(r.Properties["StorageType"])
		_, stated := r.Properties["StorageType"]
		if !stated {
			// The RDS API defaults to General Purpose SSD (io1 with
			// Iops); older templates relied on magnetic storage being
			// the default, so an unstated type is only a warning.
			typ, lit = "gp3", true
			if dbSet(r.Properties, "Iops") {
				typ = "io1"
			}
		}
		gib, isNum := number(size)
		if !lit || !isNum {
			continue
		}
		typ = strings.ToLower(typ)
		if min, ok := dbStorageMin[typ]; ok && gib < min {
			if stated {
				out = append(out, at(r, "AllocatedStorage", "%s (%s) allocates %g GiB of %s storage, below its minimum of %g GiB: RDS refuses it", r.ID, engine, gib, typ, min))
			} else {
				f := at(r, "AllocatedStorage", "%s (%s) allocates %g GiB and states no StorageType: the default, General Purpose SSD, takes at least %g GiB", r.ID, engine, gib, min)
				f.Severity = Warning
				out = append(out, f)
			}
		}
		iops := dbSet(r.Properties, "Iops")
		switch {
		case (typ == "io1" || typ == "io2") && !iops:
			out = append(out, at(r, "StorageType", "%s uses %s storage without Iops: provisioned IOPS storage needs them", r.ID, typ))
		case typ == "gp3" && iops && gib < 400 && engine != "db2-se" && engine != "db2-ae":
			out = append(out, at(r, "Iops", "%s sets Iops on %g GiB of gp3 storage: %s below 400 GiB has a fixed baseline of 3,000 IOPS", r.ID, gib, engine))
		}
	}
	for _, c := range t.OfType("AWS::RDS::DBCluster") {
		engine, _ := literal(c.Properties["Engine"])
		typ, ok := literal(c.Properties["StorageType"])
		if ok && strings.HasPrefix(strings.ToLower(engine), "aurora") && typ != "aurora" && typ != "aurora-iopt1" {
			out = append(out, at(c, "StorageType", "%s is an Aurora cluster but sets StorageType %s (Aurora takes aurora or aurora-iopt1)", c.ID, typ))
		}
	}
	return out
}
