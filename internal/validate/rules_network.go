package validate

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/cfngen/cfngen/internal/awsfacts"
)

// Network and general rules: availability zones, partitions and account ids,
// the internet gateway, VPC DNS, and subnets spread over AZs.
var networkRuleSet = []Rule{
	{ID: "D540", Severity: Error, Title: "availability zones are not hard-coded",
		Fix: "use !Select [i, !GetAZs ''] (or a parameter of type AWS::EC2::AvailabilityZone::Name)", Check: netCheckAZs},
	{ID: "D541", Severity: Warning, Title: "partitions and account ids are not hard-coded",
		Fix: "write !Sub arn:${AWS::Partition}:... and ${AWS::AccountId} instead of arn:aws: and a literal account id", Check: netCheckArns},
	{ID: "D542", Severity: Warning, Title: "resources that need the internet gateway wait for its attachment",
		Fix: "add DependsOn: <the AWS::EC2::VPCGatewayAttachment> (directly or through a resource that has it)", Check: netCheckGatewayOrder},
	{ID: "D543", Severity: Warning, Title: "VPCs have DNS support and DNS hostnames",
		Fix: "set EnableDnsSupport: true and EnableDnsHostnames: true on the VPC", Check: netCheckVPCDNS},
	{ID: "D544", Severity: Error, Title: "DB subnet groups and RDS proxies span 2+ subnets in distinct AZs",
		Fix: "list 2+ private subnets in distinct AZs (AvailabilityZone !Select [0, !GetAZs ''], !Select [1, !GetAZs ''])", Check: netCheckDBSubnets},
	{ID: "D545", Severity: Error, Title: "public subnets are associated with a route table that routes to the internet gateway",
		Fix: "add an AWS::EC2::SubnetRouteTableAssociation of the subnet with the route table whose 0.0.0.0/0 route goes to the internet gateway", Check: netCheckPublicSubnets},
	{ID: "D546", Severity: Error, Title: "the ELB log-delivery account of a region is that region's",
		Fix: "use the Elastic Load Balancing account of each region (the ELB user guide lists them), or the service principal logdelivery.elasticloadbalancing.amazonaws.com", Check: netCheckELBAccounts},
}

const (
	netSubnetType     = "AWS::EC2::Subnet"
	netRouteTableType = "AWS::EC2::RouteTable"
	netIGWType        = "AWS::EC2::InternetGateway"
)

// netTargets lists the template resources of the given types that a value
// references (Ref, GetAtt, ${} in Fn::Sub, any Fn::If branch), in order.
func netTargets(t *Template, v any, types ...string) []Resource {
	var out []Resource
	seen := map[string]bool{}
	for _, id := range references(v) {
		r, ok := t.Resource(id)
		if ok && !seen[id] && contains(types, r.Type) {
			seen[id] = true
			out = append(out, r)
		}
	}
	return out
}

// netGives reports whether a value may be set: not absent, empty or
// !Ref AWS::NoValue in at least one Fn::If branch.
func netGives(v any) bool {
	for _, b := range netBranches(v) {
		if s, ok := b.(string); (ok && s == "") || b == nil || isRef(b, "AWS::NoValue") {
			continue
		}
		return true
	}
	return false
}

// netBranches lists the values a Fn::If can take (recursively), or the value.
func netBranches(v any) []any {
	if f, a, ok := fn(v); ok && f == "Fn::If" {
		if l, ok := a.([]any); ok && len(l) == 3 {
			return append(netBranches(l[1]), netBranches(l[2])...)
		}
	}
	return []any{v}
}

// Egress of a route table to 0.0.0.0/0.
type netEgress int

const (
	netNoEgress   netEgress = iota // no default route
	netEgressIGW                   // only an internet gateway: needs public IPs
	netEgressFull                  // NAT gateway, instance, ENI, transit gateway...
)

