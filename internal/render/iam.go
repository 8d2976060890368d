package render

import "github.com/cfngen/cfngen/internal/cfn"

// policy is an IAM policy document.
func policy(statements ...map[string]any) map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": statements}
}

// allow is an Allow statement.
func allow(actions any, resources any) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": actions, "Resource": resources}
}

// trust is a role trust policy for one service principal.
func trust(service string) map[string]any {
	return policy(map[string]any{
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": service},
		"Action":    "sts:AssumeRole",
	})
}

// trustOwnAccount is a trust policy for a service that acts on behalf of
// resources of this account only: aws:SourceAccount guards against the
// confused deputy (another account's resource making the service assume
// this role).
func trustOwnAccount(service string) map[string]any {
	p := trust(service)
	p["Statement"].([]map[string]any)[0]["Condition"] = map[string]any{
		"StringEquals": map[string]any{"aws:SourceAccount": cfn.Ref(cfn.AccountID)},
	}
	return p
}

// managed is the ARN of an AWS managed policy, in the stack's partition.
func managed(path string) string {
	return cfn.Sub("arn:${AWS::Partition}:iam::aws:policy/" + path)
}

// denyInsecure is the statement that refuses requests without TLS.
func denyInsecure(action string, resources any) map[string]any {
	return map[string]any{
		"Effect":    "Deny",
		"Principal": "*",
		"Action":    action,
		"Resource":  resources,
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	}
}
