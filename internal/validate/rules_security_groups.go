package validate

import (
	"fmt"
	"regexp"
	"strings"
)

// Security rules (C6xx): the checks on security group rules.

// --- security groups ---

const (
	secSGType      = "AWS::EC2::SecurityGroup"
	secIngressType = "AWS::EC2::SecurityGroupIngress"
	secEgressType  = "AWS::EC2::SecurityGroupEgress"
)

// sgRule is one ingress or egress rule, inline or standalone.
type sgRule struct {
	owner   Resource // the resource that declares it
	group   string   // the security group's logical id ("" if not in the template)
	path    string   // property path within owner
	props   map[string]any
	ingress bool
}

// sgRules lists every rule of the template's security groups.
func (t *Template) sgRules() []sgRule {
	var out []sgRule
	for _, g := range t.OfType(secSGType) {
		for _, dir := range []string{"SecurityGroupIngress", "SecurityGroupEgress"} {
			list, _ := g.Properties[dir].([]any)
			for i, e := range list {
				if m, ok := e.(map[string]any); ok {
					out = append(out, sgRule{g, g.ID, fmt.Sprintf("%s/%d", dir, i), m, dir == "SecurityGroupIngress"})
				}
			}
		}
	}
	for _, typ := range []string{secIngressType, secEgressType} {
		for _, r := range t.OfType(typ) {
			out = append(out, sgRule{r, refTarget(r.Properties["GroupId"]), "", r.Properties, typ == secIngressType})
		}
	}
	return out
}

// ports returns the rule's protocol and port range as text, and whether it
// covers every port.
func (r sgRule) ports() (string, bool) {
	proto, ok := literal(r.props["IpProtocol"])
	if !ok {
		return "(ports from an intrinsic)", false
	}
	proto = strings.ToLower(proto)
	if proto == "-1" || proto == "all" {
		return "all protocols", true
	}
	from, okF := number(r.props["FromPort"])
	to, okT := number(r.props["ToPort"])
	// No ports at all, or 65,000 or more, count as all: 1-65535 and
	// 0-65534 are written to mean "everything" too. A port from an
	// intrinsic (!Ref Port, !GetAtt Db.Endpoint.Port) is one port we
	// cannot read, not all of them.
	_, hasF := r.props["FromPort"]
	_, hasT := r.props["ToPort"]
	if (proto == "tcp" || proto == "udp" || proto == "6" || proto == "17") && (!hasF && !hasT || okF && okT && to-from >= 65000 || okF && from == -1) {
		return proto + " all ports", true
	}
	if !okF || !okT {
		if _, _, isFn := fn(r.props["FromPort"]); isFn {
			return proto + " (port from an intrinsic)", false
		}
		if _, _, isFn := fn(r.props["ToPort"]); isFn {
			return proto + " (port from an intrinsic)", false
		}
	}
	if okF && okT && from != to {
		return fmt.Sprintf("%s %g-%g", proto, from, to), false
	}
	if okF {
		return fmt.Sprintf("%s %g", proto, from), false
	}
	return proto, false
}

// covers reports whether the rule's ports include port.
func (r sgRule) covers(port float64) bool {
	if _, all := r.ports(); all {
		return true
	}
	from, okF := number(r.props["FromPort"])
	to, okT := number(r.props["ToPort"])
	return okF && okT && from <= port && port <= to
}

// world returns the anywhere-CIDR a rule names, if any: literally, or as the
// value (params file, else Default) of the parameter it references.
func (r sgRule) world(t *Template) string {
	for _, k := range []string{"CidrIp", "CidrIpv6"} {
		s, ok := literal(r.props[k])
		if !ok {
			if name := refTarget(r.props[k]); name != "" {
				if _, isParam := t.Section("Parameters")[name]; isParam {
					s, ok = t.paramValue(name)
				}
			}
		}
		if ok && (s == "0.0.0.0/0" || s == "::/0") {
			return s
		}
	}
	return ""
}

func (r sgRule) where() (Resource, string) {
	prop := r.path
	return r.owner, prop
}

// lbGroups lists the security groups of internet-facing load balancers.
func (t *Template) lbGroups() map[string]bool {
	out := map[string]bool{}
	for _, lb := range append(t.OfType(edgeTypeLB), t.OfType("AWS::ElasticLoadBalancing::LoadBalancer")...) {
		if !secInternetFacing(lb) {
			continue
		}
		for _, id := range references(lb.Properties["SecurityGroups"]) {
			out[id] = true
		}
	}
	return out
}

// secWorldIngressRules lists the ingress rules from anywhere, split into
// those of an internet-facing load balancer's group on 80 or 443 (C625) and
// the others (C620).
func secWorldIngressRules(t *Template, publicLB bool) []Finding {
	lbs := t.lbGroups()
	var out []Finding
	for _, r := range t.sgRules() {
		cidr := r.world(t)
		if !r.ingress || cidr == "" {
			continue
		}
		web := lbs[r.group] && (r.onlyPort(80) || r.onlyPort(443))
		if web != publicLB {
			continue
		}
		ports, _ := r.ports()
		owner, prop := r.where()
		f := at(owner, prop, "%s allows %s from %s", r.group, ports, cidr)
		if web {
			f.Message += " to an internet-facing load balancer"
		}
		out = append(out, f)
	}
	return out
}

func secWorldIngress(t *Template) []Finding { return secWorldIngressRules(t, false) }

