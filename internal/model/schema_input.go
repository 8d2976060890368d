package model

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/cfngen/cfngen/internal/awsfacts"
)

// The JSON Schema's patterns, enums and lengths come from the same values
// the validator checks (its regular expressions, lists and limits), so an
// editor refuses, field by field, what Parse and Validate refuse. What a
// schema cannot say (one field depending on another, ranges inside a
// string) stays with Validate.

// IPv4PatternText is a dotted-quad IPv4 address without leading zeros, as
// net/netip reads it.
const IPv4PatternText = `((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])`

var (
	// cidrPattern is an IPv4 CIDR; the validator requires it too.
	cidrPattern = lazyRE(`^` + IPv4PatternText + `/([0-9]|[12][0-9]|3[0-2])$`)
	// vpcCIDRSchemaPattern is a VPC block of the sizes the validator allows.
	vpcCIDRSchemaPattern = `^` + IPv4PatternText + `/(1[6-9]|2[0-4])$`
)

// nonUnicastSchemaPattern matches the first octets of the blocks a VPC
// cannot use (nonUnicast): a VPC is /16 or longer, so it overlaps one of
// them exactly when it lies inside it.
func nonUnicastSchemaPattern() string {
	var alts []string
	for _, r := range nonUnicast {
		a := r.prefix.Addr().As4()
		switch bits := r.prefix.Bits(); {
		case bits <= 8:
			for o := int(a[0]); o < int(a[0])+1<<(8-bits); o++ {
				alts = append(alts, fmt.Sprintf(`%d\.`, o))
			}
		case bits <= 16:
			for o := int(a[1]); o < int(a[1])+1<<(16-bits); o++ {
				alts = append(alts, fmt.Sprintf(`%d\.%d\.`, a[0], o))
			}
		default:
			panic("nonUnicast blocks longer than /16 need a finer schema pattern")
		}
	}
	return `^(` + strings.Join(alts, "|") + `)`
}

// acuNumberText is one side of an ACU range.
const acuNumberText = `(0|[1-9][0-9]*)(\.[05])?`

// reservedPrefixSchemaPattern matches a project name that starts the bucket
// names with a prefix S3 reserves.
func reservedPrefixSchemaPattern() string {
	var alts []string
	for _, r := range reservedBucketPrefixes {
		alts = append(alts, regexp.QuoteMeta(strings.TrimSuffix(r, "-"))+`(-|$)`)
	}
	return `^(` + strings.Join(alts, "|") + `)`
}

// instanceTypeSchemaPattern is an EC2 type of the x86 families the
// validator knows.
func instanceTypeSchemaPattern() string {
	var fams []string
	for f, x86 := range instanceFamilies {
		if x86 {
			fams = append(fams, f)
		}
	}
	slices.Sort(fams)
	return `^(` + strings.Join(fams, "|") + `)\.(` + strings.Join(slices.Sorted(maps.Keys(instanceSizes)), "|") + `)$`
}

// dbClassSchemaPattern is an RDS class of the families the validator knows.
func dbClassSchemaPattern() string {
	return `^db\.(` + strings.Join(slices.Sorted(maps.Keys(dbFamilies)), "|") + `)\.(` + strings.Join(slices.Sorted(maps.Keys(instanceSizes)), "|") + `)$`
}

// piRetentionDays are the Performance Insights retentions the validator allows.
func piRetentionDays() []any {
	out := []any{7}
	for d := 31; d <= 713; d += 31 {
		out = append(out, d)
	}
	return append(out, 731)
}

func anyList[T any](list []T) []any {
	out := make([]any, len(list))
	for i, v := range list {
		out[i] = v
	}
	return out
}

