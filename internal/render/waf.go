package render

import (
	"github.com/awslabs/goformation/v7/cloudformation/wafv2"

	"github.com/cfngen/cfngen/internal/cfn"
)

// managedRuleGroups are the AWS managed rule groups on the web ACL, in
// priority order, with their capacity units (1,125 of the 1,500 WCU budget
// with the rate rule).
var managedRuleGroups = []struct {
	name string
	wcu  int
}{
	{"AWSManagedRulesCommonRuleSet", 700},
	{"AWSManagedRulesKnownBadInputsRuleSet", 200},
	{"AWSManagedRulesAmazonIpReputationList", 25},
	{"AWSManagedRulesSQLiRuleSet", 200},
}

func visibility(metric string) *wafv2.WebACL_VisibilityConfig {
	return &wafv2.WebACL_VisibilityConfig{CloudWatchMetricsEnabled: true, MetricName: metric, SampledRequestsEnabled: true}
}

func (b *builder) waf() error {
	var rules []wafv2.WebACL_Rule
	for i, g := range managedRuleGroups {
		stmt := &wafv2.WebACL_ManagedRuleGroupStatement{VendorName: "AWS", Name: g.name}
		if g.name == "AWSManagedRulesCommonRuleSet" && b.m.Edge.WAF.CountLargeBodies {
			stmt.RuleActionOverrides = []wafv2.WebACL_RuleActionOverride{{
				Name:        "SizeRestrictions_BODY",
				ActionToUse: &wafv2.WebACL_RuleAction{Count: &wafv2.WebACL_CountAction{}},
			}}
		}
		rules = append(rules, wafv2.WebACL_Rule{
			Name:             g.name,
			Priority:         i,
			Statement:        &wafv2.WebACL_Statement{ManagedRuleGroupStatement: stmt},
			OverrideAction:   &wafv2.WebACL_OverrideAction{None: map[string]any{}},
			VisibilityConfig: visibility(g.name),
		})
	}
	rules = append(rules, wafv2.WebACL_Rule{
		Name:     "RateLimitPerIp",
		Priority: len(rules),
		Statement: &wafv2.WebACL_Statement{RateBasedStatement: &wafv2.WebACL_RateBasedStatement{
			AggregateKeyType: "IP",
			Limit:            b.m.Edge.WAF.RateLimit,
		}},
		Action:           &wafv2.WebACL_RuleAction{Block: &wafv2.WebACL_BlockAction{}},
		VisibilityConfig: visibility("RateLimitPerIp"),
	})
	b.t.Add(rWebACL, &wafv2.WebACL{
		Scope:            "REGIONAL",
		DefaultAction:    &wafv2.WebACL_DefaultAction{Allow: &wafv2.WebACL_AllowAction{}},
		Rules:            rules,
		VisibilityConfig: visibility("WebACL"),
	})
	b.t.Add(rWebACLAssoc, &wafv2.WebACLAssociation{
		ResourceArn: cfn.Ref(rALB),
		WebACLArn:   cfn.GetAtt(rWebACL, "Arn"),
	})
	return nil
}
