package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/project"
)

// topGroups is how many components a report names when a template is too big.
const topGroups = 5

// checkLimits measures every template against CloudFormation's limits. It
// returns the report lines to print once the command succeeded (a summary per
// template and warnings from 90% of a limit), or an error naming the biggest
// components when a template is over a limit.
func checkLimits(reports []project.Report, viaS3 bool) ([]string, error) {
	var lines, over []string
	for _, r := range reports {
		if viaS3 {
			r.Usage = append([]cfn.Usage(nil), r.Usage...)
			r.Usage[0].Limit = cfn.MaxURLBytes
		}
		lines = append(lines, fmt.Sprintf("%s: %s", r.Path, summary(r.Usage)))
		for _, u := range r.Usage {
			switch pct := u.Percent(); {
			case u.Used > u.Limit:
				over = append(over, fmt.Sprintf("%s has %d %s, over the limit of %d", r.Path, u.Used, u.Name, u.Limit))
				if u.Name == "bytes" {
					groups, err := r.Doc.Breakdown(r.Format)
					if err != nil {
						return nil, err
					}
					over = append(over, "  largest parts: "+largest(groups, topGroups))
					if !viaS3 {
						over = append(over, fmt.Sprintf("  deploy it with --template-url from S3 (up to %d bytes) and render with --via-s3, or turn off components in the model", cfn.MaxURLBytes))
					}
				}
			case pct >= cfn.WarnPercent:
				lines = append(lines, fmt.Sprintf("warning: %s uses %.1f%% of the %s limit (%d of %d)", r.Path, pct, u.Name, u.Used, u.Limit))
			}
		}
	}
	if len(over) > 0 {
		return nil, &exitError{code: ExitDiff, err: fmt.Errorf("template over CloudFormation limits, nothing written:\n%s", strings.Join(over, "\n"))}
	}
	return lines, nil
}

func summary(us []cfn.Usage) string {
	var parts []string
	for _, u := range us {
		if u.Name == "bytes" {
			parts = append(parts, fmt.Sprintf("%d bytes (%.1f%% of %d)", u.Used, u.Percent(), u.Limit))
		} else {
			parts = append(parts, fmt.Sprintf("%d/%d %s", u.Used, u.Limit, u.Name))
		}
	}
	return strings.Join(parts, ", ")
}

func largest(groups []cfn.GroupSize, n int) string {
	var parts []string
	for i, g := range groups {
		if i == n {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d bytes", g.Name, g.Bytes))
	}
	return strings.Join(parts, ", ")
}

type statsJSON struct {
	Template string          `json:"template"`
	Variant  string          `json:"variant"`
	Usage    []usageJSON     `json:"usage"`
	Parts    []cfn.GroupSize `json:"parts"`
}

type usageJSON struct {
	cfn.Usage
	Percent float64 `json:"percent"`
}

// printStats writes the figures of every template: a table, or JSON.
func printStats(w io.Writer, reports []project.Report, format string) error {
	var out []statsJSON
	for _, r := range reports {
		parts, err := r.Doc.Breakdown(r.Format)
		if err != nil {
			return err
		}
		s := statsJSON{Template: r.Path, Variant: string(r.Variant), Parts: parts}
		for _, u := range r.Usage {
			s.Usage = append(s.Usage, usageJSON{u, float64(int(u.Percent()*10+0.5)) / 10})
		}
		out = append(out, s)
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for i, s := range out {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s (%s)\n", s.Template, s.Variant)
		fmt.Fprintf(w, "  %-22s %8s %8s %8s\n", "limit", "used", "max", "percent")
		for _, u := range s.Usage {
			fmt.Fprintf(w, "  %-22s %8d %8d %7.1f%%\n", u.Name, u.Used, u.Limit, u.Percent)
		}
		fmt.Fprintf(w, "  %-22s %8s\n", "part", "bytes")
		for _, p := range s.Parts {
			fmt.Fprintf(w, "  %-22s %8d\n", p.Name, p.Bytes)
		}
	}
	return nil
}
