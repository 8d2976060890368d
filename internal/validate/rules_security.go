package validate

import (
	"fmt"
	"regexp"
	"sort"
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

// --- S3 ---

const secBucketType = "AWS::S3::Bucket"

func secBucketPublicAccess(t *Template) []Finding {
	var out []Finding
	for _, b := range t.OfType(secBucketType) {
		pab, _ := b.Properties["PublicAccessBlockConfiguration"].(map[string]any)
		var off []string
		for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
			if !truthy(pab[k]) {
				off = append(off, k)
			}
		}
		switch {
		case pab == nil:
			// New buckets block public access by default (April 2023):
			// not stating it is a risk to review, not a public bucket.
			f := at(b, "", "bucket %s states no PublicAccessBlockConfiguration: it relies on the default for new buckets (all four blocks on), which an account or later change can undo", b.ID)
			f.Severity = Warning
			out = append(out, f)
		case len(off) > 0:
			out = append(out, at(b, "PublicAccessBlockConfiguration", "bucket %s does not set %s to true", b.ID, strings.Join(off, ", ")))
		}
	}
	return out
}

func secBucketEncryption(t *Template) []Finding {
	var out []Finding
	for _, b := range t.OfType(secBucketType) {
		enc, _ := b.Properties["BucketEncryption"].(map[string]any)
		rules, _ := enc["ServerSideEncryptionConfiguration"].([]any)
		if len(rules) == 0 {
			out = append(out, at(b, "BucketEncryption", "bucket %s states no default encryption (S3 applies SSE-S3)", b.ID))
		}
	}
	return out
}

func secBucketVersioning(t *Template) []Finding {
	var out []Finding
	for _, b := range t.OfType(secBucketType) {
		v, _ := b.Properties["VersioningConfiguration"].(map[string]any)
		if s, ok := literal(v["Status"]); v == nil || ok && s != "Enabled" {
			out = append(out, at(b, "VersioningConfiguration", "bucket %s does not keep versions", b.ID))
		}
	}
	return out
}

func secBucketLogging(t *Template) []Finding {
	var out []Finding
	for _, b := range t.OfType(secBucketType) {
		if _, ok := b.Properties["LoggingConfiguration"]; !ok {
			out = append(out, at(b, "", "bucket %s has no LoggingConfiguration: reads and writes of its objects leave no record", b.ID))
		}
	}
	return out
}

// --- load balancer ---

const secListenerType = "AWS::ElasticLoadBalancingV2::Listener"

// secForwards reports whether default actions may forward (in any branch of
// an Fn::If), and under which condition.
func secForwards(v any) (bool, string) {
	if f, a, ok := fn(v); ok && f == "Fn::If" {
		l, _ := a.([]any)
		if len(l) != 3 {
			return false, ""
		}
		cond, _ := l[0].(string)
		if yes, _ := secForwards(l[1]); yes {
			return true, cond
		}
		if yes, _ := secForwards(l[2]); yes {
			return true, "not " + cond
		}
		return false, ""
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if yes, c := secForwards(e); yes {
				return true, c
			}
		}
	case map[string]any:
		typ, _ := literal(x["Type"])
		return typ == "forward", ""
	}
	return false, ""
}

func secListenerHTTP(t *Template) []Finding {
	var out []Finding
	for _, l := range t.OfType(secListenerType) {
		if p, ok := literal(l.Properties["Protocol"]); !ok || p != "HTTP" {
			continue
		}
		if yes, cond := secForwards(l.Properties["DefaultActions"]); yes {
			when := ""
			if cond != "" {
				when = " when " + cond
			}
			out = append(out, at(l, "DefaultActions", "HTTP listener %s forwards plain HTTP to its targets%s", l.ID, when))
		}
	}
	return out
}

func secListenerTLS(t *Template) []Finding {
	var out []Finding
	for _, l := range t.OfType(secListenerType) {
		if p, ok := literal(l.Properties["Protocol"]); !ok || p != "HTTPS" {
			continue
		}
		v, set := l.Properties["SslPolicy"]
		s, lit := literal(v)
		switch {
		case !set:
			out = append(out, at(l, "", "HTTPS listener %s sets no SslPolicy, so it accepts TLS 1.0 and 1.1", l.ID))
		case lit && !secTLS12Policy(s):
			out = append(out, at(l, "SslPolicy", "HTTPS listener %s uses %s, which accepts TLS versions before 1.2", l.ID, s))
		}
	}
	return out
}

// secTLS12Policy reports whether an ELB security policy refuses TLS before
// 1.2 (TLS13-1-0 and TLS13-1-1 policies still accept TLS 1.0 and 1.1).
func secTLS12Policy(name string) bool {
	for _, p := range []string{"TLS13-1-2", "TLS13-1-3", "TLS-1-2", "FS-1-2"} {
		if strings.Contains(name, "ELBSecurityPolicy-"+p) {
			return true
		}
	}
	return false
}

func secApplicationLBs(t *Template) []Resource {
	var out []Resource
	for _, lb := range t.OfType(edgeTypeLB) {
		if isALB(lb) {
			out = append(out, lb)
		}
	}
	return out
}

func secALBInvalidHeaders(t *Template) []Finding {
	var out []Finding
	for _, lb := range secApplicationLBs(t) {
		if !mayBeTrue(lbAttribute(lb, "routing.http.drop_invalid_header_fields.enabled")) {
			out = append(out, at(lb, "LoadBalancerAttributes", "load balancer %s keeps invalid header fields", lb.ID))
		}
	}
	return out
}

