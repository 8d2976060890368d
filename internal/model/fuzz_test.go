package model

import (
	"errors"
	"testing"
)

// checkConfigError fails unless err is a *ConfigError for file with at
// least one problem, each with a message.
func checkConfigError(t *testing.T, stage string, err error, file string) {
	t.Helper()
	var ce *ConfigError
	if !errors.As(err, &ce) || ce == nil {
		t.Fatalf("%s: error %T is not a *ConfigError: %v", stage, err, err)
	}
	if ce.File != file {
		t.Errorf("%s: ConfigError.File = %q, want %q", stage, ce.File, file)
	}
	if len(ce.Problems) == 0 {
		t.Fatalf("%s: ConfigError without problems", stage)
	}
	for i, p := range ce.Problems {
		if p.Message == "" {
			t.Errorf("%s: problem %d has no message: %+v", stage, i, p)
		}
	}
	if ce.Error() == "" {
		t.Errorf("%s: empty error text", stage)
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		string(Starter()),
		"",
		"# only a comment\n",
		"---\n~\n",
		"network:\n  azCount: 3\n",
		"environments: {dev: }\n",
		"environments:\n  dev:\n  prod:\n    maxTasks: 8\n    params:\n      apiImageTag: v2\n",
		"tags:\n  team: core\n  aws:x: y\n",
		"database:\n  acuRanges: [0.5-2, 0-2, 4-2, abc]\n  postgresEngineVersion: 16.10\n",
		"network:\n  vpcCidr: 10.0.0.0/24\n  subnetPrefix: 26\n  azCount: 3\n",
		"network: &n {azCount: 3}\nedge: *n\n",
		"project: {description: &vpcName password}\nenvironments: {dev: {params: {*vpcName : x}}}\n",
		"network:\n  azCount: two\n  azCount: 3\npassword: x\n",
		"network: {azCount: 18446744073709551615}\n",
		"environments: []\n",
		"environments: {}\n",
		"- a\n- b\n",
		"project: {name: [a]}\n",
		"{a: 1}: 2\n",
		"bastion: {enabled: 1}\n",
		"\tnetwork: 1\n",
		"network: {azCount: 3\n",
		"environments: {dev: {params: {sshCidr: 0.0.0.0/0, alarmEmail: 'a@b', certificateArn: x}}}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz.yaml"
		b, lines, err := Parse(data, file)
		if err != nil {
			checkConfigError(t, "Parse", err, file)
			return
		}
		if err := b.Validate(file, lines); err != nil {
			checkConfigError(t, "Validate", err, file)
			// Without lines the same problems are found.
			err2 := b.Validate(file, nil)
			if err2 == nil {
				t.Fatalf("Validate without lines accepts what Validate with lines refuses: %v", err)
			}
			if n1, n2 := len(err.(*ConfigError).Problems), len(err2.(*ConfigError).Problems); n1 != n2 {
				t.Fatalf("Validate found %d problems with lines, %d without", n1, n2)
			}
		}
		// Parsing is deterministic: same input, same result and same text.
		b2, _, err2 := Parse(data, file)
		if err2 != nil {
			t.Fatalf("second Parse fails: %v", err2)
		}
		e1, e2 := b.Validate(file, lines), b2.Validate(file, lines)
		if (e1 == nil) != (e2 == nil) || (e1 != nil && e1.Error() != e2.Error()) {
			t.Fatalf("Validate differs between two Parses:\n%v\n%v", e1, e2)
		}
	})
}
