package validate

var edgeRuleSet = []Rule{}
