package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Integration rules: SQS dead-letter queues, CloudWatch alarms and the SNS
// topics they notify.
var integrationRuleSet = []Rule{
	{ID: "D550", Severity: Warning, Title: "dead-letter queues keep messages longer than their source queues",
		Fix: "give the dead-letter queue a MessageRetentionPeriod longer than its source queue's (up to 1209600 s, 14 days)", Check: checkDLQRetention},
	{ID: "D551", Severity: Error, Title: "redrive policies name a dead-letter queue by ARN with a maxReceiveCount of 1-1000",
		Fix: "write RedrivePolicy as {deadLetterTargetArn: !GetAtt DLQ.Arn, maxReceiveCount: 1-1000 (5 is usual)}", Check: checkRedrive},
	{ID: "D552", Severity: Error, Title: "alarms watch metrics and dimensions that exist for their target",
		Fix: "use a metric the namespace publishes, with the dimensions and values it is published under", Check: checkAlarmMetrics},
	{ID: "D553", Severity: Error, Title: "alarm thresholds are reachable",
		Fix: "set a threshold the metric can reach (percentages stay within 0-100; serverless capacity within the cluster's MinCapacity-MaxCapacity)", Check: checkAlarmThresholds},
	{ID: "D554", Severity: Error, Title: "alarm topics are not encrypted with the AWS managed SNS key",
		Fix: "encrypt the topic with a customer managed KMS key whose policy lets cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*, or leave it unencrypted", Check: checkAlarmTopicKeys},
	{ID: "D555", Severity: Warning, Title: "alarms notify someone",
		Fix: "give every alarm TreatMissingData and an AlarmActions topic, and subscribe someone (an email parameter) to the topic", Check: checkAlarmNotifications},
	{ID: "D556", Severity: Warning, Title: "dead-letter queues have an alarm", Profile: ProfileBackend,
		Fix: "add an AWS::CloudWatch::Alarm on AWS/SQS ApproximateNumberOfMessagesVisible with Dimensions QueueName: !GetAtt <DLQ>.QueueName, threshold 0, GreaterThanThreshold, and an SNS action", Check: checkDLQAlarm},
	{ID: "D557", Severity: Error, Title: "outputs give the backend's users what they connect to", Profile: ProfileBackend,
		Fix: "add an output per endpoint: load balancer DNS name, database or proxy endpoint, database secret, queue URLs, repository URIs, cluster name, bastion address", Check: checkBackendOutputs},
}

const (
	sqsRetentionDefault = 345600  // 4 days
	sqsRetentionMax     = 1209600 // 14 days
)

// sqsPolicy returns a JSON-typed property as a mapping: written as a mapping
// in the template, or as a JSON string. ok is false when it is absent or an
// intrinsic.
func sqsPolicy(v any) (map[string]any, bool) {
	switch x := v.(type) {
	case map[string]any:
		if _, _, isFn := fn(x); isFn {
			return nil, false
		}
		return x, true
	case string:
		// Numbers stay json.Number, as in parsed templates.
		dec := json.NewDecoder(strings.NewReader(x))
		dec.UseNumber()
		var m map[string]any
		if dec.Decode(&m) == nil && m != nil {
			return m, true
		}
	}
	return nil, false
}

// sqsRetention returns a queue's literal MessageRetentionPeriod, or the
// default when it is not set; ok is false when it is an intrinsic.
func sqsRetention(q Resource) (secs float64, isDefault, ok bool) {
	v, set := q.Properties["MessageRetentionPeriod"]
	if !set {
		return sqsRetentionDefault, true, true
	}
	n, ok := number(v)
	return n, false, ok
}

func retentionText(s float64, isDefault bool) string {
	var notes []string
	if days := s / 86400; days == math.Trunc(days) && days > 0 {
		unit := "days"
		if days == 1 {
			unit = "day"
		}
		notes = append(notes, strconv.FormatFloat(days, 'f', -1, 64)+" "+unit)
	}
	if isDefault {
		notes = append(notes, "the default")
	}
	out := strconv.FormatFloat(s, 'f', -1, 64) + " s"
	if len(notes) > 0 {
		out += " (" + strings.Join(notes, ", ") + ")"
	}
	return out
}

// sqsDeadLetterQueue returns the queue of the template that a queue's
// RedrivePolicy names, by Ref or GetAtt, with the attribute used ("" for
// Ref).
func (t *Template) sqsDeadLetterQueue(q Resource) (Resource, string, bool) {
	policy, ok := sqsPolicy(q.Properties["RedrivePolicy"])
	if !ok {
		return Resource{}, "", false
	}
	target := policy["deadLetterTargetArn"]
	id := refTarget(target)
	dlq, ok := t.Resource(id)
	if !ok || dlq.Type != "AWS::SQS::Queue" || dlq.ID == q.ID {
		return Resource{}, "", false
	}
	attr := ""
	if f, a, _ := fn(target); f == "Fn::GetAtt" {
		_, attr, _ = getAttParts(a)
	}
	return dlq, attr, true
}

