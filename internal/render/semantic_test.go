package render

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/awsfacts"
	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/scenario"
)

// doc renders one variant of a model into its generic tree.
func doc(t *testing.T, m model.Backend, v Variant) *cfn.Doc {
	t.Helper()
	s, err := RenderVariant(m, v)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Template.Build()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func section(d *cfn.Doc, name string) map[string]any {
	out := map[string]any{}
	for _, s := range d.Sections {
		if s.Name == name {
			for _, e := range s.Entries {
				out[e.Name] = e.Body
			}
		}
	}
	return out
}

// res returns a resource by logical id, failing the test if it is missing.
func res(t *testing.T, d *cfn.Doc, id string) map[string]any {
	t.Helper()
	r, ok := section(d, "Resources")[id].(map[string]any)
	if !ok {
		t.Fatalf("resource %s missing", id)
	}
	return r
}

func props(t *testing.T, d *cfn.Doc, id string) map[string]any {
	t.Helper()
	p, _ := res(t, d, id)["Properties"].(map[string]any)
	return p
}

// ofType lists the logical ids of resources of a type.
func ofType(d *cfn.Doc, typ string) []string {
	var ids []string
	for _, s := range d.Sections {
		if s.Name != "Resources" {
			continue
		}
		for _, e := range s.Entries {
			if e.Body.(map[string]any)["Type"] == typ {
				ids = append(ids, e.Name)
			}
		}
	}
	return ids
}

func ref(name string) map[string]any { return map[string]any{"Ref": name} }

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("%s = %s, want %s", what, g, w)
	}
}

func forEachVariant(t *testing.T, f func(t *testing.T, d *cfn.Doc, v Variant)) {
	for _, v := range layout.Variants {
		t.Run(string(v), func(t *testing.T) { f(t, doc(t, model.Default(), v), v) })
	}
}

func TestAuroraServerlessHasWriterAndProdReader(t *testing.T) {
	d := doc(t, model.Default(), layout.Aurora)
	w := props(t, d, rDBWriter)
	equal(t, "writer class", w["DBInstanceClass"], "db.serverless")
	equal(t, "writer cluster", w["DBClusterIdentifier"], ref(rDBCluster))
	equal(t, "reader condition", res(t, d, rDBReader)["Condition"], cMultiAZ)
	azOf := func(id string) any { return props(t, d, id)["AvailabilityZone"] }
	equal(t, "writer AZ", azOf(rDBWriter), map[string]any{"Fn::Select": []any{json.Number("0"), map[string]any{"Fn::GetAZs": ""}}})
	equal(t, "reader AZ", azOf(rDBReader), map[string]any{"Fn::Select": []any{json.Number("1"), map[string]any{"Fn::GetAZs": ""}}})
	c := props(t, d, rDBCluster)
	if _, ok := c["ServerlessV2ScalingConfiguration"]; !ok {
		t.Error("cluster has no ServerlessV2ScalingConfiguration")
	}
	for _, forbidden := range []string{"AllocatedStorage", "MasterUserPassword", "BackupRetentionPeriod", "StorageEncrypted", "DeletionProtection"} {
		if _, ok := w[forbidden]; ok {
			t.Errorf("Aurora instance sets cluster-level %s", forbidden)
		}
	}
	for _, key := range []string{"MonitoringInterval", "MonitoringRoleArn", "EnablePerformanceInsights"} {
		if _, ok := w[key]; !ok {
			t.Errorf("writer lacks %s", key)
		}
	}
	equal(t, "engine", c["Engine"], "aurora-postgresql")
	equal(t, "encrypted", c["StorageEncrypted"], true)
	equal(t, "deletion policy", res(t, d, rDBCluster)["DeletionPolicy"], "Snapshot")
	equal(t, "replace policy", res(t, d, rDBCluster)["UpdateReplacePolicy"], "Snapshot")
}

