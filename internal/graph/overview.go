package graph

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/cfngen/cfngen/internal/cfn"
)

// component is a box on the whiteboard. The table below is in request-path
// order: it is the order of the nodes, and it orients an edge when two
// components refer to each other.
type component struct {
	id        string
	one, many string // label for one primary resource, and for several
	none      string // label when it has none of its primary types ("" = many)
	inVPC     bool   // drawn inside the VPC when the template has one
	primary   []string
}

var components = []component{
	{id: "internet", one: "Internet", many: "Internet"},
	{id: "dns", one: "DNS", many: "DNS", primary: []string{"AWS::Route53::HostedZone", "AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup"}},
	{id: "cdn", one: "CloudFront distribution", many: "CloudFront distributions", primary: []string{"AWS::CloudFront::Distribution"}},
	{id: "waf", one: "WAF web ACL", many: "WAF web ACLs", primary: []string{"AWS::WAFv2::WebACL", "AWS::WAF::WebACL", "AWS::WAFRegional::WebACL"}},
	{id: "api", one: "API", many: "APIs", primary: []string{"AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api", "AWS::AppSync::GraphQLApi"}},
	{id: "lb", one: "Load balancer", many: "Load balancers", inVPC: true, primary: []string{"AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer"}},
	{id: "ecs", one: "ECS service", many: "ECS services", none: "ECS", inVPC: true, primary: []string{"AWS::ECS::Service"}},
	{id: "eks", one: "EKS cluster", many: "EKS clusters", inVPC: true, primary: []string{"AWS::EKS::Cluster"}},
	{id: "ec2", one: "EC2 instances", many: "EC2 instances", none: "EC2", inVPC: true, primary: []string{"AWS::AutoScaling::AutoScalingGroup", "AWS::EC2::Instance"}},
	{id: "apps", one: "Application", many: "Applications", primary: []string{"AWS::AppRunner::Service", "AWS::ElasticBeanstalk::Environment", "AWS::Batch::JobQueue"}},
	{id: "lambda", one: "Lambda function", many: "Lambda functions", primary: []string{"AWS::Lambda::Function"}},
	{id: "bastion", one: "Bastion host", many: "Bastion hosts", inVPC: true, primary: []string{"AWS::EC2::Instance", "AWS::AutoScaling::AutoScalingGroup"}},
	{id: "workflow", one: "State machine", many: "State machines", primary: []string{"AWS::StepFunctions::StateMachine"}},
	{id: "proxy", one: "RDS Proxy", many: "RDS Proxies", inVPC: true, primary: []string{"AWS::RDS::DBProxy"}},
	{id: "db", one: "Database", many: "Databases", inVPC: true, primary: []string{"AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster", "AWS::Redshift::Cluster"}},
	{id: "dynamodb", one: "DynamoDB table", many: "DynamoDB tables", primary: []string{"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"}},
	{id: "cache", one: "Cache", many: "Caches", inVPC: true, primary: []string{"AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ServerlessCache", "AWS::MemoryDB::Cluster"}},
	{id: "search", one: "Search domain", many: "Search domains", inVPC: true, primary: []string{"AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"}},
	{id: "registry", one: "ECR repository", many: "ECR repositories", primary: []string{"AWS::ECR::Repository"}},
	{id: "buckets", one: "S3 bucket", many: "S3 buckets", primary: []string{"AWS::S3::Bucket"}},
	{id: "files", one: "File system", many: "File systems", inVPC: true, primary: []string{"AWS::EFS::FileSystem", "AWS::FSx::FileSystem"}},
	{id: "secrets", one: "Secrets Manager", many: "Secrets Manager", primary: []string{"AWS::SecretsManager::Secret"}},
	{id: "streams", one: "Stream", many: "Streams", primary: []string{"AWS::Kinesis::Stream", "AWS::KinesisFirehose::DeliveryStream", "AWS::MSK::Cluster"}},
	{id: "events", one: "EventBridge", many: "EventBridge", primary: []string{"AWS::Events::Rule", "AWS::Events::EventBus", "AWS::Scheduler::Schedule", "AWS::Pipes::Pipe"}},
	{id: "queue", one: "SQS queue", many: "SQS queues", primary: []string{"AWS::SQS::Queue"}},
	{id: "monitoring", one: "CloudWatch", many: "CloudWatch", primary: []string{"AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm", "AWS::Logs::LogGroup", "AWS::CloudWatch::Dashboard"}},
	{id: "topic", one: "SNS topic", many: "SNS topics", primary: []string{"AWS::SNS::Topic"}},
	{id: "network", one: "VPC", many: "VPCs", primary: []string{"AWS::EC2::VPC"}},
	{id: "security", one: "Security", many: "Security", primary: nil},
	{id: "other", one: "Other resources", many: "Other resources", primary: nil},
}

var componentIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range components {
		m[c.id] = i
	}
	return m
}()

// componentByService places resources by their service; componentOf has
// the exceptions.
var componentByService = map[string]string{
	"AWS::Route53": "dns", "AWS::CertificateManager": "dns",
	"AWS::CloudFront": "cdn",
	"AWS::WAFv2":      "waf", "AWS::WAF": "waf", "AWS::WAFRegional": "waf",
	"AWS::ApiGateway": "api", "AWS::ApiGatewayV2": "api", "AWS::AppSync": "api",
	"AWS::ElasticLoadBalancingV2": "lb", "AWS::ElasticLoadBalancing": "lb", "AWS::GlobalAccelerator": "lb",
	"AWS::ECS": "ecs", "AWS::EKS": "eks", "AWS::AutoScaling": "ec2",
	"AWS::AppRunner": "apps", "AWS::ElasticBeanstalk": "apps", "AWS::Batch": "apps",
	"AWS::Lambda":        "lambda",
	"AWS::StepFunctions": "workflow",
	"AWS::RDS":           "db", "AWS::DocDB": "db", "AWS::Neptune": "db", "AWS::Redshift": "db",
	"AWS::DynamoDB":    "dynamodb",
	"AWS::ElastiCache": "cache", "AWS::MemoryDB": "cache",
	"AWS::OpenSearchService": "search", "AWS::Elasticsearch": "search",
	"AWS::ECR": "registry",
	"AWS::S3":  "buckets", "AWS::S3Express": "buckets",
	"AWS::EFS": "files", "AWS::FSx": "files",
	"AWS::SecretsManager": "secrets",
	"AWS::Kinesis":        "streams", "AWS::KinesisFirehose": "streams", "AWS::MSK": "streams",
	"AWS::Events": "events", "AWS::Scheduler": "events", "AWS::Pipes": "events",
	"AWS::SQS":        "queue",
	"AWS::CloudWatch": "monitoring", "AWS::Logs": "monitoring", "AWS::XRay": "monitoring", "AWS::Synthetics": "monitoring",
	"AWS::SNS": "topic",
	"AWS::EC2": "network",
	"AWS::IAM": "security", "AWS::KMS": "security", "AWS::Cognito": "security", "AWS::SSM": "security",
}

// componentOf is the component of a resource that is its own anchor.
func componentOf(r *Resource, hasECS bool) string {
	switch {
	case r.Tier == Bastion:
		return "bastion"
	case strings.HasPrefix(r.Type, "AWS::RDS::DBProxy"):
		return "proxy"
	case r.Type == "AWS::EC2::Instance", r.Type == "AWS::EC2::SpotFleet", r.Type == "AWS::EC2::EC2Fleet",
		r.Type == "AWS::EC2::LaunchTemplate", r.Type == "AWS::EC2::Volume", r.Type == "AWS::EC2::VolumeAttachment":
		if hasECS && r.Type != "AWS::EC2::Instance" {
			return "ecs" // capacity of the ECS cluster
		}
		return "ec2"
	case r.Type == "AWS::ApplicationAutoScaling::ScalableTarget", r.Type == "AWS::ApplicationAutoScaling::ScalingPolicy":
		return "other"
	case r.Tier == Security:
		return "security"
	}
	c, ok := componentByService[service(r.Type)]
	if !ok {
		return "other"
	}
	if c == "ec2" && hasECS {
		return "ecs" // the container instances of the ECS cluster
	}
	return c
}

