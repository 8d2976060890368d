package validate

import (
	_ "embed"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Compute rules: ECS on EC2 behind a capacity provider, its Auto Scaling
// group, launch template and user data, Spot, instance roles and IMDS.
var computeRuleSet = []Rule{
	{ID: "D530", Severity: Error, Title: "managed termination protection has managed scaling and scale-in protection",
		Fix: "set ManagedScaling Status ENABLED on the capacity provider (or ManagedTerminationProtection DISABLED)", Check: computeCheckTermination},
	{ID: "D531", Severity: Error, Title: "no DesiredCapacity on an Auto Scaling group a capacity provider manages",
		Fix: "remove DesiredCapacity and keep MinSize/MaxSize: the capacity provider sets the desired capacity", Check: computeCheckDesired},
	{ID: "D532", Severity: Error, Title: "Spot capacity is in the capacity provider's Auto Scaling group",
		Fix: "put Spot in the capacity provider group's MixedInstancesPolicy (on-demand base, price-capacity-optimized, 2+ instance types) and remove the separate fleet or group", Check: computeCheckStraySpot},
	{ID: "D533", Severity: Error, Title: "ECS container instances reach ECS and ECR",
		Fix: "route 0.0.0.0/0 from their subnets to a NAT gateway, or add ecs, ecs-agent, ecs-telemetry, ecr.api, ecr.dkr and logs interface endpoints and the S3 gateway endpoint", Check: computeCheckEgress},
	{ID: "D534", Severity: Error, Title: "container instance user data sets ECS_CLUSTER",
		Fix: "write ECS_CLUSTER=${Cluster} to /etc/ecs/ecs.config in the launch template's user data", Check: computeCheckUserData},
	{ID: "D535", Severity: Error, Title: "capacity provider names do not start with aws, ecs or fargate",
		Fix: "name it explicitly, e.g. Name: !Sub cp-${AWS::StackName}", Check: computeCheckProviderName},
	{ID: "D536", Severity: Error, Title: "attached managed policies exist and are attachable",
		Fix: "use an existing AWS managed policy with its path (e.g. policy/service-role/...) or an inline policy", Check: computeCheckPolicies},
	{ID: "D537", Severity: Warning, Title: "instances require IMDSv2",
		Fix: "set MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}", Check: computeCheckIMDS},
	{ID: "D538", Severity: Error, Title: "capacity-provider strategies name providers associated with the cluster",
		Fix: "list the provider in the cluster's CapacityProviders (AWS::ECS::ClusterCapacityProviderAssociations or the cluster's own), or name one that is", Check: computeCheckStrategies},
	{ID: "D539", Severity: Error, Title: "the bastion has a public IP in a public subnet", Profile: ProfileBackend,
		Fix: "give the bastion's network interface AssociatePublicIpAddress: true (or an Elastic IP) and a subnet associated with the internet route table", Check: computeCheckBastion},
	{ID: "D549", Severity: Error, Title: "Lambda runtimes are ones AWS still lets you create functions with",
		Fix: "move to a supported runtime (the finding names the successor)", Check: computeCheckRuntimes},
}

const (
	computeASGType = "AWS::AutoScaling::AutoScalingGroup"
	computeLCType  = "AWS::AutoScaling::LaunchConfiguration"
	computeLTType  = "AWS::EC2::LaunchTemplate"
	computeCPType  = "AWS::ECS::CapacityProvider"
)

// computeManaged maps each Auto Scaling group a capacity provider manages to
// that provider.
func computeManaged(t *Template) map[string]string {
	out := map[string]string{}
	for _, cp := range t.OfType(computeCPType) {
		asgp, _ := cp.Properties["AutoScalingGroupProvider"].(map[string]any)
		for _, g := range netTargets(t, asgp["AutoScalingGroupArn"], computeASGType) {
			if _, ok := out[g.ID]; !ok {
				out[g.ID] = cp.ID
			}
		}
	}
	return out
}

func computeHasCluster(t *Template) bool {
	return len(t.OfType("AWS::ECS::Cluster")) > 0
}

// computeLaunch returns the launch template or launch configuration of an
// Auto Scaling group, when it is in the template.
func computeLaunch(t *Template, g Resource) (Resource, bool) {
	src := netTargets(t, []any{g.Properties["LaunchTemplate"], g.Properties["MixedInstancesPolicy"],
		g.Properties["LaunchConfigurationName"]}, computeLTType, computeLCType)
	if len(src) == 0 {
		return Resource{}, false
	}
	return src[0], true
}

// computeData returns the instance settings of a launch template
// (LaunchTemplateData) or configuration, and their property path prefix.
func computeData(src Resource) (map[string]any, string) {
	if src.Type == computeLTType {
		d, _ := src.Properties["LaunchTemplateData"].(map[string]any)
		return d, "LaunchTemplateData/"
	}
	return src.Properties, ""
}

// computeText renders a value as the text it stands for: strings as they
// are, Fn::Sub templates with their ${} kept, Ref and GetAtt as ${Name},
// Fn::Join joined, each Fn::If branch on its own line.
func computeText(v any) string {
	var b strings.Builder
	var render func(v any)
	render = func(v any) {
		f, a, isFn := fn(v)
		switch {
		case isFn && (f == "Ref" || f == "Fn::GetAtt"):
			b.WriteString("${" + refTarget(v) + "}")
		case isFn && f == "Fn::Sub":
			s, vars := subParts(a)
			b.WriteString(s)
			for _, k := range keys(vars) {
				b.WriteString("\n")
				render(vars[k])
			}
		case isFn && f == "Fn::Join":
			l, _ := a.([]any)
			if len(l) != 2 {
				return
			}
			sep, _ := l[0].(string)
			parts, ok := l[1].([]any)
			if !ok {
				render(l[1])
				return
			}
			for i, p := range parts {
				if i > 0 {
					b.WriteString(sep)
				}
				render(p)
			}
		case isFn && f == "Fn::If":
			for _, br := range netBranches(v) {
				render(br)
				b.WriteString("\n")
			}
		case isFn:
			render(a)
		default:
			switch x := v.(type) {
			case []any:
				for _, e := range x {
					render(e)
					b.WriteString("\n")
				}
			case map[string]any:
				for _, k := range keys(x) {
					render(x[k])
					b.WriteString("\n")
				}
			default:
				if s, ok := literal(x); ok {
					b.WriteString(s)
				}
			}
		}
	}
	render(v)
	return b.String()
}

// computePlaceholder matches the ${} of computed values in rendered text.
var computePlaceholder = regexp.MustCompile(`\$\{[^}]*\}`)

// computeUserData returns the text a launch source gives its instances: user
// data and cfn-init metadata. known is false when the user data is wholly
// computed (a parameter, an import).
func computeUserData(src Resource) (text string, set, known bool) {
	data, _ := computeData(src)
	ud, set := data["UserData"]
	text = computeText(ud) + "\n" + computeText(src.Body["Metadata"])
	known = !set || strings.TrimSpace(computePlaceholder.ReplaceAllString(computeText(ud), "")) != ""
	return text, set, known
}

func computeJoinsCluster(src Resource) bool {
	text, _, _ := computeUserData(src)
	return strings.Contains(text, "ECS_CLUSTER=")
}

// computeSpot says how an Auto Scaling group may request Spot instances, or "".
func computeSpot(t *Template, g Resource) string {
	mip, _ := g.Properties["MixedInstancesPolicy"].(map[string]any)
	dist, _ := mip["InstancesDistribution"].(map[string]any)
	for _, b := range netBranches(dist["OnDemandPercentageAboveBaseCapacity"]) {
		if n, ok := number(b); ok && n < 100 {
			return "its MixedInstancesPolicy runs capacity above the on-demand base on Spot"
		}
	}
	src, ok := computeLaunch(t, g)
	if !ok {
		return ""
	}
	data, _ := computeData(src)
	if src.Type == computeLCType && netGives(data["SpotPrice"]) {
		return "its launch configuration " + src.ID + " sets SpotPrice"
	}
	imo, _ := data["InstanceMarketOptions"].(map[string]any)
	for _, b := range netBranches(imo["MarketType"]) {
		if s, ok := literal(b); ok && strings.EqualFold(s, "spot") {
			return "its launch template " + src.ID + " sets InstanceMarketOptions MarketType spot"
		}
	}
	return ""
}

// D530

func computeCheckTermination(t *Template) []Finding {
	var out []Finding
	for _, cp := range t.OfType(computeCPType) {
		asgp, _ := cp.Properties["AutoScalingGroupProvider"].(map[string]any)
		if s, _ := literal(asgp["ManagedTerminationProtection"]); !strings.EqualFold(s, "ENABLED") {
			continue
		}
		ms, _ := asgp["ManagedScaling"].(map[string]any)
		_, _, computed := fn(ms)
		if s, ok := literal(ms["Status"]); !computed && !strings.EqualFold(s, "ENABLED") && (ok || ms["Status"] == nil) {
			out = append(out, at(cp, "AutoScalingGroupProvider/ManagedTerminationProtection",
				"capacity provider %s enables managed termination protection without ManagedScaling Status ENABLED: termination protection does not work without managed scaling", cp.ID))
		}
		for _, g := range netTargets(t, asgp["AutoScalingGroupArn"], computeASGType) {
			v, set := g.Properties["NewInstancesProtectedFromScaleIn"]
			if _, lit := literal(v); truthy(v) || (set && !lit) {
				continue
			}
			f := at(g, "", "Auto Scaling group %s lacks NewInstancesProtectedFromScaleIn: true, which managed termination protection of capacity provider %s requires", g.ID, cp.ID)
			if set {
				f.Path += "/Properties/NewInstancesProtectedFromScaleIn"
			}
			f.Fix = "set NewInstancesProtectedFromScaleIn: true on the Auto Scaling group"
			out = append(out, f)
		}
	}
	return out
}

// D531

func computeCheckDesired(t *Template) []Finding {
	var out []Finding
	managed := computeManaged(t)
	for _, g := range t.OfType(computeASGType) {
		if cp, ok := managed[g.ID]; ok && netGives(g.Properties["DesiredCapacity"]) {
			out = append(out, at(g, "DesiredCapacity", "Auto Scaling group %s sets DesiredCapacity, but capacity provider %s manages it: every stack update resets the capacity ECS scaled to", g.ID, cp))
		}
	}
	return out
}

// D532

func computeCheckStraySpot(t *Template) []Finding {
	if !computeHasCluster(t) {
		return nil
	}
	var out []Finding
	managed := computeManaged(t)
	for _, r := range t.Resources() {
		switch r.Type {
		case "AWS::EC2::SpotFleet":
			out = append(out, at(r, "", "Spot fleet %s runs Spot instances that no ECS capacity provider manages: ECS neither scales nor drains them", r.ID))
		case "AWS::EC2::EC2Fleet":
			spec, _ := r.Properties["TargetCapacitySpecification"].(map[string]any)
			spot := false
			for _, b := range netBranches(spec["DefaultTargetCapacityType"]) {
				s, _ := literal(b)
				spot = spot || strings.EqualFold(s, "spot")
			}
			if n, ok := number(spec["SpotTargetCapacity"]); spot || (ok && n > 0) {
				out = append(out, at(r, "TargetCapacitySpecification", "EC2 fleet %s runs Spot instances that no ECS capacity provider manages: ECS neither scales nor drains them", r.ID))
			}
		case computeASGType:
			if _, ok := managed[r.ID]; ok {
				continue
			}
			if how := computeSpot(t, r); how != "" {
				out = append(out, at(r, "", "Auto Scaling group %s requests Spot (%s), but no ECS capacity provider manages it: ECS neither scales nor drains it", r.ID, how))
			}
		}
	}
	return out
}

// D533

// computeContainerGroups lists the Auto Scaling groups that run ECS
// container instances: managed by a capacity provider, or whose user data
// joins a cluster.
func computeContainerGroups(t *Template) []Resource {
	managed := computeManaged(t)
	var out []Resource
	for _, g := range t.OfType(computeASGType) {
		src, ok := computeLaunch(t, g)
		if _, m := managed[g.ID]; m || (ok && computeJoinsCluster(src)) {
			out = append(out, g)
		}
	}
	return out
}

// computeEndpoints reports whether a VPC ("" for any) has interface
// endpoints for both ECS and ECR, or endpoints whose service is computed.
func computeEndpoints(t *Template, vpc string) bool {
	ecs, ecr := false, false
	for _, e := range t.OfType("AWS::EC2::VPCEndpoint") {
		if typ, _ := literal(e.Properties["VpcEndpointType"]); !strings.EqualFold(typ, "Interface") {
			continue
		}
		if vpc != "" && !contains(references(e.Properties["VpcId"]), vpc) {
			continue
		}
		name := strings.TrimSpace(computeText(e.Properties["ServiceName"]))
		switch {
		case strings.HasSuffix(name, ".ecs"):
			ecs = true
		case strings.HasSuffix(name, ".ecr.dkr"), strings.HasSuffix(name, ".ecr.api"):
			ecr = true
		case !strings.Contains(name, "com.amazonaws."):
			return true // computed: cannot tell
		}
	}
	return ecs && ecr
}

// computePublicIP reports whether instances may get a public IP in a subnet.
func computePublicIP(t *Template, g, subnet Resource) bool {
	if v, ok := subnet.Properties["MapPublicIpOnLaunch"]; ok {
		if _, lit := literal(v); truthy(v) || !lit {
			return true
		}
	}
	src, ok := computeLaunch(t, g)
	if !ok {
		return false
	}
	data, _ := computeData(src)
	var vals []any
	if src.Type == computeLCType {
		vals = append(vals, data["AssociatePublicIpAddress"])
	}
	nics, _ := data["NetworkInterfaces"].([]any)
	for _, n := range nics {
		m, _ := n.(map[string]any)
		vals = append(vals, m["AssociatePublicIpAddress"])
	}
	for _, v := range vals {
		if _, lit := literal(v); truthy(v) || (v != nil && !lit) {
			return true
		}
	}
	return false
}

func computeCheckEgress(t *Template) []Finding {
	var out []Finding
	for _, g := range computeContainerGroups(t) {
		var closed, noIP []string
		for _, s := range netTargets(t, g.Properties["VPCZoneIdentifier"], netSubnetType) {
			vpc := ""
			if v := netTargets(t, s.Properties["VpcId"], "AWS::EC2::VPC"); len(v) > 0 {
				vpc = v[0].ID
			}
			if computeEndpoints(t, vpc) {
				continue
			}
			switch netSubnetEgress(t, s.ID) {
			case netNoEgress:
				closed = append(closed, s.ID)
			case netEgressIGW:
				if !computePublicIP(t, g, s) {
					noIP = append(noIP, s.ID)
				}
			}
		}
		if len(closed) > 0 {
			out = append(out, at(g, "VPCZoneIdentifier", "Auto Scaling group %s runs ECS container instances in %s, with no 0.0.0.0/0 route to a NAT gateway (or other egress) and no ECS/ECR interface endpoints: the ECS agent never registers", g.ID, computeSubnets(closed)))
		}
		if len(noIP) > 0 {
			f := at(g, "VPCZoneIdentifier", "Auto Scaling group %s runs ECS container instances in %s, which route to an internet gateway, but the instances get no public IP: the ECS agent never registers", g.ID, computeSubnets(noIP))
			f.Fix = "use private subnets with a NAT gateway, or give the instances public IPs (MapPublicIpOnLaunch or AssociatePublicIpAddress)"
			out = append(out, f)
		}
	}
	return out
}

func computeSubnets(ids []string) string {
	if len(ids) == 1 {
		return "subnet " + ids[0]
	}
	return "subnets " + strings.Join(ids, ", ")
}

// D534

// computeSpotDraining matches the Spot draining setting, true or from a parameter.
var computeSpotDraining = regexp.MustCompile(`ECS_ENABLE_SPOT_INSTANCE_DRAINING=(true|\$\{[^}]+\})`)

func computeCheckUserData(t *Template) []Finding {
	managed := computeManaged(t)
	cluster := computeHasCluster(t)
	var out []Finding
	done := map[string]bool{}
	for _, g := range t.OfType(computeASGType) {
		_, m := managed[g.ID]
		src, ok := computeLaunch(t, g)
		if !ok || done[src.ID] || !(m || cluster) {
			continue
		}
		done[src.ID] = true
		text, set, known := computeUserData(src)
		if !known {
			continue
		}
		_, prefix := computeData(src)
		prop := prefix + "UserData"
		if !set {
			prop = strings.TrimSuffix(prefix, "/")
		}
		if !strings.Contains(text, "ECS_CLUSTER=") {
			what := "user data does not set ECS_CLUSTER"
			if !set {
				what = "has no user data to set ECS_CLUSTER"
			}
			out = append(out, at(src, prop, "%s (used by Auto Scaling group %s) %s: its instances join the cluster named \"default\", not this stack's", src.ID, g.ID, what))
		}
		if how := computeSpot(t, g); how != "" && !computeSpotDraining.MatchString(text) {
			f := at(src, prop, "%s (used by Auto Scaling group %s, where %s) does not set ECS_ENABLE_SPOT_INSTANCE_DRAINING=true: tasks are not drained before a Spot interruption", src.ID, g.ID, how)
			f.Severity = Warning
			f.Fix = "add ECS_ENABLE_SPOT_INSTANCE_DRAINING=true to /etc/ecs/ecs.config in the user data"
			out = append(out, f)
		}
	}
	return out
}

// D535

func computeCheckProviderName(t *Template) []Finding {
	var out []Finding
	for _, cp := range t.OfType(computeCPType) {
		v, set := cp.Properties["Name"]
		name, prefix, derived := "", "", false
		if s, ok := literal(v); ok {
			name, prefix = s, s
		} else if f, a, _ := fn(v); f == "Fn::Sub" {
			name, _ = subParts(a)
			prefix, _, _ = strings.Cut(name, "${")
			derived = strings.HasPrefix(name, "${AWS::StackName}")
		}
		low := strings.ToLower(prefix)
		for _, bad := range []string{"aws", "ecs", "fargate"} {
			if strings.HasPrefix(low, bad) {
				out = append(out, at(cp, "Name", "capacity provider %s is named %q, which starts with %q: ECS refuses names starting with aws, ecs or fargate", cp.ID, name, bad))
				break
			}
		}
		if !set || (derived && prefix == "") {
			prop, why := "", "has no Name, so CloudFormation derives one from the stack name"
			if set {
				prop, why = "Name", "is named after the stack"
			}
			f := at(cp, prop, "capacity provider %s %s: a stack name starting with aws, ecs or fargate makes the creation fail", cp.ID, why)
			f.Severity = Warning
			out = append(out, f)
		}
	}
	return out
}

// D536

// computePolicyPaths are the paths of AWS managed policies that templates
// often get wrong ("aws-service-role/" policies are not attachable).
var computePolicyPaths = map[string]string{
	"AmazonECSTaskExecutionRolePolicy":          "service-role/",
	"AmazonEC2ContainerServiceforEC2Role":       "service-role/",
	"AmazonEC2ContainerServiceRole":             "service-role/",
	"AmazonEC2ContainerServiceAutoscaleRole":    "service-role/",
	"AmazonRDSEnhancedMonitoringRole":           "service-role/",
	"AWSLambdaBasicExecutionRole":               "service-role/",
	"AWSLambdaVPCAccessExecutionRole":           "service-role/",
	"AmazonEC2RoleforSSM":                       "service-role/",
	"AmazonSSMManagedInstanceCore":              "",
	"CloudWatchAgentServerPolicy":               "",
	"AmazonEC2ContainerRegistryReadOnly":        "",
	"AmazonECSServiceRolePolicy":                "aws-service-role/",
	"AmazonRDSServiceRolePolicy":                "aws-service-role/",
	"AmazonElasticsearchServiceRolePolicy":      "aws-service-role/",
	"AWSApplicationAutoscalingECSServicePolicy": "aws-service-role/",
}

// computeInventedPolicies are names that are not AWS managed policies at all.
var computeInventedPolicies = []string{"AWSRDSProxyServiceRole"}

// computePolicyPath returns the path and name of an AWS managed policy ARN.
func computePolicyPath(s string) (string, bool) {
	_, rest, ok := strings.Cut(s, ":iam::aws:policy/")
	return rest, ok
}

// computePolicyProblem says why a managed policy ARN cannot be attached, or "".
func computePolicyProblem(s string) string {
	rest, ok := computePolicyPath(s)
	if !ok {
		return ""
	}
	i := strings.LastIndex(rest, "/") + 1
	path, name := rest[:i], rest[i:]
	want, known := computePolicyPaths[name]
	switch {
	case contains(computeInventedPolicies, name):
		return fmt.Sprintf("there is no AWS managed policy %s", name)
	case strings.HasPrefix(path, "aws-service-role/") || (known && want == "aws-service-role/"):
		return fmt.Sprintf("%s is the policy of a service-linked role, which cannot be attached to a role", name)
	case known && path != want:
		return fmt.Sprintf("there is no policy/%s%s: the AWS managed policy is policy/%s%s", path, name, want, name)
	}
	return ""
}

func computeCheckPolicies(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		if r.Type != "AWS::IAM::Role" && r.Type != "AWS::IAM::User" && r.Type != "AWS::IAM::Group" {
			continue
		}
		walk(pathOf("Resources/"+r.ID+"/Properties/ManagedPolicyArns"), r.Properties["ManagedPolicyArns"], func(p *nodePath, v any) {
			if s, ok := v.(string); ok {
				if problem := computePolicyProblem(s); problem != "" {
					rest, _ := computePolicyPath(s)
					out = append(out, Finding{Resource: r.ID, Path: p.String(), Message: fmt.Sprintf("%s attaches AWS managed policy policy/%s: %s; the stack fails", r.ID, rest, problem)})
				}
			}
		})
	}
	return out
}

