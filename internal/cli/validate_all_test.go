package cli

import (
	"reflect"
	"testing"

	"github.com/cfngen/cfngen/internal/validate"
)

func TestMergeFindings(t *testing.T) {
	inputs := []validate.Input{
		{Path: "t.yaml", ParamsPath: "params/params.json"},
		{Path: "t.yaml", ParamsPath: "params/prod/params.json"},
		{Path: "u.yaml"},
	}
	tpl := validate.Finding{Rule: "D510", File: "t.yaml", Line: 3, Message: "no writer"}
	unusedOnce := validate.Finding{Rule: "C698", File: "t.yaml", Line: 9, Resource: "Bastion", Message: "C661 suppression matches nothing"}
	unusedBoth := validate.Finding{Rule: "C698", File: "t.yaml", Line: 12, Resource: "Db", Message: "C640 suppression matches nothing"}
	unusedU := validate.Finding{Rule: "C698", File: "u.yaml", Line: 1, Resource: "X", Message: "C601 suppression matches nothing"}
	p1 := validate.Finding{Rule: "P403", File: "params/params.json", Message: "bad"}
	p2 := validate.Finding{Rule: "P403", File: "params/prod/params.json", Message: "bad"}
	got := mergeFindings(inputs, []validate.Finding{tpl, unusedOnce, unusedBoth, p1, tpl, unusedBoth, p2, unusedU})
	want := []validate.Finding{tpl, unusedBoth, p1, p2, unusedU}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged:\n%v\nwant:\n%v", got, want)
	}
	if n := templateCount(inputs); n != 2 {
		t.Errorf("templateCount = %d, want 2", n)
	}
}
