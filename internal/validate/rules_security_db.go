package validate

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// Security rules (C6xx): the checks on databases and secrets.

// --- databases ---

const (
	secClusterType  = "AWS::RDS::DBCluster"
	secInstanceType = "AWS::RDS::DBInstance"
)

// secStandalone lists DB instances that are not members of a cluster.
func (t *Template) secStandalone() []Resource {
	var out []Resource
	for _, r := range t.OfType(secInstanceType) {
		if _, replica := r.Properties["SourceDBInstanceIdentifier"]; replica {
			continue // a read replica has its source's storage and backups
		}
		if _, inCluster := r.Properties["DBClusterIdentifier"]; !inCluster {
			out = append(out, r)
		}
	}
	return out
}

// secDatabases lists clusters and standalone instances: where storage,
// backups and deletion protection are set.
func (t *Template) secDatabases() []Resource {
	return append(append([]Resource{}, t.OfType(secClusterType)...), t.secStandalone()...)
}

func secDBEncrypted(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		v, set := r.Properties["StorageEncrypted"]
		if _, _, isFn := fn(v); isFn {
			continue
		}
		if !set || !truthy(v) {
			out = append(out, at(r, "StorageEncrypted", "%s does not set StorageEncrypted: true", r.ID))
		}
	}
	return out
}

func secDBPublic(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType(secInstanceType) {
		v, set := r.Properties["PubliclyAccessible"]
		switch {
		case !set:
			// Private subnets make the instance private by default.
			f := at(r, "", "%s does not set PubliclyAccessible: false (the default depends on the subnet group: public if its subnets are all public)", r.ID)
			f.Severity = Warning
			out = append(out, f)
		case mayBeTrue(v):
			out = append(out, at(r, "PubliclyAccessible", "%s is publicly accessible", r.ID))
		}
	}
	return out
}

func secDBBackups(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		v, set := r.Properties["BackupRetentionPeriod"]
		if !set {
			out = append(out, at(r, "", "%s sets no BackupRetentionPeriod: backups are kept 1 day", r.ID))
			continue
		}
		if n, ok := number(v); ok {
			if n < 7 {
				out = append(out, at(r, "BackupRetentionPeriod", "%s keeps backups %g day(s)", r.ID, n))
			}
			continue
		}
		name := refTarget(v)
		def, isParam := t.Section("Parameters")[name].(map[string]any)
		if !isParam {
			continue
		}
		if val, ok := t.paramValue(name); ok {
			if n, ok := number(val); ok && n < 7 {
				out = append(out, at(r, "BackupRetentionPeriod", "%s keeps backups %s = %g day(s)", r.ID, name, n))
				continue
			}
		}
		if n, ok := number(def["MinValue"]); !ok || n < 1 {
			out = append(out, at(r, "BackupRetentionPeriod", "parameter %s has no MinValue of at least 1: 0 would turn backups off", name))
		}
	}
	return out
}

func secDBDeletion(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		v, set := r.Properties["DeletionProtection"]
		if !set {
			out = append(out, at(r, "", "%s sets no DeletionProtection", r.ID))
		} else if s, ok := literal(v); ok && !strings.EqualFold(s, "true") {
			out = append(out, at(r, "DeletionProtection", "%s sets DeletionProtection %s", r.ID, s))
		}
		if p, _ := r.Body["DeletionPolicy"].(string); p != "Snapshot" && p != "Retain" {
			if p == "" {
				p = "Delete (the default)"
			}
			f := at(r, "", "%s has DeletionPolicy %s: deleting the stack deletes the data", r.ID, p)
			f.Path = "Resources/" + r.ID + "/DeletionPolicy"
			if _, ok := r.Body["DeletionPolicy"]; !ok {
				f.Path = "Resources/" + r.ID
			}
			out = append(out, f)
		}
	}
	return out
}

func secPostgres(r Resource) bool {
	e, _ := literal(r.Properties["Engine"])
	return strings.Contains(e, "postgres")
}

func secDBLogs(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		if !secPostgres(r) {
			continue
		}
		v, set := r.Properties["EnableCloudwatchLogsExports"]
		if _, _, isFn := fn(v); isFn {
			continue
		}
		if !set || !contains(secStrings(v), "postgresql") {
			out = append(out, at(r, "EnableCloudwatchLogsExports", "%s does not export the postgresql log", r.ID))
		}
	}
	return out
}

