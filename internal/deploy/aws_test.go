package deploy

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
)

// The SDK's clients log nowhere: only internal/cli prints.
func TestClientsDoNotLog(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	c, err := NewClients(context.Background(), "", "eu-central-1")
	if err != nil {
		t.Fatal(err)
	}
	for name, l := range map[string]logging.Logger{
		"cloudformation": c.CFN.(*cloudformation.Client).Options().Logger,
		"s3":             c.S3.(*s3.Client).Options().Logger,
		"sts":            c.STS.(*sts.Client).Options().Logger,
	} {
		if _, ok := l.(logging.Nop); !ok {
			t.Errorf("%s client logs with %T, want logging.Nop", name, l)
		}
	}
}
