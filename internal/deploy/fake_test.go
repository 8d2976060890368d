package deploy

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// fakeCFN is an in-memory CloudFormation that plays a script: the change
// set it was told to produce, then, after ExecuteChangeSet, one step of
// events and stack status per DescribeStacks.
type fakeCFN struct {
	stack  *types.Stack       // nil: no stack of that name yet
	events []types.StackEvent // oldest first

	// change set
	changes   []types.Change
	csStatus  types.ChangeSetStatus // default CREATE_COMPLETE
	csReason  string
	pending   int   // DescribeChangeSet answers CREATE_PENDING this many times first
	createErr error // CreateChangeSet fails with this
	execErr   error // ExecuteChangeSet fails with this

	script   []step // played after ExecuteChangeSet
	executed bool

	calls    []string
	created  *cloudformation.CreateChangeSetInput
	policies []string
	pageSize int // DescribeStackEvents page size (default 2, to exercise paging)
	nextID   int
}

type step struct {
	status  types.StackStatus
	events  []ev
	outputs []types.Output
}

type ev struct{ id, typ, status, reason string }

const stackID = "arn:aws:cloudformation:eu-central-1:123456789012:stack/myapp-dev/1"

func apiErr(code, msg string) error { return &smithy.GenericAPIError{Code: code, Message: msg} }

func (f *fakeCFN) addEvents(name string, evs []ev) {
	for _, e := range evs {
		f.nextID++
		phys := e.id + "-phys"
		if e.id == name {
			phys = stackID
		}
		f.events = append(f.events, types.StackEvent{
			EventId:              aws.String("e" + strconv.Itoa(f.nextID)),
			StackId:              aws.String(stackID),
			StackName:            aws.String(name),
			LogicalResourceId:    aws.String(e.id),
			PhysicalResourceId:   aws.String(phys),
			ResourceType:         aws.String(e.typ),
			ResourceStatus:       types.ResourceStatus(e.status),
			ResourceStatusReason: aws.String(e.reason),
			Timestamp:            aws.Time(time.Date(2026, 12, 3, 5, 0, f.nextID, 0, time.UTC)),
		})
	}
}

func (f *fakeCFN) DescribeStacks(_ context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	f.calls = append(f.calls, "DescribeStacks")
	if f.stack == nil {
		return nil, apiErr("ValidationError", "Stack with id "+aws.ToString(in.StackName)+" does not exist")
	}
	if f.executed && len(f.script) > 0 {
		s := f.script[0]
		f.script = f.script[1:]
		f.addEvents(aws.ToString(f.stack.StackName), s.events)
		f.stack.StackStatus = s.status
		f.stack.Outputs = s.outputs
	}
	st := *f.stack
	return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{st}}, nil
}

func (f *fakeCFN) CreateChangeSet(_ context.Context, in *cloudformation.CreateChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	f.calls = append(f.calls, "CreateChangeSet "+string(in.ChangeSetType))
	f.created = in
	if f.createErr != nil {
		return nil, f.createErr
	}
	if f.stack == nil {
		f.stack = &types.Stack{StackName: in.StackName, StackId: aws.String(stackID), StackStatus: types.StackStatusReviewInProgress}
		f.addEvents(aws.ToString(in.StackName), []ev{{aws.ToString(in.StackName), "AWS::CloudFormation::Stack", "REVIEW_IN_PROGRESS", "User Initiated"}})
	}
	return &cloudformation.CreateChangeSetOutput{Id: aws.String("arn:cs/" + aws.ToString(in.ChangeSetName)), StackId: aws.String(stackID)}, nil
}

func (f *fakeCFN) DescribeChangeSet(_ context.Context, in *cloudformation.DescribeChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	f.calls = append(f.calls, "DescribeChangeSet")
	if f.pending > 0 {
		f.pending--
		return &cloudformation.DescribeChangeSetOutput{Status: types.ChangeSetStatusCreatePending}, nil
	}
	status := f.csStatus
	if status == "" {
		status = types.ChangeSetStatusCreateComplete
	}
	// One change per page, to exercise paging.
	i := 0
	if in.NextToken != nil {
		i, _ = strconv.Atoi(*in.NextToken)
	}
	out := &cloudformation.DescribeChangeSetOutput{Status: status, StatusReason: aws.String(f.csReason)}
	if i < len(f.changes) {
		out.Changes = f.changes[i : i+1]
		if i+1 < len(f.changes) {
			out.NextToken = aws.String(strconv.Itoa(i + 1))
		}
	}
	return out, nil
}

func (f *fakeCFN) DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error) {
	f.calls = append(f.calls, "DeleteChangeSet")
	return &cloudformation.DeleteChangeSetOutput{}, nil
}

func (f *fakeCFN) ExecuteChangeSet(context.Context, *cloudformation.ExecuteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error) {
	f.calls = append(f.calls, "ExecuteChangeSet")
	if f.execErr != nil {
		return nil, f.execErr
	}
	f.executed = true
	return &cloudformation.ExecuteChangeSetOutput{}, nil
}

func (f *fakeCFN) DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error) {
	f.calls = append(f.calls, "DeleteStack")
	f.stack = nil
	return &cloudformation.DeleteStackOutput{}, nil
}

func (f *fakeCFN) DescribeStackEvents(_ context.Context, in *cloudformation.DescribeStackEventsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	size := f.pageSize
	if size == 0 {
		size = 2
	}
	// newest first
	all := make([]types.StackEvent, len(f.events))
	for i, e := range f.events {
		all[len(f.events)-1-i] = e
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

func (f *fakeCFN) SetStackPolicy(_ context.Context, in *cloudformation.SetStackPolicyInput, _ ...func(*cloudformation.Options)) (*cloudformation.SetStackPolicyOutput, error) {
	f.calls = append(f.calls, "SetStackPolicy")
	f.policies = append(f.policies, aws.ToString(in.StackPolicyBody))
	return &cloudformation.SetStackPolicyOutput{}, nil
}

func (f *fakeCFN) UpdateTerminationProtection(_ context.Context, in *cloudformation.UpdateTerminationProtectionInput, _ ...func(*cloudformation.Options)) (*cloudformation.UpdateTerminationProtectionOutput, error) {
	f.calls = append(f.calls, fmt.Sprintf("UpdateTerminationProtection %v", aws.ToBool(in.EnableTerminationProtection)))
	return &cloudformation.UpdateTerminationProtectionOutput{}, nil
}

// fakeS3 holds objects by key.
type fakeS3 struct {
	objects map[string][]byte
	puts    int
}

func (f *fakeS3) HeadObject(_ context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	if _, ok := f.objects[aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key)]; ok {
		return &s3.HeadObjectOutput{}, nil
	}
	return nil, &s3types.NotFound{}
}

func (f *fakeS3) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	data, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	if f.objects == nil {
		f.objects = map[string][]byte{}
	}
	f.objects[aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key)] = data
	f.puts++
	return &s3.PutObjectOutput{}, nil
}

type fakeSTS struct{}

func (fakeSTS) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String("123456789012"), Arn: aws.String("arn:aws:iam::123456789012:user/ci")}, nil
}

func rc(action types.ChangeAction, id, typ string, repl types.Replacement) types.Change {
	return types.Change{Type: types.ChangeTypeResource, ResourceChange: &types.ResourceChange{
		Action: action, LogicalResourceId: aws.String(id), ResourceType: aws.String(typ), Replacement: repl,
	}}
}