func secDBMinorUpgrades(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType(secInstanceType) {
		if s, ok := literal(r.Properties["AutoMinorVersionUpgrade"]); ok && strings.EqualFold(s, "false") {
			out = append(out, at(r, "AutoMinorVersionUpgrade", "%s turns minor version upgrades off", r.ID))
		}
	}
	return out
}

// secIAMAuthEngines are the engines with IAM database authentication.
var secIAMAuthEngines = map[string]bool{"mysql": true, "postgres": true, "mariadb": true, "aurora": true, "aurora-mysql": true, "aurora-postgresql": true}

func secDBIAMAuth(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		if e, ok := literal(r.Properties["Engine"]); !ok || !secIAMAuthEngines[e] {
			continue
		}
		v := r.Properties["EnableIAMDatabaseAuthentication"]
		if _, _, isFn := fn(v); isFn {
			continue
		}
		if !truthy(v) {
			out = append(out, at(r, "EnableIAMDatabaseAuthentication", "%s does not enable IAM database authentication", r.ID))
		}
	}
	return out
}

// --- secrets ---

var secSecretName = regexp.MustCompile(`(?i)(password|passwd|secret|token|api_?key|private_?key|credential)`)

// secUserDataSecret finds "PASSWORD=literal" (or ": literal") in user data;
// a ${Sub} variable or a command substitution is not a literal.
var secUserDataSecret = regexp.MustCompile(`(?i)\b([A-Z_]*(?:password|passwd|secret|token|api_?key)[A-Z_]*)\s*[=:]\s*['"]?([^\s'"$\x60{]{4,})`)

// secSecretNoun matches parameter names that end in the name of a secret
// (DbPassword, GitHubToken, ClientSecret), not names of settings about one
// (MinimumPasswordLength, MaxPasswordAge, PasswordPolicy).
var secSecretNoun = regexp.MustCompile(`(?i)(password|passwd|passphrase|secret|token|api_?key|private_?key|secret_?access_?key|credentials?)$`)

// secFreeText reports whether a parameter takes free text: a String with
// no AllowedValues (a choice among values is not a secret; a Number, a
// list or an AWS-specific type is not either).
func secFreeText(def map[string]any) bool {
	typ, _ := def["Type"].(string)
	if typ != "" && typ != "String" {
		return false
	}
	_, choice := def["AllowedValues"]
	return !choice
}

// secSecretParam judges a parameter a secret by its name, type and values.
func secSecretParam(name string, def map[string]any) bool {
	return secSecretNoun.MatchString(name) && secFreeText(def)
}

// secretUses maps the parameters that are passed where a secret goes (a
// password property, a secret-named environment variable) to that place.
func (t *Template) secretUses() map[string]string {
	out := map[string]string{}
	params := t.Section("Parameters")
	// Only a value that is the parameter counts: a parameter that is one
	// part of a !Sub (a user name next to the password, a stack name in
	// a dynamic reference) is not the secret.
	mark := func(v any, where string) {
		if f, a, ok := fn(v); ok && f == "Ref" {
			if n, _ := a.(string); n != "" {
				if _, ok := params[n]; ok && out[n] == "" {
					out[n] = where
				}
			}
		}
	}
	for _, r := range t.Resources() {
		walk(nil, r.Properties, func(path *nodePath, v any) {
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			for _, k := range keys(m) {
				if secSecretProps[k] {
					mark(m[k], r.ID+"."+k)
				}
			}
			if path.Key() == "Variables" && path.parent.Key() == "Environment" {
				for _, k := range keys(m) {
					if secSecretName.MatchString(k) {
						mark(m[k], "environment variable "+k+" of "+r.ID)
					}
				}
			}
			if name, ok := m["Name"].(string); ok && path.under("Environment") && secSecretName.MatchString(name) {
				mark(m["Value"], "environment variable "+name+" of "+r.ID)
			}
		})
	}
	return out
}

// secSecretProps are properties whose literal value is a secret.
var secSecretProps = map[string]bool{"MasterUserPassword": true, "Password": true, "SecretString": true, "AuthToken": true, "PrivateKey": true}

