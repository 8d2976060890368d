package cfn

import (
	"bytes"
	"encoding/json"
)

// ParamValue is one entry of a CloudFormation parameters file.
type ParamValue struct {
	ParameterKey   string
	ParameterValue string
}

// ParamsJSON encodes a parameters file as the AWS CLI reads it: a JSON array
// of {"ParameterKey", "ParameterValue"} objects, two-space indented, with a
// trailing newline.
func ParamsJSON(values []ParamValue) ([]byte, error) {
	if values == nil {
		values = []ParamValue{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(values); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
