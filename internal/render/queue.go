package render

import (
	"github.com/awslabs/goformation/v7/cloudformation/sqs"

	"github.com/cfngen/cfngen/internal/cfn"
)

const queueSuffix = "jobs"

func (b *builder) queue() error {
	t, q := b.t, b.m.Queue
	// The queues are named so that the dead-letter queue can allow redrive
	// from the job queue's ARN without a circular reference.
	t.Add(rDLQ, &sqs.Queue{
		QueueName:              str(name(queueSuffix + "-dlq")),
		MessageRetentionPeriod: num(q.DLQRetentionSeconds),
		SqsManagedSseEnabled:   yes(),
		RedriveAllowPolicy: map[string]any{
			"redrivePermission": "byQueue",
			"sourceQueueArns": []any{cfn.Sub("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${" +
				pProject + "}-${" + pEnvironment + "}-" + queueSuffix)},
		},
	})
	t.Add(rQueue, &sqs.Queue{
		QueueName:                     str(name(queueSuffix)),
		VisibilityTimeout:             num(q.VisibilityTimeoutSeconds),
		MessageRetentionPeriod:        num(q.RetentionSeconds),
		ReceiveMessageWaitTimeSeconds: num(20),
		SqsManagedSseEnabled:          yes(),
		RedrivePolicy: map[string]any{
			"deadLetterTargetArn": cfn.GetAtt(rDLQ, "Arn"),
			"maxReceiveCount":     q.MaxReceiveCount,
		},
	})
	t.Add(rQueuePolicy, &sqs.QueuePolicy{
		Queues:         []string{cfn.Ref(rQueue), cfn.Ref(rDLQ)},
		PolicyDocument: policy(denyInsecure("sqs:*", []any{cfn.GetAtt(rQueue, "Arn"), cfn.GetAtt(rDLQ, "Arn")})),
	})
	return nil
}
