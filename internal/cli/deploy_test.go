package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/internal/deploy"
	"github.com/cfngen/cfngen/internal/deploy/deploytest"
	"github.com/cfngen/cfngen/internal/golden"
)

// deployRun runs cfngen deploy with args against fake (nil: AWS must not be
// called), with stdin, on a terminal or not, and returns the exit code Main
// would return and both outputs.
func deployRun(t *testing.T, fake *deploytest.CFN, stdin string, terminal bool, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}
	clock := time.Date(2026, 12, 3, 5, 0, 0, 0, time.UTC)
	cmd := NewCmdDeploy(io, func(o *DeployOptions) error {
		o.Terminal = terminal
		o.Poll = time.Microsecond
		o.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
		o.Clients = func(context.Context, string, string) (deploy.Clients, error) {
			if fake == nil {
				t.Error("deploy called AWS")
				return deploy.Clients{}, errors.New("no AWS in this test")
			}
			return deploy.Clients{CFN: fake, S3: &deploytest.S3{}, STS: deploytest.STS{}, Region: "eu-central-1"}, nil
		}
		return runDeploy(o)
	})
	cmd.SetArgs(append([]string{}, args...)) // nil would read os.Args
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	if err == nil {
		return ExitOK, out.String(), errOut.String()
	}
	fmt.Fprintf(&errOut, "cfngen: %v\n", err)
	var e *exitError
	if errors.As(err, &e) {
		return e.code, out.String(), errOut.String()
	}
	return ExitTrouble, out.String(), errOut.String()
}

// repoRoot makes the repository root the working directory: the committed
// files are deployed from there.
func repoRoot(t *testing.T) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
}

// defaultRoot makes a fresh render of the built-in defaults the working
// directory: the tests below expect the defaults' names and values, which a
// repository with its own cfngen.yaml does not have.
func defaultRoot(t *testing.T) {
	t.Helper()
	t.Chdir(t.TempDir())
	var errOut bytes.Buffer
	if code := Main([]string{"render"}, IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut}); code != ExitOK {
		t.Fatalf("render the defaults: exit %d\n%s", code, errOut.String())
	}
}

func queueAdded() *deploytest.CFN {
	return &deploytest.CFN{
		Changes: []types.Change{deploytest.Change(types.ChangeActionAdd, "JobQueue", "AWS::SQS::Queue", "")},
		Script:  []deploytest.Step{{Status: types.StackStatusCreateComplete}},
	}
}