func secLBLogs(t *Template) []Finding {
	var out []Finding
	for _, lb := range t.OfType(edgeTypeLB) {
		v := lbAttribute(lb, "access_logs.s3.enabled")
		if _, _, isFn := fn(v); !isFn && !truthy(v) {
			out = append(out, at(lb, "LoadBalancerAttributes", "load balancer %s writes no access logs", lb.ID))
		}
	}
	return out
}

func secInternetFacing(lb Resource) bool {
	s, ok := literal(lb.Properties["Scheme"])
	return !ok || s != "internal"
}

func secALBWAF(t *Template) []Finding {
	protected := map[string]bool{}
	for _, a := range t.OfType(edgeTypeWebACLAssoc) {
		for _, id := range references(a.Properties["ResourceArn"]) {
			protected[id] = true
		}
	}
	var out []Finding
	for _, lb := range secApplicationLBs(t) {
		if secInternetFacing(lb) && !protected[lb.ID] {
			out = append(out, at(lb, "", "internet-facing load balancer %s has no WAF web ACL association", lb.ID))
		}
	}
	return out
}

// --- security groups ---

const (
	secSGType      = "AWS::EC2::SecurityGroup"
	secIngressType = "AWS::EC2::SecurityGroupIngress"
	secEgressType  = "AWS::EC2::SecurityGroupEgress"
)

// sgRule is one ingress or egress rule, inline or standalone.
type sgRule struct {
	owner   Resource // the resource that declares it
	group   string   // the security group's logical id ("" if not in the template)
	path    string   // property path within owner
	props   map[string]any
	ingress bool
}

// sgRules lists every rule of the template's security groups.
func (t *Template) sgRules() []sgRule {
	var out []sgRule
	for _, g := range t.OfType(secSGType) {
		for _, dir := range []string{"SecurityGroupIngress", "SecurityGroupEgress"} {
			list, _ := g.Properties[dir].([]any)
			for i, e := range list {
				if m, ok := e.(map[string]any); ok {
					out = append(out, sgRule{g, g.ID, fmt.Sprintf("%s/%d", dir, i), m, dir == "SecurityGroupIngress"})
				}
			}
		}
	}
	for _, typ := range []string{secIngressType, secEgressType} {
		for _, r := range t.OfType(typ) {
			out = append(out, sgRule{r, refTarget(r.Properties["GroupId"]), "", r.Properties, typ == secIngressType})
		}
	}
	return out
}

// ports returns the rule's protocol and port range as text, and whether it
// covers every port.
func (r sgRule) ports() (string, bool) {
	proto, ok := literal(r.props["IpProtocol"])
	if !ok {
		return "(ports from an intrinsic)", false
	}
	proto = strings.ToLower(proto)
	if proto == "-1" || proto == "all" {
		return "all protocols", true
	}
	from, okF := number(r.props["FromPort"])
	to, okT := number(r.props["ToPort"])
	// No ports at all, or 65,000 or more, count as all: 1-65535 and
	// 0-65534 are written to mean "everything" too. A port from an
	// intrinsic (!Ref Port, !GetAtt Db.Endpoint.Port) is one port we
	// cannot read, not all of them.
	_, hasF := r.props["FromPort"]
	_, hasT := r.props["ToPort"]
	if (proto == "tcp" || proto == "udp" || proto == "6" || proto == "17") && (!hasF && !hasT || okF && okT && to-from >= 65000 || okF && from == -1) {
		return proto + " all ports", true
	}
	if !okF || !okT {
		if _, _, isFn := fn(r.props["FromPort"]); isFn {
			return proto + " (port from an intrinsic)", false
		}
		if _, _, isFn := fn(r.props["ToPort"]); isFn {
			return proto + " (port from an intrinsic)", false
		}
	}
	if okF && okT && from != to {
		return fmt.Sprintf("%s %g-%g", proto, from, to), false
	}
	if okF {
		return fmt.Sprintf("%s %g", proto, from), false
	}
	return proto, false
}

// covers reports whether the rule's ports include port.
func (r sgRule) covers(port float64) bool {
	if _, all := r.ports(); all {
		return true
	}
	from, okF := number(r.props["FromPort"])
	to, okT := number(r.props["ToPort"])
	return okF && okT && from <= port && port <= to
}

// world returns the anywhere-CIDR a rule names, if any: literally, or as the
// value (params file, else Default) of the parameter it references.
func (r sgRule) world(t *Template) string {
	for _, k := range []string{"CidrIp", "CidrIpv6"} {
		s, ok := literal(r.props[k])
		if !ok {
			if name := refTarget(r.props[k]); name != "" {
				if _, isParam := t.Section("Parameters")[name]; isParam {
					s, ok = t.paramValue(name)
				}
			}
		}
		if ok && (s == "0.0.0.0/0" || s == "::/0") {
			return s
		}
	}
	return ""
}

func (r sgRule) where() (Resource, string) {
	prop := r.path
	return r.owner, prop
}

// lbGroups lists the security groups of internet-facing load balancers.
func (t *Template) lbGroups() map[string]bool {
	out := map[string]bool{}
	for _, lb := range append(t.OfType(edgeTypeLB), t.OfType("AWS::ElasticLoadBalancing::LoadBalancer")...) {
		if !secInternetFacing(lb) {
			continue
		}
		for _, id := range references(lb.Properties["SecurityGroups"]) {
			out[id] = true
		}
	}
	return out
}

