package validate

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

var reportFindings = []Finding{
	{Rule: "D550", Severity: Error, File: "templates/stack.yaml", Line: 12, Resource: "JobDeadLetterQueue",
		Path:    "Resources/JobDeadLetterQueue/Properties/MessageRetentionPeriod",
		Message: "dead-letter queue JobDeadLetterQueue keeps messages 345600 s", Fix: "keep messages longer"},
	{Rule: "P405", Severity: Warning, File: "params/params.json", Message: "Env is given more than once"},
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, reportFindings); err != nil {
		t.Fatal(err)
	}
	want := "templates/stack.yaml:12: error D550 JobDeadLetterQueue: dead-letter queue JobDeadLetterQueue keeps messages 345600 s\n" +
		"    fix: keep messages longer\n" +
		"params/params.json: warning P405 Env is given more than once\n"
	if got := b.String(); got != want {
		t.Errorf("WriteText:\n got %q\nwant %q", got, want)
	}

	b.Reset()
	if err := WriteText(&b, nil); err != nil || b.Len() != 0 {
		t.Errorf("WriteText(nil) = %q, %v; want nothing", b.String(), err)
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, reportFindings); err != nil {
		t.Fatal(err)
	}
	var back []Finding
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatalf("WriteJSON output does not parse: %v\n%s", err, b.String())
	}
	if !reflect.DeepEqual(back, reportFindings) {
		t.Errorf("WriteJSON round trip:\n got %+v\nwant %+v", back, reportFindings)
	}
	// Empty fields are left out; the severity and rule keep their names.
	var raw []map[string]any
	if err := json.Unmarshal(b.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw[1]["line"]; ok {
		t.Errorf("finding without a line has a line field: %v", raw[1])
	}
	if raw[0]["rule"] != "D550" || raw[0]["severity"] != "error" || raw[1]["severity"] != "warning" {
		t.Errorf("unexpected fields: %v", raw)
	}

	b.Reset()
	if err := WriteJSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "[]\n" {
		t.Errorf("WriteJSON(nil) = %q, want an empty array", got)
	}
}

func TestWriteSARIF(t *testing.T) {
	var b bytes.Buffer
	rules := Rules()
	if err := WriteSARIF(&b, reportFindings, rules, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name    string `json:"name"`
					Version string `json:"version"`
					Rules   []struct {
						ID               string `json:"id"`
						ShortDescription struct {
							Text string `json:"text"`
						} `json:"shortDescription"`
						Default struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatalf("WriteSARIF output is not JSON: %v\n%s", err, b.String())
	}
	if log.Version != "2.1.0" || log.Schema == "" {
		t.Errorf("version %q, $schema %q; want 2.1.0 and a schema", log.Version, log.Schema)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name == "" || run.Tool.Driver.Version != "1.2.3" {
		t.Errorf("driver %q version %q", run.Tool.Driver.Name, run.Tool.Driver.Version)
	}
	if len(run.Tool.Driver.Rules) != len(rules) {
		t.Errorf("%d rules in the log, want %d", len(run.Tool.Driver.Rules), len(rules))
	}
	levels := map[string]string{}
	for _, r := range run.Tool.Driver.Rules {
		if r.ID == "" || r.ShortDescription.Text == "" {
			t.Errorf("rule without id or description: %+v", r)
		}
		levels[r.ID] = r.Default.Level
	}
	if levels["D551"] != "error" || levels["P405"] != "warning" {
		t.Errorf("default levels D551 %q, P405 %q; want error, warning", levels["D551"], levels["P405"])
	}
	if len(run.Results) != 2 {
		t.Fatalf("%d results, want 2", len(run.Results))
	}
	first, second := run.Results[0], run.Results[1]
	if first.RuleID != "D550" || first.Level != "error" || len(first.Locations) != 1 {
		t.Fatalf("first result: %+v", first)
	}
	loc := first.Locations[0]
	if loc.PhysicalLocation.ArtifactLocation.URI != "templates/stack.yaml" || loc.PhysicalLocation.Region.StartLine != 12 {
		t.Errorf("first location: %+v", loc)
	}
	if len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].FullyQualifiedName != reportFindings[0].Path {
		t.Errorf("first logical location: %+v", loc.LogicalLocations)
	}
	if want := reportFindings[0].Message + " Fix: " + reportFindings[0].Fix; first.Message.Text != want {
		t.Errorf("first message %q, want %q", first.Message.Text, want)
	}
	if second.RuleID != "P405" || second.Level != "warning" || len(second.Locations) != 1 ||
		second.Locations[0].PhysicalLocation.ArtifactLocation.URI != "params/params.json" {
		t.Errorf("second result: %+v", second)
	}

	b.Reset()
	if err := WriteSARIF(&b, nil, rules, "dev"); err != nil {
		t.Fatal(err)
	}
	var empty map[string]any
	if err := json.Unmarshal(b.Bytes(), &empty); err != nil {
		t.Fatal(err)
	}
	if res := empty["runs"].([]any)[0].(map[string]any)["results"]; res == nil {
		t.Errorf("no findings: results is %v, want an empty list", res)
	}
}
