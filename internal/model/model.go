// Package model describes the backend that cfngen renders: plain Go structs
// with defaults and per-environment presets, read from cfngen.yaml and
// validated. It knows nothing of CloudFormation libraries.
package model

// Backend is the whole backend stack. Its YAML form is the cfngen.yaml
// config file: every field has a default (Default), so a config file names
// only what differs.
type Backend struct {
	Project Project `yaml:"project" desc:"Names and describes the backend."`
	// DefaultEnvironment is the environment whose parameter values go to
	// params/params.json and params/params-with-rds.json, and whose values
	// are the templates' parameter defaults.
	DefaultEnvironment string   `yaml:"defaultEnvironment" desc:"Environment written to params/params.json; its values are also the templates' parameter defaults."`
	Network            Network  `yaml:"network" desc:"VPC layout."`
	Edge               Edge     `yaml:"edge" desc:"Load balancer and WAF."`
	Storage            Storage  `yaml:"storage" desc:"S3 bucket lifecycle."`
	Database           Database `yaml:"database" desc:"PostgreSQL: Aurora Serverless v2 and RDS instance variants."`
	Compute            Compute  `yaml:"compute" desc:"ECS on EC2."`
	Bastion            Bastion  `yaml:"bastion" desc:"SSH jump host."`
	Queue              Queue    `yaml:"queue" desc:"SQS job queue and its dead-letter queue."`
	Alarms             Alarms   `yaml:"alarms" desc:"CloudWatch alarm thresholds."`
	// Tags are stack tags; cfngen writes them to params/tags.json for
	// create-stack --tags, and CloudFormation propagates them.
	Tags map[string]string `yaml:"tags" desc:"Stack tags, written to params/tags.json for create-stack --tags."`
	// ExportOutputs exports every output as <stack name>-<output name> for
	// Fn::ImportValue. Off by default: an imported export blocks changing the
	// output and deleting the stack, and the outputs are read with
	// describe-stacks anyway.
	ExportOutputs bool `yaml:"exportOutputs" desc:"Export every output as <stack>-<output> for Fn::ImportValue in other stacks (an imported export blocks changing it and deleting the stack)."`
	// Suppressions are findings of cfngen validate that this backend
	// intends, each with its reason. cfngen's own (DefaultSuppressions) are
	// added to them.
	Suppressions []Suppression `yaml:"suppressions" desc:"Findings of cfngen validate that are intended, each {rule: C624, resource: AppSecurityGroup, reason: why, expires: 2027-06-30 (optional)}; cfngen adds its own (see the README)."`
	// Environments are the environments one template serves, in order.
	Environments []Environment `yaml:"-"`
}

// Project names the backend.
type Project struct {
	Name        string `yaml:"name" desc:"Default of MyProjectName: 3-20 lowercase letters, digits, single hyphens; used in bucket, queue and proxy names."`
	Description string `yaml:"description" desc:"Start of the templates' Description."`
}

// Network is the VPC layout.
type Network struct {
	VPCCIDR string `yaml:"vpcCidr" desc:"VPC IPv4 block, /16 to /24. Fixed after the first deploy (see the README)."`
	// AZCount is the number of availability zones: one public and one private
	// subnet in each.
	AZCount      int `yaml:"azCount" desc:"Availability zones (2-3; most regions give an account 3, us-west-1 2): one public and one private subnet in each. Adding or removing zones later keeps the existing subnets." min:"2" max:"3" maxwhy:"most regions give an account 3 availability zones (us-west-1: 2), and !GetAZs has no further zone to select"`
	SubnetPrefix int `yaml:"subnetPrefix" desc:"Prefix length of every subnet, e.g. 20 for /20; at most 27 (the load balancer needs /27). Fixed after the first deploy, like vpcCidr." min:"16" max:"27" maxwhy:"an Application Load Balancer needs subnets of /27 or larger with 8 free addresses"`
	// SubnetOrder is how the subnets are cut from the VPC block; unset, the
	// orders agree for two zones and three zones must choose. "stable":
	// the first two zones take blocks 0-3 (public 0, 1; private 2, 3), each
	// further zone the next two, so changing azCount never moves a subnet.
	// "grouped": all public blocks, then all private ones, as cfngen cut
	// them before; only a 3-zone stack created that way needs it.
	SubnetOrder string `yaml:"subnetOrder" desc:"How subnets are cut from vpcCidr: stable (zones 1-2 take blocks 0-3, each further zone the next two, so changing azCount never moves a subnet) or grouped (all public blocks, then all private: the layout of cfngen before stable; keep it for a 3-zone stack created with it, whose private subnets would otherwise be replaced)." enum:"stable,grouped"`
}

