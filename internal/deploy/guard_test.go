package deploy

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// auroraDeployed is the deployed template of a prod stack (DBCluster and
// ApiBucket protected) that the RDS variant (DBInstance and ApiBucket)
// replaces.
const auroraDeployed = `Resources:
  ApiBucket:
    Type: AWS::S3::Bucket
  DBCluster:
    Type: AWS::RDS::DBCluster
`

// denied lists the logical ids a stack policy of cfngen denies.
func denied(policy string) []string {
	var out []string
	for _, part := range strings.Split(policy, `"LogicalResourceId/`)[1:] {
		out = append(out, part[:strings.IndexByte(part, '"')])
	}
	return out
}

func rdsOverAurora(templateErr error) *CFN {
	return &CFN{
		Stack:       existing(types.StackStatusUpdateComplete),
		Template:    auroraDeployed,
		TemplateErr: templateErr,
		Changes: []types.Change{
			resChange(types.ChangeActionRemove, "DBCluster", "AWS::RDS::DBCluster", ""),
			resChange(types.ChangeActionAdd, "DBInstance", "AWS::RDS::DBInstance", ""),
		},
		Script: []Step{{Status: types.StackStatusUpdateComplete}},
	}
}

func prodRequest() Request {
	req := request()
	req.Template = []byte("Resources:\n  ApiBucket:\n    Type: AWS::S3::Bucket\n  DBInstance:\n    Type: AWS::RDS::DBInstance\n")
	req.Protect, req.Protected = true, []string{"ApiBucket", "DBInstance"}
	return req
}

// Finding 1: the policy protects what the deployed template protects too,
// and is never narrowed before the change set is refused.
func TestProdGuardRailsKeepDeployedProtection(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		cfn := rdsOverAurora(nil)
		e, _ := newEngine(cfn, nil)
		_, err := e.Deploy(context.Background(), prodRequest())
		var re *RefusedError
		if !errors.As(err, &re) {
			t.Fatalf("err = %v, want refused", err)
		}
		if has(cfn.Calls, "SetStackPolicy") || has(cfn.Calls, "UpdateTerminationProtection true") {
			t.Errorf("calls %q: a refused deployment touched the guard rails", cfn.Calls)
		}
	})
	for name, templateErr := range map[string]error{"deployed template read": nil, "deployed template unreadable": APIError("AccessDenied", "no")} {
		t.Run(name, func(t *testing.T) {
			cfn := rdsOverAurora(templateErr)
			e, _ := newEngine(cfn, nil)
			req := prodRequest()
			req.AllowReplace = []string{"DBCluster"}
			if _, err := e.Deploy(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			if len(cfn.Policies) != 2 {
				t.Fatalf("policies %q", cfn.Policies)
			}
			if got, want := denied(cfn.Policies[0]), []string{"ApiBucket", "DBInstance"}; !slices.Equal(got, want) {
				t.Errorf("during the update: denies %q, want %q (DBCluster lifted)", got, want)
			}
			if got, want := denied(cfn.Policies[1]), []string{"ApiBucket", "DBCluster", "DBInstance"}; !slices.Equal(got, want) {
				t.Errorf("after the update: denies %q, want %q", got, want)
			}
		})
	}
}

// Finding 2: a dry run of a prod stack changes nothing on it.
func TestProdDryRunTouchesNothing(t *testing.T) {
	cfn := rdsOverAurora(nil)
	e, events := newEngine(cfn, nil)
	req := prodRequest()
	req.DryRun, req.AllowReplace = true, []string{"DBCluster"}
	res, err := e.Deploy(context.Background(), req)
	if err != nil || res.Outcome != DryRunned {
		t.Fatalf("%+v, %v", res, err)
	}
	if has(cfn.Calls, "SetStackPolicy") || has(cfn.Calls, "UpdateTerminationProtection true") {
		t.Errorf("calls %q: a dry run changed the guard rails", cfn.Calls)
	}
	if !slices.ContainsFunc(ofType[Note](*events), func(n Note) bool {
		return strings.Contains(n.Text, "guard rails were not touched") && strings.Contains(n.Text, "ApiBucket, DBCluster, DBInstance")
	}) {
		t.Errorf("notes %+v: want what a deployment would protect", ofType[Note](*events))
	}
}

