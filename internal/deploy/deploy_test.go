package deploy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"

	"github.com/cfngen/cfngen/internal/deploy/deploytest"
)

// The fakes, by short names.
type (
	CFN  = deploytest.CFN
	S3   = deploytest.S3
	STS  = deploytest.STS
	Step = deploytest.Step
	Ev   = deploytest.Ev
)

var (
	resChange = deploytest.Change
	APIError  = deploytest.APIError
)

const StackID = deploytest.StackID

const stackType = "AWS::CloudFormation::Stack"

// newEngine returns an engine over the fakes that records every event.
func newEngine(cfn *CFN, s3 *S3) (*Engine, *[]Event) {
	var events []Event
	clock := time.Date(2026, 12, 3, 5, 0, 0, 0, time.UTC)
	if s3 == nil {
		s3 = &S3{}
	}
	e := &Engine{
		Clients:   Clients{CFN: cfn, S3: s3, STS: STS{}, Region: "eu-central-1"},
		Poll:      time.Microsecond,
		Heartbeat: time.Hour,
		Now: func() time.Time {
			clock = clock.Add(time.Second)
			return clock
		},
		Report: func(ev Event) { events = append(events, ev) },
	}
	return e, &events
}

func request() Request {
	return Request{
		Stack:        "myapp-dev",
		Template:     []byte("Resources: {}\n"),
		TemplateExt:  ".yaml",
		Parameters:   []Parameter{{"Environment", "dev"}},
		Tags:         []Tag{{"team", "payments"}},
		Capabilities: []string{"CAPABILITY_IAM"},
		Prefix:       "cfngen/myapp-dev/",
	}
}

func existing(status types.StackStatus) *types.Stack {
	return &types.Stack{StackName: aws.String("myapp-dev"), StackId: aws.String(StackID), StackStatus: status}
}

