// Package deploy creates or updates a CloudFormation stack through a
// reviewed change set and follows it to the end. It knows nothing of the
// command line and prints nothing: what happens is reported as Events to the
// caller's callback, and the caller decides (Request.Confirm) whether a
// change set runs.
package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aws/smithy-go"
	"github.com/cfngen/cfngen/internal/awsfacts"
	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/diff"
)

// MaxBodyBytes is the largest template CloudFormation takes inline
// (TemplateBody); larger ones must come from S3 (TemplateURL).
const MaxBodyBytes = 51200

// MaxURLBytes is the largest template CloudFormation reads from S3.
const MaxURLBytes = 1000000

// Parameter is one stack parameter value.
type Parameter struct{ Key, Value string }

// Tag is one stack tag.
type Tag struct{ Key, Value string }

// Request is one deployment.
type Request struct {
	Stack        string
	Template     []byte
	TemplateExt  string // ".yaml" or ".json": the extension of the S3 key
	Parameters   []Parameter
	Tags         []Tag
	Capabilities []string

	// Bucket, when set (or when the template is over MaxBodyBytes), is where
	// the template is uploaded, under Prefix plus its SHA-256.
	Bucket string
	Prefix string

	// Protect applies the prod guard rails: termination protection and a
	// stack policy denying replacement and deletion of Protected.
	Protect   bool
	Protected []string

	// AllowReplace names the resources whose replacement or removal (which
	// loses data), or replacement that cfngen's forecast says fails, this
	// deployment may perform; any other such change is refused.
	AllowReplace []string

	// DryRun creates the change set, reports it, and deletes it.
	DryRun bool

	// Confirm is asked before a change set with changes is executed; nil
	// means yes (--yes).
	Confirm func(context.Context, *Plan) (bool, error)
	// ConfirmDelete is asked before a stack in ROLLBACK_COMPLETE is
	// deleted to be created again; nil means yes (--yes).
	ConfirmDelete func(ctx context.Context, stack, status string) (bool, error)
}

// Engine runs deployments with its clients. Poll is the wait between two
// looks at a change set or a stack (5 s when zero); Heartbeat is how often a
// Progress event is sent while nothing happens (30 s when zero); Now is the
// clock (time.Now when nil); Report receives every event (may be nil).
type Engine struct {
	Clients   Clients
	Poll      time.Duration
	Heartbeat time.Duration
	Now       func() time.Time
	Report    func(Event)
}

// Outcome is how a deployment ended.
type Outcome string

// The outcomes of a deployment that returned no error.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	NoChange  Outcome = "no change"
	DryRunned Outcome = "dry run"
)

// Result is what a successful deployment did.
type Result struct {
	Outcome Outcome
	Plan    *Plan
	Status  string
	Outputs []Output
}

// Output is one stack output.
type Output struct{ Key, Value, Description string }

// Plan is a created change set.
type Plan struct {
	Stack         string
	StackID       string
	ChangeSetName string
	ChangeSetID   string
	Type          string // CREATE or UPDATE
	Changes       []Change
}

// Change is one resource change of a change set.
type Change struct {
	Action      string // Add, Modify, Remove, Import, Dynamic
	LogicalID   string
	PhysicalID  string
	Type        string
	Replacement string // True, False, Conditional, or "" (not a Modify)
	// PolicyAction is what CloudFormation does with the old resource under
	// its DeletionPolicy/UpdateReplacePolicy (Delete, Retain, Snapshot,
	// ReplaceAndDelete, ...), when the API says.
	PolicyAction string
	// Danger says why the change loses data ("replaces the database"), or
	// is empty; Forecast is set when cfngen's forecast says it, not the
	// change set. Fails says why the forecast expects CloudFormation to fail
	// the change (a replacement that keeps a custom name), or is empty.
	// Allowed is set when --allow-replace names a change with either.
	// Note says what happens to a stateful resource that is no danger (a
	// removal whose PolicyAction is Retain).
	Danger   string
	Forecast bool
	Fails    string
	Allowed  bool
	Note     string
}

