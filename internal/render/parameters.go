package render

import (
	"fmt"
	"strconv"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/model"
)

func fptr(f float64) *float64 { return &f }

// Patterns shared by the parameter constraints and the model's validation.
const (
	// ProjectPattern keeps every derived name valid: bucket names (lowercase,
	// no double hyphen), proxy and queue names.
	ProjectPattern = `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`
	// CIDRPattern is an IPv4 CIDR block.
	CIDRPattern = `^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$`
	// IdentifierPattern is a PostgreSQL database or user name.
	IdentifierPattern = `^[a-zA-Z][a-zA-Z0-9_]*$`
	// CertificatePattern is empty or an ACM certificate ARN.
	CertificatePattern = `^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$`
	// EmailPattern is empty or a plain e-mail address.
	EmailPattern = `^$|^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$`
	// KeyNamePattern is empty or an EC2 key pair name.
	KeyNamePattern = `^[ -~]{0,255}$`
)

func (b *builder) parameters() error {
	t, m := b.t, b.m
	t.AddParameter(pProject, cfn.Parameter{
		Type:                  "String",
		Description:           "Project name, used in resource names.",
		Default:               m.Params.ProjectName,
		AllowedPattern:        ProjectPattern,
		MinLength:             num(3),
		MaxLength:             num(20),
		ConstraintDescription: "3-20 lowercase letters, digits, single hyphens; starts with a letter",
	})
	t.AddParameter(pEnvironment, cfn.Parameter{
		Type:          "String",
		Description:   "Selects NAT, Multi-AZ, deletion protection, capacity, log retention.",
		Default:       m.Params.Environment,
		AllowedValues: model.Environments,
	})
	t.AddParameter(pVPCName, cfn.Parameter{
		Type:        "String",
		Description: "Name tag of the VPC.",
		Default:     m.Params.VPCName,
		MinLength:   num(1),
		MaxLength:   num(128),
	})
	if m.Bastion.Enabled {
		t.AddParameter(pSSHCIDR, cfn.Parameter{
			Type:                  "String",
			Description:           "CIDR allowed to SSH to the bastion, e.g. 203.0.113.10/32.",
			AllowedPattern:        CIDRPattern,
			ConstraintDescription: "an IPv4 CIDR such as 203.0.113.10/32",
		})
	}
	t.AddParameter(pCertificate, cfn.Parameter{
		Type:                  "String",
		Description:           "ACM certificate ARN for HTTPS; empty serves HTTP only.",
		Default:               "",
		AllowedPattern:        CertificatePattern,
		ConstraintDescription: "empty or an ACM certificate ARN",
	})
	if b.aurora() {
		t.AddParameter(pDBCapacity, cfn.Parameter{
			Type:          "String",
			Description:   "Aurora Serverless v2 capacity range in ACUs, min-max.",
			Default:       m.Database.DefaultACURange,
			AllowedValues: m.Database.ACURanges,
		})
	} else {
		t.AddParameter(pDBCapacity, cfn.Parameter{
			Type:          "String",
			Description:   "RDS instance class.",
			Default:       m.Database.DefaultInstanceClass,
			AllowedValues: m.Database.InstanceClasses,
		})
	}
	t.AddParameter(pDBName, cfn.Parameter{
		Type:                  "String",
		Description:           "Database name.",
		Default:               m.Params.DatabaseName,
		AllowedPattern:        IdentifierPattern,
		MinLength:             num(1),
		MaxLength:             num(63),
		ConstraintDescription: "letters, digits, underscores; starts with a letter",
	})
	t.AddParameter(pDBUser, cfn.Parameter{
		Type:                  "String",
		Description:           "Master user name.",
		Default:               m.Params.DatabaseUser,
		AllowedPattern:        IdentifierPattern,
		MinLength:             num(1),
		MaxLength:             num(63),
		ConstraintDescription: "letters, digits, underscores; starts with a letter",
	})
	t.AddParameter(pDBPassword, cfn.Parameter{
		Type:        "String",
		Description: "Leave empty: the password is generated in Secrets Manager.",
		Default:     "",
		NoEcho:      true,
	})
	// A password passed as a parameter would flow into the database from a
	// file or a shell history; refuse it before anything is created.
	t.AddRule("PasswordIsGenerated", map[string]any{
		"Assertions": []any{map[string]any{
			"Assert":            cfn.Equals(cfn.Ref(pDBPassword), ""),
			"AssertDescription": "MyDatabasePassword must be empty: the master password is generated in Secrets Manager (see the DBSecretArn output).",
		}},
	})
	t.AddParameter(pBackupDays, cfn.Parameter{
		Type:        "Number",
		Description: "Days of automated database backups (1-35).",
		Default:     m.Params.BackupRetentionDays,
		MinValue:    fptr(1),
		MaxValue:    fptr(35),
	})
	t.AddParameter(pECSAMI, cfn.Parameter{
		Type:        "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
		Description: "ECS-optimized Amazon Linux 2023 AMI.",
		Default:     "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
	})
	if m.Bastion.Enabled {
		t.AddParameter(pBastionAMI, cfn.Parameter{
			Type:        "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
			Description: "Amazon Linux 2023 AMI for the bastion.",
			Default:     "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
		})
	}
	var types []string
	for _, it := range m.Compute.InstanceTypes {
		types = append(types, it.Name)
	}
	t.AddParameter(pInstanceType, cfn.Parameter{
		Type:          "String",
		Description:   "ECS container instance type.",
		Default:       m.Compute.DefaultInstanceType,
		AllowedValues: types,
	})
	t.AddParameter(pSpot, cfn.Parameter{
		Type:          "String",
		Description:   "Run capacity above the on-demand base on Spot.",
		Default:       strconv.FormatBool(m.Params.EnableSpot),
		AllowedValues: []string{"true", "false"},
	})
	if m.Bastion.Enabled {
		t.AddParameter(pSSHKey, cfn.Parameter{
			Type:                  "String",
			Description:           "Existing key pair for the bastion; empty creates one.",
			Default:               m.Params.SSHKeyName,
			AllowedPattern:        KeyNamePattern,
			ConstraintDescription: "empty or an EC2 key pair name",
		})
	}
	t.AddParameter(pAlarmEmail, cfn.Parameter{
		Type:                  "String",
		Description:           "E-mail for alarm notifications; empty: none.",
		Default:               m.Params.AlarmEmail,
		AllowedPattern:        EmailPattern,
		ConstraintDescription: "empty or an e-mail address",
	})
	t.AddParameter(pDesiredCount, cfn.Parameter{
		Type:        "Number",
		Description: "API tasks; keep 0 until the api image is pushed.",
		Default:     m.Params.ApiDesiredCount,
		MinValue:    fptr(0),
		MaxValue:    fptr(float64(b.maxDesired())),
	})
	t.AddParameter(pImageTag, cfn.Parameter{
		Type:           "String",
		Description:    "Tag of the api image to run.",
		Default:        "latest",
		AllowedPattern: `^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$`,
	})
	return nil
}

