package deploy

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/internal/awsfacts"
	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/cfnschema"
	"github.com/cfngen/cfngen/internal/diff"
)

// ForecastReady carries cfngen's own forecast of an update (internal/diff):
// the deployed template and parameter values against the new ones. It
// comes before the change set, which it completes: a change set does not
// say that replacing a custom-named resource fails, and an emulator such
// as moto leaves out replacements altogether.
type ForecastReady struct {
	Stack    string
	Forecast diff.Forecast
}

// ForecastFailed says no forecast could be built (the deployed template
// could not be read or parsed); the change set alone decides.
type ForecastFailed struct {
	Stack string
	Err   error
}

func (ForecastReady) event()  {}
func (ForecastFailed) event() {}

// masked is how CloudFormation reads back the value of a NoEcho parameter.
const masked = "****"

// forecast compares the template and parameter values stack s runs with
// (GetTemplate, stage Original: the template as submitted, before any
// transform, which is what req.Template is too) to those of req. A NoEcho
// value comes back masked and counts as unknown, as does an SSM parameter
// type's without its resolved value beside it. It returns too what the
// templates say of their resources (as far as they could be read).
func (e *Engine) forecast(ctx context.Context, req Request, s *types.Stack) (f diff.Forecast, facts templateFacts, err error) {
	defer func() {
		// The deployed template may be anyone's; a bug of the forecast on
		// it must not stop the deployment.
		if r := recover(); r != nil {
			f, err = diff.Forecast{}, fmt.Errorf("the forecast broke on the deployed template: %v", r)
		}
	}()
	// The new template first: what it says of its resources counts even
	// when the deployed one cannot be read.
	new, err := diff.Parse("new template", req.Template, "", nil)
	if err != nil {
		return diff.Forecast{}, facts, err
	}
	facts.addDataless(new.Tree)
	out, err := e.Clients.CFN.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(req.Stack), TemplateStage: types.TemplateStageOriginal})
	if err != nil {
		return diff.Forecast{}, facts, fmt.Errorf("get the deployed template: %s", apiMessage(err))
	}
	body := aws.ToString(out.TemplateBody)
	if strings.TrimSpace(body) == "" {
		return diff.Forecast{}, facts, fmt.Errorf("get the deployed template: CloudFormation returned none")
	}
	old, err := diff.Parse("deployed template", []byte(body), "", nil)
	if err != nil {
		return diff.Forecast{}, facts, err
	}
	facts.Protected, facts.DeployedRead = cfn.Protected(old.Tree), true
	facts.addDataless(old.Tree)
	old.Name = "stack " + req.Stack
	old.Params, old.Unknown = map[string]string{}, map[string]bool{}
	defs, _ := old.Tree["Parameters"].(map[string]any)
	for _, p := range s.Parameters {
		key, value := aws.ToString(p.ParameterKey), aws.ToString(p.ParameterValue)
		def, _ := defs[key].(map[string]any)
		if noEcho(def["NoEcho"]) || (value != "" && strings.Trim(value, "*") == "" && strings.Contains(value, masked)) {
			old.Unknown[key] = true
			continue
		}
		// The value of an SSM parameter type is the parameter's name, and
		// ResolvedValue what it read; moto gives the resolved value in
		// place of the name.
		if typ, _ := def["Type"].(string); strings.HasPrefix(typ, "AWS::SSM::Parameter::") && p.ResolvedValue == nil {
			old.Unknown[key] = true
			continue
		}
		old.Params[key] = value
	}
	new.Name = "this deployment"
	new.Params = map[string]string{}
	for _, p := range req.Parameters {
		new.Params[p.Key] = p.Value
	}
	return diff.Compare(old, new), facts, nil
}

// templateFacts is what the deployed and new templates say of their
// resources that the change set does not.
type templateFacts struct {
	Protected    []string // the deployed template's resources a cfngen stack policy protects
	DeployedRead bool     // the deployed template was read (Protected is what it protects)
	Dataless     []string // stateful types holding no data here: Aurora DB instances (either template)
}

