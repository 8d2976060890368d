package validate

var computeRuleSet = []Rule{}
