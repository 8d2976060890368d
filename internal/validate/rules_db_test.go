package validate

import (
	"strings"
	"testing"
)

// dbRun runs one database rule over an inline template.
func dbRun(t *testing.T, id, template string) []Finding {
	t.Helper()
	for _, r := range dbRuleSet {
		if r.ID == id {
			fs, err := Run([]Input{{Path: "t.yaml", Data: []byte(template)}}, []Rule{r})
			if err != nil {
				t.Fatal(err)
			}
			return fs
		}
	}
	t.Fatalf("no rule %s", id)
	return nil
}

// TestDBVersionProblem: D511 judges versions by the RDS data of
// rds_versions.txt, and never flags a version newer than the data.
func TestDBVersionProblem(t *testing.T) {
	for _, c := range []struct {
		kind, engine, version string
		bad                   bool
	}{
		{"cluster", "aurora-postgresql", "15.4", true}, // deprecated
		{"cluster", "aurora-postgresql", "16.3", true},
		{"cluster", "aurora-postgresql", "15.10", false}, // once flagged by a hand-written table
		{"cluster", "aurora-postgresql", "16", false},
		{"cluster", "aurora-postgresql", "16.5", true},   // never offered (16.4, 16.6 were)
		{"cluster", "aurora-postgresql", "17.99", false}, // newer than the data
		{"cluster", "aurora-postgresql", "19.1", false},  // newer major than the data
		{"instance", "postgres", "17.5", false},
		{"instance", "postgres", "17.7", false},
		{"instance", "postgres", "16.11", false},
		{"instance", "postgres", "16.3", true},
		{"instance", "postgres", "17", false}, // RDS picks the default minor
		{"instance", "POSTGRES", "14.1", true},
		{"instance", "postgres", "8.4", true}, // older than anything offered
		{"instance", "mysql", "8.0.40", false},
		{"instance", "no-such-engine", "1.0", false},
		{"instance", "postgres", "latest", false},
	} {
		if got := rdsVersionProblem(c.kind, c.engine, c.version) != ""; got != c.bad {
			t.Errorf("%s %s %s: flagged %v, want %v (%s)", c.kind, c.engine, c.version, got, c.bad, rdsVersionProblem(c.kind, c.engine, c.version))
		}
	}
}

func TestDBWriterLiteralIdentifier(t *testing.T) {
	tpl := `
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      DBClusterIdentifier: backend-db
      Engine: aurora-postgresql
      ServerlessV2ScalingConfiguration: {MinCapacity: 0.5, MaxCapacity: 2}
  Writer:
    Type: AWS::RDS::DBInstance
    DependsOn: Cluster
    Properties:
      DBClusterIdentifier: backend-db
      DBInstanceClass: !If [Serverless, db.serverless, db.r7g.large]
      Engine: aurora-postgresql
`
	if fs := dbRun(t, "D510", tpl); len(fs) != 0 {
		t.Errorf("literal cluster identifier and computed class should count as a writer: %v", fs)
	}
}

func TestDBUnquotedVersionNamesTheReading(t *testing.T) {
	fs := dbRun(t, "D511", `
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, EngineVersion: 17.10}
`)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "YAML reads 17.10 as 17.1") || !strings.Contains(fs[0].Fix, "'17.10'") {
		t.Errorf("want one finding naming 17.10 as 17.1: %v", fs)
	}
}

func TestDBMisplacedCopyTagsIsWarning(t *testing.T) {
	fs := dbRun(t, "D512", `
Resources:
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      CopyTagsToSnapshot: true
      DBClusterIdentifier: !Ref Cluster
      DBInstanceClass: db.serverless
      Engine: aurora-postgresql
`)
	if len(fs) != 1 || fs[0].Severity != Warning {
		t.Errorf("want one warning for CopyTagsToSnapshot on an Aurora instance: %v", fs)
	}
}

func TestDBPasswordParams(t *testing.T) {
	params := `
Parameters:
  DBUser: {Type: String}
  SecretArn: {Type: String}
  Token: {Type: String, NoEcho: true}
  MasterPassword: {Type: 'AWS::SSM::Parameter::Value<String>'}
  Count: {Type: Number}
`
	for _, c := range []struct {
		name, resources string
		want            int
	}{
		{"dynamic reference from a parameter", `
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: !Sub '{{resolve:secretsmanager:${SecretArn}:SecretString:password}}'
`, 0},
		{"password-named SSM parameter", `
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: !Ref MasterPassword
`, 1},
		{"Sub with a variable map", `
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      MasterUserPassword: !Sub ['${P}', {P: !Ref Token}]
`, 1},
		{"Fn::If branch", `
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      MasterUserPassword: !If [C, !Ref DBUser, !Ref AWS::NoValue]
`, 1},
		{"Number parameter", `
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      MasterUserPassword: !Sub 'x${Count}'
`, 0},
		{"user name in a SecretString", `
  S:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: !Sub '{"username":"${DBUser}","host":"db"}'
`, 0},
		{"NoEcho parameter joined into a SecretString", `
  S:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: !Join ['', ['{"token":"', !Ref Token, '"}']]
`, 1},
	} {
		if fs := dbRun(t, "D516", params+"Resources:"+c.resources); len(fs) != c.want {
			t.Errorf("%s: %d findings, want %d: %v", c.name, len(fs), c.want, fs)
		}
	}
}

func TestDBProxyRoleUnknownPolicies(t *testing.T) {
	tpl := `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/SecretsManagerReadWrite]
  Proxy:
    Type: AWS::RDS::DBProxy
    Properties:
      RequireTLS: true
      RoleArn: !GetAtt Role.Arn
`
	if fs := dbRun(t, "D517", tpl); len(fs) != 0 {
		t.Errorf("a managed policy outside the template may allow the action: %v", fs)
	}
	wild := strings.Replace(tpl, "ManagedPolicyArns: [arn:aws:iam::aws:policy/SecretsManagerReadWrite]",
		"Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: 'secretsmanager:*', Resource: '*'}]}}]", 1)
	if fs := dbRun(t, "D517", wild); len(fs) != 0 {
		t.Errorf("secretsmanager:* allows GetSecretValue: %v", fs)
	}
	deny := strings.Replace(wild, "Effect: Allow", "Effect: Deny", 1)
	if fs := dbRun(t, "D517", deny); len(fs) != 1 {
		t.Errorf("a Deny does not allow: %v", fs)
	}
}

func TestDBPIRetention(t *testing.T) {
	for v, ok := range map[string]bool{"7": true, "31": true, "93": true, "713": true, "731": true,
		"0": false, "14": false, "62.5": false, "744": false, "730": false} {
		fs := dbRun(t, "D519", "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: {PerformanceInsightsRetentionPeriod: "+v+"}\n")
		if (len(fs) == 0) != ok {
			t.Errorf("retention %s: findings %v, want valid=%v", v, fs, ok)
		}
	}
}
