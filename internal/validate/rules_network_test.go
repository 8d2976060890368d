package validate

import (
	"encoding/json"
	"testing"
)

func TestNetAZKey(t *testing.T) {
	sel := func(i any, region any) map[string]any {
		return map[string]any{"Fn::Select": []any{i, map[string]any{"Fn::GetAZs": region}}}
	}
	for _, c := range []struct {
		az   any
		want string
	}{
		{"us-east-1a", "zone us-east-1a"},
		{sel(json.Number("0"), ""), "!Select [0, !GetAZs '']"},
		{sel("1", map[string]any{"Ref": "AWS::Region"}), "!Select [1, !GetAZs '']"},
		{sel(map[string]any{"Ref": "Index"}, ""), ""},
		{sel(json.Number("0"), "eu-west-1"), ""},
		{map[string]any{"Ref": "Zone"}, ""},
	} {
		s := Resource{ID: "S", Type: netSubnetType, Properties: map[string]any{"AvailabilityZone": c.az}}
		if got := netAZKey(s); got != c.want {
			t.Errorf("netAZKey(%v) = %q, want %q", c.az, got, c.want)
		}
	}
}

func TestNetArnAccount(t *testing.T) {
	for s, want := range map[string]string{
		"arn:aws:iam::123456789012:role/x":                                           "123456789012",
		netPseudo.Replace("arn:${AWS::Partition}:sqs:${AWS::Region}:123456789012:q"): "123456789012",
		"arn:aws:s3:::bucket-123456789012/x":                                         "",
		"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore":                       "",
	} {
		got := ""
		if m := netArnAccount.FindStringSubmatch(s); m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("account of %q = %q, want %q", s, got, want)
		}
	}
}
