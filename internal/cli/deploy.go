package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/deploy"
	"github.com/cfngen/cfngen/internal/diff"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/output"
	"github.com/cfngen/cfngen/internal/project"
	"github.com/cfngen/cfngen/internal/validate"
)

// DeployOptions are the flags of cfngen deploy.
type DeployOptions struct {
	IO      IOStreams
	Config  string
	Env     string
	Variant string

	Template string // with Params and Tags: deploy these files instead of the committed ones
	Params   string
	Tags     string

	Stack   string
	Profile string
	Region  string

	Bucket string
	Prefix string

	Yes          bool
	DryRun       bool
	AllowReplace []string

	// Terminal is set when standard input and standard error are a
	// terminal: only then can deploy ask for confirmation.
	Terminal bool
	// Clients builds the AWS clients (nil: the AWS SDK's standard chain).
	Clients func(ctx context.Context, profile, region string) (deploy.Clients, error)
	// Poll is the wait between two looks at the stack (0: 5 s); Now is the
	// clock (nil: time.Now). Tests set them.
	Poll time.Duration
	Now  func() time.Time
}

// NewCmdDeploy builds cfngen deploy; runF replaces the run step in tests.
func NewCmdDeploy(io IOStreams, runF func(*DeployOptions) error) *cobra.Command {
	opts := &DeployOptions{IO: io, Terminal: isTerminal(io.In) && isTerminal(io.ErrOut)}
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Create or update a stack through a reviewed change set, with live progress",
		Long: `Deploy creates or updates a CloudFormation stack through a change set.

What: the committed template and params file of --env (the default
environment unless given; --variant rds for the RDS template), refused when
they differ from a fresh render of the model (run cfngen render first), with
params/tags.json as stack tags when the model has tags. Or any template with
--template FILE [--params FILE] [--tags FILE]. The template is validated
first (cfngen validate) and refused on errors. The stack is --stack, by
default <project>-<env>. Capabilities (CAPABILITY_IAM, CAPABILITY_NAMED_IAM,
CAPABILITY_AUTO_EXPAND) are derived from the template.

A template over 51,200 bytes, or any template when --s3-bucket is given, is
uploaded to the bucket under --s3-prefix plus its SHA-256 and deployed from
there (up to 1 MB).

A stack in ROLLBACK_COMPLETE (its first create failed; it holds no
resources) is deleted, after asking, and created again.

The change set (CREATE for a new stack or one left in REVIEW_IN_PROGRESS,
UPDATE otherwise) is printed as a table of action, logical id, type and
replacement; replacing or removing a stateful resource (database, bucket,
secret, queue, log group, ...) is marked DANGER and refused unless
--allow-replace names it. Before an UPDATE's table, deploy prints cfngen's
own forecast (as cfngen diff makes it) of the deployed template and
parameter values against the new ones: what will fail, lose data, weaken
security or break, and what is replaced. A replacement that keeps a custom
name (which CloudFormation fails only when it runs) and data loss the
change set does not flag are DANGER too. When the deployed template cannot
be read, deploy says so and the change set alone decides. No changes: the
empty change set is deleted and deploy exits 0. On a terminal deploy asks
before executing; without one it needs --yes. --dry-run prints the change
set and deletes it.

While the change set runs, deploy prints every stack event and a progress
line, then the outputs; on failure, the first events that caused it (not the
cascade of cancellations). Ctrl-C stops following; the stack operation goes
on in CloudFormation.

For an environment whose Environment parameter is prod, deploy turns on
termination protection and sets a stack policy that denies replacing or
deleting the database, the buckets and the secret; --allow-replace lifts it
for the named resource during that one update.

AWS access: the standard credential chain (environment, shared files, SSO,
roles), --profile and --region; AWS_ENDPOINT_URL points it elsewhere.

Exit code: 0 deployed, no changes, or dry run; 1 the deployment failed, was
declined, or was refused (data loss, a replacement forecast to fail,
validation errors, stale files); 2 bad usage or input, an AWS error, or
Ctrl-C (at the question or while following).`,
		Example: `  cfngen deploy --env dev
  cfngen deploy --env prod --variant rds --yes
  cfngen deploy --env prod --dry-run
  cfngen deploy --env prod --allow-replace DBCluster
  cfngen deploy --template my-stack.yaml --params my-params.json --stack my-stack
  cfngen deploy --env dev --s3-bucket my-deploy-bucket --profile dev --region eu-central-1`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDeploy(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Config, "config", "c", "", "backend model file (default: cfngen.yaml if it exists, else built-in defaults)")
	f.StringVarP(&opts.Env, "env", "e", "", "environment whose committed params file is deployed (default: the model's default environment)")
	f.StringVar(&opts.Variant, "variant", "", "template variant: aurora or rds (default aurora)")
	f.StringVarP(&opts.Template, "template", "t", "", "deploy this template instead of the committed one")
	f.StringVarP(&opts.Params, "params", "p", "", "parameters file of --template (JSON array of ParameterKey/ParameterValue)")
	f.StringVar(&opts.Tags, "tags", "", "stack tags file (JSON array of Key/Value; default params/tags.json when the model has tags)")
	f.StringVarP(&opts.Stack, "stack", "s", "", "stack name (default <project>-<env>)")
	f.StringVar(&opts.Profile, "profile", "", "AWS profile (default AWS_PROFILE or the default profile)")
	f.StringVar(&opts.Region, "region", "", "AWS region (default AWS_REGION or the profile's)")
	f.StringVar(&opts.Bucket, "s3-bucket", "", "S3 bucket to upload the template to (needed over 51,200 bytes)")
	f.StringVar(&opts.Prefix, "s3-prefix", "cfngen/", "key prefix of uploaded templates (the stack name and the template's SHA-256 follow)")
	f.BoolVarP(&opts.Yes, "yes", "y", false, "execute the change set without asking (CI)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print the change set, delete it, deploy nothing")
	f.StringArrayVar(&opts.AllowReplace, "allow-replace", nil, "LOGICAL_ID whose replacement or removal (data loss), or replacement forecast to fail, this deployment may perform; repeatable")
	return cmd
}

