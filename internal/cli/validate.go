package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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

// NewCmdValidate builds cfngen validate. A --params flag belongs to the
// template named before it: the flag value records how many templates came
// before it while cobra parses, so the pairing survives cobra's parsing.
func NewCmdValidate(io IOStreams, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: io}
	var params []paramsArg
	cmd := &cobra.Command{
		Use:   "validate [TEMPLATE [--params FILE]]...",
		Short: "Check templates and parameter files offline before deploying",
		Long: `Validate checks CloudFormation templates (YAML with short-form tags, or JSON;
cfngen's or anyone's) and their parameter files, offline and in milliseconds:
structure against the resource schemas, references, limits, parameter values,
and deploy-readiness rules for the services of the backend stack, most of which
a linter does not know. With no arguments it checks every template under
templates/ with each of its params files under params/ (params/<name> and
params/<env>/<name>); "-" reads a template from standard input. --params FILE belongs to the TEMPLATE before it.

Each finding has a rule id, a severity, the resource and property path, the
line, and a one-line fix. The C6xx rules are the security family; each
names the equivalent checks of cfn-lint, cfn_nag and checkov.

A finding that is intended is suppressed in the resource's Metadata
(cfngen.suppress: [{rule, reason, expires}]); cfngen render writes these from
cfngen.yaml's suppressions. Suppressed findings do not count; text output
hides them unless --show-suppressed, JSON and SARIF mark them. A suppression
that matches nothing (C698) or is past its date (C699) is an error.

Exit code: 0 clean, 1 errors (with --strict also warnings), 2 when it cannot
run.`,
		Example: `  cfngen validate
  cfngen validate my-stack.yaml --params my-params.json
  cfngen validate a.yaml --params a.json b.json --format sarif > results.sarif
  cat stack.yaml | cfngen validate -`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml", "json", "template"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(c *cobra.Command, args []string) error {
			if err := pairParams(opts, args, params); err != nil {
				return err
			}
			if opts.Format != "text" && opts.Format != "json" && opts.Format != "sarif" {
				return fmt.Errorf("--format %q is not allowed (allowed: text, json, sarif)", opts.Format)
			}
			for _, p := range opts.Profiles {
				if !slices.Contains(validate.Profiles, p) {
					return fmt.Errorf("--profile %q is not allowed (allowed: %s)", p, strings.Join(validate.Profiles, ", "))
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return runValidate(opts)
		},
	}
	f := cmd.Flags()
	f.VarP(&paramsFlag{fs: f, list: &params}, "params", "p", "the parameter file of the TEMPLATE before it")
	f.StringVarP(&opts.Format, "format", "f", "text", "output format: text, json or sarif")
	f.BoolVar(&opts.Strict, "strict", false, "exit 1 on warnings too")
	f.BoolVar(&opts.ShowSuppressed, "show-suppressed", false, "list suppressed findings in text output, with their reasons")
	f.StringSliceVar(&opts.Profiles, "profile", nil, "also run the rules of a profile on every template (backend: cfngen's backend; on anyway for templates cfngen wrote)")
	f.BoolVar(&opts.List, "rules", false, "list the rules instead (with --format json: rationale, fix, scanners)")
	_ = cmd.MarkFlagFilename("params", "json")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion("text", "json", "sarif"))
	_ = cmd.RegisterFlagCompletionFunc("profile", fixedCompletion(validate.Profiles...))
	return cmd
}

// paramsArg is one --params value and how many templates preceded it.
type paramsArg struct {
	path   string
	before int
}

// paramsFlag is the --params flag: each value remembers how many positional
// arguments (templates) the flag set had seen when it was parsed.
type paramsFlag struct {
	fs   *pflag.FlagSet
	list *[]paramsArg
}

func (p *paramsFlag) String() string { return "" }
func (p *paramsFlag) Type() string   { return "FILE" }
func (p *paramsFlag) Set(v string) error {
	*p.list = append(*p.list, paramsArg{path: v, before: len(p.fs.Args())})
	return nil
}

// pairParams builds the inputs: each template with the --params file given
// after it, or the committed templates with their params files.
func pairParams(opts *ValidateOptions, args []string, params []paramsArg) error {
	opts.Inputs = nil
	for _, a := range args {
		opts.Inputs = append(opts.Inputs, validate.Input{Path: a})
	}
	for _, p := range params {
		if p.before == 0 {
			return fmt.Errorf("--params %s must follow the template it belongs to", p.path)
		}
		in := &opts.Inputs[p.before-1]
		if in.ParamsPath != "" {
			return fmt.Errorf("template %s has two --params files", in.Path)
		}
		in.ParamsPath = p.path
	}
	stdin := 0
	for _, in := range opts.Inputs {
		for _, p := range []string{in.Path, in.ParamsPath} {
			if p == "-" {
				stdin++
			}
		}
	}
	if stdin > 1 {
		return fmt.Errorf("standard input (-) can be read only once")
	}
	return nil
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
	if len(opts.Inputs) == 0 {
		inputs, err := committedInputs(opts.IO.ErrOut)
		if err != nil {
			return err
		}
		opts.Inputs = inputs
	}
	// A file that cannot be read or parsed is trouble (exit 2), reported
	// after the findings of the others.
	var trouble []error
	readable := make([]validate.Input, 0, len(opts.Inputs))
	for i := range opts.Inputs {
		in := &opts.Inputs[i]
		data, err := readInput(opts.IO, in.Path)
		if err != nil {
			trouble = append(trouble, err)
			continue
		}
		in.Data = data
		if in.ParamsPath != "" {
			if in.Params, err = readInput(opts.IO, in.ParamsPath); err != nil {
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
	findings = mergeFindings(readable, findings)
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
	fmt.Fprintf(opts.IO.ErrOut, "%d template(s): %d error(s), %d warning(s), %d suppressed\n", templateCount(opts.Inputs), errs, warns, suppressed)
	if err := errors.Join(trouble...); err != nil {
		return err
	}
	if errs > 0 || (opts.Strict && warns > 0) {
		return &exitError{code: ExitDiff, err: fmt.Errorf("validation failed")}
	}
	return nil
}
