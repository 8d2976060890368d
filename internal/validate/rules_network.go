package validate

var networkRuleSet = []Rule{}
