package render

import (
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
	"github.com/awslabs/goformation/v7/cloudformation/sns"

	"github.com/cfngen/cfngen/internal/cfn"
)

type alarm struct {
	id, description, namespace, metric, stat, comparison string
	dims                                                 []cloudwatch.Alarm_Dimension
	threshold                                            float64
	periods                                              int
}

func dim(pairs ...string) []cloudwatch.Alarm_Dimension {
	var out []cloudwatch.Alarm_Dimension
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, cloudwatch.Alarm_Dimension{Name: pairs[i], Value: pairs[i+1]})
	}
	return out
}

const mib = 1024 * 1024

func (b *builder) alarms() error {
	t, a := b.t, b.m.Alarms
	// Encrypting the topic with the aws/sns key would make CloudWatch drop
	// alarm deliveries; alarm notifications carry no secrets.
	t.Add(rTopic, &sns.Topic{DisplayName: str(name("alerts"))})
	// The topic policy replaces SNS's default one: it lets this account's
	// alarms publish and refuses publishing without TLS (C673).
	t.Add(rTopicPolicy, &sns.TopicPolicy{
		Topics: []string{cfn.Ref(rTopic)},
		PolicyDocument: policy(
			map[string]any{
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
				"Action":    "sns:Publish",
				"Resource":  cfn.Ref(rTopic),
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": cfn.Ref("AWS::AccountId")}},
			},
			denyInsecure("sns:Publish", cfn.Ref(rTopic)),
		),
	})
	t.Add(rTopicEmail, &sns.Subscription{
		TopicArn:                   cfn.Ref(rTopic),
		Protocol:                   "email",
		Endpoint:                   str(cfn.Ref(pAlarmEmail)),
		AWSCloudFormationCondition: cHasEmail,
	})
	var list []alarm
	if b.aurora() {
		// Whichever instance is the writer: the role follows a failover, an
		// instance id would not.
		writer := dim("DBClusterIdentifier", cfn.Ref(rDBCluster), "Role", "WRITER")
		w := func(id, desc, metric, cmp string, th float64) alarm {
			return alarm{id, desc, "AWS/RDS", metric, "Average", cmp, writer, th, 3}
		}
		list = append(list,
			w(rAlarmDBCPU, "Database writer CPU high", "CPUUtilization", "GreaterThanThreshold", float64(a.DBCPUPercent)),
			w(rAlarmDBConns, "Database writer connections high", "DatabaseConnections", "GreaterThanThreshold", float64(a.DBConnections)),
			w(rAlarmDBMemory, "Database writer freeable memory low", "FreeableMemory", "LessThanThreshold", float64(a.DBFreeableMemoryMiB*mib)),
			w(rAlarmACU, "Aurora writer near its maximum ACU", "ACUUtilization", "GreaterThanThreshold", float64(a.ACUPercent)),
		)
	} else {
		i := func(id, desc, metric, cmp string, th float64) alarm {
			return alarm{id, desc, "AWS/RDS", metric, "Average", cmp, dim("DBInstanceIdentifier", cfn.Ref(rDBInstance)), th, 3}
		}
		list = append(list,
			i(rAlarmDBCPU, "Database CPU high", "CPUUtilization", "GreaterThanThreshold", float64(a.DBCPUPercent)),
			i(rAlarmDBConns, "Database connections high", "DatabaseConnections", "GreaterThanThreshold", float64(a.DBConnections)),
			i(rAlarmDBMemory, "Database freeable memory low", "FreeableMemory", "LessThanThreshold", float64(a.DBFreeableMemoryMiB*mib)),
			i(rAlarmDBStorage, "Database free storage low", "FreeStorageSpace", "LessThanThreshold", float64(a.DBFreeStorageGiB*1024*mib)),
		)
	}
	list = append(list,
		alarm{rAlarmDLQ, "Messages in the dead-letter queue", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum",
			"GreaterThanOrEqualToThreshold", dim("QueueName", cfn.GetAtt(rDLQ, "QueueName")), float64(a.DLQMessages), 1},
		alarm{rAlarmTarget5xx, "API answers 5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum",
			"GreaterThanOrEqualToThreshold", dim("LoadBalancer", cfn.GetAtt(rALB, "LoadBalancerFullName")), float64(a.ALB5xxPerPeriod), 1},
		alarm{rAlarmELB5xx, "Load balancer answers 5xx (no healthy targets?)", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum",
			"GreaterThanOrEqualToThreshold", dim("LoadBalancer", cfn.GetAtt(rALB, "LoadBalancerFullName")), float64(a.ALB5xxPerPeriod), 1},
	)
	topic := []string{cfn.Ref(rTopic)}
	for _, al := range list {
		t.Add(al.id, &cloudwatch.Alarm{
			AlarmDescription:   str(al.description),
			Namespace:          str(al.namespace),
			MetricName:         str(al.metric),
			Dimensions:         al.dims,
			Statistic:          str(al.stat),
			Period:             num(300),
			EvaluationPeriods:  al.periods,
			Threshold:          &al.threshold,
			ComparisonOperator: al.comparison,
			TreatMissingData:   str("notBreaching"),
			AlarmActions:       topic,
			OKActions:          topic,
		})
	}
	return nil
}
