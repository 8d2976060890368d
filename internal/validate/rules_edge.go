package validate

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/cfngen/cfngen/internal/awsfacts"
	"github.com/cfngen/cfngen/internal/cfn"
)

// Edge rules: the load balancer, its access-log bucket, its listeners, WAF,
// and the ECS services behind it.
var edgeRuleSet = []Rule{
	{ID: "D520", Severity: Error, Title: "the access-log bucket policy lets ELB log delivery write",
		Fix:   "allow s3:PutObject on <bucket>/<prefix>/AWSLogs/<account>/* to Service logdelivery.elasticloadbalancing.amazonaws.com and, for older regions, the region's ELB account (a Mapping on AWS::Region)",
		Check: checkALBLogPolicy},
	{ID: "D521", Severity: Error, Title: "the ALB access-log bucket uses SSE-S3, not SSE-KMS",
		Fix:   "set the log bucket's SSEAlgorithm to AES256",
		Check: checkALBLogEncryption},
	{ID: "D522", Severity: Error, Title: "the load balancer DependsOn its log bucket policy",
		Fix:   "add the log bucket policy to the load balancer's DependsOn",
		Check: checkALBLogDependsOn},
	{ID: "D523", Severity: Error, Title: "a redirect to 443 has a listener on 443",
		Fix:   "add an HTTPS listener on port 443 under the same Condition as the redirect, or forward port 80 instead",
		Check: checkRedirectTarget},
	{ID: "D524", Severity: Warning, Title: "HTTPS listeners use a TLS 1.3 security policy",
		Fix:   "set SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
		Check: checkSslPolicy},
	{ID: "D525", Severity: Error, Title: "a web ACL association takes the ACL's ARN (GetAtt Arn)",
		Fix:   "set WebACLArn to !GetAtt <WebACL>.Arn",
		Check: checkWebACLArn},
	{ID: "D526", Severity: Error, Title: "web ACL rules use the right action field and unique priorities",
		Fix:   "give rule-group rules OverrideAction (None: {}), other rules Action, and every rule its own Priority",
		Check: checkWebACLRules},
	{ID: "D527", Severity: Error, Title: "web ACL capacity and scope fit the load balancer",
		Fix:   "drop or trade rule groups to stay within 1,500 WCU, and use Scope REGIONAL for a load balancer",
		Check: checkWebACLCapacity},
	{ID: "D528", Severity: Error, Title: "target group TargetType matches the task NetworkMode",
		Fix:   "use TargetType ip for awsvpc tasks and instance for bridge or host networking",
		Check: checkTargetType},
	{ID: "D529", Severity: Error, Title: "an ECS service behind a load balancer depends on its listener",
		Fix:   "add the listener forwarding to the target group (or a resource whose Metadata references it) to the service's DependsOn",
		Check: checkServiceListener},
	{ID: "D547", Severity: Warning, Title: "web ACLs limit the request rate", Profile: ProfileBackend,
		Fix: "add a rule with a RateBasedStatement (Limit of at least 10 per 5 minutes per IP, Action Block)", Check: checkWebACLRate},
}

// elbLogService is the log-delivery principal of ALB access logs.
const elbLogService = awsfacts.ELBLogService

const (
	edgeTypeLB          = "AWS::ElasticLoadBalancingV2::LoadBalancer"
	edgeTypeListener    = "AWS::ElasticLoadBalancingV2::Listener"
	edgeTypeWebACL      = "AWS::WAFv2::WebACL"
	edgeTypeWebACLAssoc = "AWS::WAFv2::WebACLAssociation"
)

// lbAttribute returns the value of a load balancer attribute, or nil.
func lbAttribute(lb Resource, key string) any {
	attrs, _ := lb.Properties["LoadBalancerAttributes"].([]any)
	for _, a := range attrs {
		if m, ok := a.(map[string]any); ok && m["Key"] == key {
			return m["Value"]
		}
	}
	return nil
}

// mayBeTrue reports whether a value is true, or an Fn::If with a true branch.
func mayBeTrue(v any) bool {
	if f, a, ok := fn(v); ok && f == "Fn::If" {
		l, _ := a.([]any)
		return len(l) == 3 && (mayBeTrue(l[1]) || mayBeTrue(l[2]))
	}
	return truthy(v)
}