func checkDLQRetention(t *Template) []Finding {
	var out []Finding
	for _, q := range t.OfType("AWS::SQS::Queue") {
		dlq, attr, ok := t.sqsDeadLetterQueue(q)
		if !ok || attr == "" {
			continue
		}
		src, srcDefault, ok1 := sqsRetention(q)
		dl, dlDefault, ok2 := sqsRetention(dlq)
		if !ok1 || !ok2 || dl > src {
			continue
		}
		prop := ""
		if _, set := dlq.Properties["MessageRetentionPeriod"]; set {
			prop = "MessageRetentionPeriod"
		}
		f := at(dlq, prop, "dead-letter queue %s keeps messages %s, not longer than its source queue %s, %s: a message keeps its original enqueue time when it moves, so it expires in %s before anyone can look at it",
			dlq.ID, retentionText(dl, dlDefault), q.ID, retentionText(src, srcDefault), dlq.ID)
		if src >= sqsRetentionMax {
			f.Fix = fmt.Sprintf("lower %s's MessageRetentionPeriod below %s's: a queue keeps messages at most 1209600 s (14 days)", q.ID, dlq.ID)
		}
		out = append(out, f)
	}
	return out
}

func checkRedrive(t *Template) []Finding {
	var out []Finding
	warned := map[string]bool{}
	for _, q := range t.OfType("AWS::SQS::Queue") {
		raw, set := q.Properties["RedrivePolicy"]
		if !set {
			continue
		}
		policy, ok := sqsPolicy(raw)
		if !ok {
			if _, isStr := raw.(string); isStr {
				out = append(out, at(q, "RedrivePolicy", "RedrivePolicy of %s is not valid JSON", q.ID))
			}
			continue
		}
		if mrc, set := policy["maxReceiveCount"]; !set {
			out = append(out, at(q, "RedrivePolicy", "RedrivePolicy of %s has no maxReceiveCount: SQS refuses the policy", q.ID))
		} else if n, ok := number(mrc); ok && (n < 1 || n > 1000 || n != math.Trunc(n)) {
			out = append(out, at(q, "RedrivePolicy/maxReceiveCount", "RedrivePolicy of %s has maxReceiveCount %v, outside 1-1000", q.ID, mrc))
		} else if !ok {
			if _, isLit := literal(mrc); isLit {
				out = append(out, at(q, "RedrivePolicy/maxReceiveCount", "RedrivePolicy of %s has maxReceiveCount %s, not a number", q.ID, describe(mrc)))
			}
		}
		target, set := policy["deadLetterTargetArn"]
		if !set {
			out = append(out, at(q, "RedrivePolicy", "RedrivePolicy of %s has no deadLetterTargetArn", q.ID))
			continue
		}
		id := refTarget(target)
		dlq, ok := t.Resource(id)
		if !ok || dlq.Type != "AWS::SQS::Queue" {
			continue
		}
		if dlq.ID == q.ID {
			out = append(out, at(q, "RedrivePolicy/deadLetterTargetArn", "%s names itself as its dead-letter queue", q.ID))
			continue
		}
		f, a, _ := fn(target)
		_, attr, _ := getAttParts(a)
		switch {
		case f == "Ref":
			g := at(q, "RedrivePolicy/deadLetterTargetArn", "deadLetterTargetArn of %s is !Ref %s, the queue URL, not its ARN", q.ID, dlq.ID)
			g.Fix = fmt.Sprintf("use !GetAtt %s.Arn", dlq.ID)
			out = append(out, g)
			continue
		case f == "Fn::GetAtt" && attr != "Arn":
			g := at(q, "RedrivePolicy/deadLetterTargetArn", "deadLetterTargetArn of %s is !GetAtt %s.%s, not the queue's ARN", q.ID, dlq.ID, attr)
			g.Fix = fmt.Sprintf("use !GetAtt %s.Arn", dlq.ID)
			out = append(out, g)
			continue
		}
		rap, hasRAP := dlq.Properties["RedriveAllowPolicy"]
		if !hasRAP {
			if !warned[dlq.ID] {
				warned[dlq.ID] = true
				g := at(dlq, "", "dead-letter queue %s has no RedriveAllowPolicy: any queue of the account may send its failures there", dlq.ID)
				g.Severity = Warning
				g.Fix = fmt.Sprintf("add RedriveAllowPolicy {redrivePermission: byQueue, sourceQueueArns: [the ARN of %s]}", q.ID)
				out = append(out, g)
			}
			continue
		}
		if p, ok := sqsPolicy(rap); ok {
			if s, ok := literal(p["redrivePermission"]); ok && s == "denyAll" {
				g := at(dlq, "RedriveAllowPolicy/redrivePermission", "dead-letter queue %s denies every source queue (redrivePermission denyAll), yet %s redrives to it: SQS refuses the RedrivePolicy", dlq.ID, q.ID)
				g.Fix = fmt.Sprintf("set redrivePermission to byQueue with %s's ARN in sourceQueueArns", q.ID)
				out = append(out, g)
			}
		}
	}
	return out
}

// Metric tables. Each metric lists the ways it is published: the dimension
// names it may be filtered by and those it needs.
type alarmMetricVariant struct {
	dims     []string
	required []string
}

type alarmMetricSpec struct {
	variants []alarmMetricVariant
	engine   int // alarmEngineAny, alarmAuroraOnly, alarmRDSOnly (AWS/RDS)
	percent  bool
}

const (
	alarmEngineAny = iota
	alarmAuroraOnly
	alarmRDSOnly
	alarmServerlessOnly
)

var (
	alarmRDSDims        = []string{"DBInstanceIdentifier", "DBClusterIdentifier", "Role", "DatabaseClass", "EngineName"}
	alarmRDSClusterDims = []string{"DBClusterIdentifier", "EngineName", "SourceRegion"}
	alarmProxyDims      = []string{"ProxyName", "Target", "TargetGroup", "TargetRole", "Endpoint"}
	alarmALBDims        = []string{"LoadBalancer", "AvailabilityZone"}
	alarmALBTargetDims  = []string{"LoadBalancer", "TargetGroup", "AvailabilityZone"}
)

