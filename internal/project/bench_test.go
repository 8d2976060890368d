package project

import (
	"testing"

	"github.com/cfngen/cfngen/internal/model"
)

// BenchmarkFiles measures the whole in-memory pipeline of cfngen render:
// render, build, encode, verify, validate and parameter files for both
// variants.
func BenchmarkFiles(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Files(model.Default(), "yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
