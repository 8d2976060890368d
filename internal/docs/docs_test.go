package docs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/docs"
	"github.com/cfngen/cfngen/internal/golden"
	"github.com/cfngen/cfngen/internal/graph"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/project"
	"github.com/cfngen/cfngen/internal/render"
)

func files(t *testing.T, b model.Backend) map[string][]byte {
	t.Helper()
	fs, err := project.Docs(b)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range fs {
		out[f.Path] = f.Data
	}
	return out
}

// TestGoldenDocs locks the reference of a configured two-environment model
// and of templates cfngen did not write.
func TestGoldenDocs(t *testing.T) {
	cfg := filepath.Join("..", "..", "testdata", "two-env", "cfngen.yaml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, lines, err := model.Parse(data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(cfg, lines); err != nil {
		t.Fatal(err)
	}
	for path, data := range files(t, b) {
		golden.Assert(t, filepath.Join("testdata", "two-env", filepath.Base(path)), data)
	}
	for name, src := range map[string]string{
		"bucket-queue": filepath.Join("..", "graph", "testdata", "bucket-queue.yaml"),
		"handwritten":  filepath.Join("..", "..", "testdata", "handwritten", "backend-mistakes.yaml"),
	} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		md, err := docs.ForTemplate(filepath.Base(src), data)
		if err != nil {
			t.Fatal(err)
		}
		golden.Assert(t, filepath.Join("testdata", name+".md"), md)
	}
}

// TestReferenceContent checks what a reader needs is in the default
// reference, read from the template rather than listed here: every
// parameter, resource and output, the deploy command, what prod changes.
func TestReferenceContent(t *testing.T) {
	got := files(t, model.Default())
	for _, v := range layout.Variants {
		s, err := render.RenderVariant(model.Default(), v)
		if err != nil {
			t.Fatal(err)
		}
		templatePath := layout.TemplatePath(v, "yaml")
		md := string(got[docs.DocPath(templatePath)])
		if md == "" {
			t.Fatalf("no reference for %s", templatePath)
		}
		for _, id := range s.Template.ResourceIDs() {
			if !strings.Contains(md, "| `"+id+"` | `") {
				t.Errorf("%s: resource %s has no row", v, id)
			}
		}
		for _, p := range s.Template.ParameterNames() {
			if !strings.Contains(md, "| `"+p+"` | `") {
				t.Errorf("%s: parameter %s has no row", v, p)
			}
		}
		for _, o := range s.Template.OutputNames() {
			if !strings.Contains(md, "| `"+o+"` | ") {
				t.Errorf("%s: output %s has no row", v, o)
			}
		}
		params := "params/params.json"
		if v == layout.RDS {
			params = "params/params-with-rds.json"
		}
		deploy := "aws cloudformation create-stack --stack-name myapp-dev \\\n  --template-body file://" + templatePath +
			" \\\n  --parameters file://" + params + " \\\n  --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM\n"
		if !strings.Contains(md, deploy) {
			t.Errorf("%s: no create-stack command:\n%s", v, deploy)
		}
		for _, want := range []string{
			"## Behaviour by Environment",
			"| setting | meaning | `dev` | `staging` | `prod` | used by |",
			"| `NatPerAz` | One NAT gateway per AZ (else one shared). | false | false | true |",
			"- `prod`, unlike `dev`: ",
			"```mermaid\nflowchart LR\n",
			"```mermaid\nflowchart TB\n",
			"[Deploying](../README.md#deploying)",
		} {
			if !strings.Contains(md, want) {
				t.Errorf("%s: reference lacks %q", v, want)
			}
		}
	}
}

func TestPerEnvironmentValues(t *testing.T) {
	b := model.Default()
	for i := range b.Environments {
		if b.Environments[i].Name == "prod" {
			b.Environments[i].Params.ApiDesiredCount = 2
			b.Environments[i].Listed = true
		}
	}
	md := string(files(t, b)["docs/backend-stack.md"])
	for _, want := range []string{
		"dev: `0`, staging: `0`, prod: `2`", // differs per environment
		"all: `appdb`",                      // the same everywhere
		"prod (`params/prod/params.json`):", // a command per params file
		"--stack-name myapp-prod \\\n  --template-body file://templates/backend-stack.yaml \\\n  --parameters file://params/prod/params.json",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("reference lacks %q", want)
		}
	}
}

func TestSplice(t *testing.T) {
	block := []byte(docs.BlockBegin + "\nnew\n" + docs.BlockEnd)
	readme := "# x\n\nSee `" + docs.BlockBegin + "` below.\n\n" + docs.BlockBegin + "\nold\nlines\n" + docs.BlockEnd + "\n\nrest\n"
	got, err := docs.Splice([]byte(readme), block)
	if err != nil {
		t.Fatal(err)
	}
	want := "# x\n\nSee `" + docs.BlockBegin + "` below.\n\n" + docs.BlockBegin + "\nnew\n" + docs.BlockEnd + "\n\nrest\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for name, bad := range map[string]string{
		"no markers":  "# x\n",
		"no end":      docs.BlockBegin + "\n",
		"reversed":    docs.BlockEnd + "\n" + docs.BlockBegin + "\n",
		"two blocks":  docs.BlockBegin + "\n" + docs.BlockEnd + "\n" + docs.BlockBegin + "\n" + docs.BlockEnd + "\n",
		"quoted only": "`" + docs.BlockBegin + "` `" + docs.BlockEnd + "`\n",
	} {
		if _, err := docs.Splice([]byte(bad), block); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if docs.HasBlock([]byte("`" + docs.BlockBegin + "`")) {
		t.Error("a quoted marker counts as a block")
	}
}

func TestArbitraryTemplate(t *testing.T) {
	src := `{"Parameters": {"Name": {"Type": "String", "AllowedPattern": "^[a-z|]+$"}},
 "Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Ref": "Name"}}},
   "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": "Role.Arn"}}}}}`
	md, err := docs.ForTemplate("fn.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# fn\n",
		"--parameters ParameterKey=Name,ParameterValue=...",
		"--capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM",
		"pattern `^[a-z\\|]+$`", // a pipe inside a table cell is escaped
		"| `Role` | `IAM::Role` | Permissions a service or instance assumes. |",
		"### Compute (2)",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("reference lacks %q:\n%s", want, md)
		}
	}
	if _, err := docs.ForTemplate("x.yaml", []byte("Resources: {}\n")); err == nil {
		t.Error("a template without resources documented")
	}
	// The tiers are graph's: the role joins the function that uses it.
	tpl, _ := graph.Parse([]byte(src))
	if tpl.Resource("Role").Tier != graph.Compute {
		t.Errorf("role tier %s", tpl.Resource("Role").Tier)
	}
}
