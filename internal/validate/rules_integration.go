package validate

var integrationRuleSet = []Rule{}
