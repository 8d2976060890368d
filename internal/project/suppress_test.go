package project

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
)

// metadata returns the Metadata of a resource of a rendered variant.
func metadata(t *testing.T, m model.Backend, v layout.Variant, id string) (map[string]any, bool) {
	t.Helper()
	s, err := Stack(m, v)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Template.Build()
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range d.Sections {
		if sec.Name != "Resources" {
			continue
		}
		for _, e := range sec.Entries {
			if e.Name == id {
				md, ok := e.Body.(map[string]any)["Metadata"].(map[string]any)
				return md, ok
			}
		}
	}
	t.Fatalf("resource %s missing", id)
	return nil, false
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("%s = %s, want %s", what, g, w)
	}
}

// Every default suppression names a resource of the variant it applies to
// and writes cfngen's form; scanner forms follow the rule's mapping.
func TestSuppressionMetadata(t *testing.T) {
	md, _ := metadata(t, model.Default(), layout.Aurora, "LoadBalancerSecurityGroup")
	equal(t, "cfngen form", md["cfngen"], map[string]any{"suppress": []any{
		map[string]any{"rule": "C625", "reason": "Public load balancer by design; WAF in front"}}})
	equal(t, "cfn_nag form", md["cfn_nag"], map[string]any{"rules_to_suppress": []any{
		map[string]any{"id": "W2", "reason": "Public load balancer by design; WAF in front"},
		map[string]any{"id": "W9", "reason": "Public load balancer by design; WAF in front"}}})
	equal(t, "checkov form", md["checkov"], map[string]any{"skip": []any{
		map[string]any{"id": "CKV_AWS_260", "comment": "Public load balancer by design; WAF in front"}}})
	if _, ok := metadata(t, model.Default(), layout.Aurora, "DatabaseSecurityGroup"); ok {
		t.Error("the database group has nothing to suppress but carries Metadata")
	}
	m := model.Default()
	m.Bastion.Enabled = false
	for _, s := range m.DefaultSuppressions() {
		if strings.HasPrefix(s.Resource, "Bastion") {
			t.Errorf("without a bastion, %s on %s is still suppressed", s.Rule, s.Resource)
		}
	}
}