// Why says what makes a change dangerous, and where that comes from.
func (c Change) Why() string {
	var set, forecast []string
	switch {
	case c.Danger != "" && c.Forecast:
		forecast = append(forecast, c.Danger)
	case c.Danger != "":
		set = append(set, c.Danger)
	}
	if c.Fails != "" {
		forecast = append(forecast, c.Fails)
	}
	if len(forecast) > 0 {
		set = append(set, "forecast: "+strings.Join(forecast, ", and "))
	}
	return strings.Join(set, "; ")
}

// Dangerous lists the changes that lose data or fail.
func (p *Plan) Dangerous() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Danger != "" || c.Fails != "" {
			out = append(out, c)
		}
	}
	return out
}

// Refused lists the dangerous changes that AllowReplace does not name.
func (p *Plan) Refused() []Change {
	var out []Change
	for _, c := range p.Dangerous() {
		if !c.Allowed {
			out = append(out, c)
		}
	}
	return out
}

// Deploy runs one deployment: it finds the stack, uploads the template when
// needed, creates a change set and reports it, stops there when nothing
// changes, on a dry run, on a refused data-losing change or when Confirm
// says no (deleting the change set), and otherwise executes it and follows
// the stack to its end. A cancelled ctx while following returns
// ErrDetached: the stack operation goes on.
func (e *Engine) Deploy(ctx context.Context, req Request) (Result, error) {
	if err := ValidStackName(req.Stack); err != nil {
		return Result{}, err
	}
	who, err := e.Clients.STS.GetCallerIdentity(ctx, nil)
	if err != nil {
		return Result{}, fmt.Errorf("find the AWS account (check credentials, --profile and --region): %w", err)
	}
	stack, err := e.describe(ctx, req.Stack)
	if err != nil {
		return Result{}, err
	}
	target := Target{Stack: req.Stack, Account: aws.ToString(who.Account), Caller: aws.ToString(who.Arn), Region: e.Clients.Region}
	if stack != nil {
		target.Status = string(stack.StackStatus)
	}
	e.report(target)
	if stack != nil && stack.StackStatus == types.StackStatusRollbackComplete {
		deleted, err := e.deleteFailedCreate(ctx, req, stack)
		if err != nil || !deleted {
			return Result{Outcome: DryRunned}, err
		}
		stack = nil
	}
	csType, err := changeSetType(req.Stack, stack)
	if err != nil {
		return Result{}, err
	}
	if stack != nil && stack.StackStatus == types.StackStatusReviewInProgress {
		e.report(Note{Text: fmt.Sprintf("stack %s is in REVIEW_IN_PROGRESS (created by a change set that never ran): creating it", req.Stack)})
	}
	// An update is forecast by cfngen first; without a forecast the change
	// set alone decides.
	var forecast *diff.Forecast
	var facts templateFacts
	if csType == types.ChangeSetTypeUpdate {
		f, tf, err := e.forecast(ctx, req, stack)
		facts = tf
		if err != nil {
			e.report(ForecastFailed{Stack: req.Stack, Err: err})
		} else {
			forecast = &f
			e.report(ForecastReady{Stack: req.Stack, Forecast: f})
		}
	}

	body, url, err := e.templateSource(ctx, req)
	if err != nil {
		return Result{}, err
	}
	plan, err := e.createChangeSet(ctx, req, csType, body, url)
	// created: the stack did not exist before this change set made it.
	created := stack == nil
	// discard deletes the change set and, for a new stack, the empty stack
	// in REVIEW_IN_PROGRESS that a CREATE change set leaves.
	discard := func() error {
		cctx := context.WithoutCancel(ctx)
		if err := e.deleteChangeSet(cctx, plan); err != nil {
			return err
		}
		if created {
			if _, err := e.Clients.CFN.DeleteStack(cctx, &cloudformation.DeleteStackInput{StackName: aws.String(plan.StackID)}); err != nil {
				return fmt.Errorf("delete the empty stack %s: %w", req.Stack, err)
			}
		}
		return nil
	}
	if err != nil {
		if plan != nil {
			if derr := discard(); derr != nil {
				return Result{}, errors.Join(err, derr)
			}
		}
		if errors.Is(err, errNoChange) {
			e.report(NoChanges{Stack: req.Stack})
			return Result{Outcome: NoChange}, nil
		}
		return Result{}, err
	}
	plan.dataless(facts.Dataless)
	var notes []string
	if forecast != nil {
		notes = plan.applyForecast(*forecast, req.AllowReplace)
	}
	// The prod guard rails of an update protect what the deployed template
	// and the new one protect (and what the change set changes of a
	// protected type, when the deployed template could not be read): a
	// resource the new template drops keeps its Deny until it is gone. They
	// are set only once the change set is going to run: a dry run, a
	// refused or a declined deployment changes nothing on the stack.
	guarded := req.Protect && csType == types.ChangeSetTypeUpdate
	if guarded {
		req.Protected = protectedIDs(req.Protected, facts, plan)
		plan.denyByPolicy(req.Protected, req.AllowReplace)
	}
	e.report(PlanReady{Plan: plan})
	for _, n := range notes {
		e.report(Note{Text: n})
	}
	for _, id := range req.AllowReplace {
		if !slices.ContainsFunc(plan.Dangerous(), func(c Change) bool { return c.LogicalID == id }) {
			e.report(Note{Text: fmt.Sprintf("--allow-replace %s: the change set neither replaces nor removes a stateful resource of that name, and no replacement of it is forecast to fail", id)})
		}
	}
	refused := plan.Refused()
	if req.DryRun {
		if err := discard(); err != nil {
			return Result{}, err
		}
		if guarded {
			e.report(Note{Text: "dry run: the prod guard rails were not touched; a deployment turns termination protection on and sets a stack policy denying replacing or deleting " + strings.Join(req.Protected, ", ")})
		}
		e.report(Note{Text: fmt.Sprintf("dry run: deleted change set %s; nothing was deployed", plan.ChangeSetName)})
		if len(refused) > 0 {
			return Result{}, &RefusedError{Changes: refused}
		}
		return Result{Outcome: DryRunned, Plan: plan}, nil
	}
	if len(refused) > 0 {
		if err := discard(); err != nil {
			return Result{}, err
		}
		return Result{}, &RefusedError{Changes: refused}
	}
	if req.Confirm != nil {
		ok, err := req.Confirm(ctx, plan)
		if err == nil && !ok {
			err = ErrDeclined
		}
		if err != nil {
			if derr := discard(); derr != nil {
				return Result{}, errors.Join(err, derr)
			}
			return Result{}, err
		}
	}

	// Events already there (REVIEW_IN_PROGRESS, earlier deployments) are
	// not this deployment's: remember the newest, before touching the
	// stack policy.
	last, err := e.newestEvent(ctx, plan.StackID)
	if err != nil {
		return Result{}, errors.Join(err, discard())
	}
	var lifted []string
	if guarded {
		for _, c := range plan.Dangerous() {
			if c.Allowed && slices.Contains(req.Protected, c.LogicalID) {
				lifted = append(lifted, c.LogicalID)
			}
		}
		if err := e.guard(ctx, req, stack, lifted); err != nil {
			// Whatever got set, the strict policy goes back before the
			// change set is deleted.
			cctx := context.WithoutCancel(ctx)
			return Result{}, errors.Join(err, e.restore(cctx, req, lifted), discard())
		}
	}
	res, err := e.execute(ctx, req, plan, last, lifted, discard)
	if err != nil {
		return res, err
	}
	if req.Protect && csType == types.ChangeSetTypeCreate {
		if err := e.guard(ctx, req, nil, nil); err != nil {
			return res, err
		}
	}
	return res, nil
}

