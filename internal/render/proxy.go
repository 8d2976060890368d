package render

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/rds"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/model"
)

// proxyName is "<project>-<env>-db-<hash of the private subnet blocks>".
// DBProxyName is required and VpcSubnetIds is create-only: a change of the
// proxy's subnets (network.azCount, vpcCidr, subnetPrefix) replaces the
// proxy, and CloudFormation refuses to replace a resource under the name it
// already has. The hash renames the proxy exactly when its subnets change.
// On the subnets of the built-in network (two zones of 10.0.0.0/16 in /20s)
// the name stays "<project>-<env>-db", the name every release before the
// hash gave the proxy: most stacks keep their proxy (and its endpoint) on
// the first update with this release, and any change of their subnets
// still changes the name.
func (b *builder) proxyName() (string, error) {
	_, private, err := b.subnetCIDRs()
	if err != nil {
		return "", err
	}
	_, builtIn, err := (&builder{m: model.Default()}).subnetCIDRs()
	if err != nil {
		return "", err
	}
	if slices.Equal(private, builtIn) {
		return name("db"), nil
	}
	h := sha256.Sum256([]byte(strings.Join(private, ",")))
	return name("db-" + hex.EncodeToString(h[:4])), nil
}

func (b *builder) proxy() error {
	t := b.t
	proxyName, err := b.proxyName()
	if err != nil {
		return err
	}
	t.Add(rProxyRole, &iam.Role{
		AssumeRolePolicyDocument: trust("rds.amazonaws.com"),
		Policies: []iam.Role_Policy{{
			PolicyName:     "read-db-secret",
			PolicyDocument: policy(allow("secretsmanager:GetSecretValue", cfn.Ref(rDBSecret))),
		}},
	})
	t.Add(rProxy, &rds.DBProxy{
		DBProxyName:  proxyName,
		EngineFamily: "POSTGRESQL",
		RequireTLS:   yes(),
		RoleArn:      cfn.GetAtt(rProxyRole, "Arn"),
		Auth: []rds.DBProxy_AuthFormat{{
			AuthScheme:             str("SECRETS"),
			SecretArn:              str(cfn.Ref(rDBSecret)),
			IAMAuth:                str("DISABLED"),
			ClientPasswordAuthType: str("POSTGRES_SCRAM_SHA_256"),
		}},
		VpcSubnetIds:        b.refs(rPrivateSubnet),
		VpcSecurityGroupIds: []string{cfn.Ref(rProxySG)},
	})
	tg := &rds.DBProxyTargetGroup{DBProxyName: cfn.Ref(rProxy), TargetGroupName: "default"}
	if b.aurora() {
		tg.DBClusterIdentifiers = []string{cfn.Ref(rDBCluster)}
		// The cluster has no compute until its writer exists.
		tg.AWSCloudFormationDependsOn = []string{rDBWriter}
	} else {
		tg.DBInstanceIdentifiers = []string{cfn.Ref(rDBInstance)}
	}
	t.Add(rProxyTargetGroup, tg)
	return nil
}
