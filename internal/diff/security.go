package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// security lists how a resource's change weakens security: IAM actions,
// resources or principals granted, Deny statements dropped, managed
// policies attached, security-group ingress opened, public exposure. For
// an added resource (old nil, added true) only the broad grants count:
// wildcard actions, a public principal, ingress from anywhere.
func security(typ string, old, new map[string]any, added bool) []string {
	var out []string
	og, ng := grants(old), grants(new)
	if added {
		var wild []string
		for _, a := range sortedKeys(ng.actions) {
			if a == "*" || strings.HasSuffix(a, ":*") {
				wild = append(wild, a)
			}
		}
		if len(wild) > 0 {
			out = append(out, "IAM wildcard actions granted: "+list(wild))
		}
		if ng.principals["*"] {
			out = append(out, "IAM: allows any principal (*)")
		}
	} else {
		if a := missing(ng.actions, og.actions); len(a) > 0 {
			out = append(out, "IAM actions granted: "+list(a))
		}
		if r := missing(ng.resources, og.resources); len(r) > 0 {
			out = append(out, "IAM resources broadened: "+list(r))
		}
		if p := missing(ng.principals, og.principals); len(p) > 0 {
			out = append(out, "IAM principals added: "+list(p))
		}
		if d := missing(og.denies, ng.denies); len(d) > 0 {
			out = append(out, "Deny statements removed: "+list(d))
		}
		if m := missing(ng.managed, og.managed); len(m) > 0 {
			out = append(out, "managed policies attached: "+list(m))
		}
	}
	oi, ni := ingress(typ, old), ingress(typ, new)
	var opened []string
	for _, r := range sortedKeys(ni) {
		if oi[r] {
			continue
		}
		if !added || strings.HasSuffix(r, " from 0.0.0.0/0") || strings.HasSuffix(r, " from ::/0") {
			opened = append(opened, r)
		}
	}
	if len(opened) > 0 {
		out = append(out, "security-group ingress opened: "+list(opened))
	}
	out = append(out, exposure(typ, old, new, added)...)
	return out
}

// removedSecurity lists what a deleted resource stops enforcing.
func removedSecurity(old map[string]any) []string {
	if d := sortedKeys(grants(old).denies); len(d) > 0 {
		return []string{"Deny statements removed: " + list(d)}
	}
	return nil
}

type grantSet struct {
	actions, resources, principals, denies, managed map[string]bool
}