// Overview draws the components a person would put on a whiteboard, along
// the request path: the Internet, the edge (WAF, load balancer), compute,
// the database behind its proxy, and the queues, buckets, secrets and
// monitoring they use. Only components present in the template are drawn;
// the VPC is a box around the components that live in it.
//
// An edge joins two components when a resource of one refers to a resource
// of the other. It points from user to used, except that a security group
// rule naming a source, and a reference to a target group or a web ACL,
// point the other way (traffic flows from the source; the load balancer and
// the WAF sit in front of what names them). Where both directions appear,
// the request-path order decides. Alarms are drawn with their topic only:
// an edge to everything they watch would cross the whole picture. The VPC
// itself takes no edges: everything in it would have one.
func (t *Template) Overview() *Graph {
	hasECS := false
	for _, r := range t.Resources {
		if service(r.Type) == "AWS::ECS" {
			hasECS = true
		}
	}
	comp := map[string]string{} // resource id -> component id
	members := map[string][]*Resource{}
	for _, r := range t.Resources {
		c := componentOf(t.index[r.anchor], hasECS)
		comp[r.ID] = c
		members[c] = append(members[c], r)
	}

	type pair struct{ from, to string }
	found := map[pair]Kind{}
	for _, r := range t.Resources {
		cr := comp[r.ID]
		reversed := sourceGroupRefs(r)
		for _, x := range t.sortedRefs(r) {
			cx := comp[x.ID]
			if cr == cx || cr == "network" || cx == "network" {
				continue
			}
			if cr == "monitoring" && cx != "topic" {
				continue
			}
			from, to := cr, cx
			if reversed[x.ID] || x.Type == "AWS::ElasticLoadBalancingV2::TargetGroup" || strings.HasSuffix(x.Type, "::WebACL") {
				from, to = cx, cr
			}
			found[pair{from, to}] |= r.Refs[x.ID]
		}
	}
	for p := range found {
		back := pair{p.to, p.from}
		if _, ok := found[back]; ok && componentIndex[p.from] > componentIndex[p.to] {
			found[back] |= found[p]
			delete(found, p)
		}
	}

	// The Internet reaches internet-facing load balancers, CDNs, APIs and
	// bastions, through whatever sits in front of them (DNS, CDN, WAF).
	var entries []string
	for _, id := range []string{"lb", "cdn", "api", "bastion"} {
		if len(members[id]) > 0 && (id != "lb" || internetFacing(members[id])) {
			entries = append(entries, id)
		}
	}
	if len(entries) > 0 {
		reached := map[string]bool{}
		for _, e := range entries {
			for moved := true; moved; {
				moved = false
				for _, front := range []string{"waf", "cdn", "dns"} {
					if _, ok := found[pair{front, e}]; ok && front != e {
						e, moved = front, true
						break
					}
				}
			}
			reached[e] = true
		}
		members["internet"] = nil // drawn, with no resources of its own
		for e := range reached {
			found[pair{"internet", e}] |= 0 // no reference: the edge is the request path itself
		}
	}

	vpc := len(members["network"]) > 0
	inVPC := 0
	for _, c := range components {
		if c.inVPC && len(members[c.id]) > 0 {
			inVPC++
		}
	}
	g := &Graph{Direction: "LR"}
	if vpc && inVPC > 0 {
		g.Groups = []Group{{ID: "vpc", Label: "VPC"}}
	}
	for _, c := range components {
		ms, ok := members[c.id]
		if !ok {
			continue
		}
		if c.id == "internet" {
			g.Nodes = append(g.Nodes, Node{ID: "internet", Label: "Internet", Round: true})
			continue
		}
		if c.id == "network" && len(g.Groups) > 0 {
			continue // drawn as the box around the others
		}
		n := Node{ID: c.id, Label: label(c, ms), Tier: ms[0].Tier}
		if cond := sharedCondition(ms); cond != "" {
			n.Condition = cond
			n.Label += "\n(if " + cond + ")"
		}
		if c.inVPC && len(g.Groups) > 0 {
			n.Group = "vpc"
		}
		g.Nodes = append(g.Nodes, n)
	}
	drawn := map[string]bool{}
	for _, n := range g.Nodes {
		drawn[n.ID] = true
	}
	for p, k := range found {
		if drawn[p.from] && drawn[p.to] {
			g.Edges = append(g.Edges, Edge{From: p.from, To: p.to, Kinds: k})
		}
	}
	sort.Slice(g.Edges, func(i, j int) bool {
		a, b := g.Edges[i], g.Edges[j]
		if a.From != b.From {
			return componentIndex[a.From] < componentIndex[b.From]
		}
		return componentIndex[a.To] < componentIndex[b.To]
	})
	return g
}

