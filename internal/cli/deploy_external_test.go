//go:build external

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cfngen/cfngen/internal/deploy/deploytest"
)

// The committed templates through cfngen deploy, the real AWS SDK and
// moto_server: through S3, no change, and a failure.
func TestExternalDeployMoto(t *testing.T) {
	deploytest.StartMoto(t)
	defaultRoot(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("cfngen-artifacts"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuCentral1}}); err != nil {
		t.Fatal(err)
	}
	main := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Main(append([]string{"deploy"}, args...), IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
		return code, out.String(), errOut.String()
	}
	code, stdout, stderr := main("--s3-bucket", "cfngen-artifacts", "--region", "eu-central-1", "--yes")
	if code != ExitOK || !strings.Contains(stderr, "uploaded the template") || !strings.Contains(stderr, "stack myapp-dev: CREATE_COMPLETE") {
		t.Fatalf("create: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "  Add     DBCluster ") {
		t.Errorf("no change set table:\n%s", stdout)
	}
	code, stdout, stderr = main("--s3-bucket", "cfngen-artifacts", "--yes")
	if code != ExitOK || !strings.Contains(stderr, "the template is already") || !strings.Contains(stderr, "no changes: stack myapp-dev already matches") {
		t.Fatalf("again: exit %d\n%s", code, stderr)
	}
	// cfngen's forecast read the deployed template and parameter values
	// back from moto: nothing fails or loses data. (moto gives an SSM
	// parameter's resolved value in place of its name, so the forecast
	// takes those as unknown, and what they feed may change.)
	if strings.Contains(stderr, "no forecast") || strings.Contains(stdout, "Will fail") || strings.Contains(stdout, "Data loss") {
		t.Errorf("again: forecast\n%s\n%s", stdout, stderr)
	}
	// A dry run of the prod files over the running stack touches nothing
	// (moto has no termination protection: calling it fails).
	params, err := os.ReadFile("params/params.json")
	if err != nil {
		t.Fatal(err)
	}
	prod := filepath.Join(t.TempDir(), "prod.json")
	params = bytes.Replace(params, []byte(`"ParameterKey": "Environment",
    "ParameterValue": "dev"`), []byte(`"ParameterKey": "Environment",
    "ParameterValue": "prod"`), 1)
	if err := os.WriteFile(prod, params, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = main("--template", "templates/backend-stack.yaml", "--params", prod, "--stack", "myapp-dev", "--s3-bucket", "cfngen-artifacts", "--dry-run")
	if code != ExitOK || !strings.Contains(stderr, "guard rails were not touched") {
		t.Fatalf("prod dry run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// The RDS template as a second stack of the same project and
	// environment: moto refuses it (its bucket names are taken).
	code, _, stderr = main("--variant", "rds", "--stack", "myapp-rds", "--yes")
	if code != ExitDiff || !strings.Contains(stderr, "failed (EXECUTE_FAILED)") {
		t.Fatalf("second stack: exit %d\n%s", code, stderr)
	}
}