// isALB reports whether a load balancer is an application load balancer.
func isALB(lb Resource) bool {
	typ, ok := literal(lb.Properties["Type"])
	return !ok || typ == "application"
}

// logBucket returns the template's bucket a load balancer writes access logs
// to, when logging is on.
func (t *Template) logBucket(lb Resource) (Resource, bool) {
	if !mayBeTrue(lbAttribute(lb, "access_logs.s3.enabled")) {
		return Resource{}, false
	}
	for _, id := range references(lbAttribute(lb, "access_logs.s3.bucket")) {
		if b, ok := t.Resource(id); ok && b.Type == "AWS::S3::Bucket" {
			return b, true
		}
	}
	return Resource{}, false
}

// bucketPolicies lists the bucket policies attached to a bucket.
func (t *Template) bucketPolicies(bucket string) []Resource {
	var out []Resource
	for _, p := range t.OfType("AWS::S3::BucketPolicy") {
		if contains(references(p.Properties["Bucket"]), bucket) {
			out = append(out, p)
		}
	}
	return out
}

// eachLogBucket calls f for every load balancer logging to a template bucket.
func (t *Template) eachLogBucket(albOnly bool, f func(lb, bucket Resource)) {
	for _, lb := range t.OfType(edgeTypeLB) {
		if albOnly && !isALB(lb) {
			continue
		}
		if b, ok := t.logBucket(lb); ok {
			f(lb, b)
		}
	}
}

// allowsPutObject reports whether a statement allows s3:PutObject.
func allowsPutObject(st map[string]any) bool {
	if e, _ := literal(st["Effect"]); e != "Allow" {
		return false
	}
	for _, a := range stringsIn(st["Action"]) {
		if ok, _ := path.Match(strings.ToLower(a), "s3:putobject"); ok {
			return true
		}
	}
	return false
}

type grantee int

const (
	granteeOther grantee = iota
	granteeELB
	granteeSelf
	granteeNone // AWS::NoValue
)

var (
	elbAccountID = regexp.MustCompile(`^[0-9]{12}$`)
	rootARN      = regexp.MustCompile(`^arn:[^:]+:iam::([^:]+):root$`)
)

// accountGrantee classifies a literal AWS principal: an id or a root ARN.
func accountGrantee(s string) grantee {
	if m := rootARN.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	if elbAccountID.MatchString(s) && awsfacts.IsELBLogAccount(s) {
		return granteeELB
	}
	return granteeOther
}

// awsGrantee classifies one value of a Principal's AWS entry.
func awsGrantee(v any) grantee {
	if s, ok := v.(string); ok {
		return accountGrantee(s)
	}
	f, a, ok := fn(v)
	if !ok {
		return granteeOther
	}
	switch f {
	case "Ref":
		switch a {
		case "AWS::AccountId":
			return granteeSelf
		case "AWS::NoValue":
			return granteeNone
		}
		if name, _ := a.(string); !strings.HasPrefix(name, "AWS::") {
			return granteeELB // a parameter: cannot be checked offline
		}
	case "Fn::FindInMap":
		return granteeELB // a per-region account mapping
	case "Fn::If":
		l, _ := a.([]any)
		if len(l) != 3 {
			return granteeOther
		}
		x, y := awsGrantee(l[1]), awsGrantee(l[2])
		switch {
		case x == granteeSelf || y == granteeSelf:
			return granteeSelf
		case x == granteeOther || y == granteeOther:
			return granteeOther
		case x == granteeNone && y == granteeNone:
			return granteeNone
		}
		return granteeELB
	case "Fn::Sub":
		s, vars := subParts(a)
		if strings.Contains(s, "${AWS::AccountId}") {
			return granteeSelf
		}
		s = strings.ReplaceAll(s, "${AWS::Partition}", "aws")
		if m := rootARN.FindStringSubmatch(s); m != nil {
			s = m[1]
		}
		if name, whole := cfn.SubOnly(s); whole {
			if v, ok := vars[name]; ok {
				return awsGrantee(v)
			}
			return granteeOther
		}
		return accountGrantee(s)
	case "Fn::Join":
		l, _ := a.([]any)
		if len(l) != 2 {
			return granteeOther
		}
		parts, _ := l[1].([]any)
		var b strings.Builder
		for _, p := range parts {
			if s, ok := p.(string); ok {
				b.WriteString(s)
				continue
			}
			switch g := awsGrantee(p); {
			case isRef(p, "AWS::Partition"):
				b.WriteString("aws")
			case g == granteeSelf || g == granteeELB:
				return g
			default:
				return granteeOther
			}
		}
		return accountGrantee(b.String())
	}
	return granteeOther
}

