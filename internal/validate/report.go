package validate

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteText writes one line per finding that counts:
// file:line: severity rule resource: message (fix: ...)
func WriteText(w io.Writer, fs []Finding) error { return writeText(w, fs, false) }

// WriteTextAll writes every finding, suppressed ones too, each with the
// reason it is suppressed.
func WriteTextAll(w io.Writer, fs []Finding) error { return writeText(w, fs, true) }

func writeText(w io.Writer, fs []Finding, all bool) error {
	for _, f := range fs {
		if f.Suppressed != nil && !all {
			continue
		}
		loc := f.File
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		where := ""
		if f.Resource != "" {
			where = " " + f.Resource + ":"
		}
		if _, err := fmt.Fprintf(w, "%s: %s %s%s %s\n", loc, f.Severity, f.Rule, where, f.Message); err != nil {
			return err
		}
		if f.Suppressed != nil {
			until := ""
			if f.Suppressed.Expires != "" {
				until = " (until " + f.Suppressed.Expires + ")"
			}
			if _, err := fmt.Fprintf(w, "    suppressed%s: %s\n", until, f.Suppressed.Reason); err != nil {
				return err
			}
			continue
		}
		if f.Fix != "" {
			if _, err := fmt.Fprintf(w, "    fix: %s\n", f.Fix); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteJSON writes the findings as a JSON array.
func WriteJSON(w io.Writer, fs []Finding) error {
	if fs == nil {
		fs = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(fs)
}

// WriteSARIF writes a SARIF 2.1.0 log, for code-scanning uploads.
func WriteSARIF(w io.Writer, fs []Finding, rules []Rule, version string) error {
	type msg struct {
		Text string `json:"text"`
	}
	type sarifRule struct {
		ID               string         `json:"id"`
		ShortDescription msg            `json:"shortDescription"`
		FullDescription  *msg           `json:"fullDescription,omitempty"`
		Help             msg            `json:"help"`
		Default          map[string]any `json:"defaultConfiguration"`
		Properties       map[string]any `json:"properties,omitempty"`
	}
	var srules []sarifRule
	for _, r := range rules {
		sr := sarifRule{ID: r.ID, ShortDescription: msg{r.Title}, Help: msg{r.Fix},
			Default: map[string]any{"level": level(r.Severity)}}
		if r.Why != "" {
			sr.FullDescription = &msg{r.Why}
		}
		if r.Security() {
			sr.Properties = map[string]any{"tags": []string{"security"}}
		}
		srules = append(srules, sr)
	}
	results := []map[string]any{}
	for _, f := range fs {
		physical := map[string]any{"artifactLocation": map[string]any{"uri": f.File}}
		if f.Line > 0 {
			physical["region"] = map[string]any{"startLine": f.Line}
		}
		loc := map[string]any{"physicalLocation": physical}
		if f.Path != "" {
			loc["logicalLocations"] = []any{map[string]any{"fullyQualifiedName": f.Path}}
		}
		text := f.Message
		if f.Fix != "" {
			text += " Fix: " + f.Fix
		}
		result := map[string]any{
			"ruleId": f.Rule, "level": level(f.Severity), "message": msg{text}, "locations": []any{loc},
		}
		if f.Suppressed != nil {
			// SARIF's own form: code-scanning tools list the result as
			// suppressed, with the justification.
			result["suppressions"] = []any{map[string]any{"kind": "inSource", "justification": f.Suppressed.Reason}}
		}
		results = append(results, result)
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool":    map[string]any{"driver": map[string]any{"name": "cfngen validate", "version": version, "informationUri": "https://github.com/cfngen/cfngen", "rules": srules}},
			"results": results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func level(s Severity) string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// WriteRulesJSON writes the rules as a JSON array: id, severity, title,
// rationale, fix and the equivalent checks of other scanners.
func WriteRulesJSON(w io.Writer, rules []Rule) error {
	type rule struct {
		ID        string   `json:"id"`
		Severity  Severity `json:"severity"`
		Title     string   `json:"title"`
		Rationale string   `json:"rationale,omitempty"`
		Fix       string   `json:"fix"`
		Scanners  []string `json:"scanners,omitempty"`
		Security  bool     `json:"security,omitempty"`
		Profile   string   `json:"profile,omitempty"`
	}
	out := make([]rule, 0, len(rules))
	for _, r := range rules {
		out = append(out, rule{r.ID, r.Severity, r.Title, r.Why, r.Fix, r.Scanners, r.Security(), r.Profile})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