// schemaRules add to the schema of a field, by "<Go type>.<yaml key>".
var schemaRules = map[string]func(p map[string]any){
	"Project.name": func(p map[string]any) {
		p["pattern"] = ProjectPatternText
		p["minLength"], p["maxLength"] = 3, maxProjectLen
		p["not"] = map[string]any{"pattern": reservedPrefixSchemaPattern()}
	},
	"Project.description": func(p map[string]any) {
		p["minLength"], p["maxLength"] = 1, 800
	},
	"Network.vpcCidr": func(p map[string]any) {
		p["pattern"] = vpcCIDRSchemaPattern
		p["not"] = map[string]any{"pattern": nonUnicastSchemaPattern()}
	},
	"Edge.healthCheckPath": func(p map[string]any) {
		p["pattern"] = healthPathPattern.String()
		p["maxLength"] = 1024
	},
	"Edge.sslPolicy": func(p map[string]any) { p["enum"] = anyList(awsfacts.ALBTLS13Policies) },
	"Database.auroraEngineVersion": func(p map[string]any) {
		p["pattern"] = versionPattern.String()
	},
	"Database.postgresEngineVersion": func(p map[string]any) {
		p["pattern"] = versionPattern.String()
	},
	"Database.acuRanges": func(p map[string]any) {
		p["minItems"] = 1
		p["items"].(map[string]any)["pattern"] = `^` + acuNumberText + `-` + acuNumberText + `$`
	},
	"Database.instanceClasses": func(p map[string]any) {
		p["minItems"] = 1
		p["items"].(map[string]any)["pattern"] = dbClassSchemaPattern()
	},
	"Database.performanceInsightsRetentionDays": func(p map[string]any) { p["enum"] = piRetentionDays() },
	"Compute.instanceTypes":                     func(p map[string]any) { p["minItems"] = 1 },
	"InstanceType.name":                         func(p map[string]any) { p["pattern"] = instanceTypeSchemaPattern() },
	"InstanceType.alternative":                  func(p map[string]any) { p["pattern"] = instanceTypeSchemaPattern() },
	"Bastion.instanceType":                      func(p map[string]any) { p["pattern"] = instanceTypeSchemaPattern() },
	"Suppression.rule":                          func(p map[string]any) { p["pattern"] = suppressRulePattern.String() },
	"Suppression.resource":                      func(p map[string]any) { p["pattern"] = suppressResourcePattern.String() },
	"Suppression.reason": func(p map[string]any) {
		p["minLength"], p["maxLength"] = 10, 200
	},
	"Suppression.expires": func(p map[string]any) { p["pattern"] = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$` },
	"Environment.logRetentionDays": func(p map[string]any) {
		p["enum"] = anyList(logRetentionDays)
	},
	"Params.vpcName": func(p map[string]any) { p["minLength"], p["maxLength"] = 1, 128 },
	"Params.sshCidr": func(p map[string]any) { p["pattern"] = cidrPattern.String() },
	"Params.certificateArn": func(p map[string]any) {
		p["pattern"] = `^$|` + CertificateSchemaPattern()
	},
	"Params.acuRange":      func(p map[string]any) { p["pattern"] = `^` + acuNumberText + `-` + acuNumberText + `$` },
	"Params.instanceClass": func(p map[string]any) { p["pattern"] = dbClassSchemaPattern() },
	"Params.instanceType":  func(p map[string]any) { p["pattern"] = instanceTypeSchemaPattern() },
	"Params.databaseName": func(p map[string]any) {
		p["pattern"] = IdentifierPattern.String()
		p["not"] = map[string]any{"enum": anyList(append(slices.Clone(reservedDatabases), pgReserved...))}
	},
	"Params.databaseUser": func(p map[string]any) {
		p["pattern"] = UserPatternText
		p["not"] = map[string]any{"anyOf": []any{
			map[string]any{"pattern": `^[pP][gG]_`},
			map[string]any{"enum": anyList(append(slices.Sorted(maps.Keys(reservedUsers)), pgReserved...))},
		}}
	},
	"Params.sshKeyName":  func(p map[string]any) { p["pattern"] = `^$|` + keyNamePattern.String() },
	"Params.apiImageTag": func(p map[string]any) { p["pattern"] = imageTagPattern.String() },
}

// tagsSchema limits stack tags as Validate does.
func tagsSchema(p map[string]any) {
	p["maxProperties"] = 50
	p["propertyNames"] = map[string]any{"minLength": 1, "maxLength": 128, "not": map[string]any{"pattern": `^[aA][wW][sS]:`}}
	p["additionalProperties"].(map[string]any)["maxLength"] = 256
}