// secWorldIngressRules lists the ingress rules from anywhere, split into
// those of an internet-facing load balancer's group on 80 or 443 (C625) and
// the others (C620).
func secWorldIngressRules(t *Template, publicLB bool) []Finding {
	lbs := t.lbGroups()
	var out []Finding
	for _, r := range t.sgRules() {
		cidr := r.world(t)
		if !r.ingress || cidr == "" {
			continue
		}
		web := lbs[r.group] && (r.onlyPort(80) || r.onlyPort(443))
		if web != publicLB {
			continue
		}
		ports, _ := r.ports()
		owner, prop := r.where()
		f := at(owner, prop, "%s allows %s from %s", r.group, ports, cidr)
		if web {
			f.Message += " to an internet-facing load balancer"
		}
		out = append(out, f)
	}
	return out
}

func secWorldIngress(t *Template) []Finding { return secWorldIngressRules(t, false) }

func secPublicLB(t *Template) []Finding { return secWorldIngressRules(t, true) }

func (r sgRule) onlyPort(p float64) bool {
	from, okF := number(r.props["FromPort"])
	to, okT := number(r.props["ToPort"])
	return okF && okT && from == p && to == p
}

// secAdminPorts are the remote administration ports.
var secAdminPorts = []float64{22, 3389}

func secAdminIngress(t *Template) []Finding {
	var out []Finding
	params := t.Section("Parameters")
	for _, r := range t.sgRules() {
		if !r.ingress {
			continue
		}
		admin := false
		for _, p := range secAdminPorts {
			if r.covers(p) {
				admin = true
			}
		}
		if !admin {
			continue
		}
		owner, prop := r.where()
		v := r.props["CidrIp"]
		if v == nil {
			v = r.props["CidrIpv6"]
		}
		if v == nil {
			continue // from a security group or prefix list
		}
		if s, ok := literal(v); ok {
			if s != "0.0.0.0/0" && s != "::/0" && secPrefix(s) < 16 {
				out = append(out, at(owner, prop, "%s allows SSH/RDP from %s, a range of more than 65,536 addresses", r.group, s))
			}
			continue // /0 is C620's
		}
		name := refTarget(v)
		def, isParam := params[name].(map[string]any)
		if !isParam {
			continue
		}
		if val, ok := t.paramValue(name); ok && (val == "0.0.0.0/0" || val == "::/0" || secPrefix(val) < 16) {
			from := "its Default"
			if t.ParamsPath != "" {
				from = t.ParamsPath
			}
			out = append(out, at(owner, prop, "%s allows SSH/RDP from %s = %s (%s)", r.group, name, val, from))
			continue
		}
		pattern, _ := def["AllowedPattern"].(string)
		if pattern == "" {
			out = append(out, at(owner, prop, "%s takes the SSH/RDP source from parameter %s, which has no AllowedPattern: 0.0.0.0/0 is accepted", r.group, name))
			continue
		}
		if re, err := regexp.Compile(pattern); err == nil {
			for _, wide := range []string{"0.0.0.0/0", "::/0", "0.0.0.0/1", "10.0.0.0/8"} {
				if re.MatchString(wide) {
					out = append(out, at(owner, prop, "%s takes the SSH/RDP source from parameter %s, whose AllowedPattern accepts %s", r.group, name, wide))
					break
				}
			}
		}
	}
	return out
}

