package cli

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cfngen/cfngen/internal/validate"
)

// ValidateOptions are the arguments of cfngen validate.
type ValidateOptions struct {
	IO     IOStreams
	List   bool             // print the rules instead of validating
	Inputs []validate.Input // Data and Params are read in runValidate
	Format string
	Strict bool
	// ShowSuppressed lists suppressed findings in text output, each with its
	// reason (JSON and SARIF always include them, marked).
	ShowSuppressed bool
	// Profiles turns on rule profiles for every template (backend: the
	// rules of cfngen's backend, on anyway for templates cfngen wrote).
	Profiles []string
}

const validateUsage = "validate [TEMPLATE [--params FILE]]... [--format text|json|sarif] [--strict] [--show-suppressed] [--profile backend] [--rules]"

// NewCmdValidate builds cfngen validate. Its --params flag belongs to the
// template before it, so arguments are parsed in order here rather than by
// the flag package.
func NewCmdValidate(io IOStreams, runF func(*ValidateOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   validateUsage,
		Short: "Check templates and parameter files offline before deploying",
		Long: `Validate checks CloudFormation templates (YAML with short-form tags, or JSON;
cfngen's or anyone's) and their parameter files, offline and in milliseconds:
structure against the resource schemas, references, limits, parameter values,
and deploy-readiness rules for the services of the backend stack, most of which
a linter does not know. With no arguments it checks templates/*.yaml with their
params files.

Each finding has a rule id, a severity, the resource and property path, the
line, and a one-line fix. The C6xx rules are the security family; each
names the equivalent checks of cfn-lint, cfn_nag and checkov.

A finding that is intended is suppressed in the resource's Metadata
(cfngen.suppress: [{rule, reason, expires}]); cfngen render writes these from
cfngen.yaml's suppressions. Suppressed findings do not count; text output
hides them unless --show-suppressed, JSON and SARIF mark them. A suppression
that matches nothing (C698) or is past its date (C699) is an error.

Flags:
  TEMPLATE               a template to check (YAML or JSON); none: the committed ones
  -p, --params FILE      the parameter file of the template before it
  -f, --format FORMAT    text (default), json or sarif
      --strict           exit 1 on warnings too
      --show-suppressed  list suppressed findings in text output, with their reasons
      --profile backend  also run the rules of cfngen's backend (outputs, bastion,
                         alarms, rate limiting): on anyway for templates cfngen wrote
      --rules            list the rules instead (with --format json: rationale, fix, scanners)
  -h, --help             this help

Exit code: 0 clean, 1 errors (with --strict also warnings), 2 when it cannot
run.`,
		Example: `  cfngen validate
  cfngen validate my-stack.yaml --params my-params.json
  cfngen validate a.yaml --params a.json b.json --format sarif > results.sarif`,
		DisableFlagParsing: true,
		RunE: func(c *cobra.Command, args []string) error {
			opts, help, err := parseValidateArgs(io, args)
			if help {
				return c.Help()
			}
			if err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runValidate(opts)
		},
	}
	return cmd
}

