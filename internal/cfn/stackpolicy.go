package cfn

import (
	"encoding/json"
	"slices"

	"github.com/cfngen/cfngen/internal/awsfacts"
)

// Protected lists, sorted, the logical ids of a template's resources that
// a stack policy of cfngen protects: the data-holding ones of
// awsfacts.ProtectedTypes. An Aurora cluster's instances hold none of the
// data (the cluster does), so replacing one needs no --allow-replace.
func Protected(tree map[string]any) []string {
	resources, _ := tree["Resources"].(map[string]any)
	var out []string
	for _, id := range SortedKeys(resources) {
		body, _ := resources[id].(map[string]any)
		typ, _ := body["Type"].(string)
		props, _ := body["Properties"].(map[string]any)
		if slices.Contains(awsfacts.ProtectedTypes, typ) && !awsfacts.AuroraInstance(typ, props) {
			out = append(out, id)
		}
	}
	return out
}

// StackPolicy is a stack policy that allows every update except replacing
// or deleting the protected resources; those named in lifted are left out of
// the deny (for one update that replaces them on purpose). It is nil when
// nothing is protected. The JSON is deterministic.
func StackPolicy(protected, lifted []string) []byte {
	type statement struct {
		Effect    string
		Principal string
		Action    any
		Resource  any
	}
	stmts := []statement{{Effect: "Allow", Principal: "*", Action: "Update:*", Resource: "*"}}
	var deny []string
	for _, id := range protected {
		if !slices.Contains(lifted, id) {
			deny = append(deny, "LogicalResourceId/"+id)
		}
	}
	if len(protected) == 0 {
		return nil
	}
	if len(deny) > 0 {
		stmts = append(stmts, statement{Effect: "Deny", Principal: "*", Action: []string{"Update:Replace", "Update:Delete"}, Resource: deny})
	}
	data, _ := json.Marshal(struct{ Statement []statement }{stmts}) // strings and slices always marshal
	return data
}
