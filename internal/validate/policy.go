package validate

// policyStatements lists the statements of an IAM or resource policy
// document, following both branches of every Fn::If (at the document, the
// Statement list or one statement): CloudFormation may deploy either, so a
// rule sees every statement that may exist. complete is false when a part
// comes from another intrinsic (a Ref, an import, a macro) or the document
// has no Statement: no rule can read it, and rules that need the whole
// document say nothing.
func policyStatements(doc any) (sts []map[string]any, complete bool) {
	complete = true
	var stmt func(v any)
	stmt = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				stmt(e)
			}
		case map[string]any:
			if f, a, ok := fn(x); ok {
				if l, isList := a.([]any); f == "Fn::If" && isList && len(l) == 3 {
					stmt(l[1])
					stmt(l[2])
				} else if !isRef(x, "AWS::NoValue") {
					complete = false
				}
				return
			}
			sts = append(sts, x)
		default:
			complete = false
		}
	}
	var document func(v any)
	document = func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			complete = false
			return
		}
		if f, a, ok := fn(m); ok {
			if l, isList := a.([]any); f == "Fn::If" && isList && len(l) == 3 {
				document(l[1])
				document(l[2])
			} else if !isRef(m, "AWS::NoValue") {
				complete = false
			}
			return
		}
		s, ok := m["Statement"]
		if !ok {
			complete = false
			return
		}
		stmt(s)
	}
	document(doc)
	return sts, complete
}

// statementsOf lists the statements a policy document may have (see
// policyStatements), for rules that judge what they can read.
func statementsOf(doc any) []map[string]any {
	sts, _ := policyStatements(doc)
	return sts
}
