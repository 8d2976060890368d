package render

import "github.com/cfngen/cfngen/internal/cfn"

func (b *builder) outputs() error {
	t, export := b.t, b.m.ExportOutputs
	out := func(name, desc string, value any) {
		t.AddOutput(name, cfn.Output{Description: desc, Value: value, Export: export})
	}
	out("VpcId", "VPC", cfn.Ref(rVPC))
	out("PublicSubnetIds", "Public subnets", cfn.Join(",", toAny(b.refs(rPublicSubnet))...))
	out("PrivateSubnetIds", "Private subnets", cfn.Join(",", toAny(b.refs(rPrivateSubnet))...))
	out("LoadBalancerDnsName", "Load balancer DNS name", cfn.GetAtt(rALB, "DNSName"))
	out("ApiUrl", "API base URL", cfn.If(cHasCert,
		cfn.Sub("https://${"+rALB+".DNSName}"), cfn.Sub("http://${"+rALB+".DNSName}")))
	if b.aurora() {
		out("DBEndpoint", "Aurora writer endpoint", cfn.GetAtt(rDBCluster, "Endpoint.Address"))
	} else {
		out("DBEndpoint", "Database endpoint", cfn.GetAtt(rDBInstance, "Endpoint.Address"))
	}
	out("DBProxyEndpoint", "RDS Proxy endpoint (TLS required)", cfn.GetAtt(rProxy, "Endpoint"))
	out("DBSecretArn", "Secret with the database credentials", cfn.Ref(rDBSecret))
	out("JobQueueUrl", "Job queue URL", cfn.Ref(rQueue))
	out("JobQueueArn", "Job queue ARN", cfn.GetAtt(rQueue, "Arn"))
	out("DeadLetterQueueUrl", "Dead-letter queue URL", cfn.Ref(rDLQ))
	out("DeadLetterQueueArn", "Dead-letter queue ARN", cfn.GetAtt(rDLQ, "Arn"))
	out("ApiRepositoryUri", "ECR repository of the api image", cfn.GetAtt(rApiRepo, "RepositoryUri"))
	out("WorkerRepositoryUri", "ECR repository of the worker image", cfn.GetAtt(rWorkerRepo, "RepositoryUri"))
	out("ClusterName", "ECS cluster", cfn.Ref(rCluster))
	out("ApiBucketName", "API storage bucket", cfn.Ref(rApiBucket))
	out("LogBucketName", "Access-log bucket", cfn.Ref(rLogBucket))
	if b.m.Bastion.Enabled {
		out("BastionPublicIp", "Bastion public IP", cfn.GetAtt(rBastion, "PublicIp"))
		t.AddOutput("BastionKeyParameter", cfn.Output{
			Description: "SSM parameter holding the bastion's private key",
			Condition:   cCreateKey,
			Value:       cfn.Sub("/ec2/keypair/${" + rBastionKey + ".KeyPairId}"),
			Export:      export,
		})
	}
	out("AlertsTopicArn", "SNS topic of the alarms", cfn.Ref(rTopic))
	return nil
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
