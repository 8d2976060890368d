package validate

import (
	"fmt"
	"strings"
)

// Security rules (C6xx): the checks on IAM policies and roles.

// --- IAM ---

// secPolicyDocs lists every IAM policy document of the template with its
// resource and path.
type secDoc struct {
	owner Resource
	prop  string
	doc   any
}

func (t *Template) secPolicyDocs() []secDoc {
	var out []secDoc
	for _, r := range t.Resources() {
		switch r.Type {
		case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
			list, _ := r.Properties["Policies"].([]any)
			for i, p := range list {
				pm, _ := p.(map[string]any)
				out = append(out, secDoc{r, fmt.Sprintf("Policies/%d/PolicyDocument", i), pm["PolicyDocument"]})
			}
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy":
			out = append(out, secDoc{r, "PolicyDocument", r.Properties["PolicyDocument"]})
		}
	}
	return out
}

func secAllows(st map[string]any) bool {
	e, _ := literal(st["Effect"])
	return e == "Allow"
}

func secStarAction(t *Template) []Finding {
	var out []Finding
	for _, d := range t.secPolicyDocs() {
		for i, st := range statementsOf(d.doc) {
			if !secAllows(st) {
				continue
			}
			prop := fmt.Sprintf("%s/Statement/%d", d.prop, i)
			if _, ok := st["NotAction"]; ok {
				out = append(out, at(d.owner, prop, "%s allows NotAction: every action but the listed ones", d.owner.ID))
				continue
			}
			for _, a := range secStrings(st["Action"]) {
				switch svc, act, _ := strings.Cut(a, ":"); {
				case a == "*" || a == "*:*":
					out = append(out, at(d.owner, prop, "%s allows Action '*'", d.owner.ID))
				case act == "*":
					out = append(out, at(d.owner, prop, "%s allows every %s action (%s)", d.owner.ID, svc, a))
				}
			}
		}
	}
	return out
}

// secNoResourceActions are actions that take no resource ARN, so Resource
// '*' is the only possible value (service authorization reference:
// "Resource types" column empty).
var secNoResourceActions = map[string]bool{
	"ecr:getauthorizationtoken":        true,
	"logs:describeloggroups":           true,
	"cloudwatch:putmetricdata":         true,
	"cloudwatch:getmetricdata":         true,
	"cloudwatch:listmetrics":           true,
	"xray:puttracesegments":            true,
	"xray:puttelemetryrecords":         true,
	"ec2:describeinstances":            true,
	"ec2:describetags":                 true,
	"ec2:describenetworkinterfaces":    true,
	"ecs:createcluster":                true,
	"ecs:discoverpollendpoint":         true,
	"ssm:describeparameters":           true,
	"secretsmanager:listsecrets":       true,
	"sts:getcalleridentity":            true,
	"kms:listaliases":                  true,
	"s3:listallmybuckets":              true,
	"ssmmessages:createcontrolchannel": true,
	"ssmmessages:createdatachannel":    true,
	"ssmmessages:opencontrolchannel":   true,
	"ssmmessages:opendatachannel":      true,
	"ec2messages:acknowledgemessage":   true,
	"ec2messages:deletemessage":        true,
	"ec2messages:failmessage":          true,
	"ec2messages:getendpoint":          true,
	"ec2messages:getmessages":          true,
	"ec2messages:sendreply":            true,
}

// secWildcardARN reports whether a resource names everything: '*', or an
// ARN whose account or whole resource part is '*' (arn:aws:iam::*:*,
// arn:aws:s3:::*).
func secWildcardARN(r string) bool {
	if r == "*" {
		return true
	}
	parts := strings.SplitN(r, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return false
	}
	return parts[4] == "*" || parts[5] == "*"
}

func secStarResource(t *Template) []Finding {
	var out []Finding
	for _, d := range t.secPolicyDocs() {
		for i, st := range statementsOf(d.doc) {
			wild := ""
			for _, r := range secStrings(st["Resource"]) {
				if secWildcardARN(r) {
					wild = r
					break
				}
			}
			if !secAllows(st) || wild == "" {
				continue
			}
			var scoped []string
			for _, a := range secStrings(st["Action"]) {
				if !secNoResourceActions[strings.ToLower(a)] {
					scoped = append(scoped, a)
				}
			}
			if len(scoped) > 0 {
				out = append(out, at(d.owner, fmt.Sprintf("%s/Statement/%d/Resource", d.prop, i),
					"%s allows %s on Resource '%s' although they take resource ARNs", d.owner.ID, strings.Join(scoped, ", "), wild))
			}
		}
	}
	return out
}

// secManagedPolicyNames returns the AWS managed policy names a role
// attaches (arn:...:iam::aws:policy/[path/]Name), with their index.
func secManagedPolicyNames(r Resource) []string {
	var out []string
	list, _ := r.Properties["ManagedPolicyArns"].([]any)
	for _, e := range list {
		for _, s := range stringsIn(e) {
			if i := strings.Index(s, ":iam::aws:policy/"); i >= 0 {
				name := s[i+len(":iam::aws:policy/"):]
				out = append(out, name[strings.LastIndex(name, "/")+1:])
			}
		}
	}
	return out
}

var secAdminPolicyNames = map[string]bool{"AdministratorAccess": true, "PowerUserAccess": true, "IAMFullAccess": true}

func secAdminPolicies(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType("AWS::IAM::Role") {
		for _, name := range secManagedPolicyNames(r) {
			if secAdminPolicyNames[name] || strings.HasSuffix(name, "FullAccess") {
				out = append(out, at(r, "ManagedPolicyArns", "%s attaches %s", r.ID, name))
			}
		}
	}
	return out
}

// secStandardPolicies are the AWS managed policies that AWS documents as the
// standard for a role trusted by a service.
var secStandardPolicies = map[string][]string{
	"ec2.amazonaws.com":            {"AmazonEC2ContainerServiceforEC2Role", "AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"},
	"ecs-tasks.amazonaws.com":      {"AmazonECSTaskExecutionRolePolicy"},
	"monitoring.rds.amazonaws.com": {"AmazonRDSEnhancedMonitoringRole"},
	"lambda.amazonaws.com":         {"AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole"},
}

// secTrusted lists the service principals a role's trust policy names.
func secTrusted(r Resource) []string {
	var out []string
	for _, st := range statementsOf(r.Properties["AssumeRolePolicyDocument"]) {
		p, _ := st["Principal"].(map[string]any)
		out = append(out, secStrings(p["Service"])...)
	}
	return out
}

func secManagedPolicies(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType("AWS::IAM::Role") {
		allowed := map[string]bool{}
		for _, svc := range secTrusted(r) {
			for _, p := range secStandardPolicies[svc] {
				allowed[p] = true
			}
		}
		for _, name := range secManagedPolicyNames(r) {
			if !allowed[name] && !secAdminPolicyNames[name] && !strings.HasSuffix(name, "FullAccess") {
				out = append(out, at(r, "ManagedPolicyArns", "%s attaches %s, not a standard policy for the services it trusts (%s)", r.ID, name, strings.Join(secTrusted(r), ", ")))
			}
		}
	}
	return out
}