// D537

func computeCheckIMDS(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		var data map[string]any
		prefix := ""
		switch r.Type {
		case computeLTType, computeLCType:
			data, prefix = computeData(r)
		case "AWS::EC2::Instance":
			data = r.Properties
			if _, ok := data["MetadataOptions"]; !ok && data["LaunchTemplate"] != nil {
				continue // its launch template decides
			}
		default:
			continue
		}
		mo, _ := data["MetadataOptions"].(map[string]any)
		v, set := mo["HttpTokens"]
		s, ok := literal(v)
		if set && !ok {
			continue // chosen by an intrinsic
		}
		if strings.EqualFold(s, "required") {
			continue
		}
		prop := prefix + "MetadataOptions/HttpTokens"
		if !set {
			prop = strings.TrimSuffix(prefix, "/")
		}
		state := "does not set MetadataOptions HttpTokens (IMDSv1 stays on)"
		if set {
			state = fmt.Sprintf("sets HttpTokens %s (IMDSv1 stays on)", s)
		}
		out = append(out, at(r, prop, "%s %s: any SSRF in a container or process can read the instance role's credentials", r.ID, state))
	}
	return out
}

// D538

// computeProviderNames returns the capacity providers a list names, as
// logical ids (Ref) or literal names (FARGATE, FARGATE_SPOT, existing ones).
func computeProviderNames(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, e := range l {
		if id := refTarget(e); id != "" {
			out = append(out, id)
		} else if s, ok := literal(e); ok {
			out = append(out, s)
		}
	}
	return out
}

