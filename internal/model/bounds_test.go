package model

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/awsfacts"
)

// boundedField is an integer field with min and max tags, reachable from
// the default model by a setter.
type boundedField struct {
	path   string
	lo, hi int
	set    func(b *Backend, v int)
}

// boundedFields lists every bounded integer field of the model, found by
// walking the types (environments through the default environment).
func boundedFields(t *testing.T) []boundedField {
	t.Helper()
	var out []boundedField
	var walk func(prefix string, typ reflect.Type, get func(*Backend) reflect.Value)
	walk = func(prefix string, typ reflect.Type, get func(*Backend) reflect.Value) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			path := strings.TrimPrefix(prefix+"."+name, ".")
			switch f.Type.Kind() {
			case reflect.Struct:
				walk(path, f.Type, func(b *Backend) reflect.Value { return get(b).Field(i) })
			case reflect.Int:
				if lo, hi, ok := Bounds(f); ok {
					out = append(out, boundedField{path, lo, hi, func(b *Backend, v int) { get(b).Field(i).SetInt(int64(v)) }})
				} else if f.Tag.Get("min") != "" || f.Tag.Get("max") != "" {
					t.Errorf("%s has only one of min and max", path)
				}
			}
		}
	}
	walk("", reflect.TypeOf(Backend{}), func(b *Backend) reflect.Value { return reflect.ValueOf(b).Elem() })
	walk("environments.dev", reflect.TypeOf(Environment{}), func(b *Backend) reflect.Value {
		for i := range b.Environments {
			if b.Environments[i].Name == "dev" {
				return reflect.ValueOf(&b.Environments[i]).Elem()
			}
		}
		t.Fatal("no dev environment in the defaults")
		return reflect.Value{}
	})
	return out
}

// TestEveryBoundChecked: for every tagged field, one past each bound is
// refused at that field with the range the tags state.
func TestEveryBoundChecked(t *testing.T) {
	fields := boundedFields(t)
	if len(fields) < 30 {
		t.Fatalf("found %d bounded fields, want the model's 30 or more", len(fields))
	}
	for _, f := range fields {
		for _, v := range []int{f.lo - 1, f.hi + 1} {
			b := Default()
			f.set(&b, v)
			err := b.Validate("", nil)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("%s = %d: accepted", f.path, v)
				continue
			}
			want := fmt.Sprintf("%d is out of range (%d..%d)", v, f.lo, f.hi)
			found := false
			for _, p := range ce.Problems {
				if p.Path == f.path && strings.HasPrefix(p.Message, want) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s = %d: no %q among %v", f.path, v, want, ce.Problems)
			}
		}
	}
}

// A field with an enum tag accepts only its values.
func TestEnumChecked(t *testing.T) {
	b := Default()
	b.Network.SubnetOrder = "bogus"
	b.Database.MonitoringInterval = 2
	err := b.Validate("", nil)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("accepted: %v", err)
	}
	got := map[string]string{}
	for _, p := range ce.Problems {
		got[p.Path] = p.Message
	}
	if got["network.subnetOrder"] != `"bogus" is not allowed (allowed: stable, grouped)` {
		t.Errorf("network.subnetOrder: %q", got["network.subnetOrder"])
	}
	if got["database.monitoringInterval"] != "2 is not allowed (allowed: 1, 5, 10, 15, 30, 60)" {
		t.Errorf("database.monitoringInterval: %q", got["database.monitoringInterval"])
	}
}

// The bucket-name budget holds for every region outside the isolated
// partitions (aws-iso*), which the budget leaves out on purpose.
func TestBucketBudgetRegions(t *testing.T) {
	for _, p := range awsfacts.Partitions {
		if strings.HasPrefix(p.Name, "aws-iso") {
			continue
		}
		for _, r := range p.Regions {
			if n := len("--logs-") + 12 + 1 + len(r) + bucketBudget; n > 63 {
				t.Errorf("%s (%s): the log bucket name can reach %d characters", r, p.Name, n)
			}
		}
	}
}
