package cli

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cfngen/cfngen/internal/graph"
	"github.com/cfngen/cfngen/internal/layout"
)

// completeFlags gives every flag of every command that takes a value a
// completion: the allowed values of enumerations, YAML files for --config,
// directories for --out-dir, templates for TEMPLATE arguments. A flag that
// already has one (validate's) keeps it.
func completeFlags(root *cobra.Command) {
	var variants []string
	for _, v := range layout.Variants {
		variants = append(variants, string(v))
	}
	var graphFormats, levels []string
	for _, f := range graph.Formats {
		graphFormats = append(graphFormats, string(f))
	}
	for _, l := range graph.Levels {
		levels = append(levels, string(l))
	}
	formats := map[string][]string{
		"render": {"yaml", "json"},
		"graph":  graphFormats,
	}
	templates := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml", "json"}, cobra.ShellCompDirectiveFilterFileExt
	}
	for _, cmd := range root.Commands() {
		if (cmd.Name() == "graph" || cmd.Name() == "docs") && cmd.ValidArgsFunction == nil {
			cmd.ValidArgsFunction = templates
		}
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if _, has := cmd.GetFlagCompletionFunc(f.Name); has || f.Value.Type() == "bool" {
				return
			}
			switch f.Name {
			case "config":
				_ = cmd.MarkFlagFilename(f.Name, "yaml", "yml")
			case "out-dir":
				_ = cmd.MarkFlagDirname(f.Name)
			case "format":
				if values, ok := formats[cmd.Name()]; ok {
					_ = cmd.RegisterFlagCompletionFunc(f.Name, fixedCompletion(values...))
				}
			case "level":
				_ = cmd.RegisterFlagCompletionFunc(f.Name, fixedCompletion(levels...))
			case "variant":
				_ = cmd.RegisterFlagCompletionFunc(f.Name, fixedCompletion(variants...))
			}
		})
	}
}
