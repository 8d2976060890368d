package validate

var dbRuleSet = []Rule{}
