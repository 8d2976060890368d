package render

import (
	"fmt"
	"strings"
)

// purposes says in one line what each of cfngen's resources is for; the
// reference that cfngen docs writes shows it beside the logical id. Per-AZ
// resources are keyed by their prefix and %s takes the AZ number. A resource
// missing here still gets its description property or a line for its type.
var purposes = map[string]string{
	rVPC:            "The virtual network of the stack, with DNS support and host names.",
	rIGW:            "Internet access for the public subnets.",
	rIGWAttachment:  "Attaches the internet gateway to the VPC.",
	rPublicRT:       "Routes of the public subnets.",
	rPublicRoute:    "Default route of the public subnets to the internet gateway.",
	rS3Endpoint:     "Gateway endpoint: S3 traffic from the private subnets bypasses the NAT.",
	rFlowLogGroup:   "Log group of the VPC flow logs.",
	rFlowLogRole:    "Lets VPC flow logs write to their log group.",
	rFlowLog:        "Records all VPC traffic to the flow-log group.",
	rPublicSubnet:   "Public subnet in AZ %s: load balancer, NAT gateway, bastion.",
	rPrivateSubnet:  "Private subnet in AZ %s: container instances, tasks, database, RDS Proxy.",
	rPublicRTAssoc:  "Puts public subnet %s on the public route table.",
	rPrivateRT:      "Routes of private subnet %s.",
	rPrivateRoute:   "Default route of private subnet %s through a NAT gateway.",
	rPrivateRTAssoc: "Puts private subnet %s on its route table.",
	rNATEIP:         "Public address of NAT gateway %s.",
	rNATGateway:     "Outbound internet access for the private subnets (NAT gateway %s).",

	rALB:            "Internet-facing Application Load Balancer in front of the API; access logs go to the log bucket.",
	rTargetGroup:    "API tasks the load balancer forwards to, with the health check.",
	rHTTPListener:   "Port 80: redirects to HTTPS when a certificate is set, else forwards to the API.",
	rHTTPSListener:  "Port 443 with the certificate and a TLS 1.3 policy, forwards to the API.",
	rListenersReady: "Lets the ECS service wait for the listeners (a service needs a listener on its target group).",
	rWebACL:         "WAF rules in front of the load balancer: AWS managed rule groups and a per-IP rate limit.",
	rWebACLAssoc:    "Attaches the web ACL to the load balancer.",

	rLogBucket:       "Access logs of the load balancer and of the API bucket; versioned, expired by lifecycle.",
	rLogBucketPolicy: "Lets ELB log delivery and S3 server access logging write to the log bucket; denies plain HTTP.",
	rApiBucket:       "Files the API stores; versioned, old versions expire, access logged to the log bucket.",
	rApiBucketPolicy: "Denies plain-HTTP access to the API bucket.",

	rDBSubnetGroup:    "Private subnets the database runs in.",
	rDBSecret:         "Master user name and generated password of the database.",
	rDBSecretAttach:   "Adds the database endpoint to the secret.",
	rMonitoringRole:   "Lets RDS enhanced monitoring publish metrics.",
	rDBCluster:        "Aurora PostgreSQL Serverless v2 cluster: storage, backups, credentials from the secret.",
	rDBWriter:         "Aurora writer instance (db.serverless).",
	rDBReader:         "Aurora reader instance in a second AZ (Multi-AZ environments).",
	rDBInstance:       "RDS for PostgreSQL instance (Multi-AZ in the environments that ask for it).",
	rProxyRole:        "Lets RDS Proxy read the database secret.",
	rProxy:            "RDS Proxy: pools the API's connections to the database; TLS required.",
	rProxyTargetGroup: "Points RDS Proxy at the database.",

	rCluster:          "ECS cluster of the API service.",
	rApiRepo:          "Container images of the API.",
	rWorkerRepo:       "Container images of the worker.",
	rInstanceRole:     "Role of the container instances: ECS agent and SSM Session Manager.",
	rInstanceProfile:  "Gives the container instances their role.",
	rLaunchTemplate:   "How container instances start: ECS-optimized AMI, encrypted disk, IMDSv2, cluster name.",
	rASG:              "Container instances in the private subnets (on-demand, optionally Spot above the base).",
	rCapacityProvider: "Scales the Auto Scaling group to what the tasks need.",
	rCPAssociation:    "Makes the capacity provider the cluster's default.",
	rExecutionRole:    "Lets ECS pull images, write logs and read the database secret for the tasks.",
	rTaskRole:         "What the API code may do: use the job queue and the API bucket.",
	rApiLogGroup:      "Logs of the API containers.",
	rTaskDef:          "The API container: image, CPU and memory, database and queue settings, secrets.",
	rService:          "Runs the API tasks behind the load balancer, in the private subnets.",
	rScalableTarget:   "Task-count range of the API service for auto scaling.",
	rScalingPolicy:    "Scales the API tasks to keep average CPU at the target.",

	rBastionKey: "Key pair of the bastion when SSHKeyName is empty; the private key is in SSM Parameter Store.",
	rBastion:    "SSH jump host in a public subnet, to reach the database and RDS Proxy.",

	rQueue:       "Job queue of the application; failed messages move to the dead-letter queue.",
	rDLQ:         "Dead-letter queue: messages that failed too often, kept for inspection.",
	rQueuePolicy: "Denies plain-HTTP access to both queues.",

	rTopic:       "Alarm notifications.",
	rTopicEmail:  "Mails the alarms to AlarmEmail.",
	rTopicPolicy: "Lets this account's CloudWatch alarms publish to the topic; denies publishing without TLS.",
}

// Purpose says what one of cfngen's resources is for, or "" when the table
// does not know the logical id.
func Purpose(id string) string {
	if p, ok := purposes[id]; ok && !strings.Contains(p, "%s") {
		return p
	}
	prefix := strings.TrimRight(id, "0123456789")
	if prefix == id {
		return ""
	}
	if p, ok := purposes[prefix]; ok && strings.Contains(p, "%s") {
		return fmt.Sprintf(p, id[len(prefix):])
	}
	return ""
}