func secPrefix(cidr string) int {
	_, p, ok := strings.Cut(cidr, "/")
	if !ok {
		return 32
	}
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' {
			return 32
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// paramValue returns a parameter's value from the params file, else its
// default.
func (t *Template) paramValue(name string) (string, bool) {
	for _, p := range t.Params {
		if p.ParameterKey == name {
			return p.ParameterValue, true
		}
	}
	def, _ := t.Section("Parameters")[name].(map[string]any)
	return literal(def["Default"])
}

func secAllPorts(t *Template) []Finding {
	var out []Finding
	for _, r := range t.sgRules() {
		ports, all := r.ports()
		if !all {
			continue
		}
		dir := "egress"
		if r.ingress {
			dir = "ingress"
		}
		if !r.ingress && secNoTraffic(r) {
			continue
		}
		owner, prop := r.where()
		f := at(owner, prop, "%s has an %s rule for %s", r.group, dir, ports)
		switch {
		case !r.ingress:
			// All traffic out is what a group without egress rules
			// allows too (C623, C626): a risk, not an opening.
			f.Severity = Warning
		case r.props["SourceSecurityGroupId"] != nil || r.props["SourceSecurityGroupName"] != nil || r.props["SourcePrefixListId"] != nil:
			f.Severity = Warning
			f.Message += " from " + map[bool]string{true: "a prefix list", false: "a security group"}[r.props["SourcePrefixListId"] != nil] + ": broader than the service needs"
		}
		out = append(out, f)
	}
	return out
}

// secNoTraffic reports whether an egress rule is the "nothing" placeholder:
// a rule to a single unroutable address, which removes the default
// allow-all rule while allowing nothing.
func secNoTraffic(r sgRule) bool {
	s, _ := literal(r.props["CidrIp"])
	return s == "255.255.255.255/32" || s == "127.0.0.1/32"
}

func secImplicitEgress(t *Template) []Finding {
	var out []Finding
	for _, g := range t.OfType(secSGType) {
		v, ok := g.Properties["SecurityGroupEgress"]
		if l, isList := v.([]any); !ok || isList && len(l) == 0 {
			out = append(out, at(g, "", "security group %s states no SecurityGroupEgress rule, so it allows all outbound traffic", g.ID))
		}
	}
	return out
}

// secWorldEgress finds egress to anywhere: on HTTPS only (C624) or on other
// ports (C626).
func secWorldEgress(https bool) func(*Template) []Finding {
	return func(t *Template) []Finding {
		var out []Finding
		for _, r := range t.sgRules() {
			cidr := r.world(t)
			if r.ingress || cidr == "" {
				continue
			}
			proto, _ := literal(r.props["IpProtocol"])
			if isHTTPS := (strings.EqualFold(proto, "tcp") || proto == "6") && r.onlyPort(443); isHTTPS != https {
				continue
			}
			ports, _ := r.ports()
			owner, prop := r.where()
			out = append(out, at(owner, prop, "%s allows egress on %s to %s", r.group, ports, cidr))
		}
		return out
	}
}

// --- databases ---

const (
	secClusterType  = "AWS::RDS::DBCluster"
	secInstanceType = "AWS::RDS::DBInstance"
)

// secStandalone lists DB instances that are not members of a cluster.
func (t *Template) secStandalone() []Resource {
	var out []Resource
	for _, r := range t.OfType(secInstanceType) {
		if _, replica := r.Properties["SourceDBInstanceIdentifier"]; replica {
			continue // a read replica has its source's storage and backups
		}
		if _, inCluster := r.Properties["DBClusterIdentifier"]; !inCluster {
			out = append(out, r)
		}
	}
	return out
}

// secDatabases lists clusters and standalone instances: where storage,
// backups and deletion protection are set.
func (t *Template) secDatabases() []Resource {
	return append(append([]Resource{}, t.OfType(secClusterType)...), t.secStandalone()...)
}

func secDBEncrypted(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		v, set := r.Properties["StorageEncrypted"]
		if _, _, isFn := fn(v); isFn {
			continue
		}
		if !set || !truthy(v) {
			out = append(out, at(r, "StorageEncrypted", "%s does not set StorageEncrypted: true", r.ID))
		}
	}
	return out
}

func secDBPublic(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType(secInstanceType) {
		v, set := r.Properties["PubliclyAccessible"]
		switch {
		case !set:
			// Private subnets make the instance private by default.
			f := at(r, "", "%s does not set PubliclyAccessible: false (the default depends on the subnet group: public if its subnets are all public)", r.ID)
			f.Severity = Warning
			out = append(out, f)
		case mayBeTrue(v):
			out = append(out, at(r, "PubliclyAccessible", "%s is publicly accessible", r.ID))
		}
	}
	return out
}

func secDBBackups(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		v, set := r.Properties["BackupRetentionPeriod"]
		if !set {
			out = append(out, at(r, "", "%s sets no BackupRetentionPeriod: backups are kept 1 day", r.ID))
			continue
		}
		if n, ok := number(v); ok {
			if n < 7 {
				out = append(out, at(r, "BackupRetentionPeriod", "%s keeps backups %g day(s)", r.ID, n))
			}
			continue
		}
		name := refTarget(v)
		def, isParam := t.Section("Parameters")[name].(map[string]any)
		if !isParam {
			continue
		}
		if val, ok := t.paramValue(name); ok {
			if n, ok := number(val); ok && n < 7 {
				out = append(out, at(r, "BackupRetentionPeriod", "%s keeps backups %s = %g day(s)", r.ID, name, n))
				continue
			}
		}
		if n, ok := number(def["MinValue"]); !ok || n < 1 {
			out = append(out, at(r, "BackupRetentionPeriod", "parameter %s has no MinValue of at least 1: 0 would turn backups off", name))
		}
	}
	return out
}

func secDBDeletion(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		v, set := r.Properties["DeletionProtection"]
		if !set {
			out = append(out, at(r, "", "%s sets no DeletionProtection", r.ID))
		} else if s, ok := literal(v); ok && !strings.EqualFold(s, "true") {
			out = append(out, at(r, "DeletionProtection", "%s sets DeletionProtection %s", r.ID, s))
		}
		if p, _ := r.Body["DeletionPolicy"].(string); p != "Snapshot" && p != "Retain" {
			if p == "" {
				p = "Delete (the default)"
			}
			f := at(r, "", "%s has DeletionPolicy %s: deleting the stack deletes the data", r.ID, p)
			f.Path = "Resources/" + r.ID + "/DeletionPolicy"
			if _, ok := r.Body["DeletionPolicy"]; !ok {
				f.Path = "Resources/" + r.ID
			}
			out = append(out, f)
		}
	}
	return out
}

func secPostgres(r Resource) bool {
	e, _ := literal(r.Properties["Engine"])
	return strings.Contains(e, "postgres")
}

func secDBLogs(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		if !secPostgres(r) {
			continue
		}
		v, set := r.Properties["EnableCloudwatchLogsExports"]
		if _, _, isFn := fn(v); isFn {
			continue
		}
		if !set || !contains(secStrings(v), "postgresql") {
			out = append(out, at(r, "EnableCloudwatchLogsExports", "%s does not export the postgresql log", r.ID))
		}
	}
	return out
}

