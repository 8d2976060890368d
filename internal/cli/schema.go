package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/cfngen/cfngen/internal/model"
)

// NewCmdSchema builds cfngen schema.
func NewCmdSchema(io IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of cfngen.yaml",
		Long: `Schema prints a JSON Schema (draft 2020-12) of the config file to standard
output, for editors to complete and check cfngen.yaml. With the YAML language
server (VS Code's YAML extension, and others), save it and point the config
at it with a first line:

  # yaml-language-server: $schema=./cfngen.schema.json`,
		Example: `  cfngen schema > cfngen.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			enc := json.NewEncoder(io.Out)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			return enc.Encode(model.Schema())
		},
	}
}
