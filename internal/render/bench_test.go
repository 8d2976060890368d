package render

import (
	"testing"

	"github.com/cfngen/cfngen/internal/model"
)

// BenchmarkModelDefault measures building the default model alone.
func BenchmarkModelDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = model.Default()
	}
}

// BenchmarkRenderBothVariants measures building both templates in memory
// (goformation resources, no encoding).
func BenchmarkRenderBothVariants(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(model.Default()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFiles measures the whole in-memory pipeline of cfngen render:
// render, build, encode, verify and parameter files for both variants.
func BenchmarkFiles(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Files(model.Default(), "yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
