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

func (b *builder) securityGroups() error {
	t := b.t
	vpc := str(cfn.Ref(rVPC))
	t.Add(rALBSG, &ec2.SecurityGroup{
		GroupDescription: "Load balancer: HTTP and HTTPS from the internet",
		VpcId:            vpc,
		SecurityGroupIngress: []ec2.SecurityGroup_Ingress{
			{IpProtocol: "tcp", FromPort: num(80), ToPort: num(80), CidrIp: str("0.0.0.0/0")},
			{IpProtocol: "tcp", FromPort: num(443), ToPort: num(443), CidrIp: str("0.0.0.0/0")},
		},
	})
	t.Add(rAppSG, &ec2.SecurityGroup{
		GroupDescription:     "API tasks: app port from the load balancer",
		VpcId:                vpc,
		SecurityGroupIngress: []ec2.SecurityGroup_Ingress{ingressFrom(rALBSG, b.m.Edge.AppPort)},
	})
	t.Add(rInstanceSG, &ec2.SecurityGroup{
		GroupDescription: "ECS container instances: no inbound traffic",
		VpcId:            vpc,
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
		})
	}
	t.Add(rProxySG, &ec2.SecurityGroup{
		GroupDescription:     "RDS Proxy: PostgreSQL from the API tasks and the bastion",
		VpcId:                vpc,
		SecurityGroupIngress: dbIngress(rAppSG),
	})
	t.Add(rDBSG, &ec2.SecurityGroup{
		GroupDescription:     "Database: PostgreSQL from RDS Proxy and the bastion",
		VpcId:                vpc,
		SecurityGroupIngress: dbIngress(rProxySG),
	})
	return nil
}