// maxDesired is the largest desired count every environment's scaling range admits.
func (b *builder) maxDesired() int {
	lowest := 0
	for i, e := range model.Environments {
		if n := b.m.Env[e].MaxTasks; i == 0 || n < lowest {
			lowest = n
		}
	}
	return lowest
}

func (b *builder) mappings() error {
	envs := map[string]map[string]any{}
	for _, e := range model.Environments {
		s, ok := b.m.Env[e]
		if !ok {
			return fmt.Errorf("environment %q has no settings", e)
		}
		envs[e] = map[string]any{
			"NatPerAz":           strconv.FormatBool(s.NATPerAZ),
			"MultiAz":            strconv.FormatBool(s.MultiAZ),
			"DeletionProtection": strconv.FormatBool(s.DeletionProtection),
			"MinInstances":       strconv.Itoa(s.MinInstances),
			"MaxInstances":       strconv.Itoa(s.MaxInstances),
			"MaxTasks":           strconv.Itoa(s.MaxTasks),
			"LogRetention":       strconv.Itoa(s.LogRetentionDays),
		}
	}
	b.t.AddMapping(mEnv, envs)
	alt := map[string]map[string]any{}
	for _, it := range b.m.Compute.InstanceTypes {
		alt[it.Name] = map[string]any{"Alternative": it.Alternative}
	}
	b.t.AddMapping(mInstance, alt)
	return nil
}

func (b *builder) conditions() error {
	t := b.t
	t.AddCondition(cNATPerAZ, cfn.Equals(env("NatPerAz"), "true"))
	if b.aurora() {
		t.AddCondition(cMultiAZ, cfn.Equals(env("MultiAz"), "true"))
	}
	t.AddCondition(cHasCert, cfn.Not(cfn.Equals(cfn.Ref(pCertificate), "")))
	if b.m.Bastion.Enabled {
		t.AddCondition(cCreateKey, cfn.Equals(cfn.Ref(pSSHKey), ""))
	}
	t.AddCondition(cHasEmail, cfn.Not(cfn.Equals(cfn.Ref(pAlarmEmail), "")))
	t.AddCondition(cUseSpot, cfn.Equals(cfn.Ref(pSpot), "true"))
	b.elbRegionConditions()
	return nil
}

// paramValues are the values of the params file: every parameter without a
// default, and those whose value differs from it, in template order. The
// password parameter is never written.
func (b *builder) paramValues() []cfn.ParamValue {
	p := b.m.Params
	values := map[string]string{
		pProject:      p.ProjectName,
		pEnvironment:  p.Environment,
		pVPCName:      p.VPCName,
		pSSHCIDR:      p.SSHCIDR,
		pCertificate:  p.CertificateArn,
		pDBName:       p.DatabaseName,
		pDBUser:       p.DatabaseUser,
		pBackupDays:   strconv.Itoa(p.BackupRetentionDays),
		pSpot:         strconv.FormatBool(p.EnableSpot),
		pAlarmEmail:   p.AlarmEmail,
		pDesiredCount: strconv.Itoa(p.ApiDesiredCount),
	}
	if b.m.Bastion.Enabled {
		values[pSSHKey] = p.SSHKeyName
	}
	if b.aurora() {
		values[pDBCapacity] = b.m.Database.DefaultACURange
	} else {
		values[pDBCapacity] = b.m.Database.DefaultInstanceClass
	}
	values[pInstanceType] = b.m.Compute.DefaultInstanceType
	var out []cfn.ParamValue
	for _, name := range b.t.ParameterNames() {
		v, ok := values[name]
		if !ok || name == pDBPassword {
			continue
		}
		out = append(out, cfn.ParamValue{ParameterKey: name, ParameterValue: v})
	}
	return out
}