var alarmMetricTables = func() map[string]map[string]alarmMetricSpec {
	tables := map[string]map[string]alarmMetricSpec{}
	add := func(ns string, v alarmMetricVariant, engine int, percent bool, names string) {
		if tables[ns] == nil {
			tables[ns] = map[string]alarmMetricSpec{}
		}
		for _, n := range strings.Fields(names) {
			s := tables[ns][n]
			s.variants = append(s.variants, v)
			if engine != alarmEngineAny {
				s.engine = engine
			}
			s.percent = s.percent || percent
			tables[ns][n] = s
		}
	}
	rds := alarmMetricVariant{dims: alarmRDSDims}
	add("AWS/RDS", rds, alarmEngineAny, true, "CPUUtilization")
	add("AWS/RDS", rds, alarmEngineAny, false, `DatabaseConnections FreeableMemory ReadIOPS WriteIOPS ReadLatency WriteLatency
		ReadThroughput WriteThroughput NetworkReceiveThroughput NetworkTransmitThroughput NetworkThroughput DiskQueueDepth
		SwapUsage BurstBalance CPUCreditUsage CPUCreditBalance CPUSurplusCreditBalance CPUSurplusCreditsCharged
		EBSByteBalance% EBSIOBalance% BinLogDiskUsage CheckpointLag ConnectionAttempts FailedSQLServerAgentJobsCount
		MaximumUsedTransactionIDs OldestReplicationSlotLag OldestLogicalReplicationSlotLag ReplicationSlotDiskUsage
		ReplicaLag TransactionLogsDiskUsage TransactionLogsGeneration DBLoad DBLoadCPU DBLoadNonCPU DBLoadRelativeToNumVCPUs
		ReadIOPSLocalStorage WriteIOPSLocalStorage ReadLatencyLocalStorage WriteLatencyLocalStorage
		ReadThroughputLocalStorage WriteThroughputLocalStorage TempDbAvailableDataSpace TempDbAvailableLogSpace
		TempDbDataFileUsage TempDbLogFileUsage`)
	add("AWS/RDS", rds, alarmRDSOnly, false, "FreeStorageSpace")
	add("AWS/RDS", rds, alarmAuroraOnly, false, "FreeLocalStorage")
	add("AWS/RDS", rds, alarmServerlessOnly, true, "ACUUtilization")
	add("AWS/RDS", rds, alarmServerlessOnly, false, "ServerlessDatabaseCapacity")
	add("AWS/RDS", rds, alarmAuroraOnly, false, `AbortedClients ActiveTransactions AuroraBinlogReplicaLag AuroraReplicaLag
		AuroraReplicaLagMaximum AuroraReplicaLagMinimum AuroraSlowConnectionHandleCount AuroraSlowHandshakeCount
		AuroraEstimatedSharedMemoryBytes AuroraMemoryHealthState AuroraMemoryNumDeclinedSqlTotal AuroraMemoryNumKillConnTotal
		AuroraMemoryNumKillQueryTotal AuroraOptimizedReadsCacheHitRatio BacktrackWindowActual BacktrackWindowAlert
		BlockedTransactions BufferCacheHitRatio CommitLatency CommitThroughput DDLLatency DDLThroughput Deadlocks
		DeleteLatency DeleteThroughput DMLLatency DMLThroughput EngineUptime InsertLatency InsertThroughput LoginFailures
		NumBinaryLogFiles PurgeBoundary PurgeFinishedPoint Queries RDSToAuroraPostgreSQLReplicaLag ResultSetCacheHitRatio
		RollbackSegmentHistoryListLength RowLockTime SelectLatency SelectThroughput StorageNetworkReceiveThroughput
		StorageNetworkThroughput StorageNetworkTransmitThroughput SumBinaryLogSize TempStorageIOPS TempStorageThroughput
		TruncateFinishedPoint UpdateLatency UpdateThroughput ReadIOPSEphemeralStorage WriteIOPSEphemeralStorage
		ReadLatencyEphemeralStorage WriteLatencyEphemeralStorage ReadThroughputEphemeralStorage WriteThroughputEphemeralStorage
		FreeEphemeralStorage`)
	add("AWS/RDS", alarmMetricVariant{dims: alarmRDSClusterDims}, alarmAuroraOnly, false, `VolumeBytesUsed VolumeReadIOPs VolumeWriteIOPs
		AuroraVolumeBytesLeftTotal BackupRetentionPeriodStorageUsed SnapshotStorageUsed TotalBackupStorageBilled
		BacktrackChangeRecordsCreationRate BacktrackChangeRecordsStored AuroraGlobalDBDataTransferBytes
		AuroraGlobalDBProgressLag AuroraGlobalDBReplicatedWriteIO AuroraGlobalDBReplicationLag AuroraGlobalDBRPOLag`)
	add("AWS/RDS", alarmMetricVariant{dims: alarmProxyDims, required: []string{"ProxyName"}}, alarmEngineAny, false, `AvailabilityPercentage
		ClientConnections ClientConnectionsClosed ClientConnectionsNoTLS ClientConnectionsReceived
		ClientConnectionsSetupFailedAuth ClientConnectionsSetupSucceeded ClientConnectionsTLS DatabaseConnectionRequests
		DatabaseConnectionRequestsWithTLS DatabaseConnections DatabaseConnectionsBorrowLatency
		DatabaseConnectionsCurrentlyBorrowed DatabaseConnectionsCurrentlyInTransaction
		DatabaseConnectionsCurrentlySessionPinned DatabaseConnectionsSetupFailed DatabaseConnectionsSetupSucceeded
		DatabaseConnectionsWithTLS MaxDatabaseConnectionsAllowed QueryDatabaseResponseLatency QueryRequests
		QueryRequestsNoTLS QueryRequestsTLS QueryResponseLatency`)

	add("AWS/SQS", alarmMetricVariant{dims: []string{"QueueName"}, required: []string{"QueueName"}}, alarmEngineAny, false,
		`ApproximateAgeOfOldestMessage ApproximateNumberOfGroupsWithInflightMessages ApproximateNumberOfMessagesDelayed
		ApproximateNumberOfMessagesNotVisible ApproximateNumberOfMessagesVisible NumberOfDeduplicatedSentMessages
		NumberOfEmptyReceives NumberOfMessagesDeleted NumberOfMessagesReceived NumberOfMessagesSent SentMessageSize`)

	add("AWS/ApplicationELB", alarmMetricVariant{dims: alarmALBDims, required: []string{"LoadBalancer"}}, alarmEngineAny, false,
		`ActiveConnectionCount AnomalousHostCount ClientTLSNegotiationErrorCount ConsumedLCUs PeakLCUs
		DesyncMitigationMode_NonCompliant_Request_Count DroppedInvalidHeaderRequestCount ForwardedInvalidHeaderRequestCount
		HTTP_Fixed_Response_Count HTTP_Redirect_Count HTTP_Redirect_Url_Limit_Exceeded_Count HTTPCode_ELB_3XX_Count
		HTTPCode_ELB_4XX_Count HTTPCode_ELB_5XX_Count HTTPCode_ELB_500_Count HTTPCode_ELB_502_Count HTTPCode_ELB_503_Count
		HTTPCode_ELB_504_Count IPv6ProcessedBytes IPv6RequestCount NewConnectionCount NonStickyRequestCount ProcessedBytes
		RejectedConnectionCount RuleEvaluations ELBAuthError ELBAuthFailure ELBAuthLatency ELBAuthRefreshTokenSuccess
		ELBAuthSuccess ELBAuthUserClaimsSizeExceeded`)
	add("AWS/ApplicationELB", alarmMetricVariant{dims: alarmALBTargetDims, required: []string{"LoadBalancer"}}, alarmEngineAny, false,
		`RequestCount GrpcRequestCount HTTPCode_Target_2XX_Count HTTPCode_Target_3XX_Count HTTPCode_Target_4XX_Count
		HTTPCode_Target_5XX_Count TargetConnectionErrorCount TargetResponseTime TargetTLSNegotiationErrorCount
		LambdaInternalError LambdaTargetProcessedBytes LambdaUserError`)
	add("AWS/ApplicationELB", alarmMetricVariant{dims: alarmALBTargetDims, required: []string{"TargetGroup"}}, alarmEngineAny, false,
		`RequestCountPerTarget`)
	add("AWS/ApplicationELB", alarmMetricVariant{dims: alarmALBTargetDims, required: []string{"TargetGroup", "LoadBalancer"}}, alarmEngineAny, false,
		`HealthyHostCount UnHealthyHostCount HealthyStateDNS HealthyStateRouting UnhealthyStateDNS UnhealthyStateRouting
		UnhealthyRoutingRequestCount MitigatedHostCount`)

	add("AWS/ECS", alarmMetricVariant{dims: []string{"ClusterName", "ServiceName"}, required: []string{"ClusterName"}}, alarmEngineAny, true,
		"CPUUtilization MemoryUtilization")
	add("AWS/ECS", alarmMetricVariant{dims: []string{"ClusterName", "ServiceName"}, required: []string{"ClusterName", "ServiceName"}}, alarmEngineAny, true,
		"EBSFilesystemUtilization")
	add("AWS/ECS", alarmMetricVariant{dims: []string{"ClusterName", "CapacityProviderName"}, required: []string{"ClusterName"}}, alarmEngineAny, true,
		"CPUReservation MemoryReservation GPUReservation")
	return tables
}()

