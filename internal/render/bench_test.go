package render

import (
	"testing"

	"github.com/cfngen/cfngen/internal/model"
)

func BenchmarkFiles(b *testing.B) {
	m := model.Default()
	for i := 0; i < b.N; i++ {
		if _, err := Files(m); err != nil {
			b.Fatal(err)
		}
	}
}
