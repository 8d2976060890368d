package render

import (
	"github.com/awslabs/goformation/v7/cloudformation/ec2"

	"github.com/cfngen/cfngen/internal/cfn"
)

func (b *builder) bastion() error {
	if !b.m.Bastion.Enabled {
		return nil
	}
	t := b.t
	// No instance role: SSH is the bastion's way in, and a role with the
	// standard Session Manager policy (AmazonSSMManagedInstanceCore) could
	// read every SSM parameter of the account, this key pair's private key
	// included.
	// Without PublicKeyMaterial, EC2 generates the key and CloudFormation
	// stores the private key in SSM Parameter Store at /ec2/keypair/<id>.
	t.Add(rBastionKey, &ec2.KeyPair{
		KeyName:                    cfn.Sub("${AWS::StackName}-bastion"),
		KeyType:                    str("ed25519"),
		AWSCloudFormationCondition: cCreateKey,
	})
	t.Add(rBastion, &ec2.Instance{
		ImageId:      str(cfn.Ref(pBastionAMI)),
		InstanceType: str(b.m.Bastion.InstanceType),
		KeyName:      str(cfn.If(cCreateKey, cfn.Ref(rBastionKey), cfn.Ref(pSSHKey))),
		NetworkInterfaces: []ec2.Instance_NetworkInterface{{
			DeviceIndex:              "0",
			SubnetId:                 str(cfn.Ref(id(rPublicSubnet, 1))),
			AssociatePublicIpAddress: yes(),
			GroupSet:                 []string{cfn.Ref(rBastionSG)},
		}},
		BlockDeviceMappings: []ec2.Instance_BlockDeviceMapping{{
			DeviceName: "/dev/xvda",
			Ebs:        &ec2.Instance_Ebs{VolumeSize: num(8), VolumeType: str("gp3"), Encrypted: yes()},
		}},
		Tags:                       nameTag(name("bastion")),
		AWSCloudFormationDependsOn: []string{rIGWAttachment},
	}).Set("MetadataOptions", map[string]any{"HttpTokens": "required"})
	return nil
}
