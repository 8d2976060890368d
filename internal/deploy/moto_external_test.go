//go:build external

package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cfngen/cfngen/internal/deploy/deploytest"
)

// motoTemplate has resource types moto models; timeout changes the queue in
// place.
func motoTemplate(timeout int) []byte {
	return []byte(fmt.Sprintf(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Environment:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: %d
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub "alerts-${Environment}"
Outputs:
  QueueUrl:
    Value: !Ref Queue
`, timeout))
}

// motoImages is an image repository with a custom name; its encryption
// is create-only, so changing it replaces the repository, which real
// CloudFormation refuses for a custom name (moto does not).
func motoImages(encryption string) []byte {
	return []byte(`Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: shop-dev-api
      EncryptionConfiguration: {EncryptionType: ` + encryption + `}
`)
}

// A FIFO queue whose name lacks .fifo: moto refuses it when the change set
// runs.
const motoFailing = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
      FifoQueue: true
`

func TestExternalMoto(t *testing.T) {
	deploytest.StartMoto(t)
	ctx := context.Background()
	clients, err := NewClients(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if clients.Region != "eu-central-1" {
		t.Fatalf("region %q", clients.Region)
	}
	var events []Event
	e := &Engine{Clients: clients, Poll: 20 * time.Millisecond, Report: func(ev Event) { events = append(events, ev) }}
	req := func(stack string, template []byte) Request {
		return Request{Stack: stack, Template: template, TemplateExt: ".yaml", Parameters: []Parameter{{"Environment", "dev"}},
			Tags: []Tag{{"team", "payments"}}, Prefix: "cfngen/" + stack + "/"}
	}
	deploy := func(r Request) (Result, error) {
		events = nil
		return e.Deploy(ctx, r)
	}
	describe := func(stack string) (string, map[string]string) {
		out, err := clients.CFN.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
		if err != nil {
			t.Fatal(err)
		}
		tags := map[string]string{}
		for _, tg := range out.Stacks[0].Tags {
			tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return string(out.Stacks[0].StackStatus), tags
	}

	// create
	res, err := deploy(req("shop-dev", motoTemplate(30)))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if res.Outcome != Created || res.Status != "CREATE_COMPLETE" {
		t.Fatalf("create: %+v", res)
	}
	if plan := res.Plan; plan.Type != "CREATE" || len(plan.Changes) != 2 {
		t.Errorf("create plan %+v", plan)
	}
	if status, tags := describe("shop-dev"); status != "CREATE_COMPLETE" || tags["team"] != "payments" {
		t.Errorf("after create: %s %v", status, tags)
	}
	if tg := ofType[Target](events); len(tg) != 1 || tg[0].Account == "" || tg[0].Status != "" {
		t.Errorf("target %+v", tg)
	}

	// update
	res, err = deploy(req("shop-dev", motoTemplate(60)))
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if res.Outcome != Updated || res.Status != "UPDATE_COMPLETE" || res.Plan.Type != "UPDATE" {
		t.Fatalf("update: %+v", res)
	}
	// cfngen's forecast, from moto's GetTemplate and parameter values.
	if fr := ofType[ForecastReady](events); len(fr) != 1 || len(fr[0].Forecast.Changes) != 1 ||
		fr[0].Forecast.Changes[0].LogicalID != "Queue" || len(fr[0].Forecast.Changes[0].Paths) != 1 ||
		fr[0].Forecast.Changes[0].Paths[0].Path != "Properties.VisibilityTimeout" {
		t.Errorf("update: forecast %+v (failed: %+v)", fr, ofType[ForecastFailed](events))
	}

	// no change
	res, err = deploy(req("shop-dev", motoTemplate(60)))
	if err != nil || res.Outcome != NoChange {
		t.Fatalf("no change: %+v, %v", res, err)
	}

	// dry run: the change set is reported and deleted
	dry := req("shop-dev", motoTemplate(90))
	dry.DryRun = true
	res, err = deploy(dry)
	if err != nil || res.Outcome != DryRunned {
		t.Fatalf("dry run: %+v, %v", res, err)
	}
	raw := cloudformation.NewFromConfig(mustConfig(t))
	sets, err := raw.ListChangeSets(ctx, &cloudformation.ListChangeSetsInput{StackName: aws.String("shop-dev")})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets.Summaries {
		if aws.ToString(s.ChangeSetId) == res.Plan.ChangeSetID {
			t.Errorf("dry run left change set %s", res.Plan.ChangeSetName)
		}
	}

	// through S3, with the content-addressed key moto's CloudFormation reads
	s3c := s3.NewFromConfig(mustConfig(t), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("cfngen-deploy"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuCentral1}}); err != nil {
		t.Fatal(err)
	}
	viaS3 := req("shop-dev", motoTemplate(120))
	viaS3.Bucket = "cfngen-deploy"
	res, err = deploy(viaS3)
	if err != nil || res.Outcome != Updated {
		t.Fatalf("update via S3: %+v, %v", res, err)
	}
	if up := ofType[Uploaded](events); len(up) != 1 || up[0].Reused {
		t.Errorf("uploads %+v", up)
	}

	// declined: the new stack's change set and the empty stack are deleted
	declined := req("shop-declined", motoTemplate(30))
	declined.Confirm = func(context.Context, *Plan) (bool, error) { return false, nil }
	if _, err := deploy(declined); !errors.Is(err, ErrDeclined) {
		t.Fatalf("declined: %v", err)
	}
	if _, err := clients.CFN.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("shop-declined")}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("declined: the empty stack is still there (%v)", err)
	}

	// A replacement that keeps a custom name: moto's change set says
	// Modify without details; the forecast refuses it, --allow-replace
	// lets it run.
	if _, err := deploy(req("shop-images", motoImages("AES256"))); err != nil {
		t.Fatalf("images: %v", err)
	}
	_, err = deploy(req("shop-images", motoImages("KMS")))
	var re *RefusedError
	if !errors.As(err, &re) || len(re.Changes) != 1 || re.Changes[0].Fails == "" || re.Changes[0].Replacement != "" {
		t.Fatalf("images, new encryption: %v (changes %+v), want refused by the forecast", err, re)
	}
	allowed := req("shop-images", motoImages("KMS"))
	allowed.AllowReplace = []string{"Images"}
	if res, err := deploy(allowed); err != nil || res.Outcome != Updated {
		t.Fatalf("images, allowed: %+v, %v", res, err)
	}

	// failure, then a stack stuck in REVIEW_IN_PROGRESS taken over
	_, err = deploy(req("shop-broken", []byte(motoFailing)))
	var fe *FailedError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), ".fifo") {
		t.Fatalf("failing template: %v", err)
	}
	if status, _ := describe("shop-broken"); status != "REVIEW_IN_PROGRESS" {
		t.Fatalf("after the failure: %s, want REVIEW_IN_PROGRESS", status)
	}
	res, err = deploy(req("shop-broken", motoTemplate(30)))
	if err != nil || res.Outcome != Created {
		t.Fatalf("after REVIEW_IN_PROGRESS: %+v, %v", res, err)
	}
	if notes := ofType[Note](events); len(notes) == 0 || !strings.Contains(notes[0].Text, "REVIEW_IN_PROGRESS") {
		t.Errorf("notes %+v", notes)
	}
}

func mustConfig(t *testing.T) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
