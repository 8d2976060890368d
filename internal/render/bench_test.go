package render

import (
	"testing"

	"github.com/cfngen/cfngen/internal/model"
)

func BenchmarkFiles(b *testing.B) {
	m := model.Default()
	for i := 0; i < b.N; i++ {
		if _, _, err := Files(m, "yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