// alarmDimensionTargets says which resource a dimension names and how its value
// is obtained from it.
var alarmDimensionTargets = map[string]struct {
	typ, attr, what string // attr "" means Ref
}{
	"DBInstanceIdentifier": {"AWS::RDS::DBInstance", "", "DB instance identifier"},
	"DBClusterIdentifier":  {"AWS::RDS::DBCluster", "", "DB cluster identifier"},
	"ProxyName":            {"AWS::RDS::DBProxy", "", "proxy name"},
	"QueueName":            {"AWS::SQS::Queue", "QueueName", "queue name"},
	"LoadBalancer":         {"AWS::ElasticLoadBalancingV2::LoadBalancer", "LoadBalancerFullName", "load balancer's full name (app/name/id)"},
	"TargetGroup":          {"AWS::ElasticLoadBalancingV2::TargetGroup", "TargetGroupFullName", "target group's full name (targetgroup/name/id)"},
	"ClusterName":          {"AWS::ECS::Cluster", "", "cluster name"},
	"ServiceName":          {"AWS::ECS::Service", "Name", "service name"},
}

// alarmRefGives describes what a Ref of a resource type returns, for messages.
var alarmRefGives = map[string]string{
	"AWS::SQS::Queue": "the queue URL",
	"AWS::ElasticLoadBalancingV2::LoadBalancer": "the load balancer ARN",
	"AWS::ElasticLoadBalancingV2::TargetGroup":  "the target group ARN",
	"AWS::ECS::Service":                         "the service ARN",
}