// Target says where a deployment goes.
type Target struct {
	Stack, Account, Caller, Region string
	Status                         string // the stack's status, "" when it does not exist
}

// changeSetType picks CREATE or UPDATE from the stack's state, or refuses a
// stack that cannot take a change set now.
func changeSetType(name string, s *types.Stack) (types.ChangeSetType, error) {
	if s == nil {
		return types.ChangeSetTypeCreate, nil
	}
	st := string(s.StackStatus)
	switch {
	case s.StackStatus == types.StackStatusReviewInProgress:
		return types.ChangeSetTypeCreate, nil
	case strings.HasSuffix(st, "_IN_PROGRESS"):
		return "", &StateError{Stack: name, Status: st, Hint: "another operation is running on it; wait until it ends (aws cloudformation describe-stacks --stack-name " + name + ")"}
	case s.StackStatus == types.StackStatusRollbackFailed, s.StackStatus == types.StackStatusCreateFailed:
		return "", &StateError{Stack: name, Status: st, Hint: "its first create failed and it cannot be updated; delete it (aws cloudformation delete-stack --stack-name " + name + ") and deploy again"}
	case s.StackStatus == types.StackStatusDeleteFailed:
		return "", &StateError{Stack: name, Status: st, Hint: "deleting it failed and it cannot be updated; delete it again (aws cloudformation delete-stack --stack-name " + name + ", with --retain-resources for what cannot be deleted) and deploy again"}
	case s.StackStatus == types.StackStatusUpdateRollbackFailed:
		return "", &StateError{Stack: name, Status: st, Hint: "finish the rollback first (aws cloudformation continue-update-rollback --stack-name " + name + ")"}
	}
	return types.ChangeSetTypeUpdate, nil
}