// ofType returns the events of type T.
func ofType[T Event](events []Event) []T {
	var out []T
	for _, e := range events {
		if t, ok := e.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

func has(calls []string, call string) bool { return slices.Contains(calls, call) }

func TestCreate(t *testing.T) {
	cfn := &CFN{
		Pending: 2,
		Changes: []types.Change{
			resChange(types.ChangeActionAdd, "Queue", "AWS::SQS::Queue", ""),
			resChange(types.ChangeActionAdd, "Topic", "AWS::SNS::Topic", ""),
		},
		Script: []Step{
			{Status: types.StackStatusCreateInProgress, Events: []Ev{
				{"myapp-dev", stackType, "CREATE_IN_PROGRESS", "User Initiated"},
				{"Queue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", ""},
				{"Topic", "AWS::SNS::Topic", "CREATE_IN_PROGRESS", ""},
			}},
			{Status: types.StackStatusCreateInProgress, Events: []Ev{{"Queue", "AWS::SQS::Queue", "CREATE_COMPLETE", ""}}},
			{Status: types.StackStatusCreateInProgress},
			{Status: types.StackStatusCreateComplete, Events: []Ev{
				{"Topic", "AWS::SNS::Topic", "CREATE_COMPLETE", ""},
				{"myapp-dev", stackType, "CREATE_COMPLETE", ""},
			}, Outputs: []types.Output{
				{OutputKey: aws.String("TopicArn"), OutputValue: aws.String("arn:topic")},
				{OutputKey: aws.String("QueueUrl"), OutputValue: aws.String("https://queue")},
			}},
		},
	}
	e, events := newEngine(cfn, nil)
	res, err := e.Deploy(context.Background(), request())
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Created || res.Status != "CREATE_COMPLETE" {
		t.Errorf("outcome %q status %q, want created CREATE_COMPLETE", res.Outcome, res.Status)
	}
	in := cfn.Created
	if in.ChangeSetType != types.ChangeSetTypeCreate || aws.ToString(in.TemplateBody) != "Resources: {}\n" || in.TemplateURL != nil {
		t.Errorf("change set input: type %s body %q url %v", in.ChangeSetType, aws.ToString(in.TemplateBody), in.TemplateURL)
	}
	if aws.ToString(in.ChangeSetName) != "cfngen-20261203-050001-000" {
		t.Errorf("change set name %s", aws.ToString(in.ChangeSetName))
	}
	if len(in.Parameters) != 1 || aws.ToString(in.Parameters[0].ParameterKey) != "Environment" || len(in.Tags) != 1 || aws.ToString(in.Tags[0].Key) != "team" ||
		!slices.Equal(in.Capabilities, []types.Capability{types.CapabilityCapabilityIam}) {
		t.Errorf("parameters, tags or capabilities not passed: %+v", in)
	}
	plans := ofType[PlanReady](*events)
	if len(plans) != 1 || len(plans[0].Plan.Changes) != 2 || plans[0].Plan.Type != "CREATE" {
		t.Fatalf("plan events %+v", plans)
	}
	// Every event of the operation, in order, and none from before it.
	var got []string
	for _, se := range ofType[StackEvent](*events) {
		got = append(got, se.LogicalID+" "+se.Status)
	}
	want := []string{"myapp-dev CREATE_IN_PROGRESS", "Queue CREATE_IN_PROGRESS", "Topic CREATE_IN_PROGRESS", "Queue CREATE_COMPLETE", "Topic CREATE_COMPLETE", "myapp-dev CREATE_COMPLETE"}
	if !slices.Equal(got, want) {
		t.Errorf("events\n got %q\nwant %q", got, want)
	}
	var progress []string
	for _, p := range ofType[Progress](*events) {
		progress = append(progress, fmt.Sprintf("%d/%d", p.Done, p.Total))
	}
	if !slices.Equal(progress, []string{"0/2", "1/2"}) {
		t.Errorf("progress %q, want 0/2 1/2", progress)
	}
	fin := ofType[Finished](*events)
	if len(fin) != 1 || len(fin[0].Outputs) != 2 || fin[0].Outputs[0].Key != "QueueUrl" {
		t.Errorf("finished %+v, want sorted outputs", fin)
	}
	if has(cfn.Calls, "SetStackPolicy") || has(cfn.Calls, "UpdateTerminationProtection true") {
		t.Errorf("guard rails on a dev Stack: %q", cfn.Calls)
	}
}

func TestUpdate(t *testing.T) {
	cfn := &CFN{
		Stack: existing(types.StackStatusUpdateComplete),
		Changes: []types.Change{
			resChange(types.ChangeActionModify, "Queue", "AWS::SQS::Queue", types.ReplacementFalse),
		},
		Script: []Step{
			{Status: types.StackStatusUpdateComplete, Events: []Ev{
				{"myapp-dev", stackType, "UPDATE_IN_PROGRESS", "User Initiated"},
				{"Queue", "AWS::SQS::Queue", "UPDATE_COMPLETE", ""},
				{"myapp-dev", stackType, "UPDATE_COMPLETE", ""},
			}},
		},
	}
	cfn.AddEvents("myapp-dev", []Ev{{"myapp-dev", stackType, "CREATE_COMPLETE", "an old event"}})
	e, events := newEngine(cfn, nil)
	res, err := e.Deploy(context.Background(), request())
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Updated || cfn.Created.ChangeSetType != types.ChangeSetTypeUpdate {
		t.Errorf("outcome %q type %s", res.Outcome, cfn.Created.ChangeSetType)
	}
	for _, se := range ofType[StackEvent](*events) {
		if se.Reason == "an old event" {
			t.Error("an event from before the deployment was reported")
		}
	}
	if p := ofType[PlanReady](*events)[0].Plan; len(p.Dangerous()) != 0 {
		t.Errorf("a queue modified in place is not dangerous: %+v", p.Dangerous())
	}
}

func TestNoChange(t *testing.T) {
	for name, cfn := range map[string]*CFN{
		// Real CloudFormation: the change set fails with this reason.
		"failed change set": {Stack: existing(types.StackStatusUpdateComplete), ChangeSetStatus: types.ChangeSetStatusFailed,
			ChangeSetReason: "The submitted information didn't contain changes. Submit different information to create a change set."},
		// moto, and older APIs: CreateChangeSet itself refuses.
		"refused create": {Stack: existing(types.StackStatusCreateComplete), CreateErr: APIError("ValidationError", "No updates are to be performed.")},
	} {
		t.Run(name, func(t *testing.T) {
			e, events := newEngine(cfn, nil)
			res, err := e.Deploy(context.Background(), request())
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != NoChange || len(ofType[NoChanges](*events)) != 1 {
				t.Errorf("outcome %q, events %+v", res.Outcome, *events)
			}
			if has(cfn.Calls, "ExecuteChangeSet") {
				t.Error("executed a change set with no changes")
			}
			if cfn.CreateErr == nil && !has(cfn.Calls, "DeleteChangeSet") {
				t.Error("the empty change set was not deleted")
			}
		})
	}
}

func TestChangeSetFailed(t *testing.T) {
	cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete), ChangeSetStatus: types.ChangeSetStatusFailed, ChangeSetReason: "Template error: unresolved resource dependencies [Nope]"}
	e, _ := newEngine(cfn, nil)
	_, err := e.Deploy(context.Background(), request())
	var fe *FailedError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "unresolved resource dependencies [Nope]") {
		t.Fatalf("err = %v, want a FailedError with the reason", err)
	}
	if !has(cfn.Calls, "DeleteChangeSet") {
		t.Error("the failed change set was left behind")
	}
}

