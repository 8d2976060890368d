package validate

import (
	"strings"
)

// Security rules (C6xx): the checks on S3 buckets and load balancers.

// --- S3 ---

const secBucketType = "AWS::S3::Bucket"

func secBucketPublicAccess(t *Template) []Finding {
	var out []Finding
	for _, b := range t.OfType(secBucketType) {
		pab, _ := b.Properties["PublicAccessBlockConfiguration"].(map[string]any)
		var off []string
		for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
			if !truthy(pab[k]) {
				off = append(off, k)
			}
		}
		switch {
		case pab == nil:
			// New buckets block public access by default (April 2023):
			// not stating it is a risk to review, not a public bucket.
			f := at(b, "", "bucket %s states no PublicAccessBlockConfiguration: it relies on the default for new buckets (all four blocks on), which an account or later change can undo", b.ID)
			f.Severity = Warning
			out = append(out, f)
		case len(off) > 0:
			out = append(out, at(b, "PublicAccessBlockConfiguration", "bucket %s does not set %s to true", b.ID, strings.Join(off, ", ")))
		}
	}
	return out
}

func secBucketEncryption(t *Template) []Finding {
	var out []Finding
	for _, b := range t.OfType(secBucketType) {
		enc, _ := b.Properties["BucketEncryption"].(map[string]any)
		rules, _ := enc["ServerSideEncryptionConfiguration"].([]any)
		if len(rules) == 0 {
			out = append(out, at(b, "BucketEncryption", "bucket %s states no default encryption (S3 applies SSE-S3)", b.ID))
		}
	}
	return out
}

func secBucketVersioning(t *Template) []Finding {
	var out []Finding
	for _, b := range t.OfType(secBucketType) {
		v, _ := b.Properties["VersioningConfiguration"].(map[string]any)
		if s, ok := literal(v["Status"]); v == nil || ok && s != "Enabled" {
			out = append(out, at(b, "VersioningConfiguration", "bucket %s does not keep versions", b.ID))
		}
	}
	return out
}

func secBucketLogging(t *Template) []Finding {
	var out []Finding
	for _, b := range t.OfType(secBucketType) {
		if _, ok := b.Properties["LoggingConfiguration"]; !ok {
			out = append(out, at(b, "", "bucket %s has no LoggingConfiguration: reads and writes of its objects leave no record", b.ID))
		}
	}
	return out
}

// --- load balancer ---

const secListenerType = "AWS::ElasticLoadBalancingV2::Listener"

// secForwards reports whether default actions may forward (in any branch of
// an Fn::If), and under which condition.
func secForwards(v any) (bool, string) {
	if f, a, ok := fn(v); ok && f == "Fn::If" {
		l, _ := a.([]any)
		if len(l) != 3 {
			return false, ""
		}
		cond, _ := l[0].(string)
		if yes, _ := secForwards(l[1]); yes {
			return true, cond
		}
		if yes, _ := secForwards(l[2]); yes {
			return true, "not " + cond
		}
		return false, ""
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if yes, c := secForwards(e); yes {
				return true, c
			}
		}
	case map[string]any:
		typ, _ := literal(x["Type"])
		return typ == "forward", ""
	}
	return false, ""
}

func secListenerHTTP(t *Template) []Finding {
	var out []Finding
	for _, l := range t.OfType(secListenerType) {
		if p, ok := literal(l.Properties["Protocol"]); !ok || p != "HTTP" {
			continue
		}
		if yes, cond := secForwards(l.Properties["DefaultActions"]); yes {
			when := ""
			if cond != "" {
				when = " when " + cond
			}
			out = append(out, at(l, "DefaultActions", "HTTP listener %s forwards plain HTTP to its targets%s", l.ID, when))
		}
	}
	return out
}

func secListenerTLS(t *Template) []Finding {
	var out []Finding
	for _, l := range t.OfType(secListenerType) {
		if p, ok := literal(l.Properties["Protocol"]); !ok || p != "HTTPS" {
			continue
		}
		v, set := l.Properties["SslPolicy"]
		s, lit := literal(v)
		switch {
		case !set:
			out = append(out, at(l, "", "HTTPS listener %s sets no SslPolicy, so it accepts TLS 1.0 and 1.1", l.ID))
		case lit && !secTLS12Policy(s):
			out = append(out, at(l, "SslPolicy", "HTTPS listener %s uses %s, which accepts TLS versions before 1.2", l.ID, s))
		}
	}
	return out
}

// secTLS12Policy reports whether an ELB security policy refuses TLS before
// 1.2 (TLS13-1-0 and TLS13-1-1 policies still accept TLS 1.0 and 1.1).
func secTLS12Policy(name string) bool {
	for _, p := range []string{"TLS13-1-2", "TLS13-1-3", "TLS-1-2", "FS-1-2"} {
		if strings.Contains(name, "ELBSecurityPolicy-"+p) {
			return true
		}
	}
	return false
}

func secApplicationLBs(t *Template) []Resource {
	var out []Resource
	for _, lb := range t.OfType(edgeTypeLB) {
		if isALB(lb) {
			out = append(out, lb)
		}
	}
	return out
}

func secALBInvalidHeaders(t *Template) []Finding {
	var out []Finding
	for _, lb := range secApplicationLBs(t) {
		if !mayBeTrue(lbAttribute(lb, "routing.http.drop_invalid_header_fields.enabled")) {
			out = append(out, at(lb, "LoadBalancerAttributes", "load balancer %s keeps invalid header fields", lb.ID))
		}
	}
	return out
}

func secLBLogs(t *Template) []Finding {
	var out []Finding
	for _, lb := range t.OfType(edgeTypeLB) {
		v := lbAttribute(lb, "access_logs.s3.enabled")
		if _, _, isFn := fn(v); !isFn && !truthy(v) {
			out = append(out, at(lb, "LoadBalancerAttributes", "load balancer %s writes no access logs", lb.ID))
		}
	}
	return out
}

func secInternetFacing(lb Resource) bool {
	s, ok := literal(lb.Properties["Scheme"])
	return !ok || s != "internal"
}

func secALBWAF(t *Template) []Finding {
	protected := map[string]bool{}
	for _, a := range t.OfType(edgeTypeWebACLAssoc) {
		for _, id := range references(a.Properties["ResourceArn"]) {
			protected[id] = true
		}
	}
	var out []Finding
	for _, lb := range secApplicationLBs(t) {
		if secInternetFacing(lb) && !protected[lb.ID] {
			out = append(out, at(lb, "", "internet-facing load balancer %s has no WAF web ACL association", lb.ID))
		}
	}
	return out
}
