package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cfngen/cfngen/internal/graph"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/project"
)

// GraphOptions are the arguments of cfngen graph.
type GraphOptions struct {
	IO       IOStreams
	Template string // "" draws the template rendered from the model
	Config   string
	Variant  string
	Format   string
	Level    string
}

// NewCmdGraph builds cfngen graph; runF replaces the run step in tests.
func NewCmdGraph(io IOStreams, runF func(*GraphOptions) error) *cobra.Command {
	opts := &GraphOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "graph [TEMPLATE]",
		Short: "Print the architecture of a template as a Mermaid or Graphviz diagram",
		Long: `Graph prints the architecture of a CloudFormation template (YAML with
short-form tags, or JSON; cfngen's or anyone's; - reads standard input) as a
Mermaid flowchart or, with --format dot, a Graphviz digraph.

--level overview (the default) draws the components a person would put on a
whiteboard, along the request path: Internet, WAF, load balancer, ECS
service, RDS Proxy, database, and the queues, buckets, secrets and
monitoring they use; only components present in the template appear.
--level full draws every resource, grouped by tier (network, edge, storage,
data, compute, bastion, integration, monitoring), with an arrow for every
Ref, GetAtt and Sub (solid) and DependsOn (dotted); resources that exist only
under a condition are dashed and name it.

With no TEMPLATE it draws the template cfngen renders from the model
(cfngen.yaml or the built-in defaults) in memory, so the picture always
matches the model: the Aurora variant, or --variant rds.`,
		Example: `  cfngen graph
  cfngen graph --level full --format dot | dot -Tsvg > stack.svg
  cfngen graph --variant rds
  cfngen graph my-stack.yaml --level full`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Template = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runGraph(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Format, "format", "f", string(graph.Mermaid), "output format: mermaid or dot")
	cmd.Flags().StringVarP(&opts.Level, "level", "l", string(graph.Overview), "overview (components) or full (every resource)")
	cmd.Flags().StringVarP(&opts.Config, "config", "c", "", "backend model file, without TEMPLATE (default: cfngen.yaml if it exists, else built-in defaults)")
	cmd.Flags().StringVar(&opts.Variant, "variant", "", "template variant drawn without TEMPLATE: aurora or rds (default aurora)")
	return cmd
}

func runGraph(opts *GraphOptions) error {
	if !slices.Contains(graph.Formats, graph.Format(opts.Format)) {
		return fmt.Errorf("--format %q is not allowed (allowed: %s)", opts.Format, join(graph.Formats))
	}
	if !slices.Contains(graph.Levels, graph.Level(opts.Level)) {
		return fmt.Errorf("--level %q is not allowed (allowed: %s)", opts.Level, join(graph.Levels))
	}
	t, err := graphTemplate(opts)
	if err != nil {
		return err
	}
	g, err := t.Draw(graph.Level(opts.Level))
	if err != nil {
		return err
	}
	return graph.Write(opts.IO.Out, g, graph.Format(opts.Format))
}

func join[T ~string](vals []T) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// graphTemplate reads the TEMPLATE argument, or renders the model's.
func graphTemplate(opts *GraphOptions) (*graph.Template, error) {
	if opts.Template != "" {
		if opts.Config != "" || opts.Variant != "" {
			return nil, fmt.Errorf("--config and --variant draw the model's template: leave them out with TEMPLATE")
		}
		data, err := readInput(opts.IO, opts.Template)
		if err != nil {
			return nil, err
		}
		t, err := graph.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", opts.Template, err)
		}
		return t, nil
	}
	v := layout.Aurora
	if opts.Variant != "" {
		v = layout.Variant(opts.Variant)
		if _, ok := layout.Of(v); !ok {
			return nil, fmt.Errorf("--variant %q is not allowed (allowed: %s)", opts.Variant, join(layout.Variants))
		}
	}
	b, _, err := loadModel(opts.Config)
	if err != nil {
		return nil, err
	}
	s, err := project.Stack(b, v)
	if err != nil {
		return nil, err
	}
	doc, err := s.Template.Build()
	if err != nil {
		return nil, fmt.Errorf("graph %s: %w", v, err)
	}
	return graph.FromDoc(doc)
}

// readInput reads a file, or standard input for "-".
func readInput(io IOStreams, path string) ([]byte, error) {
	if path == "-" {
		data, err := readAll(io.In)
		if err != nil {
			return nil, fmt.Errorf("read standard input: %w", err)
		}
		return data, nil
	}
	return os.ReadFile(path)
}

func readAll(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	return io.ReadAll(r)
}