func parseValidateArgs(io IOStreams, args []string) (*ValidateOptions, bool, error) {
	opts := &ValidateOptions{IO: io, Format: "text"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		next := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value (usage: cfngen %s)", name, validateUsage)
			}
			i++
			return args[i], nil
		}
		switch name {
		case "-h", "--help":
			return nil, true, nil
		case "--strict", "--rules", "--show-suppressed":
			on := true
			if hasValue {
				b, err := strconv.ParseBool(value)
				if err != nil {
					return nil, false, fmt.Errorf("%s=%s: want true or false", name, value)
				}
				on = b
			}
			switch name {
			case "--strict":
				opts.Strict = on
			case "--show-suppressed":
				opts.ShowSuppressed = on
			default:
				opts.List = on
			}
		case "--format", "-f":
			v, err := next()
			if err != nil {
				return nil, false, err
			}
			if v != "text" && v != "json" && v != "sarif" {
				return nil, false, fmt.Errorf("--format %q is not allowed (allowed: text, json, sarif)", v)
			}
			opts.Format = v
		case "--profile":
			v, err := next()
			if err != nil {
				return nil, false, err
			}
			if !slices.Contains(validate.Profiles, v) {
				return nil, false, fmt.Errorf("--profile %q is not allowed (allowed: %s)", v, strings.Join(validate.Profiles, ", "))
			}
			opts.Profiles = append(opts.Profiles, v)
		case "--params", "-p":
			v, err := next()
			if err != nil {
				return nil, false, err
			}
			if len(opts.Inputs) == 0 {
				return nil, false, fmt.Errorf("--params %s must follow the template it belongs to", v)
			}
			if opts.Inputs[len(opts.Inputs)-1].ParamsPath != "" {
				return nil, false, fmt.Errorf("template %s has two --params files", opts.Inputs[len(opts.Inputs)-1].Path)
			}
			opts.Inputs[len(opts.Inputs)-1].ParamsPath = v
		default:
			if strings.HasPrefix(a, "-") && a != "-" {
				return nil, false, fmt.Errorf("unknown flag %s (usage: cfngen %s)", a, validateUsage)
			}
			opts.Inputs = append(opts.Inputs, validate.Input{Path: a})
		}
	}
	if len(opts.Inputs) == 0 {
		opts.Inputs = []validate.Input{
			{Path: "templates/backend-stack.yaml", ParamsPath: "params/params.json"},
			{Path: "templates/backend-stack-with-rds.yaml", ParamsPath: "params/params-with-rds.json"},
		}
	}
	return opts, false, nil
}

func runValidate(opts *ValidateOptions) error {
	if opts.List {
		if opts.Format == "json" {
			return validate.WriteRulesJSON(opts.IO.Out, validate.Rules())
		}
		for _, r := range validate.Rules() {
			if _, err := fmt.Fprintf(opts.IO.Out, "%-5s %-8s %s\n", r.ID, r.Severity, r.Title); err != nil {
				return err
			}
		}
		return nil
	}
	// A file that cannot be read or parsed is trouble (exit 2), reported
	// after the findings of the others.
	var trouble []error
	readable := make([]validate.Input, 0, len(opts.Inputs))
	for i := range opts.Inputs {
		in := &opts.Inputs[i]
		data, err := os.ReadFile(in.Path)
		if err != nil {
			trouble = append(trouble, err)
			continue
		}
		in.Data = data
		if in.ParamsPath != "" {
			if in.Params, err = os.ReadFile(in.ParamsPath); err != nil {
				trouble = append(trouble, err)
				continue
			}
		}
		in.Profiles = opts.Profiles
		readable = append(readable, *in)
	}
	rules := validate.Rules()
	findings, err := validate.Run(readable, rules)
	trouble = append(trouble, err)
	switch opts.Format {
	case "json":
		err = validate.WriteJSON(opts.IO.Out, findings)
	case "sarif":
		err = validate.WriteSARIF(opts.IO.Out, findings, rules, Version)
	default:
		if opts.ShowSuppressed {
			err = validate.WriteTextAll(opts.IO.Out, findings)
		} else {
			err = validate.WriteText(opts.IO.Out, findings)
		}
	}
	if err != nil {
		return err
	}
	errs, warns, suppressed := validate.Counts(findings)
	fmt.Fprintf(opts.IO.ErrOut, "%d template(s): %d error(s), %d warning(s), %d suppressed\n", len(opts.Inputs), errs, warns, suppressed)
	if err := errors.Join(trouble...); err != nil {
		return err
	}
	if errs > 0 || (opts.Strict && warns > 0) {
		return &exitError{code: ExitDiff, err: fmt.Errorf("validation failed")}
	}
	return nil
}