func TestFailureRootCause(t *testing.T) {
	cfn := &CFN{
		Changes: []types.Change{
			resChange(types.ChangeActionAdd, "Bucket", "AWS::S3::Bucket", ""),
			resChange(types.ChangeActionAdd, "Cluster", "AWS::RDS::DBCluster", ""),
			resChange(types.ChangeActionAdd, "Queue", "AWS::SQS::Queue", ""),
		},
		Script: []Step{
			{Status: types.StackStatusCreateInProgress, Events: []Ev{
				{"myapp-dev", stackType, "CREATE_IN_PROGRESS", "User Initiated"},
				{"Bucket", "AWS::S3::Bucket", "CREATE_IN_PROGRESS", ""},
				{"Cluster", "AWS::RDS::DBCluster", "CREATE_IN_PROGRESS", ""},
				{"Queue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", ""},
			}},
			{Status: types.StackStatusRollbackInProgress, Events: []Ev{
				{"Cluster", "AWS::RDS::DBCluster", "CREATE_FAILED", "Resource handler returned message: \"The engine version 15.4 is deprecated\""},
				{"Bucket", "AWS::S3::Bucket", "CREATE_FAILED", "Resource creation cancelled"},
				{"Queue", "AWS::SQS::Queue", "CREATE_FAILED", "Resource creation cancelled"},
				{"myapp-dev", stackType, "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Bucket, Cluster, Queue]. Rollback requested by user."},
			}},
			{Status: types.StackStatusRollbackComplete, Events: []Ev{
				{"Bucket", "AWS::S3::Bucket", "DELETE_COMPLETE", ""},
				{"myapp-dev", stackType, "ROLLBACK_COMPLETE", ""},
			}},
		},
	}
	e, _ := newEngine(cfn, nil)
	res, err := e.Deploy(context.Background(), request())
	var fe *FailedError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a FailedError", err)
	}
	if res.Status != "ROLLBACK_COMPLETE" || len(fe.Causes) != 1 || fe.Causes[0].LogicalID != "Cluster" {
		t.Fatalf("status %s, causes %+v: want the cluster alone", res.Status, fe.Causes)
	}
	for _, want := range []string{"stack myapp-dev failed (ROLLBACK_COMPLETE)", "Cluster (AWS::RDS::DBCluster) CREATE_FAILED: Resource handler returned message: \"The engine version 15.4 is deprecated\""} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "cancelled") {
		t.Errorf("message lists the cascade: %q", err)
	}
}