// Edge is the load balancer and WAF.
type Edge struct {
	AppPort         int    `yaml:"appPort" desc:"Port the API container listens on." min:"1" max:"65535"`
	HealthCheckPath string `yaml:"healthCheckPath" desc:"Target group health check path."`
	SSLPolicy       string `yaml:"sslPolicy" desc:"HTTPS listener security policy (a TLS 1.3 policy)."`
	WAF             WAF    `yaml:"waf" desc:"Web ACL options."`
}

// WAF configures the web ACL on the load balancer.
type WAF struct {
	// CountLargeBodies switches the Common rule set's 8 KB body-size rule
	// (SizeRestrictions_BODY) from block to count, for APIs that take uploads.
	CountLargeBodies bool `yaml:"countLargeBodies" desc:"Count instead of block requests with bodies over 8 KB (APIs that take uploads)."`
	// RateLimit is the number of requests per IP in 5 minutes before blocking.
	RateLimit int `yaml:"rateLimit" desc:"Requests per client IP in 5 minutes before blocking." min:"10" max:"2000000000"`
}

// Storage is the S3 buckets' lifecycle.
type Storage struct {
	LogExpirationDays        int `yaml:"logExpirationDays" desc:"Days access logs are kept." min:"1" max:"36500"`
	NoncurrentExpirationDays int `yaml:"noncurrentExpirationDays" desc:"Days old versions of API files are kept." min:"1" max:"36500"`
	AbortMultipartDays       int `yaml:"abortMultipartDays" desc:"Days before incomplete multipart uploads are removed." min:"1" max:"36500"`
	// BucketSuffix ends both bucket names. Deleting the stack keeps the
	// buckets (their names stay taken); a suffix lets the same project,
	// environment, account and region create the stack again beside them.
	BucketSuffix string `yaml:"bucketSuffix" desc:"Empty, or 1-8 lowercase letters or digits ending both bucket names (<project>-<env>-logs-<account>-<region>-<suffix>): set it to create a deleted stack again while its retained buckets still exist."`
}

// Database covers both variants: Aurora Serverless v2 and an RDS instance.
type Database struct {
	AuroraEngineVersion   string `yaml:"auroraEngineVersion" desc:"aurora-postgresql engine version, e.g. '17.9' (quote it)."`
	PostgresEngineVersion string `yaml:"postgresEngineVersion" desc:"RDS postgres engine version, e.g. '17.9' (quote it)."`
	// ACURanges are the allowed RDSInstanceType values of the Aurora
	// template, "min-max" in ACUs.
	ACURanges []string `yaml:"acuRanges" desc:"Allowed Aurora capacity ranges, 'min-max' in ACUs (0.5 steps, 0.5-256)."`
	// InstanceClasses are the allowed RDSInstanceType values of the RDS template.
	InstanceClasses                  []string `yaml:"instanceClasses" desc:"Allowed RDS instance classes."`
	AllocatedStorageGiB              int      `yaml:"allocatedStorageGiB" desc:"Initial gp3 storage of the RDS instance." min:"20" max:"65536"`
	MaxAllocatedStorageGiB           int      `yaml:"maxAllocatedStorageGiB" desc:"Storage autoscaling ceiling of the RDS instance." min:"20" max:"65536"`
	MonitoringInterval               int      `yaml:"monitoringInterval" desc:"Enhanced monitoring interval in seconds: 1, 5, 10, 15, 30 or 60." enum:"1,5,10,15,30,60"`
	PerformanceInsightsRetentionDays int      `yaml:"performanceInsightsRetentionDays" desc:"Performance Insights retention: 7, a multiple of 31 up to 713, or 731."`
}