// elbLogPrincipal reports whether a statement's Principal includes an ELB
// log-delivery principal, and describes the other principals it names.
func elbLogPrincipal(p any) (bool, []string) {
	if s, ok := p.(string); ok {
		return false, []string{fmt.Sprintf("%q", s)}
	}
	m, ok := p.(map[string]any)
	if !ok {
		return false, nil
	}
	valid := false
	var other []string
	for _, s := range stringsIn(m["Service"]) {
		if s == elbLogService {
			valid = true
		} else if strings.Contains(s, ".amazonaws.com") {
			other = append(other, "service "+s)
		}
	}
	values, isList := m["AWS"].([]any)
	if !isList && m["AWS"] != nil {
		values = []any{m["AWS"]}
	}
	for _, v := range values {
		switch awsGrantee(v) {
		case granteeELB:
			valid = true
		case granteeSelf:
			other = append(other, "the stack's own account")
		case granteeOther:
			if s, ok := literal(v); ok {
				other = append(other, fmt.Sprintf("%q", s))
			} else {
				other = append(other, "an account that is not an ELB log account")
			}
		}
	}
	return valid, other
}

func checkALBLogPolicy(t *Template) []Finding {
	var out []Finding
	t.eachLogBucket(true, func(lb, bucket Resource) {
		policies := t.bucketPolicies(bucket.ID)
		if len(policies) == 0 {
			out = append(out, at(lb, "LoadBalancerAttributes", "%s writes access logs to %s, which has no bucket policy: ELB log delivery is denied", lb.ID, bucket.ID))
			return
		}
		var others, elsewhere []string
		var wrongPlace Resource
		for _, p := range policies {
			for _, st := range statementsOf(p.Properties["PolicyDocument"]) {
				if !allowsPutObject(st) {
					continue
				}
				valid, other := elbLogPrincipal(st["Principal"])
				if !valid {
					others = append(others, other...)
					continue
				}
				covered, where := elbLogResourceCovered(st["Resource"], bucket.ID, lbAttribute(lb, "access_logs.s3.prefix"))
				if covered {
					return
				}
				elsewhere = append(elsewhere, where...)
				wrongPlace = p
			}
		}
		if len(elsewhere) > 0 {
			prefix, _ := literal(lbAttribute(lb, "access_logs.s3.prefix"))
			key := "AWSLogs/<account>/"
			if prefix = strings.Trim(prefix, "/"); prefix != "" {
				key = prefix + "/" + key
			}
			f := at(wrongPlace, "PolicyDocument", "%s lets ELB log delivery write only to %s, but %s writes its access logs under %s/%s: creating or updating the load balancer fails with Access Denied",
				wrongPlace.ID, strings.Join(elsewhere, ", "), lb.ID, bucket.ID, key)
			f.Fix = fmt.Sprintf("grant s3:PutObject on !Sub ${%s.Arn}/%s* (the access_logs.s3.prefix, then AWSLogs/ and the account id)", bucket.ID, key[:len(key)-len("<account>/")]+"${AWS::AccountId}/")
			out = append(out, f)
			return
		}
		p := policies[0]
		msg := fmt.Sprintf("%s does not let ELB log delivery write the access logs of %s to %s", p.ID, lb.ID, bucket.ID)
		if len(others) > 0 {
			msg += ": s3:PutObject goes only to " + strings.Join(others, ", ")
		}
		out = append(out, at(p, "PolicyDocument", "%s", msg))
	})
	return out
}

// subVariable matches a ${Var} of a Fn::Sub string (not ${!Literal}).
var subVariable = regexp.MustCompile(`\$\{[^!}][^}]*\}`)