func TestRootCausesFallBackToStackReason(t *testing.T) {
	cfn := &CFN{
		Stack:   existing(types.StackStatusUpdateComplete),
		Changes: []types.Change{resChange(types.ChangeActionModify, "Queue", "AWS::SQS::Queue", types.ReplacementFalse)},
		Script: []Step{{Status: types.StackStatusUpdateRollbackComplete, Events: []Ev{
			{"myapp-dev", stackType, "UPDATE_ROLLBACK_COMPLETE", ""},
		}}},
	}
	cfn.Stack.StackStatusReason = aws.String("Parameter validation failed")
	e, _ := newEngine(cfn, nil)
	_, err := e.Deploy(context.Background(), request())
	if err == nil || !strings.Contains(err.Error(), "Parameter validation failed") {
		t.Fatalf("err = %v, want the stack's own reason", err)
	}
}

func TestExecuteRefused(t *testing.T) {
	// moto runs a change set inside ExecuteChangeSet and reports a resource
	// failure as the call's error: a failed deployment that keeps the API
	// error.
	cfn := &CFN{Changes: []types.Change{resChange(types.ChangeActionAdd, "Queue", "AWS::SQS::Queue", "")},
		ExecErr: APIError("InvalidParameterValue", "Queue name must end in .fifo for FIFO queues"), ExecRan: true}
	e, _ := newEngine(cfn, nil)
	_, err := e.Deploy(context.Background(), request())
	var fe *FailedError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "must end in .fifo") {
		t.Fatalf("err = %v", err)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" {
		t.Fatalf("err = %v: want a FailedError wrapping the API error", err)
	}
}

func TestReviewInProgress(t *testing.T) {
	cfn := &CFN{
		Stack:   existing(types.StackStatusReviewInProgress),
		Changes: []types.Change{resChange(types.ChangeActionAdd, "Queue", "AWS::SQS::Queue", "")},
		Script:  []Step{{Status: types.StackStatusCreateComplete, Events: []Ev{{"myapp-dev", stackType, "CREATE_COMPLETE", ""}}}},
	}
	e, events := newEngine(cfn, nil)
	res, err := e.Deploy(context.Background(), request())
	if err != nil {
		t.Fatal(err)
	}
	if cfn.Created.ChangeSetType != types.ChangeSetTypeCreate || res.Outcome != Created {
		t.Errorf("type %s outcome %s, want a CREATE change set", cfn.Created.ChangeSetType, res.Outcome)
	}
	notes := ofType[Note](*events)
	if len(notes) == 0 || !strings.Contains(notes[0].Text, "REVIEW_IN_PROGRESS") {
		t.Errorf("notes %+v", notes)
	}
}

func TestStackStates(t *testing.T) {
	for status, want := range map[types.StackStatus]string{
		types.StackStatusRollbackFailed:       "its first create failed",
		types.StackStatusDeleteFailed:         "deleting it failed",
		types.StackStatusUpdateInProgress:     "another operation is running",
		types.StackStatusUpdateRollbackFailed: "continue-update-rollback",
	} {
		cfn := &CFN{Stack: existing(status)}
		e, _ := newEngine(cfn, nil)
		_, err := e.Deploy(context.Background(), request())
		var se *StateError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want a StateError saying %q", status, err, want)
		}
		if has(cfn.Calls, "CreateChangeSet UPDATE") {
			t.Errorf("%s: created a change set", status)
		}
	}
}

func TestConfirmation(t *testing.T) {
	var asked *Plan
	cfn := &CFN{Changes: []types.Change{resChange(types.ChangeActionAdd, "Queue", "AWS::SQS::Queue", "")}}
	e, _ := newEngine(cfn, nil)
	req := request()
	req.Confirm = func(_ context.Context, p *Plan) (bool, error) { asked = p; return false, nil }
	_, err := e.Deploy(context.Background(), req)
	if !errors.Is(err, ErrDeclined) {
		t.Fatalf("err = %v, want ErrDeclined", err)
	}
	if asked == nil || len(asked.Changes) != 1 {
		t.Errorf("confirm saw %+v", asked)
	}
	if has(cfn.Calls, "ExecuteChangeSet") || !has(cfn.Calls, "DeleteChangeSet") || !has(cfn.Calls, "DeleteStack") {
		t.Errorf("calls %q: want the change set and the empty new stack deleted, nothing executed", cfn.Calls)
	}
}