func secPlaintext(t *Template) []Finding {
	var out []Finding
	params := t.Section("Parameters")
	names := keys(params)
	sort.Strings(names)
	uses := t.secretUses()
	for _, name := range names {
		def, _ := params[name].(map[string]any)
		noEcho := truthy(def["NoEcho"])
		if !noEcho && secSecretParam(name, def) {
			out = append(out, Finding{Path: "Parameters/" + name, Message: fmt.Sprintf("parameter %s looks like a secret but is not NoEcho: its value shows in the console and API", name)})
		} else if !noEcho && uses[name] != "" && secFreeText(def) {
			out = append(out, Finding{Path: "Parameters/" + name, Message: fmt.Sprintf("parameter %s is used as %s but is not NoEcho: its value shows in the console and API", name, uses[name])})
		}
		if noEcho {
			if d, ok := literal(def["Default"]); ok && d != "" {
				out = append(out, Finding{Path: "Parameters/" + name + "/Default", Message: fmt.Sprintf("NoEcho parameter %s has a Default: the secret is written in the template", name)})
			}
		}
	}
	for _, r := range t.Resources() {
		var ud any
		switch r.Type {
		case "AWS::EC2::Instance":
			ud = r.Properties["UserData"]
		case computeLTType, computeLCType:
			data, _ := computeData(r)
			ud = data["UserData"]
		}
		if m := secUserDataSecret.FindStringSubmatch(computeText(ud)); m != nil {
			out = append(out, at(r, "", "the user data of %s sets %s to a literal: user data is readable by anyone who can describe the instance", r.ID, m[1]))
		}
		walk(pathOf("Resources/"+r.ID+"/Properties"), r.Properties, func(path *nodePath, v any) {
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			for k, val := range m {
				if !secSecretProps[k] {
					continue
				}
				if s, ok := val.(string); ok && s != "" && !strings.Contains(s, "{{resolve:") {
					f := at(r, "", "%s.%s is a literal value: the secret is written in the template", r.ID, k)
					f.Path = path.String() + "/" + k
					out = append(out, f)
				}
			}
			// Lambda and similar: Environment: {Variables: {DB_PASSWORD: literal}}
			if path.Key() == "Variables" && path.parent.Key() == "Environment" {
				for _, k := range keys(m) {
					if s, ok := m[k].(string); ok && s != "" && secSecretName.MatchString(k) && !strings.Contains(s, "{{resolve:") {
						f := at(r, "", "environment variable %s of %s is a literal: pass a secret reference instead", k, r.ID)
						f.Path = path.String() + "/" + k
						out = append(out, f)
					}
				}
			}
			// ECS container environment: {Name: DB_PASSWORD, Value: literal}
			name, hasName := m["Name"].(string)
			if hasName && path.under("Environment") && secSecretName.MatchString(name) {
				if s, ok := m["Value"].(string); ok && s != "" {
					f := at(r, "", "container environment variable %s of %s is a literal: use Secrets (ValueFrom) instead", name, r.ID)
					f.Path = path.String()
					out = append(out, f)
				}
			}
		})
	}
	return out
}

// secDBSecrets lists the secrets a database takes its master password from.
func (t *Template) secDBSecrets() map[string]bool {
	out := map[string]bool{}
	for _, a := range t.OfType("AWS::SecretsManager::SecretTargetAttachment") {
		if id := refTarget(a.Properties["SecretId"]); id != "" {
			out[id] = true
		}
	}
	for _, r := range t.secDatabases() {
		for _, s := range stringsIn(r.Properties["MasterUserPassword"]) {
			for _, v := range cfn.SubVars(s) {
				if res, ok := t.Resource(v); ok && res.Type == "AWS::SecretsManager::Secret" {
					out[v] = true
				}
			}
		}
	}
	return out
}

func secRotation(t *Template) []Finding {
	rotated := map[string]bool{}
	for _, r := range t.OfType("AWS::SecretsManager::RotationSchedule") {
		rotated[refTarget(r.Properties["SecretId"])] = true
	}
	ids := keys(t.secDBSecrets())
	sort.Strings(ids)
	var out []Finding
	for _, id := range ids {
		if r, ok := t.Resource(id); ok && !rotated[id] {
			out = append(out, at(r, "", "database secret %s has no rotation schedule", id))
		}
	}
	return out
}
