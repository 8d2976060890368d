package deploy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// deployedTemplate is a stack with a database, a custom-named proxy and a
// queue. subnet is the proxy's second subnet (create-only), timeout the
// queue's (in place).
func deployedTemplate(subnet string, timeout string) string {
	return `Parameters:
  Environment: {Type: String}
  DBName: {Type: String, Default: app}
  Password: {Type: String, Default: "", NoEcho: true}
Conditions:
  HasPassword: !Not [!Equals [!Ref Password, ""]]
Resources:
  DB:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      DatabaseName: !Ref DBName
      MasterUserPassword: !If [HasPassword, !Ref Password, !Ref AWS::NoValue]
  Proxy:
    Type: AWS::RDS::DBProxy
    Properties:
      DBProxyName: !Sub "${Environment}-proxy"
      EngineFamily: POSTGRESQL
      VpcSubnetIds: [subnet-a, ` + subnet + `]
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: ` + timeout + `
`
}

// updating returns a fake stack running deployedTemplate("subnet-b", "30")
// with DBName app and a masked password, whose change set has changes.
func updating(changes ...types.Change) *CFN {
	s := existing(types.StackStatusUpdateComplete)
	s.Parameters = []types.Parameter{
		{ParameterKey: aws.String("Environment"), ParameterValue: aws.String("dev")},
		{ParameterKey: aws.String("DBName"), ParameterValue: aws.String("app")},
		{ParameterKey: aws.String("Password"), ParameterValue: aws.String("****")},
	}
	return &CFN{Stack: s, Template: deployedTemplate("subnet-b", "30"), Changes: changes,
		Script: []Step{{Status: types.StackStatusUpdateComplete}}}
}

// updateRequest deploys deployedTemplate(subnet, timeout) with DBName.
func updateRequest(subnet, timeout, dbName string) Request {
	req := request()
	req.Template = []byte(deployedTemplate(subnet, timeout))
	req.Parameters = []Parameter{{"Environment", "dev"}, {"DBName", dbName}}
	return req
}

