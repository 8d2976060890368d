package model

import (
	"testing"
)

// deployTrapConfigs are configs that parse and look right but would fail at
// deploy time or deploy something that never works; each lists every
// problem it must report.
var deployTrapConfigs = []invalidConfig{
	{
		name: "task just above what an m5.large registers",
		src:  "compute:\n  instanceTypes:\n    - {name: m5.large, alternative: m6i.large}\n  api: {cpu: 2048, memoryMiB: 7986}\nenvironments:\n  dev:\n    params: {instanceType: m5.large}\n",
		want: []want{
			{3, "compute.instanceTypes[0].name", "m5.large cannot hold the API task, which needs 7986 MiB (compute.api.memoryMiB; of its 8192 MiB, ECS leaves less than 7936 to tasks)"},
			{3, "compute.instanceTypes[0].alternative", "m6i.large cannot hold the API task"},
		},
	},
	{
		name: "three zones without a subnet order",
		src:  "network:\n  azCount: 3\n",
		want: []want{{2, "network.azCount", "3 zones cut the subnets differently by network.subnetOrder: set subnetOrder: stable for a new stack, or grouped for a stack rendered with 3 zones by a cfngen without subnetOrder"}},
	},
	{
		name: "four zones",
		src:  "network:\n  azCount: 4\n",
		want: []want{{2, "network.azCount", "4 is out of range (2..3): most regions give an account 3 availability zones (us-west-1: 2), and !GetAZs has no further zone to select"}},
	},
	{
		name: "six zones",
		src:  "network:\n  azCount: 6\n",
		want: []want{{2, "network.azCount", "6 is out of range (2..3): most regions give an account 3"}},
	},
	{
		name: "/28 subnets for the load balancer",
		src:  "network:\n  vpcCidr: 10.0.0.0/24\n  subnetPrefix: 28\n",
		want: []want{{3, "network.subnetPrefix", "28 is out of range (16..27): an Application Load Balancer needs subnets of /27 or larger with 8 free addresses"}},
	},
	{
		name: "task memory equal to the instance memory",
		src: "compute:\n  instanceTypes:\n    - {name: t3.small, alternative: t3a.small}\n    - {name: t3.large, alternative: t3a.large}\n" +
			"  api: {cpu: 256, memoryMiB: 2048}\n",
		want: []want{
			{3, "compute.instanceTypes[0].name", "t3.small cannot hold the API task, which needs 2048 MiB (compute.api.memoryMiB; of its 2048 MiB, ECS leaves less than 1920 to tasks): the task would never be placed; remove the type or make the task smaller"},
			{3, "compute.instanceTypes[0].alternative", "t3a.small cannot hold the API task, which needs 2048 MiB"},
		},
	},
	{
		name: "task larger than the small types",
		src: "compute:\n  instanceTypes:\n    - {name: m5.xlarge, alternative: m6i.xlarge}\n    - {name: c5.large, alternative: c6i.large}\n" +
			"  api: {cpu: 4096, memoryMiB: 8192}\nenvironments:\n  dev:\n    params: {instanceType: m5.xlarge}\n",
		want: []want{
			{4, "compute.instanceTypes[1].name", "c5.large cannot hold the API task, which needs 4096 CPU units (compute.api.cpu; it has 2048) and 8192 MiB (compute.api.memoryMiB; of its 4096 MiB, ECS leaves less than 3968 to tasks)"},
			{4, "compute.instanceTypes[1].alternative", "c6i.large cannot hold the API task, which needs 4096 CPU units"},
		},
	},
	{
		name: "instance types that do not exist",
		src: "compute:\n  instanceTypes:\n    - {name: m5.small, alternative: m6i.small}\n    - {name: c6i.8xlarge, alternative: c5.8xlarge}\n" +
			"bastion: {instanceType: t3.4xlarge}\nenvironments:\n  dev:\n    params: {instanceType: c6i.8xlarge}\n",
		want: []want{
			{3, "compute.instanceTypes[0].name", `"m5.small" does not exist: EC2 has no small size in that family`},
			{3, "compute.instanceTypes[0].alternative", `"m6i.small" does not exist`},
			{4, "compute.instanceTypes[1].alternative", `"c5.8xlarge" does not exist`},
			{5, "bastion.instanceType", `"t3.4xlarge" does not exist`},
		},
	},
	{
		name: "connections alarm above max_connections of the RDS class",
		src:  "alarms: {dbConnections: 200}\n",
		want: []want{{1, "alarms.dbConnections", "200 is never exceeded on db.t4g.micro (environments.dev.params.instanceClass of the RDS stack): it allows at most 112 connections (max_connections is memory/9531392 bytes, at most 5000)"}},
	},
	{
		name: "connections alarm above max_connections of the ACU range",
		src:  "alarms: {dbConnections: 300}\nenvironments:\n  dev:\n    params: {acuRange: 0.5-1, instanceClass: db.t4g.medium}\n",
		want: []want{{1, "alarms.dbConnections", "300 is never exceeded with 0.5-1 ACU (environments.dev.params.acuRange of the Aurora stack): it allows at most 225 connections (max_connections follows the maximum ACU at 2 GiB each)"}},
	},
	{
		name: "connections alarm above the 2000 cap of a 0.5 ACU minimum",
		src: "alarms: {dbConnections: 2500}\ndatabase: {acuRanges: [0.5-64, 1-64]}\n" +
			"environments:\n  dev:\n    params: {acuRange: 0.5-64, instanceClass: db.r7g.2xlarge}\n",
		want: []want{{1, "alarms.dbConnections", "2500 is never exceeded with 0.5-64 ACU (environments.dev.params.acuRange of the Aurora stack): it allows at most 2000 connections"}},
	},
	{
		name: "freeable memory alarm at the memory of the class",
		src:  "alarms: {dbFreeableMemoryMiB: 1024}\n",
		want: []want{
			{1, "alarms.dbFreeableMemoryMiB", "1024 MiB is at least the 1024 MiB of db.t4g.micro (environments.dev.params.instanceClass): the alarm would never stop firing"},
		},
	},
	{
		name: "freeable memory alarm at the memory of the maximum ACU",
		src:  "alarms: {dbFreeableMemoryMiB: 4096}\nenvironments:\n  dev:\n    params: {instanceClass: db.m7g.large}\n",
		want: []want{
			{1, "alarms.dbFreeableMemoryMiB", "4096 MiB is at least the 4096 MiB of 0.5-2 ACU at its maximum (environments.dev.params.acuRange): FreeableMemory counts the memory free at the maximum capacity and never exceeds it, so the alarm would never stop firing"},
		},
	},
	{
		name: "checks every environment with a params file",
		src: "alarms: {dbConnections: 150}\nenvironments:\n  dev:\n    params: {instanceClass: db.t4g.medium}\n" +
			"  prod:\n    params: {instanceClass: db.t3.micro, certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012}\n",
		want: []want{{1, "alarms.dbConnections", "150 is never exceeded on db.t3.micro (environments.prod.params.instanceClass of the RDS stack)"}},
	},
	{
		name: "free storage alarm at the allocated storage",
		src:  "alarms: {dbFreeStorageGiB: 20}\n",
		want: []want{{1, "alarms.dbFreeStorageGiB", "20 GiB is at least database.allocatedStorageGiB (20): the RDS free-storage alarm would fire from the first deploy"}},
	},
	{
		name: "bucket suffix with capitals",
		src:  "storage: {bucketSuffix: B2}\n",
		want: []want{{1, "storage.bucketSuffix", `"B2" must be empty or 1-8 lowercase letters or digits (it ends the bucket names)`}},
	},
	{
		name: "bucket suffix too long for the names",
		src:  "project:\n  name: abcdefghij-klmnopqrs\ndefaultEnvironment: abcdefghi\nenvironments:\n  abcdefghi:\nstorage: {bucketSuffix: b2}\n",
		want: []want{{6, "storage.bucketSuffix", `"b2" is too long for the bucket names: project name, longest environment name and suffix may have 28 characters together, they have 31`}},
	},
}

