package render

import (
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
	"github.com/awslabs/goformation/v7/cloudformation/sns"

	"github.com/cfngen/cfngen/internal/cfn"
)

type alarm struct {
	id, description, namespace, metric, stat, comparison string
	dimension, dimensionValue                            string
	threshold                                            float64
	periods                                              int
}

const mib = 1024 * 1024

func (b *builder) alarms() error {
	t, a := b.t, b.m.Alarms
	// Encrypting the topic with the aws/sns key would make CloudWatch drop
	// alarm deliveries; alarm notifications carry no secrets.
	t.Add(rTopic, &sns.Topic{DisplayName: str(name("alerts"))})
	t.Add(rTopicEmail, &sns.Subscription{
		TopicArn:                   cfn.Ref(rTopic),
		Protocol:                   "email",
		Endpoint:                   str(cfn.Ref(pAlarmEmail)),
		AWSCloudFormationCondition: cHasEmail,
	})
	var list []alarm
	if b.aurora() {
		w := func(id, desc, metric, cmp string, th float64) alarm {
			return alarm{id, desc, "AWS/RDS", metric, "Average", cmp, "DBInstanceIdentifier", cfn.Ref(rDBWriter), th, 3}
		}
		list = append(list,
			w(rAlarmDBCPU, "Database writer CPU high", "CPUUtilization", "GreaterThanThreshold", float64(a.DBCPUPercent)),
			w(rAlarmDBConns, "Database connections high", "DatabaseConnections", "GreaterThanThreshold", float64(a.DBConnections)),
			w(rAlarmDBMemory, "Database freeable memory low", "FreeableMemory", "LessThanThreshold", float64(a.DBFreeableMemoryMiB*mib)),
			alarm{rAlarmACU, "Aurora capacity near its maximum ACU", "AWS/RDS", "ACUUtilization", "Average", "GreaterThanThreshold",
				"DBClusterIdentifier", cfn.Ref(rDBCluster), float64(a.ACUPercent), 3},
		)
	} else {
		i := func(id, desc, metric, cmp string, th float64) alarm {
			return alarm{id, desc, "AWS/RDS", metric, "Average", cmp, "DBInstanceIdentifier", cfn.Ref(rDBInstance), th, 3}
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
			"GreaterThanOrEqualToThreshold", "QueueName", cfn.GetAtt(rDLQ, "QueueName"), float64(a.DLQMessages), 1},
		alarm{rAlarmTarget5xx, "API answers 5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum",
			"GreaterThanOrEqualToThreshold", "LoadBalancer", cfn.GetAtt(rALB, "LoadBalancerFullName"), float64(a.ALB5xxPerPeriod), 1},
		alarm{rAlarmELB5xx, "Load balancer answers 5xx (no healthy targets?)", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum",
			"GreaterThanOrEqualToThreshold", "LoadBalancer", cfn.GetAtt(rALB, "LoadBalancerFullName"), float64(a.ALB5xxPerPeriod), 1},
	)
	topic := []string{cfn.Ref(rTopic)}
	for _, al := range list {
		t.Add(al.id, &cloudwatch.Alarm{
			AlarmDescription:   str(al.description),
			Namespace:          str(al.namespace),
			MetricName:         str(al.metric),
			Dimensions:         []cloudwatch.Alarm_Dimension{{Name: al.dimension, Value: al.dimensionValue}},
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
