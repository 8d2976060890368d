package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cfngen/cfngen/internal/awsfacts"
	"github.com/cfngen/cfngen/internal/graph"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/project"
)

type modelBackend = model.Backend

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
		"diff":   {"text", "json", "markdown"},
	}
	templates := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml", "json"}, cobra.ShellCompDirectiveFilterFileExt
	}
	for _, cmd := range root.Commands() {
		switch cmd.Name() {
		case "deploy":
			completeDeploy(cmd)
		case "diff":
			completeDiff(cmd)
		}
		if (cmd.Name() == "graph" || cmd.Name() == "docs" || cmd.Name() == "diff") && cmd.ValidArgsFunction == nil {
			cmd.ValidArgsFunction = templates
		}
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if _, has := cmd.GetFlagCompletionFunc(f.Name); has || f.Value.Type() == "bool" {
				return
			}
			switch f.Name {
			case "config":
				_ = cmd.MarkFlagFilename(f.Name, "yaml", "yml")
			case "out-dir", "dir":
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

// completeDeploy completes deploy's flags from the model and the AWS
// configuration: environments, stack names, logical ids, regions, profiles.
func completeDeploy(cmd *cobra.Command) {
	model := func(c *cobra.Command) (modelBackend, bool) {
		path := ""
		if f := c.Flag("config"); f != nil {
			path = f.Value.String()
		}
		b, _, err := loadModel(path)
		return b, err == nil
	}
	none := cobra.ShellCompDirectiveNoFileComp
	_ = cmd.RegisterFlagCompletionFunc("env", func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		b, ok := model(c)
		if !ok {
			return nil, none
		}
		return b.EnvNames(), none
	})
	_ = cmd.RegisterFlagCompletionFunc("stack", func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		b, ok := model(c)
		if !ok {
			return nil, none
		}
		var out []string
		for _, e := range b.EnvNames() {
			out = append(out, b.Project.Name+"-"+e)
		}
		return out, none
	})
	_ = cmd.RegisterFlagCompletionFunc("allow-replace", func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		b, ok := model(c)
		if !ok {
			return nil, none
		}
		v := layout.Aurora
		if f := c.Flag("variant"); f != nil && f.Value.String() != "" {
			v = layout.Variant(f.Value.String())
		}
		s, err := project.Stack(b, v)
		if err != nil {
			return nil, none
		}
		return s.Template.ResourceIDs(), none
	})
	_ = cmd.RegisterFlagCompletionFunc("region", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, p := range awsfacts.Partitions {
			out = append(out, p.Regions...)
		}
		return out, none
	})
	_ = cmd.RegisterFlagCompletionFunc("profile", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return awsProfiles(), none
	})
	_ = cmd.MarkFlagFilename("template", "yaml", "yml", "json")
	_ = cmd.MarkFlagFilename("params", "json")
	_ = cmd.MarkFlagFilename("tags", "json")
	// --s3-bucket and --s3-prefix are free text: no file names.
	_ = cmd.RegisterFlagCompletionFunc("s3-bucket", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("s3-prefix", cobra.NoFileCompletions)
}

// awsProfiles lists the profile names in the AWS CLI's config and
// credentials files (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
// override where they are).
func awsProfiles() []string {
	home, _ := os.UserHomeDir()
	files := []struct{ env, def string }{
		{"AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config")},
		{"AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials")},
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		path := os.Getenv(f.env)
		if path == "" {
			path = f.def
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "[") || !strings.HasSuffix(line, "]") {
				continue
			}
			name := strings.TrimSpace(strings.TrimPrefix(strings.Trim(line, "[]"), "profile "))
			if name != "" && !strings.HasPrefix(name, "sso-session ") && !strings.HasPrefix(name, "services ") && !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// completeDiff completes diff's flags: the fail-on kinds, params files, and
// git revisions (tags and branches) for --against.
func completeDiff(cmd *cobra.Command) {
	_ = cmd.RegisterFlagCompletionFunc("fail-on", fixedCompletion(failKinds...))
	_ = cmd.MarkFlagFilename("old-params", "json")
	_ = cmd.MarkFlagFilename("new-params", "json")
	_ = cmd.RegisterFlagCompletionFunc("against", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		out, err := exec.Command("git", "for-each-ref", "--format=%(refname:short)", "refs/tags", "refs/heads").Output()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return strings.Fields(string(out)), cobra.ShellCompDirectiveNoFileComp
	})
}
