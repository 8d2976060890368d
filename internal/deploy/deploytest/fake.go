// Package deploytest is an in-memory CloudFormation, S3 and STS for tests
// of cfngen deploy: it plays a script instead of deploying anything.
package deploytest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// CFN is an in-memory CloudFormation that plays a Script: the change set it
// was told to produce, then, after ExecuteChangeSet, one Step of events and
// stack status per DescribeStacks. It records the calls made.
type CFN struct {
	Stack  *types.Stack       // nil: no stack of that name yet
	Events []types.StackEvent // oldest first

	// Template is the stack's deployed template that GetTemplate returns
	// (empty: none), or TemplateErr its error.
	Template    string
	TemplateErr error

	// The change set.
	Changes         []types.Change
	ChangeSetStatus types.ChangeSetStatus // default CREATE_COMPLETE
	ChangeSetReason string
	Pending         int   // DescribeChangeSet answers CREATE_PENDING this many times first
	CreateErr       error // CreateChangeSet fails with this
	ExecErr         error // ExecuteChangeSet fails with this
	ExecRan         bool  // ... after running the change set within the call (as moto does): the stack got an event
	EventsErr       error // DescribeStackEvents fails with this
	PolicyErr       error // SetStackPolicy fails with this

	Script   []Step // played after ExecuteChangeSet
	executed bool

	Calls    []string // operation names (CreateChangeSet with its type, UpdateTerminationProtection with its value)
	Created  *cloudformation.CreateChangeSetInput
	Policies []string // every stack policy set
	PageSize int      // DescribeStackEvents page size (default 2, to exercise paging)
	nextID   int
}

// Step is what one DescribeStacks after ExecuteChangeSet brings: new
// events and the stack's status and outputs.
type Step struct {
	Status  types.StackStatus
	Events  []Ev
	Outputs []types.Output
}

// Ev is one stack event: logical id (the stack's name for the stack
// itself), resource type, status, reason.
type Ev [4]string

// StackID is the id of the stack CFN makes.
const StackID = "arn:aws:cloudformation:eu-central-1:123456789012:stack/myapp-dev/1"

// APIError is an AWS API error.
func APIError(code, msg string) error { return &smithy.GenericAPIError{Code: code, Message: msg} }

// AddEvents appends events of stack name.
func (f *CFN) AddEvents(name string, evs []Ev) {
	for _, e := range evs {
		f.nextID++
		phys := e[0] + "-phys"
		if e[0] == name {
			phys = StackID
		}
		f.Events = append(f.Events, types.StackEvent{
			EventId:              aws.String("e" + strconv.Itoa(f.nextID)),
			StackId:              aws.String(StackID),
			StackName:            aws.String(name),
			LogicalResourceId:    aws.String(e[0]),
			PhysicalResourceId:   aws.String(phys),
			ResourceType:         aws.String(e[1]),
			ResourceStatus:       types.ResourceStatus(e[2]),
			ResourceStatusReason: aws.String(e[3]),
			Timestamp:            aws.Time(time.Date(2026, 12, 3, 5, 0, f.nextID, 0, time.UTC)),
		})
	}
}

func (f *CFN) DescribeStacks(_ context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	f.Calls = append(f.Calls, "DescribeStacks")
	if f.Stack == nil {
		return nil, APIError("ValidationError", "Stack with id "+aws.ToString(in.StackName)+" does not exist")
	}
	if f.executed && len(f.Script) > 0 {
		s := f.Script[0]
		f.Script = f.Script[1:]
		f.AddEvents(aws.ToString(f.Stack.StackName), s.Events)
		f.Stack.StackStatus = s.Status
		f.Stack.Outputs = s.Outputs
	}
	st := *f.Stack
	return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{st}}, nil
}

func (f *CFN) CreateChangeSet(_ context.Context, in *cloudformation.CreateChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	f.Calls = append(f.Calls, "CreateChangeSet "+string(in.ChangeSetType))
	f.Created = in
	if f.CreateErr != nil {
		return nil, f.CreateErr
	}
	if f.Stack == nil {
		f.Stack = &types.Stack{StackName: in.StackName, StackId: aws.String(StackID), StackStatus: types.StackStatusReviewInProgress}
		f.AddEvents(aws.ToString(in.StackName), []Ev{{aws.ToString(in.StackName), "AWS::CloudFormation::Stack", "REVIEW_IN_PROGRESS", "User Initiated"}})
	}
	return &cloudformation.CreateChangeSetOutput{Id: aws.String("arn:cs/" + aws.ToString(in.ChangeSetName)), StackId: aws.String(StackID)}, nil
}

func (f *CFN) DescribeChangeSet(_ context.Context, in *cloudformation.DescribeChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	f.Calls = append(f.Calls, "DescribeChangeSet")
	if f.Pending > 0 {
		f.Pending--
		return &cloudformation.DescribeChangeSetOutput{Status: types.ChangeSetStatusCreatePending}, nil
	}
	status := f.ChangeSetStatus
	if status == "" {
		status = types.ChangeSetStatusCreateComplete
	}
	// One change per page, to exercise paging.
	i := 0
	if in.NextToken != nil {
		i, _ = strconv.Atoi(*in.NextToken)
	}
	out := &cloudformation.DescribeChangeSetOutput{Status: status, StatusReason: aws.String(f.ChangeSetReason)}
	if i < len(f.Changes) {
		out.Changes = f.Changes[i : i+1]
		if i+1 < len(f.Changes) {
			out.NextToken = aws.String(strconv.Itoa(i + 1))
		}
	}
	return out, nil
}