// elbLogResourceCovered reports whether a statement's Resource lets ELB
// write an access-log object of the bucket under the load balancer's
// prefix (<prefix>/AWSLogs/<account>/...). It is sure only of what it can
// read: a Fn::Sub that starts with the bucket (${B.Arn}, or the bucket ARN
// around ${B}) and a literal prefix; anything else counts as covered. When
// not covered, where lists the object paths the resources grant.
func elbLogResourceCovered(resource any, bucket string, prefixValue any) (covered bool, where []string) {
	prefix, ok := literal(prefixValue)
	if prefixValue != nil && !ok {
		return true, nil
	}
	key := "/AWSLogs/123456789012/elasticloadbalancing/region/2026/01/01/log.gz"
	if prefix = strings.Trim(prefix, "/"); prefix != "" {
		key = "/" + prefix + key
	}
	items, isList := resource.([]any)
	if !isList {
		items = []any{resource}
	}
	for _, item := range items {
		f, a, isFn := fn(item)
		if !isFn || f != "Fn::Sub" {
			return true, nil
		}
		str, vars := subParts(a)
		if len(vars) > 0 {
			return true, nil
		}
		rest, found := "", false
		for _, head := range []string{"${" + bucket + ".Arn}", "arn:${AWS::Partition}:s3:::${" + bucket + "}", "arn:aws:s3:::${" + bucket + "}"} {
			if strings.HasPrefix(str, head) {
				rest, found = str[len(head):], true
				break
			}
		}
		if !found {
			return true, nil
		}
		// IAM wildcards: * is any run of characters, ? one; a variable
		// stands for any value.
		var re strings.Builder
		re.WriteString("^")
		for i, part := range subVariable.Split(rest, -1) {
			if i > 0 {
				re.WriteString(".*")
			}
			for _, r := range part {
				switch r {
				case '*':
					re.WriteString(".*")
				case '?':
					re.WriteString(".")
				default:
					re.WriteString(regexp.QuoteMeta(string(r)))
				}
			}
		}
		re.WriteString("$")
		if m, err := regexp.MatchString(re.String(), key); err != nil || m {
			return true, nil
		}
		where = append(where, bucket+rest)
	}
	return false, where
}

func checkALBLogEncryption(t *Template) []Finding {
	var out []Finding
	t.eachLogBucket(true, func(lb, bucket Resource) {
		walk(nil, bucket.Properties["BucketEncryption"], func(p *nodePath, v any) {
			if p.Key() != "SSEAlgorithm" {
				return
			}
			for _, s := range stringsIn(v) {
				if s == "aws:kms" || s == "aws:kms:dsse" {
					out = append(out, at(bucket, "BucketEncryption", "%s encrypts with %s, but %s writes its access logs there and ALB access logs support only SSE-S3", bucket.ID, s, lb.ID))
					return
				}
			}
		})
	})
	return out
}

func checkALBLogDependsOn(t *Template) []Finding {
	var out []Finding
	deps := t.deps()
	t.eachLogBucket(false, func(lb, bucket Resource) {
		policies := t.bucketPolicies(bucket.ID)
		if len(policies) == 0 {
			return // D520
		}
		before := transitiveDeps(deps, lb.ID)
		var ids []string
		for _, p := range policies {
			if before[p.ID] {
				return
			}
			ids = append(ids, p.ID)
		}
		f := at(lb, "", "%s does not DependsOn %s: it can be created before the policy lets it write to %s, and fail with Access Denied", lb.ID, strings.Join(ids, " or "), bucket.ID)
		if _, ok := lb.Body["DependsOn"]; ok {
			f.Path += "/DependsOn"
		}
		out = append(out, f)
	})
	return out
}

// listenerPort returns a listener's literal port.
func listenerPort(r Resource) string {
	s, _ := literal(r.Properties["Port"])
	return s
}

// redirectsTo443 lists, for each redirect to port 443 or HTTPS among the
// actions, the conditions under which it applies ("!C" for C false).
func redirectsTo443(v any, conds []string, out *[][]string) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			redirectsTo443(e, conds, out)
		}
	case map[string]any:
		if f, a, ok := fn(x); ok {
			l, _ := a.([]any)
			if c, isStr := ifCondition(l); f == "Fn::If" && isStr {
				redirectsTo443(l[1], append(append([]string{}, conds...), c), out)
				redirectsTo443(l[2], append(append([]string{}, conds...), "!"+c), out)
			}
			return
		}
		rc, _ := x["RedirectConfig"].(map[string]any)
		if rc == nil {
			return
		}
		port, _ := literal(rc["Port"])
		proto, _ := literal(rc["Protocol"])
		if port == "443" || strings.EqualFold(proto, "HTTPS") {
			*out = append(*out, conds)
		}
	}
}

