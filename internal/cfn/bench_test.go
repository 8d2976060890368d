package cfn_test

import (
	"testing"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/render"
)

// auroraStack renders the Aurora variant of the default model, the template
// cfngen writes as templates/backend-stack.yaml.
func auroraStack(b *testing.B) render.Stack {
	b.Helper()
	s, err := render.RenderVariant(model.Default(), layout.Aurora)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func auroraDoc(b *testing.B) *cfn.Doc {
	b.Helper()
	doc, err := auroraStack(b).Template.Build()
	if err != nil {
		b.Fatal(err)
	}
	return doc
}

// BenchmarkBuild measures turning the template into its generic tree.
func BenchmarkBuild(b *testing.B) {
	t := auroraStack(b).Template
	b.ReportAllocs()
	for b.Loop() {
		if _, err := t.Build(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeYAML measures encoding the tree as CloudFormation YAML.
func BenchmarkEncodeYAML(b *testing.B) {
	doc := auroraDoc(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := doc.YAML(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeJSON measures encoding the tree as CloudFormation JSON.
func BenchmarkEncodeJSON(b *testing.B) {
	doc := auroraDoc(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := doc.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyYAML measures reading the YAML back and comparing it with
// the tree, the check Files runs on every template.
func BenchmarkVerifyYAML(b *testing.B) {
	doc := auroraDoc(b)
	data, err := doc.YAML()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := doc.Verify(data, "yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