// netEgressTargets are the route targets other than GatewayId that reach
// beyond the VPC.
var netEgressTargets = []string{"NatGatewayId", "InstanceId", "NetworkInterfaceId", "TransitGatewayId",
	"CarrierGatewayId", "LocalGatewayId", "VpcEndpointId", "CoreNetworkArn", "EgressOnlyInternetGatewayId"}

// netDefaultRoute reports whether a route may be a default route.
func netDefaultRoute(r Resource) bool {
	for _, k := range []string{"DestinationCidrBlock", "DestinationIpv6CidrBlock"} {
		for _, b := range netBranches(r.Properties[k]) {
			if s, ok := literal(b); ok {
				if s == "0.0.0.0/0" || s == "::/0" {
					return true
				}
			} else if netGives(b) {
				return true // computed: may be the default route
			}
		}
	}
	return false
}

// netRouteEgress classifies one route.
func netRouteEgress(t *Template, r Resource) netEgress {
	if !netDefaultRoute(r) {
		return netNoEgress
	}
	for _, k := range netEgressTargets {
		if netGives(r.Properties[k]) {
			return netEgressFull
		}
	}
	gw := r.Properties["GatewayId"]
	if !netGives(gw) {
		return netNoEgress
	}
	for _, b := range netBranches(gw) {
		if s, ok := literal(b); ok && strings.HasPrefix(s, "igw-") {
			continue
		}
		if netGives(b) && len(netTargets(t, b, netIGWType)) == 0 {
			return netEgressFull // a VPN gateway or a parameter: assume it reaches out
		}
	}
	return netEgressIGW
}

// netTableEgress classifies a route table by its best default route.
func netTableEgress(t *Template, table string) netEgress {
	best := netNoEgress
	for _, r := range t.OfType("AWS::EC2::Route") {
		if contains(references(r.Properties["RouteTableId"]), table) {
			best = max(best, netRouteEgress(t, r))
		}
	}
	return best
}

// netSubnetTables lists the route tables associated with a subnet.
func netSubnetTables(t *Template, subnet string) []string {
	var out []string
	for _, a := range t.OfType("AWS::EC2::SubnetRouteTableAssociation") {
		if contains(references(a.Properties["SubnetId"]), subnet) {
			for _, rt := range netTargets(t, a.Properties["RouteTableId"], netRouteTableType) {
				out = append(out, rt.ID)
			}
		}
	}
	return out
}

// netSubnetEgress classifies a subnet by its route tables; a subnet with no
// association uses the VPC's main route table, which a template cannot give
// routes to.
func netSubnetEgress(t *Template, subnet string) netEgress {
	best := netNoEgress
	for _, rt := range netSubnetTables(t, subnet) {
		best = max(best, netTableEgress(t, rt))
	}
	return best
}

// netPublicSubnet reports whether a subnet routes 0.0.0.0/0 to an internet
// gateway.
func netPublicSubnet(t *Template, subnet string) bool {
	for _, rt := range netSubnetTables(t, subnet) {
		for _, r := range t.OfType("AWS::EC2::Route") {
			if contains(references(r.Properties["RouteTableId"]), rt) && netDefaultRoute(r) &&
				len(netTargets(t, r.Properties["GatewayId"], netIGWType)) > 0 {
				return true
			}
		}
	}
	return false
}

// D540