// computeStrategyProviders lists the providers of a capacity-provider
// strategy, with their index; intrinsics it cannot read are left out.
func computeStrategyProviders(v any) map[int]string {
	out := map[int]string{}
	l, _ := v.([]any)
	for i, e := range l {
		m, _ := e.(map[string]any)
		if id := refTarget(m["CapacityProvider"]); id != "" {
			out[i] = id
		} else if s, ok := literal(m["CapacityProvider"]); ok {
			out[i] = s
		}
	}
	return out
}

func computeCheckStrategies(t *Template) []Finding {
	var out []Finding
	associated := map[string][]string{} // cluster -> providers
	known := map[string]bool{}          // clusters whose providers the template states
	check := func(r Resource, prop, cluster string, strategy any) {
		if !known[cluster] {
			return
		}
		for i, p := range computeStrategyProviders(strategy) {
			if !contains(associated[cluster], p) {
				out = append(out, at(r, fmt.Sprintf("%s/%d/CapacityProvider", prop, i), "%s names capacity provider %s, which is not associated with cluster %s (it has: %s): the stack fails", r.ID, p, cluster, strings.Join(associated[cluster], ", ")))
			}
		}
	}
	for _, c := range t.OfType("AWS::ECS::Cluster") {
		if v, ok := c.Properties["CapacityProviders"]; ok {
			if _, _, isFn := fn(v); !isFn {
				known[c.ID] = true
				associated[c.ID] = append(associated[c.ID], computeProviderNames(v)...)
			}
		}
	}
	assocs := t.OfType("AWS::ECS::ClusterCapacityProviderAssociations")
	for _, a := range assocs {
		cluster := refTarget(a.Properties["Cluster"])
		if cluster == "" {
			cluster, _ = literal(a.Properties["Cluster"])
		}
		if _, _, isFn := fn(a.Properties["CapacityProviders"]); isFn {
			continue
		}
		known[cluster] = true
		associated[cluster] = append(associated[cluster], computeProviderNames(a.Properties["CapacityProviders"])...)
	}
	for _, c := range t.OfType("AWS::ECS::Cluster") {
		check(c, "DefaultCapacityProviderStrategy", c.ID, c.Properties["DefaultCapacityProviderStrategy"])
	}
	for _, a := range assocs {
		cluster := refTarget(a.Properties["Cluster"])
		if cluster == "" {
			cluster, _ = literal(a.Properties["Cluster"])
		}
		check(a, "DefaultCapacityProviderStrategy", cluster, a.Properties["DefaultCapacityProviderStrategy"])
	}
	for _, s := range t.OfType("AWS::ECS::Service") {
		check(s, "CapacityProviderStrategy", refTarget(s.Properties["Cluster"]), s.Properties["CapacityProviderStrategy"])
	}
	return out
}