func secDBMinorUpgrades(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType(secInstanceType) {
		if s, ok := literal(r.Properties["AutoMinorVersionUpgrade"]); ok && strings.EqualFold(s, "false") {
			out = append(out, at(r, "AutoMinorVersionUpgrade", "%s turns minor version upgrades off", r.ID))
		}
	}
	return out
}

// secIAMAuthEngines are the engines with IAM database authentication.
var secIAMAuthEngines = map[string]bool{"mysql": true, "postgres": true, "mariadb": true, "aurora": true, "aurora-mysql": true, "aurora-postgresql": true}

func secDBIAMAuth(t *Template) []Finding {
	var out []Finding
	for _, r := range t.secDatabases() {
		if e, ok := literal(r.Properties["Engine"]); !ok || !secIAMAuthEngines[e] {
			continue
		}
		v := r.Properties["EnableIAMDatabaseAuthentication"]
		if _, _, isFn := fn(v); isFn {
			continue
		}
		if !truthy(v) {
			out = append(out, at(r, "EnableIAMDatabaseAuthentication", "%s does not enable IAM database authentication", r.ID))
		}
	}
	return out
}

// --- secrets ---

var secSecretName = regexp.MustCompile(`(?i)(password|passwd|secret|token|api_?key|private_?key|credential)`)

// secUserDataSecret finds "PASSWORD=literal" (or ": literal") in user data;
// a ${Sub} variable or a command substitution is not a literal.
var secUserDataSecret = regexp.MustCompile(`(?i)\b([A-Z_]*(?:password|passwd|secret|token|api_?key)[A-Z_]*)\s*[=:]\s*['"]?([^\s'"$\x60{]{4,})`)

// secSecretNoun matches parameter names that end in the name of a secret
// (DbPassword, GitHubToken, ClientSecret), not names of settings about one
// (MinimumPasswordLength, MaxPasswordAge, PasswordPolicy).
var secSecretNoun = regexp.MustCompile(`(?i)(password|passwd|passphrase|secret|token|api_?key|private_?key|secret_?access_?key|credentials?)$`)

// secFreeText reports whether a parameter takes free text: a String with
// no AllowedValues (a choice among values is not a secret; a Number, a
// list or an AWS-specific type is not either).
func secFreeText(def map[string]any) bool {
	typ, _ := def["Type"].(string)
	if typ != "" && typ != "String" {
		return false
	}
	_, choice := def["AllowedValues"]
	return !choice
}

// secSecretParam judges a parameter a secret by its name, type and values.
func secSecretParam(name string, def map[string]any) bool {
	return secSecretNoun.MatchString(name) && secFreeText(def)
}

// secretUses maps the parameters that are passed where a secret goes (a
// password property, a secret-named environment variable) to that place.
func (t *Template) secretUses() map[string]string {
	out := map[string]string{}
	params := t.Section("Parameters")
	// Only a value that is the parameter counts: a parameter that is one
	// part of a !Sub (a user name next to the password, a stack name in
	// a dynamic reference) is not the secret.
	mark := func(v any, where string) {
		if f, a, ok := fn(v); ok && f == "Ref" {
			if n, _ := a.(string); n != "" {
				if _, ok := params[n]; ok && out[n] == "" {
					out[n] = where
				}
			}
		}
	}
	for _, r := range t.Resources() {
		walk(nil, r.Properties, func(path *nodePath, v any) {
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			for _, k := range keys(m) {
				if secSecretProps[k] {
					mark(m[k], r.ID+"."+k)
				}
			}
			if path.Key() == "Variables" && path.parent.Key() == "Environment" {
				for _, k := range keys(m) {
					if secSecretName.MatchString(k) {
						mark(m[k], "environment variable "+k+" of "+r.ID)
					}
				}
			}
			if name, ok := m["Name"].(string); ok && path.under("Environment") && secSecretName.MatchString(name) {
				mark(m["Value"], "environment variable "+name+" of "+r.ID)
			}
		})
	}
	return out
}

// secSecretProps are properties whose literal value is a secret.
var secSecretProps = map[string]bool{"MasterUserPassword": true, "Password": true, "SecretString": true, "AuthToken": true, "PrivateKey": true}