func TestRDSInstance(t *testing.T) {
	d := doc(t, model.Default(), layout.RDS)
	p := props(t, d, rDBInstance)
	equal(t, "engine", p["Engine"], "postgres")
	equal(t, "storage", p["StorageType"], "gp3")
	equal(t, "encrypted", p["StorageEncrypted"], true)
	equal(t, "public", p["PubliclyAccessible"], false)
	equal(t, "multi-az", p["MultiAZ"], map[string]any{"Fn::FindInMap": []any{mEnv, ref(pEnvironment), "MultiAz"}})
	equal(t, "log exports", p["EnableCloudwatchLogsExports"], []any{"postgresql", "upgrade"})
	if len(ofType(d, "AWS::RDS::DBCluster")) != 0 {
		t.Error("RDS variant has a DB cluster")
	}
}

func TestCredentialsNeverFromParameters(t *testing.T) {
	forEachVariant(t, func(t *testing.T, d *cfn.Doc, v Variant) {
		target := rDBCluster
		if v == layout.RDS {
			target = rDBInstance
		}
		pw, _ := props(t, d, target)["MasterUserPassword"].(map[string]any)
		sub, _ := pw["Fn::Sub"].(string)
		if !strings.HasPrefix(sub, "{{resolve:secretsmanager:") {
			t.Errorf("MasterUserPassword is %v, want a secretsmanager dynamic reference", pw)
		}
		gen := props(t, d, rDBSecret)["GenerateSecretString"].(map[string]any)
		if _, ok := gen["PasswordLength"]; !ok {
			t.Error("secret is not generated")
		}
		if _, ok := props(t, d, rDBSecret)["SecretString"]; ok {
			t.Error("secret has a SecretString")
		}
	})
}

func TestProxy(t *testing.T) {
	forEachVariant(t, func(t *testing.T, d *cfn.Doc, v Variant) {
		p := props(t, d, rProxy)
		equal(t, "RequireTLS", p["RequireTLS"], true)
		equal(t, "EngineFamily", p["EngineFamily"], "POSTGRESQL")
		tg := props(t, d, rProxyTargetGroup)
		_, clusters := tg["DBClusterIdentifiers"]
		_, instances := tg["DBInstanceIdentifiers"]
		if clusters == instances {
			t.Errorf("proxy target group must name clusters or instances, not both or neither: %v", tg)
		}
		if v == layout.Aurora {
			equal(t, "target group waits for the writer", res(t, d, rProxyTargetGroup)["DependsOn"], []any{rDBWriter})
		}
		roles := ofType(d, "AWS::IAM::ServiceLinkedRole")
		if len(roles) != 0 {
			t.Errorf("creates service-linked roles %v", roles)
		}
	})
}

func TestLoadBalancer(t *testing.T) {
	forEachVariant(t, func(t *testing.T, d *cfn.Doc, v Variant) {
		alb := res(t, d, rALB)
		deps, _ := alb["DependsOn"].([]any)
		if !reflect.DeepEqual(deps, []any{rLogBucketPolicy, rIGWAttachment}) {
			t.Errorf("ALB DependsOn %v, want the log bucket policy and the gateway attachment", deps)
		}
		https := res(t, d, rHTTPSListener)
		equal(t, "https condition", https["Condition"], cHasCert)
		equal(t, "ssl policy", https["Properties"].(map[string]any)["SslPolicy"], "ELBSecurityPolicy-TLS13-1-2-2021-06")
		acts := props(t, d, rHTTPListener)["DefaultActions"].([]any)
		iff := acts[0].(map[string]any)["Fn::If"].([]any)
		equal(t, "http listener condition", iff[0], cHasCert)
		equal(t, "redirect", iff[1].(map[string]any)["RedirectConfig"].(map[string]any)["StatusCode"], "HTTP_301")
		equal(t, "plain forward", iff[2].(map[string]any)["Type"], "forward")
		equal(t, "target type", props(t, d, rTargetGroup)["TargetType"], "ip")
		assoc := props(t, d, rWebACLAssoc)
		equal(t, "WebACLArn", assoc["WebACLArn"], map[string]any{"Fn::GetAtt": []any{rWebACL, "Arn"}})
		equal(t, "service waits for listeners", res(t, d, rService)["DependsOn"], []any{rListenersReady, rCPAssociation})
	})
}

