// Package awsfacts holds AWS facts that both the renderer and the validator
// rely on, so that they agree by construction.
package awsfacts

// ELBLogService is the principal that delivers Application Load Balancer
// access logs in regions opened in August 2022 or later.
const ELBLogService = "logdelivery.elasticloadbalancing.amazonaws.com"

// ELBLogAccount is the Elastic Load Balancing account that delivers access
// logs in one region opened before August 2022.
type ELBLogAccount struct {
	Region  string
	Account string
}

// ELBLogAccounts lists the log-delivery accounts of the regions opened
// before August 2022 (source: the Elastic Load Balancing user guide,
// "Attach a policy to your S3 bucket").
var ELBLogAccounts = []ELBLogAccount{
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

// IsELBLogAccount reports whether id is one of the ELB log-delivery accounts.
func IsELBLogAccount(id string) bool {
	for _, a := range ELBLogAccounts {
		if a.Account == id {
			return true
		}
	}
	return false
}

// DataType is a resource type that holds data: replacing or deleting the
// resource loses it (or, with a Retain policy, leaves it outside the stack).
type DataType struct {
	Noun  string // what to call one: "database", "bucket"
	Loses string // what goes with it: "the objects"
}

// DataTypes are the stateful resource types that cfngen diff and cfngen
// deploy warn about. The resource schemas do not say this; it is cfngen's
// own table.
var DataTypes = map[string]DataType{
	"AWS::RDS::DBCluster":                {"database", "the database"},
	"AWS::RDS::DBInstance":               {"database", "the database"},
	"AWS::S3::Bucket":                    {"bucket", "the objects"},
	"AWS::SecretsManager::Secret":        {"secret", "the secret value"},
	"AWS::SQS::Queue":                    {"queue", "the messages in it"},
	"AWS::Logs::LogGroup":                {"log group", "the log events"},
	"AWS::ECR::Repository":               {"image repository", "the images"},
	"AWS::DynamoDB::Table":               {"table", "the items"},
	"AWS::DynamoDB::GlobalTable":         {"table", "the items"},
	"AWS::EFS::FileSystem":               {"file system", "the files"},
	"AWS::EC2::Volume":                   {"volume", "the volume's data"},
	"AWS::EC2::KeyPair":                  {"key pair", "the private key (kept in SSM Parameter Store)"},
	"AWS::KMS::Key":                      {"key", "access to everything encrypted with the key"},
	"AWS::Kinesis::Stream":               {"stream", "the records"},
	"AWS::ElastiCache::ReplicationGroup": {"cache", "the cached data"},
	"AWS::ElastiCache::CacheCluster":     {"cache", "the cached data"},
	"AWS::Neptune::DBCluster":            {"database", "the database"},
	"AWS::DocDB::DBCluster":              {"database", "the database"},
	"AWS::Redshift::Cluster":             {"warehouse", "the warehouse"},
	"AWS::OpenSearchService::Domain":     {"search domain", "the indexes"},
	"AWS::Cognito::UserPool":             {"user pool", "the users"},
	"AWS::Backup::BackupVault":           {"backup vault", "the recovery points"},
	"AWS::Timestream::Table":             {"table", "the records"},
}

// ProtectedTypes are what a stack policy of cfngen protects from
// replacement and deletion: the database, the buckets and the secret,
// whose loss no redeploy repairs.
var ProtectedTypes = []string{"AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::S3::Bucket", "AWS::SecretsManager::Secret"}

// AuroraInstance reports whether a resource of type typ with properties
// props is a DB instance of an Aurora cluster (it has DBClusterIdentifier):
// it holds no data of its own, the cluster does.
func AuroraInstance(typ string, props map[string]any) bool {
	return typ == "AWS::RDS::DBInstance" && props["DBClusterIdentifier"] != nil
}
