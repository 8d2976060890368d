package render

import (
	"github.com/awslabs/goformation/v7/cloudformation/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/elasticloadbalancingv2"

	"github.com/cfngen/cfngen/internal/cfn"
)

const logPrefix = "alb"

func attr(k, v string) elasticloadbalancingv2.LoadBalancer_LoadBalancerAttribute {
	return elasticloadbalancingv2.LoadBalancer_LoadBalancerAttribute{Key: str(k), Value: str(v)}
}

func (b *builder) edge() error {
	t := b.t
	t.Add(rALB, &elasticloadbalancingv2.LoadBalancer{
		Type:           str("application"),
		Scheme:         str("internet-facing"),
		Subnets:        b.refs(rPublicSubnet),
		SecurityGroups: []string{cfn.Ref(rALBSG)},
		LoadBalancerAttributes: []elasticloadbalancingv2.LoadBalancer_LoadBalancerAttribute{
			attr("access_logs.s3.enabled", "true"),
			attr("access_logs.s3.bucket", cfn.Ref(rLogBucket)),
			attr("access_logs.s3.prefix", logPrefix),
			attr("routing.http.drop_invalid_header_fields.enabled", "true"),
			attr("deletion_protection.enabled", env("DeletionProtection")),
		},
		// The bucket policy must exist before the load balancer checks that it
		// can write its logs; the gateway before it becomes internet-facing.
		AWSCloudFormationDependsOn: []string{rLogBucketPolicy, rIGWAttachment},
	})
	t.Add(rTargetGroup, &elasticloadbalancingv2.TargetGroup{
		TargetType:                 str("ip"),
		Protocol:                   str("HTTP"),
		Port:                       num(b.m.Edge.AppPort),
		VpcId:                      str(cfn.Ref(rVPC)),
		HealthCheckPath:            str(b.m.Edge.HealthCheckPath),
		HealthCheckIntervalSeconds: num(15),
		HealthyThresholdCount:      num(2),
		TargetGroupAttributes: []elasticloadbalancingv2.TargetGroup_TargetGroupAttribute{
			{Key: str("deregistration_delay.timeout_seconds"), Value: str("30")},
		},
	})
	forward := elasticloadbalancingv2.Listener_Action{Type: "forward", TargetGroupArn: str(cfn.Ref(rTargetGroup))}
	t.Add(rHTTPListener, &elasticloadbalancingv2.Listener{
		LoadBalancerArn: cfn.Ref(rALB),
		Port:            num(80),
		Protocol:        str("HTTP"),
	}).Set("DefaultActions", []any{cfn.If(cHasCert,
		map[string]any{"Type": "redirect", "RedirectConfig": map[string]any{"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}},
		map[string]any{"Type": "forward", "TargetGroupArn": cfn.Ref(rTargetGroup)},
	)})
	t.Add(rHTTPSListener, &elasticloadbalancingv2.Listener{
		LoadBalancerArn:            cfn.Ref(rALB),
		Port:                       num(443),
		Protocol:                   str("HTTPS"),
		SslPolicy:                  str(b.m.Edge.SSLPolicy),
		Certificates:               []elasticloadbalancingv2.Listener_Certificate{{CertificateArn: str(cfn.Ref(pCertificate))}},
		DefaultActions:             []elasticloadbalancingv2.Listener_Action{forward},
		AWSCloudFormationCondition: cHasCert,
	})
	// The ECS service must wait for whichever listener attaches the target
	// group. DependsOn cannot name a conditional resource, so this handle
	// depends on both through references that vanish with the condition.
	t.Add(rListenersReady, &cloudformation.WaitConditionHandle{
		AWSCloudFormationMetadata: map[string]any{
			"Http":  cfn.Ref(rHTTPListener),
			"Https": cfn.If(cHasCert, cfn.Ref(rHTTPSListener), ""),
		},
	})
	return nil
}