// D539

// computeBastions lists the instances the backend uses as a bastion: a
// logical id naming it, or SSH open to addresses outside the private ranges
// (a literal public CIDR, or one from a parameter).
func computeBastions(t *Template) []Resource {
	var out []Resource
	sshFromCIDR := map[string]bool{}
	for _, r := range t.sgRules() {
		if !r.ingress || !r.covers(22) {
			continue
		}
		for _, k := range []string{"CidrIp", "CidrIpv6"} {
			v, ok := r.props[k]
			if !ok {
				continue
			}
			s, lit := literal(v)
			if name := refTarget(v); !lit && name != "" {
				s, lit = t.paramValue(name) // the params file's value or the Default
			}
			if !lit || !computePrivateCIDR(s) {
				sshFromCIDR[r.group] = true
			}
		}
	}
	for _, i := range t.OfType("AWS::EC2::Instance") {
		bastion := strings.Contains(strings.ToLower(i.ID), "bastion")
		groups := references(i.Properties["SecurityGroupIds"])
		nics, _ := i.Properties["NetworkInterfaces"].([]any)
		for _, n := range nics {
			m, _ := n.(map[string]any)
			groups = append(groups, references(m["GroupSet"])...)
		}
		for _, g := range groups {
			bastion = bastion || sshFromCIDR[g]
		}
		if bastion {
			out = append(out, i)
		}
	}
	return out
}