func TestLogBucketPolicyGrantsELBDelivery(t *testing.T) {
	d := doc(t, model.Default(), layout.Aurora)
	stmts := props(t, d, rLogBucketPolicy)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	grant := stmts[0].(map[string]any)
	principal := grant["Principal"].(map[string]any)
	equal(t, "service principal", principal["Service"], "logdelivery.elasticloadbalancing.amazonaws.com")
	// Walk the region cascade: every legacy region maps to its account, and
	// the final fallback removes the key so only the service principal stays.
	node := principal["AWS"]
	for _, a := range awsfacts.ELBLogAccounts {
		iff := node.(map[string]any)["Fn::If"].([]any)
		equal(t, "condition", iff[0], elbCondition(a.Region))
		equal(t, a.Region, iff[1], a.Account)
		cond := section(d, "Conditions")[elbCondition(a.Region)]
		equal(t, "condition body", cond, map[string]any{"Fn::Equals": []any{ref("AWS::Region"), a.Region}})
		node = iff[2]
	}
	equal(t, "fallback", node, ref("AWS::NoValue"))
	equal(t, "resource", grant["Resource"], map[string]any{"Fn::Sub": "${LogBucket.Arn}/alb/AWSLogs/${AWS::AccountId}/*"})
	enc := props(t, d, rLogBucket)["BucketEncryption"].(map[string]any)["ServerSideEncryptionConfiguration"].([]any)[0].(map[string]any)
	equal(t, "log bucket SSE", enc["ServerSideEncryptionByDefault"].(map[string]any)["SSEAlgorithm"], "AES256")
}

func TestWebACL(t *testing.T) {
	for _, count := range []bool{false, true} {
		m := model.Default()
		m.Edge.WAF.CountLargeBodies = count
		d := doc(t, m, layout.Aurora)
		p := props(t, d, rWebACL)
		equal(t, "scope", p["Scope"], "REGIONAL")
		wcu, priorities := 0, map[any]bool{}
		for _, r := range p["Rules"].([]any) {
			rule := r.(map[string]any)
			if priorities[rule["Priority"]] {
				t.Errorf("duplicate priority %v", rule["Priority"])
			}
			priorities[rule["Priority"]] = true
			stmt := rule["Statement"].(map[string]any)
			if mg, ok := stmt["ManagedRuleGroupStatement"].(map[string]any); ok {
				equal(t, "managed rule action", rule["OverrideAction"], map[string]any{"None": map[string]any{}})
				if _, ok := rule["Action"]; ok {
					t.Error("managed rule group has Action")
				}
				for _, g := range managedRuleGroups {
					if g.name == mg["Name"] {
						wcu += g.wcu
					}
				}
				_, overridden := mg["RuleActionOverrides"]
				if mg["Name"] == "AWSManagedRulesCommonRuleSet" && overridden != count {
					t.Errorf("CountLargeBodies=%v but body rule override present=%v", count, overridden)
				}
			} else {
				wcu += 2
				if _, ok := rule["Action"]; !ok {
					t.Error("rate rule has no Action")
				}
			}
		}
		if wcu > 1500 {
			t.Errorf("web ACL uses %d WCU, over 1,500", wcu)
		}
	}
}

