package awsfacts

// Partition is an AWS partition and the regions in it.
type Partition struct {
	Name    string
	Regions []string
}

// Partitions lists the AWS partitions and their regions (source: the
// endpoint data that ships with botocore, endpoints.json, late 2026). A
// region missing here is refused where cfngen checks ARNs; add it here.
var Partitions = []Partition{
	{"aws", []string{
		"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	}},
	{"aws-cn", []string{"cn-north-1", "cn-northwest-1"}},
	{"aws-us-gov", []string{"us-gov-east-1", "us-gov-west-1"}},
	{"aws-iso", []string{"us-iso-east-1", "us-iso-west-1"}},
	{"aws-iso-b", []string{"us-isob-east-1", "us-isob-west-1"}},
	{"aws-iso-e", []string{"eu-isoe-west-1"}},
	{"aws-iso-f", []string{"us-isof-east-1", "us-isof-south-1"}},
	{"aws-eusc", []string{"eusc-de-east-1"}},
}

// PartitionOf returns the partition of a region, or "" for an unknown one.
func PartitionOf(region string) string {
	for _, p := range Partitions {
		for _, r := range p.Regions {
			if r == region {
				return p.Name
			}
		}
	}
	return ""
}

// IsPartition reports whether name is a known partition.
func IsPartition(name string) bool {
	for _, p := range Partitions {
		if p.Name == name {
			return true
		}
	}
	return false
}

// PartitionNames lists the partitions in order.
func PartitionNames() []string {
	out := make([]string, len(Partitions))
	for i, p := range Partitions {
		out[i] = p.Name
	}
	return out
}

// ALBTLS13Policies are the Application Load Balancer security policies that
// offer TLS 1.3 and accept nothing older than TLS 1.2 (source: Elastic Load
// Balancing user guide, "Security policies for your Application Load
// Balancer"). The TLS13-1-0 and TLS13-1-1 policies are left out: they still
// accept TLS 1.0 and 1.1.
var ALBTLS13Policies = []string{
	"ELBSecurityPolicy-TLS13-1-2-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
	"ELBSecurityPolicy-TLS13-1-3-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
}