func TestForecastUpdate(t *testing.T) {
	cfn := updating(resChange(types.ChangeActionModify, "Queue", "AWS::SQS::Queue", ""))
	e, events := newEngine(cfn, nil)
	res, err := e.Deploy(context.Background(), updateRequest("subnet-b", "60", "app"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Updated || !has(cfn.Calls, "GetTemplate Original") {
		t.Errorf("outcome %s, calls %q", res.Outcome, cfn.Calls)
	}
	fr := ofType[ForecastReady](*events)
	if len(fr) != 1 || fr[0].Stack != "myapp-dev" {
		t.Fatalf("forecast events %+v", fr)
	}
	// The queue's new timeout, and the masked password: unknown, so the
	// password it may set is uncertain, updated in place. The same DBName
	// is known.
	f := fr[0].Forecast
	var got []string
	for _, c := range f.Changes {
		for _, p := range c.Paths {
			got = append(got, fmt.Sprintf("%s %s %s uncertain=%v", c.LogicalID, p.Path, c.Replacement, p.Uncertain))
		}
	}
	want := []string{"DB Properties.MasterUserPassword False uncertain=true", "Queue Properties.VisibilityTimeout False uncertain=false"}
	if !slices.Equal(got, want) {
		t.Errorf("forecast\n got %q\nwant %q", got, want)
	}
	if len(f.Changes) != 2 || f.Changes[0].Loses() || f.Changes[0].Fails != "" {
		t.Errorf("forecast %+v", f.Changes)
	}
	// The forecast comes before the change set.
	for _, ev := range *events {
		if _, ok := ev.(PlanReady); ok {
			t.Fatal("the change set came before the forecast")
		}
		if _, ok := ev.(ForecastReady); ok {
			break
		}
	}
}

func TestForecastWillFail(t *testing.T) {
	// moto's thin details: a Modify without a Replacement; real
	// CloudFormation says True but not that it fails.
	for _, repl := range []types.Replacement{"", types.ReplacementTrue} {
		proxy := resChange(types.ChangeActionModify, "Proxy", "AWS::RDS::DBProxy", repl)
		t.Run("refused "+string(repl), func(t *testing.T) {
			cfn := updating(proxy)
			e, _ := newEngine(cfn, nil)
			_, err := e.Deploy(context.Background(), updateRequest("subnet-c", "30", "app"))
			var re *RefusedError
			if !errors.As(err, &re) || len(re.Changes) != 1 || re.Changes[0].LogicalID != "Proxy" {
				t.Fatalf("err = %v, want the proxy refused", err)
			}
			for _, want := range []string{"refused: the change set will fail (deleted, nothing deployed):\n  Proxy (AWS::RDS::DBProxy): forecast: the replacement fails (the custom DBProxyName stays the same)",
				"change the name in the same update", "--allow-replace Proxy"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message %q lacks %q", err, want)
				}
			}
			if has(cfn.Calls, "ExecuteChangeSet") || !has(cfn.Calls, "DeleteChangeSet") {
				t.Errorf("calls %q", cfn.Calls)
			}
		})
	}
	t.Run("allowed", func(t *testing.T) {
		cfn := updating(resChange(types.ChangeActionModify, "Proxy", "AWS::RDS::DBProxy", ""))
		e, events := newEngine(cfn, nil)
		req := updateRequest("subnet-c", "30", "app")
		req.AllowReplace = []string{"Proxy"}
		if _, err := e.Deploy(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if !has(cfn.Calls, "ExecuteChangeSet") {
			t.Error("not executed")
		}
		p := ofType[PlanReady](*events)[0].Plan
		if d := p.Dangerous(); len(d) != 1 || !d[0].Allowed || d[0].Fails == "" || d[0].Danger != "" {
			t.Errorf("dangerous %+v", d)
		}
	})
}

func TestForecastDataLoss(t *testing.T) {
	// A new DBName replaces the cluster; moto's change set does not say so.
	cfn := updating(resChange(types.ChangeActionModify, "DB", "AWS::RDS::DBCluster", ""))
	e, _ := newEngine(cfn, nil)
	_, err := e.Deploy(context.Background(), updateRequest("subnet-b", "30", "shop"))
	var re *RefusedError
	if !errors.As(err, &re) || len(re.Changes) != 1 {
		t.Fatalf("err = %v, want the cluster refused", err)
	}
	if want := "refused: the change set loses data (deleted, nothing deployed):\n  DB (AWS::RDS::DBCluster): forecast: replaces the database\nif that is intended, deploy again with --allow-replace DB"; err.Error() != want {
		t.Errorf("message\n%s\nwant\n%s", err, want)
	}
	if has(cfn.Calls, "ExecuteChangeSet") {
		t.Error("executed")
	}
}

// A NoEcho value comes back masked: what it feeds may change. The change
// set, worked out from the real values, decides where it is explicit.
func TestForecastMaskedValue(t *testing.T) {
	template := strings.Replace(deployedTemplate("subnet-b", "30"), "DatabaseName: !Ref DBName", "DatabaseName: !Ref Password", 1)
	for repl, refused := range map[types.Replacement]bool{"": true, types.ReplacementConditional: true, types.ReplacementFalse: false} {
		cfn := updating(resChange(types.ChangeActionModify, "DB", "AWS::RDS::DBCluster", repl))
		cfn.Template = template
		e, events := newEngine(cfn, nil)
		req := updateRequest("subnet-b", "30", "app")
		req.Template = []byte(template)
		req.Parameters = append(req.Parameters, Parameter{"Password", "****"})
		_, err := e.Deploy(context.Background(), req)
		var re *RefusedError
		if errors.As(err, &re) != refused {
			t.Errorf("replacement %q: err = %v, want refused %v", repl, err, refused)
		}
		if refused && err != nil && !strings.Contains(err.Error(), "may replace the database") {
			t.Errorf("replacement %q: %v", repl, err)
		}
		var notes []string
		for _, n := range ofType[Note](*events) {
			notes = append(notes, n.Text)
		}
		note := "cfngen's forecast for DB: may replace the database; but the change set updates it in place (replacement False), and it decides"
		if said := strings.Contains(strings.Join(notes, "\n"), note); said == refused {
			t.Errorf("replacement %q: notes %q", repl, notes)
		}
	}
}

func TestForecastFailed(t *testing.T) {
	for name, cfn := range map[string]*CFN{
		"not retrievable": func() *CFN {
			c := updating(resChange(types.ChangeActionModify, "Queue", "AWS::SQS::Queue", ""))
			c.TemplateErr = APIError("AccessDenied", "not authorized to perform cloudformation:GetTemplate")
			return c
		}(),
		"not a template": func() *CFN {
			c := updating(resChange(types.ChangeActionModify, "Queue", "AWS::SQS::Queue", ""))
			c.Template = "Resources: [unclosed"
			return c
		}(),
		"empty": func() *CFN {
			c := updating(resChange(types.ChangeActionModify, "Queue", "AWS::SQS::Queue", ""))
			c.Template = ""
			return c
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			e, events := newEngine(cfn, nil)
			res, err := e.Deploy(context.Background(), updateRequest("subnet-b", "60", "app"))
			if err != nil || res.Outcome != Updated {
				t.Fatalf("outcome %s, err %v: a failed forecast must not stop the deployment", res.Outcome, err)
			}
			ff := ofType[ForecastFailed](*events)
			if len(ff) != 1 || ff[0].Err == nil || len(ofType[ForecastReady](*events)) != 0 {
				t.Errorf("forecast events %+v", *events)
			}
		})
	}
}

func TestCreateHasNoForecast(t *testing.T) {
	cfn := &CFN{Changes: []types.Change{resChange(types.ChangeActionAdd, "Queue", "AWS::SQS::Queue", "")},
		Script: []Step{{Status: types.StackStatusCreateComplete}}}
	e, events := newEngine(cfn, nil)
	if _, err := e.Deploy(context.Background(), updateRequest("subnet-b", "30", "app")); err != nil {
		t.Fatal(err)
	}
	if has(cfn.Calls, "GetTemplate Original") || len(ofType[ForecastReady](*events))+len(ofType[ForecastFailed](*events)) != 0 {
		t.Errorf("a new stack was forecast: calls %q", cfn.Calls)
	}
}

// The value of an SSM parameter type is its name, with ResolvedValue
// beside it (CloudFormation); without ResolvedValue (moto) it may be what
// was read, so it is unknown.
func TestForecastSSMParameter(t *testing.T) {
	template := `Parameters:
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami
Resources:
  Host:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref Ami
`
	for resolved, replacement := range map[bool]string{true: "", false: "Conditional"} {
		s := existing(types.StackStatusUpdateComplete)
		p := types.Parameter{ParameterKey: aws.String("Ami"), ParameterValue: aws.String("/aws/service/ami")}
		if resolved {
			p.ResolvedValue = aws.String("ami-0123")
		} else {
			p.ParameterValue = aws.String("ami-0123")
		}
		s.Parameters = []types.Parameter{p}
		e, _ := newEngine(&CFN{Stack: s, Template: template}, nil)
		req := request()
		req.Template, req.Parameters = []byte(template), nil
		f, _, err := e.forecast(context.Background(), req, s)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, c := range f.Changes {
			if c.LogicalID == "Host" {
				got = c.Replacement
			}
		}
		if got != replacement {
			t.Errorf("resolved value given %v: Host replacement %q, want %q (%+v)", resolved, got, replacement, f.Changes)
		}
	}
}