// Compute is the ECS cluster on EC2.
type Compute struct {
	// InstanceTypes are the allowed ECSInstanceType values, each with a Spot
	// companion of the same architecture and size.
	InstanceTypes []InstanceType `yaml:"instanceTypes" desc:"Allowed container-instance types, each with a Spot alternative of the same size."`
	RootVolumeGiB int            `yaml:"rootVolumeGiB" desc:"Root volume of container instances (the ECS AMI needs 30)." min:"30" max:"16384"`
	// OnDemandBase instances stay on-demand when Spot is on; above it,
	// SpotPercent of the capacity is Spot.
	OnDemandBase int     `yaml:"onDemandBase" desc:"Instances kept on-demand when Spot is on." min:"0" max:"1000"`
	SpotPercent  int     `yaml:"spotPercent" desc:"Share of capacity above the base that runs on Spot when Spot is on." min:"0" max:"100"`
	Api          Service `yaml:"api" desc:"The API service."`
	// SessionManager lets operators open SSM Session Manager shells on the
	// container instances, with an inline policy of Session Manager's own
	// actions.
	SessionManager bool `yaml:"sessionManager" desc:"Allow SSM Session Manager shells on container instances (an inline policy of its channel actions only)."`
}

// InstanceType is an allowed container-instance type and its Spot companion.
type InstanceType struct {
	Name        string `yaml:"name" desc:"EC2 instance type."`
	Alternative string `yaml:"alternative" desc:"Second type for the Spot mix, same architecture and size."`
}

// Service is an ECS service behind the load balancer.
type Service struct {
	CPU              int `yaml:"cpu" desc:"Task CPU units (1024 = one vCPU)." min:"128" max:"16384"`
	MemoryMiB        int `yaml:"memoryMiB" desc:"Task memory in MiB." min:"128" max:"122880"`
	TargetCPUPercent int `yaml:"targetCpuPercent" desc:"Average CPU the service auto scaling aims for." min:"10" max:"90"`
}

// Bastion is the SSH jump host.
type Bastion struct {
	Enabled      bool   `yaml:"enabled" desc:"Create the bastion host."`
	InstanceType string `yaml:"instanceType" desc:"Bastion instance type."`
	// AllowSSHFromAnywhere must be set for 0.0.0.0/0 as an SSH source.
	AllowSSHFromAnywhere bool `yaml:"allowSshFromAnywhere" desc:"Allow sshCidr 0.0.0.0/0 (refused otherwise)."`
}

// Queue is the job queue and its dead-letter queue.
type Queue struct {
	VisibilityTimeoutSeconds int `yaml:"visibilityTimeoutSeconds" desc:"Job queue visibility timeout." min:"0" max:"43200"`
	RetentionSeconds         int `yaml:"retentionSeconds" desc:"Job queue retention." min:"60" max:"1209600"`
	DLQRetentionSeconds      int `yaml:"dlqRetentionSeconds" desc:"Dead-letter queue retention; longer than the job queue's." min:"60" max:"1209600"`
	MaxReceiveCount          int `yaml:"maxReceiveCount" desc:"Receives before a message moves to the dead-letter queue." min:"1" max:"1000"`
}

// Alarms are the CloudWatch alarm thresholds.
type Alarms struct {
	DBCPUPercent        int `yaml:"dbCpuPercent" desc:"Database CPU alarm threshold." min:"1" max:"99"`
	DBConnections       int `yaml:"dbConnections" desc:"Database connections alarm threshold (below max_connections of the smallest class)." min:"1" max:"5000"`
	DBFreeableMemoryMiB int `yaml:"dbFreeableMemoryMiB" desc:"Database freeable memory alarm threshold." min:"16" max:"65536"`
	ACUPercent          int `yaml:"acuPercent" desc:"Aurora ACUUtilization alarm threshold (percent of the maximum ACU)." min:"1" max:"99"`
	DBFreeStorageGiB    int `yaml:"dbFreeStorageGiB" desc:"RDS free storage alarm threshold." min:"1" max:"65536"`
	DLQMessages         int `yaml:"dlqMessages" desc:"Dead-letter queue depth that raises the alarm." min:"1" max:"1000000"`
	ALB5xxPerPeriod     int `yaml:"alb5xxPerPeriod" desc:"5xx responses per 5 minutes that raise the alarms." min:"1" max:"1000000"`
}

// Suppression says that a finding of one rule on one resource is intended.
// Render writes it into the resource's Metadata for cfngen validate and, in
// their own forms, for cfn-lint, cfn_nag and checkov.
type Suppression struct {
	Rule     string `yaml:"rule" desc:"Rule id of cfngen validate, e.g. C624 (cfngen validate --rules lists them)."`
	Resource string `yaml:"resource" desc:"Logical id of the resource in the templates, e.g. BastionSecurityGroup."`
	Reason   string `yaml:"reason" desc:"Why the finding is intended, for a reviewer (one line, 10-200 characters)."`
	Expires  string `yaml:"expires" desc:"Optional date (YYYY-MM-DD) after which the suppression lapses and cfngen validate reports an error."`
}

