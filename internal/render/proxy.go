package render

import (
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/rds"

	"github.com/cfngen/cfngen/internal/cfn"
)

func (b *builder) proxy() error {
	t := b.t
	t.Add(rProxyRole, &iam.Role{
		AssumeRolePolicyDocument: trust("rds.amazonaws.com"),
		Policies: []iam.Role_Policy{{
			PolicyName:     "read-db-secret",
			PolicyDocument: policy(allow("secretsmanager:GetSecretValue", cfn.Ref(rDBSecret))),
		}},
	})
	t.Add(rProxy, &rds.DBProxy{
		DBProxyName:  name("db"),
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
