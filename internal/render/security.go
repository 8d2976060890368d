package render

import (
	"github.com/awslabs/goformation/v7/cloudformation/ec2"

	"github.com/cfngen/cfngen/internal/cfn"
)

const postgresPort = 5432

func ingressFrom(group string, port int) ec2.SecurityGroup_Ingress {
	return ec2.SecurityGroup_Ingress{
		IpProtocol:            "tcp",
		FromPort:              num(port),
		ToPort:                num(port),
		SourceSecurityGroupId: str(cfn.Ref(group)),
	}
}

// egressTo allows TCP on one port to a CIDR block. Egress rules name the
// VPC's block rather than the peer group: a group's ingress already names
// the peer, and naming each other inline would be a dependency cycle.
func egressTo(cidr string, port int) ec2.SecurityGroup_Egress {
	return ec2.SecurityGroup_Egress{IpProtocol: "tcp", FromPort: num(port), ToPort: num(port), CidrIp: str(cidr)}
}

// noEgress is the rule of a group that sends nothing: it replaces the
// default allow-all rule and matches no traffic, since loopback never
// leaves the interface (cfn_nag's rules know this form).
var noEgress = []ec2.SecurityGroup_Egress{{IpProtocol: "-1", CidrIp: str("127.0.0.1/32")}}

// Every group states its egress (C623): only what the service needs.
func (b *builder) securityGroups() error {
	t := b.t
	vpc := str(cfn.Ref(rVPC))
	vpcCIDR := b.m.Network.VPCCIDR
	https := egressTo("0.0.0.0/0", 443) // AWS APIs through NAT
	toDB := egressTo(vpcCIDR, postgresPort)
	t.Add(rALBSG, &ec2.SecurityGroup{
		GroupDescription: "Load balancer: HTTP and HTTPS from the internet",
		VpcId:            vpc,
		SecurityGroupIngress: []ec2.SecurityGroup_Ingress{
			{IpProtocol: "tcp", FromPort: num(80), ToPort: num(80), CidrIp: str("0.0.0.0/0")},
			{IpProtocol: "tcp", FromPort: num(443), ToPort: num(443), CidrIp: str("0.0.0.0/0")},
		},
		SecurityGroupEgress: []ec2.SecurityGroup_Egress{egressTo(vpcCIDR, b.m.Edge.AppPort)},
	})
	t.Add(rAppSG, &ec2.SecurityGroup{
		GroupDescription:     "API tasks: app port from the load balancer",
		VpcId:                vpc,
		SecurityGroupIngress: []ec2.SecurityGroup_Ingress{ingressFrom(rALBSG, b.m.Edge.AppPort)},
		SecurityGroupEgress:  []ec2.SecurityGroup_Egress{https, toDB},
	})
	t.Add(rInstanceSG, &ec2.SecurityGroup{
		GroupDescription:    "ECS container instances: no inbound traffic",
		VpcId:               vpc,
		SecurityGroupEgress: []ec2.SecurityGroup_Egress{https},
	})
	dbIngress := func(from string) []ec2.SecurityGroup_Ingress {
		in := []ec2.SecurityGroup_Ingress{ingressFrom(from, postgresPort)}
		if b.m.Bastion.Enabled {
			in = append(in, ingressFrom(rBastionSG, postgresPort))
		}
		return in
	}
	if b.m.Bastion.Enabled {
		t.Add(rBastionSG, &ec2.SecurityGroup{
			GroupDescription: "Bastion: SSH from the allowed CIDR",
			VpcId:            vpc,
			SecurityGroupIngress: []ec2.SecurityGroup_Ingress{{
				IpProtocol: "tcp", FromPort: num(22), ToPort: num(22), CidrIp: str(cfn.Ref(pSSHCIDR)),
			}},
			SecurityGroupEgress: []ec2.SecurityGroup_Egress{https, toDB},
		})
	}
	t.Add(rProxySG, &ec2.SecurityGroup{
		GroupDescription:     "RDS Proxy: PostgreSQL from the API tasks and the bastion",
		VpcId:                vpc,
		SecurityGroupIngress: dbIngress(rAppSG),
		SecurityGroupEgress:  []ec2.SecurityGroup_Egress{https, toDB},
	})
	t.Add(rDBSG, &ec2.SecurityGroup{
		GroupDescription:     "Database: PostgreSQL from RDS Proxy and the bastion",
		VpcId:                vpc,
		SecurityGroupIngress: dbIngress(rProxySG),
		SecurityGroupEgress:  noEgress,
	})
	return nil
}