// Environment is one environment the templates serve: what it changes in the
// template (through the EnvConfig mapping) and its parameter values.
type Environment struct {
	Name string `yaml:"-"`
	// Listed is set for environments whose entry in the config file has a
	// params section: each gets its own params files. The default
	// environment's always go to params/.
	Listed             bool   `yaml:"-"`
	NATPerAZ           bool   `yaml:"natPerAz" desc:"One NAT gateway per AZ (else one shared)."`
	MultiAZ            bool   `yaml:"multiAz" desc:"Multi-AZ database: an Aurora reader, or RDS Multi-AZ."`
	DeletionProtection bool   `yaml:"deletionProtection" desc:"Deletion protection of the database and the load balancer."`
	MinInstances       int    `yaml:"minInstances" desc:"Minimum container instances." min:"0" max:"1000"`
	MaxInstances       int    `yaml:"maxInstances" desc:"Maximum container instances." min:"1" max:"1000"`
	MaxTasks           int    `yaml:"maxTasks" desc:"Most API tasks service auto scaling may run." min:"1" max:"1000"`
	LogRetentionDays   int    `yaml:"logRetentionDays" desc:"Retention of application and VPC flow logs; a value CloudWatch Logs accepts."`
	Params             Params `yaml:"params" desc:"Parameter values written to this environment's params files."`
}

// Params are the parameter values written to the params files. There is no
// password: the master password is generated in Secrets Manager.
type Params struct {
	VPCName             string `yaml:"vpcName" desc:"VPCName: Name tag of the VPC." derived:"<project.name>-vpc, following the project name"`
	SSHCIDR             string `yaml:"sshCidr" desc:"MyIPAddress: CIDR allowed to SSH to the bastion."`
	CertificateArn      string `yaml:"certificateArn" desc:"CertificateArn: ACM certificate for HTTPS; empty serves HTTP only."`
	ACURange            string `yaml:"acuRange" desc:"RDSInstanceType of the Aurora stack: one of database.acuRanges."`
	InstanceClass       string `yaml:"instanceClass" desc:"RDSInstanceType of the RDS stack: one of database.instanceClasses."`
	InstanceType        string `yaml:"instanceType" desc:"ECSInstanceType: one of compute.instanceTypes."`
	DatabaseName        string `yaml:"databaseName" desc:"MyDatabaseName. Fixed after the first deploy: a change replaces the database with a new, empty one (see the README)."`
	DatabaseUser        string `yaml:"databaseUser" desc:"MyDatabaseUser. Fixed after the first deploy: a change replaces the RDS instance with a new, empty one and breaks logins on Aurora (see the README)."`
	BackupRetentionDays int    `yaml:"backupRetentionDays" desc:"BackupRetentionPeriod (1-35)." min:"1" max:"35"`
	EnableSpot          bool   `yaml:"enableSpot" desc:"EnableSpotInstances."`
	SSHKeyName          string `yaml:"sshKeyName" desc:"SSHKeyName: existing key pair; empty creates one."`
	AlarmEmail          string `yaml:"alarmEmail" desc:"AlarmEmail: address subscribed to the alarms; empty: none."`
	ApiDesiredCount     int    `yaml:"apiDesiredCount" desc:"ApiDesiredCount: fewest API tasks (the scaling floor); 0 stops the API, e.g. until the image is pushed; at most the smallest maxTasks."`
	ApiImageTag         string `yaml:"apiImageTag" desc:"ApiImageTag: tag of the api image."`
}

// Env returns the environment with the given name.
func (b Backend) Env(name string) (Environment, bool) {
	for _, e := range b.Environments {
		if e.Name == name {
			return e, true
		}
	}
	return Environment{}, false
}

// EnvNames lists the environment names in order.
func (b Backend) EnvNames() []string {
	names := make([]string, len(b.Environments))
	for i, e := range b.Environments {
		names[i] = e.Name
	}
	return names
}

// Default returns the default environment's settings.
func (b Backend) Default() Environment {
	e, _ := b.Env(b.DefaultEnvironment)
	return e
}
