package render

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/s3"

	"github.com/cfngen/cfngen/internal/awsfacts"
	"github.com/cfngen/cfngen/internal/cfn"
)

// The ELB log-delivery accounts come from awsfacts. A Mapping cannot hold
// them: Fn::FindInMap fails the stack for a region missing from it, even in
// an unused Fn::If branch, so each region gets a condition instead.

// elbCondition is the condition name for one region: us-east-1 -> UsEast1.
func elbCondition(region string) string {
	var sb strings.Builder
	for _, part := range strings.Split(region, "-") {
		sb.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return sb.String()
}

func (b *builder) elbRegionConditions() {
	for _, a := range awsfacts.ELBLogAccounts {
		b.t.AddCondition(elbCondition(a.Region), cfn.Equals(cfn.Ref(cfn.Region), a.Region))
	}
}

// elbAccount is the ELB log-delivery account of the stack's region, or
// AWS::NoValue where the service principal alone delivers.
func elbAccount() string {
	v := cfn.NoValue()
	for i := len(awsfacts.ELBLogAccounts) - 1; i >= 0; i-- {
		a := awsfacts.ELBLogAccounts[i]
		v = cfn.If(elbCondition(a.Region), a.Account, v)
	}
	return v
}

// bucketName is "<project>-<env>-<purpose>-<account>-<region>", then
// "-<storage.bucketSuffix>" when the model sets one.
func (b *builder) bucketName(purpose string) string {
	return "${" + pProject + "}-${" + pEnvironment + "}-" + purpose + "-${AWS::AccountId}-${AWS::Region}" + b.bucketSuffix()
}

func (b *builder) bucketSuffix() string {
	if s := b.m.Storage.BucketSuffix; s != "" {
		return "-" + s
	}
	return ""
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

// apiLogPrefix is where the API bucket's server access logs go in the log
// bucket.
const apiLogPrefix = "s3/api/"

func (b *builder) storage() error {
	t, st := b.t, b.m.Storage
	// Access logs: SSE-S3 is the only encryption ELB log delivery supports.
	t.Add(rLogBucket, &s3.Bucket{
		BucketName:                     str(cfn.Sub(b.bucketName("logs"))),
		BucketEncryption:               sseS3(),
		PublicAccessBlockConfiguration: blockPublic,
		OwnershipControls:              ownerEnforced(),
		// Versions keep a log from being overwritten or deleted unnoticed
		// (C604); the old ones go after a day.
		VersioningConfiguration: &s3.Bucket_VersioningConfiguration{Status: "Enabled"},
		LifecycleConfiguration: &s3.Bucket_LifecycleConfiguration{Rules: []s3.Bucket_Rule{{
			Id: str("expire-logs"), Status: "Enabled", ExpirationInDays: num(st.LogExpirationDays),
			NoncurrentVersionExpiration:    &s3.Bucket_NoncurrentVersionExpiration{NoncurrentDays: 1},
			AbortIncompleteMultipartUpload: &s3.Bucket_AbortIncompleteMultipartUpload{DaysAfterInitiation: st.AbortMultipartDays},
		}}},
		AWSCloudFormationDeletionPolicy:      retainExceptOnCreate,
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
					"Service": awsfacts.ELBLogService,
					"AWS":     elbAccount(),
				},
				"Action":   "s3:PutObject",
				"Resource": cfn.Sub("${" + rLogBucket + ".Arn}/" + logPrefix + "/AWSLogs/${AWS::AccountId}/*"),
			},
			// S3 server access logs of the API bucket (C605): with ACLs
			// disabled, the logging service writes by bucket policy, for
			// that bucket only. Its ARN is spelt out: a GetAtt would make a
			// cycle with the API bucket's DependsOn on this policy.
			map[string]any{
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "logging.s3.amazonaws.com"},
				"Action":    "s3:PutObject",
				"Resource":  cfn.Sub("${" + rLogBucket + ".Arn}/" + apiLogPrefix + "*"),
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:SourceAccount": cfn.Ref("AWS::AccountId")},
					"ArnLike":      map[string]any{"aws:SourceArn": cfn.Sub("arn:${AWS::Partition}:s3:::" + b.bucketName("api"))},
				},
			},
			denyInsecure("s3:*", []any{logArn, cfn.Sub("${" + rLogBucket + ".Arn}/*")}),
		),
	})
	t.Add(rApiBucket, &s3.Bucket{
		BucketName:                     str(cfn.Sub(b.bucketName("api"))),
		BucketEncryption:               sseS3(),
		PublicAccessBlockConfiguration: blockPublic,
		OwnershipControls:              ownerEnforced(),
		VersioningConfiguration:        &s3.Bucket_VersioningConfiguration{Status: "Enabled"},
		LoggingConfiguration:           &s3.Bucket_LoggingConfiguration{DestinationBucketName: str(cfn.Ref(rLogBucket)), LogFilePrefix: str(apiLogPrefix)},
		// Logging starts once the log bucket lets it write.
		AWSCloudFormationDependsOn: []string{rLogBucketPolicy},
		LifecycleConfiguration: &s3.Bucket_LifecycleConfiguration{Rules: []s3.Bucket_Rule{{
			Id: str("tidy-versions"), Status: "Enabled",
			NoncurrentVersionExpiration:    &s3.Bucket_NoncurrentVersionExpiration{NoncurrentDays: st.NoncurrentExpirationDays},
			AbortIncompleteMultipartUpload: &s3.Bucket_AbortIncompleteMultipartUpload{DaysAfterInitiation: st.AbortMultipartDays},
		}}},
		AWSCloudFormationDeletionPolicy:      retainExceptOnCreate,
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
