package render

// Every logical id, parameter, condition, mapping and output name cfngen
// writes. Renaming a logical id replaces the resource on AWS: the logical-id
// lock test makes every rename a deliberate, visible change.

// Parameters.
const (
	pProject      = "MyProjectName"
	pEnvironment  = "Environment"
	pVPCName      = "VPCName"
	pSSHCIDR      = "MyIPAddress"
	pCertificate  = "CertificateArn"
	pDBCapacity   = "RDSInstanceType"
	pDBName       = "MyDatabaseName"
	pDBUser       = "MyDatabaseUser"
	pDBPassword   = "MyDatabasePassword"
	pBackupDays   = "BackupRetentionPeriod"
	pECSAMI       = "LatestECSOptimizedAMI"
	pBastionAMI   = "LatestBastionAMI"
	pInstanceType = "ECSInstanceType"
	pSpot         = "EnableSpotInstances"
	pSSHKey       = "SSHKeyName"
	pAlarmEmail   = "AlarmEmail"
	pDesiredCount = "ApiDesiredCount"
	pImageTag     = "ApiImageTag"
)

// Mappings.
const (
	mEnv      = "EnvConfig"
	mInstance = "InstanceTypes"
)

// Conditions.
const (
	cNATPerAZ    = "NatPerAz"
	cMultiAZ     = "MultiAz"
	cHasCert     = "HasCertificate"
	cCreateKey   = "CreateKeyPair"
	cHasEmail    = "HasAlarmEmail"
	cUseSpot     = "UseSpot"
	cApiStopped  = "ApiStopped"
	cPISupported = "PerformanceInsightsSupported"
)

// Resources: network.
const (
	rVPC           = "VPC"
	rIGW           = "InternetGateway"
	rIGWAttachment = "GatewayAttachment"
	rPublicRT      = "PublicRouteTable"
	rPublicRoute   = "PublicRoute"
	rS3Endpoint    = "S3Endpoint"
	rFlowLogGroup  = "FlowLogGroup"
	rFlowLogRole   = "FlowLogRole"
	rFlowLog       = "FlowLog"
)

// Per-AZ network resources take the AZ number (1-based) as suffix.
const (
	rPublicSubnet   = "PublicSubnet"
	rPrivateSubnet  = "PrivateSubnet"
	rPublicRTAssoc  = "PublicSubnetRouteTableAssociation"
	rPrivateRT      = "PrivateRouteTable"
	rPrivateRoute   = "PrivateRoute"
	rPrivateRTAssoc = "PrivateSubnetRouteTableAssociation"
	rNATEIP         = "NatEIP"
	rNATGateway     = "NatGateway"
)

// Resources: security groups.
const (
	rALBSG      = "LoadBalancerSecurityGroup"
	rAppSG      = "AppSecurityGroup"
	rInstanceSG = "ContainerInstanceSecurityGroup"
	rProxySG    = "ProxySecurityGroup"
	rDBSG       = "DatabaseSecurityGroup"
	rBastionSG  = "BastionSecurityGroup"
)

// Resources: edge.
const (
	rALB            = "LoadBalancer"
	rTargetGroup    = "ApiTargetGroup"
	rHTTPListener   = "HttpListener"
	rHTTPSListener  = "HttpsListener"
	rListenersReady = "ListenersReady"
	rWebACL         = "WebACL"
	rWebACLAssoc    = "WebACLAssociation"
)

// Resources: storage.
const (
	rLogBucket       = "LogBucket"
	rLogBucketPolicy = "LogBucketPolicy"
	rApiBucket       = "ApiBucket"
	rApiBucketPolicy = "ApiBucketPolicy"
)

// Resources: data.
const (
	rDBSubnetGroup    = "DBSubnetGroup"
	rDBSecret         = "DBSecret"
	rDBSecretAttach   = "DBSecretAttachment"
	rMonitoringRole   = "DBMonitoringRole"
	rDBCluster        = "DBCluster"
	rDBWriter         = "DBWriterInstance"
	rDBReader         = "DBReaderInstance"
	rDBInstance       = "DBInstance"
	rProxyRole        = "DBProxyRole"
	rProxy            = "DBProxy"
	rProxyTargetGroup = "DBProxyTargetGroup"
)

// Resources: compute.
const (
	rCluster          = "ECSCluster"
	rApiRepo          = "ApiRepository"
	rWorkerRepo       = "WorkerRepository"
	rInstanceRole     = "ContainerInstanceRole"
	rInstanceProfile  = "ContainerInstanceProfile"
	rLaunchTemplate   = "ContainerInstanceLaunchTemplate"
	rASG              = "ContainerInstanceGroup"
	rCapacityProvider = "CapacityProvider"
	rCPAssociation    = "ClusterCapacityProviders"
	rExecutionRole    = "TaskExecutionRole"
	rTaskRole         = "ApiTaskRole"
	rApiLogGroup      = "ApiLogGroup"
	rTaskDef          = "ApiTaskDefinition"
	rService          = "ApiService"
	rScalableTarget   = "ApiScalableTarget"
	rScalingPolicy    = "ApiScalingPolicy"
)

// Resources: bastion.
const (
	rBastionKey = "BastionKeyPair"
	rBastion    = "BastionHost"
)

// Resources: integration.
const (
	rQueue       = "JobQueue"
	rDLQ         = "JobDeadLetterQueue"
	rQueuePolicy = "JobQueuePolicy"
)

// Resources: monitoring.
const (
	rTopic          = "AlertsTopic"
	rTopicEmail     = "AlertsEmailSubscription"
	rTopicPolicy    = "AlertsTopicPolicy"
	rAlarmDBCPU     = "DBCPUAlarm"
	rAlarmDBConns   = "DBConnectionsAlarm"
	rAlarmDBMemory  = "DBFreeableMemoryAlarm"
	rAlarmACU       = "DBCapacityAlarm"
	rAlarmDBStorage = "DBFreeStorageAlarm"
	rAlarmDLQ       = "DeadLetterQueueAlarm"
	rAlarmTarget5xx = "ApiTarget5xxAlarm"
	rAlarmELB5xx    = "LoadBalancer5xxAlarm"
)