func TestComputeCapacityProvider(t *testing.T) {
	for _, spot := range []bool{false, true} {
		m := model.Default()
		scenario.SetParams(&m, func(p *model.Params) { p.EnableSpot = spot })
		d := doc(t, m, layout.Aurora)
		asg := props(t, d, rASG)
		if _, ok := asg["DesiredCapacity"]; ok {
			t.Error("capacity-provider ASG sets DesiredCapacity")
		}
		// Without managed termination protection the instances need no
		// scale-in protection, which would otherwise make stack deletion hang.
		if _, ok := asg["NewInstancesProtectedFromScaleIn"]; ok {
			t.Error("capacity-provider ASG sets scale-in protection")
		}
		equal(t, "capacity rebalance", asg["CapacityRebalance"], true)
		equal(t, "waits for egress", res(t, d, rASG)["DependsOn"], []any{"PrivateRoute1", "PrivateRoute2"})
		mip := asg["MixedInstancesPolicy"].(map[string]any)
		if n := len(mip["LaunchTemplate"].(map[string]any)["Overrides"].([]any)); n < 2 {
			t.Errorf("%d instance types in the mixed policy, want 2+", n)
		}
		dist := mip["InstancesDistribution"].(map[string]any)
		equal(t, "spot strategy", dist["SpotAllocationStrategy"], "price-capacity-optimized")
		equal(t, "on-demand share", dist["OnDemandPercentageAboveBaseCapacity"],
			map[string]any{"Fn::If": []any{cUseSpot, "0", "100"}})
		if len(ofType(d, "AWS::EC2::SpotFleet")) != 0 {
			t.Error("Spot lives outside the capacity-provider group")
		}
		cp := props(t, d, rCapacityProvider)["AutoScalingGroupProvider"].(map[string]any)
		equal(t, "cp asg", cp["AutoScalingGroupArn"], ref(rASG))
		equal(t, "managed termination protection", cp["ManagedTerminationProtection"], "DISABLED")
		equal(t, "managed draining", cp["ManagedDraining"], "ENABLED")
		equal(t, "managed scaling", cp["ManagedScaling"].(map[string]any)["Status"], "ENABLED")
	}
	d := doc(t, model.Default(), layout.RDS)
	lt := props(t, d, rLaunchTemplate)["LaunchTemplateData"].(map[string]any)
	equal(t, "IMDSv2", lt["MetadataOptions"].(map[string]any)["HttpTokens"], "required")
	ud := lt["UserData"].(map[string]any)["Fn::Base64"].(map[string]any)["Fn::Sub"].(string)
	for _, want := range []string{"ECS_CLUSTER=${ECSCluster}", "ECS_ENABLE_SPOT_INSTANCE_DRAINING=${EnableSpotInstances}"} {
		if !strings.Contains(ud, want) {
			t.Errorf("user data lacks %q:\n%s", want, ud)
		}
	}
	svc := props(t, d, rService)
	// Only 0 (stopped) is ever written; otherwise updates leave the count to
	// service auto scaling (TestUpdatesKeepTheTaskCount).
	equal(t, "desired count", svc["DesiredCount"], map[string]any{"Fn::If": []any{cApiStopped, json.Number("0"), ref("AWS::NoValue")}})
	equal(t, "awsvpc", props(t, d, rTaskDef)["NetworkMode"], "awsvpc")
}

func TestQueues(t *testing.T) {
	d := doc(t, model.Default(), layout.Aurora)
	q, dlq := props(t, d, rQueue), props(t, d, rDLQ)
	qr, _ := q["MessageRetentionPeriod"].(json.Number).Int64()
	dr, _ := dlq["MessageRetentionPeriod"].(json.Number).Int64()
	if dr <= qr || dr > 1209600 {
		t.Errorf("DLQ retention %d must exceed the queue's %d and stay within 1,209,600", dr, qr)
	}
	equal(t, "redrive target", q["RedrivePolicy"].(map[string]any)["deadLetterTargetArn"], map[string]any{"Fn::GetAtt": []any{rDLQ, "Arn"}})
	equal(t, "redrive allow", dlq["RedriveAllowPolicy"].(map[string]any)["redrivePermission"], "byQueue")
	equal(t, "sse", q["SqsManagedSseEnabled"], true)
	equal(t, "dlq sse", dlq["SqsManagedSseEnabled"], true)
}

