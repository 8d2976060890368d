package validate

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteText writes one line per finding:
// file:line: severity rule resource: message (fix: ...)
func WriteText(w io.Writer, fs []Finding) error {
	for _, f := range fs {
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
		Help             msg            `json:"help"`
		Default          map[string]any `json:"defaultConfiguration"`
	}
	var srules []sarifRule
	for _, r := range rules {
		srules = append(srules, sarifRule{ID: r.ID, ShortDescription: msg{r.Title}, Help: msg{r.Fix},
			Default: map[string]any{"level": level(r.Severity)}})
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
		results = append(results, map[string]any{
			"ruleId": f.Rule, "level": level(f.Severity), "message": msg{text}, "locations": []any{loc},
		})
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