func TestDeployUsage(t *testing.T) {
	defaultRoot(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no terminal to ask for confirmation on: give --yes"},
		{[]string{"--yes", "--params", "p.json"}, "--params goes with --template"},
		{[]string{"--yes", "--template", "t.yaml", "--env", "dev"}, "does not go with --env"},
		{[]string{"--yes", "--variant", "mysql"}, `--variant "mysql" is not allowed (allowed: aurora, rds)`},
		{[]string{"--yes", "--env", "qa"}, `--env "qa" is not an environment of built-in defaults (environments: dev, staging, prod)`},
		{[]string{"--yes", "--env", "prod"}, "environment prod has no params file: add environments.prod.params to cfngen.yaml (cfngen init writes one)"},
		{[]string{"--yes", "--stack", "my_app"}, `stack name "my_app" must start with a letter`},
	} {
		code, _, stderr := deployRun(t, nil, "", false, tc.args...)
		if code != ExitTrouble || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// The default deployment: the committed Aurora template and params file of
// the default environment, as stack <project>-<env>.
func TestDeployCommitted(t *testing.T) {
	defaultRoot(t)
	fake := queueAdded()
	code, stdout, stderr := deployRun(t, fake, "", false, "--yes")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	in := fake.Created
	template, _ := os.ReadFile("templates/backend-stack.yaml")
	if aws.ToString(in.StackName) != "myapp-dev" || aws.ToString(in.TemplateBody) != string(template) {
		t.Errorf("stack %s, body of %d bytes: want myapp-dev and the committed template", aws.ToString(in.StackName), len(aws.ToString(in.TemplateBody)))
	}
	if !slices.Equal(in.Capabilities, []types.Capability{types.CapabilityCapabilityIam}) {
		t.Errorf("capabilities %v", in.Capabilities)
	}
	var keys []string
	for _, p := range in.Parameters {
		keys = append(keys, aws.ToString(p.ParameterKey)+"="+aws.ToString(p.ParameterValue))
	}
	if !slices.Contains(keys, "Environment=dev") || !slices.Contains(keys, "MyIPAddress=203.0.113.10/32") {
		t.Errorf("parameters %q are not params/params.json's", keys)
	}
	if slices.Contains(fake.Calls, "SetStackPolicy") {
		t.Error("guard rails on dev")
	}
	if !strings.Contains(stdout, "Change set cfngen-20261203-050001-000 (CREATE) of stack myapp-dev:") {
		t.Errorf("stdout %q", stdout)
	}
	if !strings.Contains(stderr, "stack myapp-dev: CREATE_COMPLETE") {
		t.Errorf("stderr %q", stderr)
	}
}

func TestDeployStale(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if code := Main([]string{"render"}, IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}); code != 0 {
		t.Fatalf("render exit %d", code)
	}
	// Another environment's file does not matter; the deployed one does.
	if err := os.WriteFile("templates/backend-stack-with-rds.yaml", []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := deployRun(t, queueAdded(), "", false, "--yes"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	params := "params/params.json"
	data, _ := os.ReadFile(params)
	if err := os.WriteFile(params, bytes.Replace(data, []byte("203.0.113.10/32"), []byte("198.51.100.1/32"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := deployRun(t, nil, "", false, "--yes")
	if code != ExitDiff || !strings.Contains(stderr, "params/params.json missing or different from a fresh render of built-in defaults: run cfngen render first") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestDeployValidationErrors(t *testing.T) {
	repoRoot(t)
	code, _, stderr := deployRun(t, nil, "", false, "--yes", "--template", "testdata/handwritten/backend-mistakes.yaml", "--stack", "x")
	if code != ExitDiff || !strings.Contains(stderr, "validation error(s) in testdata/handwritten/backend-mistakes.yaml: nothing deployed") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// writeFiles writes a small template and its params and tags files.
func writeFiles(t *testing.T, env string) (template, params, tags string) {
	t.Helper()
	dir := t.TempDir()
	template, params, tags = filepath.Join(dir, "t.yaml"), filepath.Join(dir, "p.json"), filepath.Join(dir, "tags.json")
	files := map[string]string{
		template: `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  MyProjectName: {Type: String}
  Environment: {Type: String}
Resources:
  Data:
    Type: AWS::Logs::LogGroup
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      LogGroupName: !Sub "${MyProjectName}-${Environment}-data"
      RetentionInDays: 30
  Secret:
    Type: AWS::SecretsManager::Secret
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      GenerateSecretString: {PasswordLength: 32, ExcludeCharacters: "\"@/\\ "}
`,
		params: `[{"ParameterKey": "MyProjectName", "ParameterValue": "shop"}, {"ParameterKey": "Environment", "ParameterValue": "` + env + `"}]`,
		tags:   `[{"Key": "team", "Value": "payments"}]`,
	}
	for path, data := range files {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return template, params, tags
}

func TestDeployTemplateProd(t *testing.T) {
	template, params, tags := writeFiles(t, "prod")
	fake := &deploytest.CFN{
		Changes: []types.Change{deploytest.Change(types.ChangeActionAdd, "Secret", "AWS::SecretsManager::Secret", "")},
		Script:  []deploytest.Step{{Status: types.StackStatusCreateComplete}},
	}
	code, _, stderr := deployRun(t, fake, "", false, "--yes", "--template", template, "--params", params, "--tags", tags)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := aws.ToString(fake.Created.StackName); got != "shop-prod" {
		t.Errorf("stack %s, want shop-prod from the parameters", got)
	}
	if len(fake.Created.Tags) != 1 || aws.ToString(fake.Created.Tags[0].Key) != "team" {
		t.Errorf("tags %+v", fake.Created.Tags)
	}
	if !slices.Contains(fake.Calls, "UpdateTerminationProtection true") || len(fake.Policies) != 1 || !strings.Contains(fake.Policies[0], `"Resource":["LogicalResourceId/Secret"]`) {
		t.Errorf("prod guard rails: calls %q, policies %q", fake.Calls, fake.Policies)
	}
	for _, want := range []string{"termination protection: on", "stack policy: denies replacing or deleting Secret\n"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestDeployConfirm(t *testing.T) {
	template, params, _ := writeFiles(t, "dev")
	for answer, want := range map[string]int{"y\n": ExitOK, "yes\n": ExitOK, "n\n": ExitDiff, "\n": ExitDiff, "": ExitDiff} {
		fake := &deploytest.CFN{
			Changes: []types.Change{deploytest.Change(types.ChangeActionAdd, "Data", "AWS::Logs::LogGroup", "")},
			Script:  []deploytest.Step{{Status: types.StackStatusCreateComplete}},
		}
		code, _, stderr := deployRun(t, fake, answer, true, "--template", template, "--params", params)
		if code != want {
			t.Errorf("answer %q: exit %d, want %d: %s", answer, code, want, stderr)
		}
		if !strings.Contains(stderr, "Execute change set cfngen-20261203-050001-000 on stack shop-dev (1 change(s))? [y/N] ") {
			t.Errorf("answer %q: no question in %q", answer, stderr)
		}
		if executed := slices.Contains(fake.Calls, "ExecuteChangeSet"); executed != (want == ExitOK) {
			t.Errorf("answer %q: executed %v", answer, executed)
		}
		if want == ExitDiff && !strings.Contains(stderr, "deployment declined") {
			t.Errorf("answer %q: %q", answer, stderr)
		}
	}
}

// An update through the whole command: the change set table with a danger
// the user allowed, the events, the outputs (golden), and a failure's root
// cause.
func TestDeployOutput(t *testing.T) {
	template, params, _ := writeFiles(t, "dev")
	stack := &types.Stack{StackName: aws.String("shop-dev"), StackId: aws.String(deploytest.StackID), StackStatus: types.StackStatusUpdateComplete}
	changes := []types.Change{
		deploytest.Change(types.ChangeActionModify, "Data", "AWS::Logs::LogGroup", types.ReplacementTrue),
		deploytest.Change(types.ChangeActionAdd, "Logs", "AWS::Logs::LogGroup", ""),
		deploytest.Change(types.ChangeActionRemove, "OldTopic", "AWS::SNS::Topic", ""),
	}
	changes[0].ResourceChange.PolicyAction = types.PolicyActionReplaceAndRetain
	fake := &deploytest.CFN{
		Stack:   stack,
		Changes: changes,
		Script: []deploytest.Step{
			{Status: types.StackStatusUpdateInProgress, Events: []deploytest.Ev{
				{"shop-dev", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"},
				{"Logs", "AWS::Logs::LogGroup", "CREATE_IN_PROGRESS", ""},
				{"Data", "AWS::Logs::LogGroup", "UPDATE_IN_PROGRESS", "Requested update requires the creation of a new physical resource; hence creating one."},
			}},
			{Status: types.StackStatusUpdateCompleteCleanupInProgress, Events: []deploytest.Ev{
				{"Logs", "AWS::Logs::LogGroup", "CREATE_COMPLETE", ""},
				{"Data", "AWS::Logs::LogGroup", "UPDATE_COMPLETE", ""},
			}},
			{Status: types.StackStatusUpdateComplete, Events: []deploytest.Ev{
				{"OldTopic", "AWS::SNS::Topic", "DELETE_COMPLETE", ""},
				{"shop-dev", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", ""},
			}, Outputs: []types.Output{
				{OutputKey: aws.String("LogsName"), OutputValue: aws.String("shop-dev-logs")},
				{OutputKey: aws.String("DataName"), OutputValue: aws.String("shop-dev-data")},
			}},
		},
	}
	code, stdout, stderr := deployRun(t, fake, "", false, "--yes", "--template", template, "--params", params, "--allow-replace", "Data")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden.Assert(t, "testdata/deploy/update.txt", []byte(stdout))
	for _, want := range []string{"UPDATE_IN_PROGRESS: 0/3 resources done", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 2/3 resources done", "stack shop-dev: UPDATE_COMPLETE in "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	t.Run("refused without --allow-replace", func(t *testing.T) {
		fake := &deploytest.CFN{Stack: stack, Changes: changes}
		code, stdout, stderr := deployRun(t, fake, "", false, "--yes", "--template", template, "--params", params)
		if code != ExitDiff || !strings.Contains(stderr, "refused: the change set loses data") || !strings.Contains(stderr, "Data (AWS::Logs::LogGroup): replaces the log group") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if !strings.Contains(stdout, "DANGER: replaces the log group (old one: ReplaceAndRetain)\n") {
			t.Errorf("stdout %q", stdout)
		}
	})

	t.Run("failure", func(t *testing.T) {
		fake := &deploytest.CFN{Stack: stack, Changes: changes[1:2], Script: []deploytest.Step{
			{Status: types.StackStatusUpdateRollbackComplete, Events: []deploytest.Ev{
				{"Logs", "AWS::Logs::LogGroup", "CREATE_FAILED", "Resource handler returned message: \"shop-dev-logs already exists\""},
				{"shop-dev", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Logs]."},
				{"shop-dev", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", ""},
			}},
		}}
		code, _, stderr := deployRun(t, fake, "", false, "--yes", "--template", template, "--params", params)
		want := "cfngen: stack shop-dev failed (UPDATE_ROLLBACK_COMPLETE); root cause:\n  Logs (AWS::Logs::LogGroup) CREATE_FAILED: Resource handler returned message: \"shop-dev-logs already exists\"\n"
		if code != ExitDiff || !strings.HasSuffix(stderr, want) {
			t.Errorf("exit %d, stderr %q, want it to end with %q", code, stderr, want)
		}
	})

	t.Run("no change", func(t *testing.T) {
		fake := &deploytest.CFN{Stack: stack, CreateErr: deploytest.APIError("ValidationError", "No updates are to be performed.")}
		code, stdout, stderr := deployRun(t, fake, "", false, "--yes", "--template", template, "--params", params)
		if code != ExitOK || stdout != "" || !strings.Contains(stderr, "no changes: stack shop-dev already matches") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
}

// On a terminal the progress line is rewritten in place and cleared before
// the next line; elsewhere each progress report is a line of its own.
func TestDeployProgressLine(t *testing.T) {
	for terminal, want := range map[bool]string{
		true:  "UPDATE_IN_PROGRESS: 1/3 resources done, 5s elapsed\r\033[Kstack shop-dev: UPDATE_COMPLETE in 7s\n",
		false: "UPDATE_IN_PROGRESS: 1/3 resources done, 5s elapsed\nstack shop-dev: UPDATE_COMPLETE in 7s\n",
	} {
		var out, errOut bytes.Buffer
		r := &deployPrinter{io: IOStreams{Out: &out, ErrOut: &errOut}, status: terminal}
		r.print(deploy.Progress{Stack: "shop-dev", Status: "UPDATE_IN_PROGRESS", Done: 1, Total: 3, Elapsed: 5200 * time.Millisecond})
		r.print(deploy.Finished{Stack: "shop-dev", Status: "UPDATE_COMPLETE", Elapsed: 7 * time.Second})
		r.clear()
		if errOut.String() != want {
			t.Errorf("terminal %v: %q, want %q", terminal, errOut.String(), want)
		}
	}
}

// forecastTemplate is a template with a custom-named image repository
// (encryption is create-only) and a queue.
func forecastTemplate(encryption string, timeout int) string {
	return fmt.Sprintf(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  MyProjectName: {Type: String}
  Environment: {Type: String}
Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: !Sub "${MyProjectName}-${Environment}-api"
      ImageScanningConfiguration: {ScanOnPush: true}
      ImageTagMutability: IMMUTABLE
      EncryptionConfiguration: {EncryptionType: %s}
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: %d
      SqsManagedSseEnabled: true
`, encryption, timeout)
}

// forecastFiles writes forecastTemplate(encryption, timeout) and its params
// file (shop, dev).
func forecastFiles(t *testing.T, encryption string, timeout int) (template, params string) {
	t.Helper()
	dir := t.TempDir()
	template, params = filepath.Join(dir, "t.yaml"), filepath.Join(dir, "p.json")
	if err := os.WriteFile(template, []byte(forecastTemplate(encryption, timeout)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(params, []byte(`[{"ParameterKey": "MyProjectName", "ParameterValue": "shop"}, {"ParameterKey": "Environment", "ParameterValue": "dev"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	return template, params
}

// deployedShop is stack shop-dev running forecastTemplate("AES256", 30),
// with the thin change set of an emulator (moto): every update a Modify
// without replacement details.
func deployedShop() *deploytest.CFN {
	return &deploytest.CFN{
		Stack: &types.Stack{StackName: aws.String("shop-dev"), StackId: aws.String(deploytest.StackID), StackStatus: types.StackStatusUpdateComplete,
			Parameters: []types.Parameter{
				{ParameterKey: aws.String("MyProjectName"), ParameterValue: aws.String("shop")},
				{ParameterKey: aws.String("Environment"), ParameterValue: aws.String("dev")},
			}},
		Template: forecastTemplate("AES256", 30),
		Changes: []types.Change{
			deploytest.Change(types.ChangeActionModify, "Images", "AWS::ECR::Repository", ""),
			deploytest.Change(types.ChangeActionModify, "Jobs", "AWS::SQS::Queue", ""),
		},
		Script: []deploytest.Step{{Status: types.StackStatusUpdateComplete}},
	}
}

// An update prints cfngen's forecast before the change set; a replacement
// the forecast says fails (and loses the images) is refused, or deployed
// when --allow-replace names it.
func TestDeployForecast(t *testing.T) {
	template, params := forecastFiles(t, "KMS", 60)

	fake := deployedShop()
	code, stdout, stderr := deployRun(t, fake, "", false, "--yes", "--template", template, "--params", params)
	if code != ExitDiff || slices.Contains(fake.Calls, "ExecuteChangeSet") {
		t.Fatalf("exit %d, calls %q: want refused (1), nothing executed\n%s", code, fake.Calls, stderr)
	}
	want := "cfngen: refused: the change set loses data and will fail (deleted, nothing deployed):\n" +
		"  Images (AWS::ECR::Repository): forecast: replaces the image repository, and the replacement fails (the custom RepositoryName stays the same)\n" +
		"a replacement fails when the resource keeps its custom name: change the name in the same update, or remove it so CloudFormation names it; if the forecast is wrong, deploy again with --allow-replace Images\n"
	if !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr\n%s\nwant it to end with\n%s", stderr, want)
	}
	golden.Assert(t, "testdata/deploy/forecast-refused.txt", []byte(stdout))

	fake = deployedShop()
	code, stdout, stderr = deployRun(t, fake, "", false, "--yes", "--template", template, "--params", params, "--allow-replace", "Images")
	if code != ExitOK || !slices.Contains(fake.Calls, "ExecuteChangeSet") {
		t.Fatalf("allowed: exit %d, calls %q\n%s", code, fake.Calls, stderr)
	}
	if !strings.Contains(stdout, "forecast: replaces the image repository, and the replacement fails (the custom RepositoryName stays the same), allowed by --allow-replace\n") {
		t.Errorf("allowed: stdout\n%s", stdout)
	}
	forecast, table := strings.Index(stdout, "Forecast by cfngen: stack shop-dev as deployed"), strings.Index(stdout, "Change set ")
	if forecast < 0 || table < forecast {
		t.Errorf("allowed: the forecast is not before the change set:\n%s", stdout)
	}
}

// A forecast that cannot be built is said on stderr and the change set
// alone decides; a new stack has no forecast.
func TestDeployForecastMissing(t *testing.T) {
	template, params := forecastFiles(t, "AES256", 60)
	fake := deployedShop()
	fake.TemplateErr = deploytest.APIError("AccessDenied", "User is not authorized to perform: cloudformation:GetTemplate")
	code, stdout, stderr := deployRun(t, fake, "", false, "--yes", "--template", template, "--params", params)
	if code != ExitOK || !slices.Contains(fake.Calls, "ExecuteChangeSet") {
		t.Fatalf("exit %d, calls %q\n%s", code, fake.Calls, stderr)
	}
	if want := "no forecast by cfngen for stack shop-dev (get the deployed template: AccessDenied: User is not authorized to perform: cloudformation:GetTemplate): the change set alone shows what changes\n"; !strings.Contains(stderr, want) {
		t.Errorf("stderr\n%s\nlacks\n%s", stderr, want)
	}
	if strings.Contains(stdout, "Forecast") || !strings.HasPrefix(stdout, "Change set ") {
		t.Errorf("stdout\n%s", stdout)
	}

	fake = queueAdded()
	code, stdout, stderr = deployRun(t, fake, "", false, "--yes", "--template", template, "--params", params)
	if code != ExitOK || slices.ContainsFunc(fake.Calls, func(c string) bool { return strings.HasPrefix(c, "GetTemplate") }) ||
		strings.Contains(strings.ToLower(stdout+stderr), "forecast by cfngen") || !strings.HasPrefix(stdout, "Change set cfngen-20261203-050001-000 (CREATE)") {
		t.Errorf("create: exit %d, calls %q\nstdout\n%s\nstderr\n%s", code, fake.Calls, stdout, stderr)
	}
}

// Ctrl-C at the confirmation prompt is an interruption (exit 2), not a
// declined deployment (exit 1).
func TestDeployConfirmInterrupted(t *testing.T) {
	in, w := io.Pipe() // no answer ever comes
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errOut bytes.Buffer
	ok, err := confirm(ctx, IOStreams{In: in, Out: io.Discard, ErrOut: &errOut}, &deploy.Plan{Stack: "shop-dev", ChangeSetName: "cs"})
	if ok || !errors.Is(err, context.Canceled) {
		t.Fatalf("confirm = %v, %v; want false, context.Canceled", ok, err)
	}
	var e *exitError
	if err := deployExit(err); errors.As(err, &e) || !strings.Contains(err.Error(), "nothing was deployed") {
		t.Errorf("deployExit = %v: want a plain error (exit 2) saying nothing was deployed", err)
	}
}

// A stack whose first create rolled back: deploy asks before deleting it,
// then asks about the change set that creates it again.
func TestDeployRollbackComplete(t *testing.T) {
	template, params, _ := writeFiles(t, "dev")
	for answer, want := range map[string]int{"y\ny\n": ExitOK, "n\n": ExitDiff} {
		fake := &deploytest.CFN{
			Stack:   &types.Stack{StackName: aws.String("shop-dev"), StackId: aws.String(deploytest.StackID), StackStatus: types.StackStatusRollbackComplete},
			Changes: []types.Change{deploytest.Change(types.ChangeActionAdd, "Data", "AWS::Logs::LogGroup", "")},
			Script:  []deploytest.Step{{Status: types.StackStatusCreateComplete}},
		}
		code, _, stderr := deployRun(t, fake, answer, true, "--template", template, "--params", params)
		if code != want || !strings.Contains(stderr, "Delete stack shop-dev (ROLLBACK_COMPLETE, no resources) to create it again? [y/N] ") {
			t.Errorf("answer %q: exit %d, want %d\n%s", answer, code, want, stderr)
		}
		if deleted := slices.Contains(fake.Calls, "DeleteStack"); deleted != (want == ExitOK) {
			t.Errorf("answer %q: deleted %v", answer, deleted)
		}
	}
}
