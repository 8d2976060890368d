package graph

import (
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// Tier is the layer of the architecture a resource belongs to.
type Tier string

// The tiers, in drawing order. Security and Other take what no rule places:
// an IAM role or security group nothing uses, a type the table does not know.
const (
	Network     Tier = "network"
	EdgeTier    Tier = "edge"
	Storage     Tier = "storage"
	Data        Tier = "data"
	Compute     Tier = "compute"
	Bastion     Tier = "bastion"
	Integration Tier = "integration"
	Monitoring  Tier = "monitoring"
	Security    Tier = "security"
	Other       Tier = "other"
)

// Tiers lists every tier in drawing order.
var Tiers = []Tier{Network, EdgeTier, Storage, Data, Compute, Bastion, Integration, Monitoring, Security, Other}

// follow marks types that belong with whatever uses them: an IAM role is
// part of the compute tier when a task definition uses it, of the data tier
// when RDS Proxy does. Their fallback tier applies when nothing uses them.
const follow Tier = "follow"

// tierByType places exact resource types; tierByService places the rest by
// their service ("AWS::EC2"). Types under neither are Other.
var tierByType = map[string]Tier{
	"AWS::EC2::LaunchTemplate":       Compute,
	"AWS::EC2::Instance":             Compute, // Bastion when named so: see isBastion
	"AWS::EC2::SpotFleet":            Compute,
	"AWS::EC2::EC2Fleet":             Compute,
	"AWS::EC2::PlacementGroup":       Compute,
	"AWS::EC2::CapacityReservation":  Compute,
	"AWS::EC2::Volume":               Storage,
	"AWS::EC2::VolumeAttachment":     Storage,
	"AWS::EC2::SecurityGroup":        follow,
	"AWS::EC2::SecurityGroupIngress": follow,
	"AWS::EC2::SecurityGroupEgress":  follow,
	"AWS::EC2::KeyPair":              follow,
	"AWS::Lambda::Permission":        follow,
	"AWS::SSM::Parameter":            follow,
	"AWS::CloudFormation::Stack":     Other,
}

var tierByService = map[string]Tier{
	"AWS::EC2": Network,

	"AWS::ElasticLoadBalancingV2": EdgeTier,
	"AWS::ElasticLoadBalancing":   EdgeTier,
	"AWS::WAFv2":                  EdgeTier,
	"AWS::WAF":                    EdgeTier,
	"AWS::WAFRegional":            EdgeTier,
	"AWS::CloudFront":             EdgeTier,
	"AWS::ApiGateway":             EdgeTier,
	"AWS::ApiGatewayV2":           EdgeTier,
	"AWS::Route53":                EdgeTier,
	"AWS::CertificateManager":     EdgeTier,
	"AWS::GlobalAccelerator":      EdgeTier,

	"AWS::S3":        Storage,
	"AWS::S3Express": Storage,
	"AWS::EFS":       Storage,
	"AWS::FSx":       Storage,
	"AWS::Backup":    Storage,

	"AWS::RDS":               Data,
	"AWS::DocDB":             Data,
	"AWS::Neptune":           Data,
	"AWS::DynamoDB":          Data,
	"AWS::ElastiCache":       Data,
	"AWS::MemoryDB":          Data,
	"AWS::Redshift":          Data,
	"AWS::OpenSearchService": Data,
	"AWS::Elasticsearch":     Data,
	"AWS::SecretsManager":    Data,

	"AWS::ECS":                    Compute,
	"AWS::EKS":                    Compute,
	"AWS::ECR":                    Compute,
	"AWS::AutoScaling":            Compute,
	"AWS::ApplicationAutoScaling": follow, // scales what it names
	"AWS::Lambda":                 Compute,
	"AWS::Batch":                  Compute,
	"AWS::AppRunner":              Compute,
	"AWS::ElasticBeanstalk":       Compute,

	"AWS::SQS":             Integration,
	"AWS::SNS":             Integration,
	"AWS::Events":          Integration,
	"AWS::Scheduler":       Integration,
	"AWS::Pipes":           Integration,
	"AWS::StepFunctions":   Integration,
	"AWS::Kinesis":         Integration,
	"AWS::KinesisFirehose": Integration,
	"AWS::MSK":             Integration,
	"AWS::AmazonMQ":        Integration,
	"AWS::AppSync":         Integration,

	"AWS::CloudWatch": Monitoring,
	"AWS::Logs":       Monitoring,
	"AWS::XRay":       Monitoring,
	"AWS::Synthetics": Monitoring,

	"AWS::IAM":            follow,
	"AWS::KMS":            follow,
	"AWS::Cognito":        Security,
	"AWS::CloudFormation": follow, // wait conditions and handles
}

// service is the first two parts of a type: "AWS::EC2" of "AWS::EC2::VPC".
func service(typ string) string {
	parts := strings.SplitN(typ, "::", 3)
	if len(parts) < 2 {
		return typ
	}
	return parts[0] + "::" + parts[1]
}

// baseTier is the tier of a type by the tables; follow for types that take
// the tier of what uses them (custom resources included).
func baseTier(r *Resource) Tier {
	if t, ok := tierByType[r.Type]; ok {
		if t == Compute && isBastion(r) {
			return Bastion
		}
		return t
	}
	if strings.HasPrefix(r.Type, "Custom::") || r.Type == "AWS::CloudFormation::CustomResource" {
		return follow
	}
	if t, ok := tierByService[service(r.Type)]; ok {
		if t == Compute && isBastion(r) {
			return Bastion
		}
		return t
	}
	return Other
}

// fallbackTier is where a follower goes when nothing places it.
func fallbackTier(r *Resource) Tier {
	switch service(r.Type) {
	case "AWS::IAM", "AWS::KMS", "AWS::EC2", "AWS::SSM":
		return Security
	case "AWS::ApplicationAutoScaling", "AWS::Lambda":
		return Compute
	}
	return Other
}

// isBastion: a jump host is an instance (or its launch template or group)
// whose logical id or Name tag says bastion or jump.
func isBastion(r *Resource) bool {
	switch r.Type {
	case "AWS::EC2::Instance", "AWS::EC2::LaunchTemplate", "AWS::AutoScaling::AutoScalingGroup":
	default:
		return false
	}
	names := []string{r.ID}
	if props, ok := r.Body["Properties"].(map[string]any); ok {
		if tags, ok := props["Tags"].([]any); ok {
			for _, tag := range tags {
				if m, ok := tag.(map[string]any); ok && m["Key"] == "Name" {
					if v, ok := m["Value"].(string); ok {
						names = append(names, v)
					}
				}
			}
		}
	}
	for _, n := range names {
		n = strings.ToLower(n)
		if strings.Contains(n, "bastion") || strings.Contains(n, "jump") {
			return true
		}
	}
	return false
}

// ownerProperty names, per follower type without users, the property that
// names the resource it belongs to: an ingress or egress rule belongs to its
// GroupId, a policy to its roles.
var ownerProperty = map[string]string{
	"AWS::EC2::SecurityGroupIngress": "GroupId",
	"AWS::EC2::SecurityGroupEgress":  "GroupId",
	"AWS::IAM::Policy":               "Roles",
	"AWS::IAM::ManagedPolicy":        "Roles",
	"AWS::IAM::RolePolicy":           "RoleName",
	"AWS::KMS::Alias":                "TargetKeyId",
	"AWS::Lambda::Permission":        "FunctionName",
}

// assignTiers places every resource. Followers take the anchor of the
// resources that use them (by Ref, GetAtt or Sub), the majority tier
// winning, ties going to the earlier tier; those nothing uses take the
// anchor of their owner property, or of what they use; the rest fall back.
// Each round looks only at what earlier rounds decided, so the result does
// not depend on the order of the resources.
func (t *Template) assignTiers() {
	users := map[string][]*Resource{}
	for _, r := range t.Resources {
		for _, x := range t.sortedRefs(r) {
			users[x.ID] = append(users[x.ID], r)
		}
	}
	var followers []*Resource
	for _, r := range t.Resources {
		r.Tier = baseTier(r)
		if r.Tier == follow {
			r.Tier = ""
			followers = append(followers, r)
		} else {
			r.anchor = r.ID
		}
	}
	// pick chooses an anchor among resources already placed.
	pick := func(cands []*Resource) string {
		count := map[Tier]int{}
		first := map[Tier]string{}
		for _, c := range cands {
			if c.anchor == "" {
				continue
			}
			a := t.index[c.anchor]
			count[a.Tier]++
			if _, ok := first[a.Tier]; !ok {
				first[a.Tier] = a.ID
			}
		}
		best, bestN := Tier(""), 0
		for _, tier := range Tiers {
			if count[tier] > bestN {
				best, bestN = tier, count[tier]
			}
		}
		if bestN == 0 {
			return ""
		}
		return first[best]
	}
	round := func(cands func(r *Resource) []*Resource) bool {
		decided := map[*Resource]string{}
		for _, f := range followers {
			if f.anchor == "" {
				if a := pick(cands(f)); a != "" {
					decided[f] = a
				}
			}
		}
		for f, a := range decided {
			f.anchor, f.Tier = a, t.index[a].Tier
		}
		return len(decided) > 0
	}
	byUsers := func(r *Resource) []*Resource { return users[r.ID] }
	byOwner := func(r *Resource) []*Resource {
		if p, ok := ownerProperty[r.Type]; ok {
			props, _ := r.Body["Properties"].(map[string]any)
			var out []*Resource
			for name := range cfn.References(props[p]) {
				if x := t.index[name]; x != nil && x != r {
					out = append(out, x)
				}
			}
			t.sortByOrder(out)
			if len(out) > 0 {
				return out
			}
		}
		return t.sortedRefs(r)
	}
	for {
		progress := false
		for round(byUsers) {
			progress = true
		}
		if round(byOwner) {
			progress = true
		}
		if !progress {
			break
		}
	}
	for _, f := range followers {
		if f.anchor == "" {
			f.anchor, f.Tier = f.ID, fallbackTier(f)
		}
	}
}
