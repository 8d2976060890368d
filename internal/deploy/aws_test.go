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

// TemplateURL is the bucket's endpoint in the region's partition, and the
// key is escaped (--s3-prefix is free text).
func TestObjectURL(t *testing.T) {
	for _, tt := range []struct{ bucket, region, key, want string }{
		{"deploy-bucket", "eu-central-1", "cfngen/s/abc.yaml", "https://deploy-bucket.s3.eu-central-1.amazonaws.com/cfngen/s/abc.yaml"},
		{"deploy-bucket", "cn-north-1", "k.yaml", "https://deploy-bucket.s3.cn-north-1.amazonaws.com.cn/k.yaml"},
		{"deploy-bucket", "eusc-de-east-1", "k.yaml", "https://deploy-bucket.s3.eusc-de-east-1.amazonaws.eu/k.yaml"},
		{"deploy-bucket", "us-iso-east-1", "k.yaml", "https://deploy-bucket.s3.us-iso-east-1.c2s.ic.gov/k.yaml"},
		{"deploy-bucket", "eu-west-1", "my deploys/a+b#?%/s/k.yaml", "https://deploy-bucket.s3.eu-west-1.amazonaws.com/my%20deploys/a+b%23%3F%25/s/k.yaml"},
		// Not a DNS-compatible name over HTTPS: path style.
		{"my.bucket", "eu-west-1", "k.yaml", "https://s3.eu-west-1.amazonaws.com/my.bucket/k.yaml"},
	} {
		got, err := objectURL(context.Background(), tt.bucket, tt.region, tt.key)
		if err != nil || got != tt.want {
			t.Errorf("objectURL(%q, %q, %q) = %q, %v; want %q", tt.bucket, tt.region, tt.key, got, err, tt.want)
		}
	}
}