func computeCheckBastion(t *Template) []Finding {
	var out []Finding
	internet := netInternetTables(t)
	tables := map[string][]string{}
	for _, a := range t.OfType("AWS::EC2::SubnetRouteTableAssociation") {
		s := refTarget(a.Properties["SubnetId"])
		tables[s] = append(tables[s], refTarget(a.Properties["RouteTableId"]))
	}
	eip := map[string]bool{}
	for _, e := range append(t.OfType("AWS::EC2::EIP"), t.OfType("AWS::EC2::EIPAssociation")...) {
		if id := refTarget(e.Properties["InstanceId"]); id != "" {
			eip[id] = true
		}
	}
	for _, b := range computeBastions(t) {
		subnet := refTarget(b.Properties["SubnetId"])
		public := eip[b.ID]
		nics, _ := b.Properties["NetworkInterfaces"].([]any)
		for _, n := range nics {
			m, _ := n.(map[string]any)
			if id := refTarget(m["SubnetId"]); id != "" {
				subnet = id
			}
			public = public || mayBeTrue(m["AssociatePublicIpAddress"])
		}
		s, inTemplate := t.Resource(subnet)
		if !inTemplate || s.Type != netSubnetType {
			continue // a subnet from a parameter: its routes are not known here
		}
		public = public || mayBeTrue(s.Properties["MapPublicIpOnLaunch"])
		if !public {
			out = append(out, at(b, "", "bastion %s gets no public IP (no AssociatePublicIpAddress, Elastic IP or MapPublicIpOnLaunch): nobody can reach it over SSH", b.ID))
		}
		routed := false
		for _, rt := range tables[subnet] {
			if r, ok := t.Resource(rt); !ok || r.Type != netRouteTableType || internet[rt] {
				routed = true
			}
		}
		if !routed {
			out = append(out, at(b, "", "bastion %s is in subnet %s, which has no route to an internet gateway: nobody can reach it over SSH", b.ID, subnet))
		}
	}
	return out
}