// deleteFailedCreate deletes a stack in ROLLBACK_COMPLETE (its first
// create failed and was rolled back: it holds no resources, and such a
// stack can only be deleted), after saying so and asking
// (Request.ConfirmDelete), so that it is created again. On a dry run it
// only says so and returns false.
func (e *Engine) deleteFailedCreate(ctx context.Context, req Request, s *types.Stack) (bool, error) {
	e.report(Note{Text: fmt.Sprintf("stack %s is ROLLBACK_COMPLETE: its first create failed and was rolled back, so it holds no resources and can only be deleted; deploy deletes it and creates it again", req.Stack)})
	if req.DryRun {
		e.report(Note{Text: "dry run: the stack was not deleted; no change set can be made before it is, so none is shown"})
		return false, nil
	}
	if req.ConfirmDelete != nil {
		ok, err := req.ConfirmDelete(ctx, req.Stack, string(s.StackStatus))
		if err == nil && !ok {
			err = ErrDeleteDeclined
		}
		if err != nil {
			return false, err
		}
	}
	id := aws.ToString(s.StackId)
	if id == "" {
		id = req.Stack
	}
	if _, err := e.Clients.CFN.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)}); err != nil {
		return false, fmt.Errorf("delete stack %s: %w", req.Stack, err)
	}
	for {
		cur, err := e.describe(ctx, id)
		if err != nil {
			return false, err
		}
		switch {
		case cur == nil || cur.StackStatus == types.StackStatusDeleteComplete:
			e.report(Note{Text: fmt.Sprintf("deleted stack %s", req.Stack)})
			return true, nil
		case cur.StackStatus == types.StackStatusDeleteFailed:
			return false, &StateError{Stack: req.Stack, Status: string(cur.StackStatus), Hint: "deleting it failed: " + aws.ToString(cur.StackStatusReason)}
		}
		if err := e.sleep(ctx); err != nil {
			return false, err
		}
	}
}

// describe returns the stack, or nil when it does not exist.
func (e *Engine) describe(ctx context.Context, name string) (*types.Stack, error) {
	out, err := e.Clients.CFN.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" && strings.Contains(ae.ErrorMessage(), "does not exist") {
			return nil, nil
		}
		return nil, fmt.Errorf("describe stack %s: %w", name, err)
	}
	if len(out.Stacks) == 0 {
		return nil, nil
	}
	return &out.Stacks[0], nil
}