func TestDryRun(t *testing.T) {
	cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete), Changes: []types.Change{resChange(types.ChangeActionModify, "Queue", "AWS::SQS::Queue", types.ReplacementFalse)}}
	e, events := newEngine(cfn, nil)
	req := request()
	req.DryRun = true
	req.Confirm = func(context.Context, *Plan) (bool, error) {
		t.Error("a dry run asked for confirmation")
		return true, nil
	}
	res, err := e.Deploy(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != DryRunned || len(ofType[PlanReady](*events)) != 1 {
		t.Errorf("outcome %q", res.Outcome)
	}
	if has(cfn.Calls, "ExecuteChangeSet") || !has(cfn.Calls, "DeleteChangeSet") || has(cfn.Calls, "DeleteStack") {
		t.Errorf("calls %q: want the change set deleted, the existing stack kept", cfn.Calls)
	}
}

func TestDataLoss(t *testing.T) {
	changes := []types.Change{
		resChange(types.ChangeActionModify, "DBCluster", "AWS::RDS::DBCluster", types.ReplacementTrue),
		resChange(types.ChangeActionRemove, "ApiBucket", "AWS::S3::Bucket", ""),
		resChange(types.ChangeActionModify, "JobQueue", "AWS::SQS::Queue", types.ReplacementConditional),
		resChange(types.ChangeActionModify, "ApiService", "AWS::ECS::Service", types.ReplacementTrue),
	}
	t.Run("refused", func(t *testing.T) {
		cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete), Changes: changes}
		e, _ := newEngine(cfn, nil)
		req := request()
		req.AllowReplace = []string{"DBCluster"}
		_, err := e.Deploy(context.Background(), req)
		var re *RefusedError
		if !errors.As(err, &re) {
			t.Fatalf("err = %v, want RefusedError", err)
		}
		var ids []string
		for _, c := range re.Changes {
			ids = append(ids, c.LogicalID+": "+c.Danger)
		}
		if want := []string{"ApiBucket: removes the bucket", "JobQueue: may replace the queue"}; !slices.Equal(ids, want) {
			t.Errorf("refused %q, want %q", ids, want)
		}
		if !strings.Contains(err.Error(), "--allow-replace ApiBucket --allow-replace JobQueue") {
			t.Errorf("message %q does not say how to allow it", err)
		}
		if has(cfn.Calls, "ExecuteChangeSet") || !has(cfn.Calls, "DeleteChangeSet") {
			t.Errorf("calls %q", cfn.Calls)
		}
	})
	t.Run("allowed", func(t *testing.T) {
		cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete), Changes: changes,
			Script: []Step{{Status: types.StackStatusUpdateComplete}}}
		e, _ := newEngine(cfn, nil)
		req := request()
		req.AllowReplace = []string{"DBCluster", "ApiBucket", "JobQueue"}
		if _, err := e.Deploy(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if !has(cfn.Calls, "ExecuteChangeSet") {
			t.Error("not executed")
		}
	})
	t.Run("dry run refuses too", func(t *testing.T) {
		cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete), Changes: changes}
		e, _ := newEngine(cfn, nil)
		req := request()
		req.DryRun = true
		_, err := e.Deploy(context.Background(), req)
		var re *RefusedError
		if !errors.As(err, &re) || len(re.Changes) != 3 {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestProdGuardRailsUpdate(t *testing.T) {
	cfn := &CFN{
		Stack: existing(types.StackStatusUpdateComplete),
		Changes: []types.Change{
			resChange(types.ChangeActionModify, "DBCluster", "AWS::RDS::DBCluster", types.ReplacementTrue),
		},
		Script: []Step{{Status: types.StackStatusUpdateComplete}},
	}
	e, events := newEngine(cfn, nil)
	req := request()
	req.Protect = true
	req.Protected = []string{"ApiBucket", "DBCluster", "DBSecret"}
	req.AllowReplace = []string{"DBCluster"}
	if _, err := e.Deploy(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range cfn.Calls {
		if c != "DescribeStacks" && c != "DescribeChangeSet" {
			order = append(order, c)
		}
	}
	// Nothing is set before the change set is reviewed; the guard rails
	// go on with the policy lifted for DBCluster, and the strict one
	// comes back after the update.
	want := []string{"GetTemplate Original", "CreateChangeSet UPDATE", "UpdateTerminationProtection true", "SetStackPolicy", "ExecuteChangeSet", "SetStackPolicy"}
	if !slices.Equal(order, want) {
		t.Errorf("calls\n got %q\nwant %q", order, want)
	}
	strict := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"Update:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":["Update:Replace","Update:Delete"],"Resource":["LogicalResourceId/ApiBucket","LogicalResourceId/DBCluster","LogicalResourceId/DBSecret"]}]}`
	lifted := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"Update:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":["Update:Replace","Update:Delete"],"Resource":["LogicalResourceId/ApiBucket","LogicalResourceId/DBSecret"]}]}`
	if !slices.Equal(cfn.Policies, []string{lifted, strict}) {
		t.Errorf("policies\n%s", strings.Join(cfn.Policies, "\n"))
	}
	if p := ofType[Policy](*events); len(p) != 2 || !slices.Equal(p[0].Lifted, []string{"DBCluster"}) || len(p[1].Lifted) != 0 {
		t.Errorf("policy events %+v", p)
	}
}

