package validate

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkValidateCommitted validates both committed templates with their
// params files, as `cfngen validate` does with no arguments.
func BenchmarkValidateCommitted(b *testing.B) {
	root := filepath.Join("..", "..")
	var inputs []Input
	for _, p := range [][2]string{
		{"templates/backend-stack.yaml", "params/params.json"},
		{"templates/backend-stack-with-rds.yaml", "params/params-with-rds.json"},
	} {
		data, err := os.ReadFile(filepath.Join(root, p[0]))
		if err != nil {
			b.Fatal(err)
		}
		params, err := os.ReadFile(filepath.Join(root, p[1]))
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, Input{Path: p[0], Data: data, ParamsPath: p[1], Params: params})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(inputs, nil); err != nil {
			b.Fatal(err)
		}
	}
}