// sourceGroupRefs lists the security groups a resource names as the source
// of inbound traffic (SourceSecurityGroupId in ingress rules).
func sourceGroupRefs(r *Resource) map[string]bool {
	out := map[string]bool{}
	if !strings.HasPrefix(r.Type, "AWS::EC2::SecurityGroup") {
		return out
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if k == "SourceSecurityGroupId" {
					for name := range cfn.References(e) {
						out[name] = true
					}
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(r.Body["Properties"])
	return out
}

// internetFacing reports whether any load balancer among rs is reachable from
// the internet (Scheme internet-facing, the default, or set by an intrinsic).
func internetFacing(rs []*Resource) bool {
	for _, r := range rs {
		if !strings.HasSuffix(r.Type, "::LoadBalancer") {
			continue
		}
		props, _ := r.Body["Properties"].(map[string]any)
		if s, ok := props["Scheme"].(string); !ok || s != "internal" {
			return true
		}
	}
	return false
}

// label is the component's name and what it holds: the logical ids of its
// primary resources, or their counts when there are more than three.
func label(c component, ms []*Resource) string {
	var prim []*Resource
	for _, r := range ms {
		if r.Type == "AWS::RDS::DBInstance" && member(r) {
			continue // an instance of a cluster: the cluster stands for it
		}
		for _, p := range c.primary {
			if r.Type == p {
				prim = append(prim, r)
				break
			}
		}
	}
	name := c.many
	switch {
	case len(prim) == 1:
		name = c.one
	case len(prim) == 0 && c.none != "":
		name = c.none
	}
	switch {
	case len(prim) == 0:
		return fmt.Sprintf("%s\n%s", name, count(len(ms), "resource"))
	case len(prim) <= 3:
		ids := make([]string, len(prim))
		for i, r := range prim {
			ids[i] = r.ID
		}
		return name + "\n" + strings.Join(ids, ", ")
	}
	var parts []string
	for _, p := range c.primary {
		n := 0
		for _, r := range prim {
			if r.Type == p {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, count(n, noun(p)))
		}
	}
	return name + "\n" + strings.Join(parts, ", ")
}

// member reports whether a database instance belongs to a cluster.
func member(r *Resource) bool {
	props, _ := r.Body["Properties"].(map[string]any)
	_, ok := props["DBClusterIdentifier"]
	return ok
}

// noun turns a type into words: "AWS::Logs::LogGroup" -> "log group".
func noun(typ string) string {
	last := typ[strings.LastIndex(typ, ":")+1:]
	var b strings.Builder
	for i, r := range last {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// count is "1 alarm", "7 alarms", "2 repositories".
func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	switch {
	case strings.HasSuffix(word, "y") && !strings.ContainsAny(word[len(word)-2:len(word)-1], "aeiou"):
		word = word[:len(word)-1] + "ies"
	case strings.HasSuffix(word, "s"), strings.HasSuffix(word, "x"):
		word += "es"
	default:
		word += "s"
	}
	return fmt.Sprintf("%d %s", n, word)
}

// sharedCondition is the condition every resource of a component has, or "".
func sharedCondition(rs []*Resource) string {
	c := rs[0].Condition
	for _, r := range rs[1:] {
		if r.Condition != c {
			return ""
		}
	}
	return c
}