// D549

//go:embed lambda_runtimes.txt
var lambdaRuntimeData string

type lambdaRuntime struct{ deprecated, createBlock, successor string }

var (
	lambdaRuntimesOnce sync.Once
	lambdaRuntimes     map[string]lambdaRuntime
	lambdaSource       string
)

func computeCheckRuntimes(t *Template) []Finding {
	lambdaRuntimesOnce.Do(func() {
		lambdaRuntimes = map[string]lambdaRuntime{}
		for _, line := range strings.Split(lambdaRuntimeData, "\n") {
			if src, ok := strings.CutPrefix(line, "# source: "); ok {
				lambdaSource = src
				continue
			}
			if f := strings.Fields(line); len(f) == 5 {
				lambdaRuntimes[f[0]] = lambdaRuntime{f[1], f[2], f[4]}
			}
		}
	})
	today := t.Today
	if today == "" {
		today = time.Now().UTC().Format("2006-01-02")
	}
	var out []Finding
	for _, r := range t.Resources() {
		if r.Type != "AWS::Lambda::Function" && r.Type != "AWS::Serverless::Function" {
			continue
		}
		name, ok := literal(r.Properties["Runtime"])
		rt, known := lambdaRuntimes[name]
		if !ok || !known {
			continue
		}
		next := ""
		if rt.successor != "-" {
			next = ", e.g. " + rt.successor
		}
		switch {
		case rt.createBlock <= today:
			f := at(r, "Runtime", "%s uses runtime %s, with which AWS blocks creating functions since %s (%s): the stack fails; use a supported runtime%s", r.ID, name, rt.createBlock, lambdaSource, next)
			out = append(out, f)
		case rt.deprecated <= today:
			f := at(r, "Runtime", "%s uses runtime %s, deprecated since %s; creating functions with it is blocked from %s%s", r.ID, name, rt.deprecated, rt.createBlock, next)
			f.Severity = Warning
			out = append(out, f)
		}
	}
	return out
}

// computePrivateCIDR reports whether a CIDR lies in a private range (RFC
// 1918, IPv6 unique local): SSH from there is not from the internet.
func computePrivateCIDR(cidr string) bool {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false
	}
	for _, private := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"} {
		if r := netip.MustParsePrefix(private); r.Overlaps(p) && p.Bits() >= r.Bits() {
			return true
		}
	}
	return false
}