func TestAlarms(t *testing.T) {
	forEachVariant(t, func(t *testing.T, d *cfn.Doc, v Variant) {
		ids := ofType(d, "AWS::CloudWatch::Alarm")
		if len(ids) < 7 {
			t.Fatalf("%d alarms, want at least 7", len(ids))
		}
		for _, id := range ids {
			p := props(t, d, id)
			if p["TreatMissingData"] == nil || p["AlarmActions"] == nil {
				t.Errorf("%s lacks TreatMissingData or AlarmActions", id)
			}
			if p["MetricName"] == "ACUUtilization" {
				th, _ := p["Threshold"].(json.Number).Float64()
				if th <= 0 || th >= 100 {
					t.Errorf("ACUUtilization threshold %v is not a reachable percentage", th)
				}
			}
		}
		if v == layout.Aurora {
			dims := props(t, d, rAlarmDBCPU)["Dimensions"].([]any)
			equal(t, "writer alarm follows the role", dims, []any{
				map[string]any{"Name": "DBClusterIdentifier", "Value": ref(rDBCluster)},
				map[string]any{"Name": "Role", "Value": "WRITER"},
			})
		}
		_, storage := section(d, "Resources")[rAlarmDBStorage]
		_, acu := section(d, "Resources")[rAlarmACU]
		if storage != (v == layout.RDS) || acu != (v == layout.Aurora) {
			t.Errorf("%s: storage alarm %v, ACU alarm %v", v, storage, acu)
		}
	})
}

// TestReferencesResolve checks that every Ref and GetAtt names a parameter,
// pseudo parameter or resource, and every Condition used exists.
func TestReferencesResolve(t *testing.T) {
	for _, sc := range scenario.All {
		for _, v := range layout.Variants {
			d := doc(t, sc.Model(), v)
			known := map[string]bool{}
			for _, name := range []string{"Parameters", "Resources"} {
				for k := range section(d, name) {
					known[k] = true
				}
			}
			conds := section(d, "Conditions")
			var walk func(path string, x any)
			walk = func(path string, x any) {
				switch n := x.(type) {
				case map[string]any:
					for k, e := range n {
						switch k {
						case "Ref":
							if s, ok := e.(string); ok && !known[s] && !strings.HasPrefix(s, "AWS::") {
								t.Errorf("%s %s: %s: Ref to unknown %q", sc.Name, v, path, s)
							}
						case "Fn::GetAtt":
							if l, ok := e.([]any); ok && !known[l[0].(string)] {
								t.Errorf("%s %s: %s: GetAtt of unknown %q", sc.Name, v, path, l[0])
							}
						case "Fn::If":
							if c := e.([]any)[0].(string); conds[c] == nil {
								t.Errorf("%s %s: %s: unknown condition %q", sc.Name, v, path, c)
							}
						case "Condition":
							if c, ok := e.(string); ok && conds[c] == nil {
								t.Errorf("%s %s: %s: unknown condition %q", sc.Name, v, path, c)
							}
						}
						walk(path+"."+k, e)
					}
				case []any:
					for _, e := range n {
						walk(path, e)
					}
				}
			}
			for _, s := range d.Sections {
				for _, e := range s.Entries {
					walk(s.Name+"."+e.Name, e.Body)
				}
			}
		}
	}
}

// Every security group states its egress, and only what its service needs:
// the database sends nothing, the load balancer reaches the app port inside
// the VPC, and the others reach AWS APIs on 443 and PostgreSQL inside the VPC.
func TestSecurityGroupEgress(t *testing.T) {
	vpc := model.Default().Network.VPCCIDR
	rule := func(cidr string, port int) any {
		n := json.Number(fmt.Sprint(port))
		return map[string]any{"CidrIp": cidr, "FromPort": n, "IpProtocol": "tcp", "ToPort": n}
	}
	https, db := rule("0.0.0.0/0", 443), rule(vpc, 5432)
	forEachVariant(t, func(t *testing.T, d *cfn.Doc, v Variant) {
		for id, want := range map[string][]any{
			rALBSG:      {rule(vpc, 8080)},
			rAppSG:      {https, db},
			rInstanceSG: {https},
			rBastionSG:  {https, db},
			rProxySG:    {https, db},
			rDBSG:       {map[string]any{"CidrIp": "127.0.0.1/32", "IpProtocol": "-1"}},
		} {
			equal(t, id+" egress", props(t, d, id)["SecurityGroupEgress"], want)
		}
	})
}

