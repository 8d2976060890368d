package validate

import (
	"fmt"

	"github.com/cfngen/cfngen/internal/cfn"
)

// Limit rules: CloudFormation's quotas on template size and section entries.
var limitRuleSet = []Rule{
	{ID: "L301", Severity: Warning, Title: "fits create-stack --template-body (51,200 bytes)",
		Fix: "upload the template to S3 and deploy with --template-url (up to 1 MB)",
		Check: func(t *Template) []Finding {
			if t.Size > cfn.MaxBodyBytes && t.Size <= cfn.MaxURLBytes {
				return []Finding{{Message: fmt.Sprintf("%d bytes, over the %d bytes --template-body accepts", t.Size, cfn.MaxBodyBytes)}}
			}
			return nil
		}},
	{ID: "L302", Severity: Error, Title: "at most 1 MB",
		Fix: "split the stack into nested stacks",
		Check: func(t *Template) []Finding {
			if t.Size > cfn.MaxURLBytes {
				return []Finding{{Message: fmt.Sprintf("%d bytes, over CloudFormation's 1 MB template limit", t.Size)}}
			}
			return nil
		}},
	limitCount("L303", "Resources", cfn.MaxResources),
	limitCount("L304", "Parameters", cfn.MaxParameters),
	limitCount("L305", "Outputs", cfn.MaxOutputs),
	limitCount("L306", "Mappings", cfn.MaxMappings),
}

// limitCount is the rule that a section has at most limit entries.
func limitCount(id, section string, limit int) Rule {
	return Rule{ID: id, Severity: Error, Title: fmt.Sprintf("at most %d %s", limit, section),
		Fix: "split the stack (nested stacks) or remove entries",
		Check: func(t *Template) []Finding {
			if n := len(t.Section(section)); n > limit {
				return []Finding{{Path: section, Message: fmt.Sprintf("%d %s, over CloudFormation's limit of %d", n, section, limit)}}
			}
			return nil
		}}
}