func TestProdGuardRailsKeptOnFailure(t *testing.T) {
	// The lifted policy is put back even when the update fails.
	cfn := &CFN{
		Stack:   existing(types.StackStatusUpdateComplete),
		Changes: []types.Change{resChange(types.ChangeActionModify, "DBCluster", "AWS::RDS::DBCluster", types.ReplacementTrue)},
		Script:  []Step{{Status: types.StackStatusUpdateRollbackComplete}},
	}
	cfn.Stack.EnableTerminationProtection = aws.Bool(true)
	e, _ := newEngine(cfn, nil)
	req := request()
	req.Protect, req.Protected, req.AllowReplace = true, []string{"DBCluster"}, []string{"DBCluster"}
	_, err := e.Deploy(context.Background(), req)
	if err == nil {
		t.Fatal("want the failure")
	}
	if has(cfn.Calls, "UpdateTerminationProtection true") {
		t.Error("termination protection was already on")
	}
	if n := len(cfn.Policies); n != 2 || strings.Contains(cfn.Policies[0], "Deny") || !strings.Contains(cfn.Policies[1], "Deny") {
		t.Errorf("policies %q: want lifted, strict", cfn.Policies)
	}
}

func TestProdGuardRailsCreate(t *testing.T) {
	cfn := &CFN{Changes: []types.Change{resChange(types.ChangeActionAdd, "DBCluster", "AWS::RDS::DBCluster", "")},
		Script: []Step{{Status: types.StackStatusCreateComplete}}}
	e, _ := newEngine(cfn, nil)
	req := request()
	req.Protect, req.Protected = true, []string{"DBCluster"}
	if _, err := e.Deploy(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	i := slices.Index(cfn.Calls, "ExecuteChangeSet")
	after := cfn.Calls[i:]
	if !has(after, "UpdateTerminationProtection true") || !has(after, "SetStackPolicy") || has(cfn.Calls[:i], "SetStackPolicy") {
		t.Errorf("calls %q: want protection and policy after the create", cfn.Calls)
	}
}

func TestS3Upload(t *testing.T) {
	big := []byte("Resources: {}\n# " + strings.Repeat("x", MaxBodyBytes) + "\n")
	t.Run("no bucket", func(t *testing.T) {
		cfn := &CFN{}
		e, _ := newEngine(cfn, nil)
		req := request()
		req.Template = big
		_, err := e.Deploy(context.Background(), req)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "51200-byte limit") || !strings.Contains(err.Error(), "--s3-bucket") {
			t.Fatalf("err = %v", err)
		}
		if has(cfn.Calls, "CreateChangeSet CREATE") {
			t.Error("created a change set")
		}
	})
	t.Run("upload once", func(t *testing.T) {
		s3 := &S3{}
		for i, wantReused := range []bool{false, true} {
			cfn := &CFN{CreateErr: APIError("ValidationError", "No updates are to be performed."), Stack: existing(types.StackStatusUpdateComplete)}
			e, events := newEngine(cfn, s3)
			req := request()
			req.Template, req.Bucket = big, "deploy-bucket"
			if _, err := e.Deploy(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			up := ofType[Uploaded](*events)
			if len(up) != 1 || up[0].Reused != wantReused {
				t.Fatalf("run %d: uploads %+v", i, up)
			}
			key := up[0].Key
			if !strings.HasPrefix(key, "cfngen/myapp-dev/") || !strings.HasSuffix(key, ".yaml") || len(key) != len("cfngen/myapp-dev/")+64+5 {
				t.Errorf("key %q is not prefix + sha256 + .yaml", key)
			}
			if got, want := aws.ToString(cfn.Created.TemplateURL), "https://deploy-bucket.s3.eu-central-1.amazonaws.com/"+key; got != want || cfn.Created.TemplateBody != nil {
				t.Errorf("TemplateURL %q, want %q (and no body)", got, want)
			}
			if string(s3.Objects["deploy-bucket/"+key]) != string(big) {
				t.Error("uploaded bytes differ")
			}
		}
		if s3.Puts != 1 {
			t.Errorf("%d uploads, want 1: the key is content-addressed", s3.Puts)
		}
	})
	t.Run("without s3:ListBucket", func(t *testing.T) {
		// S3 answers HeadObject of a missing key with 403 then.
		s3 := &S3{NoListBucket: true}
		cfn := &CFN{CreateErr: APIError("ValidationError", "No updates are to be performed."), Stack: existing(types.StackStatusUpdateComplete)}
		e, events := newEngine(cfn, s3)
		req := request()
		req.Bucket = "deploy-bucket"
		if _, err := e.Deploy(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if up := ofType[Uploaded](*events); len(up) != 1 || up[0].Reused || s3.Puts != 1 {
			t.Errorf("uploads %+v, puts %d: want one upload", up, s3.Puts)
		}
	})
	t.Run("small template with a bucket", func(t *testing.T) {
		cfn := &CFN{CreateErr: APIError("ValidationError", "No updates are to be performed."), Stack: existing(types.StackStatusUpdateComplete)}
		e, _ := newEngine(cfn, &S3{})
		req := request()
		req.Bucket = "b"
		if _, err := e.Deploy(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if cfn.Created.TemplateURL == nil {
			t.Error("--s3-bucket given: the template goes through S3")
		}
	})
}

func TestDetach(t *testing.T) {
	cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete),
		Changes: []types.Change{resChange(types.ChangeActionModify, "DBCluster", "AWS::RDS::DBCluster", types.ReplacementTrue)}}
	for range 100 {
		cfn.Script = append(cfn.Script, Step{Status: types.StackStatusUpdateInProgress, Events: []Ev{{"DBCluster", "AWS::RDS::DBCluster", "UPDATE_IN_PROGRESS", ""}}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, events := newEngine(cfn, nil)
	inner := e.Report
	e.Report = func(ev Event) {
		inner(ev)
		if _, ok := ev.(StackEvent); ok {
			cancel() // Ctrl-C while following
		}
	}
	req := request()
	req.Protect, req.Protected, req.AllowReplace = true, []string{"DBCluster"}, []string{"DBCluster"}
	_, err := e.Deploy(ctx, req)
	var de *DetachedError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want DetachedError", err)
	}
	if !strings.Contains(err.Error(), "goes on") || !strings.Contains(err.Error(), "still allows replacing DBCluster") {
		t.Errorf("message %q", err)
	}
	if d := ofType[Detached](*events); len(d) != 1 {
		t.Errorf("detached events %+v", d)
	}
	if len(cfn.Policies) != 1 {
		t.Errorf("policies %d: the lifted policy must stay while the update runs", len(cfn.Policies))
	}
}

func TestBadStackName(t *testing.T) {
	e, _ := newEngine(&CFN{}, nil)
	req := request()
	req.Stack = "my_app"
	_, err := e.Deploy(context.Background(), req)
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
}

func TestChangeSetFailedNewStack(t *testing.T) {
	// A new stack's failed change set leaves no empty stack behind.
	cfn := &CFN{ChangeSetStatus: types.ChangeSetStatusFailed, ChangeSetReason: "Template format error: Unresolved resource dependencies [Nope]"}
	e, _ := newEngine(cfn, nil)
	_, err := e.Deploy(context.Background(), request())
	var fe *FailedError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v", err)
	}
	if !has(cfn.Calls, "DeleteChangeSet") || !has(cfn.Calls, "DeleteStack") || cfn.Stack != nil {
		t.Errorf("calls %q: want the change set and the empty stack deleted", cfn.Calls)
	}
}

func TestInterruptedBeforeExecute(t *testing.T) {
	cfn := &CFN{Stack: existing(types.StackStatusUpdateComplete), Pending: 1000,
		Changes: []types.Change{resChange(types.ChangeActionAdd, "Queue", "AWS::SQS::Queue", "")}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, _ := newEngine(cfn, nil)
	inner := e.Report
	e.Report = func(ev Event) {
		inner(ev)
		if _, ok := ev.(Target); ok {
			cancel() // Ctrl-C while the change set is being created
		}
	}
	_, err := e.Deploy(ctx, request())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !has(cfn.Calls, "DeleteChangeSet") || has(cfn.Calls, "ExecuteChangeSet") || has(cfn.Calls, "DeleteStack") {
		t.Errorf("calls %q: want the change set deleted, the stack kept, nothing executed", cfn.Calls)
	}
}

// Finding 12: a stack whose first create rolled back is deleted (after
// asking) and created again.
func TestRollbackCompleteRecreated(t *testing.T) {
	newStack := func() *CFN {
		return &CFN{Stack: existing(types.StackStatusRollbackComplete),
			Changes: []types.Change{resChange(types.ChangeActionAdd, "Queue", "AWS::SQS::Queue", "")},
			Script:  []Step{{Status: types.StackStatusCreateComplete}}}
	}
	t.Run("confirmed", func(t *testing.T) {
		cfn := newStack()
		e, _ := newEngine(cfn, nil)
		req := request()
		var asked string
		req.ConfirmDelete = func(_ context.Context, stack, status string) (bool, error) {
			asked = stack + " " + status
			return true, nil
		}
		res, err := e.Deploy(context.Background(), req)
		if err != nil || res.Outcome != Created {
			t.Fatalf("%+v, %v", res, err)
		}
		if asked != "myapp-dev ROLLBACK_COMPLETE" {
			t.Errorf("asked %q", asked)
		}
		if i, j := slices.Index(cfn.Calls, "DeleteStack"), slices.Index(cfn.Calls, "CreateChangeSet CREATE"); i < 0 || j < i {
			t.Errorf("calls %q: want the stack deleted, then a CREATE change set", cfn.Calls)
		}
	})
	t.Run("declined", func(t *testing.T) {
		cfn := newStack()
		e, _ := newEngine(cfn, nil)
		req := request()
		req.ConfirmDelete = func(context.Context, string, string) (bool, error) { return false, nil }
		if _, err := e.Deploy(context.Background(), req); !errors.Is(err, ErrDeleteDeclined) {
			t.Fatalf("err = %v", err)
		}
		if has(cfn.Calls, "DeleteStack") || has(cfn.Calls, "CreateChangeSet CREATE") {
			t.Errorf("calls %q", cfn.Calls)
		}
	})
	t.Run("dry run", func(t *testing.T) {
		cfn := newStack()
		e, _ := newEngine(cfn, nil)
		req := request()
		req.DryRun = true
		res, err := e.Deploy(context.Background(), req)
		if err != nil || res.Outcome != DryRunned || has(cfn.Calls, "DeleteStack") {
			t.Errorf("%+v, %v, calls %q", res, err, cfn.Calls)
		}
	})
}