// Finding 3: an error or Ctrl-C after the policy is lifted and before the
// change set runs puts the strict policy back and deletes the change set.
func TestProdNothingLiftedWhenExecuteDoesNotRun(t *testing.T) {
	allowed := func() Request {
		req := request()
		req.Protect, req.Protected, req.AllowReplace = true, []string{"DBCluster"}, []string{"DBCluster"}
		return req
	}
	replace := func() *CFN {
		return &CFN{Stack: existing(types.StackStatusUpdateComplete),
			Changes: []types.Change{resChange(types.ChangeActionModify, "DBCluster", "AWS::RDS::DBCluster", types.ReplacementTrue)},
			Script:  []Step{{Status: types.StackStatusUpdateComplete}}}
	}
	strictLast := func(t *testing.T, cfn *CFN) {
		t.Helper()
		if n := len(cfn.Policies); n > 0 && !slices.Equal(denied(cfn.Policies[n-1]), []string{"DBCluster"}) {
			t.Errorf("policies %q: the last one must be strict", cfn.Policies)
		}
		if has(cfn.Calls, "ExecuteChangeSet") && cfn.ExecErr == nil || !has(cfn.Calls, "DeleteChangeSet") {
			t.Errorf("calls %q: want the change set deleted, not executed", cfn.Calls)
		}
	}
	t.Run("events unreadable", func(t *testing.T) {
		cfn := replace()
		cfn.EventsErr = APIError("Throttling", "Rate exceeded")
		e, _ := newEngine(cfn, nil)
		if _, err := e.Deploy(context.Background(), allowed()); err == nil {
			t.Fatal("want the error")
		}
		if has(cfn.Calls, "SetStackPolicy") {
			t.Errorf("calls %q: the policy was lifted before the events were read", cfn.Calls)
		}
		strictLast(t, cfn)
	})
	t.Run("interrupted after lifting", func(t *testing.T) {
		cfn := replace()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		e, _ := newEngine(cfn, nil)
		inner := e.Report
		e.Report = func(ev Event) {
			inner(ev)
			if p, ok := ev.(Policy); ok && len(p.Lifted) > 0 {
				cancel() // Ctrl-C between lifting and executing
			}
		}
		_, err := e.Deploy(ctx, allowed())
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if len(cfn.Policies) != 2 {
			t.Errorf("policies %q: want lifted, then strict again", cfn.Policies)
		}
		strictLast(t, cfn)
	})
	t.Run("execute refused by CloudFormation", func(t *testing.T) {
		cfn := replace()
		cfn.ExecErr = APIError("AccessDenied", "not authorized to perform: cloudformation:ExecuteChangeSet")
		e, _ := newEngine(cfn, nil)
		_, err := e.Deploy(context.Background(), allowed())
		// Finding 8: an AWS error, not a failed deployment, and the API
		// error is still there.
		var fe *FailedError
		var ae smithy.APIError
		if errors.As(err, &fe) || !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
			t.Fatalf("err = %v: want the AccessDenied API error, not a FailedError", err)
		}
		if len(cfn.Policies) != 2 {
			t.Errorf("policies %q: want lifted, then strict again", cfn.Policies)
		}
		strictLast(t, cfn)
	})
	t.Run("policy not set", func(t *testing.T) {
		cfn := replace()
		cfn.PolicyErr = APIError("AccessDenied", "not authorized to perform: cloudformation:SetStackPolicy")
		e, _ := newEngine(cfn, nil)
		if _, err := e.Deploy(context.Background(), allowed()); err == nil || !strings.Contains(err.Error(), "set the stack policy") {
			t.Fatalf("err = %v", err)
		}
		strictLast(t, cfn)
	})
}

// An ExecuteChangeSet error after which the stack wrote no event means
// nothing ran, whatever its code: AWS trouble (not a failed deployment),
// the change set deleted and the strict policy back.
func TestExecuteErrorNothingRan(t *testing.T) {
	for _, code := range []string{"UnknownError", "InvalidAction", "AccessDenied"} {
		cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete),
			Changes: []types.Change{resChange(types.ChangeActionModify, "Queue", "AWS::SQS::Queue", types.ReplacementFalse)},
			ExecErr: APIError(code, "")}
		e, _ := newEngine(cfn, nil)
		_, err := e.Deploy(context.Background(), request())
		var fe *FailedError
		if err == nil || errors.As(err, &fe) {
			t.Errorf("%s: err = %v, want AWS trouble, not a failed deployment", code, err)
		}
		if !has(cfn.Calls, "DeleteChangeSet") {
			t.Errorf("%s: the change set that did not run was not deleted: %v", code, cfn.Calls)
		}
	}
}

// A Conditional replacement of a database that cfngen's forecast finds in
// place (a backup-retention change) stays refused, the change set's word
// deciding, with a note saying what the forecast found.
func TestConditionalInPlaceNoted(t *testing.T) {
	deployed := "Parameters:\n  Days: {Type: Number, Default: 7}\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.t4g.micro\n      Engine: postgres\n      BackupRetentionPeriod: !Ref Days\n"
	cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete), Template: deployed,
		Changes: []types.Change{resChange(types.ChangeActionModify, "Db", "AWS::RDS::DBInstance", types.ReplacementConditional)}}
	e, _ := newEngine(cfn, nil)
	req := request()
	req.Template = []byte(strings.Replace(deployed, "Default: 7", "Default: 14", 1))
	_, err := e.Deploy(context.Background(), req)
	var re *RefusedError
	if !errors.As(err, &re) || len(re.Changes) != 1 {
		t.Fatalf("err = %v, want the conditional replacement refused", err)
	}
	if !strings.Contains(re.Changes[0].Note, "cfngen's forecast: updated in place") {
		t.Errorf("note %q, want the forecast's in-place finding", re.Changes[0].Note)
	}
}