// S3 server access logs of the API bucket land in the log bucket, which
// lets only the logging service of this account write them.
func TestBucketAccessLogs(t *testing.T) {
	forEachVariant(t, func(t *testing.T, d *cfn.Doc, v Variant) {
		equal(t, "api bucket logging", props(t, d, rApiBucket)["LoggingConfiguration"],
			map[string]any{"DestinationBucketName": ref(rLogBucket), "LogFilePrefix": "s3/api/"})
		equal(t, "log bucket versioning", props(t, d, rLogBucket)["VersioningConfiguration"], map[string]any{"Status": "Enabled"})
		equal(t, "api bucket waits for the log bucket policy", res(t, d, rApiBucket)["DependsOn"], []any{rLogBucketPolicy})
		doc, _ := props(t, d, rLogBucketPolicy)["PolicyDocument"].(map[string]any)
		found := false
		for _, st := range doc["Statement"].([]any) {
			m := st.(map[string]any)
			if reflect.DeepEqual(m["Principal"], map[string]any{"Service": "logging.s3.amazonaws.com"}) {
				found = true
				// The source ARN is spelt out, so it must name exactly the
				// API bucket's name.
				name := props(t, d, rApiBucket)["BucketName"].(map[string]any)["Fn::Sub"].(string)
				equal(t, "logging condition", m["Condition"], map[string]any{
					"StringEquals": map[string]any{"aws:SourceAccount": ref("AWS::AccountId")},
					"ArnLike":      map[string]any{"aws:SourceArn": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:s3:::" + name}},
				})
				equal(t, "logging resource", m["Resource"], map[string]any{"Fn::Sub": "${LogBucket.Arn}/s3/api/*"})
				equal(t, "logging action", m["Action"], "s3:PutObject")
			}
		}
		if !found {
			t.Error("the log bucket policy does not let logging.s3.amazonaws.com write")
		}
	})
}

// The alarm topic's policy lets this account's CloudWatch publish (it
// replaces SNS's default policy) and refuses publishing without TLS.
func TestTopicPolicy(t *testing.T) {
	forEachVariant(t, func(t *testing.T, d *cfn.Doc, v Variant) {
		p := props(t, d, rTopicPolicy)
		equal(t, "topics", p["Topics"], []any{ref(rTopic)})
		sts := p["PolicyDocument"].(map[string]any)["Statement"].([]any)
		equal(t, "allow", sts[0].(map[string]any)["Principal"], map[string]any{"Service": "cloudwatch.amazonaws.com"})
		equal(t, "deny", sts[1].(map[string]any)["Condition"], map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}})
	})
}

// Session Manager on container instances is opt-in and gets Session
// Manager's own actions only, which cfngen's validator accepts.
func TestSessionManagerPolicy(t *testing.T) {
	m := model.Default()
	if p := props(t, doc(t, m, layout.Aurora), rInstanceRole); p["Policies"] != nil {
		t.Errorf("container instances get an inline policy by default: %v", p["Policies"])
	}
	m.Compute.SessionManager = true
	p := props(t, doc(t, m, layout.Aurora), rInstanceRole)
	pol, _ := p["Policies"].([]any)
	if len(pol) != 1 || pol[0].(map[string]any)["PolicyName"] != "session-manager" {
		t.Fatalf("policies %v, want session-manager", p["Policies"])
	}
	equal(t, "managed policies", p["ManagedPolicyArns"], []any{map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"}})
}