// ifCondition returns the condition name of an Fn::If argument.
func ifCondition(l []any) (string, bool) {
	if len(l) != 3 {
		return "", false
	}
	s, ok := l[0].(string)
	return s, ok
}

func checkRedirectTarget(t *Template) []Finding {
	listeners := t.OfType(edgeTypeListener)
	var out []Finding
	for _, l := range listeners {
		if listenerPort(l) != "80" {
			continue
		}
		lb := refTarget(l.Properties["LoadBalancerArn"])
		if _, ok := t.Resource(lb); !ok {
			continue
		}
		var base []string
		if c, ok := l.Body["Condition"].(string); ok {
			base = append(base, c)
		}
		var redirects [][]string
		redirectsTo443(l.Properties["DefaultActions"], base, &redirects)
		if len(redirects) == 0 {
			continue
		}
		var https []string // conditions of the 443 listeners ("" for none)
		for _, h := range listeners {
			if listenerPort(h) == "443" && refTarget(h.Properties["LoadBalancerArn"]) == lb {
				c, _ := h.Body["Condition"].(string)
				https = append(https, c)
			}
		}
		for _, conds := range redirects {
			if contains(https, "") || edgeAnyIn(https, conds) {
				continue
			}
			msg := fmt.Sprintf("%s redirects port 80 to 443, but load balancer %s has no listener on port 443", l.ID, lb)
			if len(https) > 0 {
				msg = fmt.Sprintf("%s redirects port 80 to 443, but the port 443 listener of %s exists only under condition %s, which the redirect does not require", l.ID, lb, strings.Join(https, " or "))
			}
			out = append(out, at(l, "DefaultActions", "%s", msg))
			break
		}
	}
	return out
}

// edgeAnyIn reports whether a list has an element of another.
func edgeAnyIn(list, of []string) bool {
	for _, s := range of {
		if contains(list, s) {
			return true
		}
	}
	return false
}

func checkSslPolicy(t *Template) []Finding {
	var out []Finding
	for _, l := range t.OfType(edgeTypeListener) {
		if !contains(stringsIn(l.Properties["Protocol"]), "HTTPS") {
			continue
		}
		p, has := l.Properties["SslPolicy"]
		if !has {
			out = append(out, at(l, "Protocol", "HTTPS listener %s has no SslPolicy: the default is ELBSecurityPolicy-2016-08, which allows TLS 1.0", l.ID))
			continue
		}
		if s, ok := literal(p); ok && !strings.Contains(s, "TLS13") {
			out = append(out, at(l, "SslPolicy", "HTTPS listener %s uses %s, not a TLS 1.3 policy", l.ID, s))
		}
	}
	return out
}

func checkWebACLArn(t *Template) []Finding {
	var out []Finding
	for _, a := range t.OfType(edgeTypeWebACLAssoc) {
		walk(nil, a.Properties["WebACLArn"], func(_ *nodePath, v any) {
			if f, arg, ok := fn(v); ok && f == "Ref" {
				name, _ := arg.(string)
				if acl, ok := t.Resource(name); ok && acl.Type == edgeTypeWebACL {
					out = append(out, at(a, "WebACLArn", "%s sets WebACLArn to !Ref %s, which returns name|id|scope, not the ARN", a.ID, name))
				}
			}
		})
	}
	return out
}

// usesRuleGroup reports whether a WAF rule's statement is a rule group.
func usesRuleGroup(rule map[string]any) bool {
	st, _ := rule["Statement"].(map[string]any)
	_, managed := st["ManagedRuleGroupStatement"]
	_, ref := st["RuleGroupReferenceStatement"]
	return managed || ref
}

// wafRule is one rule of a web ACL, with its property path; inIf when it is
// a branch of an Fn::If.
type wafRule struct {
	body map[string]any
	path string
	inIf bool
}

// wafRules lists a web ACL's rules, both branches of an Fn::If included.
func wafRules(acl Resource) []wafRule {
	list, _ := acl.Properties["Rules"].([]any)
	var out []wafRule
	var add func(p string, v any, inIf bool)
	add = func(p string, v any, inIf bool) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		if f, a, ok := fn(m); ok {
			if l, _ := a.([]any); f == "Fn::If" && len(l) == 3 {
				add(p, l[1], true)
				add(p, l[2], true)
			}
			return
		}
		out = append(out, wafRule{m, p, inIf})
	}
	for i, r := range list {
		add(fmt.Sprintf("Rules/%d", i), r, false)
	}
	return out
}