type alarmDim struct {
	name  string
	value any
	index int
}

// alarmMetric reads an alarm's literal namespace, metric name and
// dimensions; ok is false for metric math alarms and intrinsic values.
func alarmMetric(a Resource) (ns, metric string, dims []alarmDim, ok bool) {
	if _, metricMath := a.Properties["Metrics"]; metricMath {
		return "", "", nil, false
	}
	ns, ok1 := a.Properties["Namespace"].(string)
	metric, ok2 := a.Properties["MetricName"].(string)
	if !ok1 || !ok2 {
		return "", "", nil, false
	}
	raw, set := a.Properties["Dimensions"]
	if !set {
		return ns, metric, nil, true
	}
	list, isList := raw.([]any)
	if !isList {
		return "", "", nil, false
	}
	for i, e := range list {
		m, isMap := e.(map[string]any)
		if !isMap {
			return "", "", nil, false
		}
		if _, _, isFn := fn(m); isFn {
			return "", "", nil, false
		}
		name, isStr := m["Name"].(string)
		if !isStr {
			return "", "", nil, false
		}
		dims = append(dims, alarmDim{name, m["Value"], i})
	}
	return ns, metric, dims, true
}

// alarmDimResource returns the resource of the template an alarm dimension's
// value references, with how (Ref, or the GetAtt attribute).
func (t *Template) alarmDimResource(v any) (Resource, string, bool) {
	f, a, ok := fn(v)
	if !ok || (f != "Ref" && f != "Fn::GetAtt") {
		return Resource{}, "", false
	}
	r, ok := t.Resource(refTarget(v))
	if !ok {
		return Resource{}, "", false
	}
	attr := ""
	if f == "Fn::GetAtt" {
		_, attr, _ = getAttParts(a)
		if attr == "" {
			return Resource{}, "", false
		}
	}
	return r, attr, true
}

func refForm(id, attr string) string {
	if attr == "" {
		return "!Ref " + id
	}
	return "!GetAtt " + id + "." + attr
}

func auroraResource(r Resource) bool {
	if r.Type == "AWS::RDS::DBInstance" {
		if _, ok := r.Properties["DBClusterIdentifier"]; ok {
			return true
		}
	}
	e, ok := literal(r.Properties["Engine"])
	return ok && strings.HasPrefix(strings.ToLower(e), "aurora")
}

func checkAlarmMetrics(t *Template) []Finding {
	var out []Finding
	for _, a := range t.OfType("AWS::CloudWatch::Alarm") {
		ns, metric, dims, ok := alarmMetric(a)
		if !ok {
			continue
		}
		table, known := alarmMetricTables[ns]
		if !known {
			continue
		}
		spec, known := table[metric]
		if !known {
			out = append(out, at(a, "MetricName", "alarm %s watches %s, which %s does not publish%s", a.ID, metric, ns, suggest(metric, keys(table))))
			continue
		}
		out = append(out, alarmDimensionProblems(a, ns, metric, spec, dims)...)
		for _, d := range dims {
			out = append(out, t.alarmDimensionValue(a, metric, spec, d)...)
		}
	}
	return out
}

// alarmDimensionProblems checks the dimension names against the ways the metric
// is published.
func alarmDimensionProblems(a Resource, ns, metric string, spec alarmMetricSpec, dims []alarmDim) []Finding {
	names := map[string]bool{}
	for _, d := range dims {
		names[d.name] = true
	}
	vocab := map[string]bool{}
	for _, v := range spec.variants {
		for _, n := range v.dims {
			vocab[n] = true
		}
	}
	var out []Finding
	for _, d := range dims {
		if !vocab[d.name] {
			out = append(out, at(a, fmt.Sprintf("Dimensions/%d/Name", d.index), "alarm %s filters %s %s by dimension %s, which it is not published with (dimensions: %s)",
				a.ID, ns, metric, d.name, strings.Join(keys(vocab), ", ")))
		}
	}
	if len(out) > 0 {
		return out
	}
	var missing []string
	for _, v := range spec.variants {
		fits := true
		for _, n := range keys(names) {
			if !contains(v.dims, n) {
				fits = false
			}
		}
		var need []string
		for _, r := range v.required {
			if !names[r] {
				need = append(need, r)
			}
		}
		if fits && len(need) == 0 {
			return nil
		}
		if fits && (missing == nil || len(need) < len(missing)) {
			missing = need
		}
	}
	if missing == nil {
		return []Finding{at(a, "Dimensions", "alarm %s filters %s %s by %s together, a combination it is not published with", a.ID, ns, metric, strings.Join(keys(names), " and "))}
	}
	return []Finding{at(a, "Dimensions", "alarm %s watches %s %s without dimension %s: that metric does not exist, so the alarm never leaves INSUFFICIENT_DATA",
		a.ID, ns, metric, strings.Join(missing, " and "))}
}