func (f *CFN) DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error) {
	f.Calls = append(f.Calls, "DeleteChangeSet")
	return &cloudformation.DeleteChangeSetOutput{}, nil
}

func (f *CFN) ExecuteChangeSet(ctx context.Context, _ *cloudformation.ExecuteChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error) {
	f.Calls = append(f.Calls, "ExecuteChangeSet")
	if err := ctx.Err(); err != nil {
		return nil, err // as the SDK: the request is not sent
	}
	if f.ExecErr != nil {
		if f.ExecRan {
			f.AddEvents("myapp-dev", []Ev{{"myapp-dev", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"}})
		}
		return nil, f.ExecErr
	}
	f.executed = true
	return &cloudformation.ExecuteChangeSetOutput{}, nil
}

func (f *CFN) DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error) {
	f.Calls = append(f.Calls, "DeleteStack")
	f.Stack = nil
	return &cloudformation.DeleteStackOutput{}, nil
}

func (f *CFN) DescribeStackEvents(_ context.Context, in *cloudformation.DescribeStackEventsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	if f.EventsErr != nil {
		return nil, f.EventsErr
	}
	size := f.PageSize
	if size == 0 {
		size = 2
	}
	// newest first
	all := make([]types.StackEvent, len(f.Events))
	for i, e := range f.Events {
		all[len(f.Events)-1-i] = e
	}
	start := 0
	if in.NextToken != nil {
		start, _ = strconv.Atoi(*in.NextToken)
	}
	end := min(start+size, len(all))
	out := &cloudformation.DescribeStackEventsOutput{StackEvents: all[start:end]}
	if end < len(all) {
		out.NextToken = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

func (f *CFN) GetTemplate(_ context.Context, in *cloudformation.GetTemplateInput, _ ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error) {
	f.Calls = append(f.Calls, "GetTemplate "+string(in.TemplateStage))
	if f.Stack == nil {
		return nil, APIError("ValidationError", "Stack with id "+aws.ToString(in.StackName)+" does not exist")
	}
	if f.TemplateErr != nil {
		return nil, f.TemplateErr
	}
	return &cloudformation.GetTemplateOutput{TemplateBody: aws.String(f.Template), StagesAvailable: []types.TemplateStage{types.TemplateStageOriginal, types.TemplateStageProcessed}}, nil
}

func (f *CFN) SetStackPolicy(_ context.Context, in *cloudformation.SetStackPolicyInput, _ ...func(*cloudformation.Options)) (*cloudformation.SetStackPolicyOutput, error) {
	f.Calls = append(f.Calls, "SetStackPolicy")
	if f.PolicyErr != nil {
		return nil, f.PolicyErr
	}
	f.Policies = append(f.Policies, aws.ToString(in.StackPolicyBody))
	return &cloudformation.SetStackPolicyOutput{}, nil
}

func (f *CFN) UpdateTerminationProtection(_ context.Context, in *cloudformation.UpdateTerminationProtectionInput, _ ...func(*cloudformation.Options)) (*cloudformation.UpdateTerminationProtectionOutput, error) {
	f.Calls = append(f.Calls, fmt.Sprintf("UpdateTerminationProtection %v", aws.ToBool(in.EnableTerminationProtection)))
	return &cloudformation.UpdateTerminationProtectionOutput{}, nil
}

// S3 holds objects by bucket/key and counts uploads.
type S3 struct {
	Objects map[string][]byte
	Puts    int
	// NoListBucket answers a missing key as S3 does to a caller without
	// s3:ListBucket: 403 Forbidden, not 404 NotFound.
	NoListBucket bool
}

// HeadObject finds an object or answers NotFound (or Forbidden).
func (f *S3) HeadObject(_ context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	if _, ok := f.Objects[aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key)]; ok {
		return &s3.HeadObjectOutput{}, nil
	}
	if f.NoListBucket {
		// As the SDK returns it: a HEAD error has no body, so the code is
		// the status text.
		return nil, &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusForbidden}},
			Err:      &smithy.GenericAPIError{Code: "Forbidden", Message: "Forbidden"},
		}, RequestID: "REQ1"}
	}
	return nil, &s3types.NotFound{}
}

// PutObject stores an object.
func (f *S3) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	data, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	if f.Objects == nil {
		f.Objects = map[string][]byte{}
	}
	f.Objects[aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key)] = data
	f.Puts++
	return &s3.PutObjectOutput{}, nil
}

// STS answers as account 123456789012.
type STS struct{}

func (STS) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String("123456789012"), Arn: aws.String("arn:aws:iam::123456789012:user/ci")}, nil
}

// Change is a resource change of a change set.
func Change(action types.ChangeAction, id, typ string, repl types.Replacement) types.Change {
	return types.Change{Type: types.ChangeTypeResource, ResourceChange: &types.ResourceChange{
		Action: action, LogicalResourceId: aws.String(id), ResourceType: aws.String(typ), Replacement: repl,
	}}
}