// grants collects the Allow grants and Deny statements of every policy
// document in a resource's properties.
func grants(props map[string]any) grantSet {
	g := grantSet{map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}}
	for _, arn := range asList(props["ManagedPolicyArns"]) {
		g.managed[short(arn)] = true
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, _, ok := cfn.Intrinsic(x); ok {
				return
			}
			if st, ok := x["Statement"]; ok {
				for _, s := range asList(st) {
					statement(mapOf(s), g)
				}
				return
			}
			for _, val := range x {
				walk(val)
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	walk(props)
	return g
}

func statement(s map[string]any, g grantSet) {
	if s == nil {
		return
	}
	if effect, _ := scalar(s["Effect"]); effect == "Deny" {
		g.denies[denySummary(s)] = true
		return
	}
	for _, a := range asList(s["Action"]) {
		g.actions[short(a)] = true
	}
	for _, a := range asList(s["NotAction"]) {
		g.actions["everything but "+short(a)] = true
	}
	for _, r := range asList(s["Resource"]) {
		g.resources[short(r)] = true
	}
	for _, r := range asList(s["NotResource"]) {
		g.resources["everything but "+short(r)] = true
	}
	switch p := s["Principal"].(type) {
	case nil:
	case map[string]any:
		if _, _, ok := cfn.Intrinsic(p); ok {
			g.principals[short(p)] = true
			break
		}
		for _, kind := range sortedKeys(p) {
			for _, v := range asList(p[kind]) {
				if str, ok := v.(string); ok && str == "*" {
					g.principals["*"] = true
				} else {
					g.principals[kind+":"+short(v)] = true
				}
			}
		}
	default:
		g.principals[short(p)] = true
	}
}

func denySummary(s map[string]any) string {
	if sid, ok := scalar(s["Sid"]); ok && sid != "" {
		return sid
	}
	var acts []string
	for _, a := range asList(s["Action"]) {
		acts = append(acts, short(a))
	}
	return "Deny " + strings.Join(acts, ",")
}

// ingress describes the ingress rules of a security group or of a
// stand-alone ingress rule: "tcp 22 from 203.0.113.10/32".
func ingress(typ string, props map[string]any) map[string]bool {
	out := map[string]bool{}
	var rules []any
	switch typ {
	case "AWS::EC2::SecurityGroup":
		rules = asList(props["SecurityGroupIngress"])
	case "AWS::EC2::SecurityGroupIngress":
		if props != nil {
			rules = []any{props}
		}
	}
	for _, r := range rules {
		m := mapOf(r)
		proto, _ := scalar(m["IpProtocol"])
		ports := ""
		from, fok := scalar(m["FromPort"])
		to, tok := scalar(m["ToPort"])
		switch {
		case proto == "-1":
			proto, ports = "all traffic", ""
		case fok && tok && from == to:
			ports = " " + from
		case fok && tok:
			ports = " " + from + "-" + to
		}
		src := "(unknown source)"
		for _, k := range []string{"CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourcePrefixListId", "SourceSecurityGroupName"} {
			if v, ok := m[k]; ok {
				src = short(v)
				break
			}
		}
		out[proto+ports+" from "+src] = true
	}
	return out
}

// exposure lists switches to public access and away from TLS or
// encryption.
func exposure(typ string, old, new map[string]any, added bool) []string {
	var out []string
	turned := func(key, want string) bool {
		return anyValue(new, key, want) && (added || !anyValue(old, key, want))
	}
	if turned("PubliclyAccessible", "true") {
		out = append(out, "public exposure: PubliclyAccessible is true")
	}
	if typ == "AWS::ElasticLoadBalancingV2::LoadBalancer" {
		scheme := func(p map[string]any) string {
			if s, ok := scalar(p["Scheme"]); ok {
				return s
			}
			return "internet-facing"
		}
		if scheme(new) == "internet-facing" && (added || scheme(old) != "internet-facing") {
			out = append(out, "public exposure: the load balancer is internet-facing")
		}
	}
	if added {
		return out
	}
	for _, key := range []string{"MapPublicIpOnLaunch", "AssociatePublicIpAddress"} {
		if turned(key, "true") {
			out = append(out, "public exposure: "+key+" is true")
		}
	}
	if typ == "AWS::S3::Bucket" {
		oldBlock, newBlock := mapOf(old["PublicAccessBlockConfiguration"]), mapOf(new["PublicAccessBlockConfiguration"])
		var off []string
		for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
			if o, _ := scalar(oldBlock[k]); o == "true" {
				if n, _ := scalar(newBlock[k]); n != "true" {
					off = append(off, k)
				}
			}
		}
		if len(off) > 0 {
			out = append(out, "public exposure: block public access turned off: "+strings.Join(off, ", "))
		}
	}
	for _, key := range []string{"RequireTLS", "StorageEncrypted", "SqsManagedSseEnabled"} {
		if anyValue(old, key, "true") && !anyValue(new, key, "true") {
			out = append(out, fmt.Sprintf("%s is no longer true", key))
		}
	}
	if typ == "AWS::ElasticLoadBalancingV2::Listener" {
		if o, _ := scalar(old["Protocol"]); o == "HTTPS" {
			if n, _ := scalar(new["Protocol"]); n != "HTTPS" {
				out = append(out, "the listener no longer uses HTTPS")
			}
		}
	}
	return out
}

// anyValue reports whether key has the scalar value want anywhere in v.
func anyValue(v any, key, want string) bool {
	switch x := v.(type) {
	case map[string]any:
		if s, ok := scalar(x[key]); ok && s == want {
			return true
		}
		for _, val := range x {
			if anyValue(val, key, want) {
				return true
			}
		}
	case []any:
		for _, val := range x {
			if anyValue(val, key, want) {
				return true
			}
		}
	}
	return false
}

func asList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

// missing lists the keys of a not in b, sorted.
func missing(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// list joins at most five items and counts the rest.
func list(items []string) string {
	if len(items) <= 5 {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:5], ", ") + fmt.Sprintf(" (and %d more)", len(items)-5)
}