func secPublicLB(t *Template) []Finding { return secWorldIngressRules(t, true) }

func (r sgRule) onlyPort(p float64) bool {
	from, okF := number(r.props["FromPort"])
	to, okT := number(r.props["ToPort"])
	return okF && okT && from == p && to == p
}

// secAdminPorts are the remote administration ports.
var secAdminPorts = []float64{22, 3389}

func secAdminIngress(t *Template) []Finding {
	var out []Finding
	params := t.Section("Parameters")
	for _, r := range t.sgRules() {
		if !r.ingress {
			continue
		}
		admin := false
		for _, p := range secAdminPorts {
			if r.covers(p) {
				admin = true
			}
		}
		if !admin {
			continue
		}
		owner, prop := r.where()
		v := r.props["CidrIp"]
		if v == nil {
			v = r.props["CidrIpv6"]
		}
		if v == nil {
			continue // from a security group or prefix list
		}
		if s, ok := literal(v); ok {
			if s != "0.0.0.0/0" && s != "::/0" && secPrefix(s) < 16 {
				out = append(out, at(owner, prop, "%s allows SSH/RDP from %s, a range of more than 65,536 addresses", r.group, s))
			}
			continue // /0 is C620's
		}
		name := refTarget(v)
		def, isParam := params[name].(map[string]any)
		if !isParam {
			continue
		}
		if val, ok := t.paramValue(name); ok && (val == "0.0.0.0/0" || val == "::/0" || secPrefix(val) < 16) {
			from := "its Default"
			if t.ParamsPath != "" {
				from = t.ParamsPath
			}
			out = append(out, at(owner, prop, "%s allows SSH/RDP from %s = %s (%s)", r.group, name, val, from))
			continue
		}
		pattern, _ := def["AllowedPattern"].(string)
		if pattern == "" {
			out = append(out, at(owner, prop, "%s takes the SSH/RDP source from parameter %s, which has no AllowedPattern: 0.0.0.0/0 is accepted", r.group, name))
			continue
		}
		if re, err := regexp.Compile(pattern); err == nil {
			for _, wide := range []string{"0.0.0.0/0", "::/0", "0.0.0.0/1", "10.0.0.0/8"} {
				if re.MatchString(wide) {
					out = append(out, at(owner, prop, "%s takes the SSH/RDP source from parameter %s, whose AllowedPattern accepts %s", r.group, name, wide))
					break
				}
			}
		}
	}
	return out
}

func secPrefix(cidr string) int {
	_, p, ok := strings.Cut(cidr, "/")
	if !ok {
		return 32
	}
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' {
			return 32
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// paramValue returns a parameter's value from the params file, else its
// default.
func (t *Template) paramValue(name string) (string, bool) {
	for _, p := range t.Params {
		if p.ParameterKey == name {
			return p.ParameterValue, true
		}
	}
	def, _ := t.Section("Parameters")[name].(map[string]any)
	return literal(def["Default"])
}

func secAllPorts(t *Template) []Finding {
	var out []Finding
	for _, r := range t.sgRules() {
		ports, all := r.ports()
		if !all {
			continue
		}
		dir := "egress"
		if r.ingress {
			dir = "ingress"
		}
		if !r.ingress && secNoTraffic(r) {
			continue
		}
		owner, prop := r.where()
		f := at(owner, prop, "%s has an %s rule for %s", r.group, dir, ports)
		switch {
		case !r.ingress:
			// All traffic out is what a group without egress rules
			// allows too (C623, C626): a risk, not an opening.
			f.Severity = Warning
		case r.props["SourceSecurityGroupId"] != nil || r.props["SourceSecurityGroupName"] != nil || r.props["SourcePrefixListId"] != nil:
			f.Severity = Warning
			f.Message += " from " + map[bool]string{true: "a prefix list", false: "a security group"}[r.props["SourcePrefixListId"] != nil] + ": broader than the service needs"
		}
		out = append(out, f)
	}
	return out
}

// secNoTraffic reports whether an egress rule is the "nothing" placeholder:
// a rule to a single unroutable address, which removes the default
// allow-all rule while allowing nothing.
func secNoTraffic(r sgRule) bool {
	s, _ := literal(r.props["CidrIp"])
	return s == "255.255.255.255/32" || s == "127.0.0.1/32"
}

func secImplicitEgress(t *Template) []Finding {
	var out []Finding
	for _, g := range t.OfType(secSGType) {
		v, ok := g.Properties["SecurityGroupEgress"]
		if l, isList := v.([]any); !ok || isList && len(l) == 0 {
			out = append(out, at(g, "", "security group %s states no SecurityGroupEgress rule, so it allows all outbound traffic", g.ID))
		}
	}
	return out
}

// secWorldEgress finds egress to anywhere: on HTTPS only (C624) or on other
// ports (C626).
func secWorldEgress(https bool) func(*Template) []Finding {
	return func(t *Template) []Finding {
		var out []Finding
		for _, r := range t.sgRules() {
			cidr := r.world(t)
			if r.ingress || cidr == "" {
				continue
			}
			proto, _ := literal(r.props["IpProtocol"])
			if isHTTPS := (strings.EqualFold(proto, "tcp") || proto == "6") && r.onlyPort(443); isHTTPS != https {
				continue
			}
			ports, _ := r.ports()
			owner, prop := r.where()
			out = append(out, at(owner, prop, "%s allows egress on %s to %s", r.group, ports, cidr))
		}
		return out
	}
}
