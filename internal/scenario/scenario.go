// Package scenario holds the models that cfngen's golden files lock: the
// default and a few that turn the model's switches, shared by the tests of
// render and project.
package scenario

import "github.com/cfngen/cfngen/internal/model"

// Scenario is one named model.
type Scenario struct {
	Name  string
	Model func() model.Backend
}

// All lists the scenarios in golden-file order.
var All = []Scenario{
	{"default", model.Default},
	{"three-az", func() model.Backend {
		m := model.Default()
		m.Network.AZCount = 3
		return m
	}},
	{"uploads-no-bastion", func() model.Backend {
		m := model.Default()
		m.Bastion.Enabled = false
		m.Edge.WAF.CountLargeBodies = true
		m.DefaultEnvironment = "prod"
		SetParams(&m, func(p *model.Params) { p.EnableSpot = true })
		return m
	}},
}

// SetParams changes the parameter values of every environment.
func SetParams(m *model.Backend, f func(*model.Params)) {
	for i := range m.Environments {
		f(&m.Environments[i].Params)
	}
}