func TestDeployTraps(t *testing.T) {
	for _, tc := range deployTrapConfigs {
		t.Run(tc.name, func(t *testing.T) { assertInvalid(t, tc) })
	}
}

// TestDeployTrapsPass holds the checks to their limits: the largest values
// that still work are accepted.
func TestDeployTrapsPass(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"three zones", "network:\n  azCount: 3\n  subnetOrder: stable\n"},
		{"/27 subnets", "network:\n  vpcCidr: 10.0.0.0/24\n  subnetPrefix: 27\n"},
		{"task just fits", "compute:\n  instanceTypes:\n    - {name: m5.large, alternative: m6i.large}\n  api: {cpu: 2048, memoryMiB: 7936}\n" +
			"environments:\n  dev:\n    params: {instanceType: m5.large}\n"},
		{"medium of the 7a families", "compute:\n  instanceTypes:\n    - {name: m7a.medium, alternative: c7a.medium}\nenvironments:\n  dev:\n    params: {instanceType: m7a.medium}\n"},
		{"t2.nano bastion", "bastion: {instanceType: t2.nano}\n"},
		{"connections alarm just below max_connections", "alarms: {dbConnections: 111}\n"},
		{"environments without params files are not deployed", "alarms: {dbConnections: 150}\nenvironments:\n  dev:\n    params: {instanceClass: db.t4g.medium}\n  staging:\n"},
		{"freeable memory below the smallest memory", "alarms: {dbFreeableMemoryMiB: 1023}\n"},
		{"freeable memory above the minimum ACU's memory (reported at the maximum)", "alarms: {dbFreeableMemoryMiB: 2048}\nenvironments:\n  dev:\n    params: {instanceClass: db.m7g.large}\n"},
		{"free storage below the allocated storage", "alarms: {dbFreeStorageGiB: 19}\n"},
		{"bucket suffix", "storage: {bucketSuffix: b2}\n"},
		{"bucket suffix at the name limit", "project:\n  name: abcdefghij-klmnop\ndefaultEnvironment: abcdefghi\nenvironments:\n  abcdefghi:\nstorage: {bucketSuffix: b2}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if probs, _, err := check(t, tc.src); err != nil {
				t.Errorf("refused:%s", showProblems(probs))
			}
		})
	}
}

func TestEC2Sizes(t *testing.T) {
	for _, tc := range []struct {
		typ       string
		vcpu, mem int
		ok        bool
	}{
		{"t2.micro", 1, 1024, true}, {"t2.medium", 2, 4096, true}, {"t3.micro", 2, 1024, true},
		{"t3a.2xlarge", 8, 32768, true}, {"m5.large", 2, 8192, true}, {"c6i.xlarge", 4, 8192, true},
		{"r7i.16xlarge", 64, 524288, true}, {"c7a.medium", 1, 2048, true}, {"c5.12xlarge", 48, 98304, true},
		{"m5.medium", 0, 0, false}, {"c5.16xlarge", 0, 0, false}, {"t3.4xlarge", 0, 0, false}, {"x1.large", 0, 0, false},
	} {
		vcpu, mem, ok := ec2Size(tc.typ)
		if vcpu != tc.vcpu || mem != tc.mem || ok != tc.ok {
			t.Errorf("ec2Size(%q) = %d, %d, %v; want %d, %d, %v", tc.typ, vcpu, mem, ok, tc.vcpu, tc.mem, tc.ok)
		}
	}
}
