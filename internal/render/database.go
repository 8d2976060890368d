package render

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/rds"
	"github.com/awslabs/goformation/v7/cloudformation/secretsmanager"

	"github.com/cfngen/cfngen/internal/cfn"
)

// passwordRef resolves the generated master password at deploy time; it never
// appears in a template, a parameter or a file.
var passwordRef = cfn.Sub("{{resolve:secretsmanager:${" + rDBSecret + "}:SecretString:password}}")

func (b *builder) database() error {
	t := b.t
	t.Add(rDBSubnetGroup, &rds.DBSubnetGroup{
		DBSubnetGroupDescription: "Private subnets of the database",
		SubnetIds:                b.refs(rPrivateSubnet),
	})
	// The secret outlives the stack like the final snapshot does: a snapshot
	// is of little use without the password it was taken with.
	t.Add(rDBSecret, &secretsmanager.Secret{
		AWSCloudFormationDeletionPolicy:      retainExceptOnCreate,
		AWSCloudFormationUpdateReplacePolicy: policies.UpdateReplacePolicy("Retain"),
		GenerateSecretString: &secretsmanager.Secret_GenerateSecretString{
			SecretStringTemplate: str(cfn.Sub(`{"username":"${` + pDBUser + `}"}`)),
			GenerateStringKey:    str("password"),
			PasswordLength:       num(32),
			ExcludeCharacters:    str(`"@/\'`),
		},
	})
	t.Add(rMonitoringRole, &iam.Role{
		AssumeRolePolicyDocument: trustOwnAccount("monitoring.rds.amazonaws.com"),
		ManagedPolicyArns:        []string{managed("service-role/AmazonRDSEnhancedMonitoringRole")},
	})
	target, targetType := rDBCluster, "AWS::RDS::DBCluster"
	if b.aurora() {
		b.auroraCluster()
	} else {
		b.rdsInstance()
		target, targetType = rDBInstance, "AWS::RDS::DBInstance"
	}
	t.Add(rDBSecretAttach, &secretsmanager.SecretTargetAttachment{
		SecretId:   cfn.Ref(rDBSecret),
		TargetId:   cfn.Ref(target),
		TargetType: targetType,
	})
	return nil
}

func snapshot() (policies.DeletionPolicy, policies.UpdateReplacePolicy) {
	return policies.DeletionPolicy("Snapshot"), policies.UpdateReplacePolicy("Snapshot")
}

func (b *builder) auroraCluster() {
	t, db := b.t, b.m.Database
	del, repl := snapshot()
	t.Add(rDBCluster, &rds.DBCluster{
		Engine:                               str("aurora-postgresql"),
		EngineVersion:                        str(db.AuroraEngineVersion),
		DatabaseName:                         str(cfn.Ref(pDBName)),
		MasterUsername:                       str(cfn.Ref(pDBUser)),
		MasterUserPassword:                   str(passwordRef),
		DBSubnetGroupName:                    str(cfn.Ref(rDBSubnetGroup)),
		VpcSecurityGroupIds:                  []string{cfn.Ref(rDBSG)},
		StorageEncrypted:                     yes(),
		EnableIAMDatabaseAuthentication:      yes(),
		CopyTagsToSnapshot:                   yes(),
		EnableCloudwatchLogsExports:          []string{"postgresql"},
		AWSCloudFormationDeletionPolicy:      del,
		AWSCloudFormationUpdateReplacePolicy: repl,
	}).
		Set("BackupRetentionPeriod", cfn.Ref(pBackupDays)).
		Set("DeletionProtection", env("DeletionProtection")).
		Set("ServerlessV2ScalingConfiguration", map[string]any{
			"MinCapacity": cfn.Select(0, cfn.Split("-", cfn.Ref(pDBCapacity))),
			"MaxCapacity": cfn.Select(1, cfn.Split("-", cfn.Ref(pDBCapacity))),
		})
	instance := func(promotionTier int) *rds.DBInstance {
		return &rds.DBInstance{
			// Writer and reader in different AZs: RDS would otherwise pick
			// an AZ at random, possibly the same one.
			AvailabilityZone:                   str(cfn.Select(promotionTier, cfn.GetAZs())),
			Engine:                             str("aurora-postgresql"),
			DBInstanceClass:                    str("db.serverless"),
			DBClusterIdentifier:                str(cfn.Ref(rDBCluster)),
			PubliclyAccessible:                 no(),
			PromotionTier:                      num(promotionTier),
			MonitoringInterval:                 num(db.MonitoringInterval),
			MonitoringRoleArn:                  str(cfn.GetAtt(rMonitoringRole, "Arn")),
			EnablePerformanceInsights:          yes(),
			PerformanceInsightsRetentionPeriod: num(db.PerformanceInsightsRetentionDays),
		}
	}
	t.Add(rDBWriter, instance(0))
	reader := instance(1)
	reader.AWSCloudFormationCondition = cMultiAZ
	t.Add(rDBReader, reader)
}

func (b *builder) rdsInstance() {
	t, db := b.t, b.m.Database
	del, repl := snapshot()
	t.Add(rDBInstance, &rds.DBInstance{
		Engine:                               str("postgres"),
		EngineVersion:                        str(db.PostgresEngineVersion),
		DBInstanceClass:                      str(cfn.Ref(pDBCapacity)),
		DBName:                               str(cfn.Ref(pDBName)),
		MasterUsername:                       str(cfn.Ref(pDBUser)),
		MasterUserPassword:                   str(passwordRef),
		DBSubnetGroupName:                    str(cfn.Ref(rDBSubnetGroup)),
		VPCSecurityGroups:                    []string{cfn.Ref(rDBSG)},
		StorageType:                          str("gp3"),
		AllocatedStorage:                     str(strconv.Itoa(db.AllocatedStorageGiB)),
		MaxAllocatedStorage:                  num(db.MaxAllocatedStorageGiB),
		StorageEncrypted:                     yes(),
		EnableIAMDatabaseAuthentication:      yes(),
		PubliclyAccessible:                   no(),
		CopyTagsToSnapshot:                   yes(),
		EnableCloudwatchLogsExports:          []string{"postgresql", "upgrade"},
		MonitoringInterval:                   num(db.MonitoringInterval),
		MonitoringRoleArn:                    str(cfn.GetAtt(rMonitoringRole, "Arn")),
		EnablePerformanceInsights:            yes(),
		PerformanceInsightsRetentionPeriod:   num(db.PerformanceInsightsRetentionDays),
		AWSCloudFormationDeletionPolicy:      del,
		AWSCloudFormationUpdateReplacePolicy: repl,
	}).
		Set("MultiAZ", env("MultiAz")).
		Set("BackupRetentionPeriod", cfn.Ref(pBackupDays)).
		Set("DeletionProtection", env("DeletionProtection"))
}
