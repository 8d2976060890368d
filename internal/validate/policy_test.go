package validate

import "testing"

// TestPolicyStatements: one reader for every policy document, with one
// reading of Fn::If (both branches) and of what it cannot read.
func TestPolicyStatements(t *testing.T) {
	st := func(sid string) map[string]any { return map[string]any{"Sid": sid} }
	iff := func(a, b any) map[string]any { return map[string]any{"Fn::If": []any{"C", a, b}} }
	noValue := map[string]any{"Ref": "AWS::NoValue"}
	for _, c := range []struct {
		name     string
		doc      any
		sids     []string
		complete bool
	}{
		{"list", map[string]any{"Statement": []any{st("a"), st("b")}}, []string{"a", "b"}, true},
		{"one statement", map[string]any{"Statement": st("a")}, []string{"a"}, true},
		{"statement under If", map[string]any{"Statement": []any{st("a"), iff(st("b"), noValue)}}, []string{"a", "b"}, true},
		{"statement list under If", map[string]any{"Statement": iff([]any{st("a")}, []any{st("b")})}, []string{"a", "b"}, true},
		{"document under If", iff(map[string]any{"Statement": st("a")}, map[string]any{"Statement": st("b")}), []string{"a", "b"}, true},
		{"imported statement", map[string]any{"Statement": []any{st("a"), map[string]any{"Fn::ImportValue": "x"}}}, []string{"a"}, false},
		{"computed document", map[string]any{"Ref": "Doc"}, nil, false},
		{"no Statement", map[string]any{"Version": "2012-10-17"}, nil, false},
		{"a string", "{}", nil, false},
	} {
		sts, complete := policyStatements(c.doc)
		var sids []string
		for _, s := range sts {
			sids = append(sids, s["Sid"].(string))
		}
		if complete != c.complete || len(sids) != len(c.sids) {
			t.Errorf("%s: %v complete %v, want %v complete %v", c.name, sids, complete, c.sids, c.complete)
			continue
		}
		for i := range sids {
			if sids[i] != c.sids[i] {
				t.Errorf("%s: %v, want %v", c.name, sids, c.sids)
			}
		}
	}
}