// templateSource returns the template body, or the S3 URL it was uploaded
// to when it is too large to send inline or a bucket was given.
func (e *Engine) templateSource(ctx context.Context, req Request) (body, url string, err error) {
	n := len(req.Template)
	if req.Bucket == "" {
		if n > MaxBodyBytes {
			return "", "", &InputError{Msg: fmt.Sprintf("the template is %d bytes, over the %d-byte limit CloudFormation takes inline (TemplateBody); give --s3-bucket BUCKET to upload it to S3 (up to %d bytes)", n, MaxBodyBytes, MaxURLBytes)}
		}
		return string(req.Template), "", nil
	}
	if n > MaxURLBytes {
		return "", "", &InputError{Msg: fmt.Sprintf("the template is %d bytes, over the %d-byte limit of a template in S3 (TemplateURL)", n, MaxURLBytes)}
	}
	sum := sha256.Sum256(req.Template)
	key := req.Prefix + hex.EncodeToString(sum[:]) + req.TemplateExt
	reused := false
	if _, err := e.Clients.S3.HeadObject(ctx, &s3HeadInput{Bucket: aws.String(req.Bucket), Key: aws.String(key)}); err == nil {
		reused = true // content-addressed: the same key holds the same bytes
	} else if !isNotFound(err) {
		return "", "", fmt.Errorf("look up s3://%s/%s: %w", req.Bucket, key, err)
	}
	if !reused {
		if _, err := e.Clients.S3.PutObject(ctx, putInput(req.Bucket, key, req.Template)); err != nil {
			return "", "", fmt.Errorf("upload the template to s3://%s/%s: %w", req.Bucket, key, err)
		}
	}
	url, err = objectURL(ctx, req.Bucket, e.Clients.Region, key)
	if err != nil {
		return "", "", err
	}
	e.report(Uploaded{Bucket: req.Bucket, Key: key, URL: url, Bytes: n, Reused: reused})
	return "", url, nil
}

// objectURL is the HTTPS address of an S3 object, the form TemplateURL
// takes: the bucket's endpoint in region as the S3 client resolves it (the
// partition's domain: amazonaws.com, amazonaws.com.cn, amazonaws.eu, the
// ISO ones), then the key, each segment escaped.
func objectURL(ctx context.Context, bucket, region, key string) (string, error) {
	ep, err := s3.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, s3.EndpointParameters{Bucket: aws.String(bucket), Region: aws.String(region)})
	if err != nil {
		return "", fmt.Errorf("the S3 address of bucket %s in region %s: %w", bucket, region, err)
	}
	segments := strings.Split(key, "/")
	for i, s := range segments {
		segments[i] = url.PathEscape(s)
	}
	return strings.TrimSuffix(ep.URI.String(), "/") + "/" + strings.Join(segments, "/"), nil
}

var errNoChange = errors.New("no change")

// noChangeReasons are how CloudFormation says a change set would change
// nothing (FAILED change set), or an update has nothing to do.
var noChangeReasons = []string{"didn't contain changes", "No updates are to be performed"}

func isNoChange(reason string) bool {
	return slices.ContainsFunc(noChangeReasons, func(s string) bool { return strings.Contains(reason, s) })
}

