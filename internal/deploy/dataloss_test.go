package deploy

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Finding 11: what loses data, judged as cfngen diff judges it.
func TestDataLossJudgement(t *testing.T) {
	retained := resChange(types.ChangeActionRemove, "Assets", "AWS::S3::Bucket", "")
	retained.ResourceChange.PolicyAction = types.PolicyActionRetain
	replacedRetained := resChange(types.ChangeActionModify, "Repo", "AWS::ECR::Repository", types.ReplacementTrue)
	replacedRetained.ResourceChange.PolicyAction = types.PolicyActionReplaceAndRetain
	cfn := &CFN{
		Stack: existing(types.StackStatusUpdateComplete),
		Template: `Resources:
  DBCluster:
    Type: AWS::RDS::DBCluster
  DBWriterInstance:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref DBCluster
  Standalone:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
`,
		Changes: []types.Change{
			retained,
			replacedRetained,
			resChange(types.ChangeActionDynamic, "DBCluster", "AWS::RDS::DBCluster", ""),
			resChange(types.ChangeActionModify, "DBWriterInstance", "AWS::RDS::DBInstance", types.ReplacementTrue),
			resChange(types.ChangeActionModify, "Standalone", "AWS::RDS::DBInstance", types.ReplacementTrue),
		},
	}
	e, events := newEngine(cfn, nil)
	req := request()
	req.Template = []byte(cfn.Template)
	_, err := e.Deploy(context.Background(), req)
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want refused", err)
	}
	var got []string
	for _, c := range re.Changes {
		got = append(got, c.LogicalID+": "+c.Danger)
	}
	want := []string{
		"Repo: replaces the image repository",
		"DBCluster: may replace or remove the database (Dynamic: decided when the change set runs)",
		"Standalone: replaces the database",
	}
	if !slices.Equal(got, want) {
		t.Errorf("refused\n%q\nwant\n%q", got, want)
	}
	plan := ofType[PlanReady](*events)[0].Plan
	if i := slices.IndexFunc(plan.Changes, func(c Change) bool { return c.LogicalID == "Assets" }); !strings.Contains(plan.Changes[i].Note, "retained") {
		t.Errorf("Assets: note %q, want it retained", plan.Changes[i].Note)
	}
}

// In prod the stack policy denies removing a retained bucket (it loses no
// data, but the policy would fail the update): without --allow-replace
// lifting it, that is refused before it fails. An Aurora cluster's instance
// holds no data and is not protected: replacing it needs nothing (the CLI
// passes the new template's cfn.Protected, which leaves instances out; the
// deployed template is read, so the change set adds nothing to protect).
func TestPolicyDeniesWhatLosesNoData(t *testing.T) {
	retained := resChange(types.ChangeActionRemove, "Assets", "AWS::S3::Bucket", "")
	retained.ResourceChange.PolicyAction = types.PolicyActionRetain
	template := "Resources:\n  DBCluster:\n    Type: AWS::RDS::DBCluster\n  DBWriterInstance:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref DBCluster\n"
	cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete), Template: template + "  Assets:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n",
		Changes: []types.Change{retained, resChange(types.ChangeActionModify, "DBWriterInstance", "AWS::RDS::DBInstance", types.ReplacementTrue)},
		Script:  []Step{{Status: types.StackStatusUpdateComplete}}}
	e, _ := newEngine(cfn, nil)
	req := request()
	req.Template = []byte(template)
	req.Protect, req.Protected = true, []string{"DBCluster"}
	_, err := e.Deploy(context.Background(), req)
	var re *RefusedError
	if !errors.As(err, &re) || len(re.Changes) != 1 || re.Changes[0].LogicalID != "Assets" || re.Changes[0].Danger != "the stack policy denies removing it" {
		t.Fatalf("err = %v, want only the retained bucket refused by the policy", err)
	}
	if !strings.HasPrefix(err.Error(), "refused: the change set is denied by the stack policy (deleted, nothing deployed)") {
		t.Errorf("message %q", err)
	}
	req.AllowReplace = []string{"Assets"}
	if _, err := e.Deploy(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got := denied(cfn.Policies[0]); !slices.Equal(got, []string{"DBCluster"}) {
		t.Errorf("lifted policy denies %q, want only DBCluster (Assets lifted, the Aurora instance never protected)", got)
	}
	if got := denied(cfn.Policies[len(cfn.Policies)-1]); !slices.Equal(got, []string{"Assets", "DBCluster"}) {
		t.Errorf("restored policy denies %q, want Assets and DBCluster", got)
	}
}
