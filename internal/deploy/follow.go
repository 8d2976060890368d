package deploy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// execute runs the change set and follows the stack until it ends; last
// is the newest event before it ran. When it does not run (interrupted
// before, or refused by CloudFormation), the strict stack policy goes back
// and discard deletes the change set.
func (e *Engine) execute(ctx context.Context, req Request, plan *Plan, last string, lifted []string, discard func() error) (Result, error) {
	cctx := context.WithoutCancel(ctx)
	if err := ctx.Err(); err != nil {
		// Interrupted before the change set ran: nothing runs.
		return Result{}, errors.Join(err, e.restore(cctx, req, lifted), discard())
	}
	start := e.now()
	if _, err := e.Clients.CFN.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: aws.String(plan.ChangeSetID), StackName: aws.String(plan.StackID)}); err != nil {
		var ae smithy.APIError
		isAPI := errors.As(err, &ae)
		if !isAPI && ctx.Err() != nil {
			// Interrupted while the call was under way: it may be running.
			return Result{}, e.detach(plan, "", lifted)
		}
		// Whether the change set runs is read off the stack, not guessed
		// from the error: a stack operation writes an event first.
		newest, rerr := e.newestEvent(cctx, plan.StackID)
		switch {
		case rerr != nil && isAPI:
			// The stack cannot be read either: judge by the error code.
			err = executeError(req, plan, err)
			var fe *FailedError
			if errors.As(err, &fe) {
				return Result{}, errors.Join(err, e.restore(cctx, req, lifted))
			}
			return Result{}, errors.Join(err, e.restore(cctx, req, lifted), discard())
		case rerr != nil:
			// No answer and no stack: it may be running; say so, and that
			// the stack policy is lifted.
			return Result{}, errors.Join(fmt.Errorf("execute change set %s of stack %s (it may be running: aws cloudformation describe-stacks --stack-name %s): %w", plan.ChangeSetName, req.Stack, req.Stack, err), e.detach(plan, "", lifted))
		case newest == last:
			// Nothing ran: AWS trouble (exit 2). The strict policy goes
			// back and the change set is deleted.
			return Result{}, errors.Join(fmt.Errorf("execute change set %s of stack %s: %w", plan.ChangeSetName, req.Stack, err), e.restore(cctx, req, lifted), discard())
		case isAPI:
			// It ran within the call and failed there (an emulator such as
			// moto): a failed deployment (exit 1).
			return Result{}, errors.Join(&FailedError{Stack: req.Stack, What: "change set " + plan.ChangeSetName, Status: "EXECUTE_FAILED", Reason: apiMessage(err), Err: err}, e.restore(cctx, req, lifted))
		}
		// The call had no answer, but the stack moved: follow it.
	}
	e.report(Note{Text: fmt.Sprintf("executing change set %s", plan.ChangeSetName)})

	f := follower{e: e, plan: plan, last: last, start: start, status: map[string]string{}}
	for _, c := range plan.Changes {
		f.status[c.LogicalID] = ""
	}
	lastBeat := start
	for {
		s, err := f.poll(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return Result{}, e.detach(plan, "", lifted)
			}
			return Result{}, err
		}
		st := string(s.StackStatus)
		if !strings.HasSuffix(st, "_IN_PROGRESS") {
			res := Result{Plan: plan, Status: st, Outputs: outputs(s)}
			rerr := e.restore(context.WithoutCancel(ctx), req, lifted)
			switch s.StackStatus {
			case types.StackStatusCreateComplete, types.StackStatusUpdateComplete, types.StackStatusImportComplete:
				res.Outcome = Updated
				if plan.Type == string(types.ChangeSetTypeCreate) {
					res.Outcome = Created
				}
				e.report(Finished{Stack: req.Stack, Status: st, Elapsed: e.now().Sub(start), Outputs: res.Outputs})
				return res, rerr
			}
			causes := RootCauses(f.events)
			if len(causes) == 0 && aws.ToString(s.StackStatusReason) != "" {
				causes = []StackEvent{{LogicalID: req.Stack, Type: "AWS::CloudFormation::Stack", Status: st, Reason: aws.ToString(s.StackStatusReason)}}
			}
			return res, errors.Join(&FailedError{Stack: req.Stack, What: "stack " + req.Stack, Status: st, Causes: causes}, rerr)
		}
		if f.moved || e.now().Sub(lastBeat) >= e.heartbeat() {
			e.report(f.progress(st))
			lastBeat = e.now()
		}
		if err := e.sleep(ctx); err != nil {
			return Result{}, e.detach(plan, st, lifted)
		}
	}
}

// cloudFormationErrors are the error codes with which CloudFormation itself
// refuses ExecuteChangeSet (its own exceptions, ValidationError, and the
// common errors of every AWS API: credentials, permissions, throttling,
// service trouble).
var cloudFormationErrors = []string{
	"ChangeSetNotFound", "ChangeSetNotFoundException", "InsufficientCapabilitiesException", "InvalidChangeSetStatus",
	"InvalidChangeSetStatusException", "TokenAlreadyExistsException", "ValidationError",
	"AccessDenied", "AccessDeniedException", "ExpiredToken", "ExpiredTokenException", "IncompleteSignature",
	"InvalidClientTokenId", "MissingAuthenticationToken", "NotAuthorized", "OptInRequired", "RequestExpired",
	"SignatureDoesNotMatch", "UnrecognizedClientException", "Throttling", "ThrottlingException",
	"InternalFailure", "ServiceUnavailable",
}