func (e *Engine) createChangeSet(ctx context.Context, req Request, csType types.ChangeSetType, body, url string) (*Plan, error) {
	// Unique per stack (two deployments in one second still differ).
	name := "cfngen-" + strings.Replace(e.now().UTC().Format("20060102-150405.000"), ".", "-", 1)
	in := &cloudformation.CreateChangeSetInput{
		StackName:     aws.String(req.Stack),
		ChangeSetName: aws.String(name),
		ChangeSetType: csType,
		Description:   aws.String("cfngen deploy"),
	}
	if url != "" {
		in.TemplateURL = aws.String(url)
	} else {
		in.TemplateBody = aws.String(body)
	}
	for _, p := range req.Parameters {
		in.Parameters = append(in.Parameters, types.Parameter{ParameterKey: aws.String(p.Key), ParameterValue: aws.String(p.Value)})
	}
	for _, t := range req.Tags {
		in.Tags = append(in.Tags, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	for _, c := range req.Capabilities {
		in.Capabilities = append(in.Capabilities, types.Capability(c))
	}
	out, err := e.Clients.CFN.CreateChangeSet(ctx, in)
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && isNoChange(ae.ErrorMessage()) {
			return nil, errNoChange
		}
		return nil, fmt.Errorf("create change set for stack %s: %w", req.Stack, err)
	}
	plan := &Plan{Stack: req.Stack, StackID: aws.ToString(out.StackId), ChangeSetName: name, ChangeSetID: aws.ToString(out.Id), Type: string(csType)}
	if plan.StackID == "" {
		plan.StackID = req.Stack
	}
	if plan.ChangeSetID == "" {
		plan.ChangeSetID = name
	}
	// Wait until the change set is ready. From here on, an error comes with
	// the plan so that the caller deletes what was created.
	var first *cloudformation.DescribeChangeSetOutput
	for {
		first, err = e.Clients.CFN.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(plan.ChangeSetID), StackName: aws.String(plan.StackID)})
		if err != nil {
			return plan, fmt.Errorf("describe change set %s: %w", name, err)
		}
		if first.Status == types.ChangeSetStatusCreateComplete || first.Status == types.ChangeSetStatusFailed {
			break
		}
		if err := e.sleep(ctx); err != nil {
			return plan, err
		}
	}
	if first.Status == types.ChangeSetStatusFailed {
		reason := aws.ToString(first.StatusReason)
		if isNoChange(reason) {
			return plan, errNoChange
		}
		return plan, &FailedError{Stack: req.Stack, What: "change set " + name, Status: string(first.Status), Reason: reason}
	}
	page := first
	for {
		for _, c := range page.Changes {
			if rc := c.ResourceChange; rc != nil {
				plan.Changes = append(plan.Changes, change(rc, req.AllowReplace))
			}
		}
		if aws.ToString(page.NextToken) == "" {
			break
		}
		page, err = e.Clients.CFN.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(plan.ChangeSetID), StackName: aws.String(plan.StackID), NextToken: page.NextToken})
		if err != nil {
			return plan, fmt.Errorf("describe change set %s: %w", name, err)
		}
	}
	return plan, nil
}

// dataless clears the danger the change set's data says of the changes
// to resources that hold no data (Aurora DB instances: the data is the
// cluster's), as cfngen diff does. The forecast may mark them again for
// another reason (a replacement that fails).
func (p *Plan) dataless(ids []string) {
	for i, c := range p.Changes {
		if slices.Contains(ids, c.LogicalID) && c.Type == "AWS::RDS::DBInstance" && !c.Forecast {
			p.Changes[i].Danger, p.Changes[i].Allowed = "", false
		}
	}
}

// policyDenies starts the danger of a change that the prod stack policy
// denies and that loses no data.
const policyDenies = "the stack policy denies"

// denyByPolicy marks the changes that the prod stack policy denies
// (replacing or removing a protected resource) and that are no danger
// otherwise (an Aurora DB instance, a removal that retains the resource):
// unless --allow-replace lifts the policy for them, the update would fail.
func (p *Plan) denyByPolicy(protected, allow []string) {
	for i, c := range p.Changes {
		if c.Danger != "" || !slices.Contains(protected, c.LogicalID) {
			continue
		}
		switch {
		case c.Action == string(types.ChangeActionRemove):
			c.Danger = policyDenies + " removing it"
		case c.Action == string(types.ChangeActionDynamic),
			c.Action == string(types.ChangeActionModify) && (c.Replacement == string(types.ReplacementTrue) || c.Replacement == string(types.ReplacementConditional)):
			c.Danger = policyDenies + " replacing it"
		default:
			continue
		}
		c.Allowed = slices.Contains(allow, c.LogicalID)
		p.Changes[i] = c
	}
}