func checkWebACLRules(t *Template) []Finding {
	var out []Finding
	for _, acl := range t.OfType(edgeTypeWebACL) {
		byPriority := map[string]string{}
		for _, r := range wafRules(acl) {
			name, ok := literal(r.body["Name"])
			if !ok {
				name = r.path
			}
			_, action := r.body["Action"]
			_, override := r.body["OverrideAction"]
			switch group := usesRuleGroup(r.body); {
			case group && (action || !override):
				out = append(out, at(acl, r.path, "rule %s of %s uses a rule group, which takes OverrideAction, not Action", name, acl.ID))
			case !group && (override || !action):
				out = append(out, at(acl, r.path, "rule %s of %s is not a rule group, so it takes Action, not OverrideAction", name, acl.ID))
			}
			p, ok := literal(r.body["Priority"])
			if !ok || r.inIf {
				continue
			}
			if other, dup := byPriority[p]; dup {
				out = append(out, at(acl, r.path+"/Priority", "rules %s and %s of %s share Priority %s", other, name, acl.ID, p))
				continue
			}
			byPriority[p] = name
		}
	}
	return out
}

// managedWCU is the capacity of AWS managed rule groups.
var managedWCU = map[string]int{
	"AWSManagedRulesCommonRuleSet": 700, "AWSManagedRulesKnownBadInputsRuleSet": 200,
	"AWSManagedRulesAmazonIpReputationList": 25, "AWSManagedRulesSQLiRuleSet": 200,
	"AWSManagedRulesLinuxRuleSet": 200, "AWSManagedRulesUnixRuleSet": 100,
	"AWSManagedRulesWindowsRuleSet": 200, "AWSManagedRulesPHPRuleSet": 100,
	"AWSManagedRulesWordPressRuleSet": 100, "AWSManagedRulesAnonymousIpList": 50,
	"AWSManagedRulesAdminProtectionRuleSet": 100, "AWSManagedRulesBotControlRuleSet": 50,
	"AWSManagedRulesATPRuleSet": 50, "AWSManagedRulesACFPRuleSet": 50,
}

// Web ACL capacity: 1,500 WCU at the base price, 5,000 at most.
const (
	wcuBase = 1500
	wcuMax  = 5000
)

// ruleWCU is the known capacity of one rule: a managed group from the table,
// 2 for a rate-based rule (its scope-down statement not counted).
func ruleWCU(v any) int {
	m, ok := v.(map[string]any)
	if !ok {
		return 0
	}
	if f, a, ok := fn(m); ok {
		if l, _ := a.([]any); f == "Fn::If" && len(l) == 3 {
			return max(ruleWCU(l[1]), ruleWCU(l[2]))
		}
		return 0
	}
	st, _ := m["Statement"].(map[string]any)
	if g, ok := st["ManagedRuleGroupStatement"].(map[string]any); ok {
		name, _ := literal(g["Name"])
		return managedWCU[name]
	}
	if _, ok := st["RateBasedStatement"]; ok {
		return 2
	}
	return 0
}

func checkWebACLCapacity(t *Template) []Finding {
	var out []Finding
	assocs := t.OfType(edgeTypeWebACLAssoc)
	for _, acl := range t.OfType(edgeTypeWebACL) {
		list, _ := acl.Properties["Rules"].([]any)
		total := 0
		for _, r := range list {
			total += ruleWCU(r)
		}
		switch {
		case total > wcuMax:
			out = append(out, at(acl, "Rules", "%s needs at least %d WCU, over the 5,000 a web ACL can hold", acl.ID, total))
		case total > wcuBase:
			f := at(acl, "Rules", "%s needs at least %d WCU, over the 1,500 of the base price: each further 500 WCU is billed", acl.ID, total)
			f.Severity = Warning
			out = append(out, f)
		}
		scope, ok := literal(acl.Properties["Scope"])
		if !ok || scope == "REGIONAL" {
			continue
		}
		for _, a := range assocs {
			if refTarget(a.Properties["WebACLArn"]) != acl.ID {
				continue
			}
			target := refTarget(a.Properties["ResourceArn"])
			if r, ok := t.Resource(target); ok && r.Type == edgeTypeLB {
				out = append(out, at(acl, "Scope", "%s has Scope %s, but %s associates it with load balancer %s, which takes a REGIONAL web ACL", acl.ID, scope, a.ID, target))
			}
		}
	}
	return out
}

