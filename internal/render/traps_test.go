package render

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
)

// TestUpdatesKeepTheTaskCount: a template DesiredCount is sent with every
// update of the service and resets what auto scaling scaled out. The service
// writes one only to stop the API (0); the floor is the scalable target's.
func TestUpdatesKeepTheTaskCount(t *testing.T) {
	forEachVariant(t, func(t *testing.T, d *cfn.Doc, v Variant) {
		equal(t, "condition", section(d, "Conditions")[cApiStopped],
			map[string]any{"Fn::Equals": []any{ref(pDesiredCount), "0"}}) // Ref gives a Number as a string
		equal(t, "service count", props(t, d, rService)["DesiredCount"],
			map[string]any{"Fn::If": []any{cApiStopped, json.Number("0"), ref("AWS::NoValue")}})
		target := props(t, d, rScalableTarget)
		equal(t, "floor", target["MinCapacity"], ref(pDesiredCount))
		equal(t, "ceiling", target["MaxCapacity"], map[string]any{"Fn::FindInMap": []any{mEnv, ref(pEnvironment), "MaxTasks"}})
		// Nothing else may set the count: a Ref of ApiDesiredCount in the
		// service would bring the reset back.
		b, _ := json.Marshal(props(t, d, rService))
		if strings.Contains(string(b), `"Ref":"`+pDesiredCount+`"`) {
			t.Errorf("the service reads %s: %s", pDesiredCount, b)
		}
	})
}

// subnets returns the CIDR of each public and private subnet, by AZ.
func subnets(t *testing.T, m model.Backend) (public, private []string) {
	t.Helper()
	d := doc(t, m, layout.Aurora)
	for az := 1; az <= m.Network.AZCount; az++ {
		public = append(public, props(t, d, id(rPublicSubnet, az))["CidrBlock"].(string))
		private = append(private, props(t, d, id(rPrivateSubnet, az))["CidrBlock"].(string))
	}
	return public, private
}

// TestAddingZonesKeepsSubnets: a subnet whose CIDR changes is replaced, and
// the replacement collides with the block the old subnets still hold. Going
// from two to three zones must only add subnets.
func TestAddingZonesKeepsSubnets(t *testing.T) {
	two, three := model.Default(), model.Default()
	three.Network.AZCount = 3
	pub2, priv2 := subnets(t, two)
	pub3, priv3 := subnets(t, three)
	equal(t, "public subnets of the first two zones", pub3[:2], pub2)
	equal(t, "private subnets of the first two zones", priv3[:2], priv2)
	equal(t, "two zones", append(pub2, priv2...), []string{"10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"})
	equal(t, "third zone", []string{pub3[2], priv3[2]}, []string{"10.0.64.0/20", "10.0.80.0/20"})
}

// TestProxyNameFollowsItsSubnets: VpcSubnetIds is create-only and the proxy
// needs a name; CloudFormation cannot replace it under the same name. The
// name must change exactly when the private subnets do.
func TestProxyNameFollowsItsSubnets(t *testing.T) {
	proxyName := func(m model.Backend) string {
		t.Helper()
		return props(t, doc(t, m, layout.RDS), rProxy)["DBProxyName"].(map[string]any)["Fn::Sub"].(string)
	}
	base := model.Default()
	name := proxyName(base)
	// The built-in network keeps the name earlier releases gave the proxy,
	// so their stacks keep it; every other subnet set gets its own hash.
	if name != "${MyProjectName}-${Environment}-db" {
		t.Fatalf("proxy name on the built-in network %q, want the earlier ${MyProjectName}-${Environment}-db", name)
	}
	names := map[string]string{"built-in": name}
	for what, change := range map[string]func(*model.Backend){
		"azCount":          func(m *model.Backend) { m.Network.AZCount = 3 },
		"vpcCidr":          func(m *model.Backend) { m.Network.VPCCIDR = "10.1.0.0/16" },
		"subnetPrefix":     func(m *model.Backend) { m.Network.SubnetPrefix = 22 },
		"vpcCidr, 3 zones": func(m *model.Backend) { m.Network.VPCCIDR = "10.1.0.0/16"; m.Network.AZCount = 3 },
	} {
		m := model.Default()
		change(&m)
		got := proxyName(m)
		if !strings.HasPrefix(got, "${MyProjectName}-${Environment}-db-") || len(got) != len("${MyProjectName}-${Environment}-db-")+8 {
			t.Errorf("changing %s: proxy name %q is not <project>-<env>-db-<8 hex>", what, got)
		}
		for other, n := range names {
			if n == got {
				t.Errorf("changing %s changes the proxy's subnets but gives the name of %s, %q", what, other, got)
			}
		}
		names[what] = got
	}
	same := model.Default()
	same.Edge.AppPort = 3000
	same.Project.Name = "shop"
	if proxyName(same) != name {
		t.Errorf("the proxy name changed without a change of its subnets")
	}
}