// alarmDimensionValue checks that a dimension value referencing a resource of the
// template yields what the dimension holds, and that the resource publishes
// the metric.
func (t *Template) alarmDimensionValue(a Resource, metric string, spec alarmMetricSpec, d alarmDim) []Finding {
	want, known := alarmDimensionTargets[d.name]
	r, attr, ok := t.alarmDimResource(d.value)
	if !known || !ok || !strings.HasPrefix(r.Type, "AWS::") ||
		strings.HasPrefix(r.Type, "AWS::CloudFormation::") || strings.HasPrefix(r.Type, "AWS::Serverless::") {
		return nil
	}
	path := fmt.Sprintf("Dimensions/%d/Value", d.index)
	if r.Type != want.typ {
		f := at(a, path, "alarm %s: dimension %s is %s, an %s, not an %s", a.ID, d.name, refForm(r.ID, attr), r.Type, want.typ)
		switch {
		case d.name == "DBClusterIdentifier" && r.Type == "AWS::RDS::DBInstance":
			if c := refTarget(r.Properties["DBClusterIdentifier"]); c != "" {
				f.Fix = fmt.Sprintf("use !Ref %s, the cluster, or filter by DBInstanceIdentifier", c)
			} else {
				f.Fix = fmt.Sprintf("filter by DBInstanceIdentifier: !Ref %s", r.ID)
			}
		case d.name == "DBInstanceIdentifier" && r.Type == "AWS::RDS::DBCluster":
			f.Fix = fmt.Sprintf("filter by DBClusterIdentifier: !Ref %s", r.ID)
		}
		return []Finding{f}
	}
	if attr != want.attr {
		gives := "the " + attr + " attribute"
		if attr == "" {
			gives = alarmRefGives[r.Type]
		}
		f := at(a, path, "alarm %s: dimension %s is %s, which gives %s, not the %s", a.ID, d.name, refForm(r.ID, attr), gives, want.what)
		f.Fix = "use " + refForm(r.ID, want.attr)
		return []Finding{f}
	}
	var out []Finding
	switch spec.engine {
	case alarmRDSOnly:
		if auroraResource(r) {
			f := at(a, path, "alarm %s watches %s of %s, an Aurora %s: Aurora does not publish %s (its storage is the cluster volume)", a.ID, metric, r.ID, strings.TrimPrefix(r.Type, "AWS::RDS::"), metric)
			f.Fix = "watch FreeLocalStorage of the instance or VolumeBytesUsed of the cluster instead"
			out = append(out, f)
		}
	case alarmAuroraOnly, alarmServerlessOnly:
		if r.Type == "AWS::RDS::DBInstance" && !auroraResource(r) {
			f := at(a, path, "alarm %s watches %s of %s, an RDS instance outside Aurora, which does not publish it", a.ID, metric, r.ID)
			f.Fix = "watch a metric RDS instances publish (CPUUtilization, FreeableMemory, FreeStorageSpace) or point the alarm at an Aurora instance"
			out = append(out, f)
		} else if spec.engine == alarmServerlessOnly && r.Type == "AWS::RDS::DBInstance" {
			if class, ok := literal(r.Properties["DBInstanceClass"]); ok && class != "db.serverless" {
				out = append(out, at(a, path, "alarm %s watches %s of %s, a provisioned %s instance: only Aurora Serverless v2 (db.serverless) instances publish it", a.ID, metric, r.ID, class))
			}
		}
	}
	return out
}

// alarmPercentBounds returns the range of a percentage metric. ECS service-level
// utilization is measured against what the tasks reserve and can exceed 100,
// so it is bounded below only.
func alarmPercentBounds(ns, metric string, dims []alarmDim) (lo, hi float64, ok bool) {
	spec, known := alarmMetricTables[ns][metric]
	switch {
	case ns == "AWS/EC2" && metric == "CPUUtilization":
	case !known || !spec.percent:
		return 0, 0, false
	case ns == "AWS/ECS" && metric != "EBSFilesystemUtilization":
		for _, d := range dims {
			if d.name == "ServiceName" {
				return 0, math.Inf(1), true
			}
		}
	}
	return 0, 100, true
}

// thresholdUnreachable reports whether a comparison can never be true for values in
// [lo, hi].
func thresholdUnreachable(op string, thr, lo, hi float64) bool {
	switch op {
	case "GreaterThanThreshold":
		return thr >= hi
	case "GreaterThanOrEqualToThreshold":
		return thr > hi
	case "LessThanThreshold":
		return thr <= lo
	case "LessThanOrEqualToThreshold":
		return thr < lo
	}
	return false
}

// alarmAuroraCluster returns the DB cluster an alarm's RDS dimensions lead to.
func (t *Template) alarmAuroraCluster(dims []alarmDim) (Resource, bool) {
	for _, d := range dims {
		r, attr, ok := t.alarmDimResource(d.value)
		if !ok || attr != "" {
			continue
		}
		if d.name == "DBInstanceIdentifier" && r.Type == "AWS::RDS::DBInstance" {
			r, ok = t.Resource(refTarget(r.Properties["DBClusterIdentifier"]))
		}
		if ok && r.Type == "AWS::RDS::DBCluster" {
			return r, true
		}
	}
	return Resource{}, false
}