func secPlaintext(t *Template) []Finding {
	var out []Finding
	params := t.Section("Parameters")
	names := keys(params)
	sort.Strings(names)
	uses := t.secretUses()
	for _, name := range names {
		def, _ := params[name].(map[string]any)
		noEcho := truthy(def["NoEcho"])
		if !noEcho && secSecretParam(name, def) {
			out = append(out, Finding{Path: "Parameters/" + name, Message: fmt.Sprintf("parameter %s looks like a secret but is not NoEcho: its value shows in the console and API", name)})
		} else if !noEcho && uses[name] != "" && secFreeText(def) {
			out = append(out, Finding{Path: "Parameters/" + name, Message: fmt.Sprintf("parameter %s is used as %s but is not NoEcho: its value shows in the console and API", name, uses[name])})
		}
		if noEcho {
			if d, ok := literal(def["Default"]); ok && d != "" {
				out = append(out, Finding{Path: "Parameters/" + name + "/Default", Message: fmt.Sprintf("NoEcho parameter %s has a Default: the secret is written in the template", name)})
			}
		}
	}
	for _, r := range t.Resources() {
		var ud any
		switch r.Type {
		case "AWS::EC2::Instance":
			ud = r.Properties["UserData"]
		case computeLTType, computeLCType:
			data, _ := computeData(r)
			ud = data["UserData"]
		}
		if m := secUserDataSecret.FindStringSubmatch(computeText(ud)); m != nil {
			out = append(out, at(r, "", "the user data of %s sets %s to a literal: user data is readable by anyone who can describe the instance", r.ID, m[1]))
		}
		walk(pathOf("Resources/"+r.ID+"/Properties"), r.Properties, func(path *nodePath, v any) {
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			for k, val := range m {
				if !secSecretProps[k] {
					continue
				}
				if s, ok := val.(string); ok && s != "" && !strings.Contains(s, "{{resolve:") {
					f := at(r, "", "%s.%s is a literal value: the secret is written in the template", r.ID, k)
					f.Path = path.String() + "/" + k
					out = append(out, f)
				}
			}
			// Lambda and similar: Environment: {Variables: {DB_PASSWORD: literal}}
			if path.Key() == "Variables" && path.parent.Key() == "Environment" {
				for _, k := range keys(m) {
					if s, ok := m[k].(string); ok && s != "" && secSecretName.MatchString(k) && !strings.Contains(s, "{{resolve:") {
						f := at(r, "", "environment variable %s of %s is a literal: pass a secret reference instead", k, r.ID)
						f.Path = path.String() + "/" + k
						out = append(out, f)
					}
				}
			}
			// ECS container environment: {Name: DB_PASSWORD, Value: literal}
			name, hasName := m["Name"].(string)
			if hasName && path.under("Environment") && secSecretName.MatchString(name) {
				if s, ok := m["Value"].(string); ok && s != "" {
					f := at(r, "", "container environment variable %s of %s is a literal: use Secrets (ValueFrom) instead", name, r.ID)
					f.Path = path.String()
					out = append(out, f)
				}
			}
		})
	}
	return out
}

// secDBSecrets lists the secrets a database takes its master password from.
func (t *Template) secDBSecrets() map[string]bool {
	out := map[string]bool{}
	for _, a := range t.OfType("AWS::SecretsManager::SecretTargetAttachment") {
		if id := refTarget(a.Properties["SecretId"]); id != "" {
			out[id] = true
		}
	}
	for _, r := range t.secDatabases() {
		for _, s := range stringsIn(r.Properties["MasterUserPassword"]) {
			for _, v := range subVars(s) {
				if res, ok := t.Resource(v); ok && res.Type == "AWS::SecretsManager::Secret" {
					out[v] = true
				}
			}
		}
	}
	return out
}

func secRotation(t *Template) []Finding {
	rotated := map[string]bool{}
	for _, r := range t.OfType("AWS::SecretsManager::RotationSchedule") {
		rotated[refTarget(r.Properties["SecretId"])] = true
	}
	ids := keys(t.secDBSecrets())
	sort.Strings(ids)
	var out []Finding
	for _, id := range ids {
		if r, ok := t.Resource(id); ok && !rotated[id] {
			out = append(out, at(r, "", "database secret %s has no rotation schedule", id))
		}
	}
	return out
}

// --- IAM ---

// secPolicyDocs lists every IAM policy document of the template with its
// resource and path.
type secDoc struct {
	owner Resource
	prop  string
	doc   any
}

func (t *Template) secPolicyDocs() []secDoc {
	var out []secDoc
	for _, r := range t.Resources() {
		switch r.Type {
		case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
			list, _ := r.Properties["Policies"].([]any)
			for i, p := range list {
				pm, _ := p.(map[string]any)
				out = append(out, secDoc{r, fmt.Sprintf("Policies/%d/PolicyDocument", i), pm["PolicyDocument"]})
			}
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy":
			out = append(out, secDoc{r, "PolicyDocument", r.Properties["PolicyDocument"]})
		}
	}
	return out
}

func secAllows(st map[string]any) bool {
	e, _ := literal(st["Effect"])
	return e == "Allow"
}

func secStarAction(t *Template) []Finding {
	var out []Finding
	for _, d := range t.secPolicyDocs() {
		for i, st := range statementsOf(d.doc) {
			if !secAllows(st) {
				continue
			}
			prop := fmt.Sprintf("%s/Statement/%d", d.prop, i)
			if _, ok := st["NotAction"]; ok {
				out = append(out, at(d.owner, prop, "%s allows NotAction: every action but the listed ones", d.owner.ID))
				continue
			}
			for _, a := range secStrings(st["Action"]) {
				switch svc, act, _ := strings.Cut(a, ":"); {
				case a == "*" || a == "*:*":
					out = append(out, at(d.owner, prop, "%s allows Action '*'", d.owner.ID))
				case act == "*":
					out = append(out, at(d.owner, prop, "%s allows every %s action (%s)", d.owner.ID, svc, a))
				}
			}
		}
	}
	return out
}

// secNoResourceActions are actions that take no resource ARN, so Resource
// '*' is the only possible value (service authorization reference:
// "Resource types" column empty).
var secNoResourceActions = map[string]bool{
	"ecr:getauthorizationtoken":        true,
	"logs:describeloggroups":           true,
	"cloudwatch:putmetricdata":         true,
	"cloudwatch:getmetricdata":         true,
	"cloudwatch:listmetrics":           true,
	"xray:puttracesegments":            true,
	"xray:puttelemetryrecords":         true,
	"ec2:describeinstances":            true,
	"ec2:describetags":                 true,
	"ec2:describenetworkinterfaces":    true,
	"ecs:createcluster":                true,
	"ecs:discoverpollendpoint":         true,
	"ssm:describeparameters":           true,
	"secretsmanager:listsecrets":       true,
	"sts:getcalleridentity":            true,
	"kms:listaliases":                  true,
	"s3:listallmybuckets":              true,
	"ssmmessages:createcontrolchannel": true,
	"ssmmessages:createdatachannel":    true,
	"ssmmessages:opencontrolchannel":   true,
	"ssmmessages:opendatachannel":      true,
	"ec2messages:acknowledgemessage":   true,
	"ec2messages:deletemessage":        true,
	"ec2messages:failmessage":          true,
	"ec2messages:getendpoint":          true,
	"ec2messages:getmessages":          true,
	"ec2messages:sendreply":            true,
}

