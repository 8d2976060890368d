package render

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation/applicationautoscaling"
	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/ecr"
	"github.com/awslabs/goformation/v7/cloudformation/ecs"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/policies"

	"github.com/cfngen/cfngen/internal/cfn"
)

const apiContainer = "api"

// userData joins the instance to the cluster. Spot draining follows the
// EnableSpotInstances parameter; tasks are kept away from instance metadata.
const userData = `#!/bin/bash
cat >> /etc/ecs/ecs.config <<EOF
ECS_CLUSTER=${` + rCluster + `}
ECS_ENABLE_SPOT_INSTANCE_DRAINING=${` + pSpot + `}
ECS_AWSVPC_BLOCK_IMDS=true
EOF
`

// ecrLifecycle expires all but the newest 30 images of a repository.
const ecrLifecycle = `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":30},"action":{"type":"expire"}}]}`

func (b *builder) compute() error {
	t, c := b.t, b.m.Compute
	t.Add(rCluster, &ecs.Cluster{
		ClusterSettings: []ecs.Cluster_ClusterSettings{{Name: str("containerInsights"), Value: str("enabled")}},
	})
	for _, repo := range []string{rApiRepo, rWorkerRepo} {
		t.Add(repo, &ecr.Repository{
			ImageScanningConfiguration:           &ecr.Repository_ImageScanningConfiguration{ScanOnPush: yes()},
			LifecyclePolicy:                      &ecr.Repository_LifecyclePolicy{LifecyclePolicyText: str(ecrLifecycle)},
			AWSCloudFormationDeletionPolicy:      retainExceptOnCreate,
			AWSCloudFormationUpdateReplacePolicy: policies.UpdateReplacePolicy("Retain"),
		})
	}
	role := &iam.Role{
		AssumeRolePolicyDocument: trust("ec2.amazonaws.com"),
		ManagedPolicyArns:        []string{managed("service-role/AmazonEC2ContainerServiceforEC2Role")},
	}
	if b.m.Compute.SessionManager {
		// Session Manager's own channel actions only, not the standard
		// AmazonSSMManagedInstanceCore, whose ssm:GetParameter on '*' reads
		// every parameter of the account. ssmmessages and ec2messages take
		// no resource ARN.
		role.Policies = []iam.Role_Policy{{PolicyName: "session-manager", PolicyDocument: policy(
			allow("ssm:UpdateInstanceInformation", cfn.Sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*")),
			allow([]string{
				"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
				"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
				"ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
				"ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
			}, "*"),
		)}}
	}
	t.Add(rInstanceRole, role)
	t.Add(rInstanceProfile, &iam.InstanceProfile{Roles: []string{cfn.Ref(rInstanceRole)}})
	t.Add(rLaunchTemplate, &ec2.LaunchTemplate{
		LaunchTemplateData: &ec2.LaunchTemplate_LaunchTemplateData{
			ImageId:            str(cfn.Ref(pECSAMI)),
			InstanceType:       str(cfn.Ref(pInstanceType)),
			IamInstanceProfile: &ec2.LaunchTemplate_IamInstanceProfile{Arn: str(cfn.GetAtt(rInstanceProfile, "Arn"))},
			SecurityGroupIds:   []string{cfn.Ref(rInstanceSG)},
			MetadataOptions: &ec2.LaunchTemplate_MetadataOptions{
				HttpTokens: str("required"), HttpPutResponseHopLimit: num(2),
			},
			BlockDeviceMappings: []ec2.LaunchTemplate_BlockDeviceMapping{{
				DeviceName: str("/dev/xvda"),
				Ebs:        &ec2.LaunchTemplate_Ebs{VolumeSize: num(c.RootVolumeGiB), VolumeType: str("gp3"), Encrypted: yes()},
			}},
			UserData: str(cfn.Base64(cfn.Sub(userData))),
		},
	})
	// One group serves on-demand and Spot: the capacity provider manages all
	// of it. Without Spot, everything above the base is on-demand too.
	t.Add(rASG, &autoscaling.AutoScalingGroup{
		MinSize:           env("MinInstances"),
		MaxSize:           env("MaxInstances"),
		VPCZoneIdentifier: b.refs(rPrivateSubnet),
		// Instances need their NAT route to reach ECS and ECR at boot.
		AWSCloudFormationDependsOn: b.ids(rPrivateRoute),
		CapacityRebalance:          yes(),
		MixedInstancesPolicy: &autoscaling.AutoScalingGroup_MixedInstancesPolicy{
			LaunchTemplate: &autoscaling.AutoScalingGroup_LaunchTemplate{
				LaunchTemplateSpecification: &autoscaling.AutoScalingGroup_LaunchTemplateSpecification{
					LaunchTemplateId: str(cfn.Ref(rLaunchTemplate)),
					Version:          cfn.GetAtt(rLaunchTemplate, "LatestVersionNumber"),
				},
				Overrides: []autoscaling.AutoScalingGroup_LaunchTemplateOverrides{
					{InstanceType: str(cfn.Ref(pInstanceType))},
					{InstanceType: str(cfn.FindInMap(mInstance, cfn.Ref(pInstanceType), "Alternative"))},
				},
			},
			InstancesDistribution: &autoscaling.AutoScalingGroup_InstancesDistribution{
				OnDemandAllocationStrategy: str("prioritized"),
				OnDemandBaseCapacity:       num(c.OnDemandBase),
				SpotAllocationStrategy:     str("price-capacity-optimized"),
			},
		},
		Tags: []autoscaling.AutoScalingGroup_TagProperty{{Key: "Name", Value: name("ecs"), PropagateAtLaunch: true}},
	}).Set("MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity",
		cfn.If(cUseSpot, strconv.Itoa(100-c.SpotPercent), "100"))
	t.Add(rCapacityProvider, &ecs.CapacityProvider{
		// Names may not start with aws, ecs or fargate; the stack name might.
		Name: str(cfn.Sub("cp-${AWS::StackName}")),
		AutoScalingGroupProvider: &ecs.CapacityProvider_AutoScalingGroupProvider{
			AutoScalingGroupArn: cfn.Ref(rASG),
			ManagedScaling:      &ecs.CapacityProvider_ManagedScaling{Status: str("ENABLED"), TargetCapacity: num(100)},
			// Managed draining moves tasks off an instance before it is
			// terminated. Managed termination protection would also keep
			// instances from scaling in, but it makes stack deletion hang:
			// nothing lifts the instances' scale-in protection once the
			// capacity provider is gone.
			ManagedTerminationProtection: str("DISABLED"),
			ManagedDraining:              str("ENABLED"),
		},
	})
	t.Add(rCPAssociation, &ecs.ClusterCapacityProviderAssociations{
		Cluster:           cfn.Ref(rCluster),
		CapacityProviders: []string{cfn.Ref(rCapacityProvider)},
		DefaultCapacityProviderStrategy: []ecs.ClusterCapacityProviderAssociations_CapacityProviderStrategy{
			{CapacityProvider: cfn.Ref(rCapacityProvider), Weight: num(1)},
		},
	})
	b.apiService()
	return nil
}

func (b *builder) apiService() {
	t, c := b.t, b.m.Compute
	t.Add(rExecutionRole, &iam.Role{
		AssumeRolePolicyDocument: trust("ecs-tasks.amazonaws.com"),
		ManagedPolicyArns:        []string{managed("service-role/AmazonECSTaskExecutionRolePolicy")},
		Policies: []iam.Role_Policy{{
			PolicyName:     "inject-db-secret",
			PolicyDocument: policy(allow("secretsmanager:GetSecretValue", cfn.Ref(rDBSecret))),
		}},
	})
	t.Add(rTaskRole, &iam.Role{
		AssumeRolePolicyDocument: trust("ecs-tasks.amazonaws.com"),
		Policies: []iam.Role_Policy{{
			PolicyName: "api",
			PolicyDocument: policy(
				allow([]string{"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"},
					cfn.GetAtt(rQueue, "Arn")),
				allow([]string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, cfn.Sub("${"+rApiBucket+".Arn}/*")),
				allow("s3:ListBucket", cfn.GetAtt(rApiBucket, "Arn")),
			),
		}},
	})
	t.Add(rApiLogGroup, &logs.LogGroup{}).Set("RetentionInDays", env("LogRetention"))
	t.Add(rTaskDef, &ecs.TaskDefinition{
		NetworkMode:             str("awsvpc"),
		RequiresCompatibilities: []string{"EC2"},
		Cpu:                     str(strconv.Itoa(c.Api.CPU)),
		Memory:                  str(strconv.Itoa(c.Api.MemoryMiB)),
		ExecutionRoleArn:        str(cfn.GetAtt(rExecutionRole, "Arn")),
		TaskRoleArn:             str(cfn.GetAtt(rTaskRole, "Arn")),
		ContainerDefinitions: []ecs.TaskDefinition_ContainerDefinition{{
			Name:         apiContainer,
			Image:        cfn.Sub("${" + rApiRepo + ".RepositoryUri}:${" + pImageTag + "}"),
			Essential:    yes(),
			PortMappings: []ecs.TaskDefinition_PortMapping{{ContainerPort: num(b.m.Edge.AppPort), Protocol: str("tcp")}},
			Environment: []ecs.TaskDefinition_KeyValuePair{
				{Name: str("DB_HOST"), Value: str(cfn.GetAtt(rProxy, "Endpoint"))},
				{Name: str("DB_PORT"), Value: str(strconv.Itoa(postgresPort))},
				{Name: str("DB_NAME"), Value: str(cfn.Ref(pDBName))},
				{Name: str("DB_SSLMODE"), Value: str("require")},
				{Name: str("QUEUE_URL"), Value: str(cfn.Ref(rQueue))},
				{Name: str("BUCKET_NAME"), Value: str(cfn.Ref(rApiBucket))},
			},
			Secrets: []ecs.TaskDefinition_Secret{
				{Name: "DB_USER", ValueFrom: cfn.Sub("${" + rDBSecret + "}:username::")},
				{Name: "DB_PASSWORD", ValueFrom: cfn.Sub("${" + rDBSecret + "}:password::")},
			},
			LogConfiguration: &ecs.TaskDefinition_LogConfiguration{
				LogDriver: "awslogs",
				Options: map[string]string{
					"awslogs-group":         cfn.Ref(rApiLogGroup),
					"awslogs-region":        cfn.Ref(cfn.Region),
					"awslogs-stream-prefix": apiContainer,
				},
			},
		}},
	})
	t.Add(rService, &ecs.Service{
		Cluster:        str(cfn.Ref(rCluster)),
		TaskDefinition: str(cfn.Ref(rTaskDef)),
		CapacityProviderStrategy: []ecs.Service_CapacityProviderStrategyItem{
			{CapacityProvider: str(cfn.Ref(rCapacityProvider)), Weight: num(1)},
		},
		NetworkConfiguration: &ecs.Service_NetworkConfiguration{AwsvpcConfiguration: &ecs.Service_AwsVpcConfiguration{
			Subnets:        b.refs(rPrivateSubnet),
			SecurityGroups: []string{cfn.Ref(rAppSG)},
			AssignPublicIp: str("DISABLED"),
		}},
		LoadBalancers: []ecs.Service_LoadBalancer{{
			ContainerName: str(apiContainer), ContainerPort: num(b.m.Edge.AppPort), TargetGroupArn: str(cfn.Ref(rTargetGroup)),
		}},
		HealthCheckGracePeriodSeconds: num(60),
		DeploymentConfiguration: &ecs.Service_DeploymentConfiguration{
			MinimumHealthyPercent:    num(100),
			MaximumPercent:           num(200),
			DeploymentCircuitBreaker: &ecs.Service_DeploymentCircuitBreaker{Enable: true, Rollback: true},
		},
		PropagateTags:              str("SERVICE"),
		AWSCloudFormationDependsOn: []string{rListenersReady, rCPAssociation},
	}).Set("DesiredCount", cfn.If(cApiStopped, 0, cfn.NoValue()))
	// The task count belongs to service auto scaling. A DesiredCount in the
	// template would be sent with every update of the service (a new image
	// tag, say) and scale a scaled-out API back down. Omitted, it is 1 on
	// create and left alone on update; the scalable target's MinCapacity
	// (ApiDesiredCount) then raises the count to the floor. Only 0 is
	// written: it stops the API, which scaling cannot do.
	t.Add(rScalableTarget, &applicationautoscaling.ScalableTarget{
		ServiceNamespace:  "ecs",
		ScalableDimension: "ecs:service:DesiredCount",
		ResourceId:        cfn.Sub("service/${" + rCluster + "}/${" + rService + ".Name}"),
	}).Set("MinCapacity", cfn.Ref(pDesiredCount)).Set("MaxCapacity", env("MaxTasks"))
	t.Add(rScalingPolicy, &applicationautoscaling.ScalingPolicy{
		PolicyName:      cfn.Sub("${AWS::StackName}-api-cpu"),
		PolicyType:      "TargetTrackingScaling",
		ScalingTargetId: str(cfn.Ref(rScalableTarget)),
		TargetTrackingScalingPolicyConfiguration: &applicationautoscaling.ScalingPolicy_TargetTrackingScalingPolicyConfiguration{
			TargetValue: float64(c.Api.TargetCPUPercent),
			PredefinedMetricSpecification: &applicationautoscaling.ScalingPolicy_PredefinedMetricSpecification{
				PredefinedMetricType: "ECSServiceAverageCPUUtilization",
			},
		},
	})
}
