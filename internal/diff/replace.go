package diff

import (
	"fmt"
	"strings"

	"github.com/cfngen/cfngen/internal/cfnschema"
)

// The resource schemas list "conditionally create-only" properties: a
// change of them replaces the resource for some old and new values only.
// For many the ordinary case is an update in place (RDS applies a new
// backup retention period or Multi-AZ through ModifyDBInstance), so reading
// the whole list as "may replace" turned routine changes into forecasts of
// data loss. For the types of cfngen's templates that have such properties,
// the AWS documentation was checked property by property: mayReplace lists
// the ones whose change really may replace the resource, inPlace (and
// ebsBacked) the ones updated in place, which the forecast reports as a
// note instead of a replacement. Properties of other types, and any that a
// newer schema adds, keep the schema's verdict: Conditional
// (TestConditionalCoverage keeps the lists complete for the checked types).
//
// Types of cfngen's templates without conditionally create-only properties
// in the schemas need no entry: ELBv2, S3, SQS, Secrets Manager, Logs, RDS
// Proxy, WAFv2, ECR, IAM, SNS topics, CloudWatch alarms. Auto Scaling
// groups are decided by their UpdatePolicy (asgWillReplace).
var mayReplace = map[string]map[string]bool{
	// A new source or restore point is a new instance; so is a new
	// engine (other than between editions of one engine); a new AZ moves a
	// Single-AZ instance by recreating it; the Performance Insights KMS key
	// cannot be changed once set.
	"AWS::RDS::DBInstance": set("AvailabilityZone", "DBClusterSnapshotIdentifier", "DBSnapshotIdentifier",
		"Engine", "PerformanceInsightsKMSKeyId", "RestoreTime", "SourceDBClusterIdentifier",
		"SourceDBInstanceAutomatedBackupsArn", "SourceDBInstanceIdentifier", "SourceDbiResourceId",
		"UseLatestRestorableTime"),
	// A new engine (outside an upgrade path), global cluster membership or
	// master user name may create a new cluster.
	"AWS::RDS::DBCluster": set("Engine", "GlobalClusterIdentifier", "MasterUsername"),
	// Changing a block device other than its DeleteOnTermination replaces
	// the instance; a new instance type restarts or replaces it depending
	// on how compatible the two types are. The others are not settled by
	// the documentation at hand: the schema's verdict stands.
	"AWS::EC2::Instance": set("AdditionalInfo", "Affinity", "BlockDeviceMappings", "HostId", "InstanceType",
		"PrivateDnsNameOptions", "SecurityGroupIds", "Tenancy"),
	// EC2 changes a VPC's tenancy in place only from dedicated to default.
	"AWS::EC2::VPC": set("InstanceTenancy"),
	// A service moves between a launch type and a capacity provider
	// strategy by replacement.
	"AWS::ECS::Service": set("LaunchType"),
	// A subscription in another Region is another subscription.
	"AWS::SNS::Subscription": set("Region"),
}

// inPlace explains, per type and property, the in-place update of a
// conditionally create-only property that does not replace the resource.
var inPlace = map[string]map[string]string{
	"AWS::RDS::DBInstance": {
		"AutoMinorVersionUpgrade":    "applied by ModifyDBInstance, no outage",
		"BackupRetentionPeriod":      "applied by ModifyDBInstance; an outage only when backups are turned on (0 to a number) or off",
		"DBParameterGroupName":       "applied by ModifyDBInstance; static parameters wait for a reboot",
		"MultiAZ":                    "applied by ModifyDBInstance (a standby is added or removed), no outage",
		"PreferredMaintenanceWindow": "applied by ModifyDBInstance, no outage",
		"StorageType":                "applied by ModifyDBInstance; the storage is migrated in place",
	},
}

// ebsBacked are the EC2 instance attributes that EC2 changes on a stopped
// instance, so an EBS-backed instance takes them with a stop and start; an
// instance-store-backed one cannot be stopped and is replaced.
var ebsBacked = set("EbsOptimized", "KernelId", "RamdiskId", "UserData")

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// conditional settles a property (top-level name) that the schema marks
// as conditionally create-only: replace is true when it may replace the
// resource; otherwise note says how it is updated in place.
func conditional(typ, prop string) (replace bool, note string) {
	if why, ok := inPlace[typ][prop]; ok {
		return false, fmt.Sprintf("%s changes in place: %s", prop, why)
	}
	if typ == "AWS::EC2::Instance" && ebsBacked[prop] {
		return false, fmt.Sprintf("%s changes in place with a stop and start of an EBS-backed instance; an instance-store-backed one is replaced", prop)
	}
	return true, ""
}

// inPlaceNotes adds a note for every changed conditionally create-only
// property that the forecast takes as an update in place.
func inPlaceNotes(c *Change) {
	if c.Type == "AWS::AutoScaling::AutoScalingGroup" {
		return // its verdict comes from the UpdatePolicy
	}
	schema := cfnschema.Lookup(c.Type)
	if schema == nil {
		return
	}
	seen := map[string]bool{}
	for _, p := range c.Paths {
		prop, ok := strings.CutPrefix(p.Path, "Properties.")
		if !ok {
			continue
		}
		top, _, _ := strings.Cut(prop, ".")
		if seen[top] || schema.Replacement(prop) != Conditional {
			continue
		}
		seen[top] = true
		if replace, note := conditional(c.Type, top); !replace {
			c.Notes = append(c.Notes, note)
		}
	}
}
