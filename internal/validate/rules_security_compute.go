package validate

import (
	"fmt"
)

// Security rules (C6xx): the checks on EC2, ECS, queues, topics, logs and VPCs.

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