// secWildcardARN reports whether a resource names everything: '*', or an
// ARN whose account or whole resource part is '*' (arn:aws:iam::*:*,
// arn:aws:s3:::*).
func secWildcardARN(r string) bool {
	if r == "*" {
		return true
	}
	parts := strings.SplitN(r, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return false
	}
	return parts[4] == "*" || parts[5] == "*"
}

func secStarResource(t *Template) []Finding {
	var out []Finding
	for _, d := range t.secPolicyDocs() {
		for i, st := range statementsOf(d.doc) {
			wild := ""
			for _, r := range secStrings(st["Resource"]) {
				if secWildcardARN(r) {
					wild = r
					break
				}
			}
			if !secAllows(st) || wild == "" {
				continue
			}
			var scoped []string
			for _, a := range secStrings(st["Action"]) {
				if !secNoResourceActions[strings.ToLower(a)] {
					scoped = append(scoped, a)
				}
			}
			if len(scoped) > 0 {
				out = append(out, at(d.owner, fmt.Sprintf("%s/Statement/%d/Resource", d.prop, i),
					"%s allows %s on Resource '%s' although they take resource ARNs", d.owner.ID, strings.Join(scoped, ", "), wild))
			}
		}
	}
	return out
}

// secManagedPolicyNames returns the AWS managed policy names a role
// attaches (arn:...:iam::aws:policy/[path/]Name), with their index.
func secManagedPolicyNames(r Resource) []string {
	var out []string
	list, _ := r.Properties["ManagedPolicyArns"].([]any)
	for _, e := range list {
		for _, s := range stringsIn(e) {
			if i := strings.Index(s, ":iam::aws:policy/"); i >= 0 {
				name := s[i+len(":iam::aws:policy/"):]
				out = append(out, name[strings.LastIndex(name, "/")+1:])
			}
		}
	}
	return out
}

var secAdminPolicyNames = map[string]bool{"AdministratorAccess": true, "PowerUserAccess": true, "IAMFullAccess": true}

func secAdminPolicies(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType("AWS::IAM::Role") {
		for _, name := range secManagedPolicyNames(r) {
			if secAdminPolicyNames[name] || strings.HasSuffix(name, "FullAccess") {
				out = append(out, at(r, "ManagedPolicyArns", "%s attaches %s", r.ID, name))
			}
		}
	}
	return out
}

// secStandardPolicies are the AWS managed policies that AWS documents as the
// standard for a role trusted by a service.
var secStandardPolicies = map[string][]string{
	"ec2.amazonaws.com":            {"AmazonEC2ContainerServiceforEC2Role", "AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"},
	"ecs-tasks.amazonaws.com":      {"AmazonECSTaskExecutionRolePolicy"},
	"monitoring.rds.amazonaws.com": {"AmazonRDSEnhancedMonitoringRole"},
	"lambda.amazonaws.com":         {"AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole"},
}

// secTrusted lists the service principals a role's trust policy names.
func secTrusted(r Resource) []string {
	var out []string
	for _, st := range statementsOf(r.Properties["AssumeRolePolicyDocument"]) {
		p, _ := st["Principal"].(map[string]any)
		out = append(out, secStrings(p["Service"])...)
	}
	return out
}

func secManagedPolicies(t *Template) []Finding {
	var out []Finding
	for _, r := range t.OfType("AWS::IAM::Role") {
		allowed := map[string]bool{}
		for _, svc := range secTrusted(r) {
			for _, p := range secStandardPolicies[svc] {
				allowed[p] = true
			}
		}
		for _, name := range secManagedPolicyNames(r) {
			if !allowed[name] && !secAdminPolicyNames[name] && !strings.HasSuffix(name, "FullAccess") {
				out = append(out, at(r, "ManagedPolicyArns", "%s attaches %s, not a standard policy for the services it trusts (%s)", r.ID, name, strings.Join(secTrusted(r), ", ")))
			}
		}
	}
	return out
}

// --- EC2 and ECS ---

func secEBSEncrypted(t *Template) []Finding {
	var out []Finding
	check := func(r Resource, prefix string, bdms any) {
		list, _ := bdms.([]any)
		for i, e := range list {
			m, _ := e.(map[string]any)
			ebs, ok := m["Ebs"].(map[string]any)
			if !ok {
				continue
			}
			if v := ebs["Encrypted"]; !truthy(v) {
				if _, _, isFn := fn(v); isFn {
					continue
				}
				out = append(out, at(r, fmt.Sprintf("%sBlockDeviceMappings/%d/Ebs", prefix, i), "%s has an unencrypted EBS volume", r.ID))
			}
		}
	}
	for _, r := range t.Resources() {
		switch r.Type {
		case "AWS::EC2::Instance":
			check(r, "", r.Properties["BlockDeviceMappings"])
		case computeLTType, computeLCType:
			data, prefix := computeData(r)
			check(r, prefix, data["BlockDeviceMappings"])
		case "AWS::EC2::Volume":
			if _, _, isFn := fn(r.Properties["Encrypted"]); !isFn && !truthy(r.Properties["Encrypted"]) {
				out = append(out, at(r, "Encrypted", "volume %s is not encrypted", r.ID))
			}
		}
	}
	return out
}

