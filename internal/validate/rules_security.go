package validate

import (
	"strings"
)

// Security rules (C6xx): what a security review of the stack asks, checked
// on the template. Each rule names the equivalent checks of the scanners
// reviewers run, so that a suppression cfngen writes reaches them too.
//
// Some security controls were deploy rules before this family existed and
// keep their ids: D516 (master passwords not from parameters), D517 (RDS
// Proxy requires TLS), D524 (TLS 1.3 listener policy), D537 (IMDSv2), D554
// (alarm topics not on the aws/sns key), P404 (no secret in a params file).
var securityRuleSet = []Rule{
	// S3
	{ID: "C601", Severity: Error, Title: "S3 buckets block all public access",
		Why:      "one public ACL or policy on a bucket publishes its objects to the internet; new buckets block it by default since April 2023, and a configuration that leaves a setting out turns that setting off",
		Fix:      "set PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets all true",
		Scanners: []string{"checkov:CKV_AWS_53", "checkov:CKV_AWS_54", "checkov:CKV_AWS_55", "checkov:CKV_AWS_56"},
		Check:    secBucketPublicAccess},
	{ID: "C602", Severity: Warning, Title: "S3 buckets state their default encryption",
		Why:      "S3 encrypts every new object with SSE-S3 since January 2023; stating the encryption (or a KMS key) keeps it explicit and reviewable",
		Fix:      "set BucketEncryption with SSEAlgorithm AES256 (or aws:kms with a key)",
		Scanners: []string{"checkov:CKV_AWS_19", "cfn_nag:W41"},
		Check:    secBucketEncryption},
	{ID: "C603", Severity: Error, Title: "S3 bucket policies deny requests without TLS",
		Why:   "without the deny, objects can be read and written over plain HTTP",
		Fix:   "add a bucket policy statement: Effect Deny, Principal '*', Action s3:*, the bucket and bucket/*, Condition Bool aws:SecureTransport 'false'",
		Check: secTLSOnly(secBucketType, "AWS::S3::BucketPolicy", "Bucket", "s3", "no bucket policy of %s denies requests with aws:SecureTransport false")},
	{ID: "C604", Severity: Warning, Title: "S3 buckets keep versions",
		Why:      "without versioning an overwrite or delete, by mistake or by an attacker, loses the object",
		Fix:      "set VersioningConfiguration Status Enabled, with a NoncurrentVersionExpiration lifecycle rule",
		Scanners: []string{"checkov:CKV_AWS_21"},
		Check:    secBucketVersioning},
	{ID: "C605", Severity: Warning, Title: "S3 buckets log access",
		Why:      "server access logs are the record of who read or changed which object",
		Fix:      "set LoggingConfiguration with DestinationBucketName (the log bucket) and a LogFilePrefix, and let logging.s3.amazonaws.com write there",
		Scanners: []string{"checkov:CKV_AWS_18", "cfn_nag:W35"},
		Check:    secBucketLogging},

	// Load balancer
	{ID: "C610", Severity: Warning, Title: "load balancer listeners do not serve plain HTTP",
		Why:      "traffic on a forwarding HTTP listener, cookies and tokens included, crosses the internet unencrypted",
		Fix:      "make HTTP listeners redirect to HTTPS (RedirectConfig Protocol HTTPS, Port 443, StatusCode HTTP_301)",
		Scanners: []string{"checkov:CKV_AWS_2", "cfn_nag:W56"},
		Check:    secListenerHTTP},
	{ID: "C611", Severity: Error, Title: "HTTPS listeners use a TLS 1.2+ security policy",
		Why:      "without SslPolicy the listener uses ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1",
		Fix:      "set SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS13 or TLS-1-2 policy)",
		Scanners: []string{"checkov:CKV_AWS_103", "cfn_nag:W55"},
		Check:    secListenerTLS},
	{ID: "C612", Severity: Warning, Title: "application load balancers drop invalid header fields",
		Why:      "malformed headers are a request-smuggling vector between the load balancer and the targets",
		Fix:      "set the attribute routing.http.drop_invalid_header_fields.enabled to 'true'",
		Scanners: []string{"checkov:CKV_AWS_131"},
		Check:    secALBInvalidHeaders},
	{ID: "C613", Severity: Warning, Title: "load balancers write access logs",
		Why:      "access logs are the only per-request record of who called the API",
		Fix:      "set access_logs.s3.enabled 'true' and access_logs.s3.bucket to the log bucket",
		Scanners: []string{"checkov:CKV_AWS_91", "cfn_nag:W52"},
		Check:    secLBLogs},
	{ID: "C614", Severity: Warning, Title: "internet-facing application load balancers are behind a WAF web ACL",
		Why:   "a WAF filters common exploits, known bad inputs and floods before they reach the application",
		Fix:   "add an AWS::WAFv2::WebACL (Scope REGIONAL) and an AWS::WAFv2::WebACLAssociation with the load balancer's ARN",
		Check: secALBWAF},

	// Security groups
	{ID: "C620", Severity: Error, Title: "no ingress from anywhere, except HTTP(S) to an internet-facing load balancer",
		Why:      "a port open to 0.0.0.0/0 or ::/0 is scanned and attacked within minutes",
		Fix:      "allow the port from a security group or a specific CIDR; only an internet-facing load balancer takes 80 and 443 from anywhere",
		Scanners: []string{"cfn_nag:W2", "cfn_nag:W9", "checkov:CKV_AWS_24", "checkov:CKV_AWS_25", "checkov:CKV_AWS_260"},
		Check:    secWorldIngress},
	{ID: "C625", Severity: Warning, Title: "a load balancer open to the internet on 80 and 443 is intended",
		Why:      "every port a load balancer opens to the internet is attack surface; its exposure is a decision to record, not a default",
		Fix:      "make the load balancer internal, or suppress with the reason it is public (a separate rule from C620, so the suppression covers 80 and 443 only)",
		Scanners: []string{"cfn_nag:W2", "cfn_nag:W9", "checkov:CKV_AWS_260"},
		Check:    secPublicLB},
	{ID: "C621", Severity: Error, Title: "SSH and RDP come only from a configured CIDR",
		Why:      "SSH open to everyone invites brute force and exploits of the SSH daemon",
		Fix:      "take the CIDR from a parameter whose AllowedPattern refuses /0, and set it to your own address range",
		Scanners: []string{"checkov:CKV_AWS_24", "checkov:CKV_AWS_25"},
		Check:    secAdminIngress},
	{ID: "C622", Severity: Error, Title: "no security group rule opens all ports or protocols",
		Why:      "an all-ports rule exposes every service on the instance, including ones nobody meant to run",
		Fix:      "allow only the protocol and ports the service uses",
		Scanners: []string{"cfn_nag:W40", "cfn_nag:W42"},
		Check:    secAllPorts},
	{ID: "C623", Severity: Warning, Title: "security groups state their egress",
		Why:      "a group without SecurityGroupEgress keeps the default rule: all traffic to anywhere, the path data takes out",
		Fix:      "list the egress the service needs in SecurityGroupEgress (a group that needs none gets a rule no traffic matches)",
		Scanners: []string{"cfn_nag:F1000"},
		Check:    secImplicitEgress},
	{ID: "C624", Severity: Warning, Title: "HTTPS egress to anywhere is intended",
		Why:      "egress to 0.0.0.0/0 lets a compromised host send data anywhere; HTTPS to AWS APIs through NAT is often the only way, and then a decision to record",
		Fix:      "send egress to security groups, the VPC range, prefix lists or VPC endpoints; where HTTPS to addresses that are not fixed is needed, suppress with the reason",
		Scanners: []string{"cfn_nag:W5"},
		Check:    secWorldEgress(true)},
	{ID: "C626", Severity: Warning, Title: "egress to anywhere is HTTPS only",
		Why:      "egress to 0.0.0.0/0 on other ports (SMTP, DNS to outside resolvers, anything) is how data and malware traffic leave",
		Fix:      "send the traffic to specific destinations, or suppress with the reason (a separate rule from C624, so an HTTPS suppression never covers other ports)",
		Scanners: []string{"cfn_nag:W5"},
		Check:    secWorldEgress(false)},

	// Databases
	{ID: "C630", Severity: Error, Title: "database storage is encrypted",
		Why:      "unencrypted storage exposes the data in snapshots, backups and retired disks",
		Fix:      "set StorageEncrypted: true on the DB cluster or the standalone DB instance",
		Scanners: []string{"checkov:CKV_AWS_16", "checkov:CKV_AWS_96", "cfn_nag:F26", "cfn_nag:F27"},
		Check:    secDBEncrypted},
	{ID: "C631", Severity: Error, Title: "database instances are not publicly accessible",
		Why:      "a public database endpoint is reachable from the internet, left to its password alone",
		Fix:      "set PubliclyAccessible: false and place the database in private subnets",
		Scanners: []string{"checkov:CKV_AWS_17", "cfn_nag:F22"},
		Check:    secDBPublic},
	{ID: "C632", Severity: Warning, Title: "database backups are on and kept 7 days or more",
		Why:   "a short backup window loses the point to restore to when damage is found late; 0 turns backups off",
		Fix:   "set BackupRetentionPeriod to 7 or more (from a parameter: MinValue at least 1, and a Default and params value of 7 or more)",
		Check: secDBBackups},
	{ID: "C633", Severity: Warning, Title: "databases have deletion protection and a snapshot on delete",
		Why:   "without them one wrong stack operation deletes the database and its data",
		Fix:   "set DeletionProtection (true, or per environment) and DeletionPolicy/UpdateReplacePolicy Snapshot",
		Check: secDBDeletion},
	{ID: "C634", Severity: Warning, Title: "PostgreSQL databases export their logs to CloudWatch",
		Why:   "database logs record failed logins and errors that explain an incident",
		Fix:   "set EnableCloudwatchLogsExports: [postgresql] (and upgrade for RDS instances)",
		Check: secDBLogs},
	{ID: "C635", Severity: Warning, Title: "database instances take minor version upgrades",
		Why:   "minor versions carry the security fixes of the engine",
		Fix:   "remove AutoMinorVersionUpgrade: false (the default is true)",
		Check: secDBMinorUpgrades},
	{ID: "C636", Severity: Warning, Title: "databases accept IAM authentication",
		Why:      "IAM authentication gives short-lived, auditable credentials instead of a shared password",
		Fix:      "set EnableIAMDatabaseAuthentication: true on the cluster or the standalone instance",
		Scanners: []string{"checkov:CKV_AWS_161", "checkov:CKV_AWS_162"},
		Check:    secDBIAMAuth},

	// Secrets
	{ID: "C640", Severity: Error, Title: "no plaintext secret in the template",
		Why:      "a template is committed, diffed and shown in the console: a secret in it is a published secret",
		Fix:      "generate secrets in Secrets Manager (GenerateSecretString) and pass them by dynamic reference or ECS Secrets; mark secret parameters NoEcho without a Default",
		Scanners: []string{"cfn_nag:F23", "cfn_nag:F34", "checkov:CKV_AWS_46"},
		Check:    secPlaintext},
	{ID: "C641", Severity: Warning, Title: "database secrets rotate",
		Why:   "a password that never changes stays valid for everyone who ever saw it",
		Fix:   "add an AWS::SecretsManager::RotationSchedule for the secret, or use ManageMasterUserPassword",
		Check: secRotation},

	// IAM
	{ID: "C650", Severity: Error, Title: "no IAM statement allows every action, of all services or of one",
		Why:      "Action '*' (or NotAction with Allow) is administrator access in disguise, and iam:* or sts:* get there by escalation",
		Fix:      "list the actions the role needs",
		Scanners: []string{"cfn_nag:F3", "cfn_nag:F4", "cfn_nag:F5", "checkov:CKV_AWS_62", "checkov:CKV_AWS_63"},
		Check:    secStarAction},
	{ID: "C651", Severity: Warning, Title: "Resource '*' only for actions without resource-level permissions",
		Why:      "'*' grants the action on every resource of the account, not the stack's",
		Fix:      "name the resources (Ref, GetAtt, Sub ARNs); '*' is right only for actions such as ecr:GetAuthorizationToken that take no resource",
		Scanners: []string{"cfn_nag:W11", "cfn_nag:W12", "cfn_nag:W13", "cfn_nag:F38", "cfn_nag:F39", "checkov:CKV_AWS_111"},
		Check:    secStarResource},
	{ID: "C652", Severity: Error, Title: "no administrator or full-access managed policies",
		Why:      "AdministratorAccess, PowerUserAccess and *FullAccess policies give far more than any service role needs",
		Fix:      "replace them with inline policies for the actions and resources used",
		Scanners: []string{"cfn_nag:W43", "cfn_nag:W44"},
		Check:    secAdminPolicies},
	{ID: "C653", Severity: Warning, Title: "AWS managed policies only where they are the standard for the role",
		Why:   "managed policies change under you and are broad; they belong only where AWS defines the role with them",
		Fix:   "use the standard policy for the trusted service (AmazonEC2ContainerServiceforEC2Role, AmazonECSTaskExecutionRolePolicy, AmazonSSMManagedInstanceCore, AmazonRDSEnhancedMonitoringRole) or an inline policy",
		Check: secManagedPolicies},

	// EC2 and ECS
	{ID: "C660", Severity: Error, Title: "EBS volumes are encrypted",
		Why:      "unencrypted volumes expose data in snapshots and on retired disks",
		Fix:      "set Encrypted: true on every Ebs block device mapping and volume",
		Scanners: []string{"checkov:CKV_AWS_3", "checkov:CKV_AWS_8", "cfn_nag:F1"},
		Check:    secEBSEncrypted},
	{ID: "C661", Severity: Warning, Title: "instances and tasks get no public IP address",
		Why:      "a public IP puts the host on the internet, past the load balancer and WAF",
		Fix:      "run in private subnets without AssociatePublicIpAddress or AssignPublicIp ENABLED; the bastion is the one intended exception",
		Scanners: []string{"checkov:CKV_AWS_88"},
		Check:    secPublicIP},
	{ID: "C662", Severity: Warning, Title: "ECS clusters have Container Insights",
		Why:      "task-level CPU, memory and restart metrics are how a misbehaving or compromised task shows",
		Fix:      "set ClusterSettings: [{Name: containerInsights, Value: enabled}]",
		Scanners: []string{"checkov:CKV_AWS_65"},
		Check:    secContainerInsights},
	{ID: "C663", Severity: Warning, Title: "every container sends its logs somewhere",
		Why:   "a container without a log driver leaves no trace of what it did",
		Fix:   "set LogConfiguration (awslogs to a log group with retention) on every container definition",
		Check: secContainerLogs},
	{ID: "C664", Severity: Error, Title: "no privileged containers",
		Why:   "a privileged container is root on the host and every other task on it",
		Fix:   "remove Privileged: true; add only the Linux capabilities the container needs",
		Check: secPrivileged},

	// Queues, topics, logs, VPC
	{ID: "C670", Severity: Error, Title: "SQS queues are encrypted",
		Why:      "messages often carry personal data or job payloads; new queues get SSE-SQS by default since October 2022 (not stating it: a warning), turning it off is an error",
		Fix:      "set SqsManagedSseEnabled: true (or KmsMasterKeyId)",
		Scanners: []string{"checkov:CKV_AWS_27", "cfn_nag:W48"},
		Check:    secQueueEncrypted},
	{ID: "C671", Severity: Warning, Title: "SQS queue policies deny requests without TLS",
		Why:   "without the deny, messages can be sent and read over plain HTTP",
		Fix:   "add an AWS::SQS::QueuePolicy statement: Effect Deny, Principal '*', Action sqs:*, Condition Bool aws:SecureTransport 'false'",
		Check: secTLSOnly("AWS::SQS::Queue", "AWS::SQS::QueuePolicy", "Queues", "sqs", "no queue policy of %s denies requests with aws:SecureTransport false")},
	{ID: "C672", Severity: Warning, Title: "SNS topics are encrypted",
		Why:      "topic messages are stored until delivered",
		Fix:      "set KmsMasterKeyId to a customer managed key whose policy lets the publishing services use it",
		Scanners: []string{"checkov:CKV_AWS_26", "cfn_nag:W47"},
		Check:    secMissing("AWS::SNS::Topic", "KmsMasterKeyId", "topic %s is not encrypted (no KmsMasterKeyId)")},
	{ID: "C673", Severity: Warning, Title: "SNS topic policies deny publishing without TLS",
		Why:   "without the deny, messages can be published over plain HTTP",
		Fix:   "add an AWS::SNS::TopicPolicy statement: Effect Deny, Principal '*', Action sns:Publish, Condition Bool aws:SecureTransport 'false'",
		Check: secTLSOnly("AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "Topics", "sns", "no topic policy of %s denies publishing with aws:SecureTransport false")},
	{ID: "C674", Severity: Warning, Title: "log groups set a retention period",
		Why:      "without RetentionInDays logs are kept, and paid for, forever; with it their lifetime is a decision",
		Fix:      "set RetentionInDays",
		Scanners: []string{"checkov:CKV_AWS_66", "cfn_nag:W86"},
		Check:    secMissing("AWS::Logs::LogGroup", "RetentionInDays", "log group %s sets no RetentionInDays")},
	{ID: "C675", Severity: Warning, Title: "VPCs have flow logs",
		Why:      "flow logs are the record of which addresses talked to which, the first thing an incident response asks for",
		Fix:      "add an AWS::EC2::FlowLog on the VPC (TrafficType ALL) to a log group with retention",
		Scanners: []string{"cfn_nag:W60"},
		Check:    secFlowLogs},
}

// securityControls are the rules of other families that are security
// controls too: they belong to the security family in reports.
var securityControls = map[string]bool{"D516": true, "D517": true, "D524": true, "D537": true, "D554": true, "P404": true}

// Security reports whether a rule belongs to the security family: the C6xx
// rules and the earlier rules that check a security control.
func (r Rule) Security() bool { return strings.HasPrefix(r.ID, "C6") || securityControls[r.ID] }

// Scanner ids: "tool:ID" strings split.

// ScannerIDs returns the ids one scanner uses for a rule's check.
func (r Rule) ScannerIDs(tool string) []string {
	var out []string
	for _, s := range r.Scanners {
		if t, id, ok := strings.Cut(s, ":"); ok && t == tool {
			out = append(out, id)
		}
	}
	return out
}

// --- shared helpers ---

// secStrings lists the literal strings of a string-or-list value.
func secStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// secDeniesInsecure reports whether statements deny requests without TLS for
// the given action prefix ("s3", "sqs", "sns").
func secDeniesInsecure(sts []map[string]any, service string) bool {
	for _, st := range sts {
		if e, _ := literal(st["Effect"]); e != "Deny" || !secEveryone(st["Principal"]) {
			continue
		}
		cond, _ := st["Condition"].(map[string]any)
		b, _ := cond["Bool"].(map[string]any)
		if v, ok := literal(b["aws:SecureTransport"]); !ok || !strings.EqualFold(v, "false") {
			continue
		}
		for _, a := range secStrings(st["Action"]) {
			a = strings.ToLower(a)
			if a == "*" || a == service+":*" || (service == "sns" && a == "sns:publish") {
				return true
			}
		}
	}
	return false
}

// secEveryone reports whether a principal is everyone: '*' or {AWS: '*'}.
func secEveryone(p any) bool {
	if s, ok := p.(string); ok {
		return s == "*"
	}
	m, _ := p.(map[string]any)
	return contains(secStrings(m["AWS"]), "*")
}

// secTLSOnly checks that a policy resource of policyType, naming the
// resource in targetProp, denies requests without TLS for every resource of
// typ.
func secTLSOnly(typ, policyType, targetProp, service, message string) func(*Template) []Finding {
	return func(t *Template) []Finding {
		var out []Finding
		for _, r := range t.OfType(typ) {
			if !secDeniesInsecure(t.policiesFor(policyType, targetProp, "PolicyDocument", r.ID), service) {
				out = append(out, at(r, "", message, r.ID))
			}
		}
		return out
	}
}

// secMissing reports every resource of typ without the property prop.
func secMissing(typ, prop, message string) func(*Template) []Finding {
	return func(t *Template) []Finding {
		var out []Finding
		for _, r := range t.OfType(typ) {
			if _, ok := r.Properties[prop]; !ok {
				out = append(out, at(r, "", message, r.ID))
			}
		}
		return out
	}
}

// policiesFor lists the statements of every policy resource of a type whose
// target property references id.
func (t *Template) policiesFor(typ, targetProp, docProp, id string) []map[string]any {
	key := typ + "|" + targetProp + "|" + docProp
	if t.policyIndex == nil {
		t.policyIndex = map[string]map[string][]map[string]any{}
	}
	index, ok := t.policyIndex[key]
	if !ok {
		// One pass over the policies, not one per resource: a template
		// with thousands of queues stays linear.
		index = map[string][]map[string]any{}
		for _, p := range t.OfType(typ) {
			var sts []map[string]any
			for _, target := range references(p.Properties[targetProp]) {
				if sts == nil {
					sts = statementsOf(p.Properties[docProp])
				}
				index[target] = append(index[target], sts...)
			}
		}
		t.policyIndex[key] = index
	}
	return index[id]
}