// serviceTargetGroups lists the template target groups an ECS service
// registers with, with the property path of each.
func (t *Template) serviceTargetGroups(svc Resource) (tgs []Resource, paths []string) {
	lbs, _ := svc.Properties["LoadBalancers"].([]any)
	for i, e := range lbs {
		m, _ := e.(map[string]any)
		if f, a, ok := fn(m["TargetGroupArn"]); ok && f == "Ref" {
			name, _ := a.(string)
			if tg, ok := t.Resource(name); ok && tg.Type == "AWS::ElasticLoadBalancingV2::TargetGroup" {
				tgs = append(tgs, tg)
				paths = append(paths, fmt.Sprintf("LoadBalancers/%d/TargetGroupArn", i))
			}
		}
	}
	return tgs, paths
}

func checkTargetType(t *Template) []Finding {
	var out []Finding
	for _, svc := range t.OfType("AWS::ECS::Service") {
		td, ok := t.Resource(refTarget(svc.Properties["TaskDefinition"]))
		if !ok || td.Type != "AWS::ECS::TaskDefinition" {
			continue
		}
		mode, ok := literal(td.Properties["NetworkMode"])
		if _, set := td.Properties["NetworkMode"]; set && !ok {
			continue // chosen by an intrinsic
		}
		if !ok {
			launch, _ := literal(svc.Properties["LaunchType"])
			if launch == "FARGATE" || contains(stringsIn(td.Properties["RequiresCompatibilities"]), "FARGATE") {
				continue // Fargate needs awsvpc: another problem
			}
			mode = "bridge"
		}
		want := map[string]string{"awsvpc": "ip", "bridge": "instance", "host": "instance"}[mode]
		if want == "" {
			continue
		}
		tgs, paths := t.serviceTargetGroups(svc)
		for i, tg := range tgs {
			typ := "instance"
			if v, set := tg.Properties["TargetType"]; set {
				if typ, ok = literal(v); !ok {
					continue
				}
			}
			if typ != want {
				out = append(out, at(svc, paths[i], "%s runs %s tasks (NetworkMode %s) behind %s, whose TargetType is %s, not %s", svc.ID, td.ID, mode, tg.ID, typ, want))
			}
		}
	}
	return out
}

func checkServiceListener(t *Template) []Finding {
	var out []Finding
	deps := t.deps()
	for _, svc := range t.OfType("AWS::ECS::Service") {
		before := transitiveDeps(deps, svc.ID)
		tgs, paths := t.serviceTargetGroups(svc)
		for i, tg := range tgs {
			var forwarders []string
			for _, r := range t.Resources() {
				var actions any
				switch r.Type {
				case edgeTypeListener:
					actions = r.Properties["DefaultActions"]
				case "AWS::ElasticLoadBalancingV2::ListenerRule":
					actions = r.Properties["Actions"]
				default:
					continue
				}
				if contains(references(actions), tg.ID) {
					forwarders = append(forwarders, r.ID)
				}
			}
			if edgeAnyIn(keys(before), forwarders) {
				continue
			}
			msg := fmt.Sprintf("%s registers with %s, but no listener in the template forwards to it: the service fails with \"target group does not have an associated load balancer\"", svc.ID, tg.ID)
			if len(forwarders) > 0 {
				sort.Strings(forwarders)
				msg = fmt.Sprintf("%s registers with %s but does not depend on %s, which forwards to it: the service can fail with \"target group does not have an associated load balancer\"", svc.ID, tg.ID, strings.Join(forwarders, " or "))
			}
			out = append(out, at(svc, paths[i], "%s", msg))
		}
	}
	return out
}

// D547

func checkWebACLRate(t *Template) []Finding {
	var out []Finding
	for _, acl := range t.OfType(edgeTypeWebACL) {
		rated := false
		visit(acl.Properties["Rules"], func(v any) {
			if m, ok := v.(map[string]any); ok {
				if _, ok := m["RateBasedStatement"]; ok {
					rated = true
				}
			}
		})
		if _, _, isFn := fn(acl.Properties["Rules"]); isFn {
			continue
		}
		if !rated {
			out = append(out, at(acl, "Rules", "web ACL %s has no rate-based rule: one client can flood the API", acl.ID))
		}
	}
	return out
}