func secPublicIP(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		var nis any
		prefix := ""
		switch r.Type {
		case "AWS::EC2::Instance":
			nis = r.Properties["NetworkInterfaces"]
		case computeLTType:
			var data map[string]any
			data, prefix = computeData(r)
			nis = data["NetworkInterfaces"]
		case computeLCType:
			if mayBeTrue(r.Properties["AssociatePublicIpAddress"]) {
				out = append(out, at(r, "AssociatePublicIpAddress", "%s gives instances a public IP", r.ID))
			}
			continue
		case "AWS::ECS::Service":
			nc, _ := r.Properties["NetworkConfiguration"].(map[string]any)
			vpc, _ := nc["AwsvpcConfiguration"].(map[string]any)
			if s, _ := literal(vpc["AssignPublicIp"]); s == "ENABLED" {
				out = append(out, at(r, "NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp", "service %s gives its tasks public IPs", r.ID))
			}
			continue
		case "AWS::EC2::Subnet":
			if mayBeTrue(r.Properties["MapPublicIpOnLaunch"]) {
				out = append(out, at(r, "MapPublicIpOnLaunch", "subnet %s gives every instance launched in it a public IP", r.ID))
			}
			continue
		default:
			continue
		}
		list, _ := nis.([]any)
		for i, e := range list {
			m, _ := e.(map[string]any)
			if mayBeTrue(m["AssociatePublicIpAddress"]) {
				out = append(out, at(r, fmt.Sprintf("%sNetworkInterfaces/%d/AssociatePublicIpAddress", prefix, i), "%s gets a public IP address", r.ID))
			}
		}
	}
	return out
}

func secContainerInsights(t *Template) []Finding {
	var out []Finding
	for _, c := range t.OfType("AWS::ECS::Cluster") {
		on := false
		list, _ := c.Properties["ClusterSettings"].([]any)
		for _, e := range list {
			m, _ := e.(map[string]any)
			if n, _ := literal(m["Name"]); n == "containerInsights" {
				v, ok := literal(m["Value"])
				on = !ok || v == "enabled" || v == "enhanced"
			}
		}
		if !on {
			out = append(out, at(c, "ClusterSettings", "cluster %s does not enable Container Insights", c.ID))
		}
	}
	return out
}

// secContainers calls f for every container definition of every task
// definition.
func (t *Template) secContainers(f func(td Resource, i int, c map[string]any)) {
	for _, td := range t.OfType("AWS::ECS::TaskDefinition") {
		list, _ := td.Properties["ContainerDefinitions"].([]any)
		for i, e := range list {
			if c, ok := e.(map[string]any); ok {
				f(td, i, c)
			}
		}
	}
}

func secContainerName(c map[string]any, i int) string {
	if n, ok := literal(c["Name"]); ok {
		return n
	}
	return fmt.Sprintf("#%d", i)
}

func secContainerLogs(t *Template) []Finding {
	var out []Finding
	t.secContainers(func(td Resource, i int, c map[string]any) {
		if _, ok := c["LogConfiguration"]; !ok {
			out = append(out, at(td, fmt.Sprintf("ContainerDefinitions/%d", i), "container %s of %s has no LogConfiguration", secContainerName(c, i), td.ID))
		}
	})
	return out
}

func secPrivileged(t *Template) []Finding {
	var out []Finding
	t.secContainers(func(td Resource, i int, c map[string]any) {
		if mayBeTrue(c["Privileged"]) {
			out = append(out, at(td, fmt.Sprintf("ContainerDefinitions/%d/Privileged", i), "container %s of %s is privileged", secContainerName(c, i), td.ID))
		}
	})
	return out
}

// --- queues, topics, logs, VPC ---

func secQueueEncrypted(t *Template) []Finding {
	var out []Finding
	for _, q := range t.OfType("AWS::SQS::Queue") {
		if _, kms := q.Properties["KmsMasterKeyId"]; kms {
			continue
		}
		v, ok := q.Properties["SqsManagedSseEnabled"]
		switch {
		case !ok:
			// New queues get SSE-SQS by default (October 2022).
			f := at(q, "", "queue %s states neither SqsManagedSseEnabled nor KmsMasterKeyId: it relies on the default encryption of new queues (SSE-SQS)", q.ID)
			f.Severity = Warning
			out = append(out, f)
		case !mayBeTrue(v):
			out = append(out, at(q, "SqsManagedSseEnabled", "queue %s turns encryption off (SqsManagedSseEnabled false, no KmsMasterKeyId)", q.ID))
		}
	}
	return out
}

func secFlowLogs(t *Template) []Finding {
	logged := map[string]bool{}
	for _, f := range t.OfType("AWS::EC2::FlowLog") {
		for _, id := range references(f.Properties["ResourceId"]) {
			logged[id] = true
		}
	}
	var out []Finding
	for _, v := range t.OfType("AWS::EC2::VPC") {
		if !logged[v.ID] {
			out = append(out, at(v, "", "VPC %s has no flow log", v.ID))
		}
	}
	return out
}
