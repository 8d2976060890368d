package model

import "strings"

// DefaultSuppressions are the findings of cfngen validate that cfngen's own
// templates intend, each with the reason a security reviewer is asked to
// accept. They depend on the configuration (no bastion, no bastion
// suppressions), and render refuses any that no longer match a finding, so
// they cannot go stale.
func (b Backend) DefaultSuppressions() []Suppression {
	const egress = "AWS APIs over HTTPS via NAT: no fixed addresses"
	out := []Suppression{
		{Rule: "C605", Resource: "LogBucket", Reason: "The access-log bucket; logging it into itself would loop"},
		{Rule: "C610", Resource: "HttpListener", Reason: "HTTP only outside prod and without CertificateArn; else it redirects"},
		{Rule: "C625", Resource: "LoadBalancerSecurityGroup", Reason: "Public load balancer by design; WAF in front"},
		{Rule: "C624", Resource: "AppSecurityGroup", Reason: egress},
		{Rule: "C624", Resource: "ContainerInstanceSecurityGroup", Reason: egress},
		{Rule: "C624", Resource: "ProxySecurityGroup", Reason: "RDS Proxy reads its secret over HTTPS via NAT"},
		{Rule: "C641", Resource: "DBSecret", Reason: "Tasks read the password at start; rotation needs a Lambda (CAPABILITY_AUTO_EXPAND)"},
		{Rule: "C672", Resource: "AlertsTopic", Reason: "aws/sns key blocks CloudWatch alarms; they carry no data"},
	}
	if b.Bastion.Enabled && b.Bastion.AllowSSHFromAnywhere {
		const why = "bastion.allowSshFromAnywhere is set in cfngen.yaml"
		out = append(out, Suppression{Rule: "C621", Resource: "BastionSecurityGroup", Reason: why})
		for _, e := range b.Environments {
			if strings.HasSuffix(e.Params.SSHCIDR, "/0") && (e.Listed || e.Name == b.DefaultEnvironment) {
				out = append(out, Suppression{Rule: "C620", Resource: "BastionSecurityGroup", Reason: why})
				break
			}
		}
	}
	if b.Bastion.Enabled {
		out = append(out,
			Suppression{Rule: "C624", Resource: "BastionSecurityGroup", Reason: "Package updates over HTTPS"},
			Suppression{Rule: "C661", Resource: "BastionHost", Reason: "The SSH entry point, SSH only from MyIPAddress"},
		)
	}
	return out
}
