package model

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/cfngen/cfngen/internal/awsfacts"
)

// Checks of names and values that AWS or PostgreSQL reserve or refuse, with
// the rules taken from their documentation.

// input runs the checks that need the whole backend.
func (v *validator) input(b Backend) {
	v.bucketPrefixes(b)
}

// reservedBucketPrefixes are the prefixes S3 refuses at the start of a
// general purpose bucket name (S3 user guide, "General purpose bucket
// naming rules"; sthree-configurator is covered by sthree-).
var reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}

// bucketPrefixes refuses project and environment names that make the bucket
// names "<project>-<environment>-logs-..." start with a prefix S3 reserves.
func (v *validator) bucketPrefixes(b Backend) {
	for _, r := range reservedBucketPrefixes {
		if strings.HasPrefix(b.Project.Name+"-", r) {
			v.bad("project.name", "%q starts the bucket names (<project>-<env>-logs-...) with %s, a prefix S3 reserves (reserved: %s)", b.Project.Name, r, strings.Join(reservedBucketPrefixes, ", "))
			return
		}
	}
	for _, e := range b.Environments {
		start := b.Project.Name + "-" + e.Name + "-"
		for _, r := range reservedBucketPrefixes {
			if strings.HasPrefix(start, r) {
				v.bad("environments."+e.Name, "bucket names would start %s..., and S3 reserves the prefix %s; rename the environment or the project", start, r)
			}
		}
	}
}

// nonUnicast are IPv4 ranges that cannot hold a VPC: they are not unicast
// addresses a network can own (RFC 6890 special-purpose blocks).
var nonUnicast = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), `the "this network" block 0.0.0.0/8`},
	{netip.MustParsePrefix("127.0.0.0/8"), "the loopback block 127.0.0.0/8"},
	{netip.MustParsePrefix("169.254.0.0/16"), "the link-local block 169.254.0.0/16 (instance metadata and the Amazon DNS server live there)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "the multicast block 224.0.0.0/4"},
	{netip.MustParsePrefix("240.0.0.0/4"), "the reserved block 240.0.0.0/4 (and the broadcast address)"},
}

// vpcRangeProblem describes why a well-formed VPC block cannot be used, or
// returns "".
func vpcRangeProblem(p netip.Prefix) string {
	for _, r := range nonUnicast {
		if p.Overlaps(r.prefix) {
			return fmt.Sprintf("%q lies in %s, which a VPC cannot use; use a private block such as 10.0.0.0/16", p, r.what)
		}
	}
	return ""
}

// sslPolicyProblem refuses anything but a TLS 1.3 policy that accepts
// nothing older than TLS 1.2.
func sslPolicyProblem(s string) string {
	if slices.Contains(awsfacts.ALBTLS13Policies, s) {
		return ""
	}
	return fmt.Sprintf("%q is not a load balancer policy with TLS 1.3 and nothing older than TLS 1.2 (allowed: %s)", s, strings.Join(awsfacts.ALBTLS13Policies, ", "))
}

var (
	accountPattern = lazyRE(`^[0-9]{12}$`)
	// uuidPatternText is an ACM certificate id.
	uuidPatternText = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	uuidPattern     = lazyRE(`^` + uuidPatternText + `$`)
)

// certificateProblem describes what is wrong with an ACM certificate ARN,
// or returns "": arn:<partition>:acm:<region>:<account>:certificate/<uuid>,
// with a known partition and a region of that partition.
func certificateProblem(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "acm" {
		return "is not an ACM certificate ARN (arn:<partition>:acm:<region>:<account>:certificate/<id>) or empty"
	}
	partition, region, account, resource := parts[1], parts[3], parts[4], parts[5]
	id, isCert := strings.CutPrefix(resource, "certificate/")
	switch {
	case !awsfacts.IsPartition(partition):
		return fmt.Sprintf("has the unknown partition %q (known: %s)", partition, strings.Join(awsfacts.PartitionNames(), ", "))
	case awsfacts.PartitionOf(region) == "":
		return fmt.Sprintf("names %q, which is not an AWS region (regions of %s: %s)", region, partition, strings.Join(regionsOf(partition), ", "))
	case awsfacts.PartitionOf(region) != partition:
		return fmt.Sprintf("names region %s, which is in partition %s, not %s", region, awsfacts.PartitionOf(region), partition)
	case !accountPattern.MatchString(account):
		return fmt.Sprintf("has the account %q; an account id is 12 digits", account)
	case !isCert || !uuidPattern.MatchString(id):
		return fmt.Sprintf("ends in %q; want certificate/<id> with an id such as 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 (lowercase hex)", resource)
	}
	return ""
}

func regionsOf(partition string) []string {
	for _, p := range awsfacts.Partitions {
		if p.Name == partition {
			return p.Regions
		}
	}
	return nil
}

