package render

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/s3"

	"github.com/cfngen/cfngen/internal/cfn"
)

// elbLogAccounts are the Elastic Load Balancing accounts that deliver access
// logs in regions opened before August 2022. Newer regions deliver as the
// service principal logdelivery.elasticloadbalancing.amazonaws.com, which the
// bucket policy always grants. A Mapping cannot be used: Fn::FindInMap fails
// the stack for a region missing from it, even in an unused Fn::If branch.
var elbLogAccounts = []struct{ region, account string }{
	{"us-east-1", "127311923021"},
	{"us-east-2", "033677994240"},
	{"us-west-1", "027434742980"},
	{"us-west-2", "797873946194"},
	{"af-south-1", "098369216593"},
	{"ap-east-1", "754344448648"},
	{"ap-southeast-3", "589379963580"},
	{"ap-south-1", "718504428378"},
	{"ap-northeast-1", "582318560864"},
	{"ap-northeast-2", "600734575887"},
	{"ap-northeast-3", "383597477331"},
	{"ap-southeast-1", "114774131450"},
	{"ap-southeast-2", "783225319266"},
	{"ca-central-1", "985666609251"},
	{"eu-central-1", "054676820928"},
	{"eu-west-1", "156460612806"},
	{"eu-west-2", "652711504416"},
	{"eu-west-3", "009996457667"},
	{"eu-south-1", "635631232127"},
	{"eu-north-1", "897822967062"},
	{"me-south-1", "076674570225"},
	{"sa-east-1", "507241528517"},
	{"us-gov-west-1", "048591011584"},
	{"us-gov-east-1", "190560391635"},
	{"cn-north-1", "638102146993"},
	{"cn-northwest-1", "037604701340"},
}

// elbCondition is the condition name for one region: us-east-1 -> ElbUsEast1.
func elbCondition(region string) string {
	var sb strings.Builder
	sb.WriteString("Elb")
	for _, part := range strings.Split(region, "-") {
		sb.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return sb.String()
}

func (b *builder) elbRegionConditions() {
	for _, a := range elbLogAccounts {
		b.t.AddCondition(elbCondition(a.region), cfn.Equals(cfn.Ref(cfn.Region), a.region))
	}
}

// elbAccount is the ELB log-delivery account of the stack's region, or
// AWS::NoValue where the service principal alone delivers.
func elbAccount() string {
	v := cfn.NoValue()
	for i := len(elbLogAccounts) - 1; i >= 0; i-- {
		a := elbLogAccounts[i]
		v = cfn.If(elbCondition(a.region), a.account, v)
	}
	return v
}

func bucketName(suffix string) string {
	return cfn.Sub("${" + pProject + "}-${" + pEnvironment + "}-" + suffix + "-${AWS::AccountId}-${AWS::Region}")
}

var blockPublic = &s3.Bucket_PublicAccessBlockConfiguration{
	BlockPublicAcls: yes(), BlockPublicPolicy: yes(), IgnorePublicAcls: yes(), RestrictPublicBuckets: yes(),
}

func sseS3() *s3.Bucket_BucketEncryption {
	return &s3.Bucket_BucketEncryption{ServerSideEncryptionConfiguration: []s3.Bucket_ServerSideEncryptionRule{{
		ServerSideEncryptionByDefault: &s3.Bucket_ServerSideEncryptionByDefault{SSEAlgorithm: "AES256"},
		BucketKeyEnabled:              yes(),
	}}}
}

func ownerEnforced() *s3.Bucket_OwnershipControls {
	return &s3.Bucket_OwnershipControls{Rules: []s3.Bucket_OwnershipControlsRule{{ObjectOwnership: str("BucketOwnerEnforced")}}}
}

func (b *builder) storage() error {
	t, st := b.t, b.m.Storage
	// Access logs: SSE-S3 is the only encryption ELB log delivery supports.
	t.Add(rLogBucket, &s3.Bucket{
		BucketName:                     str(bucketName("logs")),
		BucketEncryption:               sseS3(),
		PublicAccessBlockConfiguration: blockPublic,
		OwnershipControls:              ownerEnforced(),
		LifecycleConfiguration: &s3.Bucket_LifecycleConfiguration{Rules: []s3.Bucket_Rule{{
			Id: str("expire-logs"), Status: "Enabled", ExpirationInDays: num(st.LogExpirationDays),
			AbortIncompleteMultipartUpload: &s3.Bucket_AbortIncompleteMultipartUpload{DaysAfterInitiation: st.AbortMultipartDays},
		}}},
		AWSCloudFormationDeletionPolicy:      policies.DeletionPolicy("Retain"),
		AWSCloudFormationUpdateReplacePolicy: policies.UpdateReplacePolicy("Retain"),
	})
	logArn := cfn.GetAtt(rLogBucket, "Arn")
	t.Add(rLogBucketPolicy, &s3.BucketPolicy{
		Bucket: cfn.Ref(rLogBucket),
		PolicyDocument: policy(
			map[string]any{
				"Sid":    "AlbAccessLogs",
				"Effect": "Allow",
				"Principal": map[string]any{
					"Service": "logdelivery.elasticloadbalancing.amazonaws.com",
					"AWS":     elbAccount(),
				},
				"Action":   "s3:PutObject",
				"Resource": cfn.Sub("${" + rLogBucket + ".Arn}/" + logPrefix + "/AWSLogs/${AWS::AccountId}/*"),
			},
			denyInsecure("s3:*", []any{logArn, cfn.Sub("${" + rLogBucket + ".Arn}/*")}),
		),
	})
	t.Add(rApiBucket, &s3.Bucket{
		BucketName:                     str(bucketName("api")),
		BucketEncryption:               sseS3(),
		PublicAccessBlockConfiguration: blockPublic,
		OwnershipControls:              ownerEnforced(),
		VersioningConfiguration:        &s3.Bucket_VersioningConfiguration{Status: "Enabled"},
		LifecycleConfiguration: &s3.Bucket_LifecycleConfiguration{Rules: []s3.Bucket_Rule{{
			Id: str("tidy-versions"), Status: "Enabled",
			NoncurrentVersionExpiration:    &s3.Bucket_NoncurrentVersionExpiration{NoncurrentDays: st.NoncurrentExpirationDays},
			AbortIncompleteMultipartUpload: &s3.Bucket_AbortIncompleteMultipartUpload{DaysAfterInitiation: st.AbortMultipartDays},
		}}},
		AWSCloudFormationDeletionPolicy:      policies.DeletionPolicy("Retain"),
		AWSCloudFormationUpdateReplacePolicy: policies.UpdateReplacePolicy("Retain"),
	})
	t.Add(rApiBucketPolicy, &s3.BucketPolicy{
		Bucket: cfn.Ref(rApiBucket),
		PolicyDocument: policy(
			denyInsecure("s3:*", []any{cfn.GetAtt(rApiBucket, "Arn"), cfn.Sub("${" + rApiBucket + ".Arn}/*")}),
		),
	})
	return nil
}