func checkAlarmThresholds(t *Template) []Finding {
	var out []Finding
	for _, a := range t.OfType("AWS::CloudWatch::Alarm") {
		ns, metric, dims, ok := alarmMetric(a)
		if !ok {
			continue
		}
		op, _ := a.Properties["ComparisonOperator"].(string)
		thr, ok := number(a.Properties["Threshold"])
		if !ok || op == "" {
			continue
		}
		if lo, hi, ok := alarmPercentBounds(ns, metric, dims); ok && thresholdUnreachable(op, thr, lo, hi) {
			bounds := "between 0 and 100"
			if math.IsInf(hi, 1) {
				bounds = "never below 0"
			}
			out = append(out, at(a, "Threshold", "alarm %s fires when %s %s is %s %v, but that percentage is %s: the alarm never fires",
				a.ID, ns, metric, comparisonText(op), thr, bounds))
		}
		if ns == "AWS/RDS" && metric == "ServerlessDatabaseCapacity" {
			c, ok := t.alarmAuroraCluster(dims)
			if !ok {
				continue
			}
			for _, cfg := range []string{"ServerlessV2ScalingConfiguration", "ScalingConfiguration"} {
				sc, _ := c.Properties[cfg].(map[string]any)
				lo, okLo := number(sc["MinCapacity"])
				hi, okHi := number(sc["MaxCapacity"])
				if !okLo || (cfg == "ScalingConfiguration" && truthy(sc["AutoPause"])) {
					lo = 0
				}
				if !okHi {
					hi = math.Inf(1)
				}
				if (okLo || okHi) && thresholdUnreachable(op, thr, lo, hi) {
					out = append(out, at(a, "Threshold", "alarm %s fires when ServerlessDatabaseCapacity is %s %v ACUs, but cluster %s scales between %v and %v ACUs (%s): the alarm never fires",
						a.ID, comparisonText(op), thr, c.ID, lo, hi, cfg))
				}
			}
		}
	}
	return out
}

func comparisonText(op string) string {
	switch op {
	case "GreaterThanThreshold":
		return "above"
	case "GreaterThanOrEqualToThreshold":
		return "at least"
	case "LessThanThreshold":
		return "below"
	case "LessThanOrEqualToThreshold":
		return "at most"
	}
	return op
}

var alarmActionLists = []string{"AlarmActions", "OKActions", "InsufficientDataActions"}

// alarmTopics maps each SNS topic of the template to the alarms that notify
// it (by Ref, in any action list, Fn::If branches included).
func (t *Template) alarmTopics() map[string][]string {
	out := map[string][]string{}
	for _, a := range t.OfType("AWS::CloudWatch::Alarm") {
		seen := map[string]bool{}
		for _, p := range alarmActionLists {
			walk(nil, a.Properties[p], func(_ *nodePath, v any) {
				if f, arg, ok := fn(v); ok && f == "Ref" {
					id, _ := arg.(string)
					if r, ok := t.Resource(id); ok && r.Type == "AWS::SNS::Topic" && !seen[id] {
						seen[id] = true
						out[id] = append(out[id], a.ID)
					}
				}
			})
		}
	}
	return out
}

func checkAlarmTopicKeys(t *Template) []Finding {
	var out []Finding
	used := t.alarmTopics()
	for _, id := range keys(used) {
		topic, _ := t.Resource(id)
		for _, s := range stringsIn(topic.Properties["KmsMasterKeyId"]) {
			if s == "alias/aws/sns" || strings.HasSuffix(s, ":alias/aws/sns") {
				out = append(out, at(topic, "KmsMasterKeyId", "topic %s is encrypted with the AWS managed key alias/aws/sns, whose policy CloudWatch cannot use: notifications of %s are dropped silently",
					id, alarmList("alarm", used[id])))
				break
			}
		}
	}
	return out
}

func alarmList(noun string, ids []string) string {
	sort.Strings(ids)
	if len(ids) == 1 {
		return noun + " " + ids[0]
	}
	return noun + "s " + strings.Join(ids, ", ")
}

func checkAlarmNotifications(t *Template) []Finding {
	var out []Finding
	for _, a := range t.OfType("AWS::CloudWatch::Alarm") {
		if _, ok := a.Properties["TreatMissingData"]; !ok {
			f := at(a, "", "alarm %s has no TreatMissingData: with no data points (no traffic, a stopped resource) it goes to INSUFFICIENT_DATA instead of a state you chose", a.ID)
			f.Fix = "set TreatMissingData (notBreaching for error counts, breaching for heartbeats)"
			out = append(out, f)
		}
		actions, set := a.Properties["AlarmActions"]
		if l, isList := actions.([]any); !set || (isList && len(l) == 0) {
			f := at(a, "", "alarm %s has no AlarmActions: it changes state and tells no one", a.ID)
			f.Fix = "add AlarmActions: [!Ref <SNS topic>]"
			out = append(out, f)
		}
	}
	subscribed := map[string]bool{}
	for _, s := range t.OfType("AWS::SNS::Subscription") {
		subscribed[refTarget(s.Properties["TopicArn"])] = true
	}
	used := t.alarmTopics()
	for _, id := range keys(used) {
		topic, _ := t.Resource(id)
		if l, ok := topic.Properties["Subscription"].([]any); ok && len(l) > 0 {
			continue
		}
		if _, _, isFn := fn(topic.Properties["Subscription"]); isFn || subscribed[id] {
			continue
		}
		f := at(topic, "", "topic %s receives the notifications of %s but has no subscription in the template: nobody is notified", id, alarmList("alarm", used[id]))
		f.Fix = fmt.Sprintf("add an AWS::SNS::Subscription to %s (Protocol email, Endpoint from a parameter)", id)
		out = append(out, f)
	}
	return out
}

// D556

