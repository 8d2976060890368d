package render

import (
	"slices"
	"strconv"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/model"
)

func fptr(f float64) *float64 { return &f }

// Patterns shared by the parameter constraints and the model's validation.
const (
	// ProjectPattern keeps every derived name valid: bucket names (lowercase,
	// no double hyphen), proxy and queue names.
	ProjectPattern = model.ProjectPatternText
	// CIDRPattern is an IPv4 CIDR block.
	CIDRPattern = `^` + ipv4Pattern + `/([0-9]|[12][0-9]|3[0-2])$`
	// CIDRPatternNotAll is an IPv4 CIDR with a prefix of 1 to 32 bits.
	CIDRPatternNotAll = `^` + ipv4Pattern + `/(1[6-9]|2[0-9]|3[0-2])$`
	// ipv4Pattern is a dotted-quad IPv4 address, as the config reads it.
	ipv4Pattern = model.IPv4PatternText
	// IdentifierPattern is a PostgreSQL database or user name.
	IdentifierPattern = `^[a-zA-Z][a-zA-Z0-9_]*$`
	// CertificatePattern is empty or an ACM certificate ARN.
	CertificatePattern = `^$|` + model.CertificatePatternText
	// EmailPattern is empty or a plain e-mail address.
	EmailPattern = `^$|^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$`
	// KeyNamePattern is empty or an EC2 key pair name.
	KeyNamePattern = `^[ -~]{0,255}$`
)

