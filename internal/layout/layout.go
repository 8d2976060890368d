// Package layout is the one table of what cfngen writes: the two variants
// of the backend, what each is called, and where its template, parameter
// files and reference go. Every other package asks it; none restates it.
package layout

import (
	"path"
	"strings"
)

// Variant is the database tier a template uses.
type Variant string

// The two variants cfngen renders.
const (
	Aurora Variant = "aurora"
	RDS    Variant = "rds"
)

// Info is one row of the variant table.
type Info struct {
	Variant  Variant
	Database string // what the variant's database is, in prose
	Stem     string // templates/<Stem>.yaml, docs/<Stem>.md
	Params   string // params/<Params>, params/<env>/<Params>
}

// Table lists the variants in output order.
var Table = []Info{
	{Aurora, "Aurora PostgreSQL Serverless v2", "backend-stack", "params.json"},
	{RDS, "RDS for PostgreSQL instance", "backend-stack-with-rds", "params-with-rds.json"},
}

// Variants lists the variant names in output order.
var Variants = func() []Variant {
	out := make([]Variant, len(Table))
	for i, r := range Table {
		out[i] = r.Variant
	}
	return out
}()

// Of returns a variant's row; ok is false for an unknown variant.
func Of(v Variant) (Info, bool) {
	for _, r := range Table {
		if r.Variant == v {
			return r, true
		}
	}
	return Info{}, false
}

func mustOf(v Variant) Info {
	r, ok := Of(v)
	if !ok {
		return Info{Variant: v, Database: string(v), Stem: "backend-stack-" + string(v), Params: "params-" + string(v) + ".json"}
	}
	return r
}

// Database is the variant's database in prose.
func Database(v Variant) string { return mustOf(v).Database }

// Output directories and fixed files, relative to the output root.
const (
	TemplatesDir = "templates"
	ParamsDir    = "params"
	DocsDir      = "docs"
	TagsPath     = "params/tags.json"
	// StackPolicyPath is the stack policy for create-stack and
	// set-stack-policy: one for both variants.
	StackPolicyPath = "stack-policy.json"
	ReadmePath      = "README.md"
)

// TemplatePath is where a variant's template goes in the given format
// ("yaml" or "json").
func TemplatePath(v Variant, format string) string {
	ext := ".yaml"
	if format == "json" {
		ext = ".json"
	}
	return TemplatesDir + "/" + mustOf(v).Stem + ext
}

// ParamsPath is where an environment's params file of a variant goes: the
// default environment's in params/ (the seed's layout), the others' in
// params/<environment>/.
func ParamsPath(v Variant, env, defaultEnv string) string {
	if env == defaultEnv {
		return ParamsDir + "/" + mustOf(v).Params
	}
	return ParamsDir + "/" + env + "/" + mustOf(v).Params
}

// DocPath is where the reference of a template goes: docs/<name>.md.
func DocPath(templatePath string) string {
	base := path.Base(templatePath)
	return DocsDir + "/" + strings.TrimSuffix(base, path.Ext(base)) + ".md"
}

// File is one output file, relative to the output root.
type File struct {
	Path string
	Data []byte
}

// DefaultParamsPath is where the default environment's params file of a
// variant goes: params/<name>.
func DefaultParamsPath(v Variant) string { return ParamsPath(v, "", "") }

// Generated lists glob patterns, relative to the output root, of the files
// render writes in a format: each variant's template and its params files
// of every environment, and the tags file. A file matching one that a fresh
// render does not produce is stale.
func Generated(format string) []string {
	var out []string
	for _, r := range Table {
		out = append(out, TemplatePath(r.Variant, format), ParamsDir+"/"+r.Params, ParamsDir+"/*/"+r.Params)
	}
	return append(out, TagsPath)
}