// TestBucketSuffix: the suffix ends both bucket names and the log bucket
// policy's condition on the API bucket, and is absent by default.
func TestBucketSuffix(t *testing.T) {
	m := model.Default()
	m.Storage.BucketSuffix = "b2"
	d := doc(t, m, layout.Aurora)
	for _, id := range []string{rLogBucket, rApiBucket} {
		got := props(t, d, id)["BucketName"].(map[string]any)["Fn::Sub"].(string)
		if !strings.HasSuffix(got, "-${AWS::Region}-b2") {
			t.Errorf("%s name %q does not end with the suffix", id, got)
		}
	}
	api := props(t, d, rApiBucket)["BucketName"].(map[string]any)["Fn::Sub"].(string)
	b, _ := json.Marshal(props(t, d, rLogBucketPolicy))
	if !strings.Contains(string(b), `"arn:${AWS::Partition}:s3:::`+api+`"`) {
		t.Errorf("log bucket policy does not name the API bucket %q: %s", api, b)
	}
	def := props(t, doc(t, model.Default(), layout.Aurora), rApiBucket)["BucketName"].(map[string]any)["Fn::Sub"].(string)
	if !strings.HasSuffix(def, "-${AWS::Region}") {
		t.Errorf("default bucket name %q has a suffix", def)
	}
}

// network.subnetOrder grouped keeps the blocks of earlier releases (all
// public, then all private) for 3-zone stacks created with them; stable
// keeps zones 1-2 where they were with 2 zones.
func TestSubnetOrder(t *testing.T) {
	cidrs := func(order string, azs int) (pub, priv []string) {
		m := model.Default()
		m.Network.AZCount = azs
		m.Network.SubnetOrder = order
		d := doc(t, m, layout.Aurora)
		for i := 1; i <= azs; i++ {
			pub = append(pub, props(t, d, fmt.Sprintf("%s%d", rPublicSubnet, i))["CidrBlock"].(string))
			priv = append(priv, props(t, d, fmt.Sprintf("%s%d", rPrivateSubnet, i))["CidrBlock"].(string))
		}
		return pub, priv
	}
	pub, priv := cidrs("grouped", 3)
	equal(t, "grouped public", pub, []string{"10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"})
	equal(t, "grouped private", priv, []string{"10.0.48.0/20", "10.0.64.0/20", "10.0.80.0/20"})
	pub2, priv2 := cidrs("stable", 2)
	pub3, priv3 := cidrs("stable", 3)
	equal(t, "stable public zones 1-2", pub3[:2], pub2)
	equal(t, "stable private zones 1-2", priv3[:2], priv2)
	equal(t, "stable zone 3", []string{pub3[2], priv3[2]}, []string{"10.0.64.0/20", "10.0.80.0/20"})
	gp2, gpriv2 := cidrs("grouped", 2)
	equal(t, "with 2 zones the orders agree", [][]string{gp2, gpriv2}, [][]string{pub2, priv2})
}
