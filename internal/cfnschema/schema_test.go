package cfnschema

import (
	"slices"
	"testing"
)

func TestLookup(t *testing.T) {
	if Lookup("AWS::Nope::Nothing") != nil {
		t.Fatal("an unknown type has a schema")
	}
	c := Lookup("AWS::RDS::DBCluster")
	if c == nil {
		t.Fatal("no schema for AWS::RDS::DBCluster")
	}
	if !slices.Contains(c.CreateOnly, "DatabaseName") || c.NameProp != "DBClusterIdentifier" {
		t.Errorf("DBCluster: create-only %v, name %q", c.CreateOnly, c.NameProp)
	}
	if !slices.Contains(c.CondCreateOnly, "MasterUsername") || !c.HasAttr("Endpoint.Address") {
		t.Errorf("DBCluster: conditional %v, attrs %v", c.CondCreateOnly, c.Attrs)
	}
	for typ, name := range map[string]string{
		"AWS::RDS::DBProxy": "DBProxyName", "AWS::S3::Bucket": "BucketName", "AWS::EC2::SecurityGroup": "GroupName",
		"AWS::EC2::KeyPair": "KeyName", "AWS::ElasticLoadBalancingV2::LoadBalancer": "Name",
		"AWS::EC2::Subnet": "", "AWS::ECS::TaskDefinition": "", "AWS::EC2::Instance": "",
	} {
		if got := Lookup(typ).NameProp; got != name {
			t.Errorf("%s: name property %q, want %q", typ, got, name)
		}
	}
}

func TestReplacement(t *testing.T) {
	s := &Type{CreateOnly: []string{"Name", "Config.*.Key"}, CondCreateOnly: []string{"Engine"}}
	for path, want := range map[string]string{
		"Name": "True", "Config": "True", "Config.2.Key": "True", "Config.2.KeyId": "False",
		"Config.2.Value": "False", "Engine": "Conditional", "Tags.0.Value": "False", "Name.x": "True",
	} {
		if got := s.Replacement(path); got != want {
			t.Errorf("Replacement(%q) = %s, want %s", path, got, want)
		}
	}
	var none *Type
	if none.Replacement("X") != "False" {
		t.Error("an unknown type replaces")
	}
}