// dlqs lists the queues a redrive policy sends messages to.
func (t *Template) dlqs() []Resource {
	var out []Resource
	seen := map[string]bool{}
	for _, q := range t.OfType("AWS::SQS::Queue") {
		policy, ok := sqsPolicy(q.Properties["RedrivePolicy"])
		if !ok {
			continue
		}
		id := refTarget(policy["deadLetterTargetArn"])
		if d, ok := t.Resource(id); ok && d.Type == "AWS::SQS::Queue" && !seen[id] {
			seen[id] = true
			out = append(out, d)
		}
	}
	return out
}

func checkDLQAlarm(t *Template) []Finding {
	watched := map[string]bool{}
	// QueueName dimension values as written, for queues named in the
	// template: an alarm may name the queue as its QueueName property does
	// (a literal, or the same !Sub) instead of !GetAtt Queue.QueueName.
	var names []any
	for _, a := range t.OfType("AWS::CloudWatch::Alarm") {
		if ns, _ := literal(a.Properties["Namespace"]); ns != "AWS/SQS" {
			if _, metrics := a.Properties["Metrics"]; !metrics {
				continue
			}
		}
		for _, id := range references(a.Properties["Dimensions"]) {
			watched[id] = true
		}
		for _, id := range references(a.Properties["Metrics"]) {
			watched[id] = true
		}
		names = append(names, queueNameDimensions(a.Properties["Dimensions"])...)
		metrics, _ := a.Properties["Metrics"].([]any)
		for _, m := range metrics {
			mm, _ := m.(map[string]any)
			stat, _ := mm["MetricStat"].(map[string]any)
			metric, _ := stat["Metric"].(map[string]any)
			names = append(names, queueNameDimensions(metric["Dimensions"])...)
		}
	}
	var out []Finding
	for _, d := range t.dlqs() {
		if name, set := d.Properties["QueueName"]; set && !watched[d.ID] {
			for _, v := range names {
				if reflect.DeepEqual(v, name) {
					watched[d.ID] = true
					break
				}
			}
		}
		if !watched[d.ID] {
			out = append(out, at(d, "", "dead-letter queue %s has no alarm: failed messages pile up there unnoticed", d.ID))
		}
	}
	return out
}

// queueNameDimensions returns the values of the QueueName dimensions in an
// alarm's Dimensions list.
func queueNameDimensions(v any) []any {
	list, _ := v.([]any)
	var out []any
	for _, d := range list {
		m, _ := d.(map[string]any)
		if name, _ := literal(m["Name"]); name == "QueueName" && m["Value"] != nil {
			out = append(out, m["Value"])
		}
	}
	return out
}

// D557

// backendEndpoint is what the backend's users connect to, and the values
// an output may give for it ("Queue" for !Ref Queue, "LB.DNSName" for
// !GetAtt LB.DNSName; ${} in !Sub counts the same).
type backendEndpoint struct {
	id, what string
	gives    []string
}

func backendEndpoints(t *Template) []backendEndpoint {
	var out []backendEndpoint
	add := func(id, what string, gives ...string) { out = append(out, backendEndpoint{id, what, gives}) }
	for _, lb := range t.OfType(edgeTypeLB) {
		if secInternetFacing(lb) {
			add(lb.ID, "the load balancer's DNS name", lb.ID+".DNSName")
		}
	}
	if proxies := t.OfType("AWS::RDS::DBProxy"); len(proxies) > 0 {
		for _, p := range proxies {
			add(p.ID, "the database proxy endpoint", p.ID+".Endpoint")
		}
	} else {
		for _, db := range t.secDatabases() {
			add(db.ID, "the database endpoint", db.ID+".Endpoint.Address", db.ID+".Endpoint")
		}
	}
	for _, id := range keys(t.secDBSecrets()) {
		add(id, "the database secret", id, id+".Id")
	}
	dlq := map[string]bool{}
	for _, d := range t.dlqs() {
		dlq[d.ID] = true
	}
	for _, q := range t.OfType("AWS::SQS::Queue") {
		if !dlq[q.ID] {
			add(q.ID, "the queue URL", q.ID, q.ID+".QueueUrl")
		}
	}
	for _, r := range t.OfType("AWS::ECR::Repository") {
		add(r.ID, "the repository URI to push images to", r.ID+".RepositoryUri", r.ID)
	}
	for _, c := range t.OfType("AWS::ECS::Cluster") {
		add(c.ID, "the cluster name", c.ID)
	}
	for _, b := range computeBastions(t) {
		add(b.ID, "the bastion's address", b.ID+".PublicIp", b.ID+".PublicDnsName")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// outputValues lists what the outputs give: "X" for !Ref X or ${X},
// "X.Attr" for !GetAtt X.Attr or ${X.Attr}.
func outputValues(t *Template) map[string]bool {
	given := map[string]bool{}
	for _, o := range t.Section("Outputs") {
		m, _ := o.(map[string]any)
		eachReference(m["Value"], func(name, attr string) {
			if attr != "" {
				name += "." + attr
			}
			given[name] = true
		})
	}
	return given
}

func checkBackendOutputs(t *Template) []Finding {
	given := outputValues(t)
	var out []Finding
	for _, e := range backendEndpoints(t) {
		ok := false
		for _, g := range e.gives {
			ok = ok || given[g]
		}
		if ok {
			continue
		}
		r, _ := t.Resource(e.id)
		out = append(out, at(r, "", "no output gives %s of %s (%s): the backend's users and deploy scripts have to look it up by hand", e.what, e.id, strings.Join(e.gives, " or ")))
	}
	return out
}
