package deploy

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Event is something a deployment reports as it goes: Target, Note,
// ForecastReady or ForecastFailed, Uploaded, Policy, PlanReady, NoChanges,
// StackEvent, Progress, Finished or Detached.
type Event interface{ event() }

// Note is a one-line remark (termination protection turned on, a stack in
// REVIEW_IN_PROGRESS taken over, a dry run cleaned up).
type Note struct{ Text string }

// Uploaded says the template is in S3 (Reused: it already was, under the
// same content-addressed key).
type Uploaded struct {
	Bucket, Key, URL string
	Bytes            int
	Reused           bool
}

// Policy says the stack policy was set: Protected may not be replaced or
// deleted, except Lifted for this one update.
type Policy struct{ Protected, Lifted []string }

// PlanReady carries the change set, before anything runs.
type PlanReady struct{ Plan *Plan }

// NoChanges says the stack already matches the template and parameters.
type NoChanges struct{ Stack string }

// StackEvent is one event of the stack operation.
type StackEvent struct {
	Time      time.Time
	LogicalID string
	Type      string
	Status    string
	Reason    string
	Stack     bool // an event of the stack itself, not of a resource
}

// Progress says how far the operation is: Done of Total resources of the
// change set reached an end.
type Progress struct {
	Stack, Status string
	Done, Total   int
	Elapsed       time.Duration
}

// Finished says the stack operation succeeded.
type Finished struct {
	Stack, Status string
	Elapsed       time.Duration
	Outputs       []Output
}

// Detached says following stopped (the context was cancelled) while the
// stack operation goes on; Lifted names resources the stack policy still
// lets be replaced until the next deployment puts it back.
type Detached struct {
	Stack, Status string
	Lifted        []string
}

func (Target) event()     {}
func (Note) event()       {}
func (Uploaded) event()   {}
func (Policy) event()     {}
func (PlanReady) event()  {}
func (NoChanges) event()  {}
func (StackEvent) event() {}
func (Progress) event()   {}
func (Finished) event()   {}
func (Detached) event()   {}

// ErrDeclined is returned when Confirm said no.
var ErrDeclined = errors.New("deployment declined; the change set was deleted and nothing was deployed")

// ErrDeleteDeclined is returned when ConfirmDelete said no.
var ErrDeleteDeclined = errors.New("deployment declined; the stack was not deleted and nothing was deployed")

// InputError is a request that cannot be deployed as given (bad stack name,
// template too large for the way it is sent).
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// StateError is a stack whose state does not take a change set now.
type StateError struct{ Stack, Status, Hint string }

func (e *StateError) Error() string {
	return fmt.Sprintf("stack %s is %s: %s", e.Stack, e.Status, e.Hint)
}

// RefusedError is a change set with changes that lose data or fail which
// AllowReplace does not name; it was deleted.
type RefusedError struct{ Changes []Change }

func (e *RefusedError) Error() string {
	var b strings.Builder
	ids := make([]string, len(e.Changes))
	loses, denied, fails := false, false, false
	for i, c := range e.Changes {
		ids[i] = c.LogicalID
		fails = fails || c.Fails != ""
		if strings.HasPrefix(c.Danger, policyDenies) {
			denied = true
		} else {
			loses = loses || c.Danger != ""
		}
	}
	var parts []string
	if loses {
		parts = append(parts, "loses data")
	}
	if denied {
		parts = append(parts, "is denied by the stack policy")
	}
	if fails {
		parts = append(parts, "will fail")
	}
	what := strings.Join(parts, " and ")
	fmt.Fprintf(&b, "refused: the change set %s (deleted, nothing deployed):", what)
	for _, c := range e.Changes {
		fmt.Fprintf(&b, "\n  %s (%s): %s", c.LogicalID, c.Type, c.Why())
	}
	allow := "--allow-replace " + strings.Join(ids, " --allow-replace ")
	if fails {
		fmt.Fprintf(&b, "\na replacement fails when the resource keeps its custom name: change the name in the same update, or remove it so CloudFormation names it; if the forecast is wrong, deploy again with %s", allow)
	} else {
		fmt.Fprintf(&b, "\nif that is intended, deploy again with %s", allow)
	}
	return b.String()
}

// FailedError is a change set or stack operation that failed, with its root
// causes when the events name them.
type FailedError struct {
	Stack  string
	What   string // "stack NAME" or "change set NAME"
	Status string
	Reason string
	Causes []StackEvent
	Err    error // the API error it comes from, if any
}

func (e *FailedError) Unwrap() error { return e.Err }

func (e *FailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s failed (%s)", e.What, e.Status)
	if e.Reason != "" {
		fmt.Fprintf(&b, ": %s", e.Reason)
	}
	if len(e.Causes) > 0 {
		b.WriteString("; root cause:")
		for _, c := range e.Causes {
			fmt.Fprintf(&b, "\n  %s (%s) %s: %s", c.LogicalID, c.Type, c.Status, c.Reason)
		}
	}
	return b.String()
}

// DetachedError is returned when following stopped before the stack
// operation ended.
type DetachedError struct{ Detached Detached }

func (e *DetachedError) Error() string {
	msg := fmt.Sprintf("stopped following stack %s; the operation goes on in CloudFormation (aws cloudformation describe-stacks --stack-name %s)", e.Detached.Stack, e.Detached.Stack)
	if len(e.Detached.Lifted) > 0 {
		msg += fmt.Sprintf("; the stack policy still allows replacing %s until the next cfngen deploy of this stack sets it again", strings.Join(e.Detached.Lifted, ", "))
	}
	return msg
}