// netAZName matches an availability zone name such as us-east-1a.
var netAZName = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$`)

func netCheckAZs(t *Template) []Finding {
	var out []Finding
	t.each("Resources", func(path *nodePath, v any) {
		key := path.Key()
		if key != "AvailabilityZone" && key != "AvailabilityZones" {
			return
		}
		walk(path, v, func(p *nodePath, x any) {
			if s, ok := x.(string); ok && netAZName.MatchString(s) {
				id := p.resource()
				out = append(out, Finding{Resource: id, Path: p.String(),
					Message: fmt.Sprintf("%s hard-codes availability zone %s, which exists only in one region (and maps to different zones in other accounts)", id, s)})
			}
		})
	})
	return out
}

// D541

// netArnAccount finds the account field of ARNs (after pseudo parameters in
// the partition and region fields are replaced by words).
var (
	netArnAccount = regexp.MustCompile(`arn:[^:\s]*:[^:\s]*:[^:\s]*:(\d{12}):`)
	netPseudo     = strings.NewReplacer("${AWS::Partition}", "aws", "${AWS::Region}", "region")
)

// netBucketPrincipal reports whether a path is inside the Principal of a
// bucket policy statement.
func netBucketPrincipal(t *Template, path *nodePath) bool {
	r, ok := t.Resource(path.resource())
	return ok && r.Type == "AWS::S3::BucketPolicy" && strings.Contains(path.String(), "/Principal")
}

func netCheckArns(t *Template) []Finding {
	var out []Finding
	// The same string again in the same resource is reported once, at the
	// resource, with the count of places (a generated template may repeat
	// one ARN thousands of times).
	first := map[[2]string]int{}
	repeats := map[int]int{}
	for _, sec := range []string{"Resources", "Outputs"} {
		t.each(sec, func(path *nodePath, v any) {
			s, ok := v.(string)
			if !ok || !strings.Contains(s, "arn:") {
				return
			}
			key := [2]string{path.resource(), s}
			if i, seen := first[key]; seen && key[0] != "" {
				repeats[i]++
				return
			}
			if path.under("ManagedPolicyArns") && computePolicyProblem(s) != "" {
				return // D536 reports it
			}
			var accounts []string
			owned := false
			for _, m := range netArnAccount.FindAllStringSubmatch(netPseudo.Replace(s), -1) {
				switch {
				case awsfacts.IsELBLogAccount(m[1]):
					owned = true
				case !netBucketPrincipal(t, path) && !contains(accounts, m[1]):
					accounts = append(accounts, m[1])
				}
			}
			partition := strings.Contains(s, "arn:aws:") && !owned
			var problems, effects []string
			if partition {
				problems = append(problems, "the aws partition")
				effects = append(effects, "breaks in the China and GovCloud partitions")
			}
			if len(accounts) > 0 {
				problems = append(problems, "account id "+strings.Join(accounts, ", "))
				effects = append(effects, "ties the template to one account")
			}
			if len(problems) == 0 {
				return
			}
			where := path.resource()
			if where == "" {
				where = path.String()
			}
			first[key] = len(out)
			out = append(out, Finding{Resource: path.resource(), Path: path.String(),
				Message: fmt.Sprintf("%s hard-codes %s in %q: it %s", where, strings.Join(problems, " and "), netShort(s), strings.Join(effects, " and "))})
		})
	}
	for i, n := range repeats {
		out[i].Path = "Resources/" + out[i].Resource
		out[i].Message += fmt.Sprintf(" (in %d places of %s)", n+1, out[i].Resource)
	}
	return out
}

// netShort shortens a long string for a message.
func netShort(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + "..."
	}
	if len(s) > 90 {
		s = s[:87] + "..."
	}
	return s
}

// D542

func netCheckGatewayOrder(t *Template) []Finding {
	attachments := map[string][]string{} // internet gateway -> attachments
	var all []string
	for _, a := range t.OfType("AWS::EC2::VPCGatewayAttachment") {
		for _, igw := range netTargets(t, a.Properties["InternetGatewayId"], netIGWType) {
			attachments[igw.ID] = append(attachments[igw.ID], a.ID)
			all = append(all, a.ID)
		}
	}
	if len(all) == 0 {
		return nil
	}
	deps := t.deps()
	waits := func(id string, on []string) bool {
		before := transitiveDeps(deps, id)
		for _, a := range on {
			if before[a] {
				return true
			}
		}
		return false
	}
	var out []Finding
	report := func(r Resource, why string, on []string) {
		if len(on) > 0 && !waits(r.ID, on) {
			out = append(out, at(r, "", "%s %s but does not depend on %s: it can be created before the internet gateway is attached and fail", r.ID, why, strings.Join(on, " or ")))
		}
	}
	for _, r := range t.Resources() {
		switch r.Type {
		case "AWS::EC2::Route":
			for _, igw := range netTargets(t, r.Properties["GatewayId"], netIGWType) {
				report(r, "routes to internet gateway "+igw.ID, attachments[igw.ID])
			}
		case "AWS::EC2::EIP":
			if d, ok := literal(r.Properties["Domain"]); ok && d == "vpc" {
				report(r, "is a VPC Elastic IP", all)
			}
		case "AWS::EC2::NatGateway":
			if c, _ := literal(r.Properties["ConnectivityType"]); c == "private" {
				continue
			}
			for _, s := range netTargets(t, r.Properties["SubnetId"], netSubnetType) {
				if netPublicSubnet(t, s.ID) {
					report(r, "is a NAT gateway in public subnet "+s.ID, all)
					break
				}
			}
		case "AWS::EC2::Instance":
			subnets := netTargets(t, []any{r.Properties["SubnetId"], r.Properties["NetworkInterfaces"]}, netSubnetType)
			for _, s := range subnets {
				if netPublicSubnet(t, s.ID) {
					report(r, "is an instance in public subnet "+s.ID, all)
					break
				}
			}
		}
	}
	return out
}

// D543

func netCheckVPCDNS(t *Template) []Finding {
	var out []Finding
	for _, vpc := range t.OfType("AWS::EC2::VPC") {
		// EnableDnsSupport defaults to true, EnableDnsHostnames to false.
		for _, p := range []struct {
			name string
			def  bool
		}{{"EnableDnsSupport", true}, {"EnableDnsHostnames", false}} {
			v, set := vpc.Properties[p.name]
			on := p.def
			if set {
				s, ok := literal(v)
				if !ok {
					continue // chosen by an intrinsic
				}
				on = strings.EqualFold(s, "true")
			}
			if on {
				continue
			}
			prop, state := p.name, "is false"
			if !set {
				prop, state = "", "is not set (default false)"
			}
			out = append(out, at(vpc, prop, "VPC %s: %s %s: RDS Proxy endpoints, interface endpoints and ECS need DNS resolution and hostnames", vpc.ID, p.name, state))
		}
	}
	return out
}

// D544

// netAZKey identifies a subnet's AZ when it is provable: a literal zone or
// zone id, or an index into !GetAZs of the stack's region; "" otherwise.
func netAZKey(s Resource) string {
	if z, ok := literal(s.Properties["AvailabilityZone"]); ok {
		return "zone " + z
	}
	if z, ok := literal(s.Properties["AvailabilityZoneId"]); ok {
		return "zone id " + z
	}
	f, a, ok := fn(s.Properties["AvailabilityZone"])
	l, _ := a.([]any)
	if !ok || f != "Fn::Select" || len(l) != 2 {
		return ""
	}
	i, ok := number(l[0])
	g, region, isFn := fn(l[1])
	if !ok || !isFn || g != "Fn::GetAZs" {
		return ""
	}
	if r, lit := region.(string); !(lit && r == "") && !isRef(region, "AWS::Region") {
		return ""
	}
	return fmt.Sprintf("!Select [%g, !GetAZs '']", i)
}

func netCheckDBSubnets(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		var prop, what string
		switch r.Type {
		case "AWS::RDS::DBSubnetGroup":
			prop, what = "SubnetIds", "DB subnet group"
		case "AWS::RDS::DBProxy":
			prop, what = "VpcSubnetIds", "RDS proxy"
		default:
			continue
		}
		list, ok := r.Properties[prop].([]any)
		if !ok {
			continue // a parameter or an intrinsic: not countable
		}
		ids := map[string]bool{}
		azs := map[string][]string{}
		provable := true
	entries:
		for _, e := range list {
			if lit, isLit := e.(string); isLit {
				ids["literal "+lit] = true
				provable = false
				continue
			}
			s, ok := t.Resource(refTarget(e))
			if !ok || s.Type != netSubnetType {
				if netListParam(t, e) {
					ids = nil // a list parameter inside the list: not countable
					break entries
				}
				if netGives(e) {
					ids[fmt.Sprint(e)] = true
				}
				provable = false
				continue
			}
			ids[s.ID] = true
			key := netAZKey(s)
			if key == "" {
				provable = false
			} else if !contains(azs[key], s.ID) {
				azs[key] = append(azs[key], s.ID)
			}
		}
		switch {
		case ids == nil:
		case len(ids) < 2:
			out = append(out, at(r, prop, "%s %s has %d subnet(s): it needs 2+ subnets in distinct AZs", what, r.ID, len(ids)))
		case provable && len(azs) == 1:
			for key, subnets := range azs {
				sort.Strings(subnets)
				out = append(out, at(r, prop, "%s %s: its subnets %s are all in the same AZ (%s): it needs subnets in 2+ AZs", what, r.ID, strings.Join(subnets, ", "), key))
			}
		}
	}
	return out
}

// netListParam reports whether a value is a Ref to a list parameter.
func netListParam(t *Template, v any) bool {
	f, a, ok := fn(v)
	name, _ := a.(string)
	p, _ := t.Section("Parameters")[name].(map[string]any)
	typ, _ := p["Type"].(string)
	return ok && f == "Ref" && (strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList")
}

// D545

// netPublicUse says why a subnet must be public (it hosts a NAT gateway, an
// internet-facing load balancer, an instance with a public IP, or maps
// public IPs on launch), or "".
func netPublicUse(t *Template, subnet string) string {
	in := func(v any) bool { return contains(references(v), subnet) }
	if s, ok := t.Resource(subnet); ok && mayBeTrue(s.Properties["MapPublicIpOnLaunch"]) {
		return "it sets MapPublicIpOnLaunch"
	}
	for _, n := range t.OfType("AWS::EC2::NatGateway") {
		if in(n.Properties["SubnetId"]) {
			if c, ok := literal(n.Properties["ConnectivityType"]); !ok || c != "private" {
				return "NAT gateway " + n.ID + " is in it"
			}
		}
	}
	for _, lb := range append(t.OfType(edgeTypeLB), t.OfType("AWS::ElasticLoadBalancing::LoadBalancer")...) {
		if secInternetFacing(lb) && (in(lb.Properties["Subnets"]) || in(lb.Properties["SubnetMappings"])) {
			return "internet-facing load balancer " + lb.ID + " is in it"
		}
	}
	for _, i := range t.OfType("AWS::EC2::Instance") {
		nics, _ := i.Properties["NetworkInterfaces"].([]any)
		for _, n := range nics {
			m, _ := n.(map[string]any)
			if mayBeTrue(m["AssociatePublicIpAddress"]) && in(m["SubnetId"]) {
				return "instance " + i.ID + " has a public IP in it"
			}
		}
	}
	return ""
}

// netInternetTables lists the route tables with a route to an internet
// gateway (a gateway of the template, a parameter or a literal igw- id).
func netInternetTables(t *Template) map[string]bool {
	out := map[string]bool{}
	for _, r := range t.OfType("AWS::EC2::Route") {
		gw := r.Properties["GatewayId"]
		if gw == nil {
			continue
		}
		id := refTarget(gw)
		g, isRes := t.Resource(id)
		s, lit := literal(gw)
		if isRes && g.Type == netIGWType || !isRes && id != "" || lit && strings.HasPrefix(s, "igw-") {
			out[refTarget(r.Properties["RouteTableId"])] = true
		}
	}
	return out
}

func netCheckPublicSubnets(t *Template) []Finding {
	tables := map[string][]string{} // subnet -> route tables associated
	for _, a := range t.OfType("AWS::EC2::SubnetRouteTableAssociation") {
		s := refTarget(a.Properties["SubnetId"])
		tables[s] = append(tables[s], refTarget(a.Properties["RouteTableId"]))
	}
	internet := netInternetTables(t)
	var out []Finding
	for _, s := range t.OfType(netSubnetType) {
		why := netPublicUse(t, s.ID)
		if why == "" {
			continue
		}
		assoc := tables[s.ID]
		if len(assoc) == 0 {
			out = append(out, at(s, "", "%s must be public (%s) but has no route table association: it uses the VPC's main route table, which has no route to the internet gateway", s.ID, why))
			continue
		}
		routed := false
		for _, rt := range assoc {
			if r, ok := t.Resource(rt); !ok || r.Type != netRouteTableType || internet[rt] {
				routed = true // a table from elsewhere, or one with an internet route
			}
		}
		if !routed {
			out = append(out, at(s, "", "%s must be public (%s) but its route table %s has no route to an internet gateway", s.ID, why, strings.Join(assoc, ", ")))
		}
	}
	return out
}

// D546

// netELBAccount maps the regions opened before August 2022 to their ELB
// log-delivery account.
var netELBAccount = func() map[string]string {
	m := map[string]string{}
	for _, a := range awsfacts.ELBLogAccounts {
		m[a.Region] = a.Account
	}
	return m
}()

var netAccountID = regexp.MustCompile(`\b\d{12}\b`)

// netELBAccountIn returns the ELB log-delivery account a literal names.
func netELBAccountIn(v any) string {
	for _, s := range stringsIn(v) {
		for _, id := range netAccountID.FindAllString(s, -1) {
			if awsfacts.IsELBLogAccount(id) {
				return id
			}
		}
	}
	return ""
}

// netRegionCondition returns the region a condition tests AWS::Region for
// equality with, or "".
func netRegionCondition(t *Template, name string) string {
	f, a, ok := fn(t.Section("Conditions")[name])
	l, _ := a.([]any)
	if !ok || f != "Fn::Equals" || len(l) != 2 {
		return ""
	}
	for i, v := range l {
		if isRef(v, "AWS::Region") {
			s, _ := l[1-i].(string)
			return s
		}
	}
	return ""
}

func netCheckELBAccounts(t *Template) []Finding {
	var out []Finding
	wrong := func(p Resource, region, account string) {
		want, known := netELBAccount[region]
		switch {
		case known && want != account:
			out = append(out, at(p, "PolicyDocument", "%s gives the ELB log-delivery account %s to %s, whose account is %s: log delivery there is denied", p.ID, account, region, want))
		case !known && region != "":
			out = append(out, at(p, "PolicyDocument", "%s gives the ELB log-delivery account %s to %s, which has none (regions opened since August 2022 use the service principal %s)", p.ID, account, region, awsfacts.ELBLogService))
		}
	}
	for _, p := range t.OfType("AWS::S3::BucketPolicy") {
		visit(p.Properties["PolicyDocument"], func(v any) {
			f, a, ok := fn(v)
			if !ok {
				return
			}
			l, _ := a.([]any)
			switch {
			case f == "Fn::If" && len(l) == 3:
				cond, _ := l[0].(string)
				if region := netRegionCondition(t, cond); region != "" {
					if _, _, isFn := fn(l[1]); !isFn {
						if acct := netELBAccountIn(l[1]); acct != "" {
							wrong(p, region, acct)
						}
					}
				}
			case f == "Fn::FindInMap" && len(l) == 3 && isRef(l[1], "AWS::Region"):
				name, _ := l[0].(string)
				key, _ := l[2].(string)
				m, _ := t.Section("Mappings")[name].(map[string]any)
				for _, region := range keys(m) {
					row, _ := m[region].(map[string]any)
					if acct := netELBAccountIn(row[key]); acct != "" {
						wrong(p, region, acct)
					}
				}
			}
		})
	}
	return out
}