func (b *builder) parameters() error {
	t, m := b.t, b.m
	def := m.Default().Params
	t.AddParameter(pProject, cfn.Parameter{
		Type:                  "String",
		Description:           "Project name, used in resource names.",
		Default:               m.Project.Name,
		AllowedPattern:        ProjectPattern,
		MinLength:             num(3),
		MaxLength:             num(20),
		ConstraintDescription: "3-20 lowercase letters, digits, single hyphens; starts with a letter",
	})
	t.AddParameter(pEnvironment, cfn.Parameter{
		Type:          "String",
		Description:   "Selects NAT, Multi-AZ, deletion protection, capacity, log retention.",
		Default:       m.DefaultEnvironment,
		AllowedValues: m.EnvNames(),
	})
	t.AddParameter(pVPCName, cfn.Parameter{
		Type:        "String",
		Description: "Name tag of the VPC.",
		Default:     def.VPCName,
		MinLength:   num(1),
		MaxLength:   num(128),
	})
	if m.Bastion.Enabled {
		pattern, constraint := CIDRPattern, "an IPv4 CIDR such as 203.0.113.10/32"
		if !m.Bastion.AllowSSHFromAnywhere {
			// A wide range opens SSH to much of the internet: refused unless
			// the model says so.
			pattern, constraint = CIDRPatternNotAll, "an IPv4 CIDR of /16 to /32 such as 203.0.113.10/32"
		}
		t.AddParameter(pSSHCIDR, cfn.Parameter{
			Type:                  "String",
			Description:           "CIDR allowed to SSH to the bastion, e.g. 203.0.113.10/32.",
			AllowedPattern:        pattern,
			ConstraintDescription: constraint,
		})
	}
	t.AddParameter(pCertificate, cfn.Parameter{
		Type:                  "String",
		Description:           "ACM certificate ARN for HTTPS; empty serves HTTP only.",
		Default:               "",
		AllowedPattern:        CertificatePattern,
		ConstraintDescription: "empty or an ACM certificate ARN in the stack's region",
	})
	if b.aurora() {
		t.AddParameter(pDBCapacity, cfn.Parameter{
			Type:          "String",
			Description:   "Aurora Serverless v2 capacity range in ACUs, min-max.",
			Default:       def.ACURange,
			AllowedValues: m.Database.ACURanges,
		})
	} else {
		t.AddParameter(pDBCapacity, cfn.Parameter{
			Type:          "String",
			Description:   "RDS instance class.",
			Default:       def.InstanceClass,
			AllowedValues: m.Database.InstanceClasses,
		})
	}
	t.AddParameter(pDBName, cfn.Parameter{
		Type:                  "String",
		Description:           "Database name.",
		Default:               def.DatabaseName,
		AllowedPattern:        IdentifierPattern,
		MinLength:             num(1),
		MaxLength:             num(63),
		ConstraintDescription: "letters, digits, underscores; starts with a letter",
	})
	t.AddParameter(pDBUser, cfn.Parameter{
		Type:                  "String",
		Description:           "Master user name.",
		Default:               def.DatabaseUser,
		AllowedPattern:        IdentifierPattern,
		MinLength:             num(1),
		MaxLength:             num(model.MaxUserLen),
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
	// Plain HTTP is for a first deploy without a domain, never for prod.
	if slices.Contains(m.EnvNames(), "prod") {
		t.AddRule("ProdNeedsCertificate", map[string]any{
			"RuleCondition": cfn.Equals(cfn.Ref(pEnvironment), "prod"),
			"Assertions": []any{map[string]any{
				"Assert":            cfn.Not(cfn.Equals(cfn.Ref(pCertificate), "")),
				"AssertDescription": "prod serves HTTPS only: set CertificateArn to an ACM certificate of this region.",
			}},
		})
	}
	t.AddParameter(pBackupDays, cfn.Parameter{
		Type:        "Number",
		Description: "Days of automated database backups (1-35).",
		Default:     def.BackupRetentionDays,
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
		Default:       def.InstanceType,
		AllowedValues: types,
	})
	t.AddParameter(pSpot, cfn.Parameter{
		Type:          "String",
		Description:   "Run capacity above the on-demand base on Spot.",
		Default:       strconv.FormatBool(def.EnableSpot),
		AllowedValues: []string{"true", "false"},
	})
	if m.Bastion.Enabled {
		t.AddParameter(pSSHKey, cfn.Parameter{
			Type:                  "String",
			Description:           "Existing key pair for the bastion; empty creates one.",
			Default:               def.SSHKeyName,
			AllowedPattern:        KeyNamePattern,
			ConstraintDescription: "empty or an EC2 key pair name",
		})
	}
	t.AddParameter(pAlarmEmail, cfn.Parameter{
		Type:                  "String",
		Description:           "E-mail for alarm notifications; empty: none.",
		Default:               def.AlarmEmail,
		AllowedPattern:        EmailPattern,
		ConstraintDescription: "empty or an e-mail address",
	})
	t.AddParameter(pDesiredCount, cfn.Parameter{
		Type:        "Number",
		Description: "Fewest API tasks (scaling floor); 0 stops the API.",
		Default:     def.ApiDesiredCount,
		MinValue:    fptr(0),
		MaxValue:    fptr(float64(m.MinMaxTasks())),
	})
	t.AddParameter(pImageTag, cfn.Parameter{
		Type:           "String",
		Description:    "Tag of the api image to run.",
		Default:        def.ApiImageTag,
		AllowedPattern: `^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$`,
	})
	return nil
}

func (b *builder) mappings() error {
	envs := map[string]map[string]any{}
	for _, s := range b.m.Environments {
		envs[s.Name] = map[string]any{
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
	t.AddCondition(cApiStopped, cfn.Equals(cfn.Ref(pDesiredCount), "0")) // Ref gives a Number parameter as a string
	b.elbRegionConditions()
	return nil
}

// paramValues are the values of one environment's params file, in template
// order. The password parameter is never written.
func (b *builder) paramValues(e model.Environment) []cfn.ParamValue {
	p := e.Params
	values := map[string]string{
		pProject:      b.m.Project.Name,
		pEnvironment:  e.Name,
		pVPCName:      p.VPCName,
		pSSHCIDR:      p.SSHCIDR,
		pCertificate:  p.CertificateArn,
		pDBName:       p.DatabaseName,
		pDBUser:       p.DatabaseUser,
		pBackupDays:   strconv.Itoa(p.BackupRetentionDays),
		pInstanceType: p.InstanceType,
		pSpot:         strconv.FormatBool(p.EnableSpot),
		pSSHKey:       p.SSHKeyName,
		pAlarmEmail:   p.AlarmEmail,
		pDesiredCount: strconv.Itoa(p.ApiDesiredCount),
		pImageTag:     p.ApiImageTag,
		pDBCapacity:   p.InstanceClass,
	}
	if b.aurora() {
		values[pDBCapacity] = p.ACURange
	}
	var out []cfn.ParamValue
	for _, name := range b.t.ParameterNames() {
		if v, ok := values[name]; ok {
			out = append(out, cfn.ParamValue{ParameterKey: name, ParameterValue: v})
		}
	}
	return out
}
