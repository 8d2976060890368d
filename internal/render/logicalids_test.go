package render

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/golden"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/scenario"
)

// TestLogicalIDLock locks the set of logical ids of every variant and
// scenario. Renaming a logical id replaces the resource on AWS (a new
// database, a new bucket): such a change must show up here, on purpose.
func TestLogicalIDLock(t *testing.T) {
	for _, sc := range scenario.All {
		for _, v := range layout.Variants {
			s, err := RenderVariant(sc.Model(), v)
			if err != nil {
				t.Fatal(err)
			}
			ids := s.Template.ResourceIDs()
			sort.Strings(ids)
			golden.Assert(t, filepath.Join("testdata", "logical-ids", sc.Name+"-"+string(v)+".txt"), []byte(strings.Join(ids, "\n")+"\n"))
		}
	}
}