// change reads one resource change and judges whether it loses data. A
// replacement whose old resource is retained (PolicyAction
// ReplaceAndRetain) is still a danger: the stack goes on with a new, empty
// resource.
func change(rc *types.ResourceChange, allow []string) Change {
	c := Change{
		Action:       string(rc.Action),
		LogicalID:    aws.ToString(rc.LogicalResourceId),
		PhysicalID:   aws.ToString(rc.PhysicalResourceId),
		Type:         aws.ToString(rc.ResourceType),
		Replacement:  string(rc.Replacement),
		PolicyAction: string(rc.PolicyAction),
	}
	if what, ok := Stateful(c.Type); ok {
		switch {
		case c.Action == string(types.ChangeActionRemove) && c.PolicyAction == string(types.PolicyActionRetain):
			c.Note = "leaves the stack; the " + what + " is retained (delete or reuse it by hand)"
		case c.Action == string(types.ChangeActionRemove):
			c.Danger = "removes the " + what
		case c.Action == string(types.ChangeActionDynamic):
			c.Danger = "may replace or remove the " + what + " (Dynamic: decided when the change set runs)"
		case c.Action == string(types.ChangeActionModify) && c.Replacement == string(types.ReplacementTrue):
			c.Danger = "replaces the " + what
		case c.Action == string(types.ChangeActionModify) && c.Replacement == string(types.ReplacementConditional):
			c.Danger = "may replace the " + what
		}
	}
	c.Allowed = c.Danger != "" && slices.Contains(allow, c.LogicalID)
	return c
}

func (e *Engine) deleteChangeSet(ctx context.Context, p *Plan) error {
	_, err := e.Clients.CFN.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: aws.String(p.ChangeSetID), StackName: aws.String(p.StackID)})
	if err != nil {
		return fmt.Errorf("delete change set %s: %w", p.ChangeSetName, err)
	}
	return nil
}

// guard turns termination protection on (unless the stack already has it)
// and sets the stack policy protecting req.Protected, minus lifted.
func (e *Engine) guard(ctx context.Context, req Request, s *types.Stack, lifted []string) error {
	if s == nil || !aws.ToBool(s.EnableTerminationProtection) {
		if _, err := e.Clients.CFN.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{StackName: aws.String(req.Stack), EnableTerminationProtection: aws.Bool(true)}); err != nil {
			return fmt.Errorf("turn on termination protection of %s: %w", req.Stack, err)
		}
		e.report(Note{Text: "termination protection: on"})
	}
	return e.setPolicy(ctx, req, lifted)
}

func (e *Engine) setPolicy(ctx context.Context, req Request, lifted []string) error {
	policy := cfn.StackPolicy(req.Protected, lifted)
	if policy == nil {
		return nil
	}
	if _, err := e.Clients.CFN.SetStackPolicy(ctx, &cloudformation.SetStackPolicyInput{StackName: aws.String(req.Stack), StackPolicyBody: aws.String(string(policy))}); err != nil {
		return fmt.Errorf("set the stack policy of %s: %w", req.Stack, err)
	}
	e.report(Policy{Protected: req.Protected, Lifted: lifted})
	return nil
}

// protectedIDs is the sorted union of the ids the new template protects and
// those the deployed one protects; when the deployed template could not be
// read, the change set's changes to a resource of a protected type that it
// does not add stand in for it. Resources that hold no data (an Aurora
// cluster's instances) are never protected, as in stack-policy.json.
func protectedIDs(new []string, facts templateFacts, plan *Plan) []string {
	out := slices.Concat(new, facts.Protected)
	if !facts.DeployedRead {
		for _, c := range plan.Changes {
			if c.Action != string(types.ChangeActionAdd) && slices.Contains(awsfacts.ProtectedTypes, c.Type) && !slices.Contains(facts.Dataless, c.LogicalID) {
				out = append(out, c.LogicalID)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Engine) report(ev Event) {
	if e.Report != nil {
		e.Report(ev)
	}
}

func (e *Engine) sleep(ctx context.Context) error {
	d := e.Poll
	if d == 0 {
		d = 5 * time.Second
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
