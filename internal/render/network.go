package render

import (
	"fmt"
	"net/netip"

	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/tags"

	"github.com/cfngen/cfngen/internal/cfn"
)

// subnetCIDRs splits the VPC block into 2*AZCount subnets of the model's
// prefix. The first two AZs take the first four blocks (public 0 and 1,
// private 2 and 3); every further AZ takes the next two (public, private).
// So changing network.azCount adds or removes subnets at the end and never
// moves an existing one: a subnet whose CIDR changes is replaced, and its
// replacement collides with the old subnets that still hold that block.
// network.subnetOrder grouped keeps the layout of earlier releases: every
// public block, then every private one.
func (b *builder) subnetCIDRs() (public, private []string, err error) {
	vpc, err := netip.ParsePrefix(b.m.Network.VPCCIDR)
	if err != nil || !vpc.Addr().Is4() || vpc != vpc.Masked() {
		return nil, nil, fmt.Errorf("network.vpcCidr %q is not an IPv4 network address", b.m.Network.VPCCIDR)
	}
	bits := b.m.Network.SubnetPrefix
	n := 2 * b.m.Network.AZCount
	if bits < vpc.Bits() || (1<<(bits-vpc.Bits())) < n {
		return nil, nil, fmt.Errorf("network.subnetPrefix /%d cannot hold %d subnets in %s", bits, n, vpc)
	}
	base := vpc.Addr().As4()
	start := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	size := uint32(1) << (32 - bits)
	block := func(slot int) string {
		a := start + uint32(slot)*size
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)}), bits).String()
	}
	for i := 0; i < b.m.Network.AZCount; i++ {
		pub, priv := 2*i, 2*i+1
		switch {
		case b.m.Network.SubnetOrder == "grouped":
			pub, priv = i, b.m.Network.AZCount+i
		case i < 2:
			pub, priv = i, 2+i
		}
		public = append(public, block(pub))
		private = append(private, block(priv))
	}
	return public, private, nil
}

func nameTag(v string) []tags.Tag { return []tags.Tag{{Key: "Name", Value: v}} }

func (b *builder) network() error {
	t := b.t
	public, private, err := b.subnetCIDRs()
	if err != nil {
		return err
	}
	t.Add(rVPC, &ec2.VPC{
		CidrBlock:          str(b.m.Network.VPCCIDR),
		EnableDnsSupport:   yes(),
		EnableDnsHostnames: yes(),
		Tags:               nameTag(cfn.Ref(pVPCName)),
	})
	t.Add(rIGW, &ec2.InternetGateway{})
	t.Add(rIGWAttachment, &ec2.VPCGatewayAttachment{VpcId: cfn.Ref(rVPC), InternetGatewayId: str(cfn.Ref(rIGW))})
	t.Add(rPublicRT, &ec2.RouteTable{VpcId: cfn.Ref(rVPC)})
	t.Add(rPublicRoute, &ec2.Route{
		RouteTableId:               cfn.Ref(rPublicRT),
		DestinationCidrBlock:       str("0.0.0.0/0"),
		GatewayId:                  str(cfn.Ref(rIGW)),
		AWSCloudFormationDependsOn: []string{rIGWAttachment},
	})
	for i, az := range b.azs() {
		zone := str(cfn.Select(i, cfn.GetAZs()))
		t.Add(id(rPublicSubnet, az), &ec2.Subnet{
			VpcId:            cfn.Ref(rVPC),
			AvailabilityZone: zone,
			CidrBlock:        str(public[i]),
			Tags:             nameTag(name(fmt.Sprintf("public-%d", az))),
		})
		t.Add(id(rPublicRTAssoc, az), &ec2.SubnetRouteTableAssociation{
			RouteTableId: cfn.Ref(rPublicRT),
			SubnetId:     cfn.Ref(id(rPublicSubnet, az)),
		})
	}
	for i, az := range b.azs() {
		t.Add(id(rPrivateSubnet, az), &ec2.Subnet{
			VpcId:            cfn.Ref(rVPC),
			AvailabilityZone: str(cfn.Select(i, cfn.GetAZs())),
			CidrBlock:        str(private[i]),
			Tags:             nameTag(name(fmt.Sprintf("private-%d", az))),
		})
	}
	// NAT: the first AZ's gateway always exists; the others only where the
	// environment asks for one per AZ. Private route tables use their own
	// AZ's gateway when it exists, else the first.
	for _, az := range b.azs() {
		cond := ""
		if az > 1 {
			cond = cNATPerAZ
		}
		t.Add(id(rNATEIP, az), &ec2.EIP{
			Domain:                     str("vpc"),
			AWSCloudFormationCondition: cond,
			AWSCloudFormationDependsOn: []string{rIGWAttachment},
		})
		t.Add(id(rNATGateway, az), &ec2.NatGateway{
			AllocationId:               str(cfn.GetAtt(id(rNATEIP, az), "AllocationId")),
			SubnetId:                   cfn.Ref(id(rPublicSubnet, az)),
			AWSCloudFormationCondition: cond,
		})
	}
	for _, az := range b.azs() {
		t.Add(id(rPrivateRT, az), &ec2.RouteTable{VpcId: cfn.Ref(rVPC)})
		nat := cfn.Ref(id(rNATGateway, 1))
		if az > 1 {
			nat = cfn.If(cNATPerAZ, cfn.Ref(id(rNATGateway, az)), cfn.Ref(id(rNATGateway, 1)))
		}
		t.Add(id(rPrivateRoute, az), &ec2.Route{
			RouteTableId:         cfn.Ref(id(rPrivateRT, az)),
			DestinationCidrBlock: str("0.0.0.0/0"),
			NatGatewayId:         str(nat),
		})
		t.Add(id(rPrivateRTAssoc, az), &ec2.SubnetRouteTableAssociation{
			RouteTableId: cfn.Ref(id(rPrivateRT, az)),
			SubnetId:     cfn.Ref(id(rPrivateSubnet, az)),
		})
	}
	t.Add(rS3Endpoint, &ec2.VPCEndpoint{
		VpcId:           cfn.Ref(rVPC),
		ServiceName:     cfn.Sub("com.amazonaws.${AWS::Region}.s3"),
		VpcEndpointType: str("Gateway"),
		RouteTableIds:   b.refs(rPrivateRT),
	})
	t.Add(rFlowLogGroup, &logs.LogGroup{}).Set("RetentionInDays", env("LogRetention"))
	t.Add(rFlowLogRole, &iam.Role{
		AssumeRolePolicyDocument: trustOwnAccount("vpc-flow-logs.amazonaws.com"),
		Policies: []iam.Role_Policy{{
			PolicyName: "flow-logs",
			PolicyDocument: policy(allow(
				[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
				cfn.GetAtt(rFlowLogGroup, "Arn"),
			)),
		}},
	})
	t.Add(rFlowLog, &ec2.FlowLog{
		ResourceId:               cfn.Ref(rVPC),
		ResourceType:             "VPC",
		TrafficType:              str("ALL"),
		LogGroupName:             str(cfn.Ref(rFlowLogGroup)),
		DeliverLogsPermissionArn: str(cfn.GetAtt(rFlowLogRole, "Arn")),
	})
	return nil
}