// CertificateSchemaPattern is the pattern of a certificate ARN that
// certificateProblem accepts, for the JSON Schema: each partition with its
// own regions.
func CertificateSchemaPattern() string {
	var alts []string
	for _, p := range awsfacts.Partitions {
		alts = append(alts, regexp.QuoteMeta(p.Name)+":acm:("+strings.Join(p.Regions, "|")+")")
	}
	return `^arn:(` + strings.Join(alts, "|") + `):[0-9]{12}:certificate/` + uuidPatternText + `$`
}

// Master user names: RDS allows 1 to 16 letters, digits or underscores,
// starting with a letter (RDS API reference, CreateDBInstance and
// CreateDBCluster MasterUsername), and no word the engine reserves.
// MaxUserLen is also the templates' MaxLength of MyDatabaseUser.
const MaxUserLen = 16

// UserPatternText is a master user name as RDS accepts it.
const UserPatternText = `^[a-zA-Z][a-zA-Z0-9_]{0,15}$`

var userPattern = lazyRE(UserPatternText)

// reservedUsers are master user names RDS refuses for PostgreSQL and Aurora
// PostgreSQL beyond the key words: rdsadmin on every engine and admin on
// PostgreSQL (RDS: "reserved word used by the engine"), the roles RDS
// creates in every PostgreSQL database, and the role names PostgreSQL
// itself reserves. postgres is allowed: it is the console's default.
var reservedUsers = map[string]string{
	"rdsadmin":        "RDS's own administrator",
	"admin":           "RDS refuses it for PostgreSQL and Aurora PostgreSQL",
	"rds_superuser":   "a role RDS creates",
	"rds_replication": "a role RDS creates",
	"rds_password":    "a role RDS creates",
	"rds_iam":         "a role RDS creates",
	"rds_ad":          "a role RDS creates",
	"public":          "a role name PostgreSQL reserves",
	"none":            "a role name PostgreSQL reserves",
}

// pgReserved are PostgreSQL's reserved key words and those that can only be
// function or type names (PostgreSQL's kwlist.h: RESERVED_KEYWORD and
// TYPE_FUNC_NAME_KEYWORD; system_user since PostgreSQL 16): none of them can
// name a role or a database.
var pgReserved = strings.Fields(`all analyse analyze and any array as asc asymmetric authorization
binary both case cast check collate collation column concurrently constraint create cross
current_catalog current_date current_role current_schema current_time current_timestamp current_user
default deferrable desc distinct do else end except false fetch for foreign freeze from full grant
group having ilike in initially inner intersect into is isnull join lateral leading left like limit
localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing
primary references returning right select session_user similar some symmetric system_user table
tablesample then to trailing true union unique user using variadic verbose when where window with`)

// identifierReserved says why PostgreSQL or RDS refuses a role or database
// name, or returns "".
func identifierReserved(name string) string {
	lower := strings.ToLower(name)
	if slices.Contains(pgReserved, lower) {
		return "a PostgreSQL reserved key word"
	}
	return ""
}

// databaseUserProblem describes what is wrong with a master user name, or
// returns "".
func databaseUserProblem(u string) string {
	lower := strings.ToLower(u)
	switch {
	case !userPattern.MatchString(u):
		return fmt.Sprintf("%q must be 1-%d letters, digits or underscores, starting with a letter (the RDS master user name limit)", u, MaxUserLen)
	case strings.HasPrefix(lower, "pg_"):
		return fmt.Sprintf("%q starts with pg_, which PostgreSQL reserves for its own roles; choose another master user name", u)
	case reservedUsers[lower] != "":
		return fmt.Sprintf("%q is reserved (%s); choose another master user name (postgres or dbadmin work)", u, reservedUsers[lower])
	case identifierReserved(u) != "":
		return fmt.Sprintf("%q is reserved (%s); choose another master user name (postgres or dbadmin work)", u, identifierReserved(u))
	}
	return ""
}

// reservedDatabases exist in every RDS PostgreSQL database server.
var reservedDatabases = []string{"rdsadmin", "template0", "template1"}

// databaseNameProblem describes what is wrong with a database name, or
// returns "".
func databaseNameProblem(n string) string {
	switch {
	case !IdentifierPattern.MatchString(n):
		return fmt.Sprintf("%q must be 1-63 letters, digits or underscores, starting with a letter", n)
	case slices.Contains(reservedDatabases, strings.ToLower(n)):
		return fmt.Sprintf("%q already exists on every RDS PostgreSQL server (%s); choose another database name", n, strings.Join(reservedDatabases, ", "))
	case identifierReserved(n) != "":
		return fmt.Sprintf("%q is reserved (%s); choose another database name", n, identifierReserved(n))
	}
	return ""
}
