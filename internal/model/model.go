// Package model describes the backend that cfngen renders: plain Go structs
// with defaults and per-environment presets. It knows nothing of
// CloudFormation libraries.
package model

// Environments a template serves, in display order. The Environment parameter
// of every template takes one of these.
var Environments = []string{"dev", "staging", "prod"}

// Backend is the whole backend stack.
type Backend struct {
	Project  Project
	Network  Network
	Edge     Edge
	Storage  Storage
	Database Database
	Compute  Compute
	Bastion  Bastion
	Queue    Queue
	Alarms   Alarms
	// Env holds what differs per environment, keyed by dev, staging, prod.
	Env map[string]EnvSettings
	// Params are the values written to the parameter files.
	Params Params
}

// Project names the backend.
type Project struct {
	Description string
}

// Network is the VPC layout.
type Network struct {
	// VPCCIDR is the VPC block, e.g. 10.0.0.0/16.
	VPCCIDR string
	// AZCount is the number of availability zones (2 or 3): one public and one
	// private subnet in each.
	AZCount int
	// SubnetPrefix is the prefix length of every subnet, e.g. 20 for /20.
	SubnetPrefix int
}

// Edge is the load balancer and WAF.
type Edge struct {
	AppPort         int
	HealthCheckPath string
	// SSLPolicy is the HTTPS listener policy.
	SSLPolicy string
	WAF       WAF
}

// WAF configures the web ACL on the load balancer.
type WAF struct {
	// CountLargeBodies switches the Common rule set's 8 KB body-size rule
	// (SizeRestrictions_BODY) from block to count, for APIs that take uploads.
	CountLargeBodies bool
	// RateLimit is the number of requests per IP in 5 minutes before blocking.
	RateLimit int
}

// Storage is the S3 buckets' lifecycle.
type Storage struct {
	LogExpirationDays        int
	NoncurrentExpirationDays int
	AbortMultipartDays       int
}

// Database covers both variants: Aurora Serverless v2 and an RDS instance.
type Database struct {
	AuroraEngineVersion   string
	PostgresEngineVersion string
	// ACURanges are the allowed RDSInstanceType values of the Aurora
	// template, "min-max" in ACUs; DefaultACURange is the parameter default.
	ACURanges       []string
	DefaultACURange string
	// InstanceClasses are the allowed RDSInstanceType values of the RDS template.
	InstanceClasses                  []string
	DefaultInstanceClass             string
	AllocatedStorageGiB              int
	MaxAllocatedStorageGiB           int
	MonitoringInterval               int
	PerformanceInsightsRetentionDays int
}

// Compute is the ECS cluster on EC2.
type Compute struct {
	// InstanceTypes are the allowed ECSInstanceType values, each mapped to a
	// Spot alternative of the same architecture and size.
	InstanceTypes       []InstanceType
	DefaultInstanceType string
	RootVolumeGiB       int
	// OnDemandBase instances stay on-demand when Spot is on; above it,
	// SpotPercent of the capacity is Spot.
	OnDemandBase int
	SpotPercent  int
	Api          Service
}

// InstanceType is an allowed container-instance type and its Spot companion.
type InstanceType struct {
	Name        string
	Alternative string
}

// Service is an ECS service behind the load balancer.
type Service struct {
	CPU              int
	MemoryMiB        int
	TargetCPUPercent int
}

// Bastion is the SSH jump host.
type Bastion struct {
	Enabled      bool
	InstanceType string
}

// Queue is the job queue and its dead-letter queue.
type Queue struct {
	VisibilityTimeoutSeconds int
	RetentionSeconds         int
	DLQRetentionSeconds      int
	MaxReceiveCount          int
}

// Alarms are the CloudWatch alarm thresholds.
type Alarms struct {
	DBCPUPercent        int
	DBConnections       int
	DBFreeableMemoryMiB int
	ACUPercent          int
	DBFreeStorageGiB    int
	DLQMessages         int
	ALB5xxPerPeriod     int
}

// EnvSettings is what one environment changes.
type EnvSettings struct {
	NATPerAZ           bool
	MultiAZ            bool
	DeletionProtection bool
	MinInstances       int
	MaxInstances       int
	MaxTasks           int
	LogRetentionDays   int
}

// Params are the parameter values written to the params files. The database
// password is deliberately absent: it is generated in Secrets Manager.
type Params struct {
	ProjectName         string
	Environment         string
	VPCName             string
	SSHCIDR             string
	CertificateArn      string
	DatabaseName        string
	DatabaseUser        string
	BackupRetentionDays int
	EnableSpot          bool
	SSHKeyName          string
	AlarmEmail          string
	ApiDesiredCount     int
}