// executeError is what an ExecuteChangeSet that returned an API error
// means when the stack's events cannot be read to tell. CloudFormation runs
// a change set after the call returns, so its errors are AWS trouble (exit
// 2); an emulator that creates the resources within the call (moto) returns
// a resource's failure instead, with the error code of that resource's
// service: a failed deployment (exit 1).
func executeError(req Request, plan *Plan, err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) && !slices.Contains(cloudFormationErrors, ae.ErrorCode()) {
		return &FailedError{Stack: req.Stack, What: "change set " + plan.ChangeSetName, Status: "EXECUTE_FAILED", Reason: apiMessage(err), Err: err}
	}
	return fmt.Errorf("execute change set %s of stack %s: %w", plan.ChangeSetName, req.Stack, err)
}

func (e *Engine) heartbeat() time.Duration {
	if e.Heartbeat == 0 {
		return 30 * time.Second
	}
	return e.Heartbeat
}

// detach reports that following stopped while the stack goes on.
func (e *Engine) detach(plan *Plan, status string, lifted []string) error {
	d := Detached{Stack: plan.Stack, Status: status, Lifted: lifted}
	e.report(d)
	return &DetachedError{Detached: d}
}

// restore puts the strict stack policy back after an update that lifted it
// for some resources.
func (e *Engine) restore(ctx context.Context, req Request, lifted []string) error {
	if len(lifted) == 0 {
		return nil
	}
	return e.setPolicy(ctx, req, nil)
}

// newestEvent returns the id of the stack's newest event ("" when none).
func (e *Engine) newestEvent(ctx context.Context, stackID string) (string, error) {
	out, err := e.Clients.CFN.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(stackID)})
	if err != nil {
		return "", fmt.Errorf("read the events of stack %s: %w", stackID, err)
	}
	if len(out.StackEvents) == 0 {
		return "", nil
	}
	return aws.ToString(out.StackEvents[0].EventId), nil
}

// follower follows one stack operation: new events in order, and which
// resources of the change set reached an end.
type follower struct {
	e      *Engine
	plan   *Plan
	last   string // newest event already seen
	start  time.Time
	events []StackEvent      // this operation's events, oldest first
	status map[string]string // logical id of each change -> its latest status
	moved  bool              // the last poll brought events
}

// poll returns the stack and reports the events since the last poll. The
// stack is read first, so that when it has ended every event up to its end
// has been read too.
func (f *follower) poll(ctx context.Context) (*types.Stack, error) {
	cfn := f.e.Clients.CFN
	out, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(f.plan.StackID)})
	if err != nil {
		return nil, fmt.Errorf("describe stack %s: %w", f.plan.Stack, err)
	}
	if len(out.Stacks) == 0 {
		return nil, fmt.Errorf("describe stack %s: not found", f.plan.Stack)
	}
	var fresh []types.StackEvent
	var token *string
pages:
	for {
		page, err := cfn.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(f.plan.StackID), NextToken: token})
		if err != nil {
			return nil, fmt.Errorf("read the events of stack %s: %w", f.plan.Stack, err)
		}
		for _, ev := range page.StackEvents { // newest first
			if f.last != "" && aws.ToString(ev.EventId) == f.last {
				break pages
			}
			fresh = append(fresh, ev)
		}
		token = page.NextToken
		if aws.ToString(token) == "" {
			break
		}
	}
	f.moved = len(fresh) > 0
	if f.moved {
		f.last = aws.ToString(fresh[0].EventId)
	}
	slices.Reverse(fresh)
	for _, ev := range fresh {
		se := StackEvent{
			Time:      aws.ToTime(ev.Timestamp),
			LogicalID: aws.ToString(ev.LogicalResourceId),
			Type:      aws.ToString(ev.ResourceType),
			Status:    string(ev.ResourceStatus),
			Reason:    aws.ToString(ev.ResourceStatusReason),
		}
		// The stack's own events (not a nested stack's) carry its id.
		se.Stack = aws.ToString(ev.PhysicalResourceId) == f.plan.StackID ||
			se.Type == "AWS::CloudFormation::Stack" && se.LogicalID == f.plan.Stack
		f.events = append(f.events, se)
		if _, ok := f.status[se.LogicalID]; ok && !se.Stack {
			f.status[se.LogicalID] = se.Status
		}
		f.e.report(se)
	}
	return &out.Stacks[0], nil
}

// progress counts the change set's resources that reached an end.
func (f *follower) progress(status string) Progress {
	done := 0
	for _, st := range f.status {
		if strings.HasSuffix(st, "_COMPLETE") || strings.HasSuffix(st, "_FAILED") || st == "DELETE_SKIPPED" {
			done++
		}
	}
	return Progress{Stack: f.plan.Stack, Status: status, Done: done, Total: len(f.status), Elapsed: f.e.now().Sub(f.start)}
}

// RootCauses picks, from a failed operation's events (oldest first), the
// first failures that are causes rather than consequences: a failure whose
// reason says it was cancelled (because another resource failed), and the
// stack's own summary ("The following resource(s) failed to create"), are
// left out. At most five are returned.
func RootCauses(events []StackEvent) []StackEvent {
	var out []StackEvent
	for _, ev := range events {
		if !strings.HasSuffix(ev.Status, "_FAILED") || ev.Stack || cascade(ev.Reason) {
			continue
		}
		out = append(out, ev)
		if len(out) == 5 {
			break
		}
	}
	return out
}

// cascade reports whether a failure reason only follows from another
// failure.
func cascade(reason string) bool {
	r := strings.ToLower(reason)
	return strings.Contains(r, "cancelled") || strings.Contains(r, "canceled")
}

func outputs(s *types.Stack) []Output {
	var out []Output
	for _, o := range s.Outputs {
		out = append(out, Output{Key: aws.ToString(o.OutputKey), Value: aws.ToString(o.OutputValue), Description: aws.ToString(o.Description)})
	}
	slices.SortFunc(out, func(a, b Output) int { return strings.Compare(a.Key, b.Key) })
	return out
}