// deployInput is what deploy sends: the files, read and checked.
type deployInput struct {
	TemplatePath, ParamsPath, TagsPath string
	DefaultStack                       string // "" when it cannot be derived
}

func runDeploy(opts *DeployOptions) error {
	if !opts.Yes && !opts.DryRun && !opts.Terminal {
		return errors.New("no terminal to ask for confirmation on: give --yes to deploy without asking (CI), or --dry-run to only see the change set")
	}
	in, err := deploySources(opts)
	if err != nil {
		return err
	}
	req, err := deployRequest(opts, in)
	if err != nil {
		return err
	}
	if !opts.Yes {
		req.Confirm = func(ctx context.Context, p *deploy.Plan) (bool, error) { return confirm(ctx, opts.IO, p) }
		req.ConfirmDelete = func(ctx context.Context, stack, status string) (bool, error) {
			return ask(ctx, opts.IO, fmt.Sprintf("Delete stack %s (%s, no resources) to create it again? [y/N] ", stack, status))
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	newClients := opts.Clients
	if newClients == nil {
		newClients = deploy.NewClients
	}
	clients, err := newClients(ctx, opts.Profile, opts.Region)
	if err != nil {
		return err
	}
	r := &deployPrinter{io: opts.IO, status: opts.Terminal}
	e := &deploy.Engine{Clients: clients, Poll: opts.Poll, Now: opts.Now, Report: r.print}
	_, err = e.Deploy(ctx, req)
	r.clear()
	return deployExit(err)
}

// deployExit maps the engine's errors to exit codes: 1 when the deployment
// failed, was declined or refused; 2 for input and AWS trouble, and when
// following was stopped.
func deployExit(err error) error {
	var failed *deploy.FailedError
	var refused *deploy.RefusedError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("interrupted before the change set ran; nothing was deployed: %w", err)
	case errors.As(err, &failed), errors.As(err, &refused), errors.Is(err, deploy.ErrDeclined), errors.Is(err, deploy.ErrDeleteDeclined):
		return &exitError{code: ExitDiff, err: err}
	}
	return err
}

// deploySources finds the files to deploy: --template/--params/--tags, or
// the committed files of --env and --variant.
func deploySources(opts *DeployOptions) (deployInput, error) {
	if opts.Template != "" {
		if opts.Env != "" || opts.Variant != "" || opts.Config != "" {
			return deployInput{}, errors.New("--template deploys the files given: it does not go with --env, --variant or --config (name the stack with --stack)")
		}
		return deployInput{TemplatePath: opts.Template, ParamsPath: opts.Params, TagsPath: opts.Tags}, nil
	}
	if opts.Params != "" {
		return deployInput{}, errors.New("--params goes with --template; without it deploy uses the committed params file of --env")
	}
	b, src, err := loadModel(opts.Config)
	if err != nil {
		return deployInput{}, err
	}
	env := opts.Env
	if env == "" {
		env = b.DefaultEnvironment
	}
	v := layout.Aurora
	if opts.Variant != "" {
		v = layout.Variant(opts.Variant)
		if _, ok := layout.Of(v); !ok {
			return deployInput{}, fmt.Errorf("--variant %q is not allowed (allowed: %s)", opts.Variant, join(layout.Variants))
		}
	}
	in, err := committedFiles(b, src, env, v)
	if err != nil {
		return deployInput{}, err
	}
	if opts.Tags != "" {
		in.TagsPath = opts.Tags
	}
	return in, nil
}

// committedFiles returns the committed template, params file and tags file
// of env and variant v, and refuses (exit 1) when any of them differs from a
// fresh render of the model, as render --check does.
func committedFiles(b model.Backend, src, env string, v layout.Variant) (deployInput, error) {
	e, ok := b.Env(env)
	if !ok {
		return deployInput{}, fmt.Errorf("--env %q is not an environment of %s (environments: %s)", env, src, strings.Join(b.EnvNames(), ", "))
	}
	if env != b.DefaultEnvironment && !e.Listed {
		var withFiles []string
		for _, e := range b.Environments {
			if e.Name == b.DefaultEnvironment || e.Listed {
				withFiles = append(withFiles, e.Name)
			}
		}
		where := src
		if where == builtInDefaults {
			where = DefaultConfig + " (cfngen init writes one)"
		}
		return deployInput{}, fmt.Errorf("environment %s has no params file: add environments.%s.params to %s and run cfngen render (environments with params files: %s)", env, env, where, strings.Join(withFiles, ", "))
	}
	in := deployInput{
		TemplatePath: layout.TemplatePath(v, "yaml"),
		ParamsPath:   layout.ParamsPath(v, env, b.DefaultEnvironment),
		DefaultStack: b.Project.Name + "-" + env,
	}
	if len(b.Tags) > 0 {
		in.TagsPath = layout.TagsPath
	}
	files, _, err := project.Files(b, "yaml")
	if err != nil {
		return deployInput{}, inConfig(err, src)
	}
	var mine []project.File
	for _, f := range files {
		if f.Path == in.TemplatePath || f.Path == in.ParamsPath || f.Path == in.TagsPath {
			mine = append(mine, f)
		}
	}
	diffs, err := output.Compare(".", mine)
	if err != nil {
		return deployInput{}, err
	}
	if len(diffs) > 0 {
		var stale []string
		for _, d := range diffs {
			stale = append(stale, filepath.ToSlash(d.Path))
		}
		return deployInput{}, &exitError{code: ExitDiff, err: fmt.Errorf("%s missing or different from a fresh render of %s: run cfngen render first (or deploy other files with --template and --params)", strings.Join(stale, ", "), src)}
	}
	return in, nil
}

// deployRequest reads and validates the files and builds the request.
func deployRequest(opts *DeployOptions, in deployInput) (deploy.Request, error) {
	data, err := os.ReadFile(in.TemplatePath)
	if err != nil {
		return deploy.Request{}, err
	}
	vin := validate.Input{Path: in.TemplatePath, Data: data, ParamsPath: in.ParamsPath}
	if in.ParamsPath != "" {
		if vin.Params, err = os.ReadFile(in.ParamsPath); err != nil {
			return deploy.Request{}, err
		}
	}
	t, err := validate.Parse(vin)
	if err != nil {
		return deploy.Request{}, err
	}
	findings := validate.Check(t, validate.Rules())
	if err := validate.WriteText(opts.IO.ErrOut, findings); err != nil {
		return deploy.Request{}, err
	}
	if n := validate.Errors(findings); n > 0 {
		return deploy.Request{}, &exitError{code: ExitDiff, err: fmt.Errorf("%d validation error(s) in %s: nothing deployed", n, in.TemplatePath)}
	}
	req := deploy.Request{
		Template:     data,
		TemplateExt:  filepath.Ext(in.TemplatePath),
		Capabilities: deploy.Capabilities(t.Tree),
		Bucket:       opts.Bucket,
		AllowReplace: opts.AllowReplace,
		DryRun:       opts.DryRun,
	}
	values := map[string]string{}
	for _, p := range t.Params {
		req.Parameters = append(req.Parameters, deploy.Parameter{Key: p.ParameterKey, Value: p.ParameterValue})
		values[p.ParameterKey] = p.ParameterValue
	}
	if in.TagsPath != "" {
		raw, err := os.ReadFile(in.TagsPath)
		if err != nil {
			return deploy.Request{}, err
		}
		if err := json.Unmarshal(raw, &req.Tags); err != nil {
			return deploy.Request{}, fmt.Errorf("%s: not a tags file (a JSON array of Key/Value objects): %w", in.TagsPath, err)
		}
	}
	req.Stack = opts.Stack
	if req.Stack == "" {
		req.Stack = in.DefaultStack
	}
	if req.Stack == "" && values["MyProjectName"] != "" && values["Environment"] != "" {
		req.Stack = values["MyProjectName"] + "-" + values["Environment"]
	}
	if req.Stack == "" {
		return deploy.Request{}, fmt.Errorf("no stack name: give --stack (the default <project>-<env> needs the MyProjectName and Environment parameters)")
	}
	if err := deploy.ValidStackName(req.Stack); err != nil {
		return deploy.Request{}, err
	}
	req.Prefix = opts.Prefix + req.Stack + "/"
	if values["Environment"] == "prod" {
		req.Protect = true
		req.Protected = cfn.Protected(t.Tree)
	}
	return req, nil
}

// confirm asks on the terminal whether to execute the change set. Ctrl-C
// while it waits cancels ctx: it returns ctx's error (exit 2, as any
// Ctrl-C), and the change set is deleted.
func confirm(ctx context.Context, io IOStreams, p *deploy.Plan) (bool, error) {
	return ask(ctx, io, fmt.Sprintf("Execute change set %s on stack %s (%d change(s))? [y/N] ", p.ChangeSetName, p.Stack, len(p.Changes)))
}

// ask puts question on the terminal and reports whether the answer is yes;
// Ctrl-C while it waits returns ctx's error.
func ask(ctx context.Context, io IOStreams, question string) (bool, error) {
	fmt.Fprint(io.ErrOut, question)
	answer := make(chan string, 1)
	go func() {
		// Byte by byte: a buffered reader would swallow the answer to
		// the next question.
		var line []byte
		b := make([]byte, 1)
		for {
			n, err := io.In.Read(b)
			if n == 1 {
				if b[0] == '\n' {
					break
				}
				line = append(line, b[0])
			}
			if err != nil {
				break
			}
		}
		answer <- strings.ToLower(strings.TrimSpace(string(line)))
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(io.ErrOut)
		return false, ctx.Err()
	case a := <-answer:
		return a == "y" || a == "yes", nil
	}
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// deployPrinter renders the engine's events: the change set, the events and
// the outputs on standard output, remarks and progress on standard error
// (on a terminal, progress is one line rewritten in place).
type deployPrinter struct {
	io       IOStreams
	status   bool // rewrite the progress line in place
	onStatus bool // a progress line is on screen
}

func (r *deployPrinter) clear() {
	if r.onStatus {
		fmt.Fprint(r.io.ErrOut, "\r\033[K")
		r.onStatus = false
	}
}

func (r *deployPrinter) print(ev deploy.Event) {
	r.clear()
	out, msg := r.io.Out, r.io.ErrOut
	switch ev := ev.(type) {
	case deploy.Target:
		state := "a new stack"
		if ev.Status != "" {
			state = ev.Status
		}
		fmt.Fprintf(msg, "stack %s (%s) in account %s, region %s, as %s\n", ev.Stack, state, ev.Account, ev.Region, ev.Caller)
	case deploy.Note:
		fmt.Fprintln(msg, ev.Text)
	case deploy.Uploaded:
		verb := "uploaded the template"
		if ev.Reused {
			verb = "the template is already"
		}
		fmt.Fprintf(msg, "%s (%d bytes) to s3://%s/%s\n", verb, ev.Bytes, ev.Bucket, ev.Key)
	case deploy.Policy:
		line := "stack policy: denies replacing or deleting " + strings.Join(ev.Protected, ", ")
		if len(ev.Lifted) > 0 {
			line += "; lifted for " + strings.Join(ev.Lifted, ", ") + " during this update"
		}
		fmt.Fprintln(msg, line)
	case deploy.ForecastReady:
		if len(ev.Forecast.Changes) == 0 {
			return // the change set says whether anything changes
		}
		fmt.Fprintf(out, "Forecast by cfngen: stack %s as deployed -> this template and parameters\n", ev.Stack)
		diff.WriteBrief(out, ev.Forecast)
		fmt.Fprintln(out)
	case deploy.ForecastFailed:
		fmt.Fprintf(msg, "no forecast by cfngen for stack %s (%v): the change set alone shows what changes\n", ev.Stack, ev.Err)
	case deploy.PlanReady:
		writePlan(out, ev.Plan)
	case deploy.NoChanges:
		fmt.Fprintf(msg, "no changes: stack %s already matches the template and parameters (the empty change set was deleted)\n", ev.Stack)
	case deploy.StackEvent:
		line := fmt.Sprintf("%s  %-28s %-36s %s", ev.Time.UTC().Format("15:04:05"), ev.LogicalID, ev.Type, ev.Status)
		if ev.Reason != "" {
			line += "  " + ev.Reason
		}
		fmt.Fprintln(out, strings.TrimRight(line, " "))
	case deploy.Progress:
		line := fmt.Sprintf("%s: %d/%d resources done, %s elapsed", ev.Status, ev.Done, ev.Total, ev.Elapsed.Round(time.Second))
		if r.status {
			fmt.Fprint(msg, line)
			r.onStatus = true
		} else {
			fmt.Fprintln(msg, line)
		}
	case deploy.Finished:
		fmt.Fprintf(msg, "stack %s: %s in %s\n", ev.Stack, ev.Status, ev.Elapsed.Round(time.Second))
		if len(ev.Outputs) > 0 {
			fmt.Fprintf(out, "\nOutputs of %s:\n", ev.Stack)
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			for _, o := range ev.Outputs {
				fmt.Fprintf(tw, "  %s\t%s\n", o.Key, o.Value)
			}
			tw.Flush()
		}
	case deploy.Detached:
		// The error returned with it says what goes on.
	}
}

// writePlan prints a change set as a table, dangerous changes marked.
func writePlan(w io.Writer, p *deploy.Plan) {
	fmt.Fprintf(w, "Change set %s (%s) of stack %s:\n", p.ChangeSetName, p.Type, p.Stack)
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ACTION\tLOGICAL ID\tTYPE\tREPLACEMENT\t")
	counts := map[string]int{}
	for _, c := range p.Changes {
		counts[c.Action]++
		repl := c.Replacement
		if repl == "" {
			repl = "-"
		}
		note := ""
		if why := c.Why(); why != "" {
			note = "DANGER: " + why
			if c.PolicyAction != "" {
				note += " (old one: " + c.PolicyAction + ")"
			}
			if c.Allowed {
				note += ", allowed by --allow-replace"
			}
			if c.Note != "" {
				note += "; " + c.Note
			}
		} else if c.Note != "" {
			note = c.Note
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", c.Action, c.LogicalID, c.Type, repl, note)
	}
	tw.Flush()
	for _, line := range strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	var parts []string
	for _, a := range []string{"Add", "Modify", "Remove", "Import", "Dynamic"} {
		if counts[a] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[a], strings.ToLower(a)))
		}
	}
	summary := fmt.Sprintf("%d change(s)", len(p.Changes))
	if len(parts) > 0 {
		summary += ": " + strings.Join(parts, ", ")
	}
	if n := len(p.Dangerous()); n > 0 {
		summary += fmt.Sprintf("; %d dangerous", n)
	}
	fmt.Fprintf(w, "%s\n\n", summary)
}