func (t *templateFacts) addDataless(tree map[string]any) {
	resources, _ := tree["Resources"].(map[string]any)
	for _, id := range cfn.SortedKeys(resources) {
		r, _ := resources[id].(map[string]any)
		typ, _ := r["Type"].(string)
		props, _ := r["Properties"].(map[string]any)
		if awsfacts.AuroraInstance(typ, props) && !slices.Contains(t.Dataless, id) {
			t.Dataless = append(t.Dataless, id)
		}
	}
}

// noEcho reads a parameter's NoEcho attribute (true, or a string saying
// so).
func noEcho(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}

// applyForecast marks the changes of the change set that the forecast
// says fail (a replacement keeping a custom name) or lose data where the
// change set does not say so itself, and returns notes on the forecast's
// dangers that the change set contradicts: a resource it does not change,
// or updates in place (its Replacement False is worked out from the real
// values, which the forecast may not know).
func (p *Plan) applyForecast(f diff.Forecast, allow []string) []string {
	var notes []string
	for i := range p.Changes {
		// A Conditional replacement the forecast decides is in place (a
		// routine RDS change: backup retention, Multi-AZ) stays a danger:
		// the change set's word about data decides. The note says what the
		// forecast found, so the user can judge before --allow-replace.
		c := &p.Changes[i]
		if c.Replacement != string(types.ReplacementConditional) || c.Danger == "" {
			continue
		}
		for _, fc := range f.Changes {
			if fc.Section == diff.SecResources && fc.LogicalID == c.LogicalID && fc.Action == diff.Modify && fc.Replacement == diff.False {
				c.Note = "cfngen's forecast: updated in place (no create-only property changes), while the change set cannot rule a replacement out"
			}
		}
	}
	for _, fc := range f.Changes {
		if fc.Section != diff.SecResources || (fc.Fails == "" && !fc.Loses()) {
			continue
		}
		i := slices.IndexFunc(p.Changes, func(c Change) bool { return c.LogicalID == fc.LogicalID })
		if i < 0 || p.Changes[i].Replacement == string(types.ReplacementFalse) {
			var found []string
			if fc.Fails != "" {
				found = append(found, failText(fc))
			}
			if fc.Loses() {
				found = append(found, lossText(fc))
			}
			but := "the change set does not change it"
			if i >= 0 {
				but = "the change set updates it in place (replacement False), and it decides"
			}
			notes = append(notes, fmt.Sprintf("cfngen's forecast for %s: %s; but %s", fc.LogicalID, strings.Join(found, "; "), but))
			continue
		}
		c := &p.Changes[i]
		if fc.Fails != "" {
			c.Fails = failText(fc)
		}
		if fc.Loses() && c.Danger == "" { // else the change set says it
			c.Danger, c.Forecast = lossText(fc), true
		}
		c.Allowed = slices.Contains(allow, c.LogicalID)
	}
	return notes
}

// failText says why the forecast expects a replacement to fail.
func failText(c diff.Change) string {
	name := "custom name"
	if s := cfnschema.Lookup(c.Type); s != nil && s.NameProp != "" {
		name = "custom " + s.NameProp
	}
	if c.Fails == diff.True {
		return "the replacement fails (the " + name + " stays the same)"
	}
	return "the replacement may fail (the " + name + " may stay the same)"
}

// lossText says how the forecast expects data to be lost.
func lossText(c diff.Change) string {
	what, ok := Stateful(c.Type)
	if !ok {
		what = "resource"
	}
	verb := "deletes"
	switch {
	case c.Action == diff.Modify && c.Replacement == diff.True && c.DataLoss == diff.True:
		verb = "replaces"
	case c.Action == diff.Modify && c.Replaces():
		verb = "may replace"
	case c.DataLoss != diff.True:
		verb = "may delete"
	}
	return verb + " the " + what
}
