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
